import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, hashString } from '../sim/rng.ts';
import { box, checkAction, clipToSpace, inSpace } from '../sim/space.ts';
import { ConfigError } from '../sim/errors.ts';

describe('Rng', () => {
  it('is reproducible from its seed and path, and streams differ', () => {
    const a = new Rng(42, 'x');
    const b = new Rng(42, 'x');
    const c = new Rng(42, 'y');
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
    expect(new Rng('seed').float()).toBe(new Rng('seed').float());
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });

  it('fork gives an independent stream: a new draw in one does not shift the other', () => {
    const parent1 = new Rng(7);
    const child1 = parent1.fork('physics');
    const parent2 = new Rng(7);
    const child2 = parent2.fork('physics');
    child2.float(); // extra draw in a sibling stream
    expect(parent1.float()).toBe(parent2.float());
    expect(child1.fork('x').float()).not.toBe(child1.float());
  });

  it('draws have the right ranges and moments', () => {
    const r = new Rng(1);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
    const counts = [0, 0, 0];
    for (let i = 0; i < 9000; i++) counts[r.categorical([1, 2, 6])]++;
    expect(counts[0] / 9000).toBeCloseTo(1 / 9, 1);
    expect(counts[2] / 9000).toBeCloseTo(6 / 9, 1);
    const ints = new Set(Array.from({ length: 500 }, () => r.int(5)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('shuffle permutes, and state()/setState() resume a stream exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.array(fc.integer(), { maxLength: 30 }), (seed, xs) => {
        const r = new Rng(seed);
        const sh = r.shuffle([...xs]);
        expect([...sh].sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b));
        const st = r.state();
        const next = r.nextUint32();
        r.setState(st);
        expect(r.nextUint32()).toBe(next);
      }),
      { numRuns: 50 },
    );
  });
});

describe('spaces', () => {
  const clipped = box(['angle', 'power'], [-1, -1], [1, 1], true);
  const strict = box(['fx'], [-2], [2], false);

  it('rejects NaN, infinities, wrong lengths and non-arrays, naming the field', () => {
    expect(() => checkAction(clipped, [NaN, 0], 'actions[0]')).toThrow(/actions\[0\]\.angle.*\[-1, 1\]/);
    expect(() => checkAction(clipped, [0, Infinity], 'actions[1]')).toThrow(/actions\[1\]\.power/);
    expect(() => checkAction(clipped, [0], 'a')).toThrow(ConfigError);
    expect(() => checkAction(clipped, 'left', 'a')).toThrow(/array of numbers/);
  });

  it('clips where the space says so and rejects out-of-range values where it does not', () => {
    expect(checkAction(clipped, [3, -0.5])).toEqual([1, -0.5]);
    expect(() => checkAction(strict, [2.5], 'actions[0]')).toThrow(/actions\[0\]\.fx: is 2.5, out of range \(allowed: \[-2, 2\]\)/);
    expect(inSpace(clipped, [1, -1])).toBe(true);
    expect(inSpace(clipped, [1.1, 0])).toBe(false);
    expect(clipToSpace(clipped, [NaN, 9])).toEqual([0, 1]);
  });
});
