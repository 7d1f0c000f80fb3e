/** lab/replay-frames.ts's arenaShowcase against showcaseEpisode: the app's first arena episode, replayed. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { ARENA_EPISODE_SEED, arenaShowcase } from '../lab/replay-frames.ts';
import { showcaseEpisode } from '../lab/showcase.ts';
import { policyActor } from '../lab/actors.ts';
import { getScenario } from '../lab/scenarios.ts';
import { Rng } from '../sim/rng.ts';

beforeAll(async () => {
  await initTf('wasm');
});

describe('arenaShowcase', () => {
  it('episode k: seed 7001 + k, the policy against itself, the arena\'s stream', () => {
    expect(ARENA_EPISODE_SEED).toBe(7001);
    const entry = getScenario('duel');
    const O = entry.def.observationSpace.size;
    const A = entry.def.actionSpace.size;
    const policy = Policy.create({ obsSize: O, actSize: A, hidden: [2], components: 1 }, new Rng(1));
    const world = WorldModel.create({ obsSize: O, actSize: A, hidden: [2] }, new Rng(2));
    const got = arenaShowcase(entry, { shotsPerPlayer: 1 }, policy, world, 'grounded', 3, 2);
    const want = showcaseEpisode(entry, { shotsPerPlayer: 1 }, policy, world, policyActor('opponent', policy, A, 1), 7003, new Rng(7003, 'showcase', 'grounded', 3, 2));
    expect(got.episode).toEqual(want.episode);
    expect(got.episode.seed).toBe(7003);
    expect(got.dream).toEqual(want.dream);
    expect(arenaShowcase(entry, { shotsPerPlayer: 1 }, policy, world, 'grounded', 3).episode.seed).toBe(7001);
    policy.dispose();
    world.dispose();
  });
});
