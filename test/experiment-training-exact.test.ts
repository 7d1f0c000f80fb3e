/**
 * lab/experiment.ts's training settings reach the learners: runs stopped right after generation 0
 * (or generation 1) is trained, compared setting by setting. A setting of the policy's training
 * changes generation 0's policy and leaves its world model as it was, and the other way round.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { MemoryStorage } from '../lab/host.ts';
import { seal, unseal } from '../lab/run-record.ts';
import { getScenario } from '../lab/scenarios.ts';
import { runPhysicsExperiment, scriptedEpisodes } from '../lab/experiment.ts';
import { loadTrajectories, policyData, storeTrajectories, worldData, type StoredTrajectory, type Trajectory } from '../lab/dataset.ts';
import { modelFromJson } from '../lab/loop-state.ts';
import { balancedOutcomes, worldScores } from '../lab/world.ts';
import { policyActor, scriptedActor, type Actor } from '../lab/actors.ts';
import { playEpisodes } from '../lab/rollout.ts';
import { evalSeeds, scores, versus } from '../lab/evaluate.ts';
import { Rng } from '../sim/rng.ts';

beforeAll(async () => {
  await initTf('wasm');
});

function exp(training: Record<string, unknown>, model: Record<string, unknown> = {}): PhysicsExperiment {
  return parseExperiment({
    name: 'train',
    scenario: 'duel',
    seeds: [1],
    generations: 1,
    d0: { episodes: 8 },
    model: { hidden: [3], components: 1, worldHidden: [3], ...model },
    training: { epochs: 2, batchSize: 16, worldG0Epochs: 1, ...training },
    evaluation: { panelGames: 2, roundRobinGames: 0, selfPlayEpisodes: 2, heldOutEpisodes: 0, eloBootstrap: 10 },
    lineages: [{ name: 'g', recipe: 'grounded', episodes: 4 }],
  }) as PhysicsExperiment;
}

/** The checkpoint at `path` after a run stopped at the given stop check (3: right after generation 0 is stored). */
async function trained(e: PhysicsExperiment, stopAt = 3, path = 'checkpoints/s1/g0.json'): Promise<{ policy: string; world: string }> {
  const storage = new MemoryStorage();
  let checks = 0;
  await runPhysicsExperiment(e, { storage, emit: () => {}, shouldStop: () => ++checks === stopAt });
  const j = JSON.parse((await storage.read(path))!);
  return { policy: JSON.stringify(j.policy.tensors), world: JSON.stringify(j.world.tensors) };
}

describe('training settings', () => {
  it('policy settings change the policy only; world-model settings the world model only', async () => {
    const base = await trained(exp({}));
    const policyOnly = [{ epochs: 3 }, { lr: 0.01 }, { outcomeWeight: 0 }];
    for (const t of policyOnly) {
      const m = await trained(exp(t));
      expect(m.policy, JSON.stringify(t)).not.toBe(base.policy);
      expect(m.world, JSON.stringify(t)).toBe(base.world);
    }
    const worldOnly: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ worldG0Epochs: 2 }, {}],
      [{ worldLr: 0.02 }, {}],
      [{ worldLrFinal: 0.001 }, {}],
      [{ worldG0LrFinal: 0.001 }, {}],
      [{ worldNllBeta: 0 }, {}],
      [{ worldOutcomeWeight: 1 }, {}],
      [{ worldOutcomeClasses: 'balanced' }, {}],
      [{}, { worldMinStd: 0.05 }],
    ];
    for (const [t, m0] of worldOnly) {
      const m = await trained(exp(t, m0));
      expect(m.world, JSON.stringify([t, m0])).not.toBe(base.world);
      expect(m.policy, JSON.stringify([t, m0])).toBe(base.policy);
    }
    // the same settings give the same models; a final rate equal to worldLr is the constant rate
    expect(await trained(exp({}))).toEqual(base);
    expect(await trained(exp({ worldLrFinal: 0.01 }))).toEqual(base);
    expect(await trained(exp({ worldG0LrFinal: 0.01 }))).toEqual(base);
    // generation 0's own final rate wins over worldLrFinal for its fit: the same model as with worldLrFinal alone
    const decayed = await trained(exp({ worldLrFinal: 0.001 }));
    expect(await trained(exp({ worldG0LrFinal: 0.001, worldLrFinal: 0.005 }))).toEqual(decayed);
  }, 60_000);

  it('maxUpdates caps the epochs of generation 1 on, never generation 0\'s', async () => {
    // 8 episodes' samples in batches of 16: at least one update an epoch, so maxUpdates 1 means one epoch
    const capped = exp({ maxUpdates: 1 });
    const free = exp({ maxUpdates: 1_000_000 });
    expect(await trained(capped)).toEqual(await trained(free));
    // stop 6: after generation 1's data and training (the stop before its evaluation)
    const c1 = await trained(capped, 6, 'checkpoints/s1/g/g1.json');
    const f1 = await trained(free, 6, 'checkpoints/s1/g/g1.json');
    expect(c1.policy).not.toBe(f1.policy);
    expect(c1.world).not.toBe(f1.world);
  }, 60_000);
});

