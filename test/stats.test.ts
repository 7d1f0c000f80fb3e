/**
 * lab/stats.ts against an independent implementation: the reference values below are SciPy 1.17
 * (scipy.stats.t.ppf, scipy.special.gammaln / digamma / polygamma / erfc), computed once by hand
 * outside this project. Kept in a small file that imports nothing heavy, so the mutation run of
 * lab/stats.ts stays fast.
 */
import { describe, expect, it } from 'vitest';
import { aggregate, digamma, erfc, gaussianW1, histogram, lineagesOf, logGamma, meanCI, normalCdf, slicedW1, tQuantile975, trigamma, w1Sorted } from '../lab/stats.ts';
import { Rng } from '../sim/rng.ts';

/** scipy.stats.t.ppf(0.975, df) for df = 1 … 30, rounded to 10 decimals */
const T975_SCIPY = [
  12.7062047362, 4.3026527297, 3.1824463053, 2.7764451052, 2.5705818356, 2.4469118511, 2.3646242516, 2.3060041352,
  2.2621571628, 2.228138852, 2.2009851601, 2.1788128297, 2.1603686565, 2.1447866879, 2.1314495456, 2.1199052992,
  2.1098155778, 2.1009220402, 2.0930240544, 2.0859634473, 2.0796138447, 2.0738730679, 2.0686576104, 2.0638985616,
  2.0595385528, 2.0555294386, 2.0518305165, 2.0484071418, 2.0452296421, 2.0422724563,
];

describe('tQuantile975 against SciPy', () => {
  it('is the exact table for df = 1 … 30 (to 1e-8)', () => {
    T975_SCIPY.forEach((q, i) => expect(Math.abs(tQuantile975(i + 1) - q)).toBeLessThan(1e-8));
  });

  it('the Cornish–Fisher series beyond the table (and for a fractional df) is within 1e-7', () => {
    for (const [df, q] of [
      [30.5, 2.04086944518632],
      [31, 2.039513446396408],
      [35, 2.030107928250343],
      [40, 2.021075390306273],
      [60, 2.0002978220142604],
      [120, 1.9799304050824402],
      [1000, 1.9623390808264083],
    ]) {
      expect(Math.abs(tQuantile975(df) - q)).toBeLessThan(1e-7);
    }
    // a fractional df inside the table's range uses the series, not a neighbouring entry
    const q25 = tQuantile975(2.5);
    expect(q25).toBeLessThan(T975_SCIPY[1]);
    expect(q25).toBeGreaterThan(T975_SCIPY[2]);
    expect(Math.abs(q25 - 3.5746548420036817)).toBeLessThan(0.02); // the series is rough this low
    expect(Number.isNaN(tQuantile975(0.999))).toBe(true);
  });
});

describe('special functions against SciPy', () => {
  // x, gammaln(x), digamma(x), polygamma(1, x)
  const table = [
    [0.1, 2.252712651734206, -10.423754940411076, 101.43329915079275],
    [0.3, 1.0957979948180756, -3.502524222200133, 12.245364546107734],
    [0.49, 0.592249629335267, -2.013716050695126, 5.1080924838814035],
    [0.5, 0.5723649429247, -1.9635100260214235, 4.93480220054468],
    [0.51, 0.5529738179298007, -1.9149875241635756, 4.771259239159045],
    [1.5, -0.12078223763524526, 0.03648997397857652, 0.9348022005446793],
    [3, 0.6931471805599453, 0.9227843350984671, 0.39493406684822646],
    [7.25, 7.0521854507385395, 1.9104535268837362, 0.1478792331589322],
    [9.99, 12.779315214350195, 2.250700372831201, 0.10527695014824176],
    [10, 12.801827480081469, 2.251752589066721, 0.10516633568168576],
    [25, 54.78472939811232, 3.198742512851974, 0.04081066325722558],
  ];
  it('log-gamma by reflection below 1/2: log |Γ(−1/2)| = log 2√π', () => {
    expect(Math.abs(logGamma(-0.5) - Math.log(2 * Math.sqrt(Math.PI)))).toBeLessThan(1e-12);
    expect(Math.abs(logGamma(-1.5) - Math.log((4 / 3) * Math.sqrt(Math.PI)))).toBeLessThan(1e-12);
  });

  it('log-gamma, digamma and trigamma to 1e-12 relative', () => {
    const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    for (const [x, lg, dg, tg] of table) {
      close(logGamma(x), lg);
      close(digamma(x), dg);
      close(trigamma(x), tg);
    }
  });

  it('erfc within its documented 1.2e-7 fractional error, and the normal CDF from it', () => {
    for (const [x, want] of [
      [-3, 1.9999779095030015],
      [-1, 1.8427007929497148],
      [-0.3, 1.3286267594591274],
      [0, 1.0],
      [0.2, 0.7772974107895215],
      [1, 0.15729920705028516],
      [2.5, 0.00040695201744495886],
      [4, 1.541725790028002e-8],
    ]) {
      expect(Math.abs(erfc(x) - want)).toBeLessThanOrEqual(1.2e-7 * want);
    }
    // Φ(x) = erfc(−x/√2)/2: Φ(1) = 1 − erfc(1/√2)/2
    expect(Math.abs(normalCdf(-Math.SQRT2) - 0.15729920705028516 / 2)).toBeLessThan(1e-8);
    expect(Math.abs(normalCdf(Math.SQRT2) - (1 - 0.15729920705028516 / 2))).toBeLessThan(1e-8);
  });
});

