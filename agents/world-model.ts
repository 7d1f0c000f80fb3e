/**
 * World model in player 0's ego frame:
 *   input  [obs0 (O), action0 (A), action1 (A)]
 *   output next obs0 ~ N(obs0 + Δμ, diag σ²)   (the MLP predicts the delta Δμ and a log-std)
 *          outcome  ~ Categorical(softmax(logits)) over {0: continues, 1: player 0 wins, 2: player 1 wins}
 *
 *   MLP output row = [ Δμ (O) | raw log-std (O) | outcome logits (3) ]
 *   log σ = log(minStd) + (log(maxStd) − log(minStd)) · sigmoid(raw)     (a smooth clamp)
 *
 * Predicted means and samples are clipped to the observation box [obsLow, obsHigh] when given.
 * Temperature T in `sample` means what it means for the policy: the std is scaled by sqrt(T) and
 * the outcome distribution sharpened to softmax(logits / T); T = 0 gives the mean and the argmax.
 */
import type { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import { mlpShape, positiveInt, stdBounds } from './head-config.ts';
import { Mlp, fitMlp, normaliseWeights, type Activation, type FitOptions, type LossHead, type MlpConfig } from './mlp.ts';
import { exp as exactExp } from './exact-math.ts';
import { logSumExpAt, rowMeanHead, sigmoid } from './mlp-train.ts';
import type { Checkpoint } from './checkpoint.ts';
import { HALF_LOG_2PI, MlpModel, rawForStd, readMlpCheckpoint, stdClamp } from './mlp-model.ts';

export const OUTCOME_CONTINUES = 0;
export const OUTCOME_P0_WINS = 1;
export const OUTCOME_P1_WINS = 2;
export const OUTCOME_CLASSES = 3;

export interface WorldModelConfig {
  obsSize: number;
  actSize: number;
  /** hidden layer widths; default [64, 64] */
  hidden?: number[];
  /** lower clamp of the next-observation std; default 1e-3 */
  minStd?: number;
  /** upper clamp of the next-observation std; default 1 */
  maxStd?: number;
  /** std at initialisation; default 0.1 */
  initStd?: number;
  /** per-dimension observation bounds; predictions and samples are clipped to them */
  obsLow?: number[] | null;
  obsHigh?: number[] | null;
  activation?: Activation;
  /** added to the outcome logits wherever the model speaks of reality (see WorldModel.fit's outcomeClassWeights) */
  outcomeShift?: number[] | null;
}

export interface ResolvedWorldModelConfig {
  obsSize: number;
  actSize: number;
  hidden: number[];
  minStd: number;
  maxStd: number;
  initStd: number;
  obsLow: number[] | null;
  obsHigh: number[] | null;
  activation: Activation;
  /**
   * Logit adjustment of a head trained with outcome class weights w: log(1/w_y), centred, added to
   * the outcome logits so that predictions and samples carry the training data's real class
   * frequencies again; absent when the head was trained unweighted.
   */
  outcomeShift?: number[];
}

export type WorldModelCheckpoint = Checkpoint<'world-model', ResolvedWorldModelConfig>;

export interface WorldModelData {
  /** n × O */
  obs: Float32Array;
  /** n × A, player 0's action */
  a0: Float32Array;
  /** n × A, player 1's action */
  a1: Float32Array;
  /** n × O, the observation after the step */
  next: Float32Array;
  /** n outcome classes (0 continues, 1 player 0 wins, 2 player 1 wins) */
  outcome: Int32Array;
  /** per-row weights, normalised to mean 1 */
  weight?: Float32Array;
  n: number;
}

export interface WorldModelFitOptions extends FitOptions {
  /** weight of each outcome class in the cross-entropy; 'balanced' = n / (3 · count) for present classes; default [1, 1, 1] */
  outcomeClassWeights?: [number, number, number] | 'balanced';
  /** multiplier on the cross-entropy term; default 1 */
  outcomeLossWeight?: number;
  /** β of β-NLL (each dimension's NLL scaled by σ^(2β), held constant); default 0.5 */
  nllBeta?: number;
}

export interface WorldModelScores {
  nll: number;
  ce: number;
  accuracy: number;
  mae: number;
  /** per outcome class (continues, player 0 wins, player 1 wins): share of its rows predicted right; NaN when absent */
  recall: [number, number, number];
  /** the majority-class rate of the data */
  baseline: number;
}

export interface WorldModelPrediction {
  /** n × O, next-observation mean (clipped to the bounds) */
  mean: Float32Array;
  /** n × O */
  std: Float32Array;
  /** n × 3 outcome probabilities */
  outcome: Float32Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

export function resolveWorldModelConfig(cfg: WorldModelConfig): ResolvedWorldModelConfig {
  const p = 'worldModel';
  const obsSize = positiveInt(p, cfg.obsSize, 'obsSize');
  const actSize = positiveInt(p, cfg.actSize, 'actSize');
  const { minStd, maxStd, initStd } = stdBounds(p, cfg, { minStd: 1e-3, initStd: 0.1 });
  const bound = (b: number[] | null | undefined, name: string): number[] | null => {
    if (b === undefined || b === null) return null;
    if (!Array.isArray(b) || b.length !== obsSize) throw new ConfigError(`${p}.${name}`, `must have ${obsSize} numbers`);
    b.forEach((v, i) => {
      if (typeof v !== 'number' || Number.isNaN(v)) throw new ConfigError(`${p}.${name}[${i}]`, `is ${String(v)}`, 'a number');
    });
    return [...b];
  };
  const obsLow = bound(cfg.obsLow, 'obsLow');
  const obsHigh = bound(cfg.obsHigh, 'obsHigh');
  if (obsLow && obsHigh) {
    obsLow.forEach((lo, i) => {
      if (!(lo <= obsHigh[i])) throw new ConfigError(`${p}.obsLow[${i}]`, `is ${lo} > obsHigh ${obsHigh[i]}`);
    });
  }
  const { hidden, activation } = mlpShape(p, cfg);
  const shift = cfg.outcomeShift;
  if (shift !== undefined && shift !== null) {
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number
    if (!Array.isArray(shift) || shift.length !== OUTCOME_CLASSES || shift.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new ConfigError(`${p}.outcomeShift`, `is ${JSON.stringify(shift)}`, 'three finite numbers');
    }
    return { obsSize, actSize, hidden: [...hidden], minStd, maxStd, initStd, obsLow, obsHigh, activation, outcomeShift: [...shift] };
  }
  return { obsSize, actSize, hidden: [...hidden], minStd, maxStd, initStd, obsLow, obsHigh, activation };
}

function wmMlpConfig(c: ResolvedWorldModelConfig): MlpConfig {
  return {
    inputSize: c.obsSize + 2 * c.actSize,
    hidden: c.hidden,
    outputSize: 2 * c.obsSize + OUTCOME_CLASSES,
    activation: c.activation,
    outputGain: 0.1,
  };
}

export class WorldModel extends MlpModel<'world-model', ResolvedWorldModelConfig> {
  private constructor(config: ResolvedWorldModelConfig, mlp: Mlp) {
    super('world-model', config, mlp);
  }

  /** Fresh model: Glorot hidden layers from rng, small output layer, std = initStd, uniform outcome. */
  static create(cfg: WorldModelConfig, rng: Rng): WorldModel {
    const c = resolveWorldModelConfig(cfg);
    const mlp = Mlp.create(wmMlpConfig(c), rng.fork('mlp'));
    const w = mlp.getWeights();
    const bias = w[w.length - 1];
    const raw = rawForStd(c.minStd, c.maxStd, c.initStd);
    for (let i = 0; i < c.obsSize; i++) bias[c.obsSize + i] = raw;
    mlp.setWeights(w);
    return new WorldModel(c, mlp);
  }

  /** Read back [Δμ | log σ | outcome probs] for n rows. */
  private heads(obs: Float32Array, a0: Float32Array, a1: Float32Array, n: number, adjusted = true): Float32Array {
    this.checkInputs(obs, a0, a1, n);
    const x = this.inputMatrix(obs, a0, a1, n);
    const shift = adjusted ? this.config.outcomeShift : undefined;
    const O = this.config.obsSize;
    const C = OUTCOME_CLASSES;
    const W = 2 * O + C;
    const raw = this.mlp.forward(x, n);
    const { lo, span } = stdClamp(this.config.minStd, this.config.maxStd);
    const out = new Float32Array(n * W);
    const logits = new Float64Array(C);
    for (let i = 0; i < n; i++) {
      const o = i * W;
      for (let d = 0; d < O; d++) {
        out[o + d] = raw[o + d];
        out[o + O + d] = lo + span * sigmoid(raw[o + O + d]);
      }
      for (let c = 0; c < C; c++) logits[c] = raw[o + 2 * O + c] + (shift ? shift[c] : 0);
      const lse = logSumExpAt(logits, 0, C);
      for (let c = 0; c < C; c++) out[o + 2 * O + c] = exactExp(logits[c] - lse);
    }
    return out;
  }

  /** The predicted next-observation Gaussian and outcome probabilities. */
  predict(obs: Float32Array, a0: Float32Array, a1: Float32Array, n: number): WorldModelPrediction {
    const O = this.config.obsSize;
    const W = 2 * O + OUTCOME_CLASSES;
    const mean = new Float32Array(n * O);
    const std = new Float32Array(n * O);
    const outcome = new Float32Array(n * OUTCOME_CLASSES);
    if (n === 0) return { mean, std, outcome };
    const h = this.heads(obs, a0, a1, n);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < O; d++) {
        mean[i * O + d] = this.clipObs(obs[i * O + d] + h[i * W + d], d);
        std[i * O + d] = Math.exp(h[i * W + O + d]);
      }
      for (let c = 0; c < OUTCOME_CLASSES; c++) outcome[i * OUTCOME_CLASSES + c] = h[i * W + 2 * O + c];
    }
    return { mean, std, outcome };
  }

  /**
   * Draw a next observation and an outcome per row. Per row the draws are O normals, then one
   * float for the outcome. T = 0: the (clipped) mean and the most likely outcome.
   */
  sample(obs: Float32Array, a0: Float32Array, a1: Float32Array, n: number, rng: Rng, temperature = 1): { next: Float32Array; outcome: Int32Array } {
    if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new ConfigError('temperature', `is ${temperature}`, 'a finite number >= 0');
    const O = this.config.obsSize;
    const W = 2 * O + OUTCOME_CLASSES;
    const next = new Float32Array(n * O);
    const outcome = new Int32Array(n);
    if (n === 0) return { next, outcome };
    const h = this.heads(obs, a0, a1, n);
    const scale = Math.sqrt(temperature);
    const pw = new Float64Array(OUTCOME_CLASSES);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < O; d++) {
        const noise = temperature === 0 ? 0 : scale * Math.exp(h[i * W + O + d]) * rng.normal();
        next[i * O + d] = this.clipObs(obs[i * O + d] + h[i * W + d] + noise, d);
      }
      let best = 0;
      for (let c = 0; c < OUTCOME_CLASSES; c++) {
        pw[c] = h[i * W + 2 * O + c];
        if (pw[c] > pw[best]) best = c;
      }
      if (temperature === 0) {
        outcome[i] = best;
        continue;
      }
      // p^(1/T), normalised: the same as softmax(logits / T). (p / p_best)^(1/T) for stability;
      // p_best read once, before the loop overwrites pw[best] with 1
      const top = pw[best];
      let total = 0;
      for (let c = 0; c < OUTCOME_CLASSES; c++) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: p = 0 gives exp(log 0) = 0 anyway; (p·top)^(1/T) is proportional to p^(1/T) too (the division only keeps the numbers small)
        pw[c] = pw[c] > 0 ? Math.exp(Math.log(pw[c] / top) / temperature) : 0;
        total += pw[c];
      }
      let r = rng.float() * total;
      // Stryker disable next-line ArithmeticOperator: a fallback only for rounding that leaves r ≥ 0 after the last class
      let k = OUTCOME_CLASSES - 1;
      for (let c = 0; c < OUTCOME_CLASSES; c++) {
        r -= pw[c];
        // Stryker disable next-line EqualityOperator: r = 0 exactly would need a float draw on a class boundary
        if (r < 0) {
          k = c;
          break;
        }
      }
      outcome[i] = k;
    }
    return { next, outcome };
  }

  /**
   * Weighted maximum likelihood: per row w_i · (Gaussian NLL of next − obs under (Δμ, σ), summed
   * over dimensions, + outcomeLossWeight · classWeight[y] · cross-entropy). Adam over minibatches
   * shuffled by rng. Returns each epoch's mean loss.
   */
  fit(data: WorldModelData, opts: WorldModelFitOptions, rng: Rng): { loss: number[] } {
    const { obs, a0, a1, next, outcome, n } = data;
    const O = this.config.obsSize;
    this.checkInputs(obs, a0, a1, n);
    if (next.length !== n * O) throw new ConfigError('fit.next', `has ${next.length} values, expected ${n}x${O}`);
    if (outcome.length !== n) throw new ConfigError('fit.outcome', `has ${outcome.length} values, expected ${n}`);
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const y = outcome[i];
      if (y !== 0 && y !== 1 && y !== 2) throw new ConfigError(`fit.outcome[${i}]`, `is ${y}`, '0, 1, 2');
      counts[y]++;
    }
    const classW = resolveClassWeights(opts.outcomeClassWeights, counts, n);
    // Logit adjustment (Menon et al. 2021): a head trained with class weights w predicts
    // p(y|x)·w_y up to normalisation; log(1/w_y) added to its logits gives back the data's own
    // class frequencies wherever the model imagines or predicts reality.
    if (opts.outcomeClassWeights !== undefined) {
      const logInv = classW.map((v) => (v > 0 ? -Math.log(v) : 0));
      const mean = logInv.reduce((a, b) => a + b, 0) / OUTCOME_CLASSES;
      this.config = { ...this.config, outcomeShift: logInv.map((v) => v - mean) };
    // Stryker disable next-line ConditionalExpression: dropping an absent outcomeShift leaves the same config
    } else if (this.config.outcomeShift) {
      const { outcomeShift: _dropped, ...rest } = this.config;
      this.config = rest;
    }
    const ceW = opts.outcomeLossWeight ?? 1;
    if (!(ceW >= 0) || !Number.isFinite(ceW)) throw new ConfigError('fit.outcomeLossWeight', `is ${ceW}`, 'a finite number >= 0');
    const beta = opts.nllBeta ?? 0.5;
    if (!(beta >= 0 && beta <= 1)) throw new ConfigError('fit.nllBeta', `is ${beta}`, 'a number in [0, 1]');
    const w = normaliseWeights(data.weight, n);
    const x = this.inputMatrix(obs, a0, a1, n);
    const target = new Float32Array(n * O);
    for (let i = 0; i < n * O; i++) target[i] = next[i] - obs[i];
    // one-hot outcome × class weight × loss weight: the CE term is −Σ_c Y_c log p_c
    const Y = new Float32Array(n * OUTCOME_CLASSES);
    // Stryker disable next-line EqualityOperator: row n writes at index NaN (outcome[n] is undefined), which a typed array ignores
    for (let i = 0; i < n; i++) Y[i * OUTCOME_CLASSES + outcome[i]] = classW[outcome[i]] * ceW;
    const loss = fitMlp(this.mlp, n, opts, rng, x, worldHead(this.config, target, Y, w, beta), 'worldModel.fit');
    return { loss };
  }

  /**
   * Held-out diagnostics (unweighted means): Gaussian NLL of the next observation, outcome
   * cross-entropy, outcome accuracy (argmax), mean absolute error of the predicted mean, the
   * recall of each outcome class, and the majority-class rate (the accuracy of always answering
   * the most common class). `balanced`: the outcome head as trained, without the logit adjustment
   * back to the training data's class frequencies — the decision rule for a class-balanced set.
   */
  evaluate(data: WorldModelData, opts: { balanced?: boolean } = {}): WorldModelScores {
    const { obs, a0, a1, next, outcome, n } = data;
    const O = this.config.obsSize;
    if (n === 0) return { nll: NaN, ce: NaN, accuracy: NaN, mae: NaN, recall: [NaN, NaN, NaN], baseline: NaN };
    const h = this.heads(obs, a0, a1, n, !opts.balanced);
    const W = 2 * O + OUTCOME_CLASSES;
    let nll = 0;
    let ce = 0;
    let correct = 0;
    let mae = 0;
    const counts = [0, 0, 0];
    const hits = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < O; d++) {
        const ls = h[i * W + O + d];
        const z = (next[i * O + d] - obs[i * O + d] - h[i * W + d]) / Math.exp(ls);
        nll += 0.5 * z * z + ls + 0.5 * LOG_2PI;
        mae += Math.abs(next[i * O + d] - this.clipObs(obs[i * O + d] + h[i * W + d], d));
      }
      const p = h.subarray(i * W + 2 * O, i * W + W);
      ce -= Math.log(Math.max(p[outcome[i]], 1e-12));
      let best = 0;
      for (let c = 1; c < OUTCOME_CLASSES; c++) if (p[c] > p[best]) best = c;
      if (best === outcome[i]) {
        correct++;
        hits[outcome[i]]++;
      }
      counts[outcome[i]]++;
    }
    const recall = counts.map((c, k) => (c > 0 ? hits[k] / c : NaN)) as [number, number, number];
    return { nll: nll / n, ce: ce / n, accuracy: correct / n, mae: mae / (n * O), recall, baseline: Math.max(...counts) / n };
  }

  clone(): WorldModel {
    return new WorldModel(this.config, this.mlp.clone());
  }

  static fromJSON(json: unknown): WorldModel {
    const { config, mlp } = readMlpCheckpoint<ResolvedWorldModelConfig>(json, 'world-model', resolveWorldModelConfig, wmMlpConfig);
    return new WorldModel(config, mlp);
  }

  private inputMatrix(obs: Float32Array, a0: Float32Array, a1: Float32Array, n: number): Float32Array {
    const O = this.config.obsSize;
    const A = this.config.actSize;
    const I = O + 2 * A;
    const x = new Float32Array(n * I);
    for (let i = 0; i < n; i++) {
      x.set(obs.subarray(i * O, i * O + O), i * I);
      x.set(a0.subarray(i * A, i * A + A), i * I + O);
      x.set(a1.subarray(i * A, i * A + A), i * I + O + A);
    }
    return x;
  }

  private clipObs(v: number, d: number): number {
    const lo = this.config.obsLow;
    const hi = this.config.obsHigh;
    // Stryker disable next-line EqualityOperator: at the bound, v and the bound are the same value
    if (lo && v < lo[d]) return lo[d];
    // Stryker disable next-line EqualityOperator: at the bound, v and the bound are the same value
    if (hi && v > hi[d]) return hi[d];
    return v;
  }

  private checkInputs(obs: Float32Array, a0: Float32Array, a1: Float32Array, n: number): void {
    const O = this.config.obsSize;
    const A = this.config.actSize;
    if (!Number.isInteger(n) || n < 0) throw new ConfigError('n', `is ${n}`, 'an integer >= 0');
    if (obs.length !== n * O) throw new ConfigError('obs', `has ${obs.length} values, expected ${n}x${O}`);
    if (a0.length !== n * A) throw new ConfigError('a0', `has ${a0.length} values, expected ${n}x${A}`);
    if (a1.length !== n * A) throw new ConfigError('a1', `has ${a1.length} values, expected ${n}x${A}`);
  }
}

