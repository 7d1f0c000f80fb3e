import { describe, expect, it } from 'vitest';
import { actAll, playEpisodes, recordStep, replayInSim, startRecord } from '../lab/rollout.ts';
import { policyActor, scriptedActor, type Actor } from '../lab/actors.ts';
import { getScenario, type ScenarioEntry } from '../lab/scenarios.ts';
import type { Rng } from '../sim/rng.ts';
import type { EpisodeRecord, Pair, StepResult, Vec } from '../sim/types.ts';

// lab/rollout.ts and lab/actors.ts against a scripted counter game: every expected episode below is
// worked out by hand.

/**
 * The counter game: x starts at the reset seed; each step adds seat 0's first action and subtracts
 * seat 1's; x ≥ 3 → player 0 wins, x ≤ −3 → player 1; after 4 steps the game is truncated. An odd
 * seed starts with seat 1 sitting out the first step, except seed 5, where seat 0 sits out. Actions are clipped to [−1, 1] by the lab.
 */
const created: unknown[] = [];
function counter(params: Record<string, number>) {
  created.push(params);
  let x = 0;
  let steps = 0;
  const obs = (): Pair<Vec> => [[x, steps], [0 - x, steps]];
  return {
    maxSteps: 4,
    reset(seed: number) {
      x = seed;
      steps = 0;
      return { observations: obs(), info: { step: 0, active: [seed !== 5, seed % 2 === 0 || seed === 5] as Pair<boolean>, winner: null, events: [] } };
    },
    step(a: Pair<Vec>): StepResult {
      x += a[0][0] - a[1][0];
      steps++;
      const terminated = x >= 3 || x <= -3;
      const truncated = !terminated && steps >= 4;
      const winner = x >= 3 ? 0 : x <= -3 ? 1 : null;
      return { observations: obs(), rewards: [0, 0], terminated, truncated, info: { step: steps, active: [true, true], winner, events: [`x=${x}`] } };
    },
  };
}
const space = { size: 2, low: [-1, -1], high: [1, 1], names: ['a', 'b'] };
const entry = {
  def: { id: 'duel', observationSpace: { size: 2, low: [-9, 0], high: [9, 9], names: ['x', 't'] }, actionSpace: space, create: counter },
} as unknown as ScenarioEntry;

const rng = { tag: 'rng' } as unknown as Rng;
/** An actor that always plays `action` and logs every batch it is asked for. */
const log: Array<[string, number, number[]]> = [];
const actor = (id: string, action: Vec): Actor => ({
  id,
  actSize: 2,
  act(obs: Float32Array, n: number) {
    log.push([id, n, Array.from(obs)]);
    return Float32Array.from({ length: 2 * n }, (_, k) => action[k % 2]);
  },
});
const P = actor('p', [1, 5]); // executed as [1, 1]
const Q = actor('q', [0, 0]);

describe('actAll', () => {
  it('one call per actor with the rows of every active seat, in order of first appearance; inactive seats get zeros', () => {
    log.length = 0;
    const obsOf = (ep: number): Pair<Vec> => [[ep, 0], [10 + ep, 1]];
    const active: Pair<boolean>[] = [[true, true], [false, true], [true, false]];
    const actors: Pair<Actor>[] = [[Q, P], [Q, Q], [P, Q]];
    const out = actAll(2, 2, [0, 1, 2], obsOf, (ep) => active[ep], (ep) => actors[ep], rng);
    expect(log).toEqual([
      ['q', 2, [0, 0, 11, 1]], // episode 0 seat 0, episode 1 seat 1
      ['p', 2, [10, 1, 2, 0]], // episode 0 seat 1, episode 2 seat 0
    ]);
    expect([...out.entries()]).toEqual([
      [0, [[0, 0], [1, 5]]],
      [1, [[0, 0], [0, 0]]],
      [2, [[1, 5], [0, 0]]],
    ]);
  });
});

