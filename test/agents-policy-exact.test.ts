/**
 * agents/policy.ts, exactly: policies whose weights are set by hand (a zero hidden layer, so the
 * mixture is the output bias; or one tanh unit, so the mean is tanh(obs)), checked against the
 * Gaussian mixture's closed forms, and sampleMixture with a scripted rng.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { Policy, sampleMixture, type MixtureParams } from '../agents/policy.ts';
import { rawForStd } from '../agents/mlp-model.ts';
import { Rng } from '../sim/rng.ts';

beforeAll(async () => {
  await initTf('wasm');
});

const LOG_2PI = Math.log(2 * Math.PI);
const logN = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * LOG_2PI;

/** A scripted rng: float() and normal() return the given draws in order. */
function script(floats: number[], normals: number[]) {
  const f = [...floats];
  const z = [...normals];
  return {
    float: () => {
      if (!f.length) throw new Error('no float left');
      return f.shift()!;
    },
    normal: () => {
      if (!z.length) throw new Error('no normal left');
      return z.shift()!;
    },
    left: () => f.length + z.length,
  } as unknown as Rng & { left: () => number };
}

/** K = 2, A = 1, one input: weights [0.25, 0.75], means −0.5 and 0.5, stds 0.2 and 0.4 (any observation). */
function mixture(logits = [0, Math.log(3)], means = [-0.5, 0.5]): Policy {
  const p = Policy.create({ obsSize: 1, actSize: 1, hidden: [1], components: 2, minStd: 0.1, maxStd: 1, initStd: 0.3 }, new Rng(1));
  p.setWeights([
    Float32Array.from([0]),
    Float32Array.from([0]),
    new Float32Array(6),
    Float32Array.from([...logits, ...means, rawForStd(0.1, 1, 0.2), rawForStd(0.1, 1, 0.4)]),
  ]);
  return p;
}

describe('a hand-set mixture', () => {
  it('params: the output bias, log-std through the smooth clamp', () => {
    const p = mixture();
    const q = p.params(Float32Array.from([0.3, -2]), 2);
    expect(q.n).toBe(2);
    expect(Array.from(q.logits).map((x) => +x.toFixed(5))).toEqual([0, 1.09861, 0, 1.09861]);
    expect(Array.from(q.means)).toEqual([-0.5, 0.5, -0.5, 0.5]);
    [0.2, 0.4, 0.2, 0.4].forEach((s, i) => expect(Math.exp(q.logStd[i])).toBeCloseTo(s, 5));
    expect(p.params(new Float32Array(0), 0)).toEqual({ n: 0, logits: new Float32Array(0), means: new Float32Array(0), logStd: new Float32Array(0) });
    p.dispose();
  });

  it('logProb: log(¼·N(a; −½, 0.2²) + ¾·N(a; ½, 0.4²)) per row', () => {
    const p = mixture();
    const lp = p.logProb(Float32Array.from([0, 0, 0]), Float32Array.from([0.1, -0.5, 2]), 3);
    [0.1, -0.5, 2].forEach((a, i) => {
      const want = Math.log(0.25 * Math.exp(logN(a, -0.5, 0.2)) + 0.75 * Math.exp(logN(a, 0.5, 0.4)));
      expect(lp[i]).toBeCloseTo(want, 4);
    });
    expect(p.logProb(new Float32Array(0), new Float32Array(0), 0)).toEqual(new Float32Array(0));
    expect(() => p.logProb(Float32Array.from([0, 0]), Float32Array.from([0, 0, 0]), 2)).toThrow('Policy.logProb: act has 3 values, expected 2x1');
    p.dispose();
  });

  it('mode: the mean of the likeliest component (the first on a tie), clipped', () => {
    const p = mixture();
    expect(Array.from(p.mode(Float32Array.from([0, 1]), 2))).toEqual([0.5, 0.5]);
    p.dispose();
    const tie = mixture([0.7, 0.7], [-0.25, 0.25]);
    expect(Array.from(tie.mode(Float32Array.from([0]), 1))).toEqual([-0.25]);
    tie.dispose();
    const far = mixture([2, 0], [-3, 0]);
    expect(Array.from(far.mode(Float32Array.from([0]), 1))).toEqual([-1]);
    // temperature 0 is the mode, no draws
    const rng = script([], []);
    expect(Array.from(far.act(Float32Array.from([0]), 1, rng, 0))).toEqual([-1]);
    far.dispose();
  });

  it('act: one component draw and one normal per row; the temperature sharpens weights and scales the std', () => {
    const p = mixture();
    // T = 1: u = 0.2 < ¼ → component 0: −½ + 0.2·1; u = 0.3 → component 1: ½ + 0.4·(−1)
    const a = p.act(Float32Array.from([0, 0]), 2, script([0.2, 0.3], [1, -1]), 1);
    expect(a[0]).toBeCloseTo(-0.3, 5);
    expect(a[1]).toBeCloseTo(0.1, 5);
    // T = ½: weights ∝ (1, 9): u = 0.2 → component 1, std × √½
    const b = p.act(Float32Array.from([0]), 1, script([0.2], [1]), 0.5);
    expect(b[0]).toBeCloseTo(0.5 + 0.4 * Math.SQRT1_2, 5);
    expect(() => p.act(Float32Array.from([0]), 1, script([], []), -1)).toThrow('temperature: is -1 (allowed: a finite number >= 0)');
    expect(() => p.act(Float32Array.from([0]), 1, script([], []), NaN)).toThrow('temperature: is NaN');
    expect(() => p.act(Float32Array.from([0]), 1, script([], []), Infinity)).toThrow('temperature: is Infinity');
    p.dispose();
  });

  it('entropy with several components: −mean log π(x) over the given draws', () => {
    const p = mixture();
    // two samples of one state: (component 0, z = 1) → x = −0.3; (component 1, z = 0.5) → x = 0.7
    const h = p.entropy(Float32Array.from([0]), 1, script([0.1, 0.9], [1, 0.5]), 2);
    const lp = (x: number) => Math.log(0.25 * Math.exp(logN(x, -0.5, 0.2)) + 0.75 * Math.exp(logN(x, 0.5, 0.4)));
    expect(h).toBeCloseTo(-(lp(-0.3) + lp(0.7)) / 2, 4);
    expect(() => p.entropy(Float32Array.from([0]), 1, script([], []), 0)).toThrow('samples: is 0 (allowed: an integer >= 1)');
    expect(() => p.entropy(Float32Array.from([0]), 1, script([], []), 1.5)).toThrow('samples: is 1.5');
    expect(p.entropy(new Float32Array(0), 0, script([], []))).toBeNaN();
    p.dispose();
  });

  it('checks the observations and the fit data', () => {
    const p = mixture();
    expect(() => p.params(Float32Array.from([0, 0]), 1.5)).toThrow('n: is 1.5 (allowed: an integer >= 0)');
    expect(() => p.params(Float32Array.from([0]), -1)).toThrow('n: is -1');
    expect(() => p.params(Float32Array.from([0, 0, 0]), 2)).toThrow('obs: has 3 values, expected 2x1');
    expect(() => p.fit({ obs: Float32Array.from([0, 0]), act: Float32Array.from([0]), n: 2 }, { epochs: 1, batchSize: 8, lr: 0.01 }, new Rng(1))).toThrow('fit.act: has 1 values, expected 2x1');
    p.dispose();
  });
});

