import { describe, expect, it } from 'vitest';
import { maxOf, minOf, pushAll } from '../sim/arrays.ts';

describe('sim/arrays: maxOf, minOf, pushAll (exact)', () => {
  it('maxOf: the largest value, -Infinity for an empty list, NaN as soon as one value is NaN', () => {
    expect(maxOf([3, -7, 11, 2])).toBe(11);
    expect(maxOf([-5, -2, -9])).toBe(-2);
    expect(maxOf([4])).toBe(4);
    expect(maxOf([])).toBe(-Infinity);
    expect(maxOf(new Float64Array([1.5, 9.25, -3]))).toBe(9.25);
    expect(maxOf([1, NaN, 3])).toBeNaN();
    expect(maxOf([NaN])).toBeNaN();
    expect(maxOf([-Infinity, -Infinity])).toBe(-Infinity);
    expect(maxOf([2, Infinity, 5])).toBe(Infinity);
    // the last item counts too
    expect(maxOf([1, 2, 30])).toBe(30);
  });

  it('maxOf/minOf keep the first of two equal values (0 and -0 tell them apart)', () => {
    expect(Object.is(maxOf([0, -0]), 0)).toBe(true);
    expect(Object.is(maxOf([-0, 0]), -0)).toBe(true);
    expect(Object.is(minOf([0, -0]), 0)).toBe(true);
    expect(Object.is(minOf([-0, 0]), -0)).toBe(true);
  });

  it('minOf: the smallest value, Infinity for an empty list, NaN as soon as one value is NaN', () => {
    expect(minOf([3, -7, 11, 2])).toBe(-7);
    expect(minOf([5, 2, 9])).toBe(2);
    expect(minOf([4])).toBe(4);
    expect(minOf([])).toBe(Infinity);
    expect(minOf(new Float32Array([1.5, -9.25, 3]))).toBe(-9.25);
    expect(minOf([1, NaN, -3])).toBeNaN();
    expect(minOf([NaN])).toBeNaN();
    expect(minOf([Infinity, Infinity])).toBe(Infinity);
    expect(minOf([2, -Infinity, 5])).toBe(-Infinity);
    expect(minOf([10, 20, -30])).toBe(-30);
  });

  it('maxOf/minOf handle far more items than a spread call could pass', () => {
    const n = 300_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = (i * 7919) % n;
    expect(maxOf(xs)).toBe(n - 1);
    expect(minOf(xs)).toBe(0);
  });

  it('pushAll appends every item in order and returns the same target array', () => {
    const target = [1, 2];
    const out = pushAll(target, [3, 4, 5]);
    expect(out).toBe(target);
    expect(target).toEqual([1, 2, 3, 4, 5]);
    expect(pushAll([] as string[], new Set(['a', 'b']))).toEqual(['a', 'b']);
    expect(pushAll([9], [])).toEqual([9]);
  });
});
