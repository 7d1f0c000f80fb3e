import { describe, expect, it } from 'vitest';
import { changeCI, clearlyAbove, clearlyBelow, differenceCI, formatInterval, pick, valueCI } from '../lab/claims.ts';
import { evaluateExpectations } from '../lab/checks.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { doneStep, generationStep } from '../renderer/narration.ts';
import type { MetricsRow } from '../lab/types.ts';

function row(lineage: string, generation: number, seed: number, extra: Partial<MetricsRow> = {}): MetricsRow {
  return {
    kind: 'generation', experiment: 't', scenario: 'duel', lineage, generation, seed, elo: 1000, eloLow: null, eloHigh: null, eloProvisional: 1000,
    winRate: 0.5, winRateSe: 0.025, believedWinRate: 0.5, selfDeception: 0, selfDeceptionSe: 0.03, worldNll: -30, worldOutcomeAccuracy: 0.8,
    worldOutcomeBaseline: 0.63, worldOutcomeRecall: [0.9, 0.7, 0.7], worldTailCoverage: 1, realNll: 1, entropy: 1, actionStd: 0.3, tailShare: 0.2,
    d0TailShare: 0.2, realityGap: 0.1, outcomeDisagreement: 0.2, w1: 0.1, provenance: {}, trainSamples: 10,
    actionHistogram: { names: ['a'], edges: [0, 1], counts: [[1]] }, ...extra,
  };
}

const exp = parseExperiment({
  name: 't', scenario: 'duel', seeds: [1], generations: 4,
  lineages: [{ name: 'grounded', recipe: 'grounded' }, { name: 'recursive', recipe: 'recursive' }],
}) as PhysicsExperiment;

describe('intervals paired by seed', () => {
  it('a difference over three seeds: the t interval (df 2) by hand', () => {
    const rows = [1, 2, 3].flatMap((s, i) => [row('a', 5, s, { winRate: 0.6 + [0, 0.02, 0.04][i] }), row('b', 5, s, { winRate: 0.5 })]);
    const d = differenceCI(rows, 'winRate', 'a', 'b', 5);
    // differences 0.10, 0.12, 0.14: mean 0.12, sd 0.02, half-width 4.302653 · 0.02 / √3
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(0.12, 12);
    expect(d.hi - d.mean).toBeCloseTo((4.30265273 * 0.02) / Math.sqrt(3), 6);
    expect(clearlyAbove(d)).toBe(true);
    expect(clearlyAbove(d, 0.1)).toBe(false); // 0.12 − 0.0497 < 0.1
  });

  it('pairs by seed: a lineage missing a seed drops that pair', () => {
    const rows = [row('a', 1, 1, { winRate: 0.9 }), row('a', 1, 2, { winRate: 0.7 }), row('b', 1, 2, { winRate: 0.6 })];
    const d = differenceCI(rows, 'winRate', 'a', 'b', 1);
    expect(d.n).toBe(1);
    expect(d.mean).toBeCloseTo(0.1, 12);
  });

  it('one seed: an interval only from the rows’ standard errors', () => {
    const rows = [row('a', 2, 1, { winRate: 0.6, winRateSe: 0.02 }), row('b', 2, 1, { winRate: 0.5, winRateSe: 0.02 })];
    const d = differenceCI(rows, 'winRate', 'a', 'b', 2);
    expect(d.hi - d.mean).toBeCloseTo(1.959964 * Math.sqrt(0.0008), 5);
    expect(clearlyAbove(d)).toBe(true); // 0.1 − 0.0554 > 0
    // entropy has no standard error: a single seed never separates it, however large the gap
    const e = differenceCI([row('a', 2, 1, { entropy: 5 }), row('b', 2, 1, { entropy: -5 })], 'entropy', 'a', 'b', 2);
    expect(e.mean).toBe(10);
    expect(clearlyAbove(e)).toBe(false);
    expect(clearlyBelow(e)).toBe(false);
  });

  it('change and value intervals, and a metric minus another', () => {
    const rows = [1, 2].flatMap((s) => [row('a', 0, s, { worldNll: -30 - s }), row('a', 3, s, { worldNll: -20 - 2 * s })]);
    const c = changeCI(rows, 'a', 'worldNll', 0, 3);
    expect(c.n).toBe(2);
    expect(c.mean).toBeCloseTo(8.5, 12); // changes 9 and 8
    const lift = valueCI([row('a', 0, 1, { worldOutcomeAccuracy: 0.8 }), row('a', 0, 2, { worldOutcomeAccuracy: 0.9 })], 'a', 'worldOutcomeAccuracy', 0, 'worldOutcomeBaseline');
    expect(lift.mean).toBeCloseTo(0.85 - 0.63, 12);
    expect(clearlyAbove(lift, 0.1)).toBe(false); // two seeds 0.17, 0.27: t(1) = 12.7 makes the interval wide
  });
});

