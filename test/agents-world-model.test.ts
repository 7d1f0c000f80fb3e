import { beforeAll, describe, expect, it } from 'vitest';
import { initTf, tf } from '../agents/tf.ts';
import { WorldModel, type WorldModelData } from '../agents/world-model.ts';
import { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';

beforeAll(async () => {
  await initTf();
});

/**
 * Toy dynamics, O = 2, A = 1: next = obs + 0.2·[a0, a1] + N(0, 0.01²);
 * outcome 1 when next[0] > 0.6, else 2 when next[1] > 0.6, else 0.
 */
function toyData(n: number, rng: Rng): WorldModelData {
  const obs = new Float32Array(n * 2);
  const a0 = new Float32Array(n);
  const a1 = new Float32Array(n);
  const next = new Float32Array(n * 2);
  const outcome = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    obs[2 * i] = rng.uniform(-1, 1);
    obs[2 * i + 1] = rng.uniform(-1, 1);
    a0[i] = rng.uniform(-1, 1);
    a1[i] = rng.uniform(-1, 1);
    next[2 * i] = obs[2 * i] + 0.2 * a0[i] + 0.01 * rng.normal();
    next[2 * i + 1] = obs[2 * i + 1] + 0.2 * a1[i] + 0.01 * rng.normal();
    outcome[i] = next[2 * i] > 0.6 ? 1 : next[2 * i + 1] > 0.6 ? 2 : 0;
  }
  return { obs, a0, a1, next, outcome, n };
}

