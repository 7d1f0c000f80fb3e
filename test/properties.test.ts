/**
 * Property tests (fast-check) for the statistics helpers, the Bradley–Terry fit, config
 * validation, the run-folder path checks and whole episodes up to truncation. The generators
 * include NaN, ±∞, the bounds of every range and long episodes.
 */
import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELO_SCALE, eloExpected, fitBradleyTerry, type RatedGame } from '../agents/rating.ts';
import { aggregate, digamma, gaussianW1, histogram, logGamma, meanCI, normalCdf, tQuantile975, trigamma, w1Sorted } from '../lab/stats.ts';
import { parseExperiment } from '../lab/config.ts';
import { ConfigError } from '../sim/errors.ts';
import { Rng } from '../sim/rng.ts';
import { duelDef } from '../sim/duel.ts';
import { hockeyDef } from '../sim/hockey.ts';
import { checkRelativePath } from '../electron/run-folder.ts';
import { isSafeRunPath as isRunPath } from '../lab/bundle.ts';
import type { Scenario, Vec } from '../sim/types.ts';

const RUNS = { numRuns: 200 };
/** any double, NaN and ±∞ included */
const anyDouble = fc.double();
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const finiteArray = fc.array(finite, { minLength: 1, maxLength: 40 });
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('statistics helpers', () => {
  it('meanCI ignores NaN and ±∞, and the interval holds the mean within the data range', () => {
    fc.assert(
      fc.property(fc.array(anyDouble, { maxLength: 40 }), (xs) => {
        const fin = xs.filter(Number.isFinite).filter((x) => Math.abs(x) < 1e150);
        if (fin.length !== xs.filter(Number.isFinite).length) return; // sums of huge values overflow: out of scope
        const c = meanCI(xs);
        expect(c).toEqual(meanCI(fin));
        expect(c.n).toBe(fin.length);
        if (fin.length === 0) {
          expect(Number.isNaN(c.mean) && Number.isNaN(c.lo) && Number.isNaN(c.hi)).toBe(true);
          return;
        }
        const lo = Math.min(...fin);
        const hi = Math.max(...fin);
        const tol = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
        expect(c.mean).toBeGreaterThanOrEqual(lo - tol);
        expect(c.mean).toBeLessThanOrEqual(hi + tol);
        expect(c.lo).toBeLessThanOrEqual(c.mean);
        expect(c.hi).toBeGreaterThanOrEqual(c.mean);
        // symmetric around the mean
        expect(Math.abs(c.hi - c.mean - (c.mean - c.lo))).toBeLessThanOrEqual(1e-9 * Math.max(1, c.hi - c.lo, Math.abs(c.mean)));
      }),
      RUNS,
    );
  });

  it('meanCI: the half-width is t(n−1) · sd / √n, and shifts move the interval', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 2, maxLength: 30 }), fc.double({ min: -1000, max: 1000, noNaN: true }), (xs, c) => {
        const n = xs.length;
        const mean = xs.reduce((a, b) => a + b, 0) / n;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
        const r = meanCI(xs);
        expect(r.mean).toBeCloseTo(mean, 6);
        expect(r.hi - r.mean).toBeCloseTo(tQuantile975(n - 1) * (sd / Math.sqrt(n)), 6);
        const s = meanCI(xs.map((x) => x + c));
        expect(s.mean).toBeCloseTo(r.mean + c, 6);
        expect(s.hi - s.lo).toBeCloseTo(r.hi - r.lo, 6);
      }),
      RUNS,
    );
  });

  it('tQuantile975 decreases toward 1.95996 and is NaN below 1 or for NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), (df) => {
        expect(tQuantile975(df)).toBeGreaterThan(tQuantile975(df + 1));
        expect(tQuantile975(df)).toBeGreaterThan(1.959963984540054);
      }),
      RUNS,
    );
    // the table and the series meet smoothly at 30 → 31
    expect(tQuantile975(30) - tQuantile975(31)).toBeLessThan(0.004);
    for (const df of [0, 0.5, -1, NaN, -Infinity]) expect(Number.isNaN(tQuantile975(df))).toBe(true);
  });

  it('aggregate counts every finite value once, in its lineage × generation', () => {
    const row = fc.record({ lineage: fc.constantFrom('a', 'b', 'c'), generation: fc.integer({ min: 0, max: 4 }), seed: fc.integer({ min: 0, max: 3 }), v: fc.oneof(anyDouble, fc.constant(null)) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const agg = aggregate(rows, 'v');
        const finiteRows = rows.filter((r) => typeof r.v === 'number' && Number.isFinite(r.v));
        expect(agg.reduce((s, a) => s + a.n, 0)).toBe(finiteRows.length);
        for (const a of agg) {
          const xs = finiteRows.filter((r) => r.lineage === a.lineage && r.generation === a.generation).map((r) => r.v as number);
          expect(a).toEqual({ lineage: a.lineage, generation: a.generation, ...meanCI(xs) });
        }
        // lineages in order of first appearance (among finite rows), generations ascending
        const order = [...new Set(finiteRows.map((r) => r.lineage))];
        expect([...new Set(agg.map((a) => a.lineage))]).toEqual(order);
        for (const l of order) {
          const gens = agg.filter((a) => a.lineage === l).map((a) => a.generation);
          expect(gens).toEqual(sorted(gens));
        }
      }),
      RUNS,
    );
  });

  it('w1Sorted is a metric: zero on itself, symmetric, |c| for a shift, triangle inequality, mean |a−b| for equal sizes', () => {
    fc.assert(
      fc.property(finiteArray, finiteArray, finiteArray, finite, (x, y, z, c) => {
        const [a, b, d] = [sorted(x), sorted(y), sorted(z)];
        const tol = 1e-6 * (1 + Math.max(...[...a, ...b, ...d, c].map(Math.abs)));
        expect(w1Sorted(a, a)).toBe(0);
        expect(w1Sorted(a, b)).toBeGreaterThanOrEqual(0);
        expect(Math.abs(w1Sorted(a, b) - w1Sorted(b, a))).toBeLessThanOrEqual(tol);
        expect(Math.abs(w1Sorted(a, a.map((v) => v + c)) - Math.abs(c))).toBeLessThanOrEqual(tol);
        expect(w1Sorted(a, d)).toBeLessThanOrEqual(w1Sorted(a, b) + w1Sorted(b, d) + tol);
        const m = Math.min(a.length, b.length);
        const [a2, b2] = [a.slice(0, m), b.slice(0, m)];
        const direct = a2.reduce((s, v, i) => s + Math.abs(v - b2[i]), 0) / m;
        expect(Math.abs(w1Sorted(a2, b2) - direct)).toBeLessThanOrEqual(tol);
        // repeating every sample k times changes nothing
        const twice = sorted([...a, ...a]);
        expect(Math.abs(w1Sorted(twice, b) - w1Sorted(a, b))).toBeLessThanOrEqual(tol);
      }),
      RUNS,
    );
    expect(Number.isNaN(w1Sorted([], [1]))).toBe(true);
  });

  it('histogram counts each value once: NaN never, ±∞ and out-of-range only when clamped', () => {
    const edgesArb = fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 8 }).map(sorted);
    const values = fc.array(fc.oneof(fc.double({ min: -60, max: 60 }), fc.constantFrom(NaN, Infinity, -Infinity, -50, 50, 0)), { maxLength: 60 });
    fc.assert(
      fc.property(edgesArb, values, (edges, vs) => {
        const lo = edges[0];
        const hi = edges[edges.length - 1];
        const inRange = vs.filter((v) => v >= lo && v <= hi);
        const plain = histogram(vs, edges);
        expect(plain.reduce((a, b) => a + b, 0)).toBe(inRange.length);
        const clamped = histogram(vs, edges, { clamp: true });
        expect(clamped.reduce((a, b) => a + b, 0)).toBe(vs.filter((v) => !Number.isNaN(v)).length);
        // each bin by a linear scan, the last bin closed on the right
        for (let i = 0; i < edges.length - 1; i++) {
          const last = i === edges.length - 2;
          const want = inRange.filter((v) => v >= edges[i] && (last ? v <= edges[i + 1] : v < edges[i + 1])).length;
          expect(plain[i]).toBe(want);
        }
        expect(clamped[0] - plain[0]).toBe(vs.filter((v) => v < lo).length + (edges.length === 2 ? vs.filter((v) => v > hi).length : 0));
      }),
      RUNS,
    );
    expect(() => histogram([1], [0])).toThrow(RangeError);
    expect(() => histogram([1], [0, 0])).toThrow(RangeError);
    expect(() => histogram([1], [0, NaN])).toThrow(RangeError);
  });

  it('special functions satisfy their recurrences; the normal CDF is monotone and symmetric', () => {
    const pos = fc.double({ min: 0.05, max: 200, noNaN: true });
    fc.assert(
      fc.property(pos, (x) => {
        expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 9);
        expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 9);
        expect((trigamma(x) - trigamma(x + 1)) * x * x).toBeCloseTo(1, 8);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (x, d) => {
        expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 7);
        expect(normalCdf(x + d)).toBeGreaterThanOrEqual(normalCdf(x) - 1e-7);
        expect(normalCdf(x)).toBeGreaterThanOrEqual(0);
        expect(normalCdf(x)).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(Number.isNaN(normalCdf(NaN))).toBe(true);
  });

  it('gaussianW1 is symmetric, at least the mean gap and √(2/π)·|σ gap|, and |Δμ| for equal σ', () => {
    const m = fc.double({ min: -100, max: 100, noNaN: true });
    // σ from 0 up, denormals included (a collapsed variance)
    const s = fc.oneof(fc.double({ min: 0, max: 50, noNaN: true }), fc.constantFrom(5e-324, 1e-170, Number.MIN_VALUE * 8));
    fc.assert(
      fc.property(m, s, m, s, (m1, s1, m2, s2) => {
        const w = gaussianW1(m1, s1, m2, s2);
        expect(w).toBeCloseTo(gaussianW1(m2, s2, m1, s1), 6);
        expect(w).toBeGreaterThanOrEqual(Math.abs(m1 - m2) - 1e-6);
        expect(w).toBeGreaterThanOrEqual(Math.sqrt(2 / Math.PI) * Math.abs(s1 - s2) - 1e-6);
        // W1 ≤ |Δμ| + |Δσ|·E|Z|
        expect(w).toBeLessThanOrEqual(Math.abs(m1 - m2) + Math.sqrt(2 / Math.PI) * Math.abs(s1 - s2) + 1e-6);
        expect(gaussianW1(m1, s1, m2, s1)).toBeCloseTo(Math.abs(m1 - m2), 9);
      }),
      RUNS,
    );
  });
});

