import { describe, expect, it } from 'vitest';
import { advantageWeights, linearBaseline, MAX_ADVANTAGE_WEIGHT, policyData, type Trajectory } from '../lab/dataset.ts';
import { hockeyDef, mirrorHockeyObservation } from '../sim/hockey.ts';
import type { EpisodeRecord, Pair, Vec } from '../sim/types.ts';

/** A hockey episode with the given player-0 observations and actions, won by `winner`. */
function episode(obs0: Vec[], act0: Vec[], act1: Vec[], winner: -1 | 0 | 1): Trajectory {
  const ep: EpisodeRecord = {
    scenario: 'hockey',
    seed: 0,
    obs: obs0.map((o) => [o, mirrorHockeyObservation(o)] as Pair<Vec>),
    actions: act0.map((a, t) => [a, act1[t]] as Pair<Vec>),
    active: act0.map(() => [true, true] as Pair<boolean>),
    events: act0.map(() => []),
    winner,
    terminated: winner !== -1,
    truncated: winner === -1,
  };
  return { ep, source: 'sim', players: ['a', 'b'], lineage: null, generation: 0, seed: 0, judgedBy: 'sim' };
}

/** A deterministic pseudo-random observation (the tests need no seeded Rng). */
function obsAt(k: number): Vec {
  return Array.from({ length: 12 }, (_, j) => Math.sin(1.7 * k + 0.9 * j) * 0.8);
}

/** Sample index of (episode e, step t, seat) in policyData's order: episodes, steps, seats. */
const idx = (e: number, steps: number, t: number, seat: 0 | 1) => e * steps * 2 + t * 2 + seat;

describe('advantage weights (the one learner)', () => {
  const steps = 4;
  const obs = (e: number) => Array.from({ length: steps + 1 }, (_, t) => obsAt(10 * e + t));
  const act = (v: number) => Array.from({ length: steps }, () => [v, -v]);

  it('weigh the winning seat above the losing seat, seen from both seats, and draws in between', () => {
    // the same start states, won by seat 0, won by seat 1, and drawn, plus some drawn filler games
    const trajs = [
      episode(obs(0), act(0.5), act(-0.5), 0),
      episode(obs(0), act(0.5), act(-0.5), 1),
      ...Array.from({ length: 6 }, (_, e) => episode(obs(e + 1), act(0.1), act(0.1), -1)),
    ];
    const d = policyData(trajs, hockeyDef, 1);
    expect(d.n).toBe(trajs.length * steps * 2);
    for (let t = 0; t < steps; t++) {
      for (const seat of [0, 1] as const) {
        // the same observation and action: the game this seat won weighs more than the one it lost
        const won = d.weight[idx(seat === 0 ? 0 : 1, steps, t, seat)];
        const lost = d.weight[idx(seat === 0 ? 1 : 0, steps, t, seat)];
        expect(won).toBeGreaterThan(lost);
        expect(won).toBeGreaterThan(1);
        expect(lost).toBeLessThan(1);
      }
    }
    // a drawn game weighs between a win and a loss, and all weights stay positive and capped
    const draw = d.weight[idx(2, steps, 0, 0)];
    expect(draw).toBeLessThan(d.weight[idx(0, steps, 0, 0)]);
    expect(draw).toBeGreaterThan(d.weight[idx(1, steps, 0, 0)]);
    for (const w of d.weight) {
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(MAX_ADVANTAGE_WEIGHT * (1 + 1e-6));
    }
  });

  it('keep the signal when most games are drawn: the weights scale with the spread of outcomes', () => {
    const decided = [episode(obs(0), act(0.5), act(-0.5), 0), episode(obs(0), act(0.5), act(-0.5), 1)];
    const fewDraws = policyData([...decided, ...Array.from({ length: 2 }, (_, e) => episode(obs(e + 1), act(0), act(0), -1))], hockeyDef, 1);
    const manyDraws = policyData([...decided, ...Array.from({ length: 30 }, (_, e) => episode(obs(e + 1), act(0), act(0), -1))], hockeyDef, 1);
    // winner / loser weight ratio for the same sample: larger when decided games are rare
    const ratio = (d: typeof fewDraws) => d.weight[idx(0, steps, 0, 0)] / d.weight[idx(1, steps, 0, 0)];
    expect(ratio(manyDraws)).toBeGreaterThan(ratio(fewDraws));
    expect(ratio(fewDraws)).toBeGreaterThan(Math.E ** 2 * 0.99);
  });

  it('credit the actions close to the decisive moment most: the outcome is discounted per decision', () => {
    const long = 40;
    const o = Array.from({ length: long + 1 }, (_, t) => obsAt(t));
    const a = Array.from({ length: long }, () => [0.3, 0.3]);
    const trajs = [episode(o, a, a, 0), ...Array.from({ length: 3 }, (_, e) => episode(obs(e + 1), act(0), act(0), -1))];
    const d = policyData(trajs, hockeyDef, 1, 0.9);
    const winner = (t: number) => d.weight[2 * t];
    const loser = (t: number) => d.weight[2 * t + 1];
    // the winner's last action weighs more than its first, the loser's last less than its first
    expect(winner(long - 1)).toBeGreaterThan(winner(0));
    expect(loser(long - 1)).toBeLessThan(loser(0));
    // undiscounted, the same state and action of the first step weighs the same whatever its distance to the end
    const flat = policyData(trajs, hockeyDef, 1, 1);
    expect(flat.weight[0] / flat.weight[1]).toBeGreaterThan(winner(0) / loser(0));
  });

  it('give weight 1 to every sample with outcomeWeight 0 or without a decided game', () => {
    const decided = [episode(obs(0), act(0.5), act(-0.5), 0), episode(obs(1), act(0.5), act(-0.5), 1)];
    expect(new Set(policyData(decided, hockeyDef, 0).weight)).toEqual(new Set([1]));
    const draws = Array.from({ length: 3 }, (_, e) => episode(obs(e), act(0.2), act(0.2), -1));
    expect(new Set(policyData(draws, hockeyDef, 1).weight)).toEqual(new Set([1]));
  });

  it('do not credit an action for an outcome the state already decided (the baseline)', () => {
    // feature 0 of the observation tells the outcome: returns are +1 where it is +1, −1 where −1
    const n = 200;
    const O = 3;
    const o = new Float32Array(n * O);
    const ret = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const sign = i % 2 === 0 ? 1 : -1;
      o.set([sign, Math.sin(i), Math.cos(3 * i)], i * O);
      ret[i] = sign;
    }
    const v = linearBaseline(o, ret, n, O);
    for (let i = 0; i < n; i++) expect(v[i]).toBeCloseTo(ret[i], 2);
    // the advantage is (almost) zero, so the weights are (almost) 1
    for (const w of advantageWeights(o, ret, n, O, 1)) expect(Math.abs(w - 1)).toBeLessThan(0.02);
  });

  it('the baseline is an exact least-squares fit of a linear return', () => {
    const n = 50;
    const O = 2;
    const o = new Float32Array(n * O);
    const ret = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = Math.fround(Math.sin(i));
      const b = Math.fround(Math.cos(2 * i));
      o.set([a, b], i * O);
      ret[i] = 0.2 + 0.5 * a - 0.3 * b;
    }
    const v = linearBaseline(o, ret, n, O);
    // the small ridge penalty shrinks the slope a little
    for (let i = 0; i < n; i++) expect(v[i]).toBeCloseTo(ret[i], 2);
  });
});