describe('gaussianW1', () => {
  it('is positively homogeneous, down to σ gaps whose square underflows', () => {
    const base = gaussianW1(1, 2, 0, 1);
    // closed form for a = b = 1: √(2/π)·e^{−1/2} + (1 − 2Φ(−1)), 2Φ(−1) = erfc(1/√2) = 0.31731050786291415 (SciPy)
    expect(Math.abs(base - (Math.sqrt(2 / Math.PI) * Math.exp(-0.5) + 1 - 0.31731050786291415))).toBeLessThan(1e-7);
    for (const k of [1e-3, 1e-100, 1e-170, 1e-200]) {
      const w = gaussianW1(1 * k, 2 * k, 0, 1 * k);
      expect(Math.abs(w / k - base)).toBeLessThan(1e-9);
      // a negative mean gap: symmetric
      expect(Math.abs(gaussianW1(0, 1 * k, 1 * k, 2 * k) / k - base)).toBeLessThan(1e-9);
      expect(Math.abs(gaussianW1(-3 * k, 2 * k, 0, 1 * k) / k - gaussianW1(-3, 2, 0, 1))).toBeLessThan(1e-9);
    }
    expect(gaussianW1(-3, 1, 0.5, 1)).toBe(3.5);
    expect(gaussianW1(2, 1, 2, 1)).toBe(0);
  });
});

describe('slicedW1 and histogram name what is wrong', () => {
  const a = new Float32Array(6);
  it('slicedW1', () => {
    expect(() => slicedW1(a, a, 0, 1, new Rng(1))).toThrow('slicedW1: dim must be a positive integer, got 0');
    expect(() => slicedW1(a, a, 1.5, 1, new Rng(1))).toThrow('slicedW1: dim must be a positive integer, got 1.5');
    expect(() => slicedW1(a, new Float32Array(5), 3, 1, new Rng(1))).toThrow('slicedW1: cloud lengths (6, 5) are not multiples of dim 3');
    expect(() => slicedW1(new Float32Array(4), a, 3, 1, new Rng(1))).toThrow('slicedW1: cloud lengths (4, 6) are not multiples of dim 3');
    expect(() => slicedW1(a, a, 3, 0, new Rng(1))).toThrow('slicedW1: projections must be a positive integer, got 0');
    expect(() => slicedW1(a, a, 3, 2.5, new Rng(1))).toThrow('slicedW1: projections must be a positive integer, got 2.5');
    expect(slicedW1(a, a, 1, 1, new Rng(1))).toBe(0);
    expect(Number.isNaN(slicedW1(a, new Float32Array(0), 2, 1, new Rng(1)))).toBe(true);
  });

  it('slicedW1 in 1-D is the exact W1 of the values (every direction is ±1)', () => {
    const x = Float32Array.from([3, -1, 0.5, 2]);
    const y = Float32Array.from([0, 1]);
    // sorted x: −1, 0.5, 2, 3; y: 0, 1 → quantile pieces of width 1/4: |−1−0| + |0.5−0| + |2−1| + |3−1| = 4.5, /4
    expect(slicedW1(x, y, 1, 3, new Rng(2))).toBeCloseTo(4.5 / 4, 6);
    // 2-D with points on a line through 0 along (1, 0): projections scale by |u₁|, averaged over directions
    const p = Float32Array.from([0, 0, 1, 0]);
    const q = Float32Array.from([0, 0, 0, 0]);
    const rng = new Rng(3);
    let mean = 0;
    for (let k = 0; k < 5; k++) {
      let u0 = rng.normal();
      const u1 = rng.normal();
      u0 /= Math.hypot(u0, u1);
      mean += Math.abs(u0) / 2 / 5; // W1 of {0, u₀} and {0, 0}
    }
    expect(slicedW1(p, q, 2, 5, new Rng(3))).toBeCloseTo(mean, 6);
    expect(slicedW1(q, p, 2, 5, new Rng(3))).toBeCloseTo(mean, 6);
  });

  it('histogram', () => {
    expect(() => histogram([1], [])).toThrow('histogram: need at least two edges');
    expect(() => histogram([1], [0, 1, 1])).toThrow('histogram: edges must be strictly increasing');
    expect(() => histogram([1], [0, 2, 1])).toThrow('histogram: edges must be strictly increasing');
    expect(histogram([], [0, 1])).toEqual([0]);
    expect(histogram([NaN, 0.5, NaN], [0, 1, 2])).toEqual([1, 0]);
    expect(histogram([NaN], [0, 1], { clamp: true })).toEqual([0]);
    // each edge goes to the bin it opens; the last edge to the last bin
    expect(histogram([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])).toEqual([1, 1, 1, 2]);
    expect(histogram([-0.5, 4.5, -Infinity, Infinity], [0, 1, 2, 3, 4], { clamp: true })).toEqual([2, 0, 0, 2]);
    expect(histogram([-0.5, 4.5, -Infinity, Infinity], [0, 1, 2, 3, 4])).toEqual([0, 0, 0, 0]);
    expect(histogram([0.999, 1.001, 2.999, 3.001], [0, 1, 2, 3, 4, 5, 6, 7])).toEqual([1, 1, 1, 1, 0, 0, 0]);
  });

  it('lineagesOf keeps the order of first appearance', () => {
    expect(lineagesOf([{ lineage: 'r' }, { lineage: 'g' }, { lineage: 'r' }, { lineage: 'x' }])).toEqual(['r', 'g', 'x']);
    expect(lineagesOf([])).toEqual([]);
  });
});

