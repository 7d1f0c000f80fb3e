/**
 * The world model with hand-set weights and no hidden layer (a linear map), so every prediction,
 * draw and score has a closed form computed here independently of the model's own code.
 * No training beyond a few steps: cheap, and fast under mutation testing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { resolveWorldModelConfig, WorldModel, type WorldModelConfig, type WorldModelData } from '../agents/world-model.ts';
import { ConfigError } from '../sim/errors.ts';
import { Rng } from '../sim/rng.ts';

beforeAll(async () => {
  await initTf();
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softmax = (l: number[]) => {
  const m = Math.max(...l);
  const e = l.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/**
 * O = 1, A = 1, input [obs, a0, a1], output [Δμ, raw log-std, logit0, logit1, logit2] with
 *   Δμ = 0.5·a0 − 0.25·a1,  raw = 0.3 + obs,  logits = [0, 2·obs, −obs + 0.5]
 */
const W = [
  // rows: obs, a0, a1; columns: Δμ, raw, l0, l1, l2
  [0, 1, 0, 2, -1],
  [0.5, 0, 0, 0, 0],
  [-0.25, 0, 0, 0, 0],
];
const B = [0, 0.3, 0, 0, 0.5];
const MIN_STD = 0.01;
const MAX_STD = 2;

function model(extra: Partial<WorldModelConfig> = {}): WorldModel {
  const wm = WorldModel.create({ obsSize: 1, actSize: 1, hidden: [], minStd: MIN_STD, maxStd: MAX_STD, obsLow: [-1], obsHigh: [1], ...extra }, new Rng(1));
  wm.setWeights([Float32Array.from(W.flat()), Float32Array.from(B)]);
  return wm;
}

/** the hand-computed heads of one row */
function heads(obs: number, a0: number, a1: number, shift = [0, 0, 0]) {
  const delta = 0.5 * a0 - 0.25 * a1;
  const lo = Math.log(MIN_STD);
  const hi = Math.log(MAX_STD);
  const logStd = lo + (hi - lo) * sigmoid(0.3 + obs);
  const logits = [0, 2 * obs, -obs + 0.5].map((v, k) => v + shift[k]);
  return { delta, mean: Math.min(1, Math.max(-1, obs + delta)), logStd, std: Math.exp(logStd), p: softmax(logits) };
}

const rows = { obs: [0.2, -0.9, 0.95, 0.6, -0.4], a0: [0.4, -0.8, 0.6, -1, 0], a1: [1, 0.2, -0.4, 0.5, -1] };
const n = rows.obs.length;
const obs = Float32Array.from(rows.obs);
const a0 = Float32Array.from(rows.a0);
const a1 = Float32Array.from(rows.a1);

