/**
 * Training an MLP in plain JavaScript: forward pass, backpropagation and Adam over minibatches,
 * in double precision on copies of the network's weights (written back, rounded to float32, when
 * the fit ends).
 *
 * Why not tfjs: our networks are tiny (two hidden layers of 64), so a tfjs training step is mostly
 * dispatch, tensor bookkeeping and garbage collection (~4 ms for a 128-row minibatch on the wasm
 * backend). Here the three matrix products run in WebAssembly SIMD when the engine has it
 * (`wasm-kernel.ts`: a fit's buffers live in its memory) and as the register-blocked JavaScript
 * loops below otherwise — the same sums in the same order, so the same bits either way. The loss
 * heads (the policy's mixture, `policyHead`, and the world model's, `worldHead`) give their
 * gradients in closed form.
 *
 * Determinism: only + − × ÷ and √ (exact IEEE-754 operations), the exp/log of `exact-math.ts` and
 * a tanh interpolated from a table of its values, so every engine (Node, a browser worker)
 * computes the same bits.
 */
import type { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import { exp, log } from './exact-math.ts';
import { checkInterrupt } from './interrupt.ts';
import { setTanhTable, wasmAdam, wasmGradWeights, wasmMatMulBias, wasmMatMulTransB, wasmTanh, withBuffers } from './wasm-kernel.ts';

export type Activation = 'tanh' | 'relu' | 'elu';

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

/**
 * A loss head: gets a minibatch's row indices (into the fit's data) and the network's outputs for
 * them (rows × outputSize, row-major), returns the batch's mean loss and writes the gradient of
 * that mean with respect to every output into `dOut` (same layout).
 */
export type LossHead = (rows: Int32Array, out: Float64Array, dOut: Float64Array) => number;

/**
 * A loss head that is the batch mean of a per-row loss: `rowLoss(row, o, m, out, dOut)` gets the
 * row's index into the fit's data, its offset o in the batch's outputs and the batch size m,
 * writes the row's share of the gradient (its own gradient / m) into dOut at o, and returns the
 * row's loss.
 */
export function rowMeanHead(width: number, rowLoss: (row: number, o: number, m: number, out: Float64Array, dOut: Float64Array) => number): LossHead {
  return (rows, out, dOut) => {
    const m = rows.length;
    let total = 0;
    for (let r = 0; r < m; r++) total += rowLoss(rows[r], r * width, m, out, dOut);
    return total / m;
  };
}

/** The weights being trained: layer sizes [in, ...hidden, out], W_i row-major [in, out], b_i. */
export interface TrainNet {
  sizes: number[];
  activation: Activation;
  W: Float64Array[];
  b: Float64Array[];
}

/** tanh from the exact exp: the same bits in every engine. */
export function exactTanh(x: number): number {
  if (x > 20) return 1;
  if (x < -20) return -1;
  if (x > -1e-4 && x < 1e-4) return x - (x * x * x) / 3; // (e−1)/(e+1) would cancel
  const e = exp(2 * x);
  return (e - 1) / (e + 1);
}

/** Knots of the tanh table: every 1/128 on [0, 20]. */
const TANH_STEPS = 128;
const TANH_KNOTS = 20 * TANH_STEPS;
const TANH_T = Float64Array.from({ length: TANH_KNOTS + 2 }, (_, i) => exactTanh(i / TANH_STEPS));
/** The slopes at the knots, (1 − tanh²)/TANH_STEPS (the Hermite tangents in a knot interval's units). */
const TANH_D = TANH_T.map((t) => (1 - t * t) / TANH_STEPS);
setTanhTable(TANH_T, TANH_D, TANH_STEPS);

/**
 * tanh for the hidden layers at about a third of the exact one's cost: cubic Hermite interpolation of
 * exactTanh between knots 1/128 apart (slopes 1 − tanh², from the same table), within 1e-10 of
 * tanh; odd, ±1 beyond ±20. Basic operations only, so the same bits in every engine.
 */
export function tanh(x: number): number {
  const ax = x < 0 ? -x : x;
  if (ax >= 20) return x < 0 ? -1 : 1;
  const u = ax * TANH_STEPS;
  const i = u | 0;
  const f = u - i;
  const t0 = TANH_T[i];
  const t1 = TANH_T[i + 1];
  const d0 = TANH_D[i];
  const d1 = TANH_D[i + 1];
  const f2 = f * f;
  const f3 = f2 * f;
  const y = t0 * (2 * f3 - 3 * f2 + 1) + d0 * (f3 - 2 * f2 + f) + t1 * (3 * f2 - 2 * f3) + d1 * (f3 - f2);
  return x < 0 ? -y : y;
}

/** The logistic function 1 / (1 + e^−x) from the exact exp. */
export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}

