/**
 * agents/exact-math.ts: exp, log and log1p from basic IEEE operations, so Elo fits give the same
 * bits in Node and in Chromium (whose Math.exp / Math.log1p differ from Node's in the last bit).
 * Checked against closed forms and against the engine's own functions to within two ulps.
 */
import { describe, expect, it } from 'vitest';
import { exp, log, log1p } from '../agents/exact-math.ts';

/** |a − b| in units of b's last place. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const ulp = Math.abs(b) * Number.EPSILON || Number.MIN_VALUE;
  return Math.abs(a - b) / ulp;
}

describe('exact-math', () => {
  it('has the closed-form values and edge cases', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(ulps(exp(1), Math.E)).toBeLessThanOrEqual(1);
    expect(exp(800)).toBe(Infinity);
    expect(exp(-800)).toBe(0);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(NaN)).toBeNaN();
    expect(exp(-740)).toBeGreaterThan(0); // subnormal results
    expect(log(1)).toBe(0);
    expect(ulps(log(Math.E), 1)).toBeLessThanOrEqual(1);
    expect(ulps(log(2), Math.LN2)).toBeLessThanOrEqual(1);
    expect(ulps(log(10), Math.LN10)).toBeLessThanOrEqual(1);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(ulps(log(5e-324), -744.4400719213812)).toBeLessThanOrEqual(1);
    expect(log1p(0)).toBe(0);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(1e-20)).toBe(1e-20);
    expect(log1p(-2)).toBeNaN();
    expect(ulps(log1p(1), Math.LN2)).toBeLessThanOrEqual(1);
  });

  it('agrees with the engine to within two ulps over the ranges the Elo fit uses and beyond', () => {
    let worst = { exp: 0, log: 0, log1p: 0 };
    for (let i = 0; i <= 40000; i++) {
      const x = -700 + (1400 * i) / 40000 + i * 1e-9;
      worst.exp = Math.max(worst.exp, ulps(exp(x), Math.exp(x)));
      const y = Math.exp((i - 20000) / 60);
      worst.log = Math.max(worst.log, ulps(log(y), Math.log(y)));
      const z = -0.999 + (3 * i) / 40000;
      worst.log1p = Math.max(worst.log1p, ulps(log1p(z), Math.log1p(z)));
      const small = (i - 20000) * 1e-12;
      worst.log1p = Math.max(worst.log1p, ulps(log1p(small), Math.log1p(small)));
    }
    worst = { exp: Math.round(worst.exp * 10) / 10, log: Math.round(worst.log * 10) / 10, log1p: Math.round(worst.log1p * 10) / 10 };
    expect(worst.exp).toBeLessThanOrEqual(2);
    expect(worst.log).toBeLessThanOrEqual(2);
    expect(worst.log1p).toBeLessThanOrEqual(2);
  });
});
