import { Rng } from '../sim/rng.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { policyActor, scriptedActor, type Actor } from './actors.ts';
import { resolveLineages, type PhysicsExperiment, type Recipe, type ResolvedLineage } from './config.ts';
import {
  loadTrajectories,
  policyData,
  provenanceShares,
  round6,
  sampleCount,
  storeTrajectories,
  worldData,
  type StoredTrajectory,
  type Trajectory,
} from './dataset.ts';
import { evalSeeds, evaluateModel, obsActionPairs, scores, tailShare, versus, type EvalContext, type ModelEval } from './evaluate.ts';
import type { LabHost } from './host.ts';
import { imagineEpisodes } from './imagine.ts';
import { balancedOutcomes } from './world.ts';
import { playEpisodes, replayInSim, type Matchup } from './rollout.ts';
import { PLAN_HORIZON, type Planner } from './plan.ts';
import { getScenario, type ScenarioEntry } from './scenarios.ts';
import type { MetricsRow } from './types.ts';
import { checkRows, checkStateGeneration, metricsLines, seal, seedFiles, seedFolders, seedLines, unseal, VerifiedStorage } from './run-record.ts';
import {
  disposeModel,
  generationRows,
  loadSeedLoop,
  modelFromJson,
  modelJson,
  poolBefore,
  provisionalRatings,
  seedRecord,
  withFinalElo,
  type Model,
  type SeedLoop,
  type SeedRecord,
  type TrainingFacts,
} from './loop-state.ts';
import { minOf, pushAll } from '../sim/arrays.ts';

export const METRICS = 'metrics.jsonl';

/** Round-trip through float32 storage so a resumed run sees exactly the data a fresh run saw. */
function quantize(trajs: Trajectory[], entry: ScenarioEntry): Trajectory[] {
  return loadTrajectories(storeTrajectories(trajs), entry.def);
}

function scriptedPopulation(entry: ScenarioEntry): Actor[] {
  const O = entry.def.observationSpace.size;
  const A = entry.def.actionSpace.size;
  return entry.scripted.map((s) => scriptedActor(s, O, A));
}

/** Real play by the scripted population: seat styles drawn by their weights. */
export function scriptedEpisodes(entry: ScenarioEntry, params: Record<string, number>, n: number, rng: Rng): Trajectory[] {
  const actors = scriptedPopulation(entry);
  const weights = entry.scripted.map((s) => s.weight);
  const matchups: Matchup[] = [];
  for (let k = 0; k < n; k++) {
    const a = actors[rng.categorical(weights)];
    const b = actors[rng.categorical(weights)];
    matchups.push({ seed: rng.nextUint32() & 0x7fffffff, actors: [a, b] });
  }
  const eps = playEpisodes(entry, params, matchups, rng.fork('play'));
  return eps.map((ep, i) => ({
    ep,
    source: 'sim',
    players: [matchups[i].actors[0].id, matchups[i].actors[1].id],
    lineage: null,
    generation: 0,
    seed: 0,
    judgedBy: 'sim',
  }));
}

/** Epochs for n samples: the configured epochs, fewer when maxUpdates caps the minibatch updates. */
export function epochsFor(t: PhysicsExperiment['training'], n: number): number {
  if (!t.maxUpdates) return t.epochs;
  const perEpoch = Math.ceil(n / t.batchSize);
  return Math.max(1, Math.min(t.epochs, Math.floor(t.maxUpdates / perEpoch)));
}

