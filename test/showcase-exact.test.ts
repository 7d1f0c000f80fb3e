/**
 * lab/showcase.ts, exactly, against a scripted fake scenario (a counter game whose every step,
 * frame and turn is known), a fake world model whose prediction is a given function, and fake
 * actors: the dream's clipping, outcome and first-verdict rule, the showcase episode's frames and
 * points, and a live match's turns.
 */
import { describe, expect, it } from 'vitest';
import { dreamEpisode, LiveMatch, showcaseEpisode } from '../lab/showcase.ts';
import type { ScenarioEntry } from '../lab/scenarios.ts';
import type { Actor } from '../lab/actors.ts';
import type { Policy } from '../agents/policy.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { box } from '../sim/space.ts';
import type { EpisodeRecord, Pair, SceneView, StepResult, Vec } from '../sim/types.ts';
import type { Rng } from '../sim/rng.ts';

const rng = {} as Rng;
const view = (n: number) => ({ n }) as unknown as SceneView;

interface FakeOpts {
  /** the step (1-based) that ends the game, and who wins; null: never */
  endAt?: number | null;
  winner?: -1 | 0 | 1;
  /** turn-based: seats alternate, seat 0 first */
  turns?: boolean;
  /** frames per step (undefined: the step reports none, so the view is used) */
  frames?: number;
  maxSteps?: number;
}

/** A counter game: observation (step/10, last action of the seat); actions are 1-D in [−1, 1]. */
function fakeEntry(o: FakeOpts = {}) {
  const log: { created: unknown[]; steps: Pair<Vec>[] } = { created: [], steps: [] };
  let t = 0;
  let views = 0;
  const activeAt = (k: number): Pair<boolean> => (o.turns ? [k % 2 === 0, k % 2 === 1] : [true, true]);
  const def = {
    id: 'duel',
    maxSteps: o.maxSteps ?? 2,
    observationSpace: box(['t', 'a'], [-1, -1], [1, 1]),
    actionSpace: box(['f'], [-1], [1], true),
    observationPoints: (ob: Vec) => [{ label: 'p', x: ob[0], y: ob[1] }],
    create(params: unknown, opts: unknown) {
      log.created.push([params, opts]);
      return {
        reset(seed: number) {
          t = 0;
          return { observations: [[seed / 100, 0], [-seed / 100, 0]], info: { step: 0, active: activeAt(0), winner: null, events: [] } };
        },
        step(acts: Pair<Vec>): StepResult {
          log.steps.push(acts);
          t++;
          const end = o.endAt != null && t >= o.endAt;
          const frames = o.frames === undefined ? undefined : Array.from({ length: o.frames }, (_, i) => view(100 * t + i));
          return {
            observations: [[t / 10, acts[0][0]], [-t / 10, acts[1][0]]],
            rewards: [0, 0],
            terminated: end,
            truncated: false,
            info: { step: t, active: activeAt(t), winner: end ? (o.winner ?? 0) : null, events: [`e${t}`], ...(frames ? { frames } : {}) },
          };
        },
        view: () => view(-++views),
      };
    },
  };
  return { entry: { def, referee: () => 0 } as unknown as ScenarioEntry, log };
}

const constActor = (id: string, v: number): Actor => ({ id, actSize: 1, act: (_o, n) => new Float32Array(n).fill(v) });

/** A world model whose mean is f(obs, a0, a1) followed by junk, and whose outcome probabilities are given per call. */
function fakeWorld(f: (obs: number[], a0: number, a1: number) => number[], outcomes: number[][] = []): WorldModel & { calls: number[][] } {
  const calls: number[][] = [];
  let k = 0;
  return {
    calls,
    predict(obs: Float32Array, a0: Float32Array, a1: Float32Array, n: number) {
      expect(n).toBe(1);
      calls.push([...obs, a0[0], a1[0]]);
      const mean = Float32Array.from([...f(Array.from(obs), a0[0], a1[0]), 99, 99]);
      return { mean, outcome: Float32Array.from(outcomes[k++] ?? [1, 0, 0]) };
    },
  } as unknown as WorldModel & { calls: number[][] };
}

const episode = (actions: [number, number][]): EpisodeRecord => ({
  scenario: 'duel',
  seed: 0,
  obs: [[[0.1, 0.2], [9, 9]], ...actions.map(() => [[0, 0], [0, 0]] as Pair<Vec>)],
  actions: actions.map(([a, b]) => [[a], [b]] as Pair<Vec>),
  active: actions.map(() => [true, true] as Pair<boolean>),
  events: actions.map(() => []),
  winner: -1,
  terminated: true,
  truncated: false,
});

