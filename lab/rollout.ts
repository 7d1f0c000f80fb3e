import type { Rng } from '../sim/rng.ts';
import { clipToSpace } from '../sim/space.ts';
import type { EpisodeRecord, Pair, Scenario, ScenarioDef, ScenarioId, StepResult, Vec } from '../sim/types.ts';
import type { Actor } from './actors.ts';
import type { ScenarioEntry } from './scenarios.ts';
import { checkInterrupt } from '../agents/interrupt.ts';
import { pushAll } from '../sim/arrays.ts';
import { planMoves, planRows, simJudge, type Planner, type PlanRow } from './plan.ts';

export interface Matchup {
  /** reset seed of the episode */
  seed: number;
  /** actor in seat 0 and seat 1 */
  actors: Pair<Actor>;
}

/**
 * Batched inference across episodes: at each decision step, every actor is called once with
 * the observations of all episodes where it must act (in episode order), so policies run at
 * batch size n instead of 1. Deterministic: actors are called in order of first appearance.
 */
function actAll(
  obsSize: number,
  actSize: number,
  live: number[],
  obsOf: (ep: number) => Pair<Vec>,
  activeOf: (ep: number) => Pair<boolean>,
  actorsOf: (ep: number) => Pair<Actor>,
  rng: Rng,
): Map<number, Pair<Vec>> {
  const groups = new Map<Actor, { ep: number; seat: 0 | 1 }[]>();
  for (const ep of live) {
    const active = activeOf(ep);
    const actors = actorsOf(ep);
    for (const seat of [0, 1] as const) {
      if (!active[seat]) continue;
      let g = groups.get(actors[seat]);
      if (!g) groups.set(actors[seat], (g = []));
      g.push({ ep, seat });
    }
  }
  const out = new Map<number, Pair<Vec>>();
  for (const ep of live) out.set(ep, [new Array(actSize).fill(0), new Array(actSize).fill(0)]);
  for (const [actor, rows] of groups) {
    const obs = new Float32Array(rows.length * obsSize);
    rows.forEach((r, i) => obs.set(obsOf(r.ep)[r.seat], i * obsSize));
    const acts = actor.act(obs, rows.length, rng);
    rows.forEach((r, i) => {
      const a = out.get(r.ep)![r.seat];
      for (let j = 0; j < actSize; j++) a[j] = acts[i * actSize + j];
    });
  }
  return out;
}

export { actAll };

/**
 * Append one simulator step to an episode record: the executed (clipped) actions of the active
 * players (an inactive player's action as given: zeros), events, observations, and the end.
 */
export function recordStep(def: ScenarioDef<any>, rec: EpisodeRecord, acts: Pair<Vec>, active: Pair<boolean>, res: StepResult): void {
  rec.actions.push([active[0] ? clipToSpace(def.actionSpace, acts[0]) : acts[0], active[1] ? clipToSpace(def.actionSpace, acts[1]) : acts[1]]);
  rec.active.push(active);
  rec.events.push(res.info.events);
  rec.obs.push(res.observations);
  if (res.terminated || res.truncated) {
    rec.terminated = res.terminated;
    rec.truncated = res.truncated;
    rec.winner = res.info.winner ?? -1;
  }
}

/** An episode record holding only its start: the reset observations. */
export function startRecord(scenario: ScenarioId, seed: number, observations: Pair<Vec>): EpisodeRecord {
  return { scenario, seed, obs: [observations], actions: [], active: [], events: [], winner: -1, terminated: false, truncated: false };
}

