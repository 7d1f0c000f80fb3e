/**
 * The generation loop's state, explicit (as gymnax and Brax keep an environment's state): what one
 * seed's run carries from generation to generation, how it is stored and how a resume loads it.
 *
 * - `SeedRecord` (stored, sealed, in `state/s<seed>.json`): the last finished generation, every
 *   rated game, and the content hashes of the seed's files and metrics rows. Written whole, last,
 *   after each finished generation.
 * - `SeedLoop` (in memory): the record's generation and games plus what its files hold — each
 *   lineage's models (`checkpoints/…`) and training sets (`samples/…`) by generation.
 *   `loadSeedLoop` is the one place a resume rebuilds it; the round-robin pool is derived from it.
 *
 * The rows of a generation (`generationRows`) and the seed's final Elo (`withFinalElo`) are pure
 * functions of that state. The step itself (data, training, evaluation) is `stepGeneration` in
 * lab/experiment.ts. Pure here: no DOM, no Node.
 */
import { Rng } from '../sim/rng.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { bootstrapBradleyTerry, fitBradleyTerry } from '../agents/rating.ts';
import { policyActor, type Actor } from './actors.ts';
import type { PhysicsExperiment, ResolvedLineage } from './config.ts';
import { loadTrajectories, provenanceShares, round6, sampleCount, type StoredTrajectory, type Trajectory } from './dataset.ts';
import type { Game, ModelEval } from './evaluate.ts';
import { rowsRecord, seedFiles, type FileHashes, type RowsRecord, type VerifiedStorage } from './run-record.ts';
import type { ScenarioEntry } from './scenarios.ts';
import type { MetricsRow } from './types.ts';

export interface Model {
  id: string;
  policy: Policy;
  world: WorldModel;
}

export function modelJson(m: Model): string {
  return JSON.stringify({ id: m.id, policy: m.policy.toJSON(), world: m.world.toJSON() });
}

export function modelFromJson(text: string): Model {
  const j = JSON.parse(text);
  return { id: j.id, policy: Policy.fromJSON(j.policy), world: WorldModel.fromJSON(j.world) };
}

export function disposeModel(m: Model): void {
  m.policy.dispose();
  m.world.dispose();
}

/** The stored state of one seed (sealed by lab/run-record.ts). */
export interface SeedRecord {
  /** last generation whose rows are written (-1: none) */
  generation: number;
  games: Game[];
  /** content hashes of the seed's checkpoints and samples, and of its metrics rows (lab/run-record.ts) */
  files?: FileHashes;
  rows?: RowsRecord;
}

/**
 * The loop's state of one seed after `generation`: everything the next generation reads. A value:
 * each step returns a new one (the models themselves are shared, and disposed when the seed ends).
 */
export interface SeedLoop {
  readonly seed: number;
  /** the generation this state is after (-1: none yet) */
  readonly generation: number;
  /** every rated game of the seed so far (the Bradley–Terry fit's input) */
  readonly games: Game[];
  /** per lineage, its models by generation (index 0: the shared generation 0) */
  readonly history: ReadonlyMap<string, readonly Model[]>;
  /** per lineage, its training sets by generation (index 0: D0's training split) */
  readonly trainSets: ReadonlyMap<string, readonly Trajectory[][]>;
}

/**
 * The stored form of a finished loop state: its generation and games, and the content hashes of
 * the files holding its models and training sets (`files`) and of the seed's metrics lines.
 */
export async function seedRecord(loop: SeedLoop, files: FileHashes, metricsLines: readonly string[]): Promise<SeedRecord> {
  return { generation: loop.generation, games: loop.games, files, rows: await rowsRecord(metricsLines) };
}

/**
 * The loop state of a seed from its stored record: generation 0 and D0's training split (made or
 * loaded by the caller), then each finished generation's checkpoints and samples. A fresh seed is
 * the record `{ generation: -1, games: [] }`.
 */
export async function loadSeedLoop(
  st: VerifiedStorage,
  entry: ScenarioEntry,
  lineages: readonly ResolvedLineage[],
  seed: number,
  record: SeedRecord,
  g0: Model,
  d0Train: Trajectory[],
): Promise<SeedLoop> {
  const history = new Map<string, Model[]>(lineages.map((l) => [l.name, [g0]]));
  const trainSets = new Map<string, Trajectory[][]>(lineages.map((l) => [l.name, [d0Train]]));
  for (let g = 1; g <= record.generation; g++) {
    for (const l of lineages) {
      history.get(l.name)!.push(modelFromJson((await st.read(seedFiles.ckpt(seed, l.name, g)))!));
      const s = await st.read(seedFiles.samples(seed, l.name, g));
      trainSets.get(l.name)!.push(loadTrajectories(JSON.parse(s!) as StoredTrajectory[], entry.def));
    }
  }
  return { seed, generation: record.generation, games: record.games, history, trainSets };
}

