/**
 * Small units whose mutants survived the first mutation run (issue 11): the random generator
 * against a reference sfc32 written here, spaces and ConfigError by exact tables.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng.ts';
import { box, checkAction, clipToSpace, inSpace } from '../sim/space.ts';
import { ConfigError } from '../sim/errors.ts';
import { evaluateExpectations } from '../lab/checks.ts';
import type { MetricsRow } from '../lab/types.ts';

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), from its published definition. */
function sfc32(state: readonly [number, number, number, number]) {
  let [a, b, c, d] = state;
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + ((c << 3) >>> 0)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
}

describe('Rng', () => {
  it('is sfc32: the next 2000 outputs from any state match the reference', () => {
    for (const rng of [new Rng(1), new Rng(123456, 'physics', 3), new Rng('a string seed')]) {
      const ref = sfc32(rng.state());
      for (let i = 0; i < 2000; i++) expect(rng.nextUint32()).toBe(ref());
    }
  });

  it('discards 12 outputs after seeding (the counter starts at 1)', () => {
    expect(new Rng(7).state()[3]).toBe(13);
    expect(new Rng(7, 'x').state()[3]).toBe(13);
  });

  it('float is nextUint32 / 2^32, int floors, uniform scales', () => {
    const a = new Rng(3);
    const ref = sfc32(a.state());
    for (let i = 0; i < 50; i++) {
      expect(a.float()).toBe(ref() / 4294967296);
      const u = ref() / 4294967296;
      expect(a.int(7)).toBe(Math.floor(u * 7));
    }
  });

  it('normal is the polar Box–Muller method and returns its second value on the next call', () => {
    const rng = new Rng(11);
    const ref = sfc32(rng.state());
    const f = () => ref() / 4294967296;
    for (let k = 0; k < 200; k++) {
      let u: number, v: number, s: number;
      do {
        u = f() * 2 - 1;
        v = f() * 2 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      expect(rng.normal()).toBe(u * m);
      expect(rng.normal()).toBe(v * m);
    }
    // setState drops a cached spare value
    const r = new Rng(5);
    r.normal();
    const st = r.state();
    const again = new Rng(99);
    again.setState(st);
    r.setState(st);
    expect(r.normal()).toBe(again.normal());
  });

  it('categorical follows the weights and never picks a zero weight', () => {
    const rng = new Rng(2);
    const counts = [0, 0, 0, 0];
    const n = 8000;
    for (let i = 0; i < n; i++) counts[rng.categorical([0, 2, 0, 6])]++;
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    expect(Math.abs(counts[1] / n - 0.25)).toBeLessThan(0.02);
    expect(rng.categorical([5])).toBe(0);
  });

  it('shuffle is a uniform permutation (Fisher–Yates)', () => {
    const rng = new Rng(4);
    const seen = new Map<string, number>();
    const n = 6000;
    for (let i = 0; i < n; i++) {
      const k = rng.shuffle([0, 1, 2]).join('');
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    for (const c of seen.values()) expect(Math.abs(c - n / 6)).toBeLessThan(150);
    const one = [9];
    expect(rng.shuffle(one)).toBe(one);
    expect(rng.shuffle([])).toEqual([]);
  });
});

describe('spaces', () => {
  const clip = box(['fx', 'fy'], [-1, -2], [1, 2], true);
  const strict = box(['angle', 'power'], [-1, 0], [1, 1]);

  function err(f: () => unknown): ConfigError {
    try {
      f();
    } catch (e) {
      if (e instanceof ConfigError) return e;
      throw e;
    }
    throw new Error('no error');
  }

  it('box checks its lengths', () => {
    expect(() => box(['a'], [0, 1], [1])).toThrow('box: length mismatch');
    expect(box(['a'], [0], [1])).toEqual({ size: 1, names: ['a'], low: [0], high: [1], clip: false });
  });

  it('checkAction: exact messages for each kind of bad action', () => {
    const notArray = err(() => checkAction(clip, 'x'));
    expect(notArray.message).toBe('action: must be an array of numbers (allowed: 2 numbers: fx, fy)');
    const length = err(() => checkAction(clip, [1, 2, 3], 'player0'));
    expect(length.message).toBe('player0: has 3 values, expected 2 (allowed: fx, fy)');
    const nan = err(() => checkAction(clip, [0, NaN]));
    expect(nan.message).toBe('action.fy: is NaN, not a finite number (allowed: [-2, 2])');
    expect(err(() => checkAction(clip, [Infinity, 0])).path).toBe('action.fx');
    expect(err(() => checkAction(clip, ['1', 0])).path).toBe('action.fx');
    const range = err(() => checkAction(strict, [0.5, -0.1], 'p1'));
    expect(range.message).toBe('p1.power: is -0.1, out of range (allowed: [0, 1])');
    expect(err(() => checkAction(strict, [1.0001, 0.5])).path).toBe('action.angle');
  });

  it('checkAction: bounds are inside, beyond them a clipping space clips', () => {
    expect(checkAction(strict, [-1, 0])).toEqual([-1, 0]);
    expect(checkAction(strict, [1, 1])).toEqual([1, 1]);
    expect(checkAction(clip, [5, -5])).toEqual([1, -2]);
    expect(checkAction(clip, [-1.5, 2.5])).toEqual([-1, 2]);
    expect(checkAction(clip, Float32Array.of(0.25, -0.5))).toEqual([0.25, -0.5]);
    expect(checkAction(clip, Float64Array.of(3, 0))).toEqual([1, 0]);
    expect(checkAction(clip, [0.3, -1.7])).toHaveLength(2);
  });

  it('inSpace: a boundary table with the tolerance', () => {
    const table: [number[], boolean][] = [
      [[-1, -2], true],
      [[1, 2], true],
      [[-1 - 1e-10, 0], true],
      [[1 + 1e-10, 0], true],
      [[-1 - 1e-8, 0], false],
      [[1 + 1e-8, 0], false],
      [[0, -2 - 1e-8], false],
      [[0, 2 + 1e-8], false],
      [[NaN, 0], false],
      [[0, Infinity], false],
      [[0], false],
      [[0, 0, 0], false],
    ];
    for (const [v, ok] of table) expect(inSpace(clip, v), JSON.stringify(v)).toBe(ok);
    expect(inSpace(clip, [1.05, 0], 0.1)).toBe(true);
    expect(inSpace(clip, [1.05, 0], 0)).toBe(false);
  });

  it('clipToSpace clips to the bounds and maps non-finite values to 0', () => {
    expect(clipToSpace(clip, [9, -9])).toEqual([1, -2]);
    expect(clipToSpace(clip, [NaN, Infinity])).toEqual([0, 0]);
    expect(clipToSpace(strict, [-Infinity, -3])).toEqual([0, 0]);
  });

  it('ConfigError: name, fields and the message with and without allowed values', () => {
    const a = new ConfigError('x.y', 'is 3', '0..2');
    expect(a).toBeInstanceOf(Error);
    expect(a.name).toBe('ConfigError');
    expect([a.path, a.problem, a.allowed]).toEqual(['x.y', 'is 3', '0..2']);
    expect(a.message).toBe('x.y: is 3 (allowed: 0..2)');
    expect(new ConfigError('z', 'is missing').message).toBe('z: is missing');
  });
});

describe('expectation checks: names and details, exactly', () => {
  const rows = (lineage: string, metric: string, values: [generation: number, v: unknown][]) =>
    values.map(([generation, v], seed) => ({ lineage, generation, seed, [metric]: v })) as unknown as MetricsRow[];

  it('trend: the name carries `by` only when set; the detail shows both ends and the signed change', () => {
    const rs = rows('g', 'winRate', [
      [0, 0.25],
      [0, 'x'],
      [0, null],
      [0, NaN],
      [2, 0.5],
      [2, Infinity],
    ]);
    const [up, down] = evaluateExpectations(
      [
        { kind: 'trend', lineage: 'g', metric: 'winRate', direction: 'up', by: 0.1 },
        { kind: 'trend', lineage: 'g', metric: 'winRate', direction: 'down', by: 0 },
      ],
      rs,
    );
    // non-numbers and non-finite values are skipped, not averaged in
    expect(up).toEqual({ name: 'g: winRate up (by 0.1)', ok: true, detail: 'generation 0: 0.250 → generation 2: 0.500 (change +0.250)' });
    expect(down).toEqual({ name: 'g: winRate down', ok: false, detail: 'generation 0: 0.250 → generation 2: 0.500 (change +0.250)' });
    const [neg] = evaluateExpectations([{ kind: 'trend', lineage: 'g', metric: 'elo', direction: 'down', by: 0 }], rows('g', 'elo', [
      [0, 1100],
      [1, 99.5],
      [1, 100.5],
    ]));
    // |x| >= 100 prints without decimals; a fall has no '+'
    expect(neg.detail).toBe('generation 0: 1100 → generation 1: 100 (change -1000)');
    expect(neg.ok).toBe(true);
    const [zero] = evaluateExpectations([{ kind: 'trend', lineage: 'g', metric: 'm', direction: 'flat-or-up', by: 0 }], rows('g', 'm', [
      [0, 99.9996],
      [1, 99.9996],
    ]));
    // just below 100 keeps three decimals; no change counts as '+'
    expect(zero.detail).toBe('generation 0: 100.000 → generation 1: 100.000 (change +0.000)');
  });

  it('order: name and detail; a missing side fails with a reason', () => {
    const rs = [...rows('a', 'elo', [[0, 1], [3, 1250]]), ...rows('b', 'elo', [[3, 1000]])];
    const [r, s] = evaluateExpectations(
      [
        { kind: 'order', metric: 'elo', higher: 'a', lower: 'b', by: 100 },
        { kind: 'order', metric: 'elo', higher: 'b', lower: 'a', by: 0 },
      ],
      rs,
    );
    expect(r).toEqual({ name: 'elo: a > b at generation 3 (by 100)', ok: true, detail: 'a 1250 vs b 1000' });
    expect(s).toEqual({ name: 'elo: b > a at generation 3', ok: false, detail: 'b 1000 vs a 1250' });
    const [missing] = evaluateExpectations([{ kind: 'order', metric: 'elo', higher: 'a', lower: 'c', by: 0 }], rs);
    expect(missing).toEqual({ name: 'elo: a > c at generation 3', ok: false, detail: 'no elo values at generation 3' });
  });
});
