/**
 * Gaussian mixture policy π(a | s): an MLP maps an observation to K mixture logits and, for each
 * component k, a mean vector μ_k ∈ R^A and a log-std vector (diagonal covariance).
 * K = 1 is a plain diagonal Gaussian.
 *
 *   MLP output row = [ logits (K) | μ (K·A, component-major) | raw log-std (K·A) ]
 *   log σ = log(minStd) + (log(maxStd) − log(minStd)) · sigmoid(raw)     (a smooth clamp)
 *
 * The parameters come from the MLP's JavaScript forward pass; sampling, the mode and entropy
 * estimates use random numbers from our Rng, so they are deterministic.
 * Samples are clipped to the action box [-1, 1]^A; `logProb` is the density of the unclipped
 * mixture (the usual convention).
 *
 * Temperature T > 0 (used by `act`): the mixture weights are sharpened to softmax(logits / T)
 * and every component's std is scaled by sqrt(T) (variance × T). T = 1 is the learned policy,
 * T < 1 narrower and more greedy, T > 1 broader; T = 0 is the greedy `mode`.
 */
import type { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import { mlpShape, positiveInt, stdBounds } from './head-config.ts';
import { Mlp, fitMlp, normaliseWeights, type Activation, type FitOptions, type LossHead, type MlpConfig } from './mlp.ts';
import { exp as exactExp } from './exact-math.ts';
import { logSumExpAt, rowMeanHead, sigmoid } from './mlp-train.ts';
import type { Checkpoint } from './checkpoint.ts';
import { HALF_LOG_2PI, MlpModel, rawForStd, readMlpCheckpoint, stdClamp } from './mlp-model.ts';

export interface PolicyConfig {
  obsSize: number;
  actSize: number;
  /** hidden layer widths; default [64, 64] */
  hidden?: number[];
  /** mixture components K; default 3 */
  components?: number;
  /** lower clamp of every component's std; default 0.02 */
  minStd?: number;
  /** upper clamp of every component's std; default 1 */
  maxStd?: number;
  /** every component's std at initialisation (between minStd and maxStd); default 0.5 */
  initStd?: number;
  /** hidden activation; default 'tanh' */
  activation?: Activation;
}

export type ResolvedPolicyConfig = Required<PolicyConfig>;
export type PolicyCheckpoint = Checkpoint<'policy', ResolvedPolicyConfig>;

export interface PolicyData {
  /** n × obsSize, row-major */
  obs: Float32Array;
  /** n × actSize, row-major */
  act: Float32Array;
  /** per-row weights (e.g. from the trajectory's outcome); normalised to mean 1 */
  weight?: Float32Array;
  n: number;
}

export type PolicyFitOptions = FitOptions;

const LOG_2PI = Math.log(2 * Math.PI);

export function resolvePolicyConfig(cfg: PolicyConfig): ResolvedPolicyConfig {
  const p = 'policy';
  const { minStd, maxStd, initStd } = stdBounds(p, cfg, { minStd: 0.02, initStd: 0.5 });
  const { hidden, activation } = mlpShape(p, cfg);
  return {
    obsSize: positiveInt(p, cfg.obsSize, 'obsSize'),
    actSize: positiveInt(p, cfg.actSize, 'actSize'),
    hidden,
    components: positiveInt(p, cfg.components ?? 3, 'components'),
    minStd,
    maxStd,
    initStd,
    activation,
  };
}

/** Mixture parameters per row, read back to JS (log-std already clamped). */
export interface MixtureParams {
  n: number;
  /** n × K */
  logits: Float32Array;
  /** n × K × A */
  means: Float32Array;
  /** n × K × A */
  logStd: Float32Array;
}

export class Policy extends MlpModel<'policy', ResolvedPolicyConfig> {
  private constructor(config: ResolvedPolicyConfig, mlp: Mlp) {
    super('policy', config, mlp);
  }

  /**
   * Fresh policy. Hidden weights are Glorot-uniform (seeded from rng); the output layer starts
   * small (gain 0.1) so every state begins near the same mixture: equal weights, std = initStd,
   * and component means spread over [-0.5, 0.5] per dimension (a per-dimension random
   * permutation of evenly spaced values) so the components are not symmetric.
   */
  static create(cfg: PolicyConfig, rng: Rng): Policy {
    const c = resolvePolicyConfig(cfg);
    const K = c.components;
    const A = c.actSize;
    const mlp = Mlp.create(policyMlpConfig(c), rng.fork('mlp'));
    const w = mlp.getWeights();
    const bias = w[w.length - 1];
    const spread = rng.fork('means');
    for (let a = 0; a < A; a++) {
      const order = spread.shuffle(Array.from({ length: K }, (_, k) => k));
      for (let k = 0; k < K; k++) bias[K + k * A + a] = K === 1 ? 0 : -0.5 + order[k] / (K - 1);
    }
    const raw = rawForStd(c.minStd, c.maxStd, c.initStd);
    for (let i = 0; i < K * A; i++) bias[K + K * A + i] = raw;
    mlp.setWeights(w);
    return new Policy(c, mlp);
  }

  get components(): number {
    return this.config.components;
  }

  /** Read the mixture parameters of n observation rows back to JS. */
  params(obs: Float32Array, n: number): MixtureParams {
    this.checkObs(obs, n);
    const K = this.config.components;
    const KA = K * this.config.actSize;
    if (n === 0) return { n, logits: new Float32Array(0), means: new Float32Array(0), logStd: new Float32Array(0) };
    const out = this.mlp.forward(obs, n);
    const W = K + 2 * KA;
    const { lo, span } = stdClamp(this.config.minStd, this.config.maxStd);
    const logits = new Float32Array(n * K);
    const means = new Float32Array(n * KA);
    const logStd = new Float32Array(n * KA);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) logits[i * K + k] = out[i * W + k];
      for (let j = 0; j < KA; j++) {
        means[i * KA + j] = out[i * W + K + j];
        logStd[i * KA + j] = lo + span * sigmoid(out[i * W + K + KA + j]);
      }
    }
    return { n, logits, means, logStd };
  }

  /**
   * Sample one action per row (n × A, clipped to [-1, 1]). Per row the draws are: one
   * categorical for the component (skipped when K = 1), then A normals. See the file comment
   * for the meaning of temperature; T = 0 returns `mode`.
   */
  act(obs: Float32Array, n: number, rng: Rng, temperature = 1): Float32Array {
    if (!(temperature >= 0) || !Number.isFinite(temperature)) {
      throw new ConfigError('temperature', `is ${temperature}`, 'a finite number >= 0');
    }
    if (temperature === 0) return this.mode(obs, n);
    const p = this.params(obs, n);
    return sampleMixture(p, this.config.components, this.config.actSize, rng, temperature, true);
  }

  /** Greedy action: the mean of the most likely component (first on ties), clipped to [-1, 1]. */
  mode(obs: Float32Array, n: number): Float32Array {
    const K = this.config.components;
    const A = this.config.actSize;
    const p = this.params(obs, n);
    const out = new Float32Array(n * A);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (p.logits[i * K + k] > p.logits[i * K + best]) best = k;
      for (let a = 0; a < A; a++) out[i * A + a] = clip1(p.means[(i * K + best) * A + a]);
    }
    return out;
  }

  /** log π(act | obs) per row (log-sum-exp over components). */
  logProb(obs: Float32Array, act: Float32Array, n: number): Float32Array {
    this.checkObs(obs, n);
    if (act.length !== n * this.config.actSize) throw new Error(`Policy.logProb: act has ${act.length} values, expected ${n}x${this.config.actSize}`);
    if (n === 0) return new Float32Array(0);
    const p = this.params(obs, n);
    const K = this.config.components;
    const A = this.config.actSize;
    const out = new Float32Array(n);
    const comp = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const lseL = K === 1 ? 0 : logSumExpAt(p.logits, i * K, K);
      for (let k = 0; k < K; k++) {
        let l = K === 1 ? 0 : p.logits[i * K + k] - lseL;
        for (let a = 0; a < A; a++) {
          const j = (i * K + k) * A + a;
          const z = (act[i * A + a] - p.means[j]) * exactExp(-p.logStd[j]);
          l += -0.5 * z * z - p.logStd[j] - HALF_LOG_2PI;
        }
        comp[k] = l;
      }
      out[i] = K === 1 ? comp[0] : logSumExpAt(comp, 0, K);
    }
    return out;
  }

  /**
   * Mean differential entropy (nats) of π(· | s) over the n states. K = 1: exact,
   * Σ_a (½ log(2πe) + log σ_a). K > 1: Monte-Carlo, −mean log π(x | s) over `samples` unclipped
   * draws x per state (rng supplies the draws).
   */
  entropy(obs: Float32Array, n: number, rng: Rng, samples = 16): number {
    if (n === 0) return NaN;
    const K = this.config.components;
    const A = this.config.actSize;
    const p = this.params(obs, n);
    if (K === 1) {
      let total = 0;
      for (let i = 0; i < n * A; i++) total += 0.5 * (LOG_2PI + 1) + p.logStd[i];
      return total / n;
    }
    if (!Number.isInteger(samples) || samples < 1) throw new ConfigError('samples', `is ${samples}`, 'an integer >= 1');
    let total = 0;
    const x = new Float64Array(A);
    const lw = new Float64Array(K);
    const lc = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      logSoftmaxRow(p.logits, i * K, K, 1, lw);
      for (let s = 0; s < samples; s++) {
        const k = drawComponent(lw, rng);
        for (let a = 0; a < A; a++) {
          const j = (i * K + k) * A + a;
          x[a] = p.means[j] + Math.exp(p.logStd[j]) * rng.normal();
        }
        for (let c = 0; c < K; c++) {
          let l = lw[c];
          for (let a = 0; a < A; a++) {
            const j = (i * K + c) * A + a;
            const z = (x[a] - p.means[j]) / Math.exp(p.logStd[j]);
            l += -0.5 * z * z - p.logStd[j] - 0.5 * LOG_2PI;
          }
          lc[c] = l;
        }
        total -= logSumExp(lc);
      }
    }
    return total / (n * samples);
  }

  /**
   * Spread of the policy's actions over the given states: draw `samplesPerRow` actions per state
   * (T = 1, clipped), take each action dimension's standard deviation over all draws, and average
   * over dimensions. It includes both the policy's own noise and its variation across states.
   */
  actionStd(obs: Float32Array, n: number, rng: Rng, samplesPerRow = 1): number {
    const A = this.config.actSize;
    if (n === 0) return NaN;
    const p = this.params(obs, n);
    const sum = new Float64Array(A);
    const sq = new Float64Array(A);
    let m = 0;
    for (let r = 0; r < samplesPerRow; r++) {
      const acts = sampleMixture(p, this.config.components, A, rng, 1, true);
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < A; a++) {
          const v = acts[i * A + a];
          sum[a] += v;
          sq[a] += v * v;
        }
      }
      m += n;
    }
    let total = 0;
    for (let a = 0; a < A; a++) {
      const mean = sum[a] / m;
      total += Math.sqrt(Math.max(0, sq[a] / m - mean * mean));
    }
    return total / A;
  }

  /**
   * Weighted maximum likelihood: minimise mean_i w_i · (−log π(a_i | s_i)) (+ L2) with Adam over
   * minibatches shuffled by rng; weights are normalised to mean 1. Returns each epoch's mean
   * loss. To warm-start, fit a `clone()` of the previous policy.
   */
  fit(data: PolicyData, opts: PolicyFitOptions, rng: Rng): { loss: number[] } {
    const { obs, act, n } = data;
    const O = this.config.obsSize;
    const A = this.config.actSize;
    this.checkObs(obs, n);
    if (act.length !== n * A) throw new ConfigError('fit.act', `has ${act.length} values, expected ${n}x${A}`);
    const w = normaliseWeights(data.weight, n);
    const loss = fitMlp(this.mlp, n, opts, rng, obs, policyHead(this.config, act, w), 'policy.fit');
    return { loss };
  }

  clone(): Policy {
    return new Policy(this.config, this.mlp.clone());
  }

  static fromJSON(json: unknown): Policy {
    const { config, mlp } = readMlpCheckpoint<ResolvedPolicyConfig>(json, 'policy', resolvePolicyConfig, policyMlpConfig);
    return new Policy(config, mlp);
  }

  private checkObs(obs: Float32Array, n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new ConfigError('n', `is ${n}`, 'an integer >= 0');
    if (obs.length !== n * this.config.obsSize) {
      throw new ConfigError('obs', `has ${obs.length} values, expected ${n}x${this.config.obsSize}`);
    }
  }
}