describe('expectations with intervals', () => {
  const rows = [1, 2, 3].flatMap((s) => [
    row('grounded', 0, s, { winRate: 0.5 }),
    row('recursive', 0, s, { winRate: 0.5 }),
    row('grounded', 4, s, { winRate: 0.6 + 0.01 * s, worldNll: -40 }),
    row('recursive', 4, s, { winRate: 0.45, selfDeception: 0.1 + 0.01 * s, worldNll: -20 + s }),
  ]);
  it('trend, order and level judged by their 95% interval', () => {
    const r = evaluateExpectations(
      [
        { kind: 'trend', lineage: 'grounded', metric: 'winRate', direction: 'up', by: 0, interval: true },
        { kind: 'order', metric: 'winRate', higher: 'grounded', lower: 'recursive', by: 0, interval: true },
        { kind: 'order', metric: 'worldNll', higher: 'recursive', lower: 'grounded', by: 0, interval: true },
        { kind: 'level', lineage: 'recursive', metric: 'selfDeception', at: 'last', direction: 'above', value: 0 },
        { kind: 'level', lineage: 'recursive', metric: 'selfDeception', at: 'last', direction: 'below', value: 0 },
        { kind: 'order', metric: 'winRate', higher: 'recursive', lower: 'grounded', by: 0, interval: true },
      ],
      rows,
    );
    expect(r.map((x) => x.ok)).toEqual([true, true, true, true, false, false]);
    expect(r[3].detail).toMatch(/selfDeception \+0\.120 \[\+0\.0\d\d, \+0\.1\d\d\]/);
  });
  it('a mean difference the interval does not separate fails with interval, passes without', () => {
    const noisy = [1, 2, 3].flatMap((s) => [
      row('grounded', 4, s, { winRate: [0.7, 0.4, 0.6][s - 1] }),
      row('recursive', 4, s, { winRate: [0.4, 0.5, 0.5][s - 1] }),
    ]);
    const [a, b] = evaluateExpectations(
      [
        { kind: 'order', metric: 'winRate', higher: 'grounded', lower: 'recursive', by: 0, interval: true },
        { kind: 'order', metric: 'winRate', higher: 'grounded', lower: 'recursive', by: 0 },
      ],
      noisy,
    );
    expect(a.ok).toBe(false);
    expect(b.ok).toBe(true);
  });
});

describe('narration claims only what the run separates', () => {
  it('no "ends ahead" when the last generation does not separate the lineages', () => {
    const rows = [row('grounded', 0, 1), row('recursive', 0, 1), row('grounded', 4, 1, { winRate: 0.52 }), row('recursive', 4, 1, { winRate: 0.5 })];
    const t = doneStep(exp, rows).text;
    expect(t).not.toMatch(/ends ahead/);
    expect(t).toContain('cannot separate grounded from recursive');
  });
  it('no "overrates itself" when believed − real is within its interval', () => {
    const rows = [row('grounded', 4, 1), row('recursive', 4, 1, { winRate: 0.45, believedWinRate: 0.5, selfDeception: 0.05, selfDeceptionSe: 0.03 })];
    const t = generationStep(exp, 4, rows).text;
    expect(t).not.toMatch(/overrates|underrates/);
    expect(t).toContain('within the margin of error');
  });
  it('says recursive’s world model is worse only when worldNll separates', () => {
    const base = [1, 2, 3].flatMap((s) => [row('grounded', 0, s), row('recursive', 0, s)]);
    const apart = [1, 2, 3].flatMap((s) => [row('grounded', 4, s, { worldNll: -40 + s }), row('recursive', 4, s, { worldNll: -20 + s })]);
    const close = [1, 2, 3].flatMap((s) => [row('grounded', 4, s, { worldNll: -30 + 5 * s }), row('recursive', 4, s, { worldNll: -30 - 5 * s + 12 })]);
    expect(doneStep(exp, [...base, ...apart]).text).toContain('world model now predicts real games worse');
    expect(doneStep(exp, [...base, ...close]).text).not.toContain('world model now predicts real games worse');
  });
});