/** Play episodes in the real simulator, all in lockstep. */
export function playEpisodes(
  entry: ScenarioEntry,
  params: Record<string, number>,
  matchups: Matchup[],
  rng: Rng,
  chunk = 256,
  /** plan the moves of one actor (training.planCandidates): see lab/plan.ts */
  planner: Planner | null = null,
): EpisodeRecord[] {
  const def = entry.def;
  const obsSize = def.observationSpace.size;
  const actSize = def.actionSpace.size;
  const records: EpisodeRecord[] = [];
  const pool = takePool(def, params);
  for (let start = 0; start < matchups.length; start += chunk) {
    const batch = matchups.slice(start, start + chunk);
    while (pool.length < batch.length) pool.push(def.create(params));
    const recs: EpisodeRecord[] = [];
    const active: Pair<boolean>[] = [];
    batch.forEach((m, i) => {
      const r = pool[i].reset(m.seed);
      recs.push(startRecord(def.id, m.seed, r.observations));
      active.push(r.info.active);
    });
    let live = batch.map((_, i) => i);
    while (live.length > 0) {
      checkInterrupt();
      const acts = actAll(
        obsSize,
        actSize,
        live,
        (ep) => recs[ep].obs[recs[ep].obs.length - 1],
        (ep) => active[ep],
        (ep) => batch[ep].actors,
        rng,
      );
      if (planner) {
        const rows = planRows(planner, live, (ep) => active[ep], (ep) => batch[ep].actors);
        const obsOf = (r: PlanRow) => recs[r.ep].obs[recs[r.ep].obs.length - 1][r.seat];
        planMoves(planner, obsSize, rows, obsOf, acts, simJudge(entry, (ep) => pool[ep], planner.horizon), rng);
      }
      const next: number[] = [];
      for (const ep of live) {
        const a = acts.get(ep)!;
        const res = pool[ep].step(a);
        recordStep(def, recs[ep], a, active[ep], res);
        active[ep] = res.info.active;
        if (!(res.terminated || res.truncated)) next.push(ep);
      }
      live = next;
    }
    pushAll(records, recs);
  }
  keepPool(def, params, pool);
  return records;
}

/**
 * Scenarios kept from one `playEpisodes` call to the next, per scenario and parameters: making one
 * costs an engine and a world, while a reset builds the episode's world from its seed alone (duel:
 * the same engine emptied; hockey: a new engine), so a kept scenario plays exactly as a new one —
 * as the pool's scenarios already did from one chunk of episodes to the next. A call takes the pool
 * out while it plays (a nested call makes its own).
 */
const keptPools = new Map<string, Scenario[]>();
const poolKey = (def: ScenarioEntry['def'], params: Record<string, number>): string => `${def.id} ${JSON.stringify(params)}`;

function takePool(def: ScenarioEntry['def'], params: Record<string, number>): Scenario[] {
  const key = poolKey(def, params);
  const pool = keptPools.get(key) ?? [];
  keptPools.delete(key);
  return pool;
}

function keepPool(def: ScenarioEntry['def'], params: Record<string, number>, pool: Scenario[]): void {
  if (keptPools.size >= 4) keptPools.clear(); // experiments use one or two parameter sets
  keptPools.set(poolKey(def, params), pool);
}

/**
 * Replay an episode's recorded actions in the simulator from the same reset seed. The replay
 * stops where reality ends the episode or where the recorded actions run out; in the latter case
 * it counts as truncated without a winner.
 */
export function replayInSim(entry: ScenarioEntry, params: Record<string, number>, ep: EpisodeRecord, scenario?: Scenario): EpisodeRecord {
  const sc = scenario ?? entry.def.create(params);
  const r = sc.reset(ep.seed);
  const rec: EpisodeRecord = { ...startRecord(entry.def.id, ep.seed, r.observations), truncated: true };
  let active = r.info.active;
  for (const a of ep.actions) {
    const res = sc.step(a);
    rec.actions.push([active[0] ? a[0] : a[0].map(() => 0), active[1] ? a[1] : a[1].map(() => 0)]);
    rec.active.push(active);
    rec.events.push(res.info.events);
    rec.obs.push(res.observations);
    active = res.info.active;
    if (res.terminated || res.truncated) {
      rec.terminated = res.terminated;
      rec.truncated = res.truncated;
      rec.winner = res.info.winner ?? -1;
      break;
    }
  }
  return rec;
}