function trainModel(
  exp: PhysicsExperiment,
  entry: ScenarioEntry,
  id: string,
  data: Trajectory[],
  prev: Model | null,
  rng: Rng,
  /** a lineage's own model size (a distilled student); null: the experiment's */
  hidden: number[] | null = null,
  /** generation 0, the start of every world model when training.worldStart is 'base' */
  base: Model | null = null,
): Model {
  const O = entry.def.observationSpace.size;
  const A = entry.def.actionSpace.size;
  const t = exp.training;
  const policyHidden = hidden ?? exp.model.hidden;
  const worldHidden = hidden ?? exp.model.worldHidden;
  // warm start only from a predecessor of the same shape (a student's first generation starts fresh)
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const policy =
    prev && t.warmStart && same(prev.policy.config.hidden, policyHidden)
      ? prev.policy.clone()
      : Policy.create({ obsSize: O, actSize: A, hidden: policyHidden, components: exp.model.components }, rng.fork('policy-init'));
  const worldFrom = !prev || !t.warmStart || t.worldStart === 'fresh' ? null : t.worldStart === 'base' ? (base ?? prev) : prev;
  const world =
    worldFrom && same(worldFrom.world.config.hidden, worldHidden)
      ? worldFrom.world.clone()
      : WorldModel.create({ obsSize: O, actSize: A, hidden: worldHidden, minStd: exp.model.worldMinStd }, rng.fork('world-init'));
  // generation 0 (trained once on D0, shared by every lineage) always gets its full epochs
  const opts = (n: number) => ({ epochs: prev ? epochsFor(t, n) : t.epochs, batchSize: t.batchSize, lr: t.lr });
  // A verifier may reject every imagined trajectory: with nothing to learn from, the
  // generation is its predecessor unchanged (or the fresh initialisation).
  const pd = policyData(data, entry.def, t.outcomeWeight);
  if (pd.n > 0) policy.fit(pd, opts(pd.n), rng.fork('policy-fit'));
  const wd = worldData(data, entry.def);
  // generation 0's world model gets its own, longer training (and its own final learning rate):
  // it must know reality before recursion starts
  const worldEpochs = prev ? opts(wd.n).epochs : t.worldG0Epochs;
  if (wd.n > 0) world.fit(wd, { ...opts(wd.n), epochs: worldEpochs, lr: t.worldLr, lrFinal: prev ? t.worldLrFinal : (t.worldG0LrFinal ?? t.worldLrFinal), nllBeta: t.worldNllBeta, outcomeLossWeight: t.worldOutcomeWeight, ...(t.worldOutcomeClasses === 'balanced' ? { outcomeClassWeights: 'balanced' as const } : {}) }, rng.fork('world-fit'));
  return { id, policy, world };
}

/** Make generation n+1's training set from lineage model M_n, per the recipe. */
function makeData(
  exp: PhysicsExperiment,
  entry: ScenarioEntry,
  lineage: ResolvedLineage,
  history: Model[],
  gen: number,
  seed: number,
): Trajectory[] {
  const r: Recipe = lineage.recipe;
  const params = exp.scenarioParams;
  const rng = new Rng(seed, 'data', lineage.name, gen);
  const A = entry.def.actionSpace.size;
  const current = history[history.length - 1];
  const nReal = Math.round(r.realFraction * r.episodes);
  const nSynth = r.episodes - nReal;
  const out: Trajectory[] = [];
  const seeds = Array.from({ length: nSynth }, () => rng.nextUint32() & 0x7fffffff);
  const me = policyActor(current.id, current.policy, A, r.temperature);
  const K = exp.training.planCandidates ?? 1;
  const planner: Planner | null = K > 1 ? { actor: me, candidates: K, horizon: exp.training.planHorizon ?? PLAN_HORIZON } : null;
  if (r.source === 'simulator') {
    const recent = history.slice(Math.max(0, history.length - 1 - r.window));
    const opponents = recent.map((m) => (m === current ? me : policyActor(m.id, m.policy, A, r.temperature))).reverse();
    const matchups: Matchup[] = seeds.map((s, k) => {
      const opp = opponents[k % opponents.length];
      return { seed: s, actors: k % 2 === 0 ? [me, opp] : [opp, me] };
    });
    const eps = playEpisodes(entry, params, matchups, rng.fork('play'), undefined, planner);
    eps.forEach((ep, i) =>
      out.push({ ep, source: 'sim', players: [matchups[i].actors[0].id, matchups[i].actors[1].id], lineage: lineage.name, generation: gen, seed, judgedBy: 'sim' }),
    );
  } else {
    const matchups: Matchup[] = seeds.map((s) => ({ seed: s, actors: [me, me] }));
    const eps = imagineEpisodes(entry, current.world, matchups, rng.fork('imagine'), { params, temperature: r.temperature, outcome: exp.model.outcome, planner });
    const sc = r.verify === 'none' ? null : entry.def.create(params);
    for (const ep of eps) {
      const base = { source: 'imagined' as const, players: [me.id, me.id] as [string, string], lineage: lineage.name, generation: gen, seed };
      if (!sc) {
        out.push({ ep, ...base, judgedBy: 'world-model' });
        continue;
      }
      // Replay the imagined actions in the simulator; reality judges the outcome.
      const real = replayInSim(entry, params, ep, sc);
      if (r.verify === 'filter') {
        if (real.winner === ep.winner) out.push({ ep, ...base, judgedBy: 'sim-replay' });
      } else out.push({ ep: relabel(ep, real), ...base, judgedBy: 'sim-replay' });
    }
  }
  if (nReal > 0) {
    for (const t of scriptedEpisodes(entry, params, nReal, rng.fork('real'))) out.push({ ...t, lineage: lineage.name, generation: gen, seed });
  }
  return quantize(out, entry);
}

