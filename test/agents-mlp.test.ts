import { beforeAll, describe, expect, it } from 'vitest';
import { initTf, tf } from '../agents/tf.ts';
import { Mlp, glorotUniform, normaliseWeights } from '../agents/mlp.ts';
import { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';

beforeAll(async () => {
  await initTf();
});

const cfg = { inputSize: 3, hidden: [5, 4], outputSize: 2 };

describe('Mlp', () => {
  it('initialises from the Rng: same seed same weights, other seed other weights', () => {
    const a = Mlp.create(cfg, new Rng(7));
    const b = Mlp.create(cfg, new Rng(7));
    const c = Mlp.create(cfg, new Rng(8));
    const wa = a.getWeights();
    expect(wa.map((w) => w.length)).toEqual([15, 5, 20, 4, 8, 2]);
    expect(b.getWeights()).toEqual(wa);
    expect(c.getWeights()[0]).not.toEqual(wa[0]);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('uses Glorot-uniform weights and zero biases', () => {
    const m = Mlp.create({ inputSize: 40, hidden: [60], outputSize: 20, outputGain: 0.5 }, new Rng(1));
    const [w0, b0, w1, b1] = m.getWeights();
    const l0 = Math.sqrt(6 / 100);
    const l1 = 0.5 * Math.sqrt(6 / 80);
    expect(Math.max(...w0.map(Math.abs))).toBeLessThanOrEqual(l0);
    expect(Math.max(...w0.map(Math.abs))).toBeGreaterThan(0.95 * l0);
    expect(Math.max(...w1.map(Math.abs))).toBeLessThanOrEqual(l1);
    expect(Math.abs(w0.reduce((s, v) => s + v, 0) / w0.length)).toBeLessThan(0.02);
    expect(Array.from(b0).every((v) => v === 0) && Array.from(b1).every((v) => v === 0)).toBe(true);
    expect(glorotUniform(2, 3, new Rng(3))).toEqual(glorotUniform(2, 3, new Rng(3)));
    m.dispose();
  });

  it('computes tanh(x W0 + b0) ... W_last + b_last', () => {
    const m = Mlp.create(cfg, new Rng(2));
    const w = m.getWeights();
    // non-zero biases so they are tested too
    w[1] = Float32Array.from([0.1, -0.2, 0.3, 0, 0.05]);
    w[5] = Float32Array.from([0.5, -0.5]);
    m.setWeights(w);
    const x = Float32Array.from([0.5, -1, 0.25, 0, 0.3, -0.7]);
    const y = m.predict(x, 2);
    const layer = (h: number[], W: Float32Array, b: Float32Array, out: number, act: boolean) =>
      Array.from({ length: out }, (_, j) => {
        let s = b[j];
        h.forEach((v, i) => (s += v * W[i * out + j]));
        return act ? Math.tanh(s) : s;
      });
    for (let r = 0; r < 2; r++) {
      let h = Array.from(x.subarray(r * 3, r * 3 + 3));
      h = layer(h, w[0], w[1], 5, true);
      h = layer(h, w[2], w[3], 4, true);
      h = layer(h, w[4], w[5], 2, false);
      expect(y[r * 2]).toBeCloseTo(h[0], 5);
      expect(y[r * 2 + 1]).toBeCloseTo(h[1], 5);
    }
    m.dispose();
  });

  it('clones independently and frees its tensors', () => {
    const before = tf.memory().numTensors;
    const m = Mlp.create(cfg, new Rng(3));
    const c = m.clone();
    expect(c.getWeights()).toEqual(m.getWeights());
    const w = c.getWeights();
    w[0][0] += 1;
    c.setWeights(w);
    expect(c.getWeights()[0][0]).not.toBe(m.getWeights()[0][0]);
    m.dispose();
    c.dispose();
    expect(() => m.predict(new Float32Array(3), 1)).toThrow(/after dispose/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad configs and weights', () => {
    expect(() => Mlp.create({ inputSize: 0, hidden: [], outputSize: 1 }, new Rng(1))).toThrow(ConfigError);
    expect(() => Mlp.create({ inputSize: 2, hidden: [2.5], outputSize: 1 }, new Rng(1))).toThrow(/hidden\[0\]/);
    const m = Mlp.create(cfg, new Rng(1));
    expect(() => m.setWeights([new Float32Array(1)])).toThrow(/arrays/);
    m.dispose();
    expect(Array.from(normaliseWeights(Float32Array.from([1, 3]), 2))).toEqual([0.5, 1.5]);
    expect(() => normaliseWeights(Float32Array.from([0, 0]), 2)).toThrow(/zero/);
    expect(() => normaliseWeights(Float32Array.from([-1, 2]), 2)).toThrow(ConfigError);
  });
});