/**
 * The fit's loss head: mean_i w_i · (β-NLL of the target change + weighted outcome cross-entropy)
 * of a minibatch and its gradient with respect to the outputs [Δμ | raw log-std | logits], in
 * closed form. Per dimension, with z = (t − Δμ)/σ and the β-NLL weight ω = σ^(2β) held constant:
 * ∂/∂Δμ = −ω z/σ, ∂/∂log σ = ω (1 − z²); per class ∂CE/∂logit_c = p_c Σ_k Y_k − Y_c.
 * Why β-NLL (Seitzer et al. 2022, β = 0.5): plain Gaussian NLL lets the model explain a
 * hard-to-fit change (the shooter's fields after a shot) with a large σ, which then stalls
 * learning its mean.
 */
export function worldHead(c: ResolvedWorldModelConfig, target: Float32Array, Y: Float32Array, weight: Float32Array, beta: number): LossHead {
  const O = c.obsSize;
  const C = OUTCOME_CLASSES;
  const W = 2 * O + C;
  const { lo, span } = stdClamp(c.minStd, c.maxStd);
  return rowMeanHead(W, (row, o, m, out, dOut) => {
    const coef = weight[row] / m;
    let nll = 0;
    for (let d = 0; d < O; d++) {
      const sg = sigmoid(out[o + O + d]);
      const ls = lo + span * sg;
      const inv = exactExp(-ls);
      const z = (target[row * O + d] - out[o + d]) * inv;
      const om = beta === 0 ? 1 : beta === 0.5 ? 1 / inv : exactExp(2 * beta * ls);
      nll += (0.5 * z * z + ls + HALF_LOG_2PI) * om;
      dOut[o + d] = -coef * om * z * inv;
      dOut[o + O + d] = coef * om * (1 - z * z) * span * sg * (1 - sg);
    }
    const lse = logSumExpAt(out, o + 2 * O, C);
    let ySum = 0;
    let ce = 0;
    for (let k = 0; k < C; k++) {
      const y = Y[row * C + k];
      ySum += y;
      ce -= y * (out[o + 2 * O + k] - lse);
    }
    for (let k = 0; k < C; k++) dOut[o + 2 * O + k] = coef * (exactExp(out[o + 2 * O + k] - lse) * ySum - Y[row * C + k]);
    return weight[row] * (nll + ce);
  });
}

function resolveClassWeights(cw: WorldModelFitOptions['outcomeClassWeights'], counts: number[], n: number): number[] {
  if (cw === undefined) return [1, 1, 1];
  if (cw === 'balanced') return counts.map((c) => (c > 0 ? n / (OUTCOME_CLASSES * c) : 0));
  if (!Array.isArray(cw) || cw.length !== OUTCOME_CLASSES || cw.some((v) => !(v >= 0) || !Number.isFinite(v))) {
    throw new ConfigError('fit.outcomeClassWeights', `is ${JSON.stringify(cw)}`, "'balanced' or three finite numbers >= 0");
  }
  return [...cw];
}
