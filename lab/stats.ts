/**
 * Small, dependency-free statistics for the lab: confidence intervals, aggregation over seeds,
 * sliced Wasserstein distance, histograms and a few special functions (log-gamma, digamma,
 * trigamma, the normal CDF) used by the calibration theory. Pure: no DOM, no Node.
 */
import type { Rng } from '../sim/rng.ts';

export interface MeanCI {
  mean: number;
  /** lower end of the 95% interval */
  lo: number;
  /** upper end of the 95% interval */
  hi: number;
  /** number of finite values used */
  n: number;
}

// Two-sided 95% quantiles t_{0.975, df} for df = 1..30.
const T975 = [
  12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252,
  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688,
  2.131449546, 2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845,
  2.073873068, 2.068657610, 2.063898562, 2.059538553, 2.055529439, 2.051830516, 2.048407142,
  2.045229642, 2.042272456,
];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (exact table to 30, then Cornish–Fisher). */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30 && Number.isInteger(df)) return T975[df - 1];
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    // Stryker disable next-line ArithmeticOperator: the 945·z part moves the value by < 2e-8 at df ≥ 30.5, below the series' own error (3e-8)
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

/**
 * Mean and 95% confidence interval of the mean (Student t, n − 1 degrees of freedom).
 * Non-finite values (NaN, ±Infinity) are ignored. n = 1 gives lo = hi = mean; n = 0 gives NaNs.
 */
export function meanCI(xs: readonly number[]): MeanCI {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of xs) {
    if (!Number.isFinite(x)) continue;
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n: 0 };
  if (n === 1) return { mean, lo: mean, hi: mean, n: 1 };
  const sd = Math.sqrt(m2 / (n - 1));
  const half = tQuantile975(n - 1) * (sd / Math.sqrt(n));
  return { mean, lo: mean - half, hi: mean + half, n };
}

/** An interval clipped to the values its metric can take (a t interval of a share can pass 100 %); no range: unchanged. */
export function clipCI<C extends MeanCI>(ci: C, range: readonly [number, number] | undefined): C {
  if (!range) return ci;
  return { ...ci, lo: Math.max(range[0], ci.lo), hi: Math.min(range[1], ci.hi) };
}

export interface AggregateRow extends MeanCI {
  lineage: string;
  generation: number;
}

type Keyed = { lineage: string; generation: number };

/**
 * Group rows by lineage × generation and summarise one numeric field over seeds with `meanCI`.
 * `key` is a field name or an accessor. null, undefined and non-finite values are skipped; a
 * group with no usable value is left out. Lineages keep their order of first appearance,
 * generations are ascending.
 */
export function aggregate<R extends Keyed>(
  rows: readonly R[],
  key: keyof R | ((row: R) => number | null | undefined),
): AggregateRow[] {
  const get = typeof key === 'function' ? key : (r: R) => r[key] as unknown;
  const groups = new Map<string, Map<number, number[]>>();
  for (const r of rows) {
    const v = get(r);
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    let byGen = groups.get(r.lineage);
    if (!byGen) groups.set(r.lineage, (byGen = new Map()));
    let xs = byGen.get(r.generation);
    // Stryker disable next-line ArrayDeclaration: meanCI skips a non-number
    if (!xs) byGen.set(r.generation, (xs = []));
    xs.push(v);
  }
  const out: AggregateRow[] = [];
  for (const [lineage, byGen] of groups) {
    const gens = [...byGen.keys()].sort((a, b) => a - b);
    for (const generation of gens) out.push({ lineage, generation, ...meanCI(byGen.get(generation)!) });
  }
  return out;
}

/** Lineage names in order of first appearance. */
export function lineagesOf(rows: readonly { lineage: string }[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) seen.add(r.lineage);
  return [...seen];
}

/**
 * W1 between two 1-D empirical distributions given as ascending sorted samples (possibly of
 * different sizes): the integral over u ∈ [0, 1] of |F_a⁻¹(u) − F_b⁻¹(u)|, computed exactly.
 */
export function w1Sorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return NaN;
  let i = 0;
  let j = 0;
  let u = 0;
  let total = 0;
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: both indices reach their ends in the same step (at u = 1 the comparison below advances both)
  while (i < na && j < nb) {
    const ua = (i + 1) / na;
    const ub = (j + 1) / nb;
    const next = Math.min(ua, ub);
    total += (next - u) * Math.abs(a[i] - b[j]);
    u = next;
    // Compare cross-multiplied to avoid float ties drifting.
    const ca = (i + 1) * nb;
    const cb = (j + 1) * na;
    // Stryker disable next-line EqualityOperator: on a tie the other index advances and this one follows next step after a zero-width piece
    if (ca <= cb) i++;
    // Stryker disable next-line EqualityOperator: as above
    if (cb <= ca) j++;
  }
  return total;
}

/**
 * Sliced Wasserstein-1 between two point clouds in `dim` dimensions, stored row-major
 * (point k occupies [k·dim, (k+1)·dim)). The clouds may hold different numbers of points.
 * Averages the exact 1-D W1 of the projections on `projections` random unit directions drawn
 * from `rng`. Returns NaN when either cloud is empty.
 */