/**
 * The fit's loss head: −mean_i w_i · log π(a_i | s_i) of a minibatch and its gradient with respect
 * to the network's outputs [logits | means | raw log-std], in closed form. With r_k the
 * responsibility of component k (its posterior given the action), π_k its weight, z = (a − μ)/σ:
 * ∂log π/∂logit_k = r_k − π_k, ∂log π/∂μ = r_k z/σ, ∂log π/∂log σ = r_k (z² − 1).
 */
export function policyHead(c: ResolvedPolicyConfig, act: Float32Array, weight: Float32Array): LossHead {
  const K = c.components;
  const A = c.actSize;
  const KA = K * A;
  const W = K + 2 * KA;
  const { lo, span } = stdClamp(c.minStd, c.maxStd);
  const comp = new Float64Array(K);
  const resp = new Float64Array(K);
  const zs = new Float64Array(KA);
  const invs = new Float64Array(KA);
  const dls = new Float64Array(KA);
  return rowMeanHead(W, (row, o, m, out, dOut) => {
    const coef = -weight[row] / m;
    comp.fill(0);
    for (let k = 0; k < K; k++) {
      for (let a = 0; a < A; a++) {
        const idx = k * A + a;
        const sg = sigmoid(out[o + K + KA + idx]);
        const ls = lo + span * sg;
        const inv = exactExp(-ls);
        const z = (act[row * A + a] - out[o + K + idx]) * inv;
        zs[idx] = z;
        invs[idx] = inv;
        dls[idx] = span * sg * (1 - sg);
        comp[k] += -0.5 * z * z - ls - HALF_LOG_2PI;
      }
    }
    let lp: number;
    if (K === 1) {
      lp = comp[0];
      resp[0] = 1;
      dOut[o] = 0;
    } else {
      const lseL = logSumExpAt(out, o, K);
      for (let k = 0; k < K; k++) comp[k] += out[o + k] - lseL;
      lp = logSumExpAt(comp, 0, K);
      for (let k = 0; k < K; k++) {
        resp[k] = exactExp(comp[k] - lp);
        dOut[o + k] = coef * (resp[k] - exactExp(out[o + k] - lseL));
      }
    }
    for (let k = 0; k < K; k++) {
      for (let a = 0; a < A; a++) {
        const idx = k * A + a;
        const z = zs[idx];
        dOut[o + K + idx] = coef * resp[k] * z * invs[idx];
        dOut[o + K + KA + idx] = coef * resp[k] * (z * z - 1) * dls[idx];
      }
    }
    return -weight[row] * lp;
  });
}

