/**
 * A tiny multi-layer perceptron. Its weights live in tf.variables, initialised by our Rng
 * (identical on every backend and platform); its forward pass (`forward`) and its training
 * (`fitMlp`) run in plain JavaScript (`agents/mlp-train.ts`), the same bits in every engine.
 * `apply` is the same forward pass in tfjs.
 *
 * Layer i: W_i [in, out] (Glorot uniform from `rng.fork('layer<i>')`), b_i [out] (zeros).
 * Hidden layers use `activation`; the output layer is linear and its weights are scaled by
 * `outputGain` (small output layers start near their bias, a common trick for policy heads).
 */
import type { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import { tf } from './tf.ts';
import { forward, trainNet, type Activation, type FitOptions, type LossHead, type TrainNet } from './mlp-train.ts';

export { checkFitOptions, type Activation, type FitOptions, type LossHead } from './mlp-train.ts';

export interface MlpConfig {
  inputSize: number;
  hidden: number[];
  outputSize: number;
  /** hidden activation; default 'tanh' */
  activation?: Activation;
  /** multiplier on the output layer's initial weights; default 1 */
  outputGain?: number;
}

export type ResolvedMlpConfig = Required<MlpConfig>;

export function resolveMlpConfig(cfg: MlpConfig, path = 'mlp'): ResolvedMlpConfig {
  const posInt = (v: unknown, p: string): number => {
    // Stryker disable next-line ConditionalExpression: Number.isInteger is false for every non-number
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(`${path}.${p}`, `is ${String(v)}`, 'an integer >= 1');
    return v;
  };
  const hidden = cfg.hidden ?? [];
  if (!Array.isArray(hidden)) throw new ConfigError(`${path}.hidden`, 'must be an array of layer widths', 'e.g. [32, 32]');
  hidden.forEach((h, i) => posInt(h, `hidden[${i}]`));
  const activation = cfg.activation ?? 'tanh';
  if (!['tanh', 'relu', 'elu'].includes(activation)) throw new ConfigError(`${path}.activation`, `is ${activation}`, 'tanh, relu, elu');
  const outputGain = cfg.outputGain ?? 1;
  if (!Number.isFinite(outputGain) || outputGain < 0) throw new ConfigError(`${path}.outputGain`, `is ${outputGain}`, 'a finite number >= 0');
  return {
    inputSize: posInt(cfg.inputSize, 'inputSize'),
    hidden: [...hidden],
    outputSize: posInt(cfg.outputSize, 'outputSize'),
    activation,
    outputGain,
  };
}

/** Glorot (Xavier) uniform: U(-l, l), l = gain * sqrt(6 / (fanIn + fanOut)), row-major [fanIn, fanOut]. */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng, gain = 1): Float32Array {
  const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  // Stryker disable next-line EqualityOperator: the write past the end is ignored, and the rng is this layer's own fork
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
  return out;
}

export interface TensorShape {
  name: string;
  shape: number[];
}

export class Mlp {
  readonly config: ResolvedMlpConfig;
  private vars: tf.Variable[];
  private isDisposed = false;
  /** The weights in double precision for the JavaScript forward pass (made on first use, dropped by setWeights). */
  private net: TrainNet | null = null;

  private constructor(config: ResolvedMlpConfig, values: Float32Array[]) {
    this.config = config;
    const shapes = Mlp.shapesOf(config);
    if (values.length !== shapes.length) throw new Error(`Mlp: ${values.length} weight arrays, expected ${shapes.length}`);
    shapes.forEach((s, i) => {
      const size = s.shape.reduce((p, d) => p * d, 1);
      if (values[i].length !== size) throw new Error(`Mlp: ${s.name} has ${values[i].length} values, expected ${size}`);
    });
    this.vars = tf.tidy(() => shapes.map((s, i) => tf.variable(tf.tensor(values[i], s.shape, 'float32'), true)));
  }

  /** Fresh weights: Glorot-uniform W from `rng.fork('layer<i>')`, zero biases. */
  static create(cfg: MlpConfig, rng: Rng): Mlp {
    const c = resolveMlpConfig(cfg);
    const sizes = [c.inputSize, ...c.hidden, c.outputSize];
    const values: Float32Array[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const last = i + 2 === sizes.length;
      values.push(glorotUniform(sizes[i], sizes[i + 1], rng.fork(`layer${i}`), last ? c.outputGain : 1));
      values.push(new Float32Array(sizes[i + 1]));
    }
    return new Mlp(c, values);
  }

  /** An MLP with the given weights (in `shapesOf` order). */
  static fromWeights(cfg: MlpConfig, values: Float32Array[]): Mlp {
    return new Mlp(resolveMlpConfig(cfg), values);
  }

  /** Names and shapes of the weight tensors, in order: w0, b0, w1, b1, ... */
  static shapesOf(cfg: ResolvedMlpConfig): TensorShape[] {
    const sizes = [cfg.inputSize, ...cfg.hidden, cfg.outputSize];
    const out: TensorShape[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      out.push({ name: `w${i}`, shape: [sizes[i], sizes[i + 1]] });
      out.push({ name: `b${i}`, shape: [sizes[i + 1]] });
    }
    return out;
  }

  shapes(): TensorShape[] {
    return Mlp.shapesOf(this.config);
  }

