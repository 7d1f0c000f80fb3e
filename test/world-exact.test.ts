import { describe, expect, it } from 'vitest';
import { emptyWorldData, type WorldData } from '../lab/dataset.ts';
import { balancedOutcomes, worldScores, worldStep } from '../lab/world.ts';
import type { ScenarioEntry } from '../lab/scenarios.ts';
import type { WorldModel } from '../agents/world-model.ts';
import type { Rng } from '../sim/rng.ts';

// lab/world.ts against a scripted world model and a scripted referee: every expected value below
// is worked out by hand from those scripts.

const O = 2;
const A = 1;

/** Referee: the first feature of the next observation past +1 → player 0 wins, past −1 → player 1. */
const calls: Array<[number[], number[]]> = [];
const entry = {
  def: { observationSpace: { size: O }, actionSpace: { size: A } },
  referee(obs0: ArrayLike<number>, next0: ArrayLike<number>): 0 | 1 | 2 {
    calls.push([Array.from(obs0), Array.from(next0)]);
    return next0[0] > 1 ? 1 : next0[0] < -1 ? 2 : 0;
  },
} as unknown as ScenarioEntry;

const rng = { tag: 'rng' } as unknown as Rng;

describe('worldStep', () => {
  // the scripted model: next = obs + (a0 − a1) on every feature; its own outcome head says [2, 2, 1]
  const sampled: unknown[][] = [];
  const world = {
    sample(o: Float32Array, a0: Float32Array, a1: Float32Array, n: number, r: Rng, T: number) {
      sampled.push([n, r, T]);
      const next = new Float32Array(n * O);
      for (let i = 0; i < n; i++) for (let j = 0; j < O; j++) next[i * O + j] = o[i * O + j] + a0[i * A] - a1[i * A];
      return { next, outcome: Int32Array.from([2, 2, 1].slice(0, n)) };
    },
  } as unknown as WorldModel;
  const o = Float32Array.from([0.5, 10, 0, 20, -0.5, 30]);
  const a0 = Float32Array.from([1, 0.25, 0]);
  const a1 = Float32Array.from([0, 0, 1]);

  it('learned: the model’s own next observations and outcomes, at the given temperature', () => {
    sampled.length = 0;
    const s = worldStep(entry, world, 'learned', o, a0, a1, 3, rng, 0.7);
    expect(sampled).toEqual([[3, rng, 0.7]]);
    expect([...s.next]).toEqual([1.5, 11, 0.25, 20.25, -1.5, 29]);
    expect([...s.outcome]).toEqual([2, 2, 1]);
  });

  it('rule: the referee’s verdict on each row’s observation and predicted next observation', () => {
    calls.length = 0;
    const s = worldStep(entry, world, 'rule', o, a0, a1, 3, rng, 1);
    expect([...s.next]).toEqual([1.5, 11, 0.25, 20.25, -1.5, 29]);
    // 1.5 > 1: player 0 wins; 0.25: goes on; −1.5 < −1: player 1 wins
    expect([...s.outcome]).toEqual([1, 0, 2]);
    expect(calls).toEqual([
      [[0.5, 10], [1.5, 11]],
      [[0, 20], [0.25, 20.25]],
      [[-0.5, 30], [-1.5, 29]],
    ]);
  });
});

