import { beforeAll, describe, expect, it } from 'vitest';
import { initTf, tf } from '../agents/tf.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { runExperiment } from '../lab/run.ts';
import { MemoryStorage, type LabEvent } from '../lab/host.ts';
import { getScenario } from '../lab/scenarios.ts';
import { progressUnits, scriptedEpisodes } from '../lab/experiment.ts';
import { loadTrajectories, policyData, storeTrajectories, worldData, seatOutcome } from '../lab/dataset.ts';
import { replayInSim } from '../lab/rollout.ts';
import { Rng } from '../sim/rng.ts';
import type { MetricsRow } from '../lab/types.ts';

beforeAll(async () => {
  await initTf('wasm');
});

/** A fluent harness: a tiny experiment in one line, run in memory. */
class TestLab {
  private cfg: Record<string, unknown> = {
    name: 'test',
    scenario: 'duel',
    seeds: [5],
    generations: 2,
    d0: { episodes: 24 },
    model: { hidden: [16], components: 2, worldHidden: [16] },
    training: { epochs: 2, batchSize: 64 },
    evaluation: { panelGames: 2, roundRobinGames: 2, selfPlayEpisodes: 4 },
    lineages: [] as unknown[],
  };
  static duel() {
    return new TestLab();
  }
  lineage(name: string, recipe: string, extra: Record<string, unknown> = {}) {
    (this.cfg.lineages as unknown[]).push({ name, recipe, episodes: 8, ...extra });
    return this;
  }
  generations(n: number) {
    this.cfg.generations = n;
    return this;
  }
  training(extra: Record<string, unknown>) {
    this.cfg.training = { ...(this.cfg.training as object), ...extra };
    return this;
  }
  experiment(): PhysicsExperiment {
    return parseExperiment(structuredClone(this.cfg)) as PhysicsExperiment;
  }
  async run() {
    const storage = new MemoryStorage();
    const events: LabEvent[] = [];
    const rows = (await runExperiment(this.experiment(), { storage, emit: (e) => events.push(e) })) as MetricsRow[];
    return { rows, storage, events };
  }
}

describe('datasets', () => {
  const entry = getScenario('duel');
  const trajs = scriptedEpisodes(entry, {}, 6, new Rng(1));

  it('store/load is exact for float32 data and keeps provenance', () => {
    const back = loadTrajectories(storeTrajectories(trajs), entry.def);
    const again = loadTrajectories(storeTrajectories(back), entry.def);
    expect(again).toEqual(back);
    expect(back[0].players).toEqual(trajs[0].players);
    expect(back[0].ep.actions.length).toBe(trajs[0].ep.actions.length);
    expect(back[0].ep.obs[1][0][3]).toBeCloseTo(trajs[0].ep.obs[1][0][3], 5);
  });

  it('policy samples are the active players, weighted by advantage (winners above losers)', () => {
    const d = policyData(trajs, entry.def, 1);
    const active = trajs.reduce((n, t) => n + t.ep.active.reduce((m, a) => m + Number(a[0]) + Number(a[1]), 0), 0);
    expect(d.n).toBe(active);
    // mean weight of the winners' samples against the losers'
    const sum = { won: 0, lost: 0 };
    const count = { won: 0, lost: 0 };
    let k = 0;
    for (const t of trajs) {
      for (const a of t.ep.active) {
        for (const seat of [0, 1] as const) {
          if (!a[seat]) continue;
          const o = seatOutcome(t.ep, seat);
          if (o !== 0) {
            const key = o > 0 ? 'won' : 'lost';
            sum[key] += d.weight[k];
            count[key]++;
          }
          k++;
        }
      }
    }
    expect(count.won).toBeGreaterThan(0);
    expect(sum.won / count.won).toBeGreaterThan(sum.lost / count.lost);
    expect(new Set(policyData(trajs, entry.def, 0).weight)).toEqual(new Set([1]));
    const t = trajs.find((x) => x.ep.winner !== -1)!;
    expect(seatOutcome(t.ep, t.ep.winner as 0 | 1)).toBe(1);
  });

  it('world samples come from both seats, mirrored, with the winner seen from each seat', () => {
    const one = trajs.filter((t) => t.ep.terminated).slice(0, 1);
    const d = worldData(one, entry.def);
    const T = one[0].ep.actions.length;
    expect(d.n).toBe(2 * T);
    const O = entry.def.observationSpace.size;
    // the seat-1 sample of a step is the seat-0 sample mirrored
    const o0 = Array.from(d.obs.subarray(0, O));
    const o1 = Array.from(d.obs.subarray(O, 2 * O));
    expect(entry.def.mirrorObservation(o0).map((v) => Math.fround(v))).toEqual(o1);
    // the seat that won sees class 1 (I win), the other seat class 2 (the opponent wins)
    const last = [d.outcome[2 * T - 2], d.outcome[2 * T - 1]];
    expect(one[0].ep.winner).not.toBe(-1);
    expect(last).toEqual(one[0].ep.winner === 0 ? [1, 2] : [2, 1]);
  });

  it('replaying recorded actions in the simulator reproduces the real episode', () => {
    const t = trajs[0];
    const r = replayInSim(entry, {}, t.ep);
    expect(r.winner).toBe(t.ep.winner);
    expect(r.obs[r.obs.length - 1][0][0]).toBeCloseTo(t.ep.obs[t.ep.obs.length - 1][0][0], 5);
  });
});

