import { describe, expect, it } from 'vitest';
import { dreamFidelity, dreamReplay } from '../lab/dream.ts';
import type { ScenarioEntry } from '../lab/scenarios.ts';
import type { WorldModel } from '../agents/world-model.ts';
import type { Rng } from '../sim/rng.ts';
import type { EpisodeRecord, Pair, Vec } from '../sim/types.ts';

// lab/dream.ts against a scripted world model: every expected dream below is worked out by hand.

/** Two observation features in [−1, 1], one action; the mirror negates; a rare outcome = player 1 won. */
const entry = {
  def: {
    id: 'duel',
    observationSpace: { size: 2, low: [-1, -1], high: [1, 1], names: ['x', 'y'] },
    actionSpace: { size: 2 },
    mirrorObservation: (o: Vec) => o.map((x) => -x),
  },
  tailOutcomes: (ep: EpisodeRecord) => (ep.terminated && ep.winner === 1 ? 1 : 0),
} as unknown as ScenarioEntry;

const rng = { tag: 'rng' } as unknown as Rng;

/**
 * The scripted model: next = obs + (sum of a0) − (sum of a1) on both features (2 action dims); its
 * outcome head says player 0 won
 * when the first feature passes 0.95, player 1 when it passes −0.95 (before clipping).
 */
const calls: unknown[][] = [];
const world = {
  sample(o: Float32Array, a0: Float32Array, a1: Float32Array, n: number, r: Rng, T: number) {
    calls.push([n, r, T, Array.from(o)]);
    const next = new Float32Array(2 * n);
    const outcome = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 2; j++) next[2 * i + j] = o[2 * i + j] + a0[2 * i] + a0[2 * i + 1] - a1[2 * i] - a1[2 * i + 1];
      outcome[i] = next[2 * i] > 0.95 ? 1 : next[2 * i] < -0.95 ? 2 : 0;
    }
    return { next, outcome };
  },
} as unknown as WorldModel;

/** A real episode starting at `start` with the given actions per step (its later observations are never read). */
function real(seed: number, start: Vec, a0: number[], a1: number[]): EpisodeRecord {
  return {
    scenario: 'duel',
    seed,
    obs: Array.from({ length: a0.length + 1 }, () => [start, start.map((x) => -x)] as Pair<Vec>),
    actions: a0.map((a, t) => [[a, 0], [0, a1[t]]] as Pair<Vec>),
    active: a0.map((_, t) => [t % 2 === 0, true] as Pair<boolean>),
    events: a0.map(() => ['real']),
    winner: -1,
    terminated: false,
    truncated: true,
  };
}

