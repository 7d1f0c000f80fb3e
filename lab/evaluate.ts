import { Rng } from '../sim/rng.ts';
import type { EpisodeRecord } from '../sim/types.ts';
import type { Policy } from '../agents/policy.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { policyActor, type Actor } from './actors.ts';
import { playEpisodes, type Matchup } from './rollout.ts';
import { imagineEpisodes } from './imagine.ts';
import { dreamFidelity, dreamReplay } from './dream.ts';
import { worldScores, type OutcomeSource } from './world.ts';
import type { ScenarioEntry } from './scenarios.ts';
import type { PolicyData, WorldData } from './dataset.ts';
import { histogram, slicedW1 } from './stats.ts';
import { round6 } from './dataset.ts';

/** A game result for the Bradley–Terry fit: score of `a` (1 win, 0.5 draw, 0 loss). */
export interface Game {
  a: string;
  b: string;
  score: number;
}

/** Seeds of evaluation episodes: the same for every generation (common random numbers). */
export function evalSeeds(seed: number, purpose: string, n: number): number[] {
  const rng = new Rng(seed, 'eval-seeds', purpose);
  return Array.from({ length: n }, () => rng.nextUint32() & 0x7fffffff);
}

/** Matchups of `me` against `opponent`, alternating seats. */
export function versus(me: Actor, opponent: Actor, seeds: number[]): Matchup[] {
  return seeds.map((s, k) => ({ seed: s, actors: k % 2 === 0 ? [me, opponent] : [opponent, me] }));
}

/** Score of `me` in each episode (1 win, 0.5 draw, 0 loss). */
export function scores(eps: EpisodeRecord[], matchups: Matchup[], me: Actor): number[] {
  return eps.map((ep, i) => {
    const seat = matchups[i].actors[0] === me ? 0 : 1;
    return ep.winner === -1 ? 0.5 : ep.winner === seat ? 1 : 0;
  });
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Standard error of the mean (sample standard deviation / √n); 0 for fewer than two values. */
export function standardError(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / (xs.length - 1) / xs.length);
}

export interface ModelEval {
  winRate: number;
  /** standard error of winRate over the panel games */
  winRateSe: number;
  believedWinRate: number;
  selfDeception: number;
  /** standard error of selfDeception over the panel games (paired: the same game, imagined and real) */
  selfDeceptionSe: number;
  worldNll: number;
  worldOutcomeAccuracy: number;
  worldOutcomeBaseline: number;
  worldOutcomeRecall: [number, number, number];
  worldTailCoverage: number | null;
  realNll: number;
  entropy: number;
  actionStd: number;
  tailShare: number;
  realityGap: number;
  outcomeDisagreement: number;
  w1: number;
  actionHistogram: { names: string[]; edges: number[]; counts: number[][] };
  /** panel games, for the rating fit */
  games: Game[];
  /** real self-play episodes (samples for replay in the app) */
  selfPlay: EpisodeRecord[];
}

export interface EvalContext {
  entry: ScenarioEntry;
  params: Record<string, number>;
  seed: number;
  panel: Actor[];
  panelGames: number;
  selfPlayEpisodes: number;
  d0Test: PolicyData;
  d0Pairs: Float32Array;
  /** a fixed held-out set of real games (D0's test split and fresh scripted play), the same for every generation */
  heldOut: { eps: EpisodeRecord[]; world: WorldData; decisive: WorldData };
  /** where the world model's outcomes come from */
  outcome: OutcomeSource;
}

/** Rare-style share of play in episodes (both seats). */
export function tailShare(entry: ScenarioEntry, eps: EpisodeRecord[]): number {
  let rare = 0;
  let total = 0;
  for (const ep of eps) {
    for (const seat of [0, 1] as const) {
      const counts = entry.def.styleCounts(ep, seat);
      for (const [style, c] of Object.entries(counts)) {
        total += c;
        if (entry.def.style.rare.includes(style)) rare += c;
      }
    }
  }
  return total > 0 ? rare / total : 0;
}

