/**
 * agents/mlp-train.ts, the plain-JavaScript trainer: the blocked matrix kernels against the
 * textbook triple loop on shapes that leave every remainder path in use, backpropagation against
 * finite differences for each activation, the tanh table against the exact tanh, and the loss
 * heads of the policy and the world model against finite differences of their own losses.
 */
import { describe, expect, it } from 'vitest';
import {
  activate,
  backprop,
  exactTanh,
  forwardInto,
  logSumExpAt,
  gradWeights,
  matMulBias,
  matMulTransB,
  sigmoid,
  tanh,
  type Activation,
  type LossHead,
  type TrainNet,
} from '../agents/mlp-train.ts';
import { exp } from '../agents/exact-math.ts';
import { policyHead, resolvePolicyConfig } from '../agents/policy.ts';
import { resolveWorldModelConfig, worldHead } from '../agents/world-model.ts';
import { Rng } from '../sim/rng.ts';

const rand = (rng: Rng, n: number, s = 1) => Float64Array.from({ length: n }, () => rng.uniform(-s, s));

describe('matrix kernels', () => {
  // n rows odd and even, widths with remainders modulo 2 and 4
  // (10 × 9 and 9 × 12: more than one 2 × 4 block per row and per column)
  const shapes = [[1, 1, 1], [3, 5, 7], [4, 4, 4], [5, 3, 6], [7, 9, 5], [2, 6, 3], [6, 10, 9], [5, 9, 12]];
  for (const [n, k, m] of shapes) {
    it(`${n}×${k} · ${k}×${m}: product with bias, Aᵀ·D with column sums, D·Wᵀ`, () => {
      const rng = new Rng(n * 100 + k * 10 + m);
      const A = rand(rng, n * k);
      const W = rand(rng, k * m);
      const bias = rand(rng, m);
      const D = rand(rng, n * m);
      const C = new Float64Array(n * m);
      matMulBias(A, W, bias, C, n, k, m);
      const G = new Float64Array(k * m);
      const g = new Float64Array(m);
      gradWeights(A, D, G, g, n, k, m);
      const P = new Float64Array(n * k);
      matMulTransB(D, W, P, n, k, m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let s = bias[j];
          for (let p = 0; p < k; p++) s += A[i * k + p] * W[p * m + j];
          expect(C[i * m + j]).toBeCloseTo(s, 12);
        }
        for (let p = 0; p < k; p++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += D[i * m + j] * W[p * m + j];
          expect(P[i * k + p]).toBeCloseTo(s, 12);
        }
      }
      for (let j = 0; j < m; j++) {
        let cs = 0;
        for (let i = 0; i < n; i++) cs += D[i * m + j];
        expect(g[j]).toBeCloseTo(cs, 12);
        for (let p = 0; p < k; p++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += A[i * k + p] * D[i * m + j];
          expect(G[p * m + j]).toBeCloseTo(s, 12);
        }
      }
    });
  }
});

describe('logSumExpAt', () => {
  it('is stable for large values, reads only its k values from off, and is −∞ when all are', () => {
    expect(logSumExpAt([1000, 1001], 0, 2)).toBeCloseTo(1001 + Math.log1p(Math.exp(-1)), 12);
    expect(logSumExpAt([1000, 0], 0, 2)).toBeCloseTo(1000, 12); // the first value is the largest
    expect(logSumExpAt([2000, 1000, 1001, 5000], 1, 2)).toBeCloseTo(1001 + Math.log1p(Math.exp(-1)), 12);
    expect(logSumExpAt([-Infinity, -Infinity], 0, 2)).toBe(-Infinity);
  });
});

describe('activations', () => {
  it('tanh (table) is within 1e-10 of the exact tanh, odd, and saturates at ±20', () => {
    let worst = 0;
    for (let i = -2100; i <= 2100; i++) {
      const x = i / 100 + 0.00371;
      worst = Math.max(worst, Math.abs(tanh(x) - exactTanh(x)), Math.abs(exactTanh(x) - Math.tanh(x)));
      expect(tanh(-x)).toBe(-tanh(x));
    }
    expect(worst).toBeLessThan(1e-10);
    expect(worst).toBeGreaterThan(0);
    expect([tanh(0), tanh(20), tanh(-25), exactTanh(21), exactTanh(-21)]).toEqual([0, 1, -1, 1, -1]);
    expect(exactTanh(1e-6)).toBe(1e-6 - 1e-18 / 3); // the series below 1e-4
    expect([exactTanh(400), exactTanh(-400)]).toEqual([1, -1]); // no e^800 overflow
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(3)).toBeCloseTo(1 / (1 + Math.exp(-3)), 15);
  });

  it('relu and elu in place', () => {
    const z = Float64Array.from([-2, -0.5, 0, 0.5, 2]);
    activate(z, 5, 'relu');
    expect(Array.from(z)).toEqual([0, 0, 0, 0.5, 2]);
    const e = Float64Array.from([-2, -0.5, 0, 0.5, 2, 7]);
    activate(e, 5, 'elu'); // only the first 5
    expect(Array.from(e)).toEqual([exp(-2) - 1, exp(-0.5) - 1, 0, 0.5, 2, 7]);
  });
});