describe('worldScores', () => {
  /** decisive set: 5 rows, true outcomes [0, 1, 1, 2, 0]; predicted means give the referee [0, 1, 0, 2, 1] */
  function decisiveSet(outcomes: number[]): WorldData {
    const d = emptyWorldData(outcomes.length, O, A);
    outcomes.forEach((y, i) => {
      d.outcome[i] = y;
      d.obs[i * O] = i; // row identity, read back by the scripted predict
    });
    return d;
  }
  const verdictMean = [0, 2, 0, -2, 2]; // first feature of the predicted mean per row → referee [0, 1, 0, 2, 1]
  const evaluated: unknown[] = [];
  const world = {
    evaluate(data: WorldData, opts: { balanced?: boolean } = {}) {
      evaluated.push([data.n, opts.balanced === true]);
      return opts.balanced
        ? { nll: 99, accuracy: 0.125, recall: [0.1, 0.2, 0.3], baseline: 0.4 }
        : { nll: 1.5, accuracy: 0.9, recall: [0.9, 0.9, 0.9], baseline: 0.9 };
    },
    predict(obs: Float32Array, _a0: Float32Array, _a1: Float32Array, n: number) {
      const mean = new Float32Array(n * O);
      for (let i = 0; i < n; i++) mean[i * O] = verdictMean[obs[i * O]];
      return { mean };
    },
  } as unknown as WorldModel;
  const all = emptyWorldData(7, O, A);

  it('learned: NLL over every transition, accuracy, recall and majority rate from the balanced evaluation', () => {
    evaluated.length = 0;
    const s = worldScores(entry, world, 'learned', all, decisiveSet([0, 1, 1, 2, 0]));
    expect(s).toEqual({ nll: 1.5, accuracy: 0.125, recall: [0.1, 0.2, 0.3], baseline: 0.4 });
    expect(evaluated).toEqual([[7, false], [5, true]]);
  });

  it('rule: the referee on the predicted mean, counted per true class (hand count)', () => {
    calls.length = 0;
    const s = worldScores(entry, world, 'rule', all, decisiveSet([0, 1, 1, 2, 0]));
    // asked once per transition, with that transition's observation and predicted mean
    expect(calls).toEqual(verdictMean.map((m, i) => [[i, 0], [m, 0]]));
    // right: row 0 (class 0), row 1 (class 1), row 3 (class 2) → 3 of 5; class 0: 1 of 2, class 1: 1 of 2, class 2: 1 of 1
    expect(s).toEqual({ nll: 1.5, accuracy: 0.6, recall: [0.5, 0.5, 1], baseline: 0.4 });
  });

  it('rule: a class absent from the set has recall NaN; an empty set takes the model’s evaluation', () => {
    const s = worldScores(entry, world, 'rule', all, decisiveSet([0, 1, 0]));
    // verdicts [0, 1, 0]: all right
    expect(s.accuracy).toBe(1);
    expect(s.recall[0]).toBe(1);
    expect(s.recall[1]).toBe(1);
    expect(s.recall[2]).toBeNaN();
    expect(worldScores(entry, world, 'rule', all, emptyWorldData(0, O, A))).toEqual({ nll: 1.5, accuracy: 0.125, recall: [0.1, 0.2, 0.3], baseline: 0.4 });
  });
});

describe('balancedOutcomes: whole rows copied', () => {
  it('copies observation, next, both actions and outcome of each kept row (A = 2)', () => {
    const A2 = 2;
    const d = emptyWorldData(4, O, A2);
    const outcomes = [0, 2, 0, 1];
    for (let i = 0; i < 4; i++) {
      d.obs.set([i, 10 + i], i * O);
      d.next.set([20 + i, 30 + i], i * O);
      d.a0.set([40 + i, 50 + i], i * A2);
      d.a1.set([60 + i, 70 + i], i * A2);
      d.outcome[i] = outcomes[i];
    }
    const b = balancedOutcomes(d, O, A2);
    // two decisive rows (1, 3) and two where the game goes on (0, 2): all four, in row order
    expect(b.n).toBe(4);
    expect([...b.obs]).toEqual([...d.obs]);
    expect([...b.next]).toEqual([...d.next]);
    expect([...b.a0]).toEqual([...d.a0]);
    expect([...b.a1]).toEqual([...d.a1]);
    expect([...b.outcome]).toEqual(outcomes);
    expect([...b.weight]).toEqual([1, 1, 1, 1]);
  });

  it('more decisive rows than others: every row is kept; the stride spreads over the rows that go on', () => {
    const d = emptyWorldData(6, O, A);
    [1, 0, 2, 1, 2, 0].forEach((y, i) => {
      d.outcome[i] = y;
      d.obs[i * O] = i;
    });
    const b = balancedOutcomes(d, O, A);
    expect(Array.from({ length: b.n }, (_, r) => b.obs[r * O])).toEqual([0, 1, 2, 3, 4, 5]);
    // 2 decisive among 9 rows that go on: rows 0 and floor(9/2) = 4 of those
    const e = emptyWorldData(11, O, A);
    [0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0].forEach((y, i) => {
      e.outcome[i] = y;
      e.obs[i * O] = i;
      e.next[i * O + 1] = 100 + i;
    });
    const c = balancedOutcomes(e, O, A);
    // goes on: rows 0,1,2,4,5,6,7,9,10 → picks index 0 (row 0) and index 4 (row 5)
    expect(Array.from({ length: c.n }, (_, r) => c.obs[r * O])).toEqual([0, 3, 5, 8]);
    expect(Array.from({ length: c.n }, (_, r) => c.next[r * O + 1])).toEqual([100, 103, 105, 108]);
  });
});