/** log Σ exp(v[off .. off+k)), stable. */
export function logSumExpAt(v: ArrayLike<number>, off: number, k: number): number {
  let m = -Infinity;
  for (let c = 0; c < k; c++) if (v[off + c] > m) m = v[off + c];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let c = 0; c < k; c++) s += exp(v[off + c] - m);
  return m + log(s);
}

/** C[n×m] = A[n×k] · W[k×m] + bias (two rows × four columns at a time). */
export function matMulBias(A: Float64Array, W: Float64Array, bias: Float64Array, C: Float64Array, n: number, k: number, m: number): void {
  if (wasmMatMulBias(A, W, bias, C, n, k, m)) return;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    const c0 = i * m;
    const c1 = c0 + m;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      let s00 = bias[j], s01 = bias[j + 1], s02 = bias[j + 2], s03 = bias[j + 3];
      let s10 = s00, s11 = s01, s12 = s02, s13 = s03;
      for (let p = 0, w = j; p < k; p++, w += m) {
        const x0 = A[a0 + p];
        const x1 = A[a1 + p];
        const w0 = W[w], w1 = W[w + 1], w2 = W[w + 2], w3 = W[w + 3];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3;
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3;
      }
      C[c0 + j] = s00; C[c0 + j + 1] = s01; C[c0 + j + 2] = s02; C[c0 + j + 3] = s03;
      C[c1 + j] = s10; C[c1 + j + 1] = s11; C[c1 + j + 2] = s12; C[c1 + j + 3] = s13;
    }
    for (; j < m; j++) {
      let s0 = bias[j];
      let s1 = s0;
      for (let p = 0, w = j; p < k; p++, w += m) {
        s0 += A[a0 + p] * W[w];
        s1 += A[a1 + p] * W[w];
      }
      C[c0 + j] = s0;
      C[c1 + j] = s1;
    }
  }
  for (; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = bias[j];
      for (let p = 0, w = j; p < k; p++, w += m) s += A[i * k + p] * W[w];
      C[i * m + j] = s;
    }
  }
}

/** G[k×m] = Aᵀ · D for A [n×k], D [n×m]; g[m] = the column sums of D. */
export function gradWeights(A: Float64Array, D: Float64Array, G: Float64Array, g: Float64Array, n: number, k: number, m: number): void {
  if (wasmGradWeights(A, D, G, g, n, k, m)) return;
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0, d = j; i < n; i++, d += m) s += D[d];
    g[j] = s;
  }
  let p = 0;
  for (; p + 1 < k; p += 2) {
    let j = 0;
    for (; j + 3 < m; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let i = 0, a = p, d = j; i < n; i++, a += k, d += m) {
        const x0 = A[a];
        const x1 = A[a + 1];
        const d0 = D[d], d1 = D[d + 1], d2 = D[d + 2], d3 = D[d + 3];
        s00 += x0 * d0; s01 += x0 * d1; s02 += x0 * d2; s03 += x0 * d3;
        s10 += x1 * d0; s11 += x1 * d1; s12 += x1 * d2; s13 += x1 * d3;
      }
      const g0 = p * m + j;
      const g1 = g0 + m;
      G[g0] = s00; G[g0 + 1] = s01; G[g0 + 2] = s02; G[g0 + 3] = s03;
      G[g1] = s10; G[g1 + 1] = s11; G[g1 + 2] = s12; G[g1 + 3] = s13;
    }
    for (; j < m; j++) {
      let s0 = 0;
      let s1 = 0;
      for (let i = 0, a = p, d = j; i < n; i++, a += k, d += m) {
        s0 += A[a] * D[d];
        s1 += A[a + 1] * D[d];
      }
      G[p * m + j] = s0;
      G[(p + 1) * m + j] = s1;
    }
  }
  for (; p < k; p++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0, a = p, d = j; i < n; i++, a += k, d += m) s += A[a] * D[d];
      G[p * m + j] = s;
    }
  }
}