/** Loss of a net on rows x under a head, and backprop's gradients. */
function lossAndGrads(net: TrainNet, x: Float64Array, m: number, head: LossHead) {
  const acts = net.sizes.map((s) => new Float64Array(m * s));
  const deltas = net.sizes.map((s) => new Float64Array(m * s));
  acts[0].set(x);
  const rows = Int32Array.from({ length: m }, (_, i) => i);
  const out = forwardInto(net, acts, m);
  const loss = head(rows, out, deltas[deltas.length - 1]);
  const gW = net.W.map((w) => new Float64Array(w.length));
  const gb = net.b.map((b) => new Float64Array(b.length));
  backprop(net, acts, deltas, gW, gb, m);
  return { loss, gW, gb };
}

describe('backprop against finite differences', () => {
  for (const activation of ['tanh', 'relu', 'elu'] as Activation[]) {
    it(`${activation}: every weight and bias of a 3 → 5 → 4 → 2 net`, () => {
      const rng = new Rng(5);
      const sizes = [3, 5, 4, 2];
      const net: TrainNet = {
        sizes,
        activation,
        W: sizes.slice(1).map((s, l) => rand(rng, sizes[l] * s, 0.9)),
        b: sizes.slice(1).map((s) => rand(rng, s, 0.3)),
      };
      const m = 5;
      const x = rand(rng, m * 3, 1.5);
      const target = rand(rng, m * 2);
      const head: LossHead = (rows, out, dOut) => {
        let s = 0;
        for (let i = 0; i < rows.length * 2; i++) {
          const e = out[i] - target[i];
          s += e * e * (1 + (i % 3));
          dOut[i] = (2 * e * (1 + (i % 3))) / rows.length;
        }
        return s / rows.length;
      };
      const { gW, gb } = lossAndGrads(net, x, m, head);
      const h = 1e-6;
      let checked = 0;
      for (const [params, grads] of [[net.W, gW], [net.b, gb]] as const) {
        params.forEach((P, l) => {
          for (let i = 0; i < P.length; i++) {
            const v = P[i];
            P[i] = v + h;
            const up = lossAndGrads(net, x, m, head).loss;
            P[i] = v - h;
            const down = lossAndGrads(net, x, m, head).loss;
            P[i] = v;
            expect(grads[l][i]).toBeCloseTo((up - down) / (2 * h), 6);
            checked++;
          }
        });
      }
      expect(checked).toBe(3 * 5 + 5 * 4 + 4 * 2 + 5 + 4 + 2);
    });
  }
});

/** A head's gradient against central differences of its own loss, over every output. */
function checkHead(head: LossHead, width: number, m: number, rng: Rng, scale = 2): number {
  const rows = Int32Array.from({ length: m }, (_, i) => (i * 3) % 5);
  const out = rand(rng, m * width, scale);
  const dOut = new Float64Array(m * width);
  const loss = head(rows, out, dOut);
  const h = 1e-6;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    out[i] = v + h;
    const up = head(rows, out, new Float64Array(m * width));
    out[i] = v - h;
    const down = head(rows, out, new Float64Array(m * width));
    out[i] = v;
    expect(dOut[i]).toBeCloseTo((up - down) / (2 * h), 5);
  }
  return loss;
}