function policyMlpConfig(c: ResolvedPolicyConfig): MlpConfig {
  const K = c.components;
  return { inputSize: c.obsSize, hidden: c.hidden, outputSize: K + 2 * K * c.actSize, activation: c.activation, outputGain: 0.1 };
}

function clip1(v: number): number {
  return v < -1 ? -1 : v > 1 ? 1 : v;
}

function logSumExp(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i] - m);
  return m + Math.log(s);
}

/** log softmax(logits[off .. off+K) / T) into out. */
function logSoftmaxRow(logits: Float32Array, off: number, K: number, T: number, out: Float64Array): void {
  for (let k = 0; k < K; k++) out[k] = logits[off + k] / T;
  const l = logSumExp(out.subarray(0, K));
  for (let k = 0; k < K; k++) out[k] -= l;
}

/** Component index from log-weights (one rng.float()). */
function drawComponent(logW: Float64Array, rng: Rng): number {
  const K = logW.length;
  if (K === 1) return 0;
  let r = rng.float();
  for (let k = 0; k < K; k++) {
    r -= Math.exp(logW[k]);
    if (r < 0) return k;
  }
  return K - 1;
}

/** One draw per row from the mixture at temperature T (see the file comment). */
export function sampleMixture(p: MixtureParams, K: number, A: number, rng: Rng, T: number, clip: boolean): Float32Array {
  const out = new Float32Array(p.n * A);
  const lw = new Float64Array(K);
  const scale = Math.sqrt(T);
  for (let i = 0; i < p.n; i++) {
    let k = 0;
    if (K > 1) {
      logSoftmaxRow(p.logits, i * K, K, T, lw);
      k = drawComponent(lw, rng);
    }
    for (let a = 0; a < A; a++) {
      const j = (i * K + k) * A + a;
      const v = p.means[j] + scale * Math.exp(p.logStd[j]) * rng.normal();
      out[i * A + a] = clip ? clip1(v) : v;
    }
  }
  return out;
}
