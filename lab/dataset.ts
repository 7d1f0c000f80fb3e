import type { EpisodeRecord, ScenarioDef } from '../sim/types.ts';
import { decodeF32, encodeF32 } from '../agents/checkpoint.ts';

export type Source = 'sim' | 'human' | 'imagined';

/** A trajectory and where it came from (DESIGN.md §1: every trajectory carries provenance). */
export interface Trajectory {
  ep: EpisodeRecord;
  source: Source;
  /** who played each seat, e.g. "scripted:direct", "grounded/g3", "human" */
  players: [string, string];
  /** lineage and generation whose data this is (null for D0 and fresh real data) */
  lineage: string | null;
  generation: number;
  /** experiment seed */
  seed: number;
  /** who judged the outcome: physics, the world model, or physics replaying an imagined episode */
  judgedBy: 'sim' | 'world-model' | 'sim-replay';
}

export interface PolicyData {
  obs: Float32Array;
  act: Float32Array;
  weight: Float32Array;
  n: number;
}

export interface WorldData {
  obs: Float32Array;
  a0: Float32Array;
  a1: Float32Array;
  next: Float32Array;
  outcome: Int32Array;
  weight: Float32Array;
  n: number;
}

/** Outcome of an episode for a seat: +1 won, -1 lost, 0 draw. */
export function seatOutcome(ep: EpisodeRecord, seat: 0 | 1): number {
  if (ep.winner === -1) return 0;
  return ep.winner === seat ? 1 : -1;
}

/** Number of policy samples in trajectories: one per active player per step. */
export function sampleCount(trajs: Trajectory[]): number {
  let n = 0;
  for (const t of trajs) for (const act of t.ep.active) n += (act[0] ? 1 : 0) + (act[1] ? 1 : 0);
  return n;
}

/** Per-decision discount of the outcome: the return of a step k decisions before the end is discount^k × outcome. */
export const RETURN_DISCOUNT = 0.97;

/** The largest advantage weight before the fit normalises weights to mean 1 (as in AWR). */
export const MAX_ADVANTAGE_WEIGHT = 20;

/**
 * Policy training samples: every (observation, action) of an active player, weighted by its
 * advantage — the one weighted-maximum-likelihood learner of every lineage (advantage-weighted
 * regression, Peng et al. 2019):
 *
 * - the return of a sample is its episode's outcome for its player (+1 won, −1 lost, 0 draw or
 *   unfinished) — whoever judged it: physics, or the world model for imagined games;
 * - the baseline V(s) is a ridge-regularised linear regression of the return on the observation,
 *   fitted over the whole data set (so an action taken where the game was already lost is not
 *   blamed for the loss, nor one where it was already won credited);
 * - the advantage A = return − V(s) is measured in units of the returns' standard deviation over
 *   the data set, so the weights carry the outcomes' signal whatever the share of drawn games
 *   (with most games drawn, the few decided ones get the large weights);
 * - weight = min(exp(outcomeWeight × A / sd(return)), MAX_ADVANTAGE_WEIGHT).
 *
 * outcomeWeight 0 gives every sample weight 1 (plain maximum likelihood); a data set without a
 * single decided game (every advantage 0) does too.
 */
export function policyData(trajs: Trajectory[], def: ScenarioDef<any>, outcomeWeight: number, discount = RETURN_DISCOUNT): PolicyData {
  const O = def.observationSpace.size;
  const A = def.actionSpace.size;
  const n = sampleCount(trajs);
  const obs = new Float32Array(n * O);
  const act = new Float32Array(n * A);
  const ret = new Float64Array(n);
  let k = 0;
  for (const t of trajs) {
    const r = [seatOutcome(t.ep, 0), seatOutcome(t.ep, 1)];
    const T = t.ep.active.length;
    t.ep.active.forEach((active, s) => {
      const d = discount ** (T - 1 - s);
      for (const seat of [0, 1] as const) {
        if (!active[seat]) continue;
        obs.set(t.ep.obs[s][seat], k * O);
        act.set(t.ep.actions[s][seat], k * A);
        ret[k] = d * r[seat];
        k++;
      }
    });
  }
  return { obs, act, weight: advantageWeights(obs, ret, n, O, outcomeWeight), n };
}