describe('WorldModel with hand-set weights', () => {
  it('predict: the clipped mean obs + Δμ, σ by the smooth clamp, softmax outcome', () => {
    const wm = model();
    const pr = wm.predict(obs, a0, a1, n);
    for (let i = 0; i < n; i++) {
      const h = heads(rows.obs[i], rows.a0[i], rows.a1[i]);
      expect(pr.mean[i]).toBeCloseTo(h.mean, 5);
      expect(pr.std[i]).toBeCloseTo(h.std, 5);
      for (let c = 0; c < 3; c++) expect(pr.outcome[3 * i + c]).toBeCloseTo(h.p[c], 5);
    }
    // row 2: 0.95 + 0.4 is clipped to the upper bound, row 1: −0.9 − 0.45 to the lower
    expect(pr.mean[2]).toBe(1);
    expect(pr.mean[1]).toBe(-1);
    const empty = wm.predict(new Float32Array(0), new Float32Array(0), new Float32Array(0), 0);
    expect([empty.mean.length, empty.std.length, empty.outcome.length]).toEqual([0, 0, 0]);
    wm.dispose();
  });

  it('outcomeShift is added to the logits when predicting, not when evaluating balanced', () => {
    const shift = [0.7, -0.2, -0.5];
    const wm = model({ outcomeShift: shift });
    const pr = wm.predict(obs, a0, a1, n);
    for (let i = 0; i < n; i++) {
      const h = heads(rows.obs[i], rows.a0[i], rows.a1[i], shift);
      for (let c = 0; c < 3; c++) expect(pr.outcome[3 * i + c]).toBeCloseTo(h.p[c], 5);
    }
    // outcome labels chosen so the shift flips row 0's argmax (unshifted: class 1, 0.4 vs 0.3 vs 0; shifted: class 0)
    const data: WorldModelData = { obs, a0, a1, next: Float32Array.from([0.5, -1, 1, 0, -0.4]), outcome: Int32Array.from([0, 0, 1, 1, 2]), n };
    const ceOf = (s: number[]) => data.outcome.reduce((acc, y, i) => acc - Math.log(heads(rows.obs[i], rows.a0[i], rows.a1[i], s).p[y]), 0) / n;
    expect(wm.evaluate(data).ce).toBeCloseTo(ceOf(shift), 5);
    expect(wm.evaluate(data, { balanced: true }).ce).toBeCloseTo(ceOf([0, 0, 0]), 5);
    expect(wm.evaluate(data, { balanced: false }).ce).toBeCloseTo(ceOf(shift), 5);
    wm.dispose();
  });

  it('evaluate: NLL, cross-entropy, accuracy, MAE, per-class recall and the majority baseline by hand', () => {
    const wm = model();
    const next = [0.5, -1, 1, 0, -0.4];
    const outcome = [1, 0, 1, 2, 0];
    const data: WorldModelData = { obs, a0, a1, next: Float32Array.from(next), outcome: Int32Array.from(outcome), n };
    let nll = 0;
    let ce = 0;
    let mae = 0;
    const hits = [0, 0, 0];
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const h = heads(rows.obs[i], rows.a0[i], rows.a1[i]);
      const z = (next[i] - rows.obs[i] - h.delta) / h.std;
      nll += 0.5 * z * z + h.logStd + 0.5 * Math.log(2 * Math.PI);
      ce -= Math.log(h.p[outcome[i]]);
      mae += Math.abs(next[i] - h.mean);
      const best = h.p.indexOf(Math.max(...h.p));
      counts[outcome[i]]++;
      if (best === outcome[i]) hits[outcome[i]]++;
    }
    const s = wm.evaluate(data);
    expect(s.nll).toBeCloseTo(nll / n, 4);
    expect(s.ce).toBeCloseTo(ce / n, 5);
    expect(s.mae).toBeCloseTo(mae / n, 5);
    expect(s.accuracy).toBeCloseTo((hits[0] + hits[1] + hits[2]) / n, 12);
    expect(s.recall).toEqual([hits[0] / 2, hits[1] / 2, hits[2] / 1]);
    expect(s.baseline).toBe(2 / 5);
    // the argmax by hand: rows 0, 2, 3 favour class 1 (2·obs largest), rows 1, 4 class 2
    expect(hits).toEqual([0, 2, 0]);
    expect(s.accuracy).toBe(2 / 5);
    // a class absent from the data has no recall
    const only = wm.evaluate({ ...data, outcome: Int32Array.from([1, 1, 1, 1, 0]) });
    expect(Number.isNaN(only.recall[2])).toBe(true);
    expect(only.recall[1]).toBe(3 / 4);
    expect(only.baseline).toBe(4 / 5);
    const none = wm.evaluate({ obs: new Float32Array(0), a0: new Float32Array(0), a1: new Float32Array(0), next: new Float32Array(0), outcome: new Int32Array(0), n: 0 });
    expect(Object.values(none).flat().every((v) => Number.isNaN(v))).toBe(true);
    wm.dispose();
  });

  it('sample at T = 0: the clipped mean and the most likely outcome, drawing nothing', () => {
    const wm = model();
    const rng = new Rng(5);
    const s = wm.sample(obs, a0, a1, n, rng, 0);
    const pr = wm.predict(obs, a0, a1, n);
    expect(Array.from(s.next)).toEqual(Array.from(pr.mean));
    for (let i = 0; i < n; i++) {
      const p = heads(rows.obs[i], rows.a0[i], rows.a1[i]).p;
      expect(s.outcome[i]).toBe(p.indexOf(Math.max(...p)));
    }
    expect(rng.state()).toEqual(new Rng(5).state());
    wm.dispose();
  });

  for (const T of [1, 0.5, 3]) {
    it(`sample at T = ${T}: σ·√T noise, then the outcome from p^(1/T) normalised, with the documented draws`, () => {
      const wm = model();
      // many copies of the rows, so each outcome class is drawn
      const reps = 40;
      const big = (a: number[]) => Float32Array.from(Array.from({ length: reps }, () => a).flat());
      const N = n * reps;
      const s = wm.sample(big(rows.obs), big(rows.a0), big(rows.a1), N, new Rng(9), T);
      const pr = wm.predict(big(rows.obs), big(rows.a0), big(rows.a1), N);
      const rng = new Rng(9);
      let drawn = 0;
      for (let i = 0; i < N; i++) {
        const k = i % n;
        const h = heads(rows.obs[k], rows.a0[k], rows.a1[k]);
        const x = rows.obs[k] + h.delta + Math.sqrt(T) * h.std * rng.normal();
        expect(s.next[i]).toBeCloseTo(Math.min(1, Math.max(-1, x)), 4);
        // p^(1/T) from the model's own float32 probabilities, so rounding cannot flip a draw
        const p = [0, 1, 2].map((c) => pr.outcome[3 * i + c]);
        const pw = p.map((v) => v ** (1 / T));
        let r = rng.float() * pw.reduce((a, b) => a + b, 0);
        let want = 2;
        for (let c = 0; c < 3; c++) {
          r -= pw[c];
          if (r < 0) {
            want = c;
            break;
          }
        }
        expect(s.outcome[i]).toBe(want);
        if (want !== 1) drawn++;
      }
      expect(drawn).toBeGreaterThan(0);
      wm.dispose();
    });
  }

  it('sample refuses a negative or non-finite temperature', () => {
    const wm = model();
    for (const T of [-0.1, NaN, Infinity]) expect(() => wm.sample(obs, a0, a1, n, new Rng(1), T)).toThrow(`temperature: is ${T} (allowed: a finite number >= 0)`);
    wm.dispose();
  });
});

