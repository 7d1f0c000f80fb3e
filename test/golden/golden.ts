/**
 * Golden results: a few small, fixed runs whose key numbers are checked in (physics.json,
 * calibration.json) and compared by test/golden.test.ts, so a change that is deterministic but
 * wrong still fails a test. The configs are written here, not read from presets/, so a preset
 * change does not move them.
 *
 * Updating them is a deliberate step: `npm run golden:update` rewrites both files from these
 * configs; review the diff (who wins, win rates, Elo order, calibration values) before committing.
 * The physics and calibration goldens are separate files: a change to the physics experiment's
 * science regenerates physics.json and must leave calibration.json untouched.
 */
import { runCalibration, type CalibrationConfig } from '../../lab/calibration.ts';
import { parseExperiment, type PhysicsExperiment } from '../../lab/config.ts';
import { MemoryStorage } from '../../lab/host.ts';
import { runExperiment } from '../../lab/run.ts';
import type { CalibrationRow, MetricsRow } from '../../lab/types.ts';
import { tinyHockeyConfig } from '../tiny.ts';

/** Tiny physics runs: seconds each. */
export const physicsConfigs: Record<string, unknown>[] = [
  {
    name: 'golden-duel',
    scenario: 'duel',
    seeds: [1],
    generations: 2,
    d0: { episodes: 24 },
    model: { hidden: [16], components: 2, worldHidden: [16] },
    training: { epochs: 3, batchSize: 64 },
    evaluation: { panelGames: 8, roundRobinGames: 2, selfPlayEpisodes: 4 },
    lineages: [
      { name: 'grounded', recipe: 'grounded', episodes: 8 },
      { name: 'recursive', recipe: 'recursive', episodes: 8 },
      { name: 'accumulate', recipe: 'accumulate', episodes: 8 },
    ],
  },
  tinyHockeyConfig('golden-hockey', [
    ['grounded', 'grounded'],
    ['verified', 'verified'],
  ]),
  // planning (training.planCandidates): grounded looks ahead in the simulator, recursive in its world model
  {
    ...tinyHockeyConfig('golden-hockey-plan', [
      ['grounded', 'grounded'],
      ['recursive', 'recursive'],
    ]),
    training: { epochs: 2, batchSize: 64, planCandidates: 3, planHorizon: 2 },
  },
];

export const calibrationGoldenConfig: CalibrationConfig = {
  generations: 12,
  seeds: [1, 2, 3, 4],
  sampleSizes: [5, 50],
  fits: ['unbiased', 'mle'],
  retain: ['replace', 'accumulate'],
  categorical: { categories: 8, zipf: 1 },
  families: ['gaussian', 'categorical'],
};

/** 10 significant digits: exact for a deterministic run, readable in a diff. */
export function sig(x: number | null | undefined): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(10));
}

/** The numbers a reader checks, when the rows have them (the science may add or drop metrics). */
const PHYSICS_KEYS = ['winRate', 'believedWinRate', 'selfDeception', 'elo', 'worldNll', 'worldTailCoverage', 'realNll', 'tailShare', 'trainSamples'];

export interface PhysicsGolden {
  name: string;
  /** lineage → generation → key numbers */
  table: Record<string, Record<string, Record<string, number | null>>>;
  /** at the last generation: lineages by real win rate, best first (ties by name) */
  winRateOrder: string[];
  /** at the last generation: lineages by Elo, best first */
  eloOrder: string[];
}

function order(rows: MetricsRow[], key: 'winRate' | 'elo'): string[] {
  return [...rows].sort((a, b) => b[key] - a[key] || a.lineage.localeCompare(b.lineage)).map((r) => r.lineage);
}

export async function physicsGolden(raw: Record<string, unknown>): Promise<PhysicsGolden> {
  const exp = parseExperiment(structuredClone(raw)) as PhysicsExperiment;
  const rows = (await runExperiment(exp, { storage: new MemoryStorage(), emit: () => {} })) as MetricsRow[];
  const table: PhysicsGolden['table'] = {};
  for (const r of rows) {
    const rec = r as unknown as Record<string, unknown>;
    const keep: Record<string, number | null> = {};
    for (const k of PHYSICS_KEYS) if (k in rec) keep[k] = sig(rec[k] as number | null);
    ((table[r.lineage] ??= {})[String(r.generation)] = keep);
  }
  const last = rows.filter((r) => r.generation === exp.generations);
  return { name: exp.name, table, winRateOrder: order(last, 'winRate'), eloOrder: order(last, 'elo') };
}

export interface CalibrationGolden {
  /** lineage → generation → mean over seeds of the measured values, and the theory */
  table: Record<string, Record<string, Record<string, number | null>>>;
}

export function calibrationGolden(cfg: CalibrationConfig = calibrationGoldenConfig): CalibrationGolden {
  const rows: CalibrationRow[] = runCalibration(cfg);
  const table: CalibrationGolden['table'] = {};
  const gens = [0, 1, Math.floor(cfg.generations / 2), cfg.generations];
  const lineages = [...new Set(rows.map((r) => r.lineage))];
  const mean = (xs: (number | undefined)[]) => {
    const v = xs.filter((x): x is number => typeof x === 'number');
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  for (const l of lineages) {
    for (const g of gens) {
      const at = rows.filter((r) => r.lineage === l && r.generation === g);
      const entry: Record<string, number | null> = {
        distance: sig(mean(at.map((r) => r.distance))),
      };
      if (at[0].variance !== undefined) {
        entry.variance = sig(mean(at.map((r) => r.variance)));
        entry.theoryVariance = sig(at[0].theoryVariance);
        entry.theoryGeoMeanVariance = sig(at[0].theoryGeoMeanVariance);
      }
      if (at[0].support !== undefined) {
        entry.support = sig(mean(at.map((r) => r.support)));
        entry.theorySupport = sig(at[0].theorySupport);
      }
      (table[l] ??= {})[String(g)] = entry;
    }
  }
  return { table };
}