  get numParams(): number {
    return this.shapes().reduce((p, s) => p + s.shape.reduce((q, d) => q * d, 1), 0);
  }

  /**
   * The tf.variables (a tfjs optimizer's varList: bench/run.ts times a tfjs fit with them). A change
   * made through them is not seen by `forward`, which keeps its own copy until setWeights.
   */
  get variables(): tf.Variable[] {
    this.check();
    return this.vars;
  }

  /** Forward pass: x [n, inputSize] -> [n, outputSize]. Call inside tf.tidy (or dispose the result). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    this.check();
    let h: tf.Tensor2D = x;
    const layers = this.vars.length / 2;
    for (let i = 0; i < layers; i++) {
      const z = tf.add(tf.matMul(h, this.vars[2 * i] as tf.Tensor2D), this.vars[2 * i + 1]) as tf.Tensor2D;
      if (i + 1 === layers) h = z;
      else if (this.config.activation === 'tanh') h = tf.tanh(z);
      else if (this.config.activation === 'relu') h = tf.relu(z);
      else h = tf.elu(z);
    }
    return h;
  }

  /**
   * Forward pass on plain data in JavaScript (double precision, the same bits in every engine):
   * x is n rows of inputSize, returns n rows of outputSize. `apply` is the same function in tfjs.
   */
  forward(x: Float32Array, n: number): Float64Array {
    this.check();
    if (x.length !== n * this.config.inputSize) throw new Error(`Mlp.forward: ${x.length} values, expected ${n}x${this.config.inputSize}`);
    this.net ??= trainCopy(this);
    return forward(this.net, x, n);
  }

  /** `forward` rounded to float32. */
  predict(x: Float32Array, n: number): Float32Array {
    return Float32Array.from(this.forward(x, n));
  }

  /** Copies of the weights, in `shapes()` order. */
  getWeights(): Float32Array[] {
    this.check();
    return this.vars.map((v) => new Float32Array(v.dataSync()));
  }

  setWeights(values: Float32Array[]): void {
    this.check();
    const shapes = this.shapes();
    if (values.length !== shapes.length) throw new Error(`Mlp.setWeights: ${values.length} arrays, expected ${shapes.length}`);
    shapes.forEach((s, i) => {
      const size = s.shape.reduce((p, d) => p * d, 1);
      if (values[i].length !== size) throw new Error(`Mlp.setWeights: ${s.name} has ${values[i].length} values, expected ${size}`);
    });
    tf.tidy(() => {
      this.vars.forEach((v, i) => v.assign(tf.tensor(values[i], shapes[i].shape, 'float32')));
    });
    this.net = null;
  }

  clone(): Mlp {
    return new Mlp(this.config, this.getWeights());
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  dispose(): void {
    // Stryker disable next-line ConditionalExpression: disposing again finds no variables left
    if (this.isDisposed) return;
    for (const v of this.vars) v.dispose();
    // Stryker disable next-line ArrayDeclaration: a disposed Mlp refuses every use before reading vars
    this.vars = [];
    this.isDisposed = true;
  }

  private check(): void {
    if (this.isDisposed) throw new Error('Mlp: used after dispose()');
  }
}

/** The network's weights as a double-precision copy to train (`agents/mlp-train.ts`). */
function trainCopy(mlp: Mlp): TrainNet {
  const c = mlp.config;
  const w = mlp.getWeights();
  const L = w.length / 2;
  return {
    sizes: [c.inputSize, ...c.hidden, c.outputSize],
    activation: c.activation,
    W: Array.from({ length: L }, (_, l) => Float64Array.from(w[2 * l])),
    b: Array.from({ length: L }, (_, l) => Float64Array.from(w[2 * l + 1])),
  };
}

/** Per-row weights normalised to mean 1 (all ones when absent). */
export function normaliseWeights(weight: Float32Array | undefined, n: number, path = 'fit.weight'): Float32Array {
  const out = new Float32Array(n);
  if (!weight) return out.fill(1);
  if (weight.length !== n) throw new ConfigError(path, `has ${weight.length} values, expected ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weight[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new ConfigError(`${path}[${i}]`, `is ${w}`, 'a finite number >= 0');
    sum += w;
  }
  if (!(sum > 0)) throw new ConfigError(path, 'all weights are zero', 'at least one weight > 0');
  // Stryker disable next-line EqualityOperator: the write past the end is ignored
  for (let i = 0; i < n; i++) out[i] = (weight[i] * n) / sum;
  return out;
}

/**
 * Train the MLP in place (plain JavaScript, see `agents/mlp-train.ts`): Adam over shuffled
 * minibatches of `input` (n rows of inputSize), `head` giving each batch's loss and output
 * gradient. The weights are trained in double precision and stored back as float32 at the end.
 * Returns the mean minimised loss of each epoch.
 */
export function fitMlp(mlp: Mlp, n: number, options: FitOptions, rng: Rng, input: Float32Array, head: LossHead, path = 'fit'): number[] {
  const net = trainCopy(mlp);
  const losses = trainNet(net, n, options, rng, input, head, path);
  mlp.setWeights(net.W.flatMap((w, l) => [Float32Array.from(w), Float32Array.from(net.b[l])]));
  return losses;
}