describe('loss heads against finite differences', () => {
  for (const K of [1, 3]) {
    it(`policy, ${K} component(s): loss is −mean w·log π, gradient over logits, means and log-std`, () => {
      const rng = new Rng(20 + K);
      const c = resolvePolicyConfig({ obsSize: 4, actSize: 2, components: K });
      const act = Float32Array.from(rand(rng, 5 * 2));
      const w = Float32Array.from({ length: 5 }, () => rng.uniform(0.2, 1.8));
      const loss = checkHead(policyHead(c, act, w), K + 4 * K, 4, rng);
      expect(Number.isFinite(loss)).toBe(true);
      // K = 1: the single logit gets no gradient
      if (K === 1) {
        const d = new Float64Array(4 * 5);
        policyHead(c, act, w)(Int32Array.from([0, 1, 2, 3]), rand(rng, 20), d);
        expect([d[0], d[5], d[10], d[15]]).toEqual([0, 0, 0, 0]);
      }
    });
  }

  const lse = (v: number[]) => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((a, x) => a + Math.exp(x - m), 0));
  };
  const clampStd = (raw: number, minStd: number, maxStd: number) => Math.log(minStd) + (Math.log(maxStd) - Math.log(minStd)) / (1 + Math.exp(-raw));

  it('policy: the loss is −mean w · log π(a | s) of the mixture the outputs describe (by hand)', () => {
    for (const K of [1, 3]) {
      const rng = new Rng(40 + K);
      const c = resolvePolicyConfig({ obsSize: 4, actSize: 2, components: K });
      const act = Float32Array.from(rand(rng, 5 * 2));
      const w = Float32Array.from({ length: 5 }, () => rng.uniform(0.2, 1.8));
      const W = K + 4 * K;
      const rows = Int32Array.from([3, 0, 4, 1]);
      const out = rand(rng, 4 * W, 2);
      const loss = policyHead(c, act, w)(rows, out, new Float64Array(4 * W));
      let sum = 0;
      rows.forEach((row, r) => {
        const o = r * W;
        const logits = Array.from(out.subarray(o, o + K));
        const comps = logits.map((l, k) => {
          let lp = K === 1 ? 0 : l - lse(logits);
          for (let a = 0; a < 2; a++) {
            const ls = clampStd(out[o + 3 * K + k * 2 + a], c.minStd, c.maxStd);
            const z = (act[row * 2 + a] - out[o + K + k * 2 + a]) / Math.exp(ls);
            lp += -0.5 * z * z - ls - 0.5 * Math.log(2 * Math.PI);
          }
          return lp;
        });
        sum += w[row] * lse(comps);
      });
      expect(loss).toBeCloseTo(-sum / 4, 9);
    }
  });

  it('world model: the loss is mean w · (Gaussian NLL + weighted cross-entropy) of the outputs (by hand)', () => {
    const rng = new Rng(45);
    const c = resolveWorldModelConfig({ obsSize: 3, actSize: 2 });
    const t = Float32Array.from(rand(rng, 15, 0.2));
    const Y = new Float32Array(15);
    for (let i = 0; i < 5; i++) Y[i * 3 + ((i + 1) % 3)] = 0.5 + i;
    const w = Float32Array.from({ length: 5 }, () => rng.uniform(0.2, 1.8));
    const rows = Int32Array.from([2, 4, 0]);
    const out = rand(rng, 3 * 9, 2);
    const loss = worldHead(c, t, Y, w, 0)(rows, out, new Float64Array(27));
    let sum = 0;
    rows.forEach((row, r) => {
      const o = r * 9;
      let l = 0;
      for (let d = 0; d < 3; d++) {
        const ls = clampStd(out[o + 3 + d], c.minStd, c.maxStd);
        const z = (t[row * 3 + d] - out[o + d]) / Math.exp(ls);
        l += 0.5 * z * z + ls + 0.5 * Math.log(2 * Math.PI);
      }
      const logits = Array.from(out.subarray(o + 6, o + 9));
      for (let k = 0; k < 3; k++) l -= Y[row * 3 + k] * (logits[k] - lse(logits));
      sum += w[row] * l;
    });
    expect(loss).toBeCloseTo(sum / 3, 9);
  });

  it('world model, β = 0: Gaussian NLL plus weighted cross-entropy', () => {
    const rng = new Rng(31);
    const c = resolveWorldModelConfig({ obsSize: 3, actSize: 2 });
    const t = Float32Array.from(rand(rng, 15, 0.2));
    const Y = new Float32Array(15);
    for (let i = 0; i < 5; i++) Y[i * 3 + (i % 3)] = 1 + i;
    const w = Float32Array.from({ length: 5 }, () => rng.uniform(0.2, 1.8));
    checkHead(worldHead(c, t, Y, w, 0), 9, 4, rng);
  });

  it('world model, β > 0: each dimension weighted by σ^(2β) held constant (β = 0 gradient × σ^(2β))', () => {
    const rng = new Rng(32);
    const c = resolveWorldModelConfig({ obsSize: 3, actSize: 2 });
    const t = Float32Array.from(rand(rng, 15, 0.2));
    const Y = new Float32Array(15);
    const w = Float32Array.from({ length: 5 }, () => 1);
    const rows = Int32Array.from([0, 1, 2, 3]);
    const out = rand(rng, 4 * 9, 2);
    const d0 = new Float64Array(36);
    const l0 = worldHead(c, t, Y, w, 0)(rows, out, d0);
    for (const beta of [0.5, 0.3]) {
      const d = new Float64Array(36);
      const l = worldHead(c, t, Y, w, beta)(rows, out, d);
      let weighted = 0;
      for (let r = 0; r < 4; r++) {
        for (let k = 0; k < 3; k++) {
          const ls = Math.log(c.minStd) + (Math.log(c.maxStd) - Math.log(c.minStd)) * sigmoid(out[r * 9 + 3 + k]);
          const om = Math.exp(2 * beta * ls);
          expect(d[r * 9 + k]).toBeCloseTo(d0[r * 9 + k] * om, 10);
          expect(d[r * 9 + 3 + k]).toBeCloseTo(d0[r * 9 + 3 + k] * om, 10);
          const z = (t[r * 3 + k] - out[r * 9 + k]) / Math.exp(ls);
          weighted += (0.5 * z * z + ls + 0.5 * Math.log(2 * Math.PI)) * om;
        }
      }
      expect(l).toBeCloseTo(weighted / 4, 8);
      expect(l).not.toBeCloseTo(l0, 3);
    }
  });
});