describe('claims: exact boundaries (mutation survivors)', () => {
  const Z = 1.959963984540054;
  it('pick: a finite number, else null; a difference only when both sides are finite', () => {
    const r = row('a', 0, 1, { winRate: 0.75, worldOutcomeBaseline: 0.5 });
    expect(pick('winRate')(r)).toBe(0.75);
    expect(pick('winRate', 'worldOutcomeBaseline')(r)).toBe(0.25);
    expect(pick('worldOutcomeBaseline', 'winRate')(r)).toBe(-0.25);
    expect(pick('winRate', '')(r)).toBe(0.75);
    expect(pick('lineage')(r)).toBeNull(); // a string
    expect(pick('nothing')(r)).toBeNull();
    expect(pick('winRate')(row('a', 0, 1, { winRate: NaN }))).toBeNull();
    expect(pick('winRate')(row('a', 0, 1, { winRate: Infinity }))).toBeNull();
    expect(pick('winRate', 'worldOutcomeBaseline')(row('a', 0, 1, { winRate: null as unknown as number }))).toBeNull();
    expect(pick('winRate', 'worldOutcomeBaseline')(row('a', 0, 1, { worldOutcomeBaseline: -Infinity }))).toBeNull();
  });

  it('valueCI: several seeds give the t interval; one seed the normal interval from its standard error, or none', () => {
    const three = [1, 2, 3].map((s) => row('a', 2, s, { winRate: 0.4 + 0.1 * s }));
    const v = valueCI([...three, row('b', 2, 1, { winRate: 0 }), row('a', 1, 1, { winRate: 0 })], 'a', 'winRate', 2);
    expect(v.n).toBe(3);
    expect(v.mean).toBeCloseTo(0.6, 12);
    expect(v.hi - v.mean).toBeCloseTo((4.30265273 * 0.1) / Math.sqrt(3), 6);
    const one = valueCI([row('a', 2, 1, { winRate: 0.6, winRateSe: 0.05 })], 'a', 'winRate', 2);
    expect(one).toEqual({ mean: 0.6, lo: 0.6 - Z * 0.05, hi: 0.6 + Z * 0.05, n: 1 });
    // a zero, missing or non-finite standard error gives no interval
    for (const winRateSe of [0, null, NaN, Infinity]) {
      const c = valueCI([row('a', 2, 1, { winRate: 0.6, winRateSe: winRateSe as number })], 'a', 'winRate', 2);
      expect(c).toEqual({ mean: 0.6, lo: 0.6, hi: 0.6, n: 1 });
      expect(clearlyAbove(c)).toBe(false);
    }
    // a difference of metrics has no single-seed standard error
    const lift = valueCI([row('a', 2, 1, { winRate: 0.6, winRateSe: 0.05, worldOutcomeBaseline: 0.5 })], 'a', 'winRate', 2, 'worldOutcomeBaseline');
    expect(lift.lo).toBe(lift.hi);
    // a seed listed twice counts once (the later row)
    const dup = valueCI([row('a', 2, 1, { winRate: 0.1 }), row('a', 2, 1, { winRate: 0.3, winRateSe: 0.01 })], 'a', 'winRate', 2);
    expect(dup).toEqual({ mean: 0.3, lo: 0.3 - Z * 0.01, hi: 0.3 + Z * 0.01, n: 1 });
    // seeds whose value is missing are skipped
    const gap = valueCI([row('a', 2, 1, { winRate: 0.2 }), row('a', 2, 2, { winRate: NaN }), row('a', 2, 3, { winRate: 0.4 })], 'a', 'winRate', 2);
    expect(gap.n).toBe(2);
    expect(gap.mean).toBeCloseTo(0.3, 12);
    expect(valueCI([], 'a', 'winRate', 2).n).toBe(0);
    // one seed with a value and one without: the interval is from the valued row's own standard error
    const one2 = valueCI([row('a', 2, 1, { winRate: NaN, winRateSe: 0.5 }), row('a', 2, 2, { winRate: 0.7, winRateSe: 0.02 })], 'a', 'winRate', 2);
    expect(one2).toEqual({ mean: 0.7, lo: 0.7 - Z * 0.02, hi: 0.7 + Z * 0.02, n: 1 });
    // several seeds with standard errors: the t interval over seeds, the rows' errors unused
    const two = valueCI([row('a', 2, 1, { winRate: 0.5, winRateSe: 0.3 }), row('a', 2, 2, { winRate: 0.7, winRateSe: 0.3 })], 'a', 'winRate', 2);
    expect(two.hi - two.mean).toBeCloseTo(12.706204736 * (Math.SQRT2 * 0.1) / Math.SQRT2, 9);
  });

  it('a single pair: the standard error is √(se₁² + se₂²) of the two rows, missing on either side gives none', () => {
    const rows = [row('a', 3, 7, { selfDeception: 0.3, selfDeceptionSe: 0.03 }), row('b', 3, 7, { selfDeception: 0.1, selfDeceptionSe: 0.04 })];
    const d = differenceCI(rows, 'selfDeception', 'a', 'b', 3);
    expect(d.n).toBe(1);
    expect(d.mean).toBeCloseTo(0.2, 12);
    expect(d.hi - d.mean).toBeCloseTo(Z * 0.05, 12);
    expect(d.mean - d.lo).toBeCloseTo(Z * 0.05, 12);
    const noSe = differenceCI([rows[0], row('b', 3, 7, { selfDeception: 0.1, selfDeceptionSe: undefined })], 'selfDeception', 'a', 'b', 3);
    expect(noSe.lo).toBe(noSe.hi);
    // change over generations, paired by seed, skipping a seed whose value is missing at one end
    const ch = changeCI(
      [row('a', 0, 1, { winRate: 0.5, winRateSe: 0.03 }), row('a', 2, 1, { winRate: 0.8, winRateSe: 0.04 }), row('a', 0, 2, { winRate: 0.5 }), row('a', 2, 2, { winRate: NaN })],
      'a', 'winRate', 0, 2,
    );
    expect(ch.n).toBe(1);
    expect(ch.mean).toBeCloseTo(0.3, 12);
    expect(ch.hi - ch.mean).toBeCloseTo(Z * 0.05, 12);
    const gone = changeCI([row('a', 0, 1, { winRate: NaN }), row('a', 2, 1, { winRate: 0.8 })], 'a', 'winRate', 0, 2);
    expect(gone.n).toBe(0);
  });

  it('clearlyAbove / clearlyBelow: strict at the bound; n ≥ 2 counts even with a zero-width interval', () => {
    const ci = (mean: number, lo: number, hi: number, n: number) => ({ mean, lo, hi, n });
    expect(clearlyAbove(ci(0.2, 0.1, 0.3, 2))).toBe(true);
    expect(clearlyAbove(ci(0.2, 0.1, 0.3, 2), 0.1)).toBe(false);
    expect(clearlyAbove(ci(0.2, 0.1, 0.3, 2), 0.0999)).toBe(true);
    expect(clearlyAbove(ci(0.2, 0, 0.3, 5))).toBe(false);
    expect(clearlyAbove(ci(0.2, 0.2, 0.2, 2))).toBe(true); // two equal seeds
    expect(clearlyAbove(ci(0.2, 0.2, 0.2, 1))).toBe(false); // one seed, no interval
    expect(clearlyAbove(ci(0.2, 0.1, 0.3, 1))).toBe(true); // one seed with a standard error
    expect(clearlyAbove(ci(0.2, 0.1, 0.3, 0))).toBe(false);
    expect(clearlyBelow(ci(-0.2, -0.3, -0.1, 2))).toBe(true);
    expect(clearlyBelow(ci(-0.2, -0.3, -0.1, 2), 0.1)).toBe(false);
    expect(clearlyBelow(ci(-0.2, -0.3, -0.1, 2), 0.0999)).toBe(true);
    expect(clearlyBelow(ci(-0.2, -0.3, 0, 2))).toBe(false);
    expect(clearlyBelow(ci(-0.2, -0.2, -0.2, 2))).toBe(true);
    expect(clearlyBelow(ci(-0.2, -0.2, -0.2, 1))).toBe(false);
    expect(clearlyBelow(ci(-0.2, -0.3, -0.1, 1))).toBe(true);
    expect(clearlyBelow(ci(-0.2, -0.3, -0.1, 0))).toBe(false);
  });

  it('formatInterval: sign always shown, the given digits, and no interval spelled out', () => {
    expect(formatInterval({ mean: 0.12, lo: 0.05, hi: 0.19, n: 3 })).toBe('+0.120 [+0.050, +0.190]');
    expect(formatInterval({ mean: -0.5, lo: -1, hi: 0, n: 3 }, 1)).toBe('-0.5 [-1.0, +0.0]');
    expect(formatInterval({ mean: 0, lo: 0, hi: 0, n: 1 })).toBe('+0.000 (no interval)');
    expect(formatInterval({ mean: -2, lo: -2, hi: -2, n: 4 }, 2)).toBe('-2.00 (no interval)');
    expect(formatInterval({ mean: NaN, lo: NaN, hi: NaN, n: 0 })).toBe('–');
  });
});