describe('one Gaussian', () => {
  /** K = 1, A = 2: mean (tanh(x), 0.25), stds 0.3 and 0.6 */
  function gaussian(minStd = 0.1): Policy {
    const p = Policy.create({ obsSize: 1, actSize: 2, hidden: [1], components: 1, minStd, maxStd: 1, initStd: 0.5 }, new Rng(2));
    const raw = minStd < 0.01 ? [-60, -60] : [rawForStd(minStd, 1, 0.3), rawForStd(minStd, 1, 0.6)];
    p.setWeights([Float32Array.from([1]), Float32Array.from([0]), Float32Array.from([0, 1, 0, 0, 0]), Float32Array.from([0, 0, 0.25, ...raw])]);
    return p;
  }

  it('entropy: Σ over dimensions of ½(log 2π + 1) + log σ, exactly, with no draws', () => {
    const p = gaussian();
    const h = p.entropy(Float32Array.from([0, 1]), 2, script([], []));
    expect(h).toBeCloseTo(LOG_2PI + 1 + Math.log(0.3) + Math.log(0.6), 5);
    expect(Array.from(p.mode(Float32Array.from([1]), 1))).toEqual([Math.fround(Math.tanh(1)), 0.25]);
    // no component draw for one component: only the normals
    const rng = script([], [1, -1]);
    const a = p.act(Float32Array.from([0]), 1, rng);
    expect(a[0]).toBeCloseTo(0.3, 5);
    expect(a[1]).toBeCloseTo(0.25 - 0.6, 5);
    expect(rng.left()).toBe(0);
    p.dispose();
  });

  it('actionStd: the population std of the sampled actions per dimension, averaged over dimensions', () => {
    // σ ≈ 1e-6: the actions are the means, tanh(x) and 0.25
    const p = gaussian(1e-6);
    const xs = [0, 0.5, 1, -1];
    const m = xs.map(Math.tanh);
    const mu = m.reduce((a, b) => a + b, 0) / 4;
    const sd = Math.sqrt(m.reduce((s, v) => s + (v - mu) ** 2, 0) / 4);
    expect(p.actionStd(Float32Array.from(xs), 4, new Rng(3))).toBeCloseTo(sd / 2, 5);
    expect(p.actionStd(Float32Array.from(xs), 4, new Rng(3), 3)).toBeCloseTo(sd / 2, 5);
    expect(p.actionStd(new Float32Array(0), 0, new Rng(3))).toBeNaN();
    p.dispose();
  });
});

