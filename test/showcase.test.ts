import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { scriptedActor } from '../lab/actors.ts';
import { policyData, worldData } from '../lab/dataset.ts';
import { scriptedEpisodes } from '../lab/experiment.ts';
import { replayInSim } from '../lab/rollout.ts';
import { getScenario, type ScenarioEntry } from '../lab/scenarios.ts';
import { dreamEpisode, LiveMatch, showcaseEpisode } from '../lab/showcase.ts';
import { Rng } from '../sim/rng.ts';
import type { ScenarioId } from '../sim/types.ts';

beforeAll(async () => {
  await initTf('wasm');
});

/** A small policy and world model trained briefly on scripted play. */
function tinyModel(entry: ScenarioEntry) {
  const O = entry.def.observationSpace.size;
  const A = entry.def.actionSpace.size;
  const data = scriptedEpisodes(entry, {}, 16, new Rng(3, 'data'));
  const policy = Policy.create({ obsSize: O, actSize: A, hidden: [16], components: 2 }, new Rng(1, 'p'));
  const world = WorldModel.create({ obsSize: O, actSize: A, hidden: [16] }, new Rng(1, 'w'));
  policy.fit(policyData(data, entry.def, 1), { epochs: 2, batchSize: 64, lr: 0.003 }, new Rng(2));
  world.fit(worldData(data, entry.def), { epochs: 2, batchSize: 64, lr: 0.003 }, new Rng(2));
  return { policy, world };
}

describe.each(['duel', 'hockey'] as ScenarioId[])('showcaseEpisode (%s)', (id) => {
  const entry = getScenario(id);
  const O = entry.def.observationSpace.size;
  const A = entry.def.actionSpace.size;
  const params: Record<string, number> = id === 'hockey' ? { maxSteps: 40 } : {};

  it('plays a real episode with frames per step and a dream of the same length; deterministic', () => {
    const { policy, world } = tinyModel(entry);
    const opponent = scriptedActor(entry.scripted[0], O, A);
    const a = showcaseEpisode(entry, params, policy, world, opponent, 11, new Rng(7, 'show'));
    const b = showcaseEpisode(entry, params, policy, world, opponent, 11, new Rng(7, 'show'));
    const T = a.episode.actions.length;
    expect(T).toBeGreaterThan(0);
    expect(a.episode.terminated || a.episode.truncated).toBe(true);
    expect(a.frames).toHaveLength(T);
    for (const f of a.frames) expect(f.length).toBeGreaterThan(0);
    expect(a.dream).toHaveLength(T);
    expect(a.real).toHaveLength(T);
    expect(a.dreamStart.length).toBeGreaterThan(0);
    for (const pts of a.dream) for (const p of pts) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    // the same labels are dreamt as are really observed at the start
    expect(a.dream[0].map((p) => p.label).slice(0, 2)).toEqual(a.dreamStart.map((p) => p.label).slice(0, 2));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // the frames end where the episode ends: the last frame is the final scene
    expect(a.start.bodies.length).toBeGreaterThan(0);
    const sim = entry.def.create(params);
    expect(JSON.stringify(a.start)).toBe(JSON.stringify((sim.reset(a.episode.seed), sim.view())));
    for (const act of a.episode.actions) sim.step(act);
    const lastFrames = a.frames[T - 1];
    const final = sim.view();
    // bodies of the world: the duel's last frame still shows the shell at its impact and the
    // landing markers of the shot in flight, which the settled scene replaces
    const physical = (bodies: typeof final.bodies) => bodies.filter((b) => b.role !== 'projectile' && b.role !== 'marker');
    expect(physical(lastFrames[lastFrames.length - 1].bodies)).toEqual(physical(final.bodies));
    expect(physical(final.bodies).length).toBeGreaterThanOrEqual(3);
    // it is the real simulator: replaying the recorded actions reproduces the episode
    const replay = replayInSim(entry, params, a.episode);
    expect(replay.obs).toEqual(a.episode.obs);
    expect(replay.winner).toBe(a.episode.winner);
    // a different rng gives a different episode (the policy samples its actions)
    const c = showcaseEpisode(entry, params, policy, world, opponent, 11, new Rng(8, 'show'));
    expect(JSON.stringify(c.episode.actions)).not.toBe(JSON.stringify(a.episode.actions));
    policy.dispose();
    world.dispose();
  });

  it('the dream is the world model run open loop on the real actions', () => {
    const { policy, world } = tinyModel(entry);
    const opponent = scriptedActor(entry.scripted[0], O, A);
    const s = showcaseEpisode(entry, params, policy, world, opponent, 4, new Rng(9));
    const d = dreamEpisode(entry, world, s.episode);
    expect(d.obs).toHaveLength(s.episode.actions.length);
    expect(s.dream).toEqual(d.obs.map((o) => entry.def.observationPoints(o)));
    expect(s.dreamOutcome).toEqual(d.outcome);
    // first dreamt step = the model's one-step prediction from the real start (clipped to the observation space)
    const { low, high } = entry.def.observationSpace;
    const p = world.predict(Float32Array.from(s.episode.obs[0][0]), Float32Array.from(s.episode.actions[0][0]), Float32Array.from(s.episode.actions[0][1]), 1);
    d.obs[0].forEach((v, j) => expect(v).toBeCloseTo(Math.min(high[j], Math.max(low[j], p.mean[j])), 5));
    policy.dispose();
    world.dispose();
  });
});

describe('LiveMatch', () => {
  it('duel: the person fires in seat 0, the opponent answers, the game is recorded', () => {
    const entry = getScenario('duel');
    const opp = scriptedActor(entry.scripted[0], entry.def.observationSpace.size, entry.def.actionSpace.size);
    const m = new LiveMatch(entry, {}, 3, opp, new Rng(1));
    expect(m.start.bodies.some((b) => b.role === 'player0')).toBe(true);
    let guard = 0;
    while (!m.done && guard++ < 40) {
      const humanTurn = m.humanActive;
      const r = m.step([0.1, 0.3]);
      expect(r.frames.length).toBeGreaterThan(0);
      if (humanTurn) expect(m.episode.actions.some((a, t) => m.episode.active[t][0] && a[0][0] === 0.1 && a[0][1] === 0.3)).toBe(true);
      // after a step it is the person's turn again, or the game is over
      expect(m.done || m.humanActive).toBe(true);
    }
    expect(m.done).toBe(true);
    const ep = m.episode;
    expect(ep.terminated || ep.truncated).toBe(true);
    expect(ep.obs).toHaveLength(ep.actions.length + 1);
    expect(replayInSim(entry, {}, ep).obs).toEqual(ep.obs);
    expect(m.step([0, 0])).toEqual({ frames: [], events: [], done: true });
  });

  it('hockey: the person pushes the paddle with a force every decision', () => {
    const entry = getScenario('hockey');
    const opp = scriptedActor(entry.scripted[0], entry.def.observationSpace.size, entry.def.actionSpace.size);
    const m = new LiveMatch(entry, { maxSteps: 30 }, 5, opp, new Rng(2));
    const x0 = m.start.bodies.find((b) => b.id === 'paddle0')!.x;
    const r = m.step([1, 0]);
    expect(r.frames).toHaveLength(4); // frameSkip physics frames per decision
    for (let i = 0; i < 5; i++) m.step([1, 0]);
    const last = m.step([1, 0]).frames.at(-1)!;
    expect(last.bodies.find((b) => b.id === 'paddle0')!.x).toBeGreaterThan(x0 + 20);
    while (!m.done) m.step([0, 0]);
    expect(m.episode.actions.length).toBeLessThanOrEqual(30);
  });
});