/**
 * The imagined episode with reality's outcome: who won (and whether the game ended) comes from
 * the replay; observations and actions stay as imagined. If reality ended the game earlier,
 * the episode is cut there.
 */
export function relabel(imagined: Trajectory['ep'], real: Trajectory['ep']): Trajectory['ep'] {
  const T = real.terminated ? real.actions.length : imagined.actions.length;
  return {
    ...imagined,
    obs: imagined.obs.slice(0, T + 1),
    actions: imagined.actions.slice(0, T),
    active: imagined.active.slice(0, T),
    events: imagined.events.slice(0, T),
    winner: real.terminated ? real.winner : -1,
    terminated: real.terminated,
    truncated: !real.terminated,
  };
}

/**
 * How many progress events a fresh run emits (the CLI's progress bar counts them): per seed, D0's
 * data, generation 0's training, evaluation and rating; per generation, each lineage's data,
 * training and evaluation, and one rating.
 */
export function progressUnits(seeds: number, generations: number, lineages: number): number {
  return lineages ? seeds * (4 + generations * (3 * lineages + 1)) : 0;
}

export interface RunOptions {
  resume?: boolean;
}

/**
 * The generation loop (DESIGN.md §1), generation-major so every lineage advances together:
 * D0 → generation 0 (shared) → for n = 1..G, each lineage makes its data from M_{n-1} per its
 * recipe, trains M_n with the same learner, and every M_n is judged in the simulator.
 * Elo is the Bradley–Terry fit over all games played so far in this seed (an incremental
 * round robin: each new checkpoint plays the reference panel and every earlier checkpoint).
 *
 * Per seed, the loop's state is one value (SeedLoop, lab/loop-state.ts): loaded from the seed's
 * record on resume, advanced by `stepGeneration`, recorded whole by `finishGeneration`.
 */