/** (observation, action) pairs of active players, concatenated row-wise. */
export function obsActionPairs(eps: EpisodeRecord[]): Float32Array {
  const rows: number[] = [];
  for (const ep of eps) {
    ep.active.forEach((act, t) => {
      for (const seat of [0, 1] as const) if (act[seat]) rows.push(...ep.obs[t][seat], ...ep.actions[t][seat]);
    });
  }
  return new Float32Array(rows);
}

export function evaluateModel(ctx: EvalContext, id: string, policy: Policy, world: WorldModel): ModelEval {
  const { entry, params, seed } = ctx;
  const A = entry.def.actionSpace.size;
  const me = policyActor(id, policy, A, 1);
  const seeds = evalSeeds(seed, 'panel', ctx.panelGames);
  const matchups: Matchup[] = ctx.panel.flatMap((opp) => versus(me, opp, seeds));
  const real = playEpisodes(entry, params, matchups, new Rng(seed, 'panel-play', id));
  const realScores = scores(real, matchups, me);
  const imagined = imagineEpisodes(entry, world, matchups, new Rng(seed, 'panel-imagine', id), { params, temperature: 1, outcome: ctx.outcome });
  const believedScores = scores(imagined, matchups, me);
  const games: Game[] = matchups.map((m, i) => {
    const opp = m.actors[0] === me ? m.actors[1] : m.actors[0];
    return { a: id, b: opp.id, score: realScores[i] };
  });

  const spSeeds = evalSeeds(seed, 'self-play', ctx.selfPlayEpisodes);
  const selfPlay = playEpisodes(
    entry,
    params,
    spSeeds.map((s) => ({ seed: s, actors: [me, me] })),
    new Rng(seed, 'self-play', id),
  );
  const d0 = ctx.d0Test;
  const lp = policy.logProb(d0.obs, d0.act, d0.n);
  let nll = 0;
  for (let i = 0; i < d0.n; i++) nll -= lp[i];
  const statRng = new Rng(seed, 'policy-stats', id);
  const entropy = policy.entropy(d0.obs, d0.n, statRng);
  const actionStd = policy.actionStd(d0.obs, d0.n, statRng);
  // the world model against reality, on the same fixed real games for every generation
  const wm = worldScores(entry, world, ctx.outcome, ctx.heldOut.world, ctx.heldOut.decisive);
  const dreams = dreamReplay(entry, world, ctx.outcome, ctx.heldOut.eps, new Rng(seed, 'reality-gap', id));
  const gap = dreamFidelity(entry, ctx.heldOut.eps, dreams);
  const pairs = obsActionPairs(selfPlay);
  const dim = entry.def.observationSpace.size + A;
  const w1 = slicedW1(pairs, ctx.d0Pairs, dim, 64, new Rng(seed, 'w1'));
  const edges = Array.from({ length: 21 }, (_, i) => -1 + i * 0.1);
  const counts: number[][] = [];
  for (let j = 0; j < A; j++) {
    const vals: number[] = [];
    for (let r = 0; r < pairs.length / dim; r++) vals.push(pairs[r * dim + entry.def.observationSpace.size + j]);
    counts.push(histogram(vals, edges));
  }
  return {
    winRate: round6(mean(realScores)),
    winRateSe: round6(standardError(realScores)),
    believedWinRate: round6(mean(believedScores)),
    selfDeception: round6(mean(believedScores) - mean(realScores)),
    selfDeceptionSe: round6(standardError(believedScores.map((b, i) => b - realScores[i]))),
    worldNll: round6(wm.nll),
    worldOutcomeAccuracy: round6(wm.accuracy),
    worldOutcomeBaseline: round6(wm.baseline),
    worldOutcomeRecall: wm.recall.map((r) => (Number.isFinite(r) ? round6(r) : 0)) as [number, number, number],
    worldTailCoverage: Number.isFinite(gap.tailCoverage) ? round6(gap.tailCoverage) : null,
    realNll: round6(nll / Math.max(1, d0.n)),
    entropy: round6(entropy),
    actionStd: round6(actionStd),
    tailShare: round6(tailShare(entry, selfPlay)),
    realityGap: round6(gap.finalError),
    outcomeDisagreement: round6(gap.disagreement),
    w1: round6(w1),
    actionHistogram: { names: [...entry.def.actionSpace.names], edges: edges.map(round6), counts },
    games,
    selfPlay,
  };
}