describe('Bradley–Terry fit', () => {
  const names = ['p0', 'p1', 'p2', 'p3', 'p4'];
  const gamesArb = fc.array(
    fc.record({ a: fc.integer({ min: 0, max: 4 }), b: fc.integer({ min: 0, max: 4 }), score: fc.constantFrom(0, 0.5, 1, 0.25) }).filter((g) => g.a !== g.b),
    { maxLength: 40 },
  ).map((gs) => gs.map((g) => ({ a: names[g.a], b: names[g.b], score: g.score })));

  it('is invariant to the order of players and games, and to writing a game from the other side', () => {
    fc.assert(
      fc.property(gamesArb, fc.integer({ min: 0, max: 1000 }), (games, seed) => {
        const base = fitBradleyTerry(names, games, { anchor: 'p0' });
        const rng = new Rng(seed);
        const shuffled = <T,>(xs: T[]) => {
          const c = [...xs];
          for (let i = c.length - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            [c[i], c[j]] = [c[j], c[i]];
          }
          return c;
        };
        const flipped: RatedGame[] = games.map((g, i) => (i % 2 ? { a: g.b, b: g.a, score: 1 - g.score } : g));
        const other = fitBradleyTerry(shuffled(names), shuffled(flipped), { anchor: 'p0' });
        for (const p of names) expect(other[p]).toBeCloseTo(base[p], 4);
      }),
      { numRuns: 100 },
    );
  });

  it('the anchor gets exactly its rating; another anchor only shifts every rating', () => {
    fc.assert(
      fc.property(gamesArb, fc.constantFrom(...names), fc.double({ min: -5000, max: 5000, noNaN: true }), (games, anchor, rating) => {
        const a = fitBradleyTerry(names, games, { anchor: 'p0', anchorRating: 1000 });
        const b = fitBradleyTerry(names, games, { anchor, anchorRating: rating });
        expect(b[anchor]).toBe(rating);
        expect(a.p0).toBe(1000);
        const shift = b.p0 - a.p0;
        for (const p of names) expect(b[p] - a[p]).toBeCloseTo(shift, 6);
      }),
      { numRuns: 100 },
    );
  });

  it('is the maximum a posteriori: the gradient of the log posterior vanishes', () => {
    fc.assert(
      fc.property(gamesArb, fc.double({ min: 50, max: 2000, noNaN: true }), (games, prior) => {
        const R = fitBradleyTerry(names, games, { anchor: 'p2', prior });
        // natural units up to the anchor's shift; the prior makes Σ r = 0 at the optimum
        const rel = names.map((p) => (R[p] - R.p2) / ELO_SCALE);
        const c = -rel.reduce((s, x) => s + x, 0) / names.length;
        const r = Object.fromEntries(names.map((p, i) => [p, rel[i] + c]));
        const tau = 1 / (prior / ELO_SCALE) ** 2;
        for (const p of names) {
          let g = -tau * r[p];
          for (const game of games) {
            const e = eloExpected(R[game.a], R[game.b]);
            if (game.a === p) g += game.score - e;
            if (game.b === p) g -= game.score - e;
          }
          expect(Math.abs(g)).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('more wins never lower a rating (two players)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (w, l) => {
        const games = (wins: number): RatedGame[] => [
          ...Array.from({ length: wins }, () => ({ a: 'x', b: 'y', score: 1 })),
          ...Array.from({ length: l }, () => ({ a: 'x', b: 'y', score: 0 })),
        ];
        const r = fitBradleyTerry(['x', 'y'], games(w), { anchor: 'y' });
        const r2 = fitBradleyTerry(['x', 'y'], games(w + 1), { anchor: 'y' });
        expect(r2.x).toBeGreaterThan(r.x);
        expect(Math.sign(Math.round(r.x - 1000))).toBe(Math.sign(w - l));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects NaN, ±∞ and out-of-range scores, naming the game', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, -1e-9, 1 + 1e-9), fc.double({ min: 1.0000001, max: 1e9 })), fc.integer({ min: 0, max: 3 }), (bad, k) => {
        const games: RatedGame[] = Array.from({ length: 4 }, (_, i) => ({ a: 'p0', b: 'p1', score: i === k ? bad : 1 }));
        let err: unknown;
        try {
          fitBradleyTerry(names, games, { anchor: 'p0' });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).path).toBe(`games[${k}].score`);
      }),
      { numRuns: 50 },
    );
    expect(() => fitBradleyTerry(names, [], { anchor: 'p0', anchorRating: NaN })).toThrow(ConfigError);
    expect(() => fitBradleyTerry(names, [], { anchor: 'p0', prior: Infinity })).toThrow(ConfigError);
    expect(() => fitBradleyTerry(names, [], { anchor: 'nobody' })).toThrow(ConfigError);
  });
});

describe('config validation', () => {
  // every numeric field: [path, min, max, integer, exclusive min, exclusive max]
  const fields: [string, number, number, boolean, boolean, boolean][] = [
    ['generations', 1, 200, true, false, false],
    ['d0.episodes', 8, 100000, true, false, false],
    ['d0.testFraction', 0, 1, false, true, true],
    ['model.components', 1, 8, true, false, false],
    ['training.epochs', 1, 500, true, false, false],
    ['training.batchSize', 8, 4096, true, false, false],
    ['training.lr', 0, 1, false, true, false],
    ['training.outcomeWeight', 0, 5, false, false, false],
    ['training.maxUpdates', 1, 1000000, true, false, false],
    ['evaluation.panelGames', 2, 2000, true, false, false],
    ['evaluation.roundRobinGames', 0, 200, true, false, false],
    ['evaluation.selfPlayEpisodes', 2, 5000, true, false, false],
    ['lineages[0].realFraction', 0, 1, false, false, false],
    ['lineages[0].temperature', 0, 5, false, true, false],
    ['lineages[0].episodes', 4, 20000, true, false, false],
    ['lineages[0].window', 0, 20, true, false, false],
  ];
  const valueArb = fc.oneof(
    anyDouble,
    fc.integer({ min: -10, max: 300000 }),
    fc.constantFrom(...fields.flatMap(([, lo, hi]) => [lo, hi, lo - 1, hi + 1, lo - 1e-9, hi + 1e-9])),
  );

  it('accepts a value exactly when it is in range, and otherwise names the field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), valueArb, ([path, lo, hi, integer, exLo, exHi], v) => {
        const raw: Record<string, unknown> = { name: 't', scenario: 'duel', seeds: [1], generations: 1, lineages: [{ name: 'g', recipe: 'grounded' }] };
        const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
        let o = raw as Record<string, unknown>;
        for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
        o[keys[keys.length - 1]] = v;
        const ok = Number.isFinite(v) && (exLo ? v > lo : v >= lo) && (exHi ? v < hi : v <= hi) && (!integer || Number.isInteger(v));
        let err: unknown = null;
        try {
          parseExperiment(raw);
        } catch (e) {
          err = e;
        }
        if (ok) expect(err).toBeNull();
        else {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).path).toBe(path);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('never throws anything but a ConfigError, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          parseExperiment(v);
        } catch (e) {
          expect(e).toBeInstanceOf(ConfigError);
        }
      }),
      RUNS,
    );
  });
});

