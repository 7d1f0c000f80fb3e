import type { Rng } from '../sim/rng.ts';
import { clipToSpace } from '../sim/space.ts';
import type { EpisodeRecord, Pair, Vec } from '../sim/types.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { actAll, startRecord, type Matchup } from './rollout.ts';
import type { ScenarioEntry } from './scenarios.ts';
import { worldStep, type OutcomeSource } from './world.ts';
import { checkInterrupt } from '../agents/interrupt.ts';
import { planMoves, planRows, worldJudge, type Planner } from './plan.ts';

export interface ImagineOptions {
  params: Record<string, number>;
  temperature: number;
  /** where imagined outcomes come from (the experiment's model.outcome) */
  outcome: OutcomeSource;
  /** plan the moves of one actor in this world model (training.planCandidates): see lab/plan.ts */
  planner?: Planner | null;
}

/**
 * Play episodes inside a world model's imagination. Each episode starts from the scenario's real
 * reset state (the "prompt"); from then on every observation and outcome comes from the model:
 * the simulator is never stepped.
 */
export function imagineEpisodes(
  entry: ScenarioEntry,
  world: WorldModel,
  matchups: Matchup[],
  rng: Rng,
  opts: ImagineOptions,
): EpisodeRecord[] {
  const def = entry.def;
  const obsSize = def.observationSpace.size;
  const actSize = def.actionSpace.size;
  const sc = def.create(opts.params);
  const recs: EpisodeRecord[] = matchups.map((m) => startRecord(def.id, m.seed, sc.reset(m.seed).observations));
  let live = recs.map((_, i) => i);
  const last = (ep: number): Pair<Vec> => recs[ep].obs[recs[ep].obs.length - 1];
  // the episode length of this scenario's parameters (e.g. hockey's maxSteps), not the default's
  const maxSteps = sc.maxSteps;
  for (let t = 0; t < maxSteps && live.length > 0; t++) {
    checkInterrupt();
    const acts = actAll(
      obsSize,
      actSize,
      live,
      last,
      (ep) => entry.activePlayers(last(ep)[0]),
      (ep) => matchups[ep].actors,
      rng,
    );
    const planner = opts.planner;
    if (planner) {
      const rows = planRows(planner, live, (ep) => entry.activePlayers(last(ep)[0]), (ep) => matchups[ep].actors);
      const judge = worldJudge(entry, world, opts.outcome, (ep) => last(ep)[0], planner.horizon);
      planMoves(planner, obsSize, rows, (r) => last(r.ep)[r.seat], acts, judge, rng);
    }
    const n = live.length;
    const o = new Float32Array(n * obsSize);
    const a0 = new Float32Array(n * actSize);
    const a1 = new Float32Array(n * actSize);
    live.forEach((ep, i) => {
      o.set(last(ep)[0], i * obsSize);
      const a = acts.get(ep)!;
      a0.set(clipToSpace(def.actionSpace, a[0]), i * actSize);
      a1.set(clipToSpace(def.actionSpace, a[1]), i * actSize);
    });
    const { next, outcome } = worldStep(entry, world, opts.outcome, o, a0, a1, n, rng, opts.temperature);
    const still: number[] = [];
    live.forEach((ep, i) => {
      const rec = recs[ep];
      const nextObs: Vec = clipToSpace(def.observationSpace, Array.from(next.subarray(i * obsSize, (i + 1) * obsSize)));
      rec.active.push(entry.activePlayers(last(ep)[0]));
      rec.actions.push([Array.from(a0.subarray(i * actSize, (i + 1) * actSize)), Array.from(a1.subarray(i * actSize, (i + 1) * actSize))]);
      rec.events.push([]);
      rec.obs.push([nextObs, def.mirrorObservation(nextObs)]);
      const oc = outcome[i];
      if (oc === 1 || oc === 2) {
        rec.winner = oc === 1 ? 0 : 1;
        rec.terminated = true;
      } else if (t === maxSteps - 1) {
        rec.truncated = true;
      } else still.push(ep);
    });
    live = still;
  }
  return recs;
}