describe('meanCI, aggregate and w1Sorted by hand', () => {
  it('meanCI: Welford mean and sample sd, the t half-width, non-finite values skipped', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7
    const c = meanCI([2, 4, NaN, 4, 4, 5, Infinity, 5, 7, -Infinity, 9]);
    expect(c.n).toBe(8);
    expect(c.mean).toBe(5);
    const half = T975_SCIPY[6] * Math.sqrt(32 / 7 / 8);
    expect(c.lo).toBeCloseTo(5 - half, 8);
    expect(c.hi).toBeCloseTo(5 + half, 8);
    expect(meanCI([-3])).toEqual({ mean: -3, lo: -3, hi: -3, n: 1 });
    expect(meanCI([NaN])).toEqual({ mean: NaN, lo: NaN, hi: NaN, n: 0 });
    const two = meanCI([1, 3]);
    expect(two.mean).toBe(2);
    expect(two.hi - two.mean).toBeCloseTo(T975_SCIPY[0] * 1, 8); // sd √2, /√2
  });

  it('aggregate: by lineage in order of first appearance, generations ascending, by key or accessor', () => {
    const rows = [
      { lineage: 'r', generation: 2, v: 1 as number | null | undefined },
      { lineage: 'g', generation: 0, v: 4 },
      { lineage: 'r', generation: 0, v: 2 },
      { lineage: 'r', generation: 2, v: 3 },
      { lineage: 'g', generation: 0, v: null },
      { lineage: 'g', generation: 1, v: undefined },
      { lineage: 'x', generation: 0, v: NaN },
    ];
    const agg = aggregate(rows, 'v');
    expect(agg.map((a) => [a.lineage, a.generation, a.n, a.mean])).toEqual([
      ['r', 0, 1, 2],
      ['r', 2, 2, 2],
      ['g', 0, 1, 4],
    ]);
    expect(agg[1].hi - agg[1].mean).toBeCloseTo(T975_SCIPY[0] * (Math.SQRT2 / Math.SQRT2), 8);
    expect(aggregate(rows, (r) => (r.v ?? 10) + 1).map((a) => [a.lineage, a.generation, a.mean])).toEqual([
      ['r', 0, 3],
      ['r', 2, 3],
      ['g', 0, 8],
      ['g', 1, 11],
    ]);
    expect(aggregate([], 'v')).toEqual([]);
  });

  it('w1Sorted: the area between the quantile functions, for sizes that do not divide each other', () => {
    // a = {0, 3}, b = {1, 1, 4}: on u ∈ (0, 1/3) |0−1|, (1/3, 1/2) |0−1|, (1/2, 2/3) |3−1|, (2/3, 1) |3−4|
    expect(w1Sorted([0, 3], [1, 1, 4])).toBeCloseTo(1 / 3 + 1 / 6 + 2 / 6 + 1 / 3, 12);
    expect(w1Sorted([1, 1, 4], [0, 3])).toBeCloseTo(7 / 6, 12);
    expect(w1Sorted([5], [1, 2, 3, 4])).toBeCloseTo((4 + 3 + 2 + 1) / 4, 12);
    expect(Number.isNaN(w1Sorted([1], []))).toBe(true);
    expect(Number.isNaN(w1Sorted([], [1]))).toBe(true);
    expect(Number.isNaN(w1Sorted([], []))).toBe(true);
  });
});
