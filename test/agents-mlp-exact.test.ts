/**
 * agents/mlp.ts with hand-set weights and hand-computed oracles: the forward pass for each
 * activation, Glorot draws, option checks by exact message, row weights, and the training loop's
 * reported loss (a tiny learning rate, so the first epoch's loss is the loss at the given weights).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf, tf } from '../agents/tf.ts';
import { checkFitOptions, fitMlp, glorotUniform, Mlp, normaliseWeights, resolveMlpConfig, type LossHead } from '../agents/mlp.ts';
import { Rng } from '../sim/rng.ts';
import { configErrorMessage } from './errors.ts';

beforeAll(async () => {
  await initTf();
});

const message = configErrorMessage;

// 2 → 3 → 2 → 1, weights chosen by hand
const W0 = [0.5, -1, 0.25, 1.5, 0.3, -0.7];
const B0 = [0.1, -0.2, 0.05];
const W1 = [1, -0.5, 0.2, 0.8, -1.2, 0.4];
const B1 = [0, 0.3];
const W2 = [0.6, -0.9];
const B2 = [0.25];
const act = { tanh: Math.tanh, relu: (x: number) => Math.max(0, x), elu: (x: number) => (x > 0 ? x : Math.expm1(x)) };
const layer = (x: number[], W: number[], b: number[], f?: (v: number) => number) =>
  b.map((bj, j) => {
    const z = x.reduce((acc, xi, i) => acc + xi * W[i * b.length + j], bj);
    return f ? f(z) : z;
  });
const forward = (x: number[], f: (v: number) => number) => layer(layer(layer(x, W0, B0, f), W1, B1, f), W2, B2);

describe('Mlp forward pass by hand', () => {
  for (const a of ['tanh', 'relu', 'elu'] as const) {
    it(`${a}: linear output over ${a} hidden layers`, () => {
      const m = Mlp.fromWeights({ inputSize: 2, hidden: [3, 2], outputSize: 1, activation: a }, [W0, B0, W1, B1, W2, B2].map((v) => Float32Array.from(v)));
      const xs = [[0.4, -1.2], [-2, 0.7], [1, 1]];
      const y = m.predict(Float32Array.from(xs.flat()), 3);
      xs.forEach((x, i) => expect(y[i]).toBeCloseTo(forward(x, act[a])[0], 5));
      expect(m.shapes()).toEqual([
        { name: 'w0', shape: [2, 3] }, { name: 'b0', shape: [3] }, { name: 'w1', shape: [3, 2] }, { name: 'b1', shape: [2] }, { name: 'w2', shape: [2, 1] }, { name: 'b2', shape: [1] },
      ]);
      expect(m.numParams).toBe(6 + 3 + 6 + 2 + 2 + 1);
      expect(() => m.predict(new Float32Array(3), 2)).toThrow('Mlp.forward: 3 values, expected 2x2');
      expect(() => m.setWeights([Float32Array.from(W0)])).toThrow('Mlp.setWeights: 1 arrays, expected 6');
      expect(() => m.setWeights([W0, B0, W1, B1, W2, [1, 2]].map((v) => Float32Array.from(v)))).toThrow('Mlp.setWeights: b2 has 2 values, expected 1');
      m.dispose();
      m.dispose(); // twice is harmless
      expect(m.disposed).toBe(true);
      expect(() => m.getWeights()).toThrow('Mlp: used after dispose()');
    });
  }

  it('refuses weights of the wrong count or size by name', () => {
    const cfg = { inputSize: 2, hidden: [3, 2], outputSize: 1 };
    expect(() => Mlp.fromWeights(cfg, [Float32Array.from(W0)])).toThrow('Mlp: 1 weight arrays, expected 6');
    expect(() => Mlp.fromWeights(cfg, [W0, B0, W1, [1], W2, B2].map((v) => Float32Array.from(v)))).toThrow('Mlp: b1 has 1 values, expected 2');
  });

  it('Glorot-uniform draws: −l + 2l·u from the rng, l = gain·√(6 / (in + out))', () => {
    const w = glorotUniform(3, 5, new Rng(4), 0.5);
    const rng = new Rng(4);
    const l = 0.5 * Math.sqrt(6 / 8);
    expect(w.length).toBe(15);
    w.forEach((v) => expect(v).toBeCloseTo(-l + 2 * l * rng.float(), 6));
    // create: the last layer gets outputGain, biases are zero, each layer from its own fork
    const m = Mlp.create({ inputSize: 3, hidden: [5], outputSize: 2, outputGain: 0.1 }, new Rng(9));
    const [w0, b0, w1, b1] = m.getWeights();
    const r = new Rng(9);
    expect(Array.from(w0)).toEqual(Array.from(glorotUniform(3, 5, r.fork('layer0'), 1)));
    expect(Array.from(w1)).toEqual(Array.from(glorotUniform(5, 2, r.fork('layer1'), 0.1)));
    expect([...b0, ...b1].every((v) => v === 0)).toBe(true);
    m.dispose();
  });

  it('resolveMlpConfig: defaults and each refusal by name', () => {
    expect(resolveMlpConfig({ inputSize: 2, hidden: [4], outputSize: 1 })).toEqual({ inputSize: 2, hidden: [4], outputSize: 1, activation: 'tanh', outputGain: 1 });
    expect(resolveMlpConfig({ inputSize: 2, hidden: undefined as unknown as number[], outputSize: 1, outputGain: 0 }).hidden).toEqual([]);
    expect(message(() => resolveMlpConfig({ inputSize: 0, hidden: [], outputSize: 1 }, 'p'))).toBe('p.inputSize: is 0 (allowed: an integer >= 1)');
    expect(message(() => resolveMlpConfig({ inputSize: 1, hidden: [], outputSize: 1.5 }))).toBe('mlp.outputSize: is 1.5 (allowed: an integer >= 1)');
    expect(message(() => resolveMlpConfig({ inputSize: 1, hidden: [3, 0], outputSize: 1 }))).toBe('mlp.hidden[1]: is 0 (allowed: an integer >= 1)');
    expect(message(() => resolveMlpConfig({ inputSize: 1, hidden: 3 as unknown as number[], outputSize: 1 }))).toBe('mlp.hidden: must be an array of layer widths (allowed: e.g. [32, 32])');
    expect(message(() => resolveMlpConfig({ inputSize: 1, hidden: [], outputSize: 1, activation: 'gelu' as 'tanh' }))).toBe('mlp.activation: is gelu (allowed: tanh, relu, elu)');
    for (const g of [-0.1, NaN, Infinity]) expect(message(() => resolveMlpConfig({ inputSize: 1, hidden: [], outputSize: 1, outputGain: g }))).toBe(`mlp.outputGain: is ${g} (allowed: a finite number >= 0)`);
    expect(resolveMlpConfig({ inputSize: 1, hidden: [], outputSize: 1, activation: 'relu' }).activation).toBe('relu');
  });
});

describe('Mlp.forward (JavaScript) against Mlp.apply (tfjs)', () => {
  for (const a of ['tanh', 'relu', 'elu'] as const) {
    it(`${a}: the same outputs on random weights and inputs, to float32 precision`, () => {
      const m = Mlp.create({ inputSize: 5, hidden: [7, 6], outputSize: 3, activation: a }, new Rng(11));
      const rng = new Rng(12);
      const x = Float32Array.from({ length: 9 * 5 }, () => rng.uniform(-3, 3));
      const js = m.forward(x, 9);
      const ref = tf.tidy(() => m.apply(tf.tensor2d(x, [9, 5])).dataSync());
      expect(js.length).toBe(27);
      js.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-5));
      // setWeights replaces what forward uses
      m.setWeights(m.getWeights().map((w) => w.map((v) => v * 0.5)));
      const half = m.forward(x, 9);
      const ref2 = tf.tidy(() => m.apply(tf.tensor2d(x, [9, 5])).dataSync());
      half.forEach((v, i) => expect(Math.abs(v - ref2[i])).toBeLessThan(1e-5));
      expect(half[0]).not.toBe(js[0]);
      m.dispose();
      expect(() => m.forward(x, 9)).toThrow('Mlp: used after dispose()');
    });
  }
});

describe('training helpers', () => {
  it('checkFitOptions: defaults, bounds accepted, each refusal by name', () => {
    expect(checkFitOptions({ epochs: 0, batchSize: 1, lr: 0.1 })).toEqual({ epochs: 0, batchSize: 1, lr: 0.1, l2: 0, lrFinal: 0.1 });
    expect(checkFitOptions({ epochs: 2, batchSize: 3, lr: 0.1, l2: 0, lrFinal: 0.01 }).lrFinal).toBe(0.01);
    const bad = (o: object) => message(() => checkFitOptions({ epochs: 1, batchSize: 1, lr: 0.1, ...o }, 'q'));
    expect(bad({ epochs: -1 })).toBe('q.epochs: is -1 (allowed: an integer >= 0)');
    expect(message(() => checkFitOptions({ epochs: -1, batchSize: 1, lr: 0.1 }))).toBe('fit.epochs: is -1 (allowed: an integer >= 0)');
    expect(bad({ epochs: 1.5 })).toBe('q.epochs: is 1.5 (allowed: an integer >= 0)');
    expect(bad({ batchSize: 0 })).toBe('q.batchSize: is 0 (allowed: an integer >= 1)');
    expect(bad({ batchSize: 2.5 })).toBe('q.batchSize: is 2.5 (allowed: an integer >= 1)');
    for (const lr of [0, -1, NaN, Infinity]) expect(bad({ lr, lrFinal: 0.1 })).toBe(`q.lr: is ${lr} (allowed: a finite number > 0)`);
    for (const lrFinal of [0, NaN, Infinity]) expect(bad({ lrFinal })).toBe(`q.lrFinal: is ${lrFinal} (allowed: a finite number > 0)`);
    for (const l2 of [-1e-9, NaN, Infinity]) expect(bad({ l2 })).toBe(`q.l2: is ${l2} (allowed: a finite number >= 0)`);
  });

  it('normaliseWeights: mean 1, ones when absent, each refusal by name', () => {
    expect(Array.from(normaliseWeights(undefined, 3))).toEqual([1, 1, 1]);
    expect(Array.from(normaliseWeights(Float32Array.from([1, 0, 3]), 3))).toEqual([0.75, 0, 2.25]);
    expect(message(() => normaliseWeights(new Float32Array(2), 3, 'w'))).toBe('w: has 2 values, expected 3');
    expect(message(() => normaliseWeights(Float32Array.from([1, -1]), 2))).toBe('fit.weight[1]: is -1 (allowed: a finite number >= 0)');
    expect(message(() => normaliseWeights(Float32Array.from([NaN, 1]), 2))).toBe('fit.weight[0]: is NaN (allowed: a finite number >= 0)');
    expect(message(() => normaliseWeights(Float32Array.from([1, Infinity]), 2))).toBe('fit.weight[1]: is Infinity (allowed: a finite number >= 0)');
    expect(message(() => normaliseWeights(Float32Array.from([0, 0]), 2))).toBe('fit.weight: all weights are zero (allowed: at least one weight > 0)');
  });

  it('fitMlp reports the row-weighted mean loss per epoch, with the L2 penalty, over uneven batches', () => {
    const m = Mlp.fromWeights({ inputSize: 2, hidden: [3, 2], outputSize: 1 }, [W0, B0, W1, B1, W2, B2].map((v) => Float32Array.from(v)));
    const xs = [[0.4, -1.2], [-2, 0.7], [1, 1], [0.3, 0.3], [-0.5, 2]];
    const n = xs.length;
    const x = Float32Array.from(xs.flat());
    const target = (i: number) => i * 0.1;
    const meanSq = xs.reduce((acc, xi, i) => acc + (forward(xi, Math.tanh)[0] - target(i)) ** 2, 0) / n;
    const sumW2 = [...W0, ...W1, ...W2].reduce((a, v) => a + v * v, 0);
    // mean squared error of the batch's rows
    const mse: LossHead = (rows, out, dOut) => {
      let s = 0;
      rows.forEach((r, i) => {
        const e = out[i] - target(r);
        s += e * e;
        dOut[i] = (2 * e) / rows.length;
      });
      return s / rows.length;
    };
    for (const [batchSize, l2] of [[2, 0], [5, 0.01], [3, 0.5]]) {
      const before = m.getWeights();
      const losses = fitMlp(m, n, { epochs: 1, batchSize, lr: 1e-9, l2 }, new Rng(2), x, mse);
      expect(losses).toHaveLength(1);
      expect(losses[0]).toBeCloseTo(meanSq + l2 * sumW2, 5);
      m.setWeights(before);
    }
    // several epochs: one loss each, and training lowers it
    const losses = fitMlp(m, n, { epochs: 30, batchSize: 2, lr: 0.05, lrFinal: 0.005 }, new Rng(3), x, mse);
    expect(losses).toHaveLength(30);
    expect(losses[29]).toBeLessThan(losses[0] * 0.5);
    // the trained weights are the model's (rounded to float32), and forward uses them
    const y = m.predict(x, n);
    const before = m.getWeights();
    expect(fitMlp(m, n, { epochs: 0, batchSize: 2, lr: 0.1 }, new Rng(3), x, mse)).toEqual([]);
    expect(m.getWeights()).toEqual(before);
    expect(fitMlp(m, n, { epochs: 1, batchSize: 5, lr: 1e-9 }, new Rng(3), x, mse)[0]).toBeCloseTo(xs.reduce((a, _, i) => a + (y[i] - target(i)) ** 2, 0) / n, 5);
    expect(message(() => fitMlp(m, 0, { epochs: 1, batchSize: 2, lr: 0.1 }, new Rng(3), x, mse, 'p'))).toBe('p.n: is 0 (allowed: an integer >= 1)');
    expect(message(() => fitMlp(m, 0, { epochs: 1, batchSize: 2, lr: 0.1 }, new Rng(3), x, mse))).toBe('fit.n: is 0 (allowed: an integer >= 1)');
    expect(() => fitMlp(m, 4, { epochs: 1, batchSize: 2, lr: 0.1 }, new Rng(3), x, mse, 'p')).toThrow('p: input has 10 values, expected 4x2');
    expect(() => fitMlp(m, n, { epochs: 1, batchSize: 2, lr: 0.1 }, new Rng(3), x, (rows, out, dOut) => mse(rows, out, dOut) * NaN, 'p')).toThrow('p: loss became NaN at epoch 0; lower lr or check the data');
    m.dispose();
  });

  it('the learning rate moves linearly from lr to lrFinal over all steps (Adam moves each weight by the rate when the gradient is constant)', () => {
    // a linear unit on identical rows: loss = mean(w·1 + b), gradient 1 for w and b at every step,
    // so each Adam step moves both by exactly that step's learning rate (up to ε)
    const run = (n: number, opts: { epochs: number; batchSize: number; lr: number; lrFinal?: number }) => {
      const m = Mlp.fromWeights({ inputSize: 1, hidden: [], outputSize: 1 }, [Float32Array.from([0]), Float32Array.from([0])]);
      const mean: LossHead = (rows, out, dOut) => {
        dOut.fill(1 / rows.length, 0, rows.length);
        return out.subarray(0, rows.length).reduce((a, v) => a + v, 0) / rows.length;
      };
      fitMlp(m, n, opts, new Rng(1), new Float32Array(n).fill(1), mean);
      const [w, b] = m.getWeights();
      m.dispose();
      expect(w[0]).toBeCloseTo(b[0], 6);
      return -w[0];
    };
    expect(run(3, { epochs: 1, batchSize: 1, lr: 0.1, lrFinal: 0.01 })).toBeCloseTo(0.1 + 0.055 + 0.01, 4);
    expect(run(5, { epochs: 2, batchSize: 2, lr: 0.1, lrFinal: 0.04 })).toBeCloseTo(0.1 + 0.088 + 0.076 + 0.064 + 0.052 + 0.04, 4); // 3 steps per epoch, 6 in all
    expect(run(4, { epochs: 1, batchSize: 4, lr: 0.1, lrFinal: 0.01 })).toBeCloseTo(0.1, 4); // one step: lr
    expect(run(4, { epochs: 2, batchSize: 4, lr: 0.1 })).toBeCloseTo(0.2, 4);
    expect(run(1, { epochs: 1, batchSize: 1, lr: 0.1, lrFinal: 0.01 })).toBeCloseTo(0.1, 6); // one row, one step
  });

  /** One linear weight w (input 1, bias b): Adam steps under a head of constant output gradient g. */
  const linearSteps = (w0: number, g: number, opts: { epochs: number; l2?: number }) => {
    const m = Mlp.fromWeights({ inputSize: 1, hidden: [], outputSize: 1 }, [Float32Array.from([w0]), Float32Array.from([0])]);
    const head: LossHead = (rows, _out, dOut) => {
      dOut.fill(g / rows.length, 0, rows.length);
      return 0;
    };
    fitMlp(m, 2, { batchSize: 2, lr: 0.1, ...opts }, new Rng(1), Float32Array.from([1, 1]), head);
    const [[w], [b]] = m.getWeights();
    m.dispose();
    return { w, b };
  };

  it('Adam: the step is lr whatever the gradient scale, half of it when the gradient is ε = 1e-7', () => {
    for (const g of [0.25, 1, 40]) {
      const { w, b } = linearSteps(0, g, { epochs: 3 });
      expect(w).toBeCloseTo(-0.3, 5);
      expect(b).toBeCloseTo(-0.3, 5);
    }
    // first step: lr · g / (|g| + ε)
    expect(linearSteps(0, 1e-7, { epochs: 1 }).b).toBeCloseTo(-0.05, 6);
    expect(linearSteps(0, -1e-7, { epochs: 1 }).b).toBeCloseTo(0.05, 6);
  });

  it('the L2 penalty adds 2·l2·W to the gradient of each weight matrix, not of the biases', () => {
    // no data gradient: each weight steps toward 0 by lr, the bias stays
    const toward0 = linearSteps(0.5, 0, { epochs: 1, l2: 0.25 });
    expect(toward0.w).toBeCloseTo(0.4, 6);
    expect(toward0.b).toBe(0);
    expect(linearSteps(-0.5, 0, { epochs: 1, l2: 0.25 }).w).toBeCloseTo(-0.4, 6);
    // data gradient −0.5 against the penalty's 2 · 0.25 · 0.5 = 0.25: the sum −0.25 moves w up
    const { w, b } = linearSteps(0.5, -0.5, { epochs: 1, l2: 0.25 });
    expect(w).toBeCloseTo(0.6, 6);
    expect(b).toBeCloseTo(0.1, 6);
  });
});
