/**
 * Resume byte-identity for every recipe (issue 11): an `accumulate` lineage that did not get its
 * past training sets back after a stop diverged (120 vs 77 samples at generation 3) and no test
 * saw it, because the resume test used `replace` recipes only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { runExperiment } from '../lab/run.ts';
import { MemoryStorage, type LabEvent } from '../lab/host.ts';
import type { MetricsRow } from '../lab/types.ts';

beforeAll(async () => {
  await initTf('wasm');
});

describe('resume: a stopped run of every recipe resumes byte-identically', () => {
  const cfg = (): PhysicsExperiment =>
    parseExperiment({
      name: 'resume-all',
      scenario: 'duel',
      seeds: [5],
      generations: 3,
      d0: { episodes: 24 },
      model: { hidden: [8], components: 1, worldHidden: [8] },
      training: { epochs: 1, batchSize: 64 },
      evaluation: { panelGames: 2, roundRobinGames: 1, selfPlayEpisodes: 2 },
      lineages: [
        { name: 'acc', recipe: 'accumulate', episodes: 4 },
        { name: 'grounded', recipe: 'grounded', episodes: 4 },
        { name: 'recursive', recipe: 'recursive', episodes: 4 },
        { name: 'mix', recipe: 'fresh-mix', episodes: 4, realFraction: 0.5 },
        { name: 'ver', recipe: 'verified', episodes: 4 },
        { name: 'student', recipe: 'distilled', episodes: 4, hidden: [4] },
      ],
    }) as PhysicsExperiment;

  it('stopped after generation 2, in the middle of generation 3', async () => {
    const full = new MemoryStorage();
    const rows = (await runExperiment(cfg(), { storage: full, emit: () => {} })) as MetricsRow[];
    expect(rows).toHaveLength(6 * 4);
    const storage = new MemoryStorage();
    let trained = 0;
    await runExperiment(cfg(), {
      storage,
      emit: (e: LabEvent) => {
        if (e.type === 'progress' && e.phase === 'train' && e.generation === 3) trained++;
      },
      shouldStop: () => trained >= 2,
    });
    expect((await storage.read('metrics.jsonl'))!.trim().split('\n')).toHaveLength(6 * 3);
    await runExperiment(cfg(), { storage, emit: () => {} }, { resume: true });
    expect(await storage.read('metrics.jsonl')).toBe(await full.read('metrics.jsonl'));
    // the accumulate lineage really grows (resume must restore all its past training sets)
    const acc = rows.filter((r) => r.lineage === 'acc').map((r) => r.trainSamples);
    expect(acc[3]).toBeGreaterThan(acc[2]);
    expect(acc[2]).toBeGreaterThan(acc[1]);
  });
});
