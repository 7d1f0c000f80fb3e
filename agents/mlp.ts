/**
 * A tiny multi-layer perceptron built from tf.variables (no tf.layers), so that initialisation is
 * seeded by our Rng (identical on every backend and platform) and the forward pass is a plain
 * function of its input.
 *
 * Layer i: W_i [in, out] (Glorot uniform from `rng.fork('layer<i>')`), b_i [out] (zeros).
 * Hidden layers use `activation`; the output layer is linear and its weights are scaled by
 * `outputGain` (small output layers start near their bias, a common trick for policy heads).
 */
import type { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import { tf } from './tf.ts';
import { checkInterrupt } from './interrupt.ts';

export type Activation = 'tanh' | 'relu' | 'elu';

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

  /** All trainable variables (for an optimizer's varList). */
  get variables(): tf.Variable[] {
    this.check();
    return this.vars;
  }

  /** The weight matrices only (not biases), for L2 regularisation. */
  get weightMatrices(): tf.Variable[] {
    this.check();
    return this.vars.filter((_, i) => i % 2 === 0);
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

  /** Forward pass on plain data: x is n rows of inputSize, returns n rows of outputSize. */
  predict(x: Float32Array, n: number): Float32Array {
    this.check();
    if (x.length !== n * this.config.inputSize) throw new Error(`Mlp.predict: ${x.length} values, expected ${n}x${this.config.inputSize}`);
    const y = tf.tidy(() => this.apply(tf.tensor2d(x, [n, this.config.inputSize])));
    const out = new Float32Array(y.dataSync());
    y.dispose();
    return out;
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

export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Adam learning rate */
  lr: number;
  /** coefficient of the L2 penalty l2 * sum(W^2) over weight matrices (not biases); default 0 */
  l2?: number;
  /**
   * learning rate at the last step: the rate moves linearly from `lr` to `lrFinal` over all
   * steps (less end-of-training noise); default lr (constant)
   */
  lrFinal?: number;
}

export function checkFitOptions(opts: FitOptions, path = 'fit'): Required<FitOptions> {
  const { epochs, batchSize, lr } = opts;
  const l2 = opts.l2 ?? 0;
  const lrFinal = opts.lrFinal ?? lr;
  if (!(lrFinal > 0) || !Number.isFinite(lrFinal)) throw new ConfigError(`${path}.lrFinal`, `is ${lrFinal}`, 'a finite number > 0');
  if (!Number.isInteger(epochs) || epochs < 0) throw new ConfigError(`${path}.epochs`, `is ${epochs}`, 'an integer >= 0');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError(`${path}.batchSize`, `is ${batchSize}`, 'an integer >= 1');
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ConfigError(`${path}.lr`, `is ${lr}`, 'a finite number > 0');
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new ConfigError(`${path}.l2`, `is ${l2}`, 'a finite number >= 0');
  return { epochs, batchSize, lr, l2, lrFinal };
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

/** Gather rows `rows` of a row-major matrix with `width` columns. */
export function gatherRows(src: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width);
  // Stryker disable next-line EqualityOperator: one step past the end sets an empty row at the end (a no-op)
  for (let i = 0; i < rows.length; i++) out.set(src.subarray(rows[i] * width, rows[i] * width + width), i * width);
  return out;
}

/**
 * One minibatch as tensors: each column's rows (a [m, width] matrix per [data, width] pair) and the
 * per-row weights ([m]). Call inside the batchLoss of fitMinibatches (it runs in tf.tidy).
 */
export function batchTensors(rows: Int32Array, cols: [Float32Array, number][], weight: Float32Array): { x: tf.Tensor2D[]; w: tf.Tensor1D } {
  const m = rows.length;
  return { x: cols.map(([src, width]) => tf.tensor2d(gatherRows(src, width, rows), [m, width])), w: tf.tensor1d(gatherRows(weight, 1, rows)) };
}

/**
 * fitMinibatches over row-aligned columns with per-row weights: `loss(x, w)` gets each minibatch's
 * column tensors (in the order of `cols`) and its weights, and returns the scalar loss.
 */
export function fitColumns(
  mlp: Mlp,
  n: number,
  options: FitOptions,
  rng: Rng,
  cols: [Float32Array, number][],
  weight: Float32Array,
  loss: (x: tf.Tensor2D[], w: tf.Tensor1D) => tf.Scalar,
  path: string,
): number[] {
  return fitMinibatches(
    mlp,
    n,
    options,
    rng,
    (rows) => {
      const { x, w } = batchTensors(rows, cols, weight);
      return () => loss(x, w);
    },
    path,
  );
}

/**
 * The shared training loop: Adam over shuffled minibatches (order drawn from `rng`).
 * `batchLoss(rows)` runs inside tf.tidy: it makes the batch tensors and returns the closure that
 * computes the (scalar, mean over the batch) loss; the L2 penalty is added here.
 * Returns the mean minimised loss of each epoch. The optimizer is created and disposed per call.
 */
export function fitMinibatches(
  mlp: Mlp,
  n: number,
  options: FitOptions,
  rng: Rng,
  batchLoss: (rows: Int32Array) => () => tf.Scalar,
  path = 'fit',
): number[] {
  const opts = checkFitOptions(options, path);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${path}.n`, `is ${n}`, 'an integer >= 1');
  const order = Array.from({ length: n }, (_, i) => i);
  const losses: number[] = [];
  const optimizer = tf.train.adam(opts.lr);
  const vars = mlp.variables;
  const stepsPerEpoch = Math.ceil(n / opts.batchSize);
  const totalSteps = opts.epochs * stepsPerEpoch;
  let step = 0;
  try {
    for (let e = 0; e < opts.epochs; e++) {
      checkInterrupt();
      rng.shuffle(order);
      let total = 0;
      for (let s = 0; s < n; s += opts.batchSize) {
        const rows = Int32Array.from(order.slice(s, Math.min(n, s + opts.batchSize)));
        if (opts.lrFinal !== opts.lr) {
          const frac = totalSteps > 1 ? step / (totalSteps - 1) : 0;
          // AdamOptimizer reads this.learningRate at every step
          (optimizer as unknown as { learningRate: number }).learningRate = opts.lr + (opts.lrFinal - opts.lr) * frac;
        }
        step++;
        const lossT = tf.tidy(() => {
          const f = batchLoss(rows);
          return optimizer.minimize(
            () => {
              const base = f();
              if (opts.l2 === 0) return base;
              const pen = tf.addN(mlp.weightMatrices.map((w) => tf.sum(tf.square(w))));
              return tf.add(base, tf.mul(pen, opts.l2)) as tf.Scalar;
            },
            true,
            vars,
          ) as tf.Scalar;
        });
        const v = lossT.dataSync()[0];
        lossT.dispose();
        if (!Number.isFinite(v)) throw new Error(`${path}: loss became ${v} at epoch ${e}; lower lr or check the data`);
        total += v * rows.length;
      }
      losses.push(total / n);
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}