describe('startRecord and recordStep', () => {
  it('records clipped actions of active seats, an inactive seat’s action as given, and the end', () => {
    const rec = startRecord('duel', 5, [[1, 2], [3, 4]]);
    expect(rec).toEqual({ scenario: 'duel', seed: 5, obs: [[[1, 2], [3, 4]]], actions: [], active: [], events: [], winner: -1, terminated: false, truncated: false });
    const res = (terminated: boolean, truncated: boolean, winner: 0 | 1 | null): StepResult => ({
      observations: [[5, 6], [7, 8]],
      rewards: [0, 0],
      terminated,
      truncated,
      info: { step: 1, active: [true, true], winner, events: ['e'] },
    });
    recordStep(entry.def, rec, [[2, -3], [4, 0.5]], [true, false], res(false, false, null));
    expect(rec.actions).toEqual([[[1, -1], [4, 0.5]]]);
    expect([rec.active, rec.events, rec.obs.length, rec.winner, rec.terminated, rec.truncated]).toEqual([[[true, false]], [['e']], 2, -1, false, false]);
    recordStep(entry.def, rec, [[0, 0], [-2, 0]], [false, true], res(true, false, 1));
    expect(rec.actions[1]).toEqual([[0, 0], [-1, 0]]);
    expect([rec.winner, rec.terminated, rec.truncated]).toEqual([1, true, false]);
    const t = startRecord('duel', 1, [[0, 0], [0, 0]]);
    recordStep(entry.def, t, [[0, 0], [0, 0]], [true, true], res(false, true, null));
    expect([t.winner, t.terminated, t.truncated]).toEqual([-1, false, true]);
  });
});

