/**
 * The calibration experiment: the paper's own toy (Shumailov et al., "The Curse of Recursion",
 * 2023; Nature 2024), with its theory computed exactly beside the measurement.
 *
 * Gaussian lineage: generation 0 is N(0, 1). Generation n ≥ 1 draws M samples from generation
 * n−1's fitted Gaussian and refits mean and variance on
 *   - `replace`: those M samples only;
 *   - `accumulate`: every sample drawn so far (generations 1..n, n·M samples);
 * with the `unbiased` (divide by N − 1) or `mle` (divide by N) variance estimator.
 *
 * Categorical lineage: generation 0 is a Zipf-like distribution p_k ∝ (k+1)^(−s) over C
 * categories (the rare categories are the tails). Generation n ≥ 1 draws M samples from
 * generation n−1's probabilities and refits the empirical frequencies (of the M new samples for
 * `replace`, of all samples so far for `accumulate`). The categorical fit is always the
 * empirical frequency (the MLE), so `fits` does not apply to it.
 *
 * Distances to the original distribution: Gaussian rows carry the exact 1-D Wasserstein-1
 * distance W1(N(μ_n, σ²_n), N(0, 1)) (closed form, see `gaussianW1`); categorical rows carry the
 * total variation distance ½ Σ |p_n − p_0|.
 *
 * Theory (exact, no simulation):
 *   - Gaussian, replace: E[σ²_n] = ((M−1)/M)^n for mle and 1 for unbiased. Although the unbiased
 *     mean stays at 1, σ²_n → 0 almost surely: log σ²_n is a random walk with negative drift
 *     E[log(χ²_{M−1}/k)] = ψ((M−1)/2) + ln 2 − ln k (k = M−1 unbiased, k = M mle). The typical
 *     path, the geometric mean exp(E[log σ²_n]) = exp(n·(ψ((M−1)/2) + ln 2 − ln k)), is given as
 *     `theoryGeoMeanVariance` (for large n it is close to the median).
 *   - Gaussian, accumulate: E[σ²_n] exactly, from a linear recursion on E[σ²], E[T²] (T: sum of
 *     all samples) and E[Q] (sum of their squares): see `gaussianTheory`. No closed form for
 *     the geometric mean, so none is given.
 *   - Categorical, replace: expected support size from the exact Wright–Fisher chain. Per
 *     category the count at generation 1 is Binomial(M, p_k); afterwards count' ~
 *     Binomial(M, count/M) on states 0..M, with 0 absorbing. E[support_n] = Σ_k P(count_k,n > 0).
 *   - Categorical, accumulate: a category that was seen once keeps positive mass forever and one
 *     never seen gets none, so the support is fixed after generation 1:
 *     E[support_n] = Σ_k (1 − (1 − p_k)^M) for n ≥ 1.
 *
 * Randomness: each lineage × seed has its own stream, `new Rng(seed).fork('calibration/<lineage>')`,
 * so lineages are independent and adding one does not shift the others.
 *
 * Pure: no DOM, no Node.
 */
import { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import type { CalibrationRow } from './types.ts';
import { digamma, gaussianW1 } from './stats.ts';

export type CalibrationFit = 'unbiased' | 'mle';
export type CalibrationRetain = 'replace' | 'accumulate';

export interface CalibrationConfig {
  /** generations after generation 0 */
  generations: number;
  seeds: number[];
  /** M: samples drawn per generation */
  sampleSizes: number[];
  /** variance estimators for the Gaussian lineages */
  fits: CalibrationFit[];
  retain: CalibrationRetain[];
  /** the categorical lineage's generation 0: C categories, p_k ∝ (k+1)^(−zipf) (zipf defaults to 1) */
  categorical: { categories: number; zipf?: number };
  /** which families to run (default both) */
  families?: ('gaussian' | 'categorical')[];
}

export const defaultCalibrationConfig: CalibrationConfig = {
  generations: 60,
  seeds: Array.from({ length: 20 }, (_, i) => i + 1),
  sampleSizes: [10, 100],
  fits: ['unbiased', 'mle'],
  retain: ['replace', 'accumulate'],
  categorical: { categories: 20, zipf: 1 },
  families: ['gaussian', 'categorical'],
};

export interface CalibrationLineage {
  name: string;
  family: 'gaussian' | 'categorical';
  /** Gaussian only */
  fit?: CalibrationFit;
  retain: CalibrationRetain;
  M: number;
}

export interface RunCalibrationOptions {
  /** `experiment` field of every row (default "calibration") */
  experiment?: string;
  /** the random stream of one lineage × seed (default `new Rng(seed).fork('calibration/' + lineage)`) */
  rngFor?: (seed: number, lineage: string) => Rng;
}

/**
 * Every limit of a calibration experiment, in one place: the preset schema (lab/config.ts), the
 * CLI's flags and `validateCalibrationConfig` all read them.
 */
export const CALIBRATION_LIMITS = {
  generations: { min: 1, max: 10_000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  seeds: { min: 1, max: 1000 },
  /** M: samples drawn per generation */
  sampleSize: { min: 2, max: 1_000_000 },
  sampleSizes: { min: 1, max: 16 },
  categories: { min: 2, max: 100_000 },
  zipf: { min: 0, max: 10 },
} as const;
const L = CALIBRATION_LIMITS;
/** above this M the Wright–Fisher theory (cost ≈ generations · 24·M^1.5) is skipped */
export const MAX_M_WRIGHT_FISHER = 20_000;

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** Throws a ConfigError naming the first bad field. */
export function validateCalibrationConfig(c: CalibrationConfig): void {
  if (!Number.isInteger(c.generations) || c.generations < L.generations.min || c.generations > L.generations.max) {
    throw new ConfigError('generations', `must be an integer, got ${c.generations}`, `${L.generations.min}..${L.generations.max}`);
  }
  if (!Array.isArray(c.seeds) || c.seeds.length === 0) throw new ConfigError('seeds', 'must be a non-empty list', 'integers ≥ 0');
  c.seeds.forEach((s, i) => {
    if (!Number.isInteger(s) || s < L.seed.min || s > L.seed.max) throw new ConfigError(`seeds[${i}]`, `bad seed ${s}`, `integers ${L.seed.min}..${L.seed.max}`);
  });
  if (!Array.isArray(c.sampleSizes) || c.sampleSizes.length === 0) {
    throw new ConfigError('sampleSizes', 'must be a non-empty list', `integers ${L.sampleSize.min}..${L.sampleSize.max}`);
  }
  c.sampleSizes.forEach((m, i) => {
    if (!Number.isInteger(m) || m < L.sampleSize.min || m > L.sampleSize.max) {
      throw new ConfigError(`sampleSizes[${i}]`, `bad sample size ${m}`, `integers ${L.sampleSize.min}..${L.sampleSize.max}`);
    }
  });
  c.fits.forEach((f, i) => {
    if (f !== 'unbiased' && f !== 'mle') throw new ConfigError(`fits[${i}]`, `unknown fit ${String(f)}`, 'unbiased, mle');
  });
  if (!Array.isArray(c.retain) || c.retain.length === 0) throw new ConfigError('retain', 'must be a non-empty list', 'replace, accumulate');
  c.retain.forEach((r, i) => {
    if (r !== 'replace' && r !== 'accumulate') throw new ConfigError(`retain[${i}]`, `unknown retain ${String(r)}`, 'replace, accumulate');
  });
  const fam = c.families ?? ['gaussian', 'categorical'];
  fam.forEach((f, i) => {
    if (f !== 'gaussian' && f !== 'categorical') throw new ConfigError(`families[${i}]`, `unknown family ${String(f)}`, 'gaussian, categorical');
  });
  if (fam.includes('gaussian') && c.fits.length === 0) throw new ConfigError('fits', 'must be a non-empty list', 'unbiased, mle');
  if (fam.includes('categorical')) {
    const C = c.categorical?.categories;
    if (!Number.isInteger(C) || C < L.categories.min || C > L.categories.max) {
      throw new ConfigError('categorical.categories', `bad category count ${C}`, `integers ${L.categories.min}..${L.categories.max}`);
    }
    const z = c.categorical.zipf ?? 1;
    if (!Number.isFinite(z) || z < L.zipf.min || z > L.zipf.max) throw new ConfigError('categorical.zipf', `bad exponent ${z}`, `${L.zipf.min}..${L.zipf.max}`);
  }
}

/** The lineages a config describes, in row order. */
export function calibrationLineages(c: CalibrationConfig): CalibrationLineage[] {
  const fam = c.families ?? ['gaussian', 'categorical'];
  const out: CalibrationLineage[] = [];
  const Ms = uniq(c.sampleSizes);
  const retains = uniq(c.retain);
  if (fam.includes('gaussian')) {
    for (const M of Ms)
      for (const fit of uniq(c.fits))
        for (const retain of retains) out.push({ name: `gaussian/${fit}/${retain}/M=${M}`, family: 'gaussian', fit, retain, M });
  }
  if (fam.includes('categorical')) {
    for (const M of Ms) for (const retain of retains) out.push({ name: `categorical/${retain}/M=${M}`, family: 'categorical', retain, M });
  }
  return out;
}

/** The lineages as a run manifest lists them: name and recipe. */
export function calibrationManifestLineages(c: CalibrationConfig): { name: string; recipe: Record<string, unknown> }[] {
  return calibrationLineages(c).map((l) => ({
    name: l.name,
    recipe:
      l.family === 'gaussian'
        ? { family: 'gaussian', fit: l.fit, retain: l.retain, M: l.M, start: 'N(0, 1)' }
        : { family: 'categorical', retain: l.retain, M: l.M, categories: c.categorical.categories, zipf: c.categorical.zipf ?? 1 },
  }));
}

/** p_k ∝ (k+1)^(−s), k = 0..C−1. */
export function zipfProbs(categories: number, s = 1): number[] {
  const w = Array.from({ length: categories }, (_, k) => Math.pow(k + 1, -s));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/**
 * Theory for a Gaussian lineage started at N(μ0, σ0²): E[σ²_n] for n = 0..generations, and the
 * geometric mean exp(E[log σ²_n]) for `replace` (undefined entries for `accumulate`).
 */
export function gaussianTheory(
  fit: CalibrationFit,
  retain: CalibrationRetain,
  M: number,
  generations: number,
  mu0 = 0,
  var0 = 1,
): { meanVariance: number[]; geoMeanVariance: (number | undefined)[] } {
  const meanVariance: number[] = [var0];
  const geoMeanVariance: (number | undefined)[] = [retain === 'replace' ? var0 : undefined];
  if (retain === 'replace') {
    const factor = fit === 'mle' ? (M - 1) / M : 1;
    const k = fit === 'mle' ? M : M - 1;
    const drift = digamma((M - 1) / 2) + Math.LN2 - Math.log(k);
    for (let n = 1; n <= generations; n++) {
      meanVariance.push(var0 * Math.pow(factor, n));
      geoMeanVariance.push(var0 * Math.exp(n * drift));
    }
    return { meanVariance, geoMeanVariance };
  }
  // accumulate: exact expectations through the sums T (of samples) and Q (of squares).
  // Generation n draws M samples x ~ N(μ_{n−1}, σ²_{n−1}) with μ_{n−1} = T_{n−1}/N_{n−1}:
  //   T_n = T_{n−1}·(1 + M/N_{n−1}) + ε,  E[ε²] = M·σ²_{n−1}
  //   E[Q_n] = E[Q_{n−1}] + M·E[σ²_{n−1}] + M·E[T²_{n−1}]/N²_{n−1}
  //   σ²_n = c·(Q_n/N_n − T_n²/N_n²),  c = 1 (mle) or N_n/(N_n − 1) (unbiased)
  let eT2 = M * M * mu0 * mu0 + M * var0;
  let eQ = M * (var0 + mu0 * mu0);
  let N = M;
  const c1 = fit === 'mle' ? 1 : N / (N - 1);
  let eVar = c1 * (eQ / N - eT2 / (N * N));
  meanVariance.push(eVar);
  geoMeanVariance.push(undefined);
  for (let n = 2; n <= generations; n++) {
    const prevN = N;
    const grow = 1 + M / prevN;
    const nextQ = eQ + M * eVar + (M * eT2) / (prevN * prevN);
    const nextT2 = grow * grow * eT2 + M * eVar;
    N = prevN + M;
    const c = fit === 'mle' ? 1 : N / (N - 1);
    eQ = nextQ;
    eT2 = nextT2;
    eVar = c * (eQ / N - eT2 / (N * N));
    meanVariance.push(eVar);
    geoMeanVariance.push(undefined);
  }
  return { meanVariance, geoMeanVariance };
}

/** pmf of Binomial(n, p) on a window holding all but negligible mass, using a log-factorial table. */
function binomialPmf(n: number, p: number, logFact: Float64Array): { start: number; pmf: Float64Array } {
  if (p <= 0) return { start: 0, pmf: Float64Array.of(1) };
  if (p >= 1) return { start: n, pmf: Float64Array.of(1) };
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(n * p - 13 * sd - 3));
  const hi = Math.min(n, Math.ceil(n * p + 13 * sd + 3));
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const pmf = new Float64Array(hi - lo + 1);
  for (let j = lo; j <= hi; j++) pmf[j - lo] = Math.exp(logFact[n] - logFact[j] - logFact[n - j] + j * lp + (n - j) * lq);
  return { start: lo, pmf };
}

/**
 * Expected support size E[#{k : p_n,k > 0}] for n = 0..generations, starting from `p0` with M
 * samples per generation. `replace`: exact Wright–Fisher chain per category (see the file
 * header); `accumulate`: Σ_k (1 − (1 − p_k)^M) after generation 0. Returns undefined when M is
 * above MAX_M_WRIGHT_FISHER for `replace`.
 */
export function categoricalSupportTheory(
  p0: readonly number[],
  M: number,
  generations: number,
  retain: CalibrationRetain,
): number[] | undefined {
  const C0 = p0.filter((p) => p > 0).length;
  const out = [C0];
  if (retain === 'accumulate') {
    let s = 0;
    for (const p of p0) if (p > 0) s += 1 - Math.pow(1 - p, M);
    for (let n = 1; n <= generations; n++) out.push(s);
    return out;
  }
  if (M > MAX_M_WRIGHT_FISHER) return undefined;
  const logFact = new Float64Array(M + 1);
  for (let k = 2; k <= M; k++) logFact[k] = logFact[k - 1] + Math.log(k);
  // Transition rows: from count i, next count ~ Binomial(M, i/M).
  const rows = Array.from({ length: M + 1 }, (_, i) => binomialPmf(M, i / M, logFact));
  // Generation-1 count distribution of each category.
  const first = p0.map((p) => binomialPmf(M, p, logFact));
  // h[j] = P(count is 0 after t more steps | count j now); start with t = 0.
  let h = new Float64Array(M + 1);
  h[0] = 1;
  let next = new Float64Array(M + 1);
  for (let n = 1; n <= generations; n++) {
    // P(category k extinct at generation n) = Σ_j P(count_1 = j) · h_{n−1}(j)
    let support = 0;
    for (let k = 0; k < p0.length; k++) {
      if (!(p0[k] > 0)) continue;
      const { start, pmf } = first[k];
      let ext = 0;
      for (let j = 0; j < pmf.length; j++) ext += pmf[j] * h[start + j];
      support += 1 - Math.min(1, ext);
    }
    out.push(support);
    if (n === generations) break;
    for (let j = 0; j <= M; j++) {
      const { start, pmf } = rows[j];
      let s = 0;
      for (let i = 0; i < pmf.length; i++) s += pmf[i] * h[start + i];
      next[j] = s;
    }
    [h, next] = [next, h];
  }
  return out;
}

/** Draw from a cumulative weight table (ascending, last entry = total) by binary search. */
function drawFromCdf(cdf: Float64Array, rng: Rng): number {
  const u = rng.float() * cdf[cdf.length - 1];
  let l = 0;
  let r = cdf.length - 1;
  while (l < r) {
    const m = (l + r) >> 1;
    if (cdf[m] > u) r = m;
    else l = m + 1;
  }
  return l;
}

/** The identifying fields every calibration row starts with. */
function rowKey(experiment: string, lin: CalibrationLineage, generation: number, seed: number) {
  return { kind: 'calibration' as const, experiment, lineage: lin.name, generation, seed };
}

function runGaussian(lin: CalibrationLineage, G: number, seed: number, rng: Rng, experiment: string): CalibrationRow[] {
  const theory = gaussianTheory(lin.fit!, lin.retain, lin.M, G);
  const rows: CalibrationRow[] = [];
  const push = (generation: number, mean: number, variance: number) => {
    const row: CalibrationRow = {
      ...rowKey(experiment, lin, generation, seed),
      mean,
      variance,
      theoryVariance: theory.meanVariance[generation],
      distance: gaussianW1(mean, Math.sqrt(variance), 0, 1),
    };
    const geo = theory.geoMeanVariance[generation];
    if (geo !== undefined) row.theoryGeoMeanVariance = geo;
    rows.push(row);
  };
  let mu = 0;
  let v = 1;
  push(0, mu, v);
  // pooled statistics (Chan et al. merge) for accumulate
  let poolN = 0;
  let poolMean = 0;
  let poolM2 = 0;
  const M = lin.M;
  for (let g = 1; g <= G; g++) {
    const sd = Math.sqrt(v);
    let bMean = 0;
    let bM2 = 0;
    for (let i = 0; i < M; i++) {
      const x = mu + sd * rng.normal();
      const d = x - bMean;
      bMean += d / (i + 1);
      bM2 += d * (x - bMean);
    }
    if (lin.retain === 'replace') {
      poolN = M;
      poolMean = bMean;
      poolM2 = bM2;
    } else {
      const n = poolN + M;
      const delta = bMean - poolMean;
      poolMean += (delta * M) / n;
      poolM2 += bM2 + (delta * delta * poolN * M) / n;
      poolN = n;
    }
    mu = poolMean;
    v = poolM2 / (lin.fit === 'mle' ? poolN : poolN - 1);
    push(g, mu, v);
  }
  return rows;
}

function runCategorical(
  lin: CalibrationLineage,
  p0: readonly number[],
  theory: number[] | undefined,
  G: number,
  seed: number,
  rng: Rng,
  experiment: string,
): CalibrationRow[] {
  const C = p0.length;
  const rows: CalibrationRow[] = [];
  const push = (generation: number, probs: number[]) => {
    let tv = 0;
    let support = 0;
    for (let k = 0; k < C; k++) {
      tv += Math.abs(probs[k] - p0[k]);
      if (probs[k] > 0) support++;
    }
    const row: CalibrationRow = {
      ...rowKey(experiment, lin, generation, seed),
      probs,
      support,
      distance: tv / 2,
    };
    if (theory) row.theorySupport = theory[generation];
    rows.push(row);
  };
  push(0, [...p0]);
  const cdf = new Float64Array(C);
  let acc = 0;
  for (let k = 0; k < C; k++) cdf[k] = acc += p0[k];
  const pooled = new Float64Array(C);
  const batch = new Float64Array(C);
  for (let g = 1; g <= G; g++) {
    batch.fill(0);
    for (let i = 0; i < lin.M; i++) batch[drawFromCdf(cdf, rng)]++;
    if (lin.retain === 'replace') pooled.set(batch);
    else for (let k = 0; k < C; k++) pooled[k] += batch[k];
    let total = 0;
    for (let k = 0; k < C; k++) total += pooled[k];
    const probs = Array.from(pooled, (c) => c / total);
    // next generation samples from the counts (integers: exact cumulative table)
    acc = 0;
    for (let k = 0; k < C; k++) cdf[k] = acc += pooled[k];
    push(g, probs);
  }
  return rows;
}

/**
 * Run the calibration experiment. Rows are ordered lineage × seed × generation (generation 0
 * included, so each lineage × seed has generations + 1 rows). Same config and seeds give
 * identical rows.
 */
export function runCalibration(config: CalibrationConfig, opts: RunCalibrationOptions = {}): CalibrationRow[] {
  validateCalibrationConfig(config);
  const experiment = opts.experiment ?? 'calibration';
  const rngFor = opts.rngFor ?? ((seed: number, lineage: string) => new Rng(seed).fork(`calibration/${lineage}`));
  const G = config.generations;
  const rows: CalibrationRow[] = [];
  const p0 = zipfProbs(config.categorical?.categories ?? 2, config.categorical?.zipf ?? 1);
  const catTheory = new Map<string, number[] | undefined>();
  for (const lin of calibrationLineages(config)) {
    if (lin.family === 'categorical') catTheory.set(lin.name, categoricalSupportTheory(p0, lin.M, G, lin.retain));
    for (const seed of config.seeds) {
      const rng = rngFor(seed, lin.name);
      const out =
        lin.family === 'gaussian'
          ? runGaussian(lin, G, seed, rng, experiment)
          : runCategorical(lin, p0, catTheory.get(lin.name), G, seed, rng, experiment);
      for (const r of out) rows.push(r);
    }
  }
  return rows;
}