export async function runPhysicsExperiment(exp: PhysicsExperiment, host: LabHost, opts: RunOptions = {}): Promise<MetricsRow[]> {
  const entry = getScenario(exp.scenario);
  const lineages = resolveLineages(exp);
  entry.def.create(exp.scenarioParams); // validates the parameters before anything is written
  // every file read is checked against the hash recorded when it was written
  const st = new VerifiedStorage(host.storage);
  const allRows: MetricsRow[] = [];

  // On resume: keep the rows of finished generations only (a crash may have left a partial one,
  // or a torn last line); the records say what a finished generation left behind.
  const records = new Map<number, SeedRecord>();
  if (opts.resume) {
    for (const seed of exp.seeds) {
      const s = await st.read(seedFiles.state(seed));
      if (!s) continue;
      const record = await unseal<SeedRecord>(s, seedFiles.state(seed));
      checkStateGeneration(record, exp.generations, seedFiles.state(seed));
      st.know(record.files);
      records.set(seed, record);
    }
    const { lines, rows } = metricsLines((await st.read(METRICS)) ?? '');
    const keepLines = lines.filter((_, i) => (records.get((rows[i] as MetricsRow).seed)?.generation ?? -1) >= (rows[i] as MetricsRow).generation);
    const keep = keepLines.map((l) => JSON.parse(l) as MetricsRow);
    for (const [seed, record] of records) await checkRows(seedLines(keepLines, keep, seed), record.rows, seed);
    await st.write(METRICS, keepLines.map((l) => l + '\n').join(''));
    pushAll(allRows, keep);
  } else {
    await st.write(METRICS, '');
  }
  host.emit({
    type: 'start',
    experiment: exp.name,
    scenario: exp.scenario,
    lineages: lineages.map((l) => l.name),
    generations: exp.generations,
    seeds: exp.seeds,
    resumedFrom: opts.resume ? minOf(exp.seeds.map((s) => records.get(s)?.generation ?? -1)) : undefined,
  });

  for (const seed of exp.seeds) {
    const record: SeedRecord = records.get(seed) ?? { generation: -1, games: [] };
    if (record.generation >= exp.generations) continue;
    const finished = await runSeed({ exp, entry, lineages, seed, st, host, rows: allRows }, record);
    if (!finished) return allRows;
  }
  host.emit({ type: 'done', rows: allRows.length });
  return allRows;
}

/** What one seed's run works with; `rows` is the whole run's rows so far, in metrics.jsonl order. */
interface SeedRun {
  exp: PhysicsExperiment;
  entry: ScenarioEntry;
  lineages: ResolvedLineage[];
  seed: number;
  st: VerifiedStorage;
  host: LabHost;
  rows: MetricsRow[];
}

/** The seed's fixed data, made once (or loaded) before its first generation. */
interface SeedData {
  d0Train: Trajectory[];
  /** D0's share of rare-style play */
  d0Tail: number;
  ctx: EvalContext;
}

const stopRequested = (run: SeedRun): boolean => run.host.shouldStop?.() ?? false;

function progress(run: SeedRun, lineage: string, generation: number, phase: 'data' | 'train' | 'evaluate' | 'rate'): void {
  run.host.emit({ type: 'progress', seed: run.seed, lineage, generation, phase, done: 0, total: 1 });
}

/**
 * One seed from its record to its last generation. Every unit of work starts with a gate (the CLI
 * yields to its event loop there, so Ctrl-C is seen) and a stop check; a stop before a
 * generation's record is written leaves it for --resume. Returns false when stopped.
 */
async function runSeed(run: SeedRun, record: SeedRecord): Promise<boolean> {
  const { exp, entry, seed, st, host } = run;
  await host.gate?.();
  if (stopRequested(run)) return false;
  const prepared = await prepareSeed(run, record);
  if (!prepared) return false;
  const { data, g0 } = prepared;
  let loop = await loadSeedLoop(st, entry, run.lineages, seed, record, g0, data.d0Train);
  if (loop.generation < 0) loop = await generationZero(run, data, loop, g0);
  let stopped = false;
  for (let gen = loop.generation + 1; gen <= exp.generations; gen++) {
    if ((stopped = stopRequested(run))) break;
    const step = await stepGeneration(run, data, loop, gen);
    if ((stopped = step === null)) break;
    loop = await finishGeneration(run, data, step.loop, step.evals, step.training);
  }
  for (const models of loop.history.values()) for (const m of models.slice(1)) disposeModel(m);
  disposeModel(g0);
  return !stopped;
}