describe('checks before and on resume', () => {
  it('scenario parameters are checked before anything is written', async () => {
    const storage = new MemoryStorage();
    const bad = { ...exp({}), scenarioParams: { nonsense: 1 } } as PhysicsExperiment;
    await expect(runPhysicsExperiment(bad, { storage, emit: () => {} })).rejects.toThrow('nonsense');
    expect(storage.files.size).toBe(0);
  });

  it('at most 8 self-play episodes are kept for replay', async () => {
    const e = { ...exp({}), evaluation: { ...exp({}).evaluation, selfPlayEpisodes: 10 } } as PhysicsExperiment;
    const storage = new MemoryStorage();
    let checks = 0;
    // stop check 4: generation 0 is evaluated and recorded
    await runPhysicsExperiment(e, { storage, emit: () => {}, shouldStop: () => ++checks === 4 });
    expect(JSON.parse((await storage.read('samples/s1/g0/g0-play.json'))!)).toHaveLength(8);
  }, 30_000);

  it('a resume checks the recorded rows, files and generation', async () => {
    const e = exp({});
    const stopped = async () => {
      const storage = new MemoryStorage();
      let checks = 0;
      await runPhysicsExperiment(e, { storage, emit: () => {}, shouldStop: () => ++checks === 4 });
      return storage;
    };
    const resume = (storage: MemoryStorage) => runPhysicsExperiment(e, { storage, emit: () => {} }, { resume: true });
    // an edited row
    const a = await stopped();
    const line = (await a.read('metrics.jsonl'))!;
    await a.write('metrics.jsonl', line.replace('"seed":1', '"seed":1,"x":0'));
    await expect(resume(a)).rejects.toThrow('rows of seed 1 do not match the hash its state records');
    // a replaced checkpoint
    const b = await stopped();
    await b.write('checkpoints/s1/g0.json', (await b.read('checkpoints/s1/g0.json'))!.replace('"id":"g0"', '"id":"g0" '));
    await expect(resume(b)).rejects.toThrow('does not match its recorded hash');
    // a state beyond the experiment's generations
    const c = await stopped();
    const state = await unseal<Record<string, unknown>>((await c.read('state/s1.json'))!, 'state');
    const { sealed: _, ...record } = state;
    await c.write('state/s1.json', await seal({ ...record, generation: 5 }));
    await expect(resume(c)).rejects.toThrow('state/s1.json: claims generation 5, outside -1..1');
  }, 30_000);
});