/** P[n×k] = D[n×m] · Wᵀ for W [k×m] (two rows × four columns at a time). */
export function matMulTransB(D: Float64Array, W: Float64Array, P: Float64Array, n: number, k: number, m: number): void {
  if (wasmMatMulTransB(D, W, P, n, k, m)) return;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const d0 = i * m;
    const d1 = d0 + m;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      const w0 = p * m, w1 = w0 + m, w2 = w1 + m, w3 = w2 + m;
      for (let j = 0; j < m; j++) {
        const e0 = D[d0 + j];
        const e1 = D[d1 + j];
        const v0 = W[w0 + j], v1 = W[w1 + j], v2 = W[w2 + j], v3 = W[w3 + j];
        s00 += e0 * v0; s01 += e0 * v1; s02 += e0 * v2; s03 += e0 * v3;
        s10 += e1 * v0; s11 += e1 * v1; s12 += e1 * v2; s13 += e1 * v3;
      }
      const o0 = i * k + p;
      const o1 = o0 + k;
      P[o0] = s00; P[o0 + 1] = s01; P[o0 + 2] = s02; P[o0 + 3] = s03;
      P[o1] = s10; P[o1 + 1] = s11; P[o1 + 2] = s12; P[o1 + 3] = s13;
    }
    for (; p < k; p++) {
      let s0 = 0;
      let s1 = 0;
      for (let j = 0, w = p * m; j < m; j++, w++) {
        s0 += D[d0 + j] * W[w];
        s1 += D[d1 + j] * W[w];
      }
      P[i * k + p] = s0;
      P[(i + 1) * k + p] = s1;
    }
  }
  for (; i < n; i++) {
    for (let p = 0; p < k; p++) {
      let s = 0;
      for (let j = 0, w = p * m; j < m; j++, w++) s += D[i * m + j] * W[w];
      P[i * k + p] = s;
    }
  }
}

/** The hidden activation applied in place over z's first `len` values. */
export function activate(z: Float64Array, len: number, activation: Activation): void {
  if (activation === 'tanh') {
    if (!wasmTanh(z, len)) for (let i = 0; i < len; i++) z[i] = tanh(z[i]);
  } else if (activation === 'relu') for (let i = 0; i < len; i++) z[i] = z[i] > 0 ? z[i] : 0;
  else for (let i = 0; i < len; i++) z[i] = z[i] > 0 ? z[i] : exp(z[i]) - 1;
}

/** d ← d · activation'(z) in place, the derivative read from the activation's output a = f(z). */
export function activationGrad(d: Float64Array, a: Float64Array, len: number, activation: Activation): void {
  if (activation === 'tanh') for (let i = 0; i < len; i++) d[i] *= 1 - a[i] * a[i];
  else if (activation === 'relu') for (let i = 0; i < len; i++) d[i] = a[i] > 0 ? d[i] : 0;
  else for (let i = 0; i < len; i++) d[i] = a[i] > 0 ? d[i] : d[i] * (a[i] + 1);
}