describe('WorldModel', () => {
  it('is seeded: same seed identical, other seed different', () => {
    const a = WorldModel.create({ obsSize: 2, actSize: 1 }, new Rng(1));
    const b = WorldModel.create({ obsSize: 2, actSize: 1 }, new Rng(1));
    const c = WorldModel.create({ obsSize: 2, actSize: 1 }, new Rng(2));
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(c.getWeights()[0]).not.toEqual(a.getWeights()[0]);
    const d = toyData(5, new Rng(3));
    expect(b.sample(d.obs, d.a0, d.a1, 5, new Rng(4))).toEqual(a.sample(d.obs, d.a0, d.a1, 5, new Rng(4)));
    const p = a.predict(d.obs, d.a0, d.a1, 5);
    for (const s of p.std) expect(s).toBeCloseTo(0.1, 1);
    for (const q of p.outcome) expect(q).toBeCloseTo(1 / 3, 1);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('learns a change that happens only on some steps (the shooter\'s fields after a shot) instead of inflating σ', () => {
    // next = obs + a on "turn" rows (obs[1] = 1), unchanged otherwise: a copy gated by a flag
    const rng = new Rng(20);
    const n = 2000;
    const data = { obs: new Float32Array(n * 2), a0: new Float32Array(n), a1: new Float32Array(n), next: new Float32Array(n * 2), outcome: new Int32Array(n), n };
    for (let i = 0; i < n; i++) {
      const x = rng.uniform(-1, 1);
      const turn = rng.float() < 0.5 ? 1 : -1;
      const a = rng.uniform(-1, 1);
      data.obs.set([x, turn], 2 * i);
      data.a0[i] = a;
      data.next.set([turn > 0 ? a : x, turn], 2 * i);
    }
    const wm = WorldModel.create({ obsSize: 2, actSize: 1, hidden: [64, 64] }, new Rng(21));
    wm.fit(data, { epochs: 30, batchSize: 128, lr: 0.003 }, new Rng(22));
    const p = wm.predict(data.obs, data.a0, data.a1, n);
    let err = 0;
    for (let i = 0; i < n; i++) if (data.obs[2 * i + 1] > 0) err += Math.abs(p.mean[2 * i] - data.next[2 * i]);
    expect(err / (n / 2)).toBeLessThan(0.05);
    wm.dispose();
  });

  it('learns linear dynamics and an outcome rule', () => {
    const train = toyData(3000, new Rng(10));
    const test = toyData(500, new Rng(11));
    const wm = WorldModel.create({ obsSize: 2, actSize: 1, hidden: [64, 64] }, new Rng(12));
    const before = wm.evaluate(test);
    const { loss } = wm.fit(train, { epochs: 40, batchSize: 64, lr: 0.005, lrFinal: 0.0005, outcomeClassWeights: 'balanced' }, new Rng(13));
    const after = wm.evaluate(test);
    // the training loss is β-NLL (each dimension's NLL scaled by its σ), so its scale is small;
    // the held-out Gaussian NLL below is the real measure
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] / 2);
    expect(after.nll).toBeLessThan(before.nll - 2);
    expect(after.mae).toBeLessThan(0.03); // noise std is 0.01; predicting no change would be ~0.1
    const majority = Math.max(...[0, 1, 2].map((c) => test.outcome.filter((y) => y === c).length)) / test.n;
    expect(after.accuracy).toBeGreaterThan(0.88);
    expect(after.accuracy).toBeGreaterThan(majority + 0.1);
    // the predicted delta follows the action: push player 0's coordinate up, the other down
    const obs = Float32Array.from([0, 0]);
    const pr = wm.predict(obs, Float32Array.from([1]), Float32Array.from([-1]), 1);
    expect(pr.mean[0]).toBeCloseTo(0.2, 1);
    expect(pr.mean[1]).toBeCloseTo(-0.2, 1);
    expect(pr.std[0]).toBeLessThan(0.05);
    // near the line: player 0 crosses 0.6 and wins
    const win = wm.predict(Float32Array.from([0.7, 0]), Float32Array.from([0.5]), Float32Array.from([0]), 1);
    expect(win.outcome[1]).toBeGreaterThan(0.7);
    const s = wm.sample(Float32Array.from([0.7, 0]), Float32Array.from([0.5]), Float32Array.from([0]), 1, new Rng(14), 0);
    expect(s.outcome[0]).toBe(1);
    wm.dispose();
  });

  it('with balanced class weights finds rare outcomes and, shifted back (logit adjustment), predicts their real frequency', () => {
    // outcome 1 only when next[0] > 0.95: about 1 row in 50
    const rare = (n: number, seed: number) => {
      const d = toyData(n, new Rng(seed));
      let k = 0;
      for (let i = 0; i < n; i++) {
        d.outcome[i] = d.next[2 * i] > 0.95 ? 1 : 0;
        k += d.outcome[i];
      }
      return { d, rate: k / n };
    };
    const { d: train, rate } = rare(3000, 30);
    const { d: test } = rare(2000, 31);
    expect(rate).toBeGreaterThan(0.005);
    expect(rate).toBeLessThan(0.05);
    const fit = (weights: 'balanced' | undefined) => {
      const wm = WorldModel.create({ obsSize: 2, actSize: 1, hidden: [32, 32] }, new Rng(32));
      wm.fit(train, { epochs: 20, batchSize: 128, lr: 0.005, ...(weights ? { outcomeClassWeights: weights } : {}) }, new Rng(33));
      return wm;
    };
    const plain = fit(undefined);
    const bal = fit('balanced');
    expect(plain.config.outcomeShift).toBeUndefined();
    expect(bal.config.outcomeShift?.[1]).toBeLessThan(bal.config.outcomeShift?.[0] ?? 0);
    // judged as trained (the balanced decision rule), the weighted head finds the rare class
    expect(bal.evaluate(test, { balanced: true }).recall[1]).toBeGreaterThan(0.8);
    // where it speaks of reality, its mean predicted probability of the rare class is the real rate
    const meanP1 = (wm: WorldModel) => {
      const p = wm.predict(test.obs, test.a0, test.a1, test.n).outcome;
      let s = 0;
      for (let i = 0; i < test.n; i++) s += p[3 * i + 1];
      return s / test.n;
    };
    expect(meanP1(bal)).toBeGreaterThan(rate / 2);
    expect(meanP1(bal)).toBeLessThan(rate * 2);
    // the shift is part of the checkpoint, and a refit without weights drops it
    const back = WorldModel.fromJSON(JSON.parse(JSON.stringify(bal.toJSON())));
    expect(back.config.outcomeShift).toEqual(bal.config.outcomeShift);
    const head = (wm: WorldModel) => wm.predict(test.obs.subarray(0, 10), test.a0.subarray(0, 5), test.a1.subarray(0, 5), 5).outcome;
    expect(head(back)).toEqual(head(bal));
    const copy = bal.clone();
    copy.fit(train, { epochs: 1, batchSize: 512, lr: 0.001 }, new Rng(34));
    expect(copy.config.outcomeShift).toBeUndefined();
    expect(bal.config.outcomeShift).toBeDefined();
    [plain, bal, back, copy].forEach((m) => m.dispose());
  });

  it('clips predictions and samples to the observation bounds; T = 0 is the mean', () => {
    const wm = WorldModel.create({ obsSize: 2, actSize: 1, obsLow: [-0.05, -1], obsHigh: [0.05, 1], initStd: 0.5 }, new Rng(20));
    const n = 300;
    const d = toyData(n, new Rng(21));
    const pr = wm.predict(d.obs, d.a0, d.a1, n);
    const s = wm.sample(d.obs, d.a0, d.a1, n, new Rng(22));
    for (let i = 0; i < n; i++) {
      expect(Math.abs(pr.mean[2 * i])).toBeLessThanOrEqual(0.05 + 1e-7);
      expect(Math.abs(s.next[2 * i])).toBeLessThanOrEqual(0.05 + 1e-7);
      expect(Math.abs(s.next[2 * i + 1])).toBeLessThanOrEqual(1);
    }
    const s0 = wm.sample(d.obs, d.a0, d.a1, n, new Rng(23), 0);
    expect(s0.next).toEqual(pr.mean);
    // a lower temperature shrinks the sampled spread around the mean
    const spread = (t: number) => {
      const x = wm.sample(new Float32Array(2 * n), new Float32Array(n), new Float32Array(n), n, new Rng(24), t).next;
      const m = wm.predict(new Float32Array(2 * n), new Float32Array(n), new Float32Array(n), n).mean;
      let q = 0;
      for (let i = 0; i < n; i++) q += (x[2 * i + 1] - m[2 * i + 1]) ** 2;
      return Math.sqrt(q / n);
    };
    expect(spread(0.25)).toBeLessThan(0.6 * spread(1));
    wm.dispose();
  });

  it('is deterministic and does not leak tensors', () => {
    const data = toyData(300, new Rng(30));
    const cycle = () => {
      const wm = WorldModel.create({ obsSize: 2, actSize: 1, hidden: [16] }, new Rng(31));
      const c = wm.clone();
      const { loss } = c.fit(data, { epochs: 3, batchSize: 32, lr: 0.01, l2: 1e-4, outcomeClassWeights: [1, 5, 5] }, new Rng(32));
      const s = c.sample(data.obs, data.a0, data.a1, data.n, new Rng(33));
      c.predict(data.obs, data.a0, data.a1, data.n);
      c.evaluate(data);
      WorldModel.fromJSON(JSON.parse(JSON.stringify(c.toJSON()))).dispose();
      const w = c.getWeights();
      wm.dispose();
      c.dispose();
      return { loss, w, s };
    };
    const r1 = cycle();
    const base = tf.memory().numTensors;
    const r2 = cycle();
    cycle();
    expect(tf.memory().numTensors).toBe(base);
    expect(r2.w).toEqual(r1.w);
    expect(r2.loss).toEqual(r1.loss);
    expect(r2.s.next).toEqual(r1.s.next);
    expect(r2.s.outcome).toEqual(r1.s.outcome);
  });

  it('rejects bad inputs', () => {
    const wm = WorldModel.create({ obsSize: 2, actSize: 1 }, new Rng(40));
    const d = toyData(4, new Rng(41));
    expect(() => wm.predict(d.obs, d.a0, new Float32Array(3), 4)).toThrow(ConfigError);
    expect(() => wm.fit({ ...d, outcome: Int32Array.from([0, 1, 3, 0]) }, { epochs: 1, batchSize: 2, lr: 0.01 }, new Rng(1))).toThrow(/outcome\[2\]/);
    expect(() => WorldModel.create({ obsSize: 2, actSize: 1, obsLow: [0] }, new Rng(1))).toThrow(/obsLow/);
    wm.dispose();
  });
});