describe('episode seeds', () => {
  it('every generated episode (real, imagined, scripted) has a 31-bit reset seed', async () => {
    const e = parseExperiment({
      ...JSON.parse(JSON.stringify(exp({}))),
      lineages: [
        { name: 'g', recipe: 'grounded', episodes: 6 },
        { name: 'f', recipe: 'fresh-mix', realFraction: 0.5, episodes: 6 },
      ],
    }) as PhysicsExperiment;
    const storage = new MemoryStorage();
    let checks = 0;
    // stop check 7: both lineages' generation 1 data stored
    await runPhysicsExperiment(e, { storage, emit: () => {}, shouldStop: () => ++checks === 7 });
    const seeds = ['samples/s1/d0.json', 'samples/s1/g/g1.json', 'samples/s1/f/g1.json'].flatMap((p) => (JSON.parse(storage.files.get(p) as string) as { epSeed: number }[]).map((t) => t.epSeed));
    expect(seeds).toHaveLength(8 + 6 + 6);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31)).toBe(true);
    // and they differ from episode to episode
    expect(new Set(seeds).size).toBe(seeds.length);
  }, 30_000);
});

describe('hosts and records', () => {
  const small = (seeds: number[]) =>
    parseExperiment({ ...JSON.parse(JSON.stringify(exp({}))), seeds, evaluation: { panelGames: 2, roundRobinGames: 0, selfPlayEpisodes: 2, heldOutEpisodes: 0, eloBootstrap: 10 } }) as PhysicsExperiment;

  it('a host without stop checks or gates runs to the end; a finished two-seed run resumes to the same rows', async () => {
    const storage = new MemoryStorage();
    const rows = await runPhysicsExperiment(small([1, 2]), { storage, emit: () => {} });
    expect(rows.map((r) => `${r.seed}/${r.generation}`)).toEqual(['1/0', '1/1', '2/0', '2/1']);
    // each seed's state records its own rows only: the resume checks them
    const again = await runPhysicsExperiment(small([1, 2]), { storage, emit: () => {} }, { resume: true });
    expect(again).toEqual(rows);
  }, 30_000);

  it('rows of a generation whose state was never written are dropped on resume; a second stop keeps the kept rows', async () => {
    const full = await runPhysicsExperiment(small([1]), { storage: new MemoryStorage(), emit: () => {} });
    const storage = new MemoryStorage();
    let checks = 0;
    await runPhysicsExperiment(small([1]), { storage, emit: () => {}, shouldStop: () => ++checks === 4 });
    const kept = await storage.read('metrics.jsonl');
    expect(kept!.trim().split('\n')).toHaveLength(1);
    // resumed and stopped again at its first stop check after generation 0's (loaded) model: the row stays
    let again = 0;
    await runPhysicsExperiment(small([1]), { storage, emit: () => {}, shouldStop: () => ++again === 3 }, { resume: true });
    expect(await storage.read('metrics.jsonl')).toBe(kept);
    // a crash between the rows and the state: the row is there, the state is not
    storage.files.delete('state/s1.json');
    const rows = await runPhysicsExperiment(small([1]), { storage, emit: () => {} }, { resume: true });
    expect(rows).toEqual(full);
  }, 30_000);
});