/** Advantage weights of n samples (observations obs, returns ret); see policyData. */
export function advantageWeights(obs: Float32Array, ret: Float64Array, n: number, O: number, beta: number): Float32Array {
  const weight = new Float32Array(n).fill(1);
  if (beta === 0 || n === 0) return weight;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += ret[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (ret[i] - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  if (!(sd > 1e-9)) return weight;
  const v = linearBaseline(obs, ret, n, O);
  const cap = Math.log(MAX_ADVANTAGE_WEIGHT);
  // Stryker disable next-line EqualityOperator: the extra pass (i = n) reads past ret and writes past weight, which a typed array ignores
  for (let i = 0; i < n; i++) weight[i] = Math.exp(Math.min(cap, (beta * (ret[i] - v[i])) / sd));
  return weight;
}

/** Ridge penalty of the baseline, per sample (features are observations, bounded by about 1). */
const BASELINE_RIDGE = 1e-3;

/**
 * V(s) = w · [1, s]: least squares of the returns on the observations with a small ridge penalty
 * (not on the intercept), solved in float64 by Gaussian elimination with partial pivoting.
 */
export function linearBaseline(obs: Float32Array, ret: Float64Array, n: number, O: number): Float64Array {
  const F = O + 1;
  const xtx = new Float64Array(F * F);
  const xty = new Float64Array(F);
  const x = new Float64Array(F);
  for (let i = 0; i < n; i++) {
    x[0] = 1;
    // Stryker disable next-line EqualityOperator: the extra pass (j = O) writes x[O + 1], past the end of x, which a typed array ignores
    for (let j = 0; j < O; j++) x[j + 1] = obs[i * O + j];
    // Stryker disable next-line EqualityOperator: the extra pass (a = F) touches only xty[F] and nothing in xtx (inner loop empty), past the ends, ignored
    for (let a = 0; a < F; a++) {
      xty[a] += x[a] * ret[i];
      // Stryker disable next-line EqualityOperator: b = F reaches xtx[(a + 1)·F], column 0 of a lower row, which the symmetric copy below overwrites (or past the end)
      for (let b = a; b < F; b++) xtx[a * F + b] += x[a] * x[b];
    }
  }
  // Stryker disable next-line EqualityOperator: a = F writes past the end (ignored); b = a copies an entry onto itself
  for (let a = 0; a < F; a++) for (let b = 0; b < a; b++) xtx[a * F + b] = xtx[b * F + a];
  // Stryker disable next-line EqualityOperator: a = F adds to xtx[F·F + F], past the end, which a typed array ignores
  for (let a = 1; a < F; a++) xtx[a * F + a] += BASELINE_RIDGE * n + 1e-9;
  const w = solve(xtx, xty, F);
  const v = new Float64Array(n);
  // Stryker disable next-line EqualityOperator: the extra pass (i = n) writes v[n], past the end, which a typed array ignores
  for (let i = 0; i < n; i++) {
    let s = w[0];
    for (let j = 0; j < O; j++) s += w[j + 1] * obs[i * O + j];
    v[i] = s;
  }
  return v;
}

/** Solve M w = y (M is F × F, overwritten); a singular pivot leaves that coefficient 0. */
function solve(m: Float64Array, y: Float64Array, F: number): Float64Array {
  const b = Float64Array.from(y);
  // Stryker disable next-line EqualityOperator: c = F reads m past the end: the pivot is undefined, |NaN| < 1e-12 is false, and the row loop is empty
  for (let c = 0; c < F; c++) {
    let p = c;
    for (let r = c + 1; r < F; r++) if (Math.abs(m[r * F + c]) > Math.abs(m[p * F + c])) p = r;
    if (p !== c) {
      for (let j = 0; j < F; j++) [m[c * F + j], m[p * F + j]] = [m[p * F + j], m[c * F + j]];
      [b[c], b[p]] = [b[p], b[c]];
    }
    const d = m[c * F + c];
    if (Math.abs(d) < 1e-12) continue;
    // Stryker disable next-line EqualityOperator: r = F reads and writes m and b past their ends, which a typed array ignores
    for (let r = c + 1; r < F; r++) {
      const f = m[r * F + c] / d;
      if (f === 0) continue;
      for (let j = c; j < F; j++) m[r * F + j] -= f * m[c * F + j];
      b[r] -= f * b[c];
    }
  }
  const w = new Float64Array(F);
  // Stryker disable next-line ArithmeticOperator: c = F + 1 and F read past the ends of m and b and write past the end of w, which a typed array ignores
  for (let c = F - 1; c >= 0; c--) {
    const d = m[c * F + c];
    if (Math.abs(d) < 1e-12) continue;
    let s = b[c];
    for (let j = c + 1; j < F; j++) s -= m[c * F + j] * w[j];
    w[c] = s / d;
  }
  return w;
}

/** n zeroed world-model samples (weights 1). */
export function emptyWorldData(n: number, O: number, A: number): WorldData {
  return {
    obs: new Float32Array(n * O),
    a0: new Float32Array(n * A),
    a1: new Float32Array(n * A),
    next: new Float32Array(n * O),
    outcome: new Int32Array(n),
    weight: new Float32Array(n).fill(1),
    n,
  };
}

/**
 * World-model samples in player 0's frame, from both seats (player 1's view of a step is the
 * same step mirrored, with the actions swapped and the outcome's winner swapped).
 */
export function worldData(trajs: Trajectory[], def: ScenarioDef<any>): WorldData {
  const O = def.observationSpace.size;
  const A = def.actionSpace.size;
  let n = 0;
  for (const t of trajs) n += 2 * t.ep.actions.length;
  const d = emptyWorldData(n, O, A);
  let k = 0;
  for (const t of trajs) {
    const ep = t.ep;
    const T = ep.actions.length;
    for (let s = 0; s < T; s++) {
      const lastStep = s === T - 1;
      const won = lastStep && ep.terminated ? ep.winner : -1;
      for (const seat of [0, 1] as const) {
        const other = seat === 0 ? 1 : 0;
        d.obs.set(ep.obs[s][seat], k * O);
        d.next.set(ep.obs[s + 1][seat], k * O);
        d.a0.set(ep.actions[s][seat], k * A);
        d.a1.set(ep.actions[s][other], k * A);
        d.outcome[k] = won === -1 ? 0 : won === seat ? 1 : 2;
        k++;
      }
    }
  }
  return d;
}

/** Samples of each kind of provenance in a training set, as shares (keys "source:who"). */
export function provenanceShares(trajs: Trajectory[]): Record<string, number> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const t of trajs) {
    for (const active of t.ep.active) {
      for (const seat of [0, 1] as const) {
        if (!active[seat]) continue;
        const who = t.players[seat].startsWith('scripted:') ? 'scripted' : t.players[seat];
        const key = `${t.source}:${who}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        total++;
      }
    }
  }
  const out: Record<string, number> = {};
  for (const k of [...counts.keys()].sort()) out[k] = round6(counts.get(k)! / Math.max(1, total));
  return out;
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Compact, exact serialisation of trajectories (float32 arrays as base64). */
export interface StoredTrajectory extends Omit<Trajectory, 'ep'> {
  scenario: string;
  epSeed: number;
  steps: number;
  obs: string;
  actions: string;
  active: string;
  events: string[][];
  winner: -1 | 0 | 1;
  terminated: boolean;
  truncated: boolean;
}

export function storeTrajectories(trajs: Trajectory[]): StoredTrajectory[] {
  return trajs.map(({ ep, ...prov }) => ({
    ...prov,
    scenario: ep.scenario,
    epSeed: ep.seed,
    steps: ep.actions.length,
    obs: encodeF32(new Float32Array(ep.obs.flatMap((p) => [...p[0], ...p[1]]))),
    actions: encodeF32(new Float32Array(ep.actions.flatMap((p) => [...p[0], ...p[1]]))),
    active: ep.active.map((a) => `${a[0] ? 1 : 0}${a[1] ? 1 : 0}`).join(''),
    events: ep.events,
    winner: ep.winner,
    terminated: ep.terminated,
    truncated: ep.truncated,
  }));
}

export function loadTrajectories(stored: StoredTrajectory[], def: ScenarioDef<any>): Trajectory[] {
  const O = def.observationSpace.size;
  const A = def.actionSpace.size;
  return stored.map((s) => {
    const obsFlat = decodeF32(s.obs);
    const actFlat = decodeF32(s.actions);
    const obs = Array.from({ length: s.steps + 1 }, (_, t) => [
      Array.from(obsFlat.subarray(2 * t * O, (2 * t + 1) * O)),
      Array.from(obsFlat.subarray((2 * t + 1) * O, (2 * t + 2) * O)),
    ]) as EpisodeRecord['obs'];
    const actions = Array.from({ length: s.steps }, (_, t) => [
      Array.from(actFlat.subarray(2 * t * A, (2 * t + 1) * A)),
      Array.from(actFlat.subarray((2 * t + 1) * A, (2 * t + 2) * A)),
    ]) as EpisodeRecord['actions'];
    const active = Array.from({ length: s.steps }, (_, t) => [s.active[2 * t] === '1', s.active[2 * t + 1] === '1']) as EpisodeRecord['active'];
    return {
      ep: {
        scenario: def.id,
        seed: s.epSeed,
        obs,
        actions,
        active,
        events: s.events,
        winner: s.winner,
        terminated: s.terminated,
        truncated: s.truncated,
      },
      source: s.source,
      players: s.players,
      lineage: s.lineage,
      generation: s.generation,
      seed: s.seed,
      judgedBy: s.judgedBy,
    };
  });
}