describe('dreamEpisode', () => {
  it('open loop from the real start: the predicted mean, clipped to the observation space, fed back', () => {
    const { entry } = fakeEntry();
    const world = fakeWorld((o, a0, a1) => [o[0] + a0, o[1] - a1]);
    const d = dreamEpisode(entry, world, episode([[0.5, 0.1], [0.6, -2], [-3, 0]]));
    // (0.1, 0.2) → (0.6, 0.1) → (1.2 → 1, 2.1 → 1) → (−2 → −1, 1)
    expect(d.obs.map((o) => o.map((x) => Math.round(x * 1e6) / 1e6))).toEqual([[0.6, 0.1], [1, 1], [-1, 1]]);
    expect(world.calls.map((c) => c.map((x) => Math.round(x * 1e6) / 1e6))).toEqual([[0.1, 0.2, 0.5, 0.1], [0.6, 0.1, 0.6, -2], [1, 1, -3, 0]]);
    expect(d.outcome).toEqual({ step: null, winner: -1 });
    // a non-finite prediction counts as 0
    expect(dreamEpisode(entry, fakeWorld(() => [NaN, 0.5]), episode([[0, 0]])).obs).toEqual([[0, 0.5]]);
  });

  it('rule: the referee\'s first verdict on (previous, predicted) decides; 1 → seat 0, −1 → seat 1', () => {
    const seen: number[][][] = [];
    const verdicts = [0, -1, 1];
    const { entry } = fakeEntry();
    const ref = { ...entry, referee: (a: Vec, b: Vec) => (seen.push([a, b]), verdicts[seen.length - 1]) } as unknown as ScenarioEntry;
    const world = fakeWorld((o) => [o[0] + 0.25, 0]);
    const d = dreamEpisode(ref, world, episode([[0, 0], [0, 0], [0, 0]]), 'rule');
    expect(d.outcome).toEqual({ step: 1, winner: 1 });
    // asked until it answers, not after
    expect(seen).toHaveLength(2);
    expect(seen[1].map((o) => o.map((x) => Math.round(x * 100) / 100))).toEqual([[0.35, 0], [0.6, 0]]);
    const won = dreamEpisode({ ...entry, referee: () => 1 } as unknown as ScenarioEntry, world, episode([[0, 0]]));
    expect(won.outcome).toEqual({ step: 0, winner: 0 });
  });

  it('learned: the first step where a win is likelier than going on; a tie goes to seat 0', () => {
    const { entry } = fakeEntry();
    const go = (outcomes: number[][]) => dreamEpisode(entry, fakeWorld(() => [0, 0], outcomes), episode([[0, 0], [0, 0], [0, 0]]), 'learned').outcome;
    expect(go([[0.5, 0.3, 0.2], [0.3, 0.2, 0.5], [0.1, 0.9, 0]])).toEqual({ step: 1, winner: 1 });
    expect(go([[0.2, 0.5, 0.3]])).toEqual({ step: 0, winner: 0 });
    expect(go([[0.4, 0.3, 0.3], [0.2, 0.4, 0.4]])).toEqual({ step: 1, winner: 0 });
    expect(go([[0.4, 0.4, 0.2], [0.4, 0.2, 0.4], [0.5, 0.5, 0]])).toEqual({ step: null, winner: -1 });
    // only seat 0's win beats going on
    expect(go([[0.4, 0.5, 0.1]])).toEqual({ step: 0, winner: 0 });
  });
});