/**
 * D0 (real play by the scripted population, split by episode into train and test), the held-out
 * real games and generation 0: made and stored on a fresh seed, loaded on resume. Null when stopped.
 */
async function prepareSeed(run: SeedRun, record: SeedRecord): Promise<{ data: SeedData; g0: Model } | null> {
  const { exp, entry, seed, st, host } = run;
  const params = exp.scenarioParams;
  const O = entry.def.observationSpace.size;
  const A = entry.def.actionSpace.size;
  progress(run, 'd0', 0, 'data');
  let d0: Trajectory[];
  const storedD0 = record.generation >= 0 ? await st.read(seedFiles.d0(seed)) : null;
  if (storedD0) d0 = loadTrajectories(JSON.parse(storedD0) as StoredTrajectory[], entry.def);
  else {
    d0 = quantize(
      scriptedEpisodes(entry, params, exp.d0.episodes, new Rng(seed, 'd0')).map((t) => ({ ...t, seed })),
      entry,
    );
    await st.write(seedFiles.d0(seed), JSON.stringify(storeTrajectories(d0)));
  }
  const order = new Rng(seed, 'd0-split').shuffle(d0.map((_, i) => i));
  const nTest = Math.max(1, Math.round(exp.d0.testFraction * d0.length));
  const testSet = new Set(order.slice(0, nTest));
  const d0Train = d0.filter((_, i) => !testSet.has(i));
  const d0Test = d0.filter((_, i) => testSet.has(i));
  const d0TestData = policyData(d0Test, entry.def, 0);
  const d0Pairs = obsActionPairs(d0Train.map((t) => t.ep));
  const d0Tail = round6(tailShare(entry, d0.map((t) => t.ep)));
  // The fixed held-out real games every generation's world model is judged on: D0's test split
  // and fresh play by the scripted population (never trained on), regenerated identically on resume.
  const heldOut: Trajectory[] = [
    ...d0Test,
    ...quantize(scriptedEpisodes(entry, params, exp.evaluation.heldOutEpisodes, new Rng(seed, 'held-out-real')), entry),
  ];
  const heldOutWorld = worldData(heldOut, entry.def);

  // Generation 0, shared by every lineage of this seed.
  let g0: Model;
  const storedG0 = record.generation >= 0 ? await st.read(seedFiles.g0(seed)) : null;
  if (storedG0) g0 = modelFromJson(storedG0);
  else {
    progress(run, 'g0', 0, 'train');
    await host.gate?.();
    if (stopRequested(run)) return null;
    g0 = trainModel(exp, entry, 'g0', d0Train, null, new Rng(seed, 'train', 'g0'));
    await st.write(seedFiles.g0(seed), modelJson(g0));
  }
  await host.gate?.();
  if (stopRequested(run)) {
    disposeModel(g0);
    return null;
  }
  const ctx: EvalContext = {
    entry,
    params,
    seed,
    panel: [...scriptedPopulation(entry), policyActor('g0', g0.policy, A, 1)],
    panelGames: exp.evaluation.panelGames,
    selfPlayEpisodes: exp.evaluation.selfPlayEpisodes,
    d0Test: d0TestData,
    d0Pairs,
    heldOut: { eps: heldOut.map((t) => t.ep), world: heldOutWorld, decisive: balancedOutcomes(heldOutWorld, O, A) },
    outcome: exp.model.outcome,
  };
  return { data: { d0Train, d0Tail, ctx }, g0 };
}

/**
 * Generation 0 (the loop state of a fresh seed → its state after generation 0): the scripted
 * reference players against each other, then generation 0 against the panel; rows and record written.
 */