/** Forward pass of rows x [m × sizes[0]] through the net into acts (one buffer per layer); returns the output buffer. */
export function forwardInto(net: TrainNet, acts: Float64Array[], m: number): Float64Array {
  const L = net.sizes.length - 1;
  for (let l = 0; l < L; l++) {
    matMulBias(acts[l], net.W[l], net.b[l], acts[l + 1], m, net.sizes[l], net.sizes[l + 1]);
    if (l + 1 < L) activate(acts[l + 1], m * net.sizes[l + 1], net.activation);
  }
  return acts[L];
}

/** Forward pass on plain data: n rows of sizes[0] → n rows of the output (double precision). */
export function forward(net: TrainNet, x: ArrayLike<number>, n: number): Float64Array {
  const L = net.sizes.length - 1;
  const lengths = [...net.W.map((w) => w.length), ...net.b.map((v) => v.length), ...net.sizes.map((s) => n * s)];
  return withBuffers(lengths, 0, (bufs) => {
    const copy = inKernelCopy(net, bufs);
    const acts = bufs.slice(2 * L);
    for (let i = 0; i < n * net.sizes[0]; i++) acts[0][i] = x[i];
    return forwardInto(copy, acts, n).slice();
  });
}

/** The net with its weights copied into the first 2L buffers (so the WebAssembly kernels can read them). */
function inKernelCopy(net: TrainNet, bufs: Float64Array[]): TrainNet {
  const L = net.sizes.length - 1;
  const W = bufs.slice(0, L);
  const b = bufs.slice(L, 2 * L);
  for (let l = 0; l < L; l++) {
    W[l].set(net.W[l]);
    b[l].set(net.b[l]);
  }
  return { sizes: net.sizes, activation: net.activation, W, b };
}

/**
 * Gradients of a batch's loss: with acts from `forwardInto` (m rows) and the loss's gradient with
 * respect to the outputs in deltas[last], writes every layer's weight and bias gradient into gW, gb
 * (deltas of the hidden layers are overwritten on the way).
 */
export function backprop(net: TrainNet, acts: Float64Array[], deltas: Float64Array[], gW: Float64Array[], gb: Float64Array[], m: number): void {
  const { sizes, W } = net;
  for (let l = sizes.length - 2; l >= 0; l--) {
    gradWeights(acts[l], deltas[l + 1], gW[l], gb[l], m, sizes[l], sizes[l + 1]);
    if (l > 0) {
      matMulTransB(deltas[l + 1], W[l], deltas[l], m, sizes[l], sizes[l + 1]);
      activationGrad(deltas[l], acts[l], m * sizes[l], net.activation);
    }
  }
}

/**
 * Adam over shuffled minibatches (order drawn from `rng`, one shuffle per epoch), the learning
 * rate moving linearly from lr to lrFinal over all steps, L2 penalty on the weight matrices.
 * `input` holds n rows of sizes[0]; `head` gives each batch's loss and output gradient.
 * Trains `net` in place and returns the mean minimised loss of each epoch (row-weighted).
 * Adam as tfjs does it (β1 0.9, β2 0.999, ε 1e-7, bias corrections from running products).
 */
