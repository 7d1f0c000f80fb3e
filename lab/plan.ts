/**
 * Planning while a lineage makes its training games (training.planCandidates > 1): at each of its
 * decisions the lineage's player draws several moves from its own policy, looks a few decisions
 * ahead with each one (both players' moves held) in the model the lineage learns from, and plays
 * the one that looks best. The policy then imitates the games it played, so a generation learns
 * from moves its model judged better than its policy's first guess (expert iteration).
 *
 * The same planner for every lineage; only the model it looks ahead in differs: a lineage that
 * learns from the simulator plans in the simulator (`Scenario.lookahead`), one that learns from
 * its predecessor's imagination plans in that world model (its mean prediction). A lookahead that
 * ends the game scores ±PLAN_WIN for the planning player; otherwise the scenario's `planValue` of
 * the position it ends in.
 */
import type { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import { clipToSpace } from '../sim/space.ts';
import type { Pair, Scenario, Vec } from '../sim/types.ts';
import type { WorldModel } from '../agents/world-model.ts';
import type { Actor } from './actors.ts';
import type { ScenarioEntry } from './scenarios.ts';
import type { OutcomeSource } from './world.ts';

/** The score of a lookahead that ends in a win (−PLAN_WIN: a loss); far above any position's value. */
export const PLAN_WIN = 10;
/** decisions a lookahead runs unless training.planHorizon says otherwise */
export const PLAN_HORIZON = 3;

export interface Planner {
  /** the player whose moves are planned (the lineage's current policy) */
  actor: Actor;
  /** moves judged per decision: the policy's own move and candidates − 1 more draws */
  candidates: number;
  /** decisions each lookahead runs */
  horizon: number;
}

/** One decision to plan: an episode and the seat the planner plays in it. */
export interface PlanRow {
  ep: number;
  seat: 0 | 1;
}

/** The rows' scores for one candidate pair of moves each (`moves[i]` for `rows[i]`). */
export type Judge = (rows: PlanRow[], moves: Pair<Vec>[]) => number[];

/** The decisions to plan now: every live episode's seat where the planner's actor is to move. */
export function planRows(planner: Planner, live: readonly number[], activeOf: (ep: number) => Pair<boolean>, actorsOf: (ep: number) => Pair<Actor>): PlanRow[] {
  const rows: PlanRow[] = [];
  for (const ep of live) {
    const active = activeOf(ep);
    const actors = actorsOf(ep);
    for (const seat of [0, 1] as const) if (active[seat] && actors[seat] === planner.actor) rows.push({ ep, seat });
  }
  return rows;
}

/** The planner's check beyond the schema's ranges: a scenario it can plan in. */
export function checkPlanner(entry: ScenarioEntry, candidates: number): void {
  if (candidates > 1 && !entry.planValue) {
    throw new ConfigError('training.planCandidates', `is ${candidates}, but ${entry.def.id} has no position value to plan with`, '1 (no planning)');
  }
}

/** A lookahead's score for the player in `seat`. */
export function planScore(entry: ScenarioEntry, winner: -1 | 0 | 1, obsOfSeat: ArrayLike<number>, seat: 0 | 1): number {
  if (winner === seat) return PLAN_WIN;
  if (winner !== -1) return -PLAN_WIN;
  return entry.planValue!(obsOfSeat);
}

/**
 * Replace the planner's moves in `acts` (episode → both players' moves) by the best of
 * `candidates` moves per decision. The extra candidates are drawn in one batch from the planner's
 * actor, row by row in the order of `rows`; ties keep the earliest (the policy's own move first).
 */
export function planMoves(
  planner: Planner,
  obsSize: number,
  rows: PlanRow[],
  obsOf: (row: PlanRow) => Vec,
  acts: Map<number, Pair<Vec>>,
  judge: Judge,
  rng: Rng,
): void {
  const K = planner.candidates;
  if (K <= 1 || rows.length === 0) return;
  const A = planner.actor.actSize;
  const extra = K - 1;
  const obs = new Float32Array(rows.length * extra * obsSize);
  rows.forEach((r, i) => {
    const o = obsOf(r);
    for (let k = 0; k < extra; k++) obs.set(o, (i * extra + k) * obsSize);
  });
  const drawn = planner.actor.act(obs, rows.length * extra, rng);
  // every candidate of every row judged in one call (a world model predicts them in one batch)
  const allRows: PlanRow[] = [];
  const allMoves: Pair<Vec>[] = [];
  for (let k = 0; k < K; k++) {
    rows.forEach((r, i) => {
      const both = acts.get(r.ep)!;
      const mine = k === 0 ? both[r.seat] : Array.from(drawn.subarray((i * extra + k - 1) * A, (i * extra + k) * A));
      allRows.push(r);
      allMoves.push(r.seat === 0 ? [mine, both[1]] : [both[0], mine]);
    });
  }
  const scores = judge(allRows, allMoves);
  rows.forEach((r, i) => {
    let best = 0;
    // Stryker disable next-line EqualityOperator: k = K reads past the scores, and undefined > x is false
    for (let k = 1; k < K; k++) if (scores[k * rows.length + i] > scores[best * rows.length + i]) best = k;
    acts.get(r.ep)![r.seat] = allMoves[best * rows.length + i][r.seat];
  });
}

/** Judge moves in the simulator: each episode's scenario looks ahead on its scratch copy. */
export function simJudge(entry: ScenarioEntry, scenarios: (ep: number) => Scenario, horizon: number): Judge {
  return (rows, moves) =>
    rows.map((r, i) => {
      const sc = scenarios(r.ep);
      if (!sc.lookahead) throw new ConfigError('training.planCandidates', `${entry.def.id} cannot look ahead`, '1 (no planning)');
      const la = sc.lookahead(moves[i], horizon);
      return planScore(entry, la.winner, la.observations[r.seat], r.seat);
    });
}

/**
 * Judge moves in a world model: `horizon` steps of its mean prediction from each episode's
 * current (imagined) observation. With the learned outcome head the score is what the model
 * expects: the chance it gives each step's goal for and against (±PLAN_WIN), while the game is
 * still going on, plus the position's value weighted by the chance the game goes on; with
 * model.outcome 'rule' the scenario's rule on the predicted observation ends the lookahead.
 */
export function worldJudge(entry: ScenarioEntry, world: WorldModel, outcome: OutcomeSource, obs0Of: (ep: number) => Vec, horizon: number): Judge {
  const def = entry.def;
  const O = def.observationSpace.size;
  const A = def.actionSpace.size;
  return (rows, moves) => {
    const n = rows.length;
    let o: Float32Array = new Float32Array(n * O);
    const a0 = new Float32Array(n * A);
    const a1 = new Float32Array(n * A);
    rows.forEach((r, i) => {
      o.set(obs0Of(r.ep), i * O);
      a0.set(clipToSpace(def.actionSpace, moves[i][0]), i * A);
      a1.set(clipToSpace(def.actionSpace, moves[i][1]), i * A);
    });
    /** chance the game is still going on */
    const alive: number[] = new Array(n).fill(1);
    /** expected score from goals so far, in player 0's favour */
    const goals: number[] = new Array(n).fill(0);
    for (let h = 0; h < horizon; h++) {
      const p = world.predict(o, a0, a1, n);
      // a lookahead the model ended (no chance left that the game goes on) adds nothing more
      // Stryker disable next-line EqualityOperator: a row past the last reads undefined outcomes into a score nobody reads
      for (let i = 0; i < n; i++) {
        let w0: number;
        let w1: number;
        if (outcome === 'rule') {
          // Stryker disable next-line ArithmeticOperator: hockey's referee reads only the next observation (the duel cannot be planned in)
          const c = entry.referee(o.subarray(i * O, (i + 1) * O), p.mean.subarray(i * O, (i + 1) * O));
          w0 = c === 1 ? 1 : 0;
          w1 = c === 2 ? 1 : 0;
        } else {
          w0 = p.outcome[i * 3 + 1];
          w1 = p.outcome[i * 3 + 2];
        }
        goals[i] += alive[i] * PLAN_WIN * (w0 - w1);
        alive[i] *= Math.max(0, 1 - w0 - w1);
      }
      o = p.mean;
    }
    return rows.map((r, i) => {
      const o0 = Array.from(o.subarray(i * O, (i + 1) * O));
      const value = alive[i] * entry.planValue!(r.seat === 0 ? o0 : def.mirrorObservation(o0));
      return (r.seat === 0 ? goals[i] : -goals[i]) + value;
    });
  };
}
