/**
 * lab/checks.ts, exactly: every expectation kind and direction on hand-made rows whose 95%
 * intervals are known without computing them — every seed changes by the same amount, so the
 * interval over seeds is that one number (zero width) — including the boundaries (`>=` vs `>`),
 * missing values, `minus` and `at: first`. Fast (no experiment run).
 */
import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from '../lab/checks.ts';
import type { Expectation } from '../lab/config.ts';
import type { MetricsRow } from '../lab/types.ts';

type Row = { seed: number; lineage: string; generation: number } & Record<string, number | string>;
const asRows = (rs: Row[]) => rs.map((r) => ({ kind: 'generation', ...r }) as unknown as MetricsRow);
/** three seeds; metric `m` is `from` at generation 0 and `from + change` at generation 2 */
function lineage(name: string, from: number, change: number, extra: Record<string, number> = {}): Row[] {
  return [1, 2, 3].flatMap((seed) => [0, 1, 2].map((generation) => ({ seed, lineage: name, generation, m: generation === 2 ? from + change : from, ...extra })));
}
const ex = (e: Record<string, unknown>) => e as unknown as Expectation;
const trend = (direction: string, by: number, interval: boolean) => ex({ kind: 'trend', lineage: 'a', metric: 'm', direction, by, interval });
const check = (e: Expectation, rows: Row[]) => evaluateExpectations([e], asRows(rows))[0];

describe('expectations, exactly', () => {
  it('trend with interval: each direction at its boundary (change −0.25 or +0.25 on every seed, by 0.25)', () => {
    const down = lineage('a', 0.5, -0.25);
    const up = lineage('a', 0.5, 0.25);
    // flat-or-up: lo >= −by holds at equality; up needs lo > by
    expect(check(trend('flat-or-up', 0.25, true), down).ok).toBe(true);
    expect(check(trend('flat-or-up', 0.125, true), down).ok).toBe(false);
    expect(check(trend('flat-or-down', 0.25, true), up).ok).toBe(true);
    expect(check(trend('flat-or-down', 0.125, true), up).ok).toBe(false);
    expect(check(trend('up', 0.25, true), up).ok).toBe(false);
    expect(check(trend('up', 0.125, true), up).ok).toBe(true);
    expect(check(trend('up', 0, true), down).ok).toBe(false);
    // down: hi < −by
    expect(check(trend('down', 0.25, true), down).ok).toBe(false);
    expect(check(trend('down', 0.125, true), down).ok).toBe(true);
    expect(check(trend('down', 0, true), up).ok).toBe(false);
    expect(check(trend('flat-or-up', 0, true), up).ok).toBe(true);
    expect(check(trend('flat-or-down', 0, true), down).ok).toBe(true);
  });

  it('trend: its name, and its detail with the change over seeds', () => {
    const r = check(trend('up', 0.125, true), lineage('a', 0.5, 0.25));
    expect(r.name).toBe('a: m up (by 0.125) (95% interval)');
    expect(r.detail).toBe('generation 0: 0.500 → generation 2: 0.750 (change +0.250); change over seeds +0.250 (no interval)');
    const plain = check(trend('down', 0, false), lineage('a', 0.5, -0.25));
    expect(plain).toEqual({ name: 'a: m down', ok: true, detail: 'generation 0: 0.500 → generation 2: 0.250 (change -0.250)' });
  });

  it('trend without interval compares the means strictly, with `by`', () => {
    const up = lineage('a', 0.5, 0.25);
    expect(check(trend('up', 0.25, false), up).ok).toBe(false);
    expect(check(trend('up', 0.125, false), up).ok).toBe(true);
    expect(check(trend('flat-or-down', 0.25, false), up).ok).toBe(true);
    expect(check(trend('flat-or-down', 0.125, false), up).ok).toBe(false);
  });

  it('trend and order say so when a lineage has no values', () => {
    const rows = lineage('b', 0.5, 0.25);
    expect(check(trend('up', 0, true), rows)).toEqual({ name: 'a: m up (95% interval)', ok: false, detail: 'no m values for a' });
    const order = ex({ kind: 'order', metric: 'm', higher: 'a', lower: 'b', by: 0, interval: true });
    expect(check(order, rows)).toEqual({ name: 'm: a > b at generation 2 (95% interval)', ok: false, detail: 'no m values at generation 2' });
    const reversed = ex({ kind: 'order', metric: 'm', higher: 'b', lower: 'a', by: 0, interval: false });
    expect(check(reversed, rows).ok).toBe(false);
  });

  it('order: the difference over seeds must clear `by`', () => {
    const rows = [...lineage('a', 0.5, 0.25), ...lineage('b', 0.5, 0)];
    const order = (by: number, interval: boolean) => check(ex({ kind: 'order', metric: 'm', higher: 'a', lower: 'b', by, interval }), rows);
    expect(order(0.125, true)).toEqual({ name: 'm: a > b at generation 2 (by 0.125) (95% interval)', ok: true, detail: 'a 0.750 vs b 0.500; difference over seeds +0.250 (no interval)' });
    expect(order(0.25, true).ok).toBe(false);
    expect(order(0.25, false).ok).toBe(false);
    expect(order(0.125, false)).toEqual({ name: 'm: a > b at generation 2 (by 0.125)', ok: true, detail: 'a 0.750 vs b 0.500' });
  });

  it('level: above/below a value at the first or last generation, optionally minus another metric', () => {
    const rows = lineage('a', 0.5, 0.25, { base: 0.125 });
    const level = (e: Record<string, unknown>) => check(ex({ kind: 'level', lineage: 'a', metric: 'm', at: 'last', ...e }), rows);
    expect(level({ direction: 'above', value: 0.5 })).toEqual({ name: 'a: m above 0.5 at generation 2 (95% interval)', ok: true, detail: 'm +0.750 (no interval)' });
    expect(level({ direction: 'above', value: 0.75 }).ok).toBe(false);
    expect(level({ direction: 'above', value: 0.5, at: 'first' })).toEqual({ name: 'a: m above 0.5 at generation 0 (95% interval)', ok: false, detail: 'm +0.500 (no interval)' });
    expect(level({ direction: 'above', value: 0.25, at: 'first' }).ok).toBe(true);
    expect(level({ direction: 'above', value: 0.5, minus: 'base' })).toEqual({ name: 'a: m − base above 0.5 at generation 2 (95% interval)', ok: true, detail: 'm − base +0.625 (no interval)' });
    expect(level({ direction: 'above', value: 0.625, minus: 'base' }).ok).toBe(false);
    // below: the whole interval under `value`, strictly
    expect(level({ direction: 'below', value: 0.875 }).ok).toBe(true);
    expect(level({ direction: 'below', value: 0.75 }).ok).toBe(false);
    expect(level({ direction: 'below', value: -0.875 }).ok).toBe(false);
    expect(check(ex({ kind: 'level', lineage: 'z', metric: 'm', at: 'last', direction: 'above', value: 0 }), rows)).toEqual({
      name: 'z: m above 0 at generation 2 (95% interval)',
      ok: false,
      detail: 'no m values for z',
    });
  });

  it('skips values that are not finite numbers when averaging', () => {
    const rows: Row[] = [...lineage('a', 0.5, 0.25), { seed: 9, lineage: 'a', generation: 2, m: 'x' }];
    expect(check(trend('up', 0, false), rows).detail).toBe('generation 0: 0.500 → generation 2: 0.750 (change +0.250)');
  });
});