export function trainNet(net: TrainNet, n: number, options: FitOptions, rng: Rng, input: Float32Array, head: LossHead, path = 'fit'): number[] {
  const opts = checkFitOptions(options, path);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${path}.n`, `is ${n}`, 'an integer >= 1');
  const { sizes } = net;
  const L = sizes.length - 1;
  const I = sizes[0];
  if (input.length !== n * I) throw new Error(`${path}: input has ${input.length} values, expected ${n}x${I}`);
  const B = Math.min(opts.batchSize, n);
  const wl = net.W.map((w) => w.length);
  const bl = net.b.map((v) => v.length);
  const rows = sizes.map((s) => B * s);
  // weights, activations, deltas, gradients and Adam's moments, in the kernels' memory when it can
  const lengths = [...wl, ...bl, ...rows, ...rows, ...wl, ...bl, ...wl, ...wl, ...bl, ...bl];
  const scratch = Math.max(...wl);
  return withBuffers(lengths, scratch, (bufs) => {
    const copy = inKernelCopy(net, bufs);
    const acts = bufs.slice(2 * L, 3 * L + 1);
    const deltas = bufs.slice(3 * L + 1, 4 * L + 2);
    const [gW, gb, mW, vW, mb, vb] = [0, 1, 2, 3, 4, 5].map((i) => bufs.slice(4 * L + 2 + i * L, 4 * L + 2 + (i + 1) * L));
    const losses = adamLoop(copy, n, opts, rng, input, head, path, { acts, deltas, gW, gb, mW, vW, mb, vb });
    for (let l = 0; l < L; l++) {
      net.W[l].set(copy.W[l]);
      net.b[l].set(copy.b[l]);
    }
    return losses;
  });
}

interface TrainBuffers {
  acts: Float64Array[];
  deltas: Float64Array[];
  gW: Float64Array[];
  gb: Float64Array[];
  mW: Float64Array[];
  vW: Float64Array[];
  mb: Float64Array[];
  vb: Float64Array[];
}

function adamLoop(net: TrainNet, n: number, opts: Required<FitOptions>, rng: Rng, input: Float32Array, head: LossHead, path: string, buf: TrainBuffers): number[] {
  const { sizes, W, b } = net;
  const { acts, deltas, gW, gb, mW, vW, mb, vb } = buf;
  const L = sizes.length - 1;
  const I = sizes[0];
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-7;
  let acc1 = 1;
  let acc2 = 1;
  const order = Array.from({ length: n }, (_, i) => i);
  const losses: number[] = [];
  const stepsPerEpoch = Math.ceil(n / opts.batchSize);
  const totalSteps = opts.epochs * stepsPerEpoch;
  let step = 0;
  const adam = (P: Float64Array, G: Float64Array, M: Float64Array, V: Float64Array, lr: number, c1: number, c2: number): void => {
    if (wasmAdam(P, G, M, V, beta1, 1 - beta1, beta2, 1 - beta2, lr, c1, c2, eps)) return;
    for (let i = 0; i < P.length; i++) {
      const g = G[i];
      const mi = beta1 * M[i] + (1 - beta1) * g;
      const vi = beta2 * V[i] + (1 - beta2) * g * g;
      M[i] = mi;
      V[i] = vi;
      P[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
  };
  for (let e = 0; e < opts.epochs; e++) {
    checkInterrupt();
    rng.shuffle(order);
    let total = 0;
    for (let s = 0; s < n; s += opts.batchSize) {
      const m = Math.min(n, s + opts.batchSize) - s;
      const rows = Int32Array.from(order.slice(s, s + m));
      const lr = opts.lrFinal !== opts.lr && totalSteps > 1 ? opts.lr + (opts.lrFinal - opts.lr) * (step / (totalSteps - 1)) : opts.lr;
      step++;
      const x = acts[0];
      for (let r = 0; r < m; r++) {
        const src = rows[r] * I;
        for (let c = 0; c < I; c++) x[r * I + c] = input[src + c];
      }
      const out = forwardInto(net, acts, m);
      const dOut = deltas[L];
      let loss = head(rows, out, dOut);
      if (opts.l2 > 0) {
        let pen = 0;
        for (const w of W) for (let i = 0; i < w.length; i++) pen += w[i] * w[i];
        loss += opts.l2 * pen;
      }
      if (!Number.isFinite(loss)) throw new Error(`${path}: loss became ${loss} at epoch ${e}; lower lr or check the data`);
      total += loss * m;
      backprop(net, acts, deltas, gW, gb, m);
      if (opts.l2 > 0) for (let l = 0; l < L; l++) for (let i = 0; i < W[l].length; i++) gW[l][i] += 2 * opts.l2 * W[l][i];
      acc1 *= beta1;
      acc2 *= beta2;
      for (let l = 0; l < L; l++) {
        adam(W[l], gW[l], mW[l], vW[l], lr, 1 - acc1, 1 - acc2);
        adam(b[l], gb[l], mb[l], vb[l], lr, 1 - acc1, 1 - acc2);
      }
    }
    losses.push(total / n);
  }
  return losses;
}