describe('WorldModel.fit: the logit adjustment of class weights', () => {
  // 6 rows: outcomes 0, 0, 0, 0, 1, 2 → balanced weights n / (3·count) = [0.5, 2, 2]
  const data: WorldModelData = {
    obs: Float32Array.from([0, 0.1, 0.2, 0.3, 0.4, 0.5]),
    a0: new Float32Array(6),
    a1: new Float32Array(6),
    next: Float32Array.from([0, 0.1, 0.2, 0.3, 0.4, 0.5]),
    outcome: Int32Array.from([0, 0, 0, 0, 1, 2]),
    n: 6,
  };
  const centred = (w: number[]) => {
    const l = w.map((v) => (v > 0 ? -Math.log(v) : 0));
    const m = (l[0] + l[1] + l[2]) / 3;
    return l.map((v) => v - m);
  };
  const opts = { epochs: 1, batchSize: 6, lr: 1e-3 };

  it('balanced: the shift is the centred log(1/w) of n / (3·count); fixed weights likewise; absent classes get 0', () => {
    const wm = model();
    wm.fit(data, { ...opts, outcomeClassWeights: 'balanced' }, new Rng(2));
    const got = wm.config.outcomeShift!;
    centred([0.5, 2, 2]).forEach((v, k) => expect(got[k]).toBeCloseTo(v, 12));
    expect(got[0]).toBeGreaterThan(0); // the common class is shifted up again
    wm.fit(data, { ...opts, outcomeClassWeights: [1, 4, 0.25] }, new Rng(2));
    centred([1, 4, 0.25]).forEach((v, k) => expect(wm.config.outcomeShift![k]).toBeCloseTo(v, 12));
    // no row of class 2: its balanced weight is 0, its log(1/w) is taken as 0
    wm.fit({ ...data, outcome: Int32Array.from([0, 0, 0, 0, 1, 1]) }, { ...opts, outcomeClassWeights: 'balanced' }, new Rng(2));
    centred([0.5, 1, 0]).forEach((v, k) => expect(wm.config.outcomeShift![k]).toBeCloseTo(v, 12));
    // trained again without class weights: the shift is dropped
    wm.fit(data, opts, new Rng(2));
    expect('outcomeShift' in wm.config).toBe(false);
    expect(resolveWorldModelConfig(wm.config)).toEqual(wm.config);
    wm.dispose();
  });

  it('a weighted class raises the loss of its rows: class weights multiply the cross-entropy', () => {
    // lr tiny: the first epoch's mean loss is the loss at the hand-set weights
    const loss = (cw?: [number, number, number], ceW?: number) => {
      const wm = model();
      const l = wm.fit(data, { epochs: 1, batchSize: 6, lr: 1e-9, ...(cw ? { outcomeClassWeights: cw } : {}), ...(ceW !== undefined ? { outcomeLossWeight: ceW } : {}), nllBeta: 0 }, new Rng(3)).loss[0];
      wm.dispose();
      return l;
    };
    let nll = 0;
    const ce: number[] = [];
    for (let i = 0; i < 6; i++) {
      const h = heads(data.obs[i], 0, 0);
      const z = (data.next[i] - data.obs[i] - h.delta) / h.std;
      nll += 0.5 * z * z + h.logStd + 0.5 * Math.log(2 * Math.PI);
      ce.push(-Math.log(h.p[data.outcome[i]]));
    }
    const sum = (w: number[], k = 1) => (nll + k * ce.reduce((a, v, i) => a + w[data.outcome[i]] * v, 0)) / 6;
    expect(loss()).toBeCloseTo(sum([1, 1, 1]), 3);
    expect(loss([1, 3, 0.5])).toBeCloseTo(sum([1, 3, 0.5]), 3);
    expect(loss(undefined, 0)).toBeCloseTo(sum([1, 1, 1], 0), 3);
    expect(loss(undefined, 2.5)).toBeCloseTo(sum([1, 1, 1], 2.5), 3);
  });

  it('names the field of bad fit options and data', () => {
    const wm = model();
    const fit = (o: object, d: Partial<WorldModelData> = {}) => () => wm.fit({ ...data, ...d }, { ...opts, ...o }, new Rng(1));
    expect(fit({}, { next: new Float32Array(5) })).toThrow('fit.next: has 5 values, expected 6x1');
    expect(fit({}, { outcome: new Int32Array(5) })).toThrow('fit.outcome: has 5 values, expected 6');
    expect(fit({}, { outcome: Int32Array.from([0, 0, -1, 0, 0, 0]) })).toThrow('fit.outcome[2]: is -1 (allowed: 0, 1, 2)');
    for (const v of [-1, NaN, Infinity]) expect(fit({ outcomeLossWeight: v })).toThrow(`fit.outcomeLossWeight: is ${v} (allowed: a finite number >= 0)`);
    for (const v of [-0.1, 1.1, NaN]) expect(fit({ nllBeta: v })).toThrow(`fit.nllBeta: is ${v} (allowed: a number in [0, 1])`);
    for (const cw of [[1, 1], [1, -1, 1], [1, Infinity, 1], 'even']) {
      expect(fit({ outcomeClassWeights: cw })).toThrow(`fit.outcomeClassWeights: is ${JSON.stringify(cw)} (allowed: 'balanced' or three finite numbers >= 0)`);
    }
    // the bounds are accepted
    expect(fit({ outcomeLossWeight: 0, nllBeta: 0 })).not.toThrow();
    expect(fit({ nllBeta: 1, outcomeClassWeights: [0, 0, 0] })).not.toThrow();
    wm.dispose();
  });
});