describe('the generation loop', () => {
  it('generation 0 is shared, rows arrive per generation, and runs are deterministic', async () => {
    const lab = TestLab.duel().lineage('grounded', 'grounded').lineage('recursive', 'recursive');
    const a = await lab.run();
    const b = await lab.run();
    expect(a.rows).toHaveLength(2 * 3);
    expect(await a.storage.read('metrics.jsonl')).toBe(await b.storage.read('metrics.jsonl'));
    const g0 = a.rows.filter((r) => r.generation === 0);
    const strip = ({ lineage, ...rest }: MetricsRow) => (void lineage, rest);
    expect(strip(g0[0])).toEqual(strip(g0[1]));
    // 6 rows as generations finish, then the same 6 again with the final Elo (one fit over the run)
    const rowEvents = a.events.filter((e) => e.type === 'row');
    expect(rowEvents.filter((e) => !e.final)).toHaveLength(6);
    expect(rowEvents.filter((e) => e.final).map((e) => e.row)).toEqual(a.rows);
    for (const r of a.rows) if (r.kind === 'generation') expect(r.eloLow! <= r.elo && r.elo <= r.eloHigh!).toBe(true);
    for (const r of a.rows) {
      for (const k of ['elo', 'winRate', 'realNll', 'entropy', 'actionStd', 'tailShare', 'w1'] as const) expect(Number.isFinite(r[k])).toBe(true);
      expect(r.winRate).toBeGreaterThanOrEqual(0);
      expect(r.winRate).toBeLessThanOrEqual(1);
    }
  });

  it('each recipe builds its training set from the promised sources', async () => {
    const { rows, storage } = await TestLab.duel()
      .lineage('acc', 'accumulate')
      .lineage('mix', 'fresh-mix', { realFraction: 0.5 })
      .lineage('ver', 'verified')
      .lineage('fil', 'recursive', { verify: 'filter' })
      .lineage('sim', 'grounded', { window: 1 })
      .run();
    const at = (l: string, g: number) => rows.find((r) => r.lineage === l && r.generation === g)!;
    expect(Object.keys(at('acc', 2).provenance)).toEqual(['imagined:acc/g1', 'imagined:g0', 'sim:scripted']);
    expect(at('acc', 2).trainSamples).toBeGreaterThan(at('acc', 1).trainSamples);
    expect(Object.keys(at('mix', 1).provenance)).toEqual(['imagined:g0', 'sim:scripted']);
    expect(Object.keys(at('sim', 2).provenance).sort()).toEqual(['sim:g0', 'sim:sim/g1']);
    // relabel keeps the imagined play but takes the outcome from reality
    const verEntry = getScenario('duel');
    const ver = loadTrajectories(JSON.parse((await storage.read('samples/s5/ver/g1.json'))!), verEntry.def);
    expect(ver.length).toBe(8);
    for (const t of ver) {
      expect(t.judgedBy).toBe('sim-replay');
      const real = replayInSim(verEntry, {}, t.ep);
      expect(t.ep.winner).toBe(real.terminated ? real.winner : -1);
    }
    // the filter drops imagined episodes whose outcome reality contradicts (what it keeps: next test)
    const entry = getScenario('duel');
    const kept = loadTrajectories(JSON.parse((await storage.read('samples/s5/fil/g1.json'))!), entry.def);
    expect(kept.every((t) => t.source === 'imagined' && t.judgedBy === 'sim-replay')).toBe(true);
    for (const t of kept) expect(replayInSim(entry, {}, t.ep).winner).toBe(t.ep.winner);
  });

  it('the filter keeps exactly the imagined episodes whose outcome reality confirms', async () => {
    // short hockey games: many end in a draw both in the dream and in reality, so some are kept
    const exp = parseExperiment({
      name: 'filter',
      scenario: 'hockey',
      scenarioParams: { maxSteps: 12 },
      seeds: [5],
      generations: 1,
      d0: { episodes: 16 },
      model: { hidden: [8], components: 1, worldHidden: [8] },
      // enough epochs for the world model to learn that a game mostly goes on
      training: { epochs: 20, batchSize: 64 },
      evaluation: { panelGames: 2, roundRobinGames: 0, selfPlayEpisodes: 2 },
      lineages: [{ name: 'fil', recipe: 'recursive', verify: 'filter', episodes: 16 }],
    }) as PhysicsExperiment;
    const storage = new MemoryStorage();
    await runExperiment(exp, { storage, emit: () => {} });
    const entry = getScenario('hockey');
    const kept = loadTrajectories(JSON.parse((await storage.read('samples/s5/fil/g1.json'))!), entry.def);
    expect(kept.length).toBeGreaterThan(0); // a loop over nothing would check nothing
    for (const t of kept) {
      expect(t.source).toBe('imagined');
      expect(t.judgedBy).toBe('sim-replay');
      expect(replayInSim(entry, { maxSteps: 12 }, t.ep).winner).toBe(t.ep.winner);
    }
  });

  it('a distilled student learns from its teacher\'s previous generation, with a smaller model', async () => {
    // the student is listed first: its data must still come from the teacher's previous generation
    const { rows, storage } = await TestLab.duel().lineage('student', 'distilled', { teacher: 'grounded', hidden: [8] }).lineage('grounded', 'grounded').generations(3).run();
    const at = (l: string, g: number) => rows.find((r) => r.lineage === l && r.generation === g)!;
    expect(Object.keys(at('student', 1).provenance)).toEqual(['sim:g0']);
    expect(Object.keys(at('student', 3).provenance)).toEqual(['sim:grounded/g2']);
    const ckpt = JSON.parse((await storage.read('checkpoints/s5/student/g2.json'))!);
    expect(ckpt.policy.config.hidden).toEqual([8]);
    expect(ckpt.world.config.hidden).toEqual([8]);
    const teacher = JSON.parse((await storage.read('checkpoints/s5/grounded/g2.json'))!);
    expect(teacher.policy.config.hidden).toEqual([16]);
  });

  it('adds human games to the lineage they were given to, with human provenance', async () => {
    const entry = getScenario('duel');
    const human = scriptedEpisodes(entry, {}, 3, new Rng(11)).map((t) => ({ ep: t.ep, players: ['human', 'recursive/g1'] as [string, string] }));
    const lab = TestLab.duel().lineage('grounded', 'grounded').lineage('recursive', 'recursive');
    const storage = new MemoryStorage();
    let progressEvents = 0;
    const exp = lab.experiment();
    const rows = (await runExperiment(exp, {
      storage,
      emit: (e) => void (e.type === 'progress' && progressEvents++),
      humanGames: (lineage, generation) => (lineage === 'recursive' && generation === 2 ? human : []),
    })) as MetricsRow[];
    // the CLI's progress bar counts exactly the events the loop emits
    expect(progressEvents).toBe(progressUnits(exp.seeds.length, exp.generations, 2));
    const at = (l: string, g: number) => rows.find((r) => r.lineage === l && r.generation === g)!;
    expect(at('recursive', 2).provenance['human:human']).toBeGreaterThan(0);
    expect(at('recursive', 1).provenance['human:human']).toBeUndefined();
    expect(at('grounded', 2).provenance['human:human']).toBeUndefined();
    const stored = loadTrajectories(JSON.parse((await storage.read('samples/s5/recursive/g2.json'))!), entry.def);
    expect(stored.filter((t) => t.source === 'human')).toHaveLength(3);
  });

  it('a stop in the middle of a generation resumes to the same metrics', async () => {
    const lab = TestLab.duel().lineage('grounded', 'grounded').lineage('recursive', 'recursive');
    const full = await lab.run();
    const storage = new MemoryStorage();
    let trained = 0;
    const host = {
      storage,
      emit: (e: LabEvent) => {
        if (e.type === 'progress' && e.phase === 'train' && e.generation === 2) trained++;
      },
      // stop once generation 2 has trained its first lineage
      shouldStop: () => trained >= 1,
    };
    const tensorsBefore = tf.memory().numTensors;
    await runExperiment(lab.experiment(), host);
    expect(tf.memory().numTensors).toBe(tensorsBefore); // a stopped run frees its models too
    const partial = (await storage.read('metrics.jsonl'))!;
    expect(partial.trim().split('\n')).toHaveLength(4);
    await runExperiment(lab.experiment(), { storage, emit: () => {} }, { resume: true });
    expect(await storage.read('metrics.jsonl')).toBe(await full.storage.read('metrics.jsonl'));
  });

  it('keeps no tensors alive across generations', async () => {
    const lab = TestLab.duel().lineage('grounded', 'grounded').lineage('recursive', 'recursive');
    await lab.run(); // warm-up: backend kernels and caches
    const before = tf.memory().numTensors;
    await lab.generations(3).run();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('where a generation\'s world model starts (training.worldStart)', () => {
  it('base and predecessor coincide at generation 1 (both start from generation 0) and part at generation 2; fresh differs from the start', async () => {
    const run = async (worldStart: string) =>
      (await TestLab.duel().lineage('recursive', 'recursive').generations(2).training({ worldStart }).run()).rows.filter((r) => r.lineage === 'recursive');
    const [pred, base, fresh] = await Promise.all([run('predecessor'), run('base'), run('fresh')]);
    const at = (rows: MetricsRow[], g: number) => rows.find((r) => r.generation === g)!;
    const keys = ['winRate', 'believedWinRate', 'worldNll', 'worldOutcomeAccuracy', 'realNll', 'realityGap'] as const;
    for (const k of keys) expect(at(base, 1)[k]).toBe(at(pred, 1)[k]);
    expect(at(fresh, 1).worldNll).not.toBe(at(pred, 1).worldNll);
    expect(at(base, 2).worldNll).not.toBe(at(pred, 2).worldNll);
    // generation 0 is shared whatever the setting (its final Elo comes from one fit over the whole run, so it may differ)
    for (const k of keys) expect(at(fresh, 0)[k]).toBe(at(pred, 0)[k]);
  });

  it('is checked by the schema', () => {
    expect(() => parseExperiment({ name: 'x', scenario: 'duel', seeds: [1], generations: 1, lineages: [{ name: 'r', recipe: 'recursive' }], training: { worldStart: 'scratch' } })).toThrow(/worldStart/);
  });
});