describe('showcaseEpisode', () => {
  const policy = { act: (_o: Float32Array, n: number, _r: Rng, temperature: number) => new Float32Array(n).fill(temperature === 1 ? 0.25 : 9) } as unknown as Policy;

  it('the policy in seat 0 at temperature 1, the opponent in seat 1; frames per step; the dream beside the real points', () => {
    const { entry, log } = fakeEntry({ endAt: 2, winner: 1, frames: 2 });
    const world = fakeWorld((o, a0) => [o[0] + 0.05, a0]);
    const s = showcaseEpisode(entry, { p: 1 }, policy, world, constActor('opp', 2), 30, rng);
    expect(log.created).toEqual([[{ p: 1 }, { recordFrames: true }]]);
    expect(log.steps).toEqual([[[0.25], [2]], [[0.25], [2]]]);
    // the opponent's 2 is clipped to the action space in the record
    expect(s.episode.actions).toEqual([[[0.25], [1]], [[0.25], [1]]]);
    expect([s.episode.seed, s.episode.scenario, s.episode.winner, s.episode.terminated]).toEqual([30, 'duel', 1, true]);
    expect(s.start).toEqual(view(-1));
    expect(s.frames).toEqual([[view(100), view(101)], [view(200), view(201)]]);
    expect(s.dreamStart).toEqual([{ label: 'p', x: 0.3, y: 0 }]);
    expect(s.real).toEqual([[{ label: 'p', x: 0.1, y: 0.25 }], [{ label: 'p', x: 0.2, y: 0.25 }]]);
    expect(s.dream.map((p) => p.map((q) => ({ ...q, x: Math.round(q.x * 1e6) / 1e6 })))).toEqual([[{ label: 'p', x: 0.35, y: 0.25 }], [{ label: 'p', x: 0.4, y: 0.25 }]]);
    // the dream is judged by the referee (the rule), which never ends this game
    expect(s.dreamOutcome).toEqual({ step: null, winner: -1 });
  });

  it('a step without frames shows the scene; an inactive seat plays zeros; a game that never ends stops after 4·maxSteps + 1 steps', () => {
    const { entry, log } = fakeEntry({ endAt: null, turns: true, maxSteps: 2 });
    const s = showcaseEpisode(entry, {}, policy, fakeWorld(() => [0, 0]), constActor('opp', -0.5), 1, rng);
    expect(log.steps).toHaveLength(9);
    expect(log.steps.slice(0, 3)).toEqual([[[0.25], [0]], [[0], [-0.5]], [[0.25], [0]]]);
    expect(s.frames).toEqual(Array.from({ length: 9 }, (_, i) => [view(-(i + 2))]));
    expect(s.episode.terminated).toBe(false);
    expect(s.dream).toHaveLength(9);
  });
});

describe('LiveMatch', () => {
  it('the person\'s seat takes the given action; the opponent\'s turns follow until the person acts again', () => {
    const { entry, log } = fakeEntry({ endAt: 5, winner: 0, turns: true, frames: 1 });
    const m = new LiveMatch(entry, { q: 2 }, 40, constActor('opp', 0.75), rng, 0);
    expect(log.created).toEqual([[{ q: 2 }, { recordFrames: true }]]);
    expect(m.humanSeat).toBe(0);
    expect(m.start).toEqual(view(-1));
    expect([m.done, m.humanActive]).toEqual([false, true]);
    expect(m.observation).toEqual([0.4, 0]);
    const a = m.step([0.5, 7]);
    // the person's step, then the opponent's; the person is next again
    expect(log.steps).toEqual([[[0.5], [0]], [[0], [0.75]]]);
    expect(a).toEqual({ frames: [view(100), view(200)], events: ['e1', 'e2'], done: false });
    expect(m.observation).toEqual([0.2, 0]);
    expect(m.humanActive).toBe(true);
    m.step([-0.25]);
    const c = m.step([2]);
    // step 5 ends the game right after the person's move
    expect(c).toEqual({ frames: [view(500)], events: ['e5'], done: true });
    expect(m.episode.actions[4]).toEqual([[1], [0]]);
    expect([m.done, m.humanActive, m.episode.winner]).toEqual([true, false, 0]);
    expect(m.step([0])).toEqual({ frames: [], events: [], done: true });
    expect(log.steps).toHaveLength(5);
  });

  it('the person in seat 1 of a simultaneous game: one step per call, the opponent in seat 0', () => {
    const { entry, log } = fakeEntry({ endAt: null });
    const m = new LiveMatch(entry, {}, 3, constActor('opp', -1), rng, 1);
    expect(m.observation).toEqual([-0.03, 0]);
    const a = m.step([0.1]);
    expect(log.steps).toEqual([[[-1], [0.1]]]);
    // no frames reported: the scene view
    expect(a).toEqual({ frames: [view(-2)], events: ['e1'], done: false });
    expect(m.observation).toEqual([-0.1, 0.1]);
  });

  it('a person who is not on turn: the opponent plays first, the person\'s action is not used', () => {
    const { entry, log } = fakeEntry({ endAt: null, turns: true });
    const m = new LiveMatch(entry, {}, 3, constActor('opp', 0.5), rng, 1);
    expect(m.humanActive).toBe(false);
    const a = m.step([0.9]);
    // one step: seat 0 (the opponent) on turn, the person's seat plays zeros; now it is the person's turn
    expect(log.steps).toEqual([[[0.5], [0]]]);
    expect(a.done).toBe(false);
    expect(m.humanActive).toBe(true);
    m.step([0.9]);
    expect(log.steps).toEqual([[[0.5], [0]], [[0], [0.9]], [[0.5], [0]]]);
  });
});
