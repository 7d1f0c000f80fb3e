import { beforeAll, describe, expect, it } from 'vitest';
import { initTf, tf } from '../agents/tf.ts';
import { Policy } from '../agents/policy.ts';
import { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';

beforeAll(async () => {
  await initTf();
});

const LOG_2PI = Math.log(2 * Math.PI);

function meanStd(xs: ArrayLike<number>, stride = 1, offset = 0): { mean: number; std: number } {
  let s = 0;
  let q = 0;
  let m = 0;
  for (let i = offset; i < xs.length; i += stride) {
    s += xs[i];
    q += xs[i] * xs[i];
    m++;
  }
  const mean = s / m;
  return { mean, std: Math.sqrt(q / m - mean * mean) };
}

/** A policy whose output ignores the observation: all weights zero except the last bias. */
function fixedPolicy(K: number, A: number, logits: number[], means: number[], stds: number[], minStd = 0.02, maxStd = 1): Policy {
  const p = Policy.create({ obsSize: 2, actSize: A, hidden: [4], components: K, minStd, maxStd }, new Rng(0));
  const w = p.getWeights().map((x) => new Float32Array(x.length));
  const bias = w[w.length - 1];
  const lo = Math.log(minStd);
  const hi = Math.log(maxStd);
  for (let k = 0; k < K; k++) bias[k] = logits[k];
  for (let i = 0; i < K * A; i++) {
    bias[K + i] = means[i];
    const s = (Math.log(stds[i]) - lo) / (hi - lo);
    bias[K + K * A + i] = Math.log(s / (1 - s));
  }
  p.setWeights(w);
  return p;
}

function uniformObs(n: number, O: number, rng: Rng): Float32Array {
  const obs = new Float32Array(n * O);
  for (let i = 0; i < obs.length; i++) obs[i] = rng.uniform(-1, 1);
  return obs;
}

describe('Policy: initialisation and sampling', () => {
  it('is seeded: same seed identical, other seed different', () => {
    const cfg = { obsSize: 3, actSize: 2 };
    const a = Policy.create(cfg, new Rng(11));
    const b = Policy.create(cfg, new Rng(11));
    const c = Policy.create(cfg, new Rng(12));
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(c.getWeights()[0]).not.toEqual(a.getWeights()[0]);
    const obs = uniformObs(8, 3, new Rng(1));
    expect(b.act(obs, 8, new Rng(5))).toEqual(a.act(obs, 8, new Rng(5)));
    expect(a.act(obs, 8, new Rng(5))).not.toEqual(a.act(obs, 8, new Rng(6)));
    [a, b, c].forEach((p) => p.dispose());
  });

  it('starts with std = initStd and distinct component means', () => {
    const p = Policy.create({ obsSize: 3, actSize: 2, components: 3, initStd: 0.4 }, new Rng(3));
    const prm = p.params(uniformObs(5, 3, new Rng(2)), 5);
    for (const ls of prm.logStd) expect(Math.exp(ls)).toBeCloseTo(0.4, 1);
    const firstRow = Array.from(prm.means.subarray(0, 6));
    const comp0 = firstRow.slice(0, 2).map((v) => Math.round(v * 10) / 10);
    const comp1 = firstRow.slice(2, 4).map((v) => Math.round(v * 10) / 10);
    expect(comp0).not.toEqual(comp1);
    p.dispose();
  });

  it('logProb matches the hand-computed Gaussian density (K = 1) and mixture (K = 2)', () => {
    const g = fixedPolicy(1, 2, [0], [0.2, -0.1], [0.3, 0.05]);
    const obs = uniformObs(3, 2, new Rng(4));
    const act = Float32Array.from([0.2, -0.1, 0.5, 0, -1, 1]);
    const lp = g.logProb(obs, act, 3);
    for (let i = 0; i < 3; i++) {
      let want = 0;
      [0.2, -0.1].forEach((mu, a) => {
        const s = [0.3, 0.05][a];
        const z = (act[i * 2 + a] - mu) / s;
        want += -0.5 * z * z - Math.log(s) - 0.5 * LOG_2PI;
      });
      expect(lp[i]).toBeCloseTo(want, 3);
    }
    const m = fixedPolicy(2, 1, [0, Math.log(3)], [-0.5, 0.5], [0.1, 0.2]);
    const x = Float32Array.from([-0.4, 0.3]);
    const lpm = m.logProb(uniformObs(2, 2, new Rng(5)), x, 2);
    const dens = (v: number, mu: number, s: number) => Math.exp(-0.5 * ((v - mu) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
    for (let i = 0; i < 2; i++) {
      expect(lpm[i]).toBeCloseTo(Math.log(0.25 * dens(x[i], -0.5, 0.1) + 0.75 * dens(x[i], 0.5, 0.2)), 3);
    }
    g.dispose();
    m.dispose();
  });

  it('samples from the mixture, clips to [-1, 1], and temperature < 1 narrows samples', () => {
    const p = fixedPolicy(1, 1, [0], [0.1], [0.3]);
    const n = 4000;
    const obs = new Float32Array(n * 2);
    const t1 = p.act(obs, n, new Rng(1), 1);
    const tq = p.act(obs, n, new Rng(1), 0.25);
    const s1 = meanStd(t1);
    const sq = meanStd(tq);
    expect(s1.mean).toBeCloseTo(0.1, 1);
    expect(s1.std).toBeGreaterThan(0.27);
    expect(s1.std).toBeLessThan(0.31);
    // std scales by sqrt(T): 0.3 * 0.5
    expect(sq.std).toBeGreaterThan(0.14);
    expect(sq.std).toBeLessThan(0.16);
    expect(p.act(obs.subarray(0, 20), 10, new Rng(9), 0)).toEqual(p.mode(obs.subarray(0, 20), 10));
    const wide = fixedPolicy(1, 1, [0], [0.9], [0.9], 0.02, 2);
    const tw = wide.act(obs, n, new Rng(2));
    expect(Math.max(...tw)).toBe(1);
    expect(Math.min(...tw)).toBeGreaterThanOrEqual(-1);
    // low temperature sharpens the mixture weights too: 0.25/0.75 -> 0.1/0.9 at T = 0.5
    const m = fixedPolicy(2, 1, [0, Math.log(3)], [-0.5, 0.5], [0.05, 0.05]);
    const share = (xs: Float32Array) => xs.filter((v) => v > 0).length / xs.length;
    expect(share(m.act(obs, n, new Rng(3), 1))).toBeCloseTo(0.75, 1);
    expect(share(m.act(obs, n, new Rng(3), 0.5))).toBeCloseTo(0.9, 1);
    expect(Array.from(m.mode(obs.subarray(0, 2), 1))).toEqual([0.5]);
    [p, wide, m].forEach((x) => x.dispose());
  });

  it('estimates entropy and action spread', () => {
    const g = fixedPolicy(1, 2, [0], [0, 0], [0.2, 0.1]);
    const obs = new Float32Array(50 * 2);
    const exact = 2 * 0.5 * (LOG_2PI + 1) + Math.log(0.2) + Math.log(0.1);
    expect(g.entropy(obs, 50, new Rng(1))).toBeCloseTo(exact, 4);
    // K = 3 identical components: the Monte-Carlo estimate must agree with the closed form
    const m = fixedPolicy(3, 2, [0, 0.5, -0.3], [0, 0, 0, 0, 0, 0], [0.2, 0.1, 0.2, 0.1, 0.2, 0.1]);
    expect(Math.abs(m.entropy(obs, 50, new Rng(2), 32) - exact)).toBeLessThan(0.05);
    // two far-apart equal modes add log 2 nats
    const bi = fixedPolicy(2, 2, [0, 0], [-0.5, 0, 0.5, 0], [0.05, 0.05, 0.05, 0.05]);
    const exactBi = 2 * 0.5 * (LOG_2PI + 1) + 2 * Math.log(0.05) + Math.log(2);
    expect(Math.abs(bi.entropy(obs, 50, new Rng(3), 32) - exactBi)).toBeLessThan(0.05);
    expect(g.actionStd(new Float32Array(2000 * 2), 2000, new Rng(4))).toBeCloseTo(0.15, 1);
    [g, m, bi].forEach((x) => x.dispose());
  });

  it('rejects wrong shapes and temperatures', () => {
    const p = Policy.create({ obsSize: 3, actSize: 2 }, new Rng(1));
    expect(() => p.act(new Float32Array(5), 2, new Rng(1))).toThrow(ConfigError);
    expect(() => p.act(new Float32Array(6), 2, new Rng(1), -1)).toThrow(/temperature/);
    expect(() => Policy.create({ obsSize: 3, actSize: 2, minStd: 1, maxStd: 0.5 }, new Rng(1))).toThrow(/maxStd/);
    expect(() => Policy.create({ obsSize: 3, actSize: 2, components: 0 }, new Rng(1))).toThrow(/components/);
    p.dispose();
  });
});

describe('Policy: fitting', () => {
  it('fits a 1-D Gaussian: loss falls, mean and std recovered', () => {
    const rng = new Rng(21);
    const n = 2000;
    const obs = uniformObs(n, 2, rng);
    const act = new Float32Array(n);
    for (let i = 0; i < n; i++) act[i] = 0.3 + 0.15 * rng.normal();
    const p = Policy.create({ obsSize: 2, actSize: 1, hidden: [32], components: 1 }, new Rng(22));
    const { loss } = p.fit({ obs, act, n }, { epochs: 30, batchSize: 64, lr: 0.01, lrFinal: 0.001 }, new Rng(23));
    expect(loss).toHaveLength(30);
    expect(loss[29]).toBeLessThan(loss[0] - 0.3);
    const prm = p.params(obs.subarray(0, 200), 100);
    const mu = meanStd(prm.means).mean;
    const sd = meanStd(Array.from(prm.logStd, Math.exp)).mean;
    expect(mu).toBeGreaterThan(0.27);
    expect(mu).toBeLessThan(0.33);
    expect(sd).toBeGreaterThan(0.13);
    expect(sd).toBeLessThan(0.17);
    // the fitted NLL is near the true entropy of N(0.3, 0.15)
    expect(loss[29]).toBeCloseTo(0.5 * (LOG_2PI + 1) + Math.log(0.15), 0);
    p.dispose();
  });

  it('a mixture recovers both modes of a bimodal target', () => {
    const rng = new Rng(31);
    const n = 2000;
    const obs = uniformObs(n, 2, rng);
    const act = new Float32Array(n);
    for (let i = 0; i < n; i++) act[i] = (rng.float() < 0.5 ? -0.6 : 0.6) + 0.08 * rng.normal();
    const p = Policy.create({ obsSize: 2, actSize: 1, hidden: [32], components: 3 }, new Rng(32));
    p.fit({ obs, act, n }, { epochs: 30, batchSize: 64, lr: 0.01, lrFinal: 0.001 }, new Rng(33));
    const s = p.act(obs, n, new Rng(34));
    const left = s.filter((v) => v > -0.85 && v < -0.35).length / n;
    const right = s.filter((v) => v > 0.35 && v < 0.85).length / n;
    const middle = s.filter((v) => Math.abs(v) < 0.25).length / n;
    expect(left).toBeGreaterThan(0.35);
    expect(right).toBeGreaterThan(0.35);
    expect(middle).toBeLessThan(0.08);
    p.dispose();
  });

  it('weighted fit shifts toward heavy samples', () => {
    const rng = new Rng(41);
    const n = 1000;
    const obs = uniformObs(n, 2, rng);
    const act = new Float32Array(n);
    const weight = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const good = i % 2 === 0;
      act[i] = (good ? 0.5 : -0.5) + 0.1 * rng.normal();
      weight[i] = good ? 9 : 1;
    }
    const cfg = { obsSize: 2, actSize: 1, hidden: [16], components: 1 };
    const opts = { epochs: 30, batchSize: 50, lr: 0.01 };
    const plain = Policy.create(cfg, new Rng(42));
    const heavy = plain.clone();
    plain.fit({ obs, act, n }, opts, new Rng(43));
    heavy.fit({ obs, act, weight, n }, opts, new Rng(43));
    const meanOf = (p: Policy) => meanStd(p.params(obs.subarray(0, 400), 200).means).mean;
    expect(Math.abs(meanOf(plain))).toBeLessThan(0.1);
    expect(meanOf(heavy)).toBeGreaterThan(0.3); // weighted mean is 0.4
    // scaling every weight by a constant changes nothing (weights are normalised to mean 1)
    const scaled = Policy.create(cfg, new Rng(42));
    scaled.fit({ obs, act, weight: weight.map((w) => w * 3), n }, opts, new Rng(43));
    const hw = heavy.getWeights();
    scaled.getWeights().forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(hw[i][j], 4)));
    [plain, heavy, scaled].forEach((p) => p.dispose());
  });

  it('is deterministic: identical fits from the same seeds give identical weights', () => {
    const rng = new Rng(51);
    const n = 500;
    const obs = uniformObs(n, 3, rng);
    const act = uniformObs(n, 2, rng);
    const run = () => {
      const p = Policy.create({ obsSize: 3, actSize: 2, hidden: [16, 16] }, new Rng(52));
      const { loss } = p.fit({ obs, act, n }, { epochs: 5, batchSize: 32, lr: 0.005, l2: 1e-4, lrFinal: 0.001 }, new Rng(53));
      const w = p.getWeights();
      const a = p.act(obs.subarray(0, 30), 10, new Rng(54));
      p.dispose();
      return { loss, w, a };
    };
    const r1 = run();
    const r2 = run();
    expect(r2.w).toEqual(r1.w);
    expect(r2.loss).toEqual(r1.loss);
    expect(r2.a).toEqual(r1.a);
  });

  it('a fitted clone leaves the original untouched', () => {
    const p = Policy.create({ obsSize: 2, actSize: 1, hidden: [8] }, new Rng(61));
    const before = p.getWeights();
    const c = p.clone();
    const obs = uniformObs(100, 2, new Rng(62));
    c.fit({ obs, act: new Float32Array(100).fill(0.5), n: 100 }, { epochs: 2, batchSize: 20, lr: 0.01 }, new Rng(63));
    expect(p.getWeights()).toEqual(before);
    expect(c.getWeights()).not.toEqual(before);
    p.dispose();
    c.dispose();
  });

  it('does not leak tensors across fit/act/dispose cycles', () => {
    const obs = uniformObs(200, 3, new Rng(71));
    const act = uniformObs(200, 2, new Rng(72));
    const cycle = (seed: number) => {
      const p = Policy.create({ obsSize: 3, actSize: 2, hidden: [8] }, new Rng(seed));
      const c = p.clone();
      c.fit({ obs, act, n: 200 }, { epochs: 2, batchSize: 32, lr: 0.01, l2: 1e-3 }, new Rng(seed));
      c.act(obs, 200, new Rng(seed));
      c.mode(obs, 200);
      c.logProb(obs, act, 200);
      c.entropy(obs, 200, new Rng(seed), 2);
      c.actionStd(obs, 200, new Rng(seed));
      Policy.fromJSON(JSON.parse(JSON.stringify(c.toJSON()))).dispose();
      p.dispose();
      c.dispose();
    };
    cycle(1);
    const base = tf.memory().numTensors;
    for (let s = 2; s < 6; s++) cycle(s);
    expect(tf.memory().numTensors).toBe(base);
  });
});