async function generationZero(run: SeedRun, data: SeedData, loop: SeedLoop, g0: Model): Promise<SeedLoop> {
  const { exp, entry, seed } = run;
  const games = [...loop.games];
  const scripted = scriptedPopulation(entry);
  const seeds = evalSeeds(seed, 'panel', exp.evaluation.panelGames);
  for (let i = 0; i < scripted.length; i++) {
    for (let j = i + 1; j < scripted.length; j++) {
      const ms = versus(scripted[i], scripted[j], seeds);
      const eps = playEpisodes(entry, exp.scenarioParams, ms, new Rng(seed, 'scripted-rr', i, j));
      scores(eps, ms, scripted[i]).forEach((s) => games.push({ a: scripted[i].id, b: scripted[j].id, score: s }));
    }
  }
  progress(run, 'g0', 0, 'evaluate');
  const e0 = evaluateModel(data.ctx, 'g0', g0.policy, g0.world);
  pushAll(games, e0.games.filter((g) => g.b !== 'g0'));
  await savePlay(run, 'g0', null, 0, e0);
  return finishGeneration(run, data, { ...loop, generation: 0, games }, new Map([['g0', e0]]), new Map());
}

/** A generation stepped: the loop state with its models, training sets and games, and what its rows need. */
interface GenerationStep {
  /** the state after the generation (its `generation` is the one stepped; rows and record not yet written) */
  loop: SeedLoop;
  evals: Map<string, ModelEval>;
  training: Map<string, TrainingFacts>;
}

/**
 * Generation `gen` of every lineage (the state after gen − 1 → the state after gen): its data
 * from its predecessor per its recipe (plus any human games), a model trained on it, each new
 * model judged in the simulator, and the round robin. Stores each lineage's samples and
 * checkpoint as it goes; null when stopped (the generation is then redone whole on --resume).
 */
async function stepGeneration(run: SeedRun, data: SeedData, loop: SeedLoop, gen: number): Promise<GenerationStep | null> {
  const { exp, entry, lineages, seed, st, host } = run;
  const A = entry.def.actionSpace.size;
  const pool = poolBefore(loop, lineages, gen, A);
  // the next state: copies of the previous one's lists, grown below
  const history = new Map([...loop.history].map(([l, models]) => [l, [...models]]));
  const trainSets = new Map([...loop.trainSets].map(([l, sets]) => [l, [...sets]]));
  const games = [...loop.games];
  const fresh: Model[] = [];
  /** a stop leaves nothing of this generation alive */
  const stopped = (): null => {
    fresh.forEach(disposeModel);
    return null;
  };
  const training = new Map<string, TrainingFacts>();
  for (const l of lineages) {
    const hist = history.get(l.name)!;
    progress(run, l.name, gen, 'data');
    await host.gate?.();
    // a stop between lineages leaves this generation unfinished: --resume redoes all of it
    if (stopRequested(run)) return stopped();
    // a distilled lineage learns from its teacher's previous generation (whatever the order)
    const source = l.recipe.teacher ? history.get(l.recipe.teacher)!.slice(0, gen) : hist;
    const data = makeData(exp, entry, l, source, gen, seed);
    const human = host.humanGames?.(l.name, gen) ?? [];
    if (human.length > 0) {
      data.push(
        ...quantize(
          human.map((h) => ({ ep: h.ep, source: 'human' as const, players: h.players, lineage: l.name, generation: gen, seed, judgedBy: 'sim' as const })),
          entry,
        ),
      );
    }
    const sets = trainSets.get(l.name)!;
    sets.push(data);
    const train = l.recipe.retain === 'accumulate' ? sets.flat() : data;
    const provenance = provenanceShares(train);
    progress(run, l.name, gen, 'train');
    const m = trainModel(exp, entry, `${l.name}/g${gen}`, train, hist[hist.length - 1], new Rng(seed, 'train', l.name, gen), l.recipe.hidden, hist[0]);
    training.set(l.name, { provenance, samples: sampleCount(train) });
    hist.push(m);
    fresh.push(m);
    await st.write(seedFiles.samples(seed, l.name, gen), JSON.stringify(storeTrajectories(data)));
    await st.write(seedFiles.ckpt(seed, l.name, gen), modelJson(m));
  }
  const evals = new Map<string, ModelEval>();
  for (const [i, m] of fresh.entries()) {
    await host.gate?.();
    if (stopRequested(run)) return stopped();
    progress(run, lineages[i].name, gen, 'evaluate');
    const e = evaluateModel(data.ctx, m.id, m.policy, m.world);
    evals.set(m.id, e);
    pushAll(games, e.games);
    await savePlay(run, m.id, lineages[i].name, gen, e);
  }
  await host.gate?.();
  if (stopRequested(run)) return stopped();
  // round robin of constant cost per generation: each new checkpoint against its peers and
  // against every lineage's previous generation (the panel games link all the rest)
  const newcomers = fresh.map((m) => policyActor(m.id, m.policy, A, 1));
  if (exp.evaluation.roundRobinGames > 0) {
    const rrSeeds = evalSeeds(seed, 'round-robin', exp.evaluation.roundRobinGames);
    for (const [i, me] of newcomers.entries()) {
      const opponents = [...pool, ...newcomers.slice(i + 1)];
      const ms = opponents.flatMap((o) => versus(me, o, rrSeeds));
      if (ms.length === 0) continue;
      const eps = playEpisodes(entry, exp.scenarioParams, ms, new Rng(seed, 'round-robin', me.id));
      const sc = scores(eps, ms, me);
      ms.forEach((m, k) => games.push({ a: me.id, b: (m.actors[0] === me ? m.actors[1] : m.actors[0]).id, score: sc[k] }));
    }
  }
  return { loop: { seed, generation: gen, games, history, trainSets }, evals, training };
}