describe('run-folder path checks', () => {
  const segment = fc.oneof(fc.constantFrom('..', '.', '', 'a', 'metrics.jsonl', 'g1.json', 'C:', 'x\\y', 'a\0b', ' '), fc.string({ maxLength: 6 }));
  const pathArb = fc.oneof(fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')), fc.string({ maxLength: 20 }));
  const accepted = (p: string) => {
    try {
      return checkRelativePath(p);
    } catch {
      return null;
    }
  };

  it('an accepted path stays inside the folder, and the app and the main process agree', () => {
    fc.assert(
      fc.property(pathArb, (p) => {
        const segs = accepted(p);
        expect(segs !== null).toBe(isRunPath(p));
        if (segs === null) return;
        expect(segs.join('/')).toBe(p);
        const resolved = posix.resolve('/root/run', p);
        expect(resolved.startsWith('/root/run/')).toBe(true);
        expect(posix.relative('/root/run', resolved).split('/')).not.toContain('..');
      }),
      { numRuns: 500 },
    );
  });

  it('rejects what could escape, by table', () => {
    for (const bad of ['..', '../x', 'a/../../b', '/etc/passwd', 'C:/x', 'c:x', 'a\\b', 'a//b', './a', 'a/.', '', 'a\0']) {
      expect(accepted(bad)).toBeNull();
      expect(isRunPath(bad)).toBe(false);
    }
    for (const good of ['metrics.jsonl', 'checkpoints/s1/g0.json', 'a..b', '.hidden', 'x/y.z']) {
      expect(accepted(good)).toEqual(good.split('/'));
      expect(isRunPath(good)).toBe(true);
    }
  });
});

describe('whole episodes up to truncation', () => {
  /** actions that are sometimes far out of range (clipped) */
  const actionArb = fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), { minLength: 1, maxLength: 8 });

  function runToEnd(sim: Scenario, seed: number, actions: [number, number][]) {
    let r = sim.reset(seed);
    let steps = 0;
    for (;;) {
      const a = actions[steps % actions.length];
      const s = sim.step([a as Vec, [-a[0], a[1]]]);
      steps++;
      for (const o of s.observations) for (const x of o) expect(Number.isFinite(x)).toBe(true);
      if (s.terminated || s.truncated) return { s, steps, r };
      r = { observations: s.observations, info: s.info } as typeof r;
    }
  }

  it('hockey: an episode ends by a goal or is truncated at exactly maxSteps, never later', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 200 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), actionArb, (maxSteps, seed, actions) => {
        const sim = hockeyDef.create({ maxSteps, frameSkip: 1 });
        const { s, steps } = runToEnd(sim, seed, actions);
        expect(steps).toBeLessThanOrEqual(maxSteps);
        if (s.truncated) {
          expect(steps).toBe(maxSteps);
          expect(s.terminated).toBe(false);
          expect(s.info.winner).toBe(-1);
          expect(s.rewards).toEqual([0, 0]);
        } else {
          expect([0, 1]).toContain(s.info.winner);
          expect(s.rewards[s.info.winner as 0 | 1]).toBe(1);
        }
        expect(() => sim.step([[0, 0], [0, 0]])).toThrow();
      }),
      { numRuns: 12 },
    );
  });

  it('duel: at most 2 × shotsPerPlayer steps; NaN or ±∞ in an action is refused naming it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), actionArb, (shots, seed, actions) => {
        const sim = duelDef.create({ shotsPerPlayer: shots });
        const { s, steps } = runToEnd(sim, seed, actions);
        expect(steps).toBeLessThanOrEqual(2 * shots);
        if (s.truncated) expect(steps).toBe(2 * shots);
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(fc.constantFrom(NaN, Infinity, -Infinity), fc.integer({ min: 0, max: 3 }), (bad, k) => {
        for (const sim of [duelDef.create(), hockeyDef.create()]) {
          sim.reset(1);
          const acts: [Vec, Vec] = [
            [0, 0],
            [0, 0],
          ];
          acts[k >> 1][k & 1] = bad;
          expect(() => sim.step(acts)).toThrow(ConfigError);
        }
      }),
      { numRuns: 24 },
    );
  });
});
