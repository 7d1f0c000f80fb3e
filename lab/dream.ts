/**
 * A world model's dream of real episodes: from each episode's real start, feed the recorded real
 * actions open loop and let the model imagine every next observation and whether (and who) the
 * game ends — the simulator is not stepped. Batched across episodes (one model call per step).
 * Used to measure how faithful a world model is to reality on a fixed set of real games.
 */
import type { Rng } from '../sim/rng.ts';
import { clipToSpace } from '../sim/space.ts';
import type { EpisodeRecord, Vec } from '../sim/types.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { startRecord } from './rollout.ts';
import { checkInterrupt } from '../agents/interrupt.ts';
import type { ScenarioEntry } from './scenarios.ts';
import { worldStep, type OutcomeSource } from './world.ts';

/**
 * The imagined episodes, one per real episode: observations sampled from the world model at
 * temperature 1, the real actions, and the imagined end (a sampled outcome other than "continues"
 * ends the dream; a dream still going when the real actions run out is truncated, nobody won).
 */
export function dreamReplay(entry: ScenarioEntry, world: WorldModel, outcomeSource: OutcomeSource, eps: EpisodeRecord[], rng: Rng): EpisodeRecord[] {
  const def = entry.def;
  const O = def.observationSpace.size;
  const A = def.actionSpace.size;
  const dreams = eps.map((ep) => startRecord(def.id, ep.seed, [ep.obs[0][0].slice(), ep.obs[0][1].slice()]));
  let live = eps.map((_, i) => i);
  let maxT = 0;
  for (const ep of eps) if (ep.actions.length > maxT) maxT = ep.actions.length;
  for (let t = 0; t < maxT && live.length > 0; t++) {
    checkInterrupt();
    live = live.filter((i) => {
      if (t < eps[i].actions.length) return true;
      dreams[i].truncated = true;
      return false;
    });
    if (live.length === 0) break;
    const n = live.length;
    const o = new Float32Array(n * O);
    const a0 = new Float32Array(n * A);
    const a1 = new Float32Array(n * A);
    live.forEach((i, k) => {
      const d = dreams[i];
      o.set(d.obs[d.obs.length - 1][0], k * O);
      a0.set(eps[i].actions[t][0], k * A);
      a1.set(eps[i].actions[t][1], k * A);
    });
    const { next, outcome } = worldStep(entry, world, outcomeSource, o, a0, a1, n, rng, 1);
    const still: number[] = [];
    live.forEach((i, k) => {
      const d = dreams[i];
      const nextObs: Vec = clipToSpace(def.observationSpace, Array.from(next.subarray(k * O, (k + 1) * O)));
      d.actions.push([eps[i].actions[t][0].slice(), eps[i].actions[t][1].slice()]);
      d.active.push(eps[i].active[t]);
      d.events.push([]);
      d.obs.push([nextObs, def.mirrorObservation(nextObs)]);
      if (outcome[k] !== 0) {
        d.winner = outcome[k] === 1 ? 0 : 1;
        d.terminated = true;
      } else if (t === eps[i].actions.length - 1) {
        d.truncated = true;
      } else still.push(i);
    });
    live = still;
  }
  return dreams;
}

export interface DreamFidelity {
  /** mean over episodes of the RMS error between the dream's last observation and reality's */
  finalError: number;
  /** share of episodes whose imagined result (who won, or nobody) differs from the real one */
  disagreement: number;
  /** rare outcomes in the dreams divided by rare outcomes in reality (NaN when reality has none) */
  tailCoverage: number;
}

/** Compare dreams with the real episodes they imagine. */
export function dreamFidelity(entry: ScenarioEntry, real: EpisodeRecord[], dreams: EpisodeRecord[]): DreamFidelity {
  const O = entry.def.observationSpace.size;
  let err = 0;
  let dis = 0;
  let tailReal = 0;
  let tailDream = 0;
  real.forEach((ep, i) => {
    const d = dreams[i];
    const a = d.obs[d.obs.length - 1][0];
    const b = ep.obs[ep.obs.length - 1][0];
    let s = 0;
    for (let j = 0; j < O; j++) s += (a[j] - b[j]) ** 2;
    err += Math.sqrt(s / O);
    const rw = ep.terminated ? ep.winner : -1;
    const dw = d.terminated ? d.winner : -1;
    if (rw !== dw) dis++;
    tailReal += entry.tailOutcomes(ep);
    tailDream += entry.tailOutcomes(d);
  });
  const n = Math.max(1, real.length);
  return { finalError: err / n, disagreement: dis / n, tailCoverage: tailReal > 0 ? tailDream / tailReal : NaN };
}