describe('resolveWorldModelConfig', () => {
  const base = { obsSize: 2, actSize: 1 };
  it('fills the documented defaults', () => {
    expect(resolveWorldModelConfig(base)).toEqual({
      obsSize: 2, actSize: 1, hidden: [64, 64], minStd: 1e-3, maxStd: 1, initStd: 0.1, obsLow: null, obsHigh: null, activation: 'tanh',
    });
    // initStd defaults to 0.1 when that is strictly inside (minStd, maxStd), else the geometric mean
    expect(resolveWorldModelConfig({ ...base, minStd: 0.2, maxStd: 0.8 }).initStd).toBeCloseTo(0.4, 12);
    expect(resolveWorldModelConfig({ ...base, minStd: 0.01, maxStd: 0.1 * (1 + 1e-9) }).initStd).toBe(0.1);
    expect(resolveWorldModelConfig({ ...base, minStd: 0.1, maxStd: 0.4 }).initStd).toBeCloseTo(0.2, 12);
    expect(resolveWorldModelConfig({ ...base, minStd: 0.001, maxStd: 0.1 }).initStd).toBeCloseTo(0.01, 12);
    const c = resolveWorldModelConfig({ ...base, obsLow: [-1, -2], obsHigh: [1, 2], outcomeShift: [1, 0, -1], hidden: [3], activation: 'elu' });
    expect(c).toMatchObject({ obsLow: [-1, -2], obsHigh: [1, 2], outcomeShift: [1, 0, -1], hidden: [3], activation: 'elu' });
    expect(resolveWorldModelConfig({ ...base, outcomeShift: null })).not.toHaveProperty('outcomeShift');
    expect(resolveWorldModelConfig({ ...base, obsLow: [0, 0], obsHigh: [0, 0] }).obsLow).toEqual([0, 0]);
  });

  it('names each bad field', () => {
    const bad = (cfg: object, msg: string) => {
      expect(() => resolveWorldModelConfig({ ...base, ...cfg } as WorldModelConfig)).toThrow(ConfigError);
      expect(() => resolveWorldModelConfig({ ...base, ...cfg } as WorldModelConfig)).toThrow(msg);
    };
    bad({ obsSize: 0 }, 'worldModel.obsSize: is 0 (allowed: an integer >= 1)');
    bad({ obsSize: 1.5 }, 'worldModel.obsSize: is 1.5');
    bad({ obsSize: '2' }, 'worldModel.obsSize: is 2');
    bad({ actSize: 0 }, 'worldModel.actSize: is 0');
    bad({ minStd: 0 }, 'worldModel.minStd: is 0 (allowed: a finite number > 0)');
    bad({ minStd: Infinity }, 'worldModel.minStd: is Infinity');
    bad({ minStd: 0.5, maxStd: 0.5 }, 'worldModel.maxStd: is 0.5 (allowed: a finite number > minStd (0.5))');
    bad({ maxStd: Infinity }, 'worldModel.maxStd: is Infinity');
    bad({ minStd: 0.1, maxStd: 1, initStd: 0.1 }, 'worldModel.initStd: is 0.1 (allowed: strictly between minStd (0.1) and maxStd (1))');
    bad({ minStd: 0.1, maxStd: 1, initStd: 1 }, 'worldModel.initStd: is 1');
    bad({ obsLow: [0] }, 'worldModel.obsLow: must have 2 numbers');
    bad({ obsHigh: [0, 1, 2] }, 'worldModel.obsHigh: must have 2 numbers');
    bad({ obsLow: [0, NaN] }, 'worldModel.obsLow[1]: is NaN (allowed: a number)');
    bad({ obsHigh: ['1', 2] }, 'worldModel.obsHigh[0]: is 1 (allowed: a number)');
    bad({ obsLow: [0, 3], obsHigh: [1, 2] }, 'worldModel.obsLow[1]: is 3 > obsHigh 2');
    bad({ hidden: [4, 0] }, 'worldModel.hidden[1]: is 0');
    bad({ activation: 'sigmoid' }, 'worldModel.activation: is sigmoid (allowed: tanh, relu, elu)');
    bad({ outcomeShift: [1, 2] }, 'worldModel.outcomeShift: is [1,2] (allowed: three finite numbers)');
    bad({ outcomeShift: [1, 2, Infinity] }, 'worldModel.outcomeShift: is [1,2,null]');
    bad({ outcomeShift: [1, '2', 3] }, 'worldModel.outcomeShift: is [1,"2",3]');
  });

  it('checks the sizes of the inputs', () => {
    const wm = model();
    expect(() => wm.predict(obs, a0, a1, 4)).toThrow('obs: has 5 values, expected 4x1');
    expect(() => wm.predict(obs, a0.subarray(1), a1, n)).toThrow('a0: has 4 values, expected 5x1');
    expect(() => wm.predict(obs, a0, a1.subarray(1), n)).toThrow('a1: has 4 values, expected 5x1');
    const d = { obs, a0, a1, next: obs, outcome: new Int32Array(5) };
    expect(() => wm.evaluate({ ...d, n: -1 })).toThrow('n: is -1 (allowed: an integer >= 0)');
    expect(() => wm.evaluate({ ...d, n: 2.5 })).toThrow('n: is 2.5');
    wm.dispose();
  });
});