export function slicedW1(a: Float32Array, b: Float32Array, dim: number, projections: number, rng: Rng): number {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`slicedW1: dim must be a positive integer, got ${dim}`);
  if (a.length % dim !== 0 || b.length % dim !== 0) {
    throw new RangeError(`slicedW1: cloud lengths (${a.length}, ${b.length}) are not multiples of dim ${dim}`);
  }
  if (!Number.isInteger(projections) || projections < 1) {
    throw new RangeError(`slicedW1: projections must be a positive integer, got ${projections}`);
  }
  const na = a.length / dim;
  const nb = b.length / dim;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: w1Sorted of an empty projection is NaN as well
  if (na === 0 || nb === 0) return NaN;
  const pa = new Float64Array(na);
  const pb = new Float64Array(nb);
  const dir = new Float64Array(dim);
  let sum = 0;
  for (let p = 0; p < projections; p++) {
    let norm = 0;
    do {
      norm = 0;
      for (let d = 0; d < dim; d++) {
        dir[d] = rng.normal();
        norm += dir[d] * dir[d];
      }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a normal draw of an all-zero direction does not happen
    } while (norm < 1e-12);
    norm = Math.sqrt(norm);
    // Stryker disable next-line EqualityOperator: dir[dim] is past the typed array's end (ignored)
    for (let d = 0; d < dim; d++) dir[d] /= norm;
    // Stryker disable next-line EqualityOperator: pa[na] is past the typed array's end (ignored)
    for (let k = 0; k < na; k++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += a[k * dim + d] * dir[d];
      pa[k] = s;
    }
    // Stryker disable next-line EqualityOperator: pb[nb] is past the typed array's end (ignored)
    for (let k = 0; k < nb; k++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += b[k * dim + d] * dir[d];
      pb[k] = s;
    }
    pa.sort();
    pb.sort();
    sum += w1Sorted(pa, pb);
  }
  return sum / projections;
}

/**
 * Counts of `values` in the bins [edges[i], edges[i+1]) (the last bin also takes its right edge).
 * NaN is ignored; values outside [edges[0], edges[last]] are ignored unless `clamp` is set, in
 * which case they are counted in the first or last bin.
 */
export function histogram(values: ArrayLike<number>, edges: readonly number[], opts: { clamp?: boolean } = {}): number[] {
  const bins = edges.length - 1;
  if (bins < 1) throw new RangeError('histogram: need at least two edges');
  for (let i = 0; i < bins; i++) {
    if (!(edges[i + 1] > edges[i])) throw new RangeError('histogram: edges must be strictly increasing');
  }
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0];
  const hi = edges[bins];
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isNaN(v)) continue;
    if (v < lo) {
      if (opts.clamp) counts[0]++;
      continue;
    }
    if (v > hi) {
      if (opts.clamp) counts[bins - 1]++;
      continue;
    }
    // binary search: largest i with edges[i] <= v, capped at bins - 1
    let l = 0;
    let r = bins - 1;
    while (l < r) {
      const m = (l + r + 1) >> 1;
      if (edges[m] <= v) l = m;
      else r = m - 1;
    }
    counts[l]++;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Special functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7; relative error around 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x) = d/dx log Γ(x), x > 0 (recurrence up to 10, then the asymptotic series). */
export function digamma(x: number): number {
  let r = 0;
  // Stryker disable next-line EqualityOperator: one more recurrence step at exactly 10 gives the same value
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return (
    r +
    Math.log(x) -
    0.5 / x -
    f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132)))))
  );
}

/** ψ'(x), x > 0. */
export function trigamma(x: number): number {
  let r = 0;
  // Stryker disable next-line EqualityOperator: one more recurrence step at exactly 10 gives the same value
  while (x < 10) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f * (1 / 30))));
}

/** Complementary error function (Numerical Recipes erfcc, fractional error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  // Stryker disable next-line EqualityOperator: at 0, r = 1 = 2 − r
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Exact W1 between N(m1, s1²) and N(m2, s2²): with the quantile coupling the difference is
 * a + bZ (a = m1 − m2, b = s1 − s2), so W1 = E|a + bZ|, the folded-normal mean.
 */
export function gaussianW1(m1: number, s1: number, m2: number, s2: number): number {
  const a = m1 - m2;
  const b = Math.abs(s1 - s2);
  if (b === 0) return Math.abs(a);
  // Stryker disable next-line ConditionalExpression: the same formula in z = a / b; it only avoids b² underflowing
  if (b * b === 0) {
    // b so small that b² underflows (σ collapsed toward 0): the same formula in z = a / b
    const z = a / b;
    return b * Math.sqrt(2 / Math.PI) * Math.exp(-(z * z) / 2) + a * (1 - 2 * normalCdf(-z));
  }
  return b * Math.sqrt(2 / Math.PI) * Math.exp(-(a * a) / (2 * b * b)) + a * (1 - 2 * normalCdf(-a / b));
}
