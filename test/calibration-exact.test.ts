/**
 * lab/calibration.ts, exactly: every config check with its message, the lineages and manifest,
 * the theory against hand derivations (small M, where the Wright–Fisher chain and the accumulate
 * recursion can be worked out by hand) and invariances, and the runs with a scripted rng whose
 * normal and uniform draws are given, so every row is a hand-computed value.
 */
import { describe, expect, it } from 'vitest';
import {
  calibrationLineages,
  calibrationManifestLineages,
  categoricalSupportTheory,
  defaultCalibrationConfig,
  gaussianTheory,
  MAX_M_WRIGHT_FISHER,
  runCalibration,
  validateCalibrationConfig,
  zipfProbs,
  type CalibrationConfig,
} from '../lab/calibration.ts';
import { Rng } from '../sim/rng.ts';

const base: CalibrationConfig = {
  generations: 2,
  seeds: [1],
  sampleSizes: [2],
  fits: ['mle'],
  retain: ['replace'],
  categorical: { categories: 3, zipf: 1 },
  families: ['gaussian', 'categorical'],
};
const cfg = (extra: Record<string, unknown>) => ({ ...base, ...extra }) as CalibrationConfig;
const bad = (extra: Record<string, unknown>) => () => validateCalibrationConfig(cfg(extra));

/** γ (Euler–Mascheroni) and ψ(1/2) = −γ − 2 ln 2, ψ(1) = −γ, ψ(3/2) = ψ(1/2) + 2 */
const GAMMA = 0.5772156649015329;
const PSI_HALF = -GAMMA - 2 * Math.LN2;

describe('validateCalibrationConfig', () => {
  it('accepts the default and the edges of every range', () => {
    expect(() => validateCalibrationConfig(defaultCalibrationConfig)).not.toThrow();
    expect(bad({ generations: 1, seeds: [0, 2 ** 31 - 1], sampleSizes: [2, 1_000_000] })).not.toThrow();
    expect(bad({ generations: 10_000, categorical: { categories: 100_000, zipf: 10 } })).not.toThrow();
    expect(bad({ categorical: { categories: 2, zipf: 0 } })).not.toThrow();
    expect(bad({ categorical: { categories: 2 } })).not.toThrow();
    expect(bad({ families: undefined })).not.toThrow();
    // the gaussian family alone needs no categorical settings; the categorical alone no fits
    expect(bad({ families: ['gaussian'], categorical: undefined })).not.toThrow();
    expect(bad({ families: ['categorical'], fits: [] })).not.toThrow();
  });

  it('names the first bad field, what is wrong and what is allowed', () => {
    expect(bad({ generations: 0 })).toThrow('generations: must be an integer, got 0 (allowed: 1..10000)');
    expect(bad({ generations: 10_001 })).toThrow('generations: must be an integer, got 10001 (allowed: 1..10000)');
    expect(bad({ generations: 1.5 })).toThrow('generations: must be an integer, got 1.5');
    expect(bad({ seeds: [] })).toThrow('seeds: must be a non-empty list (allowed: integers ≥ 0)');
    expect(bad({ seeds: 'x' })).toThrow('seeds: must be a non-empty list');
    expect(bad({ seeds: [1, -1] })).toThrow('seeds[1]: bad seed -1 (allowed: integers 0..2147483647)');
    expect(bad({ seeds: [2 ** 31] })).toThrow('seeds[0]: bad seed 2147483648');
    expect(bad({ seeds: [0.5] })).toThrow('seeds[0]: bad seed 0.5');
    expect(bad({ sampleSizes: [] })).toThrow('sampleSizes: must be a non-empty list (allowed: integers 2..1000000)');
    expect(bad({ sampleSizes: 5 })).toThrow('sampleSizes: must be a non-empty list');
    expect(bad({ sampleSizes: [2, 1] })).toThrow('sampleSizes[1]: bad sample size 1 (allowed: integers 2..1000000)');
    expect(bad({ sampleSizes: [1_000_001] })).toThrow('sampleSizes[0]: bad sample size 1000001');
    expect(bad({ sampleSizes: [2.5] })).toThrow('sampleSizes[0]: bad sample size 2.5');
    expect(bad({ fits: ['mle', 'median'] })).toThrow('fits[1]: unknown fit median (allowed: unbiased, mle)');
    expect(bad({ retain: [] })).toThrow('retain: must be a non-empty list (allowed: replace, accumulate)');
    expect(bad({ retain: null })).toThrow('retain: must be a non-empty list');
    expect(bad({ retain: ['replace', 'keep'] })).toThrow('retain[1]: unknown retain keep (allowed: replace, accumulate)');
    expect(bad({ families: ['gaussian', 'poisson'] })).toThrow('families[1]: unknown family poisson (allowed: gaussian, categorical)');
    expect(bad({ fits: [] })).toThrow('fits: must be a non-empty list (allowed: unbiased, mle)');
    expect(bad({ categorical: { categories: 1 } })).toThrow('categorical.categories: bad category count 1 (allowed: integers 2..100000)');
    expect(bad({ categorical: { categories: 100_001 } })).toThrow('categorical.categories: bad category count 100001');
    expect(bad({ categorical: { categories: 2.5 } })).toThrow('categorical.categories: bad category count 2.5');
    expect(bad({ categorical: undefined })).toThrow('categorical.categories: bad category count undefined');
    expect(bad({ categorical: { categories: 3, zipf: -0.1 } })).toThrow('categorical.zipf: bad exponent -0.1 (allowed: 0..10)');
    expect(bad({ categorical: { categories: 3, zipf: 10.5 } })).toThrow('categorical.zipf: bad exponent 10.5');
    expect(bad({ categorical: { categories: 3, zipf: Infinity } })).toThrow('categorical.zipf: bad exponent Infinity');
    expect(bad({ categorical: { categories: 3, zipf: NaN } })).toThrow('categorical.zipf: bad exponent NaN');
  });
});

