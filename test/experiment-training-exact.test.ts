/**
 * lab/experiment.ts's training settings reach the learners: runs stopped right after generation 0
 * (or generation 1) is trained, compared setting by setting. A setting of the policy's training
 * changes generation 0's policy and leaves its world model as it was, and the other way round.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { runPhysicsExperiment } from '../lab/experiment.ts';
import { MemoryStorage } from '../lab/host.ts';
import { seal, unseal } from '../lab/run-record.ts';

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
    // the same settings give the same models
    expect(await trained(exp({}))).toEqual(base);
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
