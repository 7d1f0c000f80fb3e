import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import {
  aggregate,
  digamma,
  gaussianW1,
  histogram,
  logGamma,
  meanCI,
  normalCdf,
  slicedW1,
  tQuantile975,
  trigamma,
  w1Sorted,
} from '../lab/stats.ts';
import {
  calibrationLineages,
  calibrationManifestLineages,
  categoricalSupportTheory,
  defaultCalibrationConfig,
  gaussianTheory,
  runCalibration,
  zipfProbs,
  type CalibrationConfig,
} from '../lab/calibration.ts';
import type { CalibrationRow } from '../lab/types.ts';

function meanSe(xs: number[]): { mean: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(v / n) };
}

function valuesAt(rows: CalibrationRow[], lineage: string, generation: number, pick: (r: CalibrationRow) => number | undefined): number[] {
  return rows.filter((r) => r.lineage === lineage && r.generation === generation).map((r) => pick(r)!);
}

describe('stats', () => {
  it('meanCI on known data uses Student t', () => {
    const c = meanCI([1, 2, 3, 4, 5]);
    expect(c.n).toBe(5);
    expect(c.mean).toBe(3);
    const half = 2.776445105 * (Math.sqrt(2.5) / Math.sqrt(5));
    expect(c.lo).toBeCloseTo(3 - half, 8);
    expect(c.hi).toBeCloseTo(3 + half, 8);
    expect(meanCI([7])).toEqual({ mean: 7, lo: 7, hi: 7, n: 1 });
    const e = meanCI([]);
    expect(e.n).toBe(0);
    expect(Number.isNaN(e.mean)).toBe(true);
    expect(meanCI([1, NaN, 3, Infinity]).n).toBe(2);
    expect(meanCI([2, 2, 2])).toEqual({ mean: 2, lo: 2, hi: 2, n: 3 });
  });

  it('t quantiles match reference values beyond the table', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706205, 5);
    expect(tQuantile975(31)).toBeCloseTo(2.039513, 5);
    expect(tQuantile975(60)).toBeCloseTo(2.000298, 5);
    expect(tQuantile975(1000)).toBeCloseTo(1.962339, 5);
  });

  it('aggregate groups by lineage × generation over seeds, skipping nulls', () => {
    const rows = [
      { lineage: 'b', generation: 1, seed: 1, v: 1 as number | null },
      { lineage: 'b', generation: 1, seed: 2, v: 3 },
      { lineage: 'b', generation: 0, seed: 1, v: 5 },
      { lineage: 'a', generation: 0, seed: 1, v: null },
      { lineage: 'a', generation: 2, seed: 1, v: 4 },
    ];
    const agg = aggregate(rows, 'v');
    expect(agg.map((a) => [a.lineage, a.generation, a.mean, a.n])).toEqual([
      ['b', 0, 5, 1],
      ['b', 1, 2, 2],
      ['a', 2, 4, 1],
    ]);
    expect(aggregate(rows, (r) => (r.v ?? 0) * 2).find((a) => a.lineage === 'a' && a.generation === 0)!.mean).toBe(0);
  });

  it('w1Sorted is exact for clouds of different sizes', () => {
    expect(w1Sorted([0, 1], [0, 0.5, 1])).toBeCloseTo(1 / 6, 12);
    expect(w1Sorted([0, 1, 2], [0, 1, 2])).toBe(0);
    expect(w1Sorted([1], [3])).toBe(2);
  });

  it('slicedW1: identical clouds give 0, a shift gives the shift', () => {
    const rng = new Rng(1);
    const a = new Float32Array(3 * 500);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    expect(slicedW1(a, a.slice(), 3, 16, new Rng(2))).toBe(0);
    // 1-D: a translation by s moves every quantile by s
    const x = new Float32Array(400).map(() => rng.normal());
    const y = x.map((v) => v + 0.5);
    expect(slicedW1(x, y, 1, 4, new Rng(3))).toBeCloseTo(0.5, 5);
    // d-D: projections of a shift v have mean |v|·E|u₁|, E|u₁| = 1/2 in three dimensions
    const v = [0.6, -0.8, 0]; // |v| = 1
    const b = a.map((val, i) => val + v[i % 3]);
    expect(slicedW1(a, b, 3, 3000, new Rng(4))).toBeCloseTo(0.5, 1);
    // different counts: a subsample of the same distribution is close
    const big = new Float32Array(2 * 4000).map(() => rng.normal());
    const small = new Float32Array(2 * 1000).map(() => rng.normal());
    expect(slicedW1(big, small, 2, 50, new Rng(5))).toBeLessThan(0.1);
    expect(() => slicedW1(a, new Float32Array(4), 3, 4, new Rng(6))).toThrow(RangeError);
    expect(Number.isNaN(slicedW1(new Float32Array(0), a, 3, 4, new Rng(7)))).toBe(true);
  });

  it('slicedW1 is deterministic given the Rng', () => {
    const rng = new Rng(9);
    const a = new Float32Array(200).map(() => rng.normal());
    const b = new Float32Array(300).map(() => rng.normal() + 1);
    expect(slicedW1(a, b, 2, 8, new Rng(10))).toBe(slicedW1(a, b, 2, 8, new Rng(10)));
  });

  it('histogram counts bins, last edge inclusive, optional clamping', () => {
    expect(histogram([0, 0.5, 1, 1.5, 2, -1, 3, NaN], [0, 1, 2])).toEqual([2, 3]);
    expect(histogram([0, 0.5, 1, 1.5, 2, -1, 3], [0, 1, 2], { clamp: true })).toEqual([3, 4]);
    expect(() => histogram([1], [0])).toThrow(RangeError);
    expect(() => histogram([1], [0, 0])).toThrow(RangeError);
  });

  it('special functions match known values', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12);
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 12);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 10);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
  });

  it('gaussianW1 equals the integral of the quantile difference', () => {
    for (const [m1, s1, m2, s2] of [
      [0.3, 0.5, 0, 1],
      [-1, 2, 0, 1],
      [0, 0.2, 0, 1],
      [2, 1, 0, 1],
    ]) {
      // midpoint rule over u in (0, 1) on the quantile coupling
      let sum = 0;
      const K = 20_000;
      for (let k = 0; k < K; k++) {
        const u = (k + 0.5) / K;
        // inverse normal by bisection on normalCdf
        let lo = -10;
        let hi = 10;
        for (let it = 0; it < 60; it++) {
          const mid = (lo + hi) / 2;
          if (normalCdf(mid) < u) lo = mid;
          else hi = mid;
        }
        const z = (lo + hi) / 2;
        sum += Math.abs(m1 + s1 * z - (m2 + s2 * z));
      }
      expect(gaussianW1(m1, s1, m2, s2)).toBeCloseTo(sum / K, 3);
    }
    expect(gaussianW1(0, 1, 0, 1)).toBe(0);
    expect(gaussianW1(0.7, 1, 0, 1)).toBeCloseTo(0.7, 12);
  });
});

