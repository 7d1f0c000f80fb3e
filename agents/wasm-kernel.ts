/**
 * The matrix products of `mlp-train.ts` in WebAssembly SIMD (f64x2), 3–6× the plain JavaScript
 * loops, with the same bits: every output is the same ordered sum of rounded products (see
 * scripts/wasm-kernel.mjs, which generates the module). The kernels read and write the module's
 * own memory, so a computation first takes its buffers from it (`withBuffers`); the kernels in
 * `mlp-train.ts` use WebAssembly when every array they are given lives there, and their JavaScript
 * loops otherwise (no WebAssembly SIMD, a nested computation, plain arrays in tests). Both paths
 * give identical results, so a run's numbers do not depend on which one ran.
 */
import { WASM_KERNEL_BASE64 } from './wasm-kernel-bytes.ts';

interface Kernel {
  memory: WebAssembly.Memory;
  mm(A: number, rs: number, ts: number, B: number, bias: number, C: number, R: number, T: number, M: number): void;
  transpose(S: number, D: number, K: number, M: number): void;
  adam(P: number, G: number, M: number, V: number, N: number, b1: number, b1c: number, b2: number, b2c: number, lr: number, c1: number, c2: number, eps: number): void;
  tanh(Z: number, N: number, T: number, D: number, S: number): void;
}

/** Where 1.0 sits (zeros at 8–15), and the tanh tables after it. */
const ONE = 0;
const TABLE = 16;
/** Bytes at the start of memory the module keeps for itself: 1.0, zeros, the tanh tables. */
let reserved = TABLE;
let tanhTable: { knots: Float64Array; slopes: Float64Array; steps: number; slopesAt: number } | null = null;

let kernel: Kernel | null | undefined;
let enabled = true;
let busy = false;
/** Byte offset and length (doubles) of the current computation's transpose scratch. */
let scratchAt = 0;
let scratchLen = 0;

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  if (typeof WebAssembly !== 'object') return kernel;
  const bytes = decode(WASM_KERNEL_BASE64);
  if (!WebAssembly.validate(bytes)) return kernel; // no SIMD here: the JavaScript loops
  let k: Kernel;
  try {
    k = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Kernel;
  } catch {
    return kernel; // e.g. a browser's main thread refusing to compile synchronously: the JavaScript loops
  }
  if (tanhTable) {
    const { knots, slopes } = tanhTable;
    tanhTable.slopesAt = TABLE + padded(knots.length);
    reserved = tanhTable.slopesAt + padded(slopes.length);
    const need = reserved - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / 65536));
    new Float64Array(k.memory.buffer, TABLE, knots.length).set(knots);
    new Float64Array(k.memory.buffer, tanhTable.slopesAt, slopes.length).set(slopes);
  }
  kernel = k;
  return kernel;
}

/**
 * The tables behind mlp-train.ts's tanh (its values at 0, 1/steps, 2/steps, … and the slopes
 * (1 − t²)/steps there), for the kernels' copy; given before the kernels are first used
 * (mlp-train.ts does when it loads).
 */
export function setTanhTable(knots: Float64Array, slopes: Float64Array, steps: number): void {
  if (kernel !== undefined) throw new Error('setTanhTable: the kernels are already loaded');
  tanhTable = { knots: knots.slice(), slopes: slopes.slice(), steps, slopesAt: 0 };
}

/** Whether the WebAssembly kernels are used when possible (tests and `npm run bench` compare both). */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}

/** Whether this engine runs the WebAssembly kernels (WebAssembly with SIMD). */
export function wasmKernelsAvailable(): boolean {
  return load() !== null;
}

const padded = (len: number): number => (len * 8 + 15) & ~15;

/**
 * Runs `fn` with zeroed buffers of the given lengths and, for `matMulTransB`, room for a transposed
 * matrix of `scratch` values — in the kernels' memory when it can (the views are valid only during
 * `fn`: the memory may move when a later computation grows it), as plain arrays otherwise.
 */