/**
 * The same, with O = 2 and A = 2 (so row and column strides are not 1): a general linear map
 * from [obs (2), a0 (2), a1 (2)] to [Δμ (2), raw (2), logits (3)], computed here by hand.
 */
describe('WorldModel with hand-set weights, two-dimensional observations and actions', () => {
  const O = 2;
  const A = 2;
  const I = O + 2 * A;
  const OUT = 2 * O + 3;
  // W[i][j]: a fixed, irregular matrix
  const Wm = Array.from({ length: I }, (_, i) => Array.from({ length: OUT }, (_, j) => (((i * 7 + j * 3) % 11) - 5) / 10));
  const Bv = Array.from({ length: OUT }, (_, j) => ((j * 5) % 7) / 10 - 0.3);
  const low = [-1, -0.5];
  const high = [1, 0.5];
  const make = () => {
    const wm = WorldModel.create({ obsSize: O, actSize: A, hidden: [], minStd: MIN_STD, maxStd: MAX_STD, obsLow: low, obsHigh: high }, new Rng(1));
    wm.setWeights([Float32Array.from(Wm.flat()), Float32Array.from(Bv)]);
    return wm;
  };
  const rowsN = 4;
  const ob = Float32Array.from([0.3, -0.2, -0.9, 0.45, 0.1, 0.1, 0.8, -0.4]);
  const x0 = Float32Array.from([0.5, -0.5, 1, 0.2, -0.3, 0.9, 0, -1]);
  const x1 = Float32Array.from([-0.7, 0.1, 0.4, 0.4, 0.6, -0.2, -1, 0.3]);
  const headsOf = (i: number) => {
    const input = [ob[2 * i], ob[2 * i + 1], x0[2 * i], x0[2 * i + 1], x1[2 * i], x1[2 * i + 1]];
    const out = Bv.map((b, j) => input.reduce((acc, v, k) => acc + v * Wm[k][j], b));
    const lo = Math.log(MIN_STD);
    const hi = Math.log(MAX_STD);
    const delta = out.slice(0, O);
    const logStd = out.slice(O, 2 * O).map((r) => lo + (hi - lo) * sigmoid(r));
    const mean = delta.map((d, k) => Math.min(high[k], Math.max(low[k], ob[2 * i + k] + d)));
    return { delta, logStd, std: logStd.map(Math.exp), mean, p: softmax(out.slice(2 * O)) };
  };

  it('predict, evaluate and T = 0 sampling match the hand computation row by row', () => {
    const wm = make();
    const pr = wm.predict(ob, x0, x1, rowsN);
    const next = Float32Array.from([0.2, 0.1, -1, 0.5, 0.3, -0.1, 0.9, -0.5]);
    const outcome = Int32Array.from([2, 0, 1, 2]);
    let nll = 0;
    let ce = 0;
    let mae = 0;
    for (let i = 0; i < rowsN; i++) {
      const h = headsOf(i);
      for (let d = 0; d < O; d++) {
        expect(pr.mean[i * O + d]).toBeCloseTo(h.mean[d], 5);
        expect(pr.std[i * O + d]).toBeCloseTo(h.std[d], 5);
        const z = (next[i * O + d] - ob[i * O + d] - h.delta[d]) / h.std[d];
        nll += 0.5 * z * z + h.logStd[d] + 0.5 * Math.log(2 * Math.PI);
        mae += Math.abs(next[i * O + d] - h.mean[d]);
      }
      for (let c = 0; c < 3; c++) expect(pr.outcome[i * 3 + c]).toBeCloseTo(h.p[c], 5);
      ce -= Math.log(h.p[outcome[i]]);
    }
    const s = wm.evaluate({ obs: ob, a0: x0, a1: x1, next, outcome, n: rowsN });
    expect(s.nll).toBeCloseTo(nll / rowsN, 3);
    expect(s.ce).toBeCloseTo(ce / rowsN, 5);
    expect(s.mae).toBeCloseTo(mae / (rowsN * O), 5);
    const t0 = wm.sample(ob, x0, x1, rowsN, new Rng(1), 0);
    expect(Array.from(t0.next)).toEqual(Array.from(pr.mean));
    for (let i = 0; i < rowsN; i++) {
      const p = headsOf(i).p;
      expect(t0.outcome[i]).toBe(p.indexOf(Math.max(...p)));
    }
    // T = 1: O normals per row, then one float
    const t1 = wm.sample(ob, x0, x1, rowsN, new Rng(4), 1);
    const rng = new Rng(4);
    for (let i = 0; i < rowsN; i++) {
      const h = headsOf(i);
      for (let d = 0; d < O; d++) {
        const v = ob[i * O + d] + h.delta[d] + h.std[d] * rng.normal();
        expect(t1.next[i * O + d]).toBeCloseTo(Math.min(high[d], Math.max(low[d], v)), 4);
      }
      rng.float();
    }
    expect(rng.state()).toEqual((() => { const r = new Rng(4); wm.sample(ob, x0, x1, rowsN, r, 1); return r.state(); })());
    // refusals name the strides
    expect(() => wm.predict(ob.subarray(2), x0, x1, rowsN)).toThrow('obs: has 6 values, expected 4x2');
    expect(() => wm.predict(ob, x0.subarray(2), x1, rowsN)).toThrow('a0: has 6 values, expected 4x2');
    expect(() => wm.predict(ob, x0, x1.subarray(2), rowsN)).toThrow('a1: has 6 values, expected 4x2');
    expect(() => wm.fit({ obs: ob, a0: x0, a1: x1, next: next.subarray(1), outcome, n: rowsN }, { epochs: 1, batchSize: 4, lr: 1e-3 }, new Rng(1))).toThrow('fit.next: has 7 values, expected 4x2');
    wm.dispose();
  });

  it('the first epoch`s loss at a tiny learning rate is the hand-computed β-NLL plus cross-entropy', () => {
    const next = Float32Array.from([0.2, 0.1, -1, 0.5, 0.3, -0.1, 0.9, -0.5]);
    const outcome = Int32Array.from([2, 0, 1, 2]);
    for (const beta of [0, 0.5, 1]) {
      const wm = make();
      const loss = wm.fit({ obs: ob, a0: x0, a1: x1, next, outcome, n: rowsN }, { epochs: 1, batchSize: rowsN, lr: 1e-9, nllBeta: beta }, new Rng(5)).loss[0];
      let total = 0;
      for (let i = 0; i < rowsN; i++) {
        const h = headsOf(i);
        for (let d = 0; d < O; d++) {
          const z = (next[i * O + d] - ob[i * O + d] - h.delta[d]) / h.std[d];
          // β-NLL: each dimension's NLL scaled by σ^(2β)
          total += (0.5 * z * z + h.logStd[d] + 0.5 * Math.log(2 * Math.PI)) * h.std[d] ** (2 * beta);
        }
        total -= Math.log(h.p[outcome[i]]);
      }
      expect(loss).toBeCloseTo(total / rowsN, 3);
      wm.dispose();
    }
  });
});