describe('calibration theory (exact)', () => {
  it('replace: E[σ²] closed forms and the geometric-mean drift', () => {
    const mle = gaussianTheory('mle', 'replace', 10, 5);
    expect(mle.meanVariance[5]).toBeCloseTo(0.9 ** 5, 12);
    const unb = gaussianTheory('unbiased', 'replace', 10, 5);
    expect(unb.meanVariance.every((v) => v === 1)).toBe(true);
    const drift = digamma(4.5) + Math.LN2 - Math.log(9);
    expect(unb.geoMeanVariance[3]).toBeCloseTo(Math.exp(3 * drift), 12);
    expect(unb.geoMeanVariance[5]!).toBeLessThan(1);
  });

  it('accumulate: the recursion gives the hand-computed generation 2', () => {
    // two batches of M: E[SS] = (M−1)·2 + (M/2)·E[(x̄₂ − x̄₁)²] = 2(M−1) + 1/2
    const M = 7;
    const t = gaussianTheory('unbiased', 'accumulate', M, 2);
    expect(t.meanVariance[1]).toBeCloseTo(1, 12);
    expect(t.meanVariance[2]).toBeCloseTo((2 * (M - 1) + 0.5) / (2 * M - 1), 12);
    expect(t.geoMeanVariance[2]).toBeUndefined();
  });

  it('Wright–Fisher support matches a hand-computed chain with M = 2', () => {
    const s = categoricalSupportTheory([0.5, 0.5], 2, 3, 'replace')!;
    // generation 1: P(count 0) = 1/4; generation 2: 1/4 + (1/2)(1/4) = 3/8;
    // generation 3: 1/4 + (1/2)(3/8) + (1/4)·0 = 7/16
    expect(s[0]).toBe(2);
    expect(s[1]).toBeCloseTo(2 * 0.75, 12);
    expect(s[2]).toBeCloseTo(2 * (1 - 3 / 8), 12);
    expect(s[3]).toBeCloseTo(2 * (1 - 7 / 16), 12);
    const acc = categoricalSupportTheory([0.5, 0.25, 0.25], 4, 3, 'accumulate')!;
    const expected = 1 - 0.5 ** 4 + 2 * (1 - 0.75 ** 4);
    expect(acc).toEqual([3, expected, expected, expected]);
  });

  it('expected support is non-increasing under replace', () => {
    const s = categoricalSupportTheory(zipfProbs(20, 1), 50, 40, 'replace')!;
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1] + 1e-12);
    expect(s[40]).toBeLessThan(10);
  });
});