describe('the random streams and held-out data, against the modules they come from', () => {
  it('D0\'s test split and the held-out games, the data streams, the scripted and round-robin games', async () => {
    const e = parseExperiment({
      ...JSON.parse(JSON.stringify(exp({}))),
      evaluation: { panelGames: 2, roundRobinGames: 2, selfPlayEpisodes: 2, heldOutEpisodes: 2, eloBootstrap: 10 },
      lineages: [
        { name: 'g', recipe: 'grounded', episodes: 4 },
        { name: 'f', recipe: 'fresh-mix', realFraction: 0.5, episodes: 4 },
      ],
    }) as PhysicsExperiment;
    const storage = new MemoryStorage();
    const rows = await runPhysicsExperiment(e, { storage, emit: () => {} });
    const duel = getScenario('duel');
    const O = duel.def.observationSpace.size;
    const A = duel.def.actionSpace.size;
    const q = (ts: Trajectory[]) => loadTrajectories(storeTrajectories(ts), duel.def);
    const load = (p: string) => loadTrajectories(JSON.parse(storage.files.get(p) as string) as StoredTrajectory[], duel.def);
    const model = (p: string) => modelFromJson(storage.files.get(p) as string);
    const d0 = load('samples/s1/d0.json');
    const order = new Rng(1, 'd0-split').shuffle(d0.map((_, i) => i));
    const d0Test = d0.filter((_, i) => order.slice(0, 2).includes(i));
    const heldOut = [...d0Test, ...q(scriptedEpisodes(duel, {}, 2, new Rng(1, 'held-out-real')))];
    const g0 = model('checkpoints/s1/g0.json');
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    const test = policyData(d0Test, duel.def, 0);
    const lp = g0.policy.logProb(test.obs, test.act, test.n);
    const row0 = rows.find((r) => r.lineage === 'g' && r.generation === 0)!;
    expect(row0.realNll).toBe(r6(-Array.from(lp).reduce((a, b) => a + b, 0) / test.n));
    const hw = worldData(heldOut, duel.def);
    expect(row0.worldNll).toBe(r6(worldScores(duel, g0.world, 'learned', hw, balancedOutcomes(hw, O, A)).nll));

    // grounded: generation 0 against itself on the lineage's data stream
    const rg = new Rng(1, 'data', 'g', 1);
    const seeds = Array.from({ length: 4 }, () => rg.nextUint32() & 0x7fffffff);
    const me = policyActor('g0', g0.policy, A, 1);
    const played = playEpisodes(duel, {}, seeds.map((s) => ({ seed: s, actors: [me, me] as [Actor, Actor] })), rg.fork('play'));
    expect(load('samples/s1/g/g1.json').map((t) => t.ep)).toEqual(q(played.map((ep) => ({ ep }) as Trajectory)).map((t) => t.ep));
    // fresh-mix: after the two imagined episodes, two scripted ones on the stream's 'real' fork
    const rf = new Rng(1, 'data', 'f', 1);
    rf.nextUint32();
    rf.nextUint32();
    rf.fork('imagine');
    const real = scriptedEpisodes(duel, {}, 2, rf.fork('real'));
    const f1 = load('samples/s1/f/g1.json');
    expect(f1.slice(2).map((t) => t.ep)).toEqual(q(real).map((t) => t.ep));
    expect(f1.slice(2).map((t) => t.players)).toEqual(real.map((t) => t.players));

    // the games: each scripted pair on its own stream, then generation 1's round robin (both seats)
    const state = await unseal<{ games: { a: string; b: string; score: number }[] }>(storage.files.get('state/s1.json') as string, 'state');
    const scripted = duel.scripted.map((s) => scriptedActor(s, O, A));
    const want: { a: string; b: string; score: number }[] = [];
    for (let i = 0; i < 3; i++)
      for (let j = i + 1; j < 3; j++) {
        const ms = versus(scripted[i], scripted[j], evalSeeds(1, 'panel', 2));
        scores(playEpisodes(duel, {}, ms, new Rng(1, 'scripted-rr', i, j)), ms, scripted[i]).forEach((score) => want.push({ a: scripted[i].id, b: scripted[j].id, score }));
      }
    expect(state.games.slice(0, 6)).toEqual(want);
    const gm = policyActor('g/g1', model('checkpoints/s1/g/g1.json').policy, A, 1);
    const fm = policyActor('f/g1', model('checkpoints/s1/f/g1.json').policy, A, 1);
    const ms = versus(gm, fm, evalSeeds(1, 'round-robin', 2));
    const sc = scores(playEpisodes(duel, {}, ms, new Rng(1, 'round-robin', 'g/g1')), ms, gm);
    expect(state.games.filter((g) => g.a === 'g/g1' && g.b === 'f/g1')).toEqual(sc.map((score) => ({ a: 'g/g1', b: 'f/g1', score })));
    expect(state.games.filter((g) => g.a === 'f/g1' && !g.b.startsWith('scripted:') && g.b !== 'g0')).toEqual([]);
  }, 30_000);
});