describe('dreamReplay', () => {
  const eps = [
    real(1, [0, 0], [0.5, 0.5, 0.5], [0, 0, 0]), // 0.5, then 1.0 > 0.95: player 0 wins at step 1
    real(2, [0.25, -0.25], [0, 0], [0.125, 0.125]), // 0.125, 0: the real actions run out, truncated
    real(3, [0, 0], [0, 0, 0, 0], [0.75, 0.75, 0.75, 0.75]), // −0.75, then −1.5: player 1 wins at step 1
    real(4, [0.5, 0.5], [], []), // no actions at all: truncated at the start
    real(5, [0.375, 0.375], [0, 0, 0], [0, 0, 0]), // stays put for 3 steps, truncated
  ];

  it('feeds the real actions open loop, one batched model call per step at temperature 1', () => {
    calls.length = 0;
    const dreams = dreamReplay(entry, world, 'learned', eps, rng);
    // step 0: episodes 0, 1, 2, 4 (3 has no step); step 1: the same four; step 2: only episode 4
    expect(calls.map((c) => c.slice(0, 3))).toEqual([
      [4, rng, 1],
      [4, rng, 1],
      [1, rng, 1],
    ]);
    // the model is fed each dream's own latest (clipped) observation of seat 0
    expect(calls[1][3]).toEqual([0.5, 0.5, 0.125, -0.375, -0.75, -0.75, 0.375, 0.375]);
    expect(calls[2][3]).toEqual([0.375, 0.375]);

    const [a, b, c, d, e] = dreams;
    expect(a).toEqual({
      scenario: 'duel',
      seed: 1,
      obs: [
        [[0, 0], [-0, -0]],
        [[0.5, 0.5], [-0.5, -0.5]],
        [[1, 1], [-1, -1]],
      ],
      actions: [
        [[0.5, 0], [0, 0]],
        [[0.5, 0], [0, 0]],
      ],
      active: [
        [true, true],
        [false, true],
      ],
      events: [[], []],
      winner: 0,
      terminated: true,
      truncated: false,
    });
    expect(b.obs.map((p) => p[0])).toEqual([[0.25, -0.25], [0.125, -0.375], [0, -0.5]]);
    expect([b.winner, b.terminated, b.truncated, b.actions.length]).toEqual([-1, false, true, 2]);
    // the imagined −1.5 is clipped to the observation space; the outcome was read before clipping
    expect(c.obs[2]).toEqual([[-1, -1], [1, 1]]);
    expect([c.winner, c.terminated, c.truncated, c.actions.length]).toEqual([1, true, false, 2]);
    expect(d).toEqual({ scenario: 'duel', seed: 4, obs: [[[0.5, 0.5], [-0.5, -0.5]]], actions: [], active: [], events: [], winner: -1, terminated: false, truncated: true });
    expect(e.obs.map((p) => p[0])).toEqual([[0.375, 0.375], [0.375, 0.375], [0.375, 0.375], [0.375, 0.375]]);
    expect([e.winner, e.terminated, e.truncated, e.actions.length]).toEqual([-1, false, true, 3]);
  });

  it('copies what it takes from the real episodes (the dreams share no arrays with them)', () => {
    const ep = real(6, [0.25, 0.25], [0.125], [0]);
    const [dream] = dreamReplay(entry, world, 'learned', [ep], rng);
    expect(dream.obs[0][0]).not.toBe(ep.obs[0][0]);
    expect(dream.obs[0][1]).not.toBe(ep.obs[0][1]);
    expect(dream.actions[0][0]).not.toBe(ep.actions[0][0]);
    expect(dream.actions[0][1]).not.toBe(ep.actions[0][1]);
    expect(dream.obs[1][0]).toEqual([0.375, 0.375]);
    expect(dreamReplay(entry, world, 'learned', [], rng)).toEqual([]);
  });

  it('the longest episode, listed first and ending unfinished, is dreamed to its end and truncated', () => {
    calls.length = 0;
    const [long, short] = dreamReplay(entry, world, 'learned', [real(7, [0, 0], [0.125, 0.125, 0.125], [0, 0, 0]), real(8, [0, 0], [0.25], [0])], rng);
    expect(calls.map((c) => c[0])).toEqual([2, 1, 1]);
    expect(long.obs.map((p) => p[0])).toEqual([[0, 0], [0.125, 0.125], [0.25, 0.25], [0.375, 0.375]]);
    expect([long.winner, long.terminated, long.truncated]).toEqual([-1, false, true]);
    expect([short.obs.length, short.terminated, short.truncated]).toEqual([2, false, true]);
  });
});

describe('dreamFidelity', () => {
  const ep = (last: Vec, winner: -1 | 0 | 1, terminated: boolean): EpisodeRecord => ({
    scenario: 'duel',
    seed: 0,
    obs: [[[9, 9], [9, 9]], [last, last]],
    actions: [[[0, 0], [0, 0]]],
    active: [[true, true]],
    events: [[]],
    winner,
    terminated,
    truncated: !terminated,
  });

  it('RMS error of the final observation, share of different results, rare outcomes dreamed over real (hand counts)', () => {
    const realEps = [ep([0, 0], 1, true), ep([1, 1], 0, false), ep([0, 0], 1, true)];
    const dreams = [ep([0.3, 0.4], 1, true), ep([1, 1], 1, false), ep([0, 0.6], 0, true)];
    const f = dreamFidelity(entry, realEps, dreams);
    // RMS: √((0.09 + 0.16)/2), 0, √(0.36/2); results: agree, agree (both unfinished), differ
    expect(f.finalError).toBeCloseTo((Math.sqrt(0.125) + Math.sqrt(0.18)) / 3, 12);
    expect(f.disagreement).toBeCloseTo(1 / 3, 12);
    // rare (player 1 won): 2 real games, 1 dream
    expect(f.tailCoverage).toBe(0.5);
  });

  it('no rare outcome in reality: coverage NaN; no episodes: zeros', () => {
    const f = dreamFidelity(entry, [ep([0, 0], 0, true)], [ep([0, 0], 1, true)]);
    expect(f.tailCoverage).toBeNaN();
    expect(f.disagreement).toBe(1);
    expect(f.finalError).toBe(0);
    const none = dreamFidelity(entry, [], []);
    expect(none.finalError).toBe(0);
    expect(none.disagreement).toBe(0);
    expect(none.tailCoverage).toBeNaN();
  });
});
