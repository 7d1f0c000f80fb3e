import { Rng } from '../sim/rng.ts';
import { clipToSpace } from '../sim/space.ts';
import type { EpisodeRecord } from '../sim/types.ts';
import type { Policy } from '../agents/policy.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { policyActor, type Actor } from './actors.ts';
import { playEpisodes, type Matchup } from './rollout.ts';
import { imagineEpisodes } from './imagine.ts';
import type { ScenarioEntry } from './scenarios.ts';
import type { PolicyData } from './dataset.ts';
import { histogram, slicedW1 } from './stats.ts';
import { round6 } from './dataset.ts';
import { maxOf } from '../sim/arrays.ts';

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

export interface ModelEval {
  winRate: number;
  believedWinRate: number;
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

/**
 * Reality gap: run the world model open-loop on the actions of real episodes, from the same
 * start, and compare with what physics did: RMS error of the final observation and the rate at
 * which the imagined outcome (who won, or nobody) disagrees with the real one.
 */
export function realityGap(entry: ScenarioEntry, world: WorldModel, eps: EpisodeRecord[], rng: Rng): { finalError: number; disagreement: number } {
  const O = entry.def.observationSpace.size;
  const A = entry.def.actionSpace.size;
  const n = eps.length;
  const cur = eps.map((ep) => ep.obs[0][0].slice());
  const imaginedWinner: (-1 | 0 | 1)[] = eps.map(() => -1);
  const ended = eps.map(() => false);
  const finalImagined: number[][] = eps.map((ep) => ep.obs[0][0].slice());
  const maxT = maxOf(eps.map((e) => e.actions.length));
  for (let t = 0; t < maxT; t++) {
    const live = eps.map((_, i) => i).filter((i) => !ended[i] && t < eps[i].actions.length);
    if (live.length === 0) break;
    const o = new Float32Array(live.length * O);
    const a0 = new Float32Array(live.length * A);
    const a1 = new Float32Array(live.length * A);
    live.forEach((i, k) => {
      o.set(cur[i], k * O);
      a0.set(eps[i].actions[t][0], k * A);
      a1.set(eps[i].actions[t][1], k * A);
    });
    const pred = world.predict(o, a0, a1, live.length);
    live.forEach((i, k) => {
      const next = clipToSpace(entry.def.observationSpace, Array.from(pred.mean.subarray(k * O, (k + 1) * O)));
      cur[i] = next;
      finalImagined[i] = next;
      const p = [pred.outcome[k * 3], pred.outcome[k * 3 + 1], pred.outcome[k * 3 + 2]];
      const oc = rng.categorical(p);
      if (oc !== 0) {
        imaginedWinner[i] = oc === 1 ? 0 : 1;
        ended[i] = true;
      }
    });
  }
  let err = 0;
  let dis = 0;
  eps.forEach((ep, i) => {
    const real = ep.obs[ep.obs.length - 1][0];
    let s = 0;
    for (let j = 0; j < O; j++) s += (finalImagined[i][j] - real[j]) ** 2;
    err += Math.sqrt(s / O);
    const realWinner = ep.terminated ? ep.winner : -1;
    if (realWinner !== imaginedWinner[i]) dis++;
  });
  return { finalError: err / Math.max(1, n), disagreement: dis / Math.max(1, n) };
}

export function evaluateModel(ctx: EvalContext, id: string, policy: Policy, world: WorldModel): ModelEval {
  const { entry, params, seed } = ctx;
  const A = entry.def.actionSpace.size;
  const me = policyActor(id, policy, A, 1);
  const seeds = evalSeeds(seed, 'panel', ctx.panelGames);
  const matchups: Matchup[] = ctx.panel.flatMap((opp) => versus(me, opp, seeds));
  const real = playEpisodes(entry, params, matchups, new Rng(seed, 'panel-play', id));
  const realScores = scores(real, matchups, me);
  const imagined = imagineEpisodes(entry, world, matchups, new Rng(seed, 'panel-imagine', id), { params, temperature: 1 });
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
  const gap = realityGap(entry, world, selfPlay, new Rng(seed, 'reality-gap', id));
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
    believedWinRate: round6(mean(believedScores)),
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