describe('playEpisodes', () => {
  it('plays every matchup to its end in lockstep, chunk by chunk (hand-played counter games)', () => {
    created.length = 0;
    log.length = 0;
    const params = { k: 1 };
    const [a, b, c] = playEpisodes(
      entry,
      params,
      [
        { seed: 0, actors: [P, Q] }, // 0 → 1 → 2 → 3: player 0 wins after 3 steps
        { seed: 1, actors: [Q, P] }, // seat 1 sits out step 0 (x stays 1), then 1 → 0 → −1 → −2: truncated
        { seed: 2, actors: [P, Q] }, // 2 → 3: player 0 wins after 1 step (second chunk, reusing a scenario)
      ],
      rng,
      2,
    );
    // two scenarios for chunks of two, made with the given params
    expect(created).toEqual([params, params]);
    expect(a.obs.map((p) => p[0])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    expect(a.actions).toEqual(Array(3).fill([[1, 1], [0, 0]]));
    expect(a.events).toEqual([['x=1'], ['x=2'], ['x=3']]);
    expect([a.seed, a.winner, a.terminated, a.truncated]).toEqual([0, 0, true, false]);
    expect(b.obs.map((p) => p[0])).toEqual([[1, 0], [1, 1], [0, 2], [-1, 3], [-2, 4]]);
    expect(b.active).toEqual([[true, false], [true, true], [true, true], [true, true]]);
    expect(b.actions).toEqual([[[0, 0], [0, 0]], ...Array(3).fill([[0, 0], [1, 1]])]);
    expect([b.seed, b.winner, b.terminated, b.truncated]).toEqual([1, -1, false, true]);
    expect(c.obs.map((p) => p[0])).toEqual([[2, 0], [3, 1]]);
    expect([c.seed, c.winner, c.terminated, c.truncated, c.actions.length]).toEqual([2, 0, true, false, 1]);
    // first chunk, step 0: P for episode 0's seat 0 only (episode 1's seat 1 sits out), Q for the two seat-0/seat-1 rows
    expect(log[0]).toEqual(['p', 1, [0, 0]]);
    expect(log[1]).toEqual(['q', 2, [0, 0, 1, 0]]);
    expect(playEpisodes(entry, params, [], rng)).toEqual([]);
  });

  it('keeps its scenarios for the next call with the same scenario and parameters (none made again), not for other parameters', () => {
    const params = { k: 2 };
    const games = [{ seed: 0, actors: [P, Q] as Pair<Actor> }, { seed: 2, actors: [P, Q] as Pair<Actor> }];
    created.length = 0;
    const first = playEpisodes(entry, params, games, rng);
    expect(created).toEqual([params, params]);
    const again = playEpisodes(entry, params, games, rng);
    expect(created).toEqual([params, params]);
    expect(again).toEqual(first);
    playEpisodes(entry, { k: 3 }, games.slice(0, 1), rng);
    expect(created).toEqual([params, params, { k: 3 }]);
  });

  it('a kept duel scenario plays an episode exactly as a new one (the world is rebuilt from the seed alone)', () => {
    const duel = getScenario('duel');
    // an actor whose shot is a fixed function of what it sees
    const aim: Actor = {
      id: 'aim',
      actSize: 2,
      act: (obs, n) => Float32Array.from({ length: 2 * n }, (_, k) => Math.sin(3 * obs[(k >> 1) * 14 + 1] + 0.7 * obs[(k >> 1) * 14 + 4] + 2.3 * obs[(k >> 1) * 14 + 13] + (k % 2))),
    };
    const games = [101, 102, 103, 104, 105].map((seed) => ({ seed, actors: [aim, aim] as Pair<Actor> }));
    const params = { windMax: 0.9 };
    const fresh = playEpisodes(duel, params, games, rng);
    playEpisodes(duel, params, [7, 8, 9, 10, 11, 12].map((seed) => ({ seed, actors: [aim, aim] as Pair<Actor> })), rng);
    const kept = playEpisodes(duel, params, games, rng);
    expect(kept).toEqual(fresh);
    expect(playEpisodes(duel, params, games, rng, 1)).toEqual(fresh); // one scenario for all five, one after another
    // shots were flown: the misses seen (observation 7, the last shot's miss distance) vary from shot to shot
    expect(new Set(fresh.flatMap((e) => e.obs.map((o) => o[0][7]))).size).toBeGreaterThan(20);
  });
});

describe('replayInSim', () => {
  const ep = (actions: Pair<Vec>[]): EpisodeRecord => ({ scenario: 'duel', seed: 0, obs: [], actions, active: [], events: [], winner: -1, terminated: false, truncated: false });

  it('replays recorded actions from the reset seed and stops where reality ends the game', () => {
    const r = replayInSim(entry, {}, ep([[[1], [0]], [[1], [0]], [[1], [0]], [[1], [0]], [[1], [0]]]));
    expect(r.obs.map((p) => p[0])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    expect([r.actions.length, r.winner, r.terminated, r.truncated]).toEqual([3, 0, true, false]);
    expect(r.events).toEqual([['x=1'], ['x=2'], ['x=3']]);
  });

  it('the game’s own ends: player 1’s win, truncation without a winner; seat 0 sitting out is recorded as zeros', () => {
    const lost = replayInSim(entry, {}, ep(Array(5).fill([[0], [1]])));
    expect([lost.actions.length, lost.winner, lost.terminated, lost.truncated]).toEqual([3, 1, true, false]);
    const long = replayInSim(entry, {}, ep(Array(6).fill([[0], [0]])));
    expect([long.actions.length, long.winner, long.terminated, long.truncated]).toEqual([4, -1, false, true]);
    const five = replayInSim(entry, {}, { ...ep([[[1], [0.5]]]), seed: 5 });
    expect(five.actions).toEqual([[[0], [0.5]]]);
    expect([five.obs[1][0], five.winner, five.terminated]).toEqual([[5.5, 1], 0, true]);
  });

  it('recorded actions that run out: truncated without a winner; an inactive seat’s action recorded as zeros', () => {
    const [sc] = [counter({})];
    const r = replayInSim({ ...entry, def: { ...entry.def, create: () => { throw new Error('not used'); } } } as unknown as ScenarioEntry, {}, { ...ep([[[0.5], [2]], [[-0.5], [0.25]]]), seed: 1 }, sc as never);
    // seed 1: seat 1 sits out step 0 (its 2 recorded as 0 but still passed to the game, which subtracts it)
    expect(r.actions).toEqual([[[0.5], [0]], [[-0.5], [0.25]]]);
    expect(r.active).toEqual([[true, false], [true, true]]);
    expect(r.obs.map((p) => p[0])).toEqual([[1, 0], [-0.5, 1], [-1.25, 2]]);
    expect([r.winner, r.terminated, r.truncated]).toEqual([-1, false, true]);
  });
});

describe('actors', () => {
  it('scriptedActor: the style’s player row by row, named after the style', () => {
    const rows: number[][] = [];
    const style = { name: 'lob', player: { act: (row: number[]) => (rows.push(row), [row[0] * 2, row[1] + 1, 99]) } };
    const a = scriptedActor(style as never, 2, 2);
    expect([a.id, a.actSize]).toEqual(['scripted:lob', 2]);
    expect([...a.act(Float32Array.from([1, 2, 3, 4]), 2, rng)]).toEqual([2, 3, 6, 5]);
    expect(rows).toEqual([[1, 2], [3, 4]]);
  });

  it('policyActor: the policy at its temperature', () => {
    const calls: unknown[] = [];
    const policy = { act: (obs: Float32Array, n: number, r: Rng, T: number) => (calls.push([Array.from(obs), n, r, T]), Float32Array.from([7])) };
    const a = policyActor('grounded/g1', policy as never, 1, 0.3);
    expect([a.id, a.actSize]).toEqual(['grounded/g1', 1]);
    expect([...a.act(Float32Array.from([1]), 1, rng)]).toEqual([7]);
    expect(calls).toEqual([[[1], 1, rng, 0.3]]);
    expect(policyActor('x', policy as never, 1).act(Float32Array.from([2]), 1, rng)).toEqual(Float32Array.from([7]));
    expect((calls[1] as unknown[])[3]).toBe(1);
  });
});
