import { describe, expect, it } from 'vitest';
import { imagineEpisodes } from '../lab/imagine.ts';
import type { Actor } from '../lab/actors.ts';
import type { ScenarioEntry } from '../lab/scenarios.ts';
import type { WorldModel } from '../agents/world-model.ts';
import type { Rng } from '../sim/rng.ts';
import type { Vec } from '../sim/types.ts';

// lab/imagine.ts against a scripted scenario, scripted actors and a scripted world model: every
// imagined episode below is worked out by hand.

const starts: Record<number, Vec> = { 1: [0.5, 0], 2: [0, 0], 3: [0, 0.75] };
const created: unknown[] = [];
const entry = {
  def: {
    id: 'duel',
    observationSpace: { size: 2, low: [-1, -1], high: [1, 1], names: ['x', 'y'] },
    actionSpace: { size: 2, low: [-1, -1], high: [1, 1], names: ['a', 'b'] },
    mirrorObservation: (o: Vec) => o.map((x) => -x),
    create(params: Record<string, number>) {
      created.push(params);
      return { maxSteps: params.maxSteps, reset: (seed: number) => ({ observations: [starts[seed], starts[seed].map((x) => -x)] }) };
    },
  },
  // seat 1 sits out while the second feature is above one half
  activePlayers: (obs0: ArrayLike<number>) => (obs0[1] > 0.5 ? [true, false] : [true, true]),
} as unknown as ScenarioEntry;

const rng = { tag: 'rng' } as unknown as Rng;
const actor = (id: string, action: Vec): Actor => ({
  id,
  actSize: 2,
  act: (_obs: Float32Array, n: number) => Float32Array.from({ length: 2 * n }, (_, k) => action[k % 2]),
});
const P = actor('p', [0.25, 2]); // clipped to [0.25, 1]
const Q = actor('q', [0, -2]); // clipped to [0, −1]

/** next = [o₀ + a0₀ − a1₀, o₁ + a0₁ + a1₁]; player 0 wins past 0.95, player 1 past −0.95 (before clipping) */
const samples: unknown[][] = [];
const world = {
  sample(o: Float32Array, a0: Float32Array, a1: Float32Array, n: number, r: Rng, T: number) {
    samples.push([n, r, T, Array.from(a0), Array.from(a1)]);
    const next = new Float32Array(2 * n);
    const outcome = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[2 * i] = o[2 * i] + a0[2 * i] - a1[2 * i];
      next[2 * i + 1] = o[2 * i + 1] + a0[2 * i + 1] + a1[2 * i + 1];
      outcome[i] = next[2 * i] > 0.95 ? 1 : next[2 * i] < -0.95 ? 2 : 0;
    }
    return { next, outcome };
  },
} as unknown as WorldModel;

describe('imagineEpisodes', () => {
  it('plays from the real reset state inside the model: clipped actions, imagined ends, truncation at the scenario’s maxSteps', () => {
    samples.length = 0;
    created.length = 0;
    const params = { maxSteps: 3 };
    const [a, b, c] = imagineEpisodes(
      entry,
      world,
      [
        { seed: 1, actors: [P, Q] },
        { seed: 2, actors: [Q, P] },
        { seed: 3, actors: [P, P] },
      ],
      rng,
      { params, temperature: 0.6, outcome: 'learned' },
    );
    expect(created).toEqual([params]);
    // one model call per step at the given temperature: 3 live, 3 live, then 2 (the first game ended)
    expect(samples.map((s) => s.slice(0, 3))).toEqual([
      [3, rng, 0.6],
      [3, rng, 0.6],
      [2, rng, 0.6],
    ]);
    // step 0, both actions of each live game, clipped before the model sees them (seat 1 of game 3 sits out: zeros)
    expect(samples[0][3]).toEqual([0.25, 1, 0, -1, 0.25, 1]);
    expect(samples[0][4]).toEqual([0, -1, 0.25, 1, 0, 0]);

    // game 1: 0.5 → 0.75 → 1.0 > 0.95: player 0 wins at step 1
    expect(a).toEqual({
      scenario: 'duel',
      seed: 1,
      obs: [
        [[0.5, 0], [-0.5, -0]],
        [[0.75, 0], [-0.75, -0]],
        [[1, 0], [-1, -0]],
      ],
      actions: [
        [[0.25, 1], [0, -1]],
        [[0.25, 1], [0, -1]],
      ],
      active: [
        [true, true],
        [true, true],
      ],
      events: [[], []],
      winner: 0,
      terminated: true,
      truncated: false,
    });
    // game 2: 0 → −0.25 → −0.5 → −0.75, still going at maxSteps: truncated, nobody won
    expect(b.obs.map((p) => p[0])).toEqual([[0, 0], [-0.25, 0], [-0.5, 0], [-0.75, 0]]);
    expect(b.actions).toEqual(Array(3).fill([[0, -1], [0.25, 1]]));
    expect([b.winner, b.terminated, b.truncated]).toEqual([-1, false, true]);
    // game 3: seat 1 inactive throughout; the second feature is clipped at 1
    expect(c.obs.map((p) => p[0])).toEqual([[0, 0.75], [0.25, 1], [0.5, 1], [0.75, 1]]);
    expect(c.obs[3][1]).toEqual([-0.75, -1]);
    expect(c.actions).toEqual(Array(3).fill([[0.25, 1], [0, 0]]));
    expect(c.active).toEqual(Array(3).fill([true, false]));
    expect(c.events).toEqual([[], [], []]);
    expect([c.winner, c.terminated, c.truncated]).toEqual([-1, false, true]);
  });

  it('a game the model ends at the very last step is won, not truncated; maxSteps comes from the params', () => {
    // game 1 ends at step 1: with maxSteps 2 that is the last step
    const [a] = imagineEpisodes(entry, world, [{ seed: 1, actors: [P, Q] }], rng, { params: { maxSteps: 2 }, temperature: 1, outcome: 'learned' });
    expect([a.actions.length, a.winner, a.terminated, a.truncated]).toEqual([2, 0, true, false]);
    // player 1's win: from seed 2 with the seats swapped, −1.0 < −0.95 at step 3
    samples.length = 0;
    const [b] = imagineEpisodes(entry, world, [{ seed: 2, actors: [Q, P] }], rng, { params: { maxSteps: 10 }, temperature: 1, outcome: 'learned' });
    expect([b.actions.length, b.winner, b.terminated, b.truncated]).toEqual([4, 1, true, false]);
    // the model is not asked again once every game has ended
    expect(samples.length).toBe(4);
    // maxSteps 0: nothing is imagined, the episode is its start alone
    const [z] = imagineEpisodes(entry, world, [{ seed: 1, actors: [P, Q] }], rng, { params: { maxSteps: 0 }, temperature: 1, outcome: 'learned' });
    expect([z.obs.length, z.actions.length, z.terminated, z.truncated]).toEqual([1, 0, false, false]);
    expect(imagineEpisodes(entry, world, [], rng, { params: { maxSteps: 3 }, temperature: 1, outcome: 'learned' })).toEqual([]);
  });
});