/**
 * The round robin's pool before generation `gen`: the previous generation of every lineage
 * (empty before generation 2: generation 0 is on the panel).
 */
export function poolBefore(loop: SeedLoop, lineages: readonly ResolvedLineage[], gen: number, actSize: number): Actor[] {
  if (gen - 1 < 1) return [];
  return lineages.map((l) => {
    const m = loop.history.get(l.name)![gen - 1];
    return policyActor(m.id, m.policy, actSize, 1);
  });
}

/** Training-set facts of one lineage's generation, for its row. */
export interface TrainingFacts {
  provenance: Record<string, number>;
  samples: number;
}

/** The Bradley–Terry settings of a scenario: its scripted baseline anchored at 1000. */
export function ratingOptions(entry: ScenarioEntry): { anchor: string; anchorRating: number } {
  return { anchor: `scripted:${entry.baseline}`, anchorRating: 1000 };
}

/** The players of `games`, sorted. */
export function ratingPlayers(games: Game[]): string[] {
  return [...new Set(games.flatMap((g) => [g.a, g.b]))].sort();
}

/** The provisional Elo of every model: a fit over the games played so far. */
export function provisionalRatings(entry: ScenarioEntry, games: Game[]): Record<string, number> {
  return fitBradleyTerry(ratingPlayers(games), games, ratingOptions(entry));
}

/**
 * The rows of generation `gen`, one per lineage in order. `training` is each lineage's training
 * facts (generation 0's are D0's training split's).
 */
export function generationRows(
  exp: PhysicsExperiment,
  lineages: readonly ResolvedLineage[],
  loop: SeedLoop,
  gen: number,
  evals: ReadonlyMap<string, ModelEval>,
  ratings: Record<string, number>,
  training: ReadonlyMap<string, TrainingFacts>,
  d0Train: Trajectory[],
  d0Tail: number,
): MetricsRow[] {
  return lineages.map((l) => {
    const m = loop.history.get(l.name)![gen];
    const e = evals.get(m.id)!;
    return {
      kind: 'generation',
      experiment: exp.name,
      scenario: exp.scenario,
      lineage: l.name,
      generation: gen,
      seed: loop.seed,
      // provisional until the seed's last generation: then one fit over the whole run replaces it
      elo: round6(ratings[m.id] ?? 1000),
      eloLow: null,
      eloHigh: null,
      eloProvisional: round6(ratings[m.id] ?? 1000),
      winRate: e.winRate,
      winRateSe: e.winRateSe,
      believedWinRate: e.believedWinRate,
      selfDeception: e.selfDeception,
      selfDeceptionSe: e.selfDeceptionSe,
      worldNll: e.worldNll,
      worldOutcomeAccuracy: e.worldOutcomeAccuracy,
      worldOutcomeBaseline: e.worldOutcomeBaseline,
      worldOutcomeRecall: e.worldOutcomeRecall,
      worldTailCoverage: e.worldTailCoverage,
      realNll: e.realNll,
      entropy: e.entropy,
      actionStd: e.actionStd,
      tailShare: e.tailShare,
      d0TailShare: d0Tail,
      realityGap: e.realityGap,
      outcomeDisagreement: e.outcomeDisagreement,
      w1: e.w1,
      provenance: gen === 0 ? provenanceShares(d0Train) : (training.get(l.name)?.provenance ?? {}),
      trainSamples: gen === 0 ? sampleCount(d0Train) : (training.get(l.name)?.samples ?? 0),
      actionHistogram: e.actionHistogram,
    };
  });
}

/**
 * The seed's last generation is done: one Bradley–Terry fit over every game of the run (so
 * ratings compare across generations) with bootstrap 95% intervals. Returns, for each row of the
 * seed in `rows`, its index and the row with the final Elo.
 */
export function withFinalElo(
  exp: PhysicsExperiment,
  entry: ScenarioEntry,
  seed: number,
  games: Game[],
  rows: readonly MetricsRow[],
): { index: number; row: MetricsRow }[] {
  const players = ratingPlayers(games);
  const opts = ratingOptions(entry);
  const final = fitBradleyTerry(players, games, opts);
  const ci = bootstrapBradleyTerry(players, games, opts, exp.evaluation.eloBootstrap, new Rng(seed, 'elo-bootstrap'));
  const idOf = (r: MetricsRow) => (r.generation === 0 ? 'g0' : `${r.lineage}/g${r.generation}`);
  const out: { index: number; row: MetricsRow }[] = [];
  for (const [index, r] of rows.entries()) {
    if (r.kind !== 'generation' || r.seed !== seed) continue;
    const id = idOf(r);
    out.push({ index, row: { ...r, elo: round6(final[id]), eloLow: round6(ci[id][0]), eloHigh: round6(ci[id][1]) } });
  }
  return out;
}