export function withBuffers<T>(lengths: number[], scratch: number, fn: (buffers: Float64Array[]) => T): T {
  const k = enabled && !busy ? load() : null;
  if (!k) return fn(lengths.map((len) => new Float64Array(len)));
  let bytes = reserved + padded(scratch);
  for (const len of lengths) bytes += padded(len);
  const short = bytes - k.memory.buffer.byteLength;
  if (short > 0) k.memory.grow(Math.ceil(short / 65536));
  new Uint8Array(k.memory.buffer, reserved, bytes - reserved).fill(0);
  let at = reserved;
  const views = lengths.map((len) => {
    const v = new Float64Array(k.memory.buffer, at, len);
    at += padded(len);
    return v;
  });
  busy = true;
  scratchAt = at;
  scratchLen = scratch;
  try {
    return fn(views);
  } finally {
    busy = false;
    scratchLen = 0;
  }
}

/** The kernel, if every array lives in its memory. */
function inKernel(...arrays: Float64Array[]): Kernel | null {
  if (!kernel || !enabled || !busy) return null;
  const buf = kernel.memory.buffer;
  for (const a of arrays) if (a.buffer !== buf) return null;
  return kernel;
}

/** C[n×m] = A[n×k] · W[k×m] + bias, when all four live in the kernel's memory; false otherwise. */
export function wasmMatMulBias(A: Float64Array, W: Float64Array, bias: Float64Array, C: Float64Array, n: number, k: number, m: number): boolean {
  const K = inKernel(A, W, bias, C);
  if (!K) return false;
  K.mm(A.byteOffset, k, 1, W.byteOffset, bias.byteOffset, C.byteOffset, n, k, m);
  return true;
}

/** G[k×m] = Aᵀ · D and g = D's column sums, when all four live in the kernel's memory; false otherwise. */
export function wasmGradWeights(A: Float64Array, D: Float64Array, G: Float64Array, g: Float64Array, n: number, k: number, m: number): boolean {
  const K = inKernel(A, D, G, g);
  if (!K) return false;
  K.mm(ONE, 0, 0, D.byteOffset, -1, g.byteOffset, 1, n, m);
  K.mm(A.byteOffset, 1, k, D.byteOffset, -1, G.byteOffset, k, n, m);
  return true;
}

/** P[n×k] = D[n×m] · Wᵀ (W [k×m]), when all three live in the kernel's memory and the scratch holds Wᵀ; false otherwise. */
export function wasmMatMulTransB(D: Float64Array, W: Float64Array, P: Float64Array, n: number, k: number, m: number): boolean {
  const K = inKernel(D, W, P);
  if (!K || scratchLen < k * m) return false;
  K.transpose(W.byteOffset, scratchAt, k, m);
  K.mm(D.byteOffset, m, 1, scratchAt, -1, P.byteOffset, n, m, k);
  return true;
}

/** Adam's update of P (see scripts/wasm-kernel.mjs), when all four live in the kernel's memory; false otherwise. */
export function wasmAdam(P: Float64Array, G: Float64Array, M: Float64Array, V: Float64Array, b1: number, b1c: number, b2: number, b2c: number, lr: number, c1: number, c2: number, eps: number): boolean {
  const K = inKernel(P, G, M, V);
  if (!K) return false;
  K.adam(P.byteOffset, G.byteOffset, M.byteOffset, V.byteOffset, P.length, b1, b1c, b2, b2c, lr, c1, c2, eps);
  return true;
}

/** z ← tanh(z) for z's first len values with mlp-train.ts's table, when z lives in the kernel's memory; false otherwise. */
export function wasmTanh(z: Float64Array, len: number): boolean {
  const K = inKernel(z);
  if (!K || !tanhTable || len > z.length) return false;
  K.tanh(z.byteOffset, len, TABLE, tanhTable.slopesAt, tanhTable.steps);
  return true;
}