/**
 * Generation `loop.generation` is done: its rows (provisional Elo) are appended to metrics.jsonl;
 * after the last generation the seed's final Elo replaces every row's and metrics.jsonl is
 * rewritten whole; then the loop state's record is written whole, last (a run stopped before it
 * redoes this generation on resume). Returns the state, now finished.
 */
async function finishGeneration(run: SeedRun, data: SeedData, loop: SeedLoop, evals: Map<string, ModelEval>, training: Map<string, TrainingFacts>): Promise<SeedLoop> {
  const { exp, entry, lineages, seed, st, host, rows: allRows } = run;
  const gen = loop.generation;
  progress(run, 'all', gen, 'rate');
  const ratings = provisionalRatings(entry, loop.games);
  for (const r of generationRows(exp, lineages, loop, gen, evals, ratings, training, data.d0Train, data.d0Tail)) {
    allRows.push(r);
    await st.append(METRICS, JSON.stringify(r));
    host.emit({ type: 'row', row: r });
  }
  if (gen === exp.generations) {
    for (const { index, row } of withFinalElo(exp, entry, seed, loop.games, allRows)) {
      allRows[index] = row;
      host.emit({ type: 'row', row, final: true });
    }
    await st.write(METRICS, allRows.map((r) => JSON.stringify(r) + '\n').join(''));
  }
  const mine = allRows.filter((r) => r.seed === seed).map((r) => JSON.stringify(r));
  await st.write(seedFiles.state(seed), await seal(await seedRecord(loop, st.filesUnder(seedFolders(seed)), mine)));
  return loop;
}

/** A few real self-play episodes of a model, for replay (samples/…/g<n>-play.json). */
function savePlay(run: SeedRun, id: string, lineage: string | null, gen: number, e: ModelEval): Promise<void> {
  const eps = e.selfPlay.slice(0, 8).map((ep) => selfPlayTraj(ep, id, lineage, gen, run.seed));
  return run.st.write(seedFiles.play(run.seed, lineage ?? 'g0', gen), JSON.stringify(storeTrajectories(eps)));
}

function selfPlayTraj(ep: Trajectory['ep'], id: string, lineage: string | null, gen: number, seed: number): Trajectory {
  return { ep, source: 'sim', players: [id, id], lineage, generation: gen, seed, judgedBy: 'sim' };
}