describe('runCalibration', () => {
  const seeds = Array.from({ length: 6000 }, (_, i) => i + 1);
  const gaussRows = runCalibration({
    generations: 8,
    seeds,
    sampleSizes: [20],
    fits: ['mle', 'unbiased'],
    retain: ['replace', 'accumulate'],
    categorical: { categories: 2 },
    families: ['gaussian'],
  });

  it('MLE-replace mean variance follows ((M−1)/M)^n within a few %', () => {
    const lineage = 'gaussian/mle/replace/M=20';
    for (let n = 1; n <= 8; n++) {
      const { mean, se } = meanSe(valuesAt(gaussRows, lineage, n, (r) => r.variance));
      const theory = (19 / 20) ** n;
      const rel = Math.abs(mean / theory - 1);
      expect(rel).toBeLessThan(Math.max(4 * (se / theory), 0.01));
      expect(rel).toBeLessThan(0.06);
      expect(valuesAt(gaussRows, lineage, n, (r) => r.theoryVariance)[0]).toBeCloseTo(theory, 12);
    }
  });

  it('unbiased-replace keeps E[σ²] = 1 while log σ² drifts down as theory says', () => {
    const lineage = 'gaussian/unbiased/replace/M=20';
    const drift = digamma(19 / 2) + Math.LN2 - Math.log(19);
    const perGenVar = trigamma(19 / 2);
    for (const n of [2, 5, 8]) {
      const v = valuesAt(gaussRows, lineage, n, (r) => r.variance);
      const { mean, se } = meanSe(v);
      expect(Math.abs(mean - 1)).toBeLessThan(Math.max(4 * se, 0.01));
      const logs = meanSe(v.map(Math.log));
      expect(Math.abs(logs.mean - n * drift)).toBeLessThan(4 * Math.sqrt((n * perGenVar) / v.length));
      expect(logs.se).toBeCloseTo(Math.sqrt((n * perGenVar) / v.length), 3);
    }
  });

  it('accumulate matches its exact expectation', () => {
    for (const fit of ['mle', 'unbiased'] as const) {
      const lineage = `gaussian/${fit}/accumulate/M=20`;
      const theory = gaussianTheory(fit, 'accumulate', 20, 8).meanVariance;
      for (const n of [1, 4, 8]) {
        const { mean, se } = meanSe(valuesAt(gaussRows, lineage, n, (r) => r.variance));
        expect(Math.abs(mean - theory[n])).toBeLessThan(4 * se);
      }
    }
  });

  it('categorical support decreases and matches the Wright–Fisher expectation', () => {
    const cfg: CalibrationConfig = {
      generations: 15,
      seeds: Array.from({ length: 3000 }, (_, i) => i),
      sampleSizes: [20],
      fits: ['mle'],
      retain: ['replace', 'accumulate'],
      categorical: { categories: 10, zipf: 1.2 },
      families: ['categorical'],
    };
    const rows = runCalibration(cfg);
    const lineage = 'categorical/replace/M=20';
    // per seed the support never grows back
    const bySeed = new Map<number, CalibrationRow[]>();
    for (const r of rows.filter((r) => r.lineage === lineage)) {
      if (!bySeed.has(r.seed)) bySeed.set(r.seed, []);
      bySeed.get(r.seed)!.push(r);
    }
    for (const rs of [...bySeed.values()].slice(0, 200)) {
      for (let i = 1; i < rs.length; i++) expect(rs[i].support!).toBeLessThanOrEqual(rs[i - 1].support!);
    }
    const theory = categoricalSupportTheory(zipfProbs(10, 1.2), 20, 15, 'replace')!;
    let prev = Infinity;
    for (let n = 0; n <= 15; n++) {
      const { mean, se } = meanSe(valuesAt(rows, lineage, n, (r) => r.support));
      expect(mean).toBeLessThanOrEqual(prev);
      prev = mean;
      expect(Math.abs(mean - theory[n])).toBeLessThan(Math.max(4 * se, 1e-9));
      expect(valuesAt(rows, lineage, n, (r) => r.theorySupport)[0]).toBeCloseTo(theory[n], 12);
    }
    expect(theory[15]).toBeLessThan(theory[1]);
    // accumulate: support fixed after generation 1, at its exact expectation
    const acc = 'categorical/accumulate/M=20';
    const accTheory = categoricalSupportTheory(zipfProbs(10, 1.2), 20, 15, 'accumulate')!;
    const a15 = meanSe(valuesAt(rows, acc, 15, (r) => r.support));
    expect(Math.abs(a15.mean - accTheory[15])).toBeLessThan(4 * a15.se);
    // probabilities stay a distribution, TV distance in [0, 1]
    for (const r of rows.slice(0, 500)) {
      expect(r.probs!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
      expect(r.distance).toBeGreaterThanOrEqual(0);
      expect(r.distance).toBeLessThanOrEqual(1);
    }
  });

  it('accumulate loses less than replace', () => {
    const rows = runCalibration({ ...defaultCalibrationConfig, generations: 40, seeds: Array.from({ length: 30 }, (_, i) => i) });
    const geo = (lineage: string) => meanSe(valuesAt(rows, lineage, 40, (r) => Math.log(r.variance!))).mean;
    for (const fit of ['mle', 'unbiased']) {
      for (const M of [10, 100]) {
        expect(geo(`gaussian/${fit}/accumulate/M=${M}`)).toBeGreaterThan(geo(`gaussian/${fit}/replace/M=${M}`));
      }
    }
    for (const M of [10, 100]) {
      const sup = (retain: string) => meanSe(valuesAt(rows, `categorical/${retain}/M=${M}`, 40, (r) => r.support)).mean;
      expect(sup('accumulate')).toBeGreaterThan(sup('replace'));
    }
  });

  it('same seed → identical rows; lineages are independent streams', () => {
    const cfg: CalibrationConfig = { ...defaultCalibrationConfig, generations: 10, seeds: [3, 4] };
    const a = runCalibration(cfg);
    const b = runCalibration(cfg);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.length).toBe(calibrationLineages(cfg).length * 2 * 11);
    // running one lineage alone gives the same rows as inside the full run
    const alone = runCalibration({ ...cfg, fits: ['mle'], retain: ['replace'], sampleSizes: [10], families: ['gaussian'] });
    const inFull = a.filter((r) => r.lineage === 'gaussian/mle/replace/M=10');
    expect(JSON.stringify(alone)).toBe(JSON.stringify(inFull));
    // another seed gives other numbers
    const c = runCalibration({ ...cfg, seeds: [5, 6] });
    expect(c.find((r) => r.generation === 3)!.variance).not.toBe(a.find((r) => r.generation === 3)!.variance);
    // generation 0 is the original distribution
    const g0 = a.filter((r) => r.generation === 0);
    expect(g0.every((r) => r.distance === 0)).toBe(true);
    expect(g0.filter((r) => r.variance !== undefined).every((r) => r.variance === 1 && r.mean === 0)).toBe(true);
    expect(g0.filter((r) => r.support !== undefined).every((r) => r.support === 20)).toBe(true);
  });

  it('rows carry the documented fields and experiment name', () => {
    const rows = runCalibration({ ...defaultCalibrationConfig, generations: 3, seeds: [1] }, { experiment: 'cal-x' });
    expect(rows.every((r) => r.kind === 'calibration' && r.experiment === 'cal-x')).toBe(true);
    const g = rows.find((r) => r.lineage === 'gaussian/unbiased/replace/M=10' && r.generation === 2)!;
    expect(g.theoryVariance).toBe(1);
    // exp(2 · (ψ(4.5) + ln 2 − ln 9)), ψ(4.5) = ψ(1/2) + 2 + 2/3 + 2/5 + 2/7, ψ(1/2) = −γ − 2 ln 2
    const psi45 = -0.5772156649015329 - 2 * Math.LN2 + 2 + 2 / 3 + 2 / 5 + 2 / 7;
    expect(g.theoryGeoMeanVariance).toBeCloseTo(Math.exp(2 * (psi45 + Math.LN2 - Math.log(9))), 12);
    const m = rows.find((r) => r.lineage === 'gaussian/mle/replace/M=10' && r.generation === 3)!;
    expect(m.theoryVariance).toBeCloseTo(0.9 ** 3, 12);
    expect(m.theoryGeoMeanVariance).toBeCloseTo(Math.exp(3 * (psi45 + Math.LN2 - Math.log(10))), 12);
    expect(g.distance).toBeCloseTo(gaussianW1(g.mean!, Math.sqrt(g.variance!), 0, 1), 12);
    const acc = rows.find((r) => r.lineage === 'gaussian/mle/accumulate/M=10' && r.generation === 2)!;
    expect(acc.theoryGeoMeanVariance).toBeUndefined();
    expect(calibrationManifestLineages(defaultCalibrationConfig).map((l) => l.name)).toEqual(
      calibrationLineages(defaultCalibrationConfig).map((l) => l.name),
    );
  });

  it('rejects bad configuration with the field path', () => {
    const bad = (patch: Partial<CalibrationConfig>, path: string) => {
      try {
        runCalibration({ ...defaultCalibrationConfig, ...patch });
        throw new Error('expected a ConfigError');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).path).toBe(path);
      }
    };
    bad({ generations: 0 }, 'generations');
    bad({ generations: 2.5 }, 'generations');
    bad({ sampleSizes: [10, 1] }, 'sampleSizes[1]');
    bad({ seeds: [] }, 'seeds');
    bad({ fits: ['mle', 'median' as 'mle'] }, 'fits[1]');
    bad({ retain: ['forever' as 'replace'] }, 'retain[0]');
    bad({ categorical: { categories: 1 } }, 'categorical.categories');
  });
});
