/**
 * agents/wasm-kernel.ts: the WebAssembly SIMD matrix products give the bits of the JavaScript
 * kernels (same ordered sums, no fused multiply-add) on shapes that use every block and remainder
 * path; a whole fit and a forward pass give identical results with and without them; buffers are
 * zeroed, nested computations fall back to plain arrays, and the generated module is in sync with
 * its generator.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { forward, gradWeights, matMulBias, matMulTransB, tanh, trainNet, type LossHead, type TrainNet } from '../agents/mlp-train.ts';
import { WASM_KERNEL_BASE64 } from '../agents/wasm-kernel-bytes.ts';
import { useWasmKernels, wasmAdam, wasmGradWeights, wasmKernelsAvailable, wasmMatMulBias, wasmMatMulTransB, wasmTanh, withBuffers } from '../agents/wasm-kernel.ts';
import { Rng } from '../sim/rng.ts';
// @ts-expect-error: a plain-JavaScript build script without types
import { bytesModule, kernelBytes, kernelWat } from '../scripts/wasm-kernel.mjs';

const rand = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`differs at ${i}: ${a[i]} vs ${b[i]}`);
};

afterEach(() => useWasmKernels(true));

describe('WebAssembly kernels', () => {
  it('are available in this engine (WebAssembly with SIMD)', () => {
    expect(wasmKernelsAvailable()).toBe(true);
  });

  // rows odd and even; widths with remainders modulo 2 and 8; 128 × 64 × 64 is a training step's size
  const shapes = [[1, 1, 1], [2, 3, 2], [3, 5, 7], [4, 4, 8], [5, 3, 9], [7, 9, 17], [6, 10, 16], [9, 2, 11], [128, 64, 64], [33, 64, 13]];
  for (const [n, k, m] of shapes) {
    it(`${n}×${k} · ${k}×${m}: every product bit-identical to the JavaScript loops`, () => {
      const rng = new Rng(n * 1000 + k * 10 + m);
      const A = rand(rng, n * k);
      const W = rand(rng, k * m);
      const bias = rand(rng, m);
      const D = rand(rng, n * m);
      const Wt = rand(rng, k * m);
      // the JavaScript loops on plain arrays
      const C = new Float64Array(n * m);
      matMulBias(A, W, bias, C, n, k, m);
      const G = new Float64Array(k * m);
      const g = new Float64Array(m);
      gradWeights(A, D, G, g, n, k, m);
      const P = new Float64Array(n * k);
      matMulTransB(D, Wt, P, n, k, m);
      withBuffers([n * k, k * m, m, n * m, n * m, k * m, m, k * m, n * k], k * m, ([a, w, b, c, d, gw, gs, wt, p]) => {
        a.set(A);
        w.set(W);
        b.set(bias);
        d.set(D);
        wt.set(Wt);
        expect(wasmMatMulBias(a, w, b, c, n, k, m)).toBe(true);
        expect(wasmGradWeights(a, d, gw, gs, n, k, m)).toBe(true);
        expect(wasmMatMulTransB(d, wt, p, n, k, m)).toBe(true);
        same(c, C);
        same(gw, G);
        same(gs, g);
        same(p, P);
        expect(c.some((v) => v !== 0)).toBe(true);
      });
    });
  }

  it('tanh: the bits of mlp-train.ts\'s tanh for values across the table, its ends, ±0, huge values, ±∞ and NaN (pairs and an odd last one)', () => {
    const rng = new Rng(5);
    const xs = [0, -0, 1e-12, -3e-5, 0.5, -0.5, 19.999999, -19.999999, 20, -20, 20.004, 1e300, -1e300, Infinity, -Infinity, NaN, 7.8125, -2.5];
    for (let i = 0; i < 2001; i++) xs.push(rng.uniform(-25, 25));
    withBuffers([xs.length], 0, ([z]) => {
      z.set(xs);
      expect(wasmTanh(z, xs.length)).toBe(true);
      same(z, xs.map(tanh));
      expect(wasmTanh(z, xs.length + 1)).toBe(false); // longer than the buffer: refused
    });
  });

  it('Adam: the update of mlp-train.ts\'s loop, written out here, for each value (pairs and an odd last one)', () => {
    const rng = new Rng(6);
    const n = 37;
    const [P, G, M, V] = [1, 2, 3, 4].map((k) => Float64Array.from({ length: n }, () => rng.uniform(-k, k)));
    V.forEach((v, i) => (V[i] = Math.abs(v)));
    const [b1, b2, lr, c1, c2, eps] = [0.9, 0.999, 0.003, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 1e-7];
    const want = { P: P.slice(), M: M.slice(), V: V.slice() };
    for (let i = 0; i < n; i++) {
      const g = G[i];
      want.M[i] = b1 * M[i] + (1 - b1) * g;
      want.V[i] = b2 * V[i] + (1 - b2) * g * g;
      want.P[i] = P[i] - (lr * (want.M[i] / c1)) / (Math.sqrt(want.V[i] / c2) + eps);
    }
    withBuffers([n, n, n, n], 0, ([p, g, m, v]) => {
      p.set(P);
      g.set(G);
      m.set(M);
      v.set(V);
      expect(wasmAdam(p, g, m, v, b1, 1 - b1, b2, 1 - b2, lr, c1, c2, eps)).toBe(true);
      same(p, want.P);
      same(m, want.M);
      same(v, want.V);
      expect(wasmAdam(p, G, m, v, b1, 1 - b1, b2, 1 - b2, lr, c1, c2, eps)).toBe(false); // G outside the memory
    });
  });

  it('refuse arrays outside their memory, and D·Wᵀ without room for Wᵀ (the JavaScript loops run instead)', () => {
    const plain = new Float64Array(4);
    expect(wasmMatMulBias(plain, plain, plain, plain, 2, 2, 2)).toBe(false);
    withBuffers([4, 4, 4], 3, ([d, w, p]) => {
      expect(wasmMatMulBias(d, plain, w, p, 2, 2, 2)).toBe(false);
      expect(wasmMatMulTransB(d, w, p, 2, 2, 2)).toBe(false); // k·m = 4 > 3
    });
    withBuffers([4, 4, 4], 4, ([d, w, p]) => expect(wasmMatMulTransB(d, w, p, 2, 2, 2)).toBe(true));
  });

  it('withBuffers: zeroed buffers of the asked lengths every time; a nested call gets plain arrays; memory grows for large asks', () => {
    withBuffers([5, 7], 0, ([a, b]) => {
      a.fill(3);
      b.fill(4);
    });
    withBuffers([5, 7], 0, ([a, b]) => {
      expect([a.length, b.length]).toEqual([5, 7]);
      expect([...a, ...b].every((v) => v === 0)).toBe(true);
      withBuffers([2], 0, ([inner]) => {
        expect(inner.buffer).not.toBe(a.buffer);
        expect(wasmMatMulBias(inner, inner, inner, inner, 1, 1, 1)).toBe(false);
      });
    });
    // one module and memory for every computation (not a new instance per call)
    let first: ArrayBufferLike | null = null;
    withBuffers([4], 0, ([a]) => (first = a.buffer));
    withBuffers([4], 0, ([a]) => expect(a.buffer).toBe(first));
    const big = 3_000_000; // 24 MB: more than the memory has held so far
    withBuffers([big, 3], 0, ([a, b]) => {
      a[big - 1] = 1;
      expect(b.every((v) => v === 0)).toBe(true);
      expect(a.buffer).toBe(b.buffer);
    });
    // switched off inside a computation: the kernels refuse even arrays in their memory
    withBuffers([2], 0, ([a]) => {
      useWasmKernels(false);
      expect(wasmMatMulBias(a, a, a, a, 1, 1, 1)).toBe(false);
      expect(wasmTanh(a, 2)).toBe(false);
    });
    withBuffers([2], 0, ([a]) => expect(wasmMatMulBias(a, a, a, a, 1, 1, 1)).toBe(false));
  });

  it('a fit and a forward pass give the same bits with and without them', () => {
    const make = (): TrainNet => {
      const rng = new Rng(7);
      const sizes = [5, 16, 9, 3];
      return { sizes, activation: 'tanh', W: sizes.slice(1).map((s, l) => rand(rng, sizes[l] * s).map((v) => v * 0.5)), b: sizes.slice(1).map((s) => rand(rng, s)) };
    };
    const n = 75;
    const input = Float32Array.from(rand(new Rng(8), n * 5));
    const target = rand(new Rng(9), n * 3);
    const head: LossHead = (rows, out, dOut) => {
      let loss = 0;
      for (let r = 0; r < rows.length; r++)
        for (let c = 0; c < 3; c++) {
          const e = out[r * 3 + c] - target[rows[r] * 3 + c];
          loss += e * e;
          dOut[r * 3 + c] = (2 * e) / rows.length;
        }
      return loss / rows.length;
    };
    const run = (wasm: boolean) => {
      useWasmKernels(wasm);
      const net = make();
      const losses = trainNet(net, n, { epochs: 4, batchSize: 32, lr: 0.01, l2: 1e-4 }, new Rng(3), input, head);
      return { losses, net, out: forward(net, input, n) };
    };
    const js = run(false);
    const wasm = run(true);
    same(wasm.losses, js.losses);
    js.net.W.forEach((w, l) => same(wasm.net.W[l], w));
    js.net.b.forEach((b, l) => same(wasm.net.b[l], b));
    same(wasm.out, js.out);
    expect(js.losses[3]).toBeLessThan(js.losses[0]);
    // the output is the caller's own copy, not a view the next computation overwrites
    const kept = Array.from(wasm.out);
    withBuffers([wasm.out.length * 4], 0, ([b]) => b.fill(9));
    same(wasm.out, kept);
  });

  it('agents/wasm-kernel.wat and the module in wasm-kernel-bytes.ts are what scripts/wasm-kernel.mjs makes', async () => {
    const wat = kernelWat();
    expect(readFileSync(new URL('../agents/wasm-kernel.wat', import.meta.url), 'utf8')).toBe(wat);
    const bytes = await kernelBytes(wat);
    expect(WASM_KERNEL_BASE64).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesModule(bytes)).toContain(WASM_KERNEL_BASE64.slice(0, 100));
  });
});