describe('lineages', () => {
  it('Gaussian: M × fit × retain, then categorical: M × retain; duplicates once', () => {
    const c = cfg({ sampleSizes: [10, 100, 10], fits: ['unbiased', 'mle', 'mle'], retain: ['replace', 'accumulate', 'replace'] });
    expect(calibrationLineages(c).map((l) => l.name)).toEqual([
      'gaussian/unbiased/replace/M=10', 'gaussian/unbiased/accumulate/M=10', 'gaussian/mle/replace/M=10', 'gaussian/mle/accumulate/M=10',
      'gaussian/unbiased/replace/M=100', 'gaussian/unbiased/accumulate/M=100', 'gaussian/mle/replace/M=100', 'gaussian/mle/accumulate/M=100',
      'categorical/replace/M=10', 'categorical/accumulate/M=10', 'categorical/replace/M=100', 'categorical/accumulate/M=100',
    ]);
    expect(calibrationLineages(c)[3]).toEqual({ name: 'gaussian/mle/accumulate/M=10', family: 'gaussian', fit: 'mle', retain: 'accumulate', M: 10 });
    expect(calibrationLineages(c)[9]).toEqual({ name: 'categorical/accumulate/M=10', family: 'categorical', retain: 'accumulate', M: 10 });
    expect(calibrationLineages(cfg({ families: ['categorical'] })).map((l) => l.name)).toEqual(['categorical/replace/M=2']);
    expect(calibrationLineages(cfg({ families: ['gaussian'] })).map((l) => l.name)).toEqual(['gaussian/mle/replace/M=2']);
    expect(calibrationLineages(cfg({ families: undefined })).map((l) => l.name)).toEqual(['gaussian/mle/replace/M=2', 'categorical/replace/M=2']);
  });

  it('the manifest: each lineage\'s recipe (zipf 1 when not given)', () => {
    expect(calibrationManifestLineages(cfg({ categorical: { categories: 5 } }))).toEqual([
      { name: 'gaussian/mle/replace/M=2', recipe: { family: 'gaussian', fit: 'mle', retain: 'replace', M: 2, start: 'N(0, 1)' } },
      { name: 'categorical/replace/M=2', recipe: { family: 'categorical', retain: 'replace', M: 2, categories: 5, zipf: 1 } },
    ]);
    expect(calibrationManifestLineages(cfg({ families: ['categorical'], categorical: { categories: 4, zipf: 2 } }))[0].recipe).toEqual({
      family: 'categorical', retain: 'replace', M: 2, categories: 4, zipf: 2,
    });
  });

  it('zipfProbs: p_k ∝ (k + 1)^−s', () => {
    const p = zipfProbs(3);
    [6 / 11, 3 / 11, 2 / 11].forEach((w, k) => expect(p[k]).toBeCloseTo(w, 15));
    const q = zipfProbs(3, 2);
    [36 / 49, 9 / 49, 4 / 49].forEach((w, k) => expect(q[k]).toBeCloseTo(w, 15));
    expect(zipfProbs(4, 0)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('Gaussian theory', () => {
  it('replace: E[σ²] = ((M−1)/M)^n (mle) or 1 (unbiased); the geometric mean exp(n·(ψ((M−1)/2) + ln 2 − ln k))', () => {
    const mle = gaussianTheory('mle', 'replace', 4, 3);
    [1, 0.75, 0.5625, 0.421875].forEach((v, n) => expect(mle.meanVariance[n]).toBeCloseTo(v, 14));
    expect(gaussianTheory('unbiased', 'replace', 4, 3).meanVariance).toEqual([1, 1, 1, 1]);
    // M = 2: ψ(1/2); k = 2 (mle) or 1 (unbiased)
    const g2 = gaussianTheory('mle', 'replace', 2, 2).geoMeanVariance;
    expect(g2[0]).toBe(1);
    expect(g2[1]).toBeCloseTo(Math.exp(PSI_HALF), 12);
    expect(g2[2]).toBeCloseTo(Math.exp(2 * PSI_HALF), 12);
    const u2 = gaussianTheory('unbiased', 'replace', 2, 1).geoMeanVariance;
    expect(u2[1]).toBeCloseTo(Math.exp(PSI_HALF + Math.LN2), 12);
    // M = 3: ψ(1) = −γ
    const u3 = gaussianTheory('unbiased', 'replace', 3, 1).geoMeanVariance;
    expect(u3[1]).toBeCloseTo(Math.exp(-GAMMA + Math.LN2 - Math.LN2), 12);
    // a start other than N(0, 1) scales the variances
    const s = gaussianTheory('mle', 'replace', 4, 2, 5, 2);
    expect(s.meanVariance).toEqual([2, 1.5, 1.125]);
    expect(s.geoMeanVariance[0]).toBe(2);
    expect(s.geoMeanVariance[1]).toBeCloseTo(2 * gaussianTheory('mle', 'replace', 4, 1).geoMeanVariance[1]!, 12);
  });

  it('accumulate, M = 2 by hand: E[σ²₁] = 1/2 (mle) or 1; E[σ²₂] = 7/16 or 5/6', () => {
    // generation 2 pools the two first samples x and two new y ~ N(μ₁, σ²₁):
    // T₂ = 2·T₁ + ε with E[ε²] = 2·E[σ²₁]; E[Q₂] = E[Q₁] + 2·(E[σ²₁] + E[T₁²]/4)
    const mle = gaussianTheory('mle', 'accumulate', 2, 3);
    expect(mle.meanVariance[0]).toBe(1);
    expect(mle.meanVariance[1]).toBeCloseTo(0.5, 14);
    // E[T₂²] = 4·2 + 2·½ = 9, E[Q₂] = 2 + 2·(½ + ½) = 4: 4/4 − 9/16
    expect(mle.meanVariance[2]).toBeCloseTo(7 / 16, 14);
    // generation 3: T₃ = 1.5·T₂ + ε: E[T₃²] = 2.25·9 + 2·7/16; E[Q₃] = 4 + 2·7/16 + 2·9/16 = 6
    expect(mle.meanVariance[3]).toBeCloseTo(6 / 6 - (2.25 * 9 + 2 * (7 / 16)) / 36, 14);
    expect(mle.geoMeanVariance).toEqual([undefined, undefined, undefined, undefined]);
    const unb = gaussianTheory('unbiased', 'accumulate', 2, 2);
    expect(unb.meanVariance[1]).toBeCloseTo(1, 14);
    // E[T₂²] = 8 + 2·1 = 10, E[Q₂] = 2 + 2·(1 + ½) = 5: (5 − 10/4)/3
    expect(unb.meanVariance[2]).toBeCloseTo(5 / 6, 14);
    expect(gaussianTheory('mle', 'accumulate', 2, 1).meanVariance).toHaveLength(2);
  });

  it('accumulate: the mean does not matter and the variance scales', () => {
    const a = gaussianTheory('unbiased', 'accumulate', 5, 6).meanVariance;
    const shifted = gaussianTheory('unbiased', 'accumulate', 5, 6, 3, 1).meanVariance;
    const scaled = gaussianTheory('unbiased', 'accumulate', 5, 6, 0, 4).meanVariance;
    a.forEach((v, n) => {
      expect(shifted[n]).toBeCloseTo(v, 10);
      expect(scaled[n]).toBeCloseTo(4 * v, 10);
    });
    // mle at generation 1: (M − 1)/M of the start
    expect(gaussianTheory('mle', 'accumulate', 4, 1, 3, 2).meanVariance[1]).toBeCloseTo(1.5, 12);
    expect(a).toHaveLength(7);
  });
});

describe('categorical support theory', () => {
  it('accumulate: Σ (1 − (1 − p)^M) after generation 0, the zeros never counted', () => {
    expect(categoricalSupportTheory([0.5, 0.5, 0], 2, 3, 'accumulate')).toEqual([2, 1.5, 1.5, 1.5]);
    const s = 1 - 0.3 ** 3 + (1 - 0.7 ** 3);
    expect(categoricalSupportTheory([0.7, 0.3], 3, 1, 'accumulate')).toEqual([2, s]);
    // no size limit for accumulate
    expect(categoricalSupportTheory([0.5, 0.5], MAX_M_WRIGHT_FISHER + 1, 1, 'accumulate')).toEqual([2, 2]);
  });

  it('replace, M = 2 by hand: from one copy, extinct next time with probability 1/4, within two 3/8', () => {
    // p = ½: generation 1 has 0, 1, 2 copies with ¼, ½, ¼
    const t = categoricalSupportTheory([0.5, 0.5], 2, 3, 'replace')!;
    expect(t[0]).toBe(2);
    expect(t[1]).toBeCloseTo(2 * (1 - 0.25), 14);
    expect(t[2]).toBeCloseTo(2 * (1 - (0.25 + 0.5 * 0.25)), 14);
    expect(t[3]).toBeCloseTo(2 * (1 - (0.25 + 0.5 * (3 / 8))), 14);
    // uneven, with a category that is never there
    const u = categoricalSupportTheory([0.75, 0, 0.25], 2, 2, 'replace')!;
    const ext = (p: number, h1: number) => (1 - p) ** 2 + 2 * p * (1 - p) * h1;
    expect(u[0]).toBe(2);
    expect(u[1]).toBeCloseTo(2 - ext(0.75, 0) - ext(0.25, 0), 14);
    expect(u[2]).toBeCloseTo(2 - ext(0.75, 0.25) - ext(0.25, 0.25), 14);
    expect(u).toHaveLength(3);
    // a category that is certain stays
    expect(categoricalSupportTheory([1, 0], 2, 2, 'replace')).toEqual([1, 1, 1]);
  });

  it('replace, M = 30: the windowed chain equals the full binomial chain', () => {
    const M = 30;
    const p0 = [0.6, 0.3, 0.09, 0.01];
    const lf = (n: number) => { let s = 0; for (let k = 2; k <= n; k++) s += Math.log(k); return s; };
    const binom = (j: number, q: number) => (q <= 0 ? (j === 0 ? 1 : 0) : q >= 1 ? (j === M ? 1 : 0) : Math.exp(lf(M) - lf(j) - lf(M - j) + j * Math.log(q) + (M - j) * Math.log(1 - q)));
    // the count distribution of each category, generation by generation, over all states
    let dists = p0.map((p) => Array.from({ length: M + 1 }, (_, j) => binom(j, p)));
    const want = [4];
    for (let n = 1; n <= 4; n++) {
      want.push(dists.reduce((s, d) => s + 1 - d[0], 0));
      dists = dists.map((d) => Array.from({ length: M + 1 }, (_, j) => d.reduce((s, w, i) => s + w * binom(j, i / M), 0)));
    }
    const got = categoricalSupportTheory(p0, M, 4, 'replace')!;
    want.forEach((w, n) => expect(got[n]).toBeCloseTo(w, 10));
    // the rare category is lost quickly
    expect(got[4]).toBeLessThan(got[1]);
  });

  it('replace above the Wright–Fisher limit: no theory', () => {
    expect(categoricalSupportTheory([0.5, 0.5], MAX_M_WRIGHT_FISHER + 1, 1, 'replace')).toBeUndefined();
    expect(MAX_M_WRIGHT_FISHER).toBe(20_000);
  });
});

/** A scripted rng: normal() and float() return the given draws in order. */
function scripted(normals: number[], floats: number[] = []): Rng {
  const z = [...normals];
  const u = [...floats];
  return {
    normal: () => {
      if (z.length === 0) throw new Error('no normal draw left');
      return z.shift()!;
    },
    float: () => {
      if (u.length === 0) throw new Error('no float draw left');
      return u.shift()!;
    },
  } as unknown as Rng;
}

describe('runs with given draws', () => {
  const gauss = (fit: string, retain: string) => cfg({ families: ['gaussian'], fits: [fit], retain: [retain] });

  it('Gaussian, replace: refit on the new samples only; W1 to N(0, 1) and the theory on each row', () => {
    // generation 1: 0 + 1·{1, 3} → mean 2, M2 2; generation 2 (mle: σ² = 1): 2 + {−2, 2} → mean 2, M2 8
    const rows = runCalibration(gauss('mle', 'replace'), { rngFor: () => scripted([1, 3, -2, 2]), experiment: 'x' });
    const th = gaussianTheory('mle', 'replace', 2, 2);
    expect(rows).toEqual([
      { kind: 'calibration', experiment: 'x', lineage: 'gaussian/mle/replace/M=2', generation: 0, seed: 1, mean: 0, variance: 1, theoryVariance: 1, distance: 0, theoryGeoMeanVariance: 1 },
      { kind: 'calibration', experiment: 'x', lineage: 'gaussian/mle/replace/M=2', generation: 1, seed: 1, mean: 2, variance: 1, theoryVariance: 0.5, distance: 2, theoryGeoMeanVariance: th.geoMeanVariance[1] },
      { kind: 'calibration', experiment: 'x', lineage: 'gaussian/mle/replace/M=2', generation: 2, seed: 1, mean: 2, variance: 4, theoryVariance: 0.25, distance: expect.any(Number), theoryGeoMeanVariance: th.geoMeanVariance[2] },
    ]);
    // N(2, 2²) against N(0, 1)
    expect(rows[2].distance).toBeGreaterThan(2);
    const u = runCalibration(gauss('unbiased', 'replace'), { rngFor: () => scripted([1, 3, 0, 1]) });
    expect(u.map((r) => [r.mean, r.variance]).slice(0, 2)).toEqual([[0, 1], [2, 2]]);
    // generation 2 (σ = √2): 2 + √2·{0, 1}: mean 2 + √2/2, M2 1
    expect(u[2].mean).toBeCloseTo(2 + Math.SQRT2 / 2, 14);
    expect(u[2].variance).toBeCloseTo(1, 14);
    expect(u[0].experiment).toBe('calibration');
  });

  it('Gaussian, accumulate: the pooled mean and variance of every sample so far', () => {
    // generation 1: {1, 3}; generation 2 (mle: mean 2, σ 1): 2 + {2, 4} = {4, 6}; pooled {1, 3, 4, 6}: mean 3.5, M2 13
    const rows = runCalibration(gauss('mle', 'accumulate'), { rngFor: () => scripted([1, 3, 2, 4]) });
    expect(rows.map((r) => [r.mean, r.variance])).toEqual([[0, 1], [2, 1], [3.5, 13 / 4]]);
    expect(rows.every((r) => !('theoryGeoMeanVariance' in r))).toBe(true);
    expect(rows.map((r) => r.theoryVariance)).toEqual(gaussianTheory('mle', 'accumulate', 2, 2).meanVariance);
    const u = runCalibration(gauss('unbiased', 'accumulate'), { rngFor: () => scripted([1, 3, 2 / Math.SQRT2, 4 / Math.SQRT2]) });
    // unbiased: generation 1 σ² = 2 (σ = √2), so generation 2 draws 2 + {2, 4} again
    expect(u.map((r) => r.mean)).toEqual([0, 2, 3.5]);
    expect(u[2].variance).toBeCloseTo(13 / 3, 12);
  });

  it('categorical, replace: draws by the cumulative table (ties go up), TV distance, support', () => {
    // p0 = (6, 3, 2)/11; generation 1: u·1 = 0.1 → 0, 0.9 → 2; counts (1, 0, 1)
    // generation 2 from the counts: cumulative (1, 1, 2); u = 0.5 → 1.0: not below 1 → the first above: 2
    const c = cfg({ families: ['categorical'] });
    const rows = runCalibration(c, { rngFor: () => scripted([], [0.1, 0.9, 0.5, 0.49]) });
    const p0 = [6 / 11, 3 / 11, 2 / 11];
    rows[0].probs!.forEach((p, k) => expect(p).toBeCloseTo(p0[k], 15));
    expect(rows.slice(1).map((r) => r.probs)).toEqual([[0.5, 0, 0.5], [0.5, 0, 0.5]]);
    expect(rows.map((r) => r.support)).toEqual([3, 2, 2]);
    expect(rows[0].distance).toBe(0);
    expect(rows[1].distance).toBeCloseTo((1 / 22 + 6 / 22 + 7 / 22) / 2, 14);
    expect(rows.map((r) => r.theorySupport)).toEqual(categoricalSupportTheory(p0, 2, 2, 'replace'));
    expect(rows.map((r) => [r.kind, r.lineage, r.generation, r.seed])).toEqual([0, 1, 2].map((g) => ['calibration', 'categorical/replace/M=2', g, 1]));
    // generation 2 all to the last category: u = 0.5 and 0.75 of the total 2
    const r2 = runCalibration(c, { rngFor: () => scripted([], [0.1, 0.9, 0.5, 0.75]) });
    expect(r2[2].probs).toEqual([0, 0, 1]);
    expect(r2[2].support).toBe(1);
    expect(r2[2].distance).toBeCloseTo((6 / 11 + 3 / 11 + 9 / 11) / 2, 14);
  });

  it('categorical, accumulate: the counts pool, and the next draws come from the pooled counts', () => {
    const c = cfg({ families: ['categorical'], retain: ['accumulate'] });
    // generation 1: (1, 0, 1); generation 2 from cumulative (1, 1, 2): 0.2·2 → 0, 0.4·2 → 0 → pooled (3, 0, 1)
    const rows = runCalibration(c, { rngFor: () => scripted([], [0.1, 0.9, 0.2, 0.4]) });
    expect(rows.slice(1).map((r) => r.probs)).toEqual([[0.5, 0, 0.5], [0.75, 0, 0.25]]);
    expect(rows.map((r) => r.support)).toEqual([3, 2, 2]);
    expect(rows.map((r) => r.theorySupport)).toEqual(categoricalSupportTheory(zipfProbs(3), 2, 2, 'accumulate'));
  });

  it('rows lineage × seed × generation; each on its own stream new Rng(seed).fork("calibration/<lineage>")', () => {
    const c = cfg({ seeds: [3, 4], retain: ['replace', 'accumulate'], generations: 1 });
    const rows = runCalibration(c);
    expect(rows.map((r) => `${r.lineage}|${r.seed}|${r.generation}`)).toEqual(
      ['gaussian/mle/replace/M=2', 'gaussian/mle/accumulate/M=2', 'categorical/replace/M=2', 'categorical/accumulate/M=2'].flatMap((l) =>
        [3, 4].flatMap((s) => [0, 1].map((g) => `${l}|${s}|${g}`)),
      ),
    );
    const asked: string[] = [];
    const same = runCalibration(c, {
      rngFor: (seed, lineage) => {
        asked.push(`${seed}/${lineage}`);
        return new Rng(seed).fork(`calibration/${lineage}`);
      },
    });
    expect(same).toEqual(rows);
    expect(asked).toHaveLength(8);
    // the stream really is that one: generation 1's mean is the mean of its first two normals
    const r = new Rng(3).fork('calibration/gaussian/mle/replace/M=2');
    const a = r.normal();
    const b = r.normal();
    expect(rows[1].mean).toBeCloseTo((a + b) / 2, 12);
    expect(() => runCalibration(cfg({ generations: 0 }))).toThrow('generations: must be an integer');
  });
});