describe('sampleMixture', () => {
  const params: MixtureParams = {
    n: 2,
    logits: Float32Array.from([0, Math.log(3), Math.log(3), 0]),
    means: Float32Array.from([-0.5, 0.1, 0.5, 0.2, 0.9, 0.3, -0.9, 0.4]),
    logStd: Float32Array.from([0, 0, Math.log(0.5), Math.log(0.5), 0, 0, 0, 0].map((x) => x)),
  };

  it('per row a component, then a normal per dimension; clipped only when asked', () => {
    // row 0: u = 0.5 → 0.5 − ¼ ≥ 0, − ¾ < 0 → component 1; row 1: weights (¾, ¼), u = 0.5 → component 0
    const out = sampleMixture(params, 2, 2, script([0.5, 0.5], [1, 2, 0.5, -3]), 1, false);
    const want = [0.5 + 0.5, 0.2 + 0.5 * 2, 0.9 + 0.5, 0.3 - 3];
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    const clipped = sampleMixture(params, 2, 2, script([0.5, 0.5], [1, 2, 0.5, -3]), 1, true);
    expect(Array.from(clipped).map((v) => +v.toFixed(6))).toEqual([1, 1, 1, -1]);
  });

  it('a draw past the last weight (rounding) takes the last component; temperature scales the std by √T', () => {
    const out = sampleMixture({ ...params, n: 1 }, 2, 2, script([1], [0, 0]), 1, false);
    expect(Array.from(out)).toEqual([0.5, 0.2].map(Math.fround));
    // T = 4: weights ∝ (1, 3^¼) and std × 2; u = 0.4 < 1/(1 + 3^¼) = 0.43 → component 0
    const t = sampleMixture({ ...params, n: 1 }, 2, 2, script([0.4], [1, 1]), 4, false);
    expect(t[0]).toBeCloseTo(-0.5 + 2, 6);
    expect(t[1]).toBeCloseTo(0.1 + 2, 6);
    // one component: no component draw
    const one = sampleMixture({ n: 1, logits: Float32Array.from([5]), means: Float32Array.from([0.1]), logStd: Float32Array.from([Math.log(0.5)]) }, 1, 1, script([], [1]), 1, true);
    expect(one[0]).toBeCloseTo(0.6, 6);
  });
});

describe('Policy.create', () => {
  it('the output bias: component means spread over [−½, ½] per dimension (a permutation), stds at initStd', () => {
    const p = Policy.create({ obsSize: 2, actSize: 2, hidden: [3], components: 3, minStd: 0.05, maxStd: 2, initStd: 0.4 }, new Rng(7));
    const w = p.getWeights();
    const bias = w[w.length - 1];
    expect(bias).toHaveLength(3 + 2 * 3 * 2);
    // means: component-major, bias[3 + k·2 + a]
    for (const a of [0, 1]) {
      const col = [0, 1, 2].map((k) => bias[3 + k * 2 + a]);
      expect([...col].sort((x, y) => x - y)).toEqual([-0.5, 0, 0.5]);
    }
    expect(Array.from(bias.slice(9))).toEqual(Array(6).fill(Math.fround(rawForStd(0.05, 2, 0.4))));
    // the config as resolved
    expect(p.config).toEqual({ obsSize: 2, actSize: 2, hidden: [3], components: 3, minStd: 0.05, maxStd: 2, initStd: 0.4, activation: 'tanh' });
    expect(p.components).toBe(3);
    p.dispose();
    const one = Policy.create({ obsSize: 2, actSize: 3, hidden: [3], components: 1 }, new Rng(7));
    const b1 = one.getWeights()[3];
    expect(Array.from(b1.slice(1, 4))).toEqual([0, 0, 0]);
    expect(one.config.minStd).toBe(0.02);
    one.dispose();
    expect(() => Policy.create({ obsSize: 0, actSize: 1 }, new Rng(1))).toThrow('policy.obsSize: is 0 (allowed: an integer >= 1)');
    expect(() => Policy.create({ obsSize: 1, actSize: 1, components: 0 }, new Rng(1))).toThrow('policy.components: is 0');
  });

  it('one component: logProb is the plain Gaussian; a clone is independent', () => {
    const p = Policy.create({ obsSize: 1, actSize: 2, hidden: [1], components: 1, minStd: 0.1, maxStd: 1, initStd: 0.3 }, new Rng(2));
    p.setWeights([Float32Array.from([0]), Float32Array.from([0]), new Float32Array(5), Float32Array.from([0, 0.1, -0.2, rawForStd(0.1, 1, 0.3), rawForStd(0.1, 1, 0.5)])]);
    const lp = p.logProb(Float32Array.from([0]), Float32Array.from([0.4, 0.3]), 1);
    expect(lp[0]).toBeCloseTo(logN(0.4, 0.1, 0.3) + logN(0.3, -0.2, 0.5), 4);
    const c = p.clone();
    c.setWeights(c.getWeights().map((x) => x.map(() => 0)));
    expect(p.logProb(Float32Array.from([0]), Float32Array.from([0.4, 0.3]), 1)[0]).toBeCloseTo(lp[0], 6);
    c.dispose();
    p.dispose();
  });
});