describe('WorldModel: creation, copies and checkpoints', () => {
  it('a fresh model predicts no change, σ = initStd and a uniform outcome at a zero input', () => {
    const wm = WorldModel.create({ obsSize: 2, actSize: 2, hidden: [], minStd: 0.01, maxStd: 1, initStd: 0.3 }, new Rng(7));
    const zero = new Float32Array(2);
    const pr = wm.predict(zero, zero, zero, 1);
    expect(Array.from(pr.mean)).toEqual([0, 0]);
    pr.std.forEach((s) => expect(s).toBeCloseTo(0.3, 5));
    pr.outcome.forEach((p) => expect(p).toBeCloseTo(1 / 3, 6));
    expect(wm.toJSON().kind).toBe('world-model');
    // a clone predicts the same and trains on its own
    const c = wm.clone();
    const ones = Float32Array.from([0.5, -0.5]);
    expect(c.predict(ones, ones, ones, 1)).toEqual(wm.predict(ones, ones, ones, 1));
    c.setWeights(c.getWeights().map((w) => w.map(() => 0)));
    expect(wm.predict(zero, zero, zero, 1).std[0]).toBeCloseTo(0.3, 5);
    const back = WorldModel.fromJSON(JSON.parse(JSON.stringify(wm.toJSON())));
    expect(back.predict(ones, ones, ones, 1)).toEqual(wm.predict(ones, ones, ones, 1));
    expect(back.config).toEqual(wm.config);
    const empty = wm.sample(new Float32Array(0), new Float32Array(0), new Float32Array(0), 0, new Rng(1));
    expect(empty).toEqual({ next: new Float32Array(0), outcome: new Int32Array(0) });
    for (const m of [wm, c, back]) m.dispose();
  });

  it('ties between outcomes go to the lower class, in sampling at T = 0 and in evaluation', () => {
    // logits [0, −1, 0] everywhere: classes 0 and 2 tie
    const wm = WorldModel.create({ obsSize: 1, actSize: 1, hidden: [] }, new Rng(1));
    const w = wm.getWeights();
    wm.setWeights([new Float32Array(w[0].length), Float32Array.from([0, 0, 0, -1, 0])]);
    const one = Float32Array.from([0.2]);
    expect(wm.sample(one, one, one, 1, new Rng(1), 0).outcome[0]).toBe(0);
    const s = wm.evaluate({ obs: one, a0: one, a1: one, next: one, outcome: Int32Array.from([0]), n: 1 });
    expect(s.accuracy).toBe(1);
    expect(wm.evaluate({ obs: one, a0: one, a1: one, next: one, outcome: Int32Array.from([2]), n: 1 }).accuracy).toBe(0);
    wm.dispose();
  });

  it('bounds: null or absent means unbounded, one side alone is allowed; relu is an activation; an empty evaluation is NaN everywhere', () => {
    const base = { obsSize: 2, actSize: 1 };
    expect(resolveWorldModelConfig({ ...base, obsLow: null, obsHigh: null })).toMatchObject({ obsLow: null, obsHigh: null });
    expect(resolveWorldModelConfig({ ...base, obsLow: [0, 0] })).toMatchObject({ obsLow: [0, 0], obsHigh: null });
    expect(resolveWorldModelConfig({ ...base, obsHigh: [0, 0] })).toMatchObject({ obsLow: null, obsHigh: [0, 0] });
    expect(resolveWorldModelConfig({ ...base, activation: 'relu' }).activation).toBe('relu');
    const wm = model();
    const e = new Float32Array(0);
    expect(wm.evaluate({ obs: e, a0: e, a1: e, next: e, outcome: new Int32Array(0), n: 0 })).toEqual({
      nll: NaN, ce: NaN, accuracy: NaN, mae: NaN, recall: [NaN, NaN, NaN], baseline: NaN,
    });
    expect(() => wm.fit(
      { obs: obs, a0, a1, next: obs, outcome: new Int32Array(5), n },
      { epochs: -1, batchSize: 2, lr: 1e-3 },
      new Rng(1),
    )).toThrow('worldModel.fit.epochs: is -1');
    wm.dispose();
  });
});
