/**
 * How the lab asks a world model what happens next. The model always predicts the next
 * observation (learned physics). The outcome comes either from the model's own outcome head
 * (`learned`) or from the scenario's rule applied to the predicted observation (`rule`: the game's
 * referee reads the imagined landing or puck position, as a game engine would) — the experiment's
 * `model.outcome`.
 */
import type { Rng } from '../sim/rng.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { emptyWorldData, type WorldData } from './dataset.ts';
import type { ScenarioEntry } from './scenarios.ts';

export type OutcomeSource = 'rule' | 'learned';

/** One imagined step for n rows: sampled next observations (temperature T) and outcomes. */
export function worldStep(
  entry: ScenarioEntry,
  world: WorldModel,
  outcome: OutcomeSource,
  o: Float32Array,
  a0: Float32Array,
  a1: Float32Array,
  n: number,
  rng: Rng,
  temperature: number,
): { next: Float32Array; outcome: Int32Array } {
  const s = world.sample(o, a0, a1, n, rng, temperature);
  if (outcome === 'learned') return s;
  const O = entry.def.observationSpace.size;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = entry.referee(o.subarray(i * O, (i + 1) * O), s.next.subarray(i * O, (i + 1) * O));
  return { next: s.next, outcome: out };
}

export interface WorldScores {
  /** mean Gaussian NLL of the real next observations, nats per transition */
  nll: number;
  /** share of transitions whose outcome the model predicts right (the most likely outcome) */
  accuracy: number;
  /** per outcome class (continues, player 0 wins, player 1 wins); NaN when the class is absent */
  recall: [number, number, number];
  /** the majority-class rate */
  baseline: number;
}

/**
 * The world model on real transitions: the NLL of every transition of `all`; the outcome accuracy,
 * recall and majority rate on `decisive` (see balancedOutcomes). With `rule`, the predicted
 * outcome is the referee's verdict on the predicted mean observation; with `learned`, the outcome
 * head's most likely class.
 */

export function worldScores(entry: ScenarioEntry, world: WorldModel, outcome: OutcomeSource, all: WorldData, decisive: WorldData): WorldScores {
  const nll = world.evaluate(all).nll;
  const data = decisive;
  const ev = world.evaluate(data, { balanced: true });
  if (outcome === 'learned' || data.n === 0) return { nll, accuracy: ev.accuracy, recall: ev.recall, baseline: ev.baseline };
  const O = entry.def.observationSpace.size;
  const pred = world.predict(data.obs, data.a0, data.a1, data.n);
  const counts = [0, 0, 0];
  const right = [0, 0, 0];
  for (let i = 0; i < data.n; i++) {
    const y = data.outcome[i];
    counts[y]++;
    if (entry.referee(data.obs.subarray(i * O, (i + 1) * O), pred.mean.subarray(i * O, (i + 1) * O)) === y) right[y]++;
  }
  const total = right[0] + right[1] + right[2];
  return {
    nll,
    accuracy: total / data.n,
    recall: counts.map((c, k) => (c > 0 ? right[k] / c : NaN)) as [number, number, number],
    baseline: ev.baseline,
  };
}

/**
 * The transitions an outcome prediction is judged on: every decisive real transition (a win or a
 * loss) and as many transitions where the game goes on, taken at an even stride — so the accuracy
 * says something in a game where most moves decide nothing (hockey: about 1 in 200), and always
 * answering "the game goes on" scores the majority rate, about one half.
 */
export function balancedOutcomes(data: WorldData, O: number, A: number): WorldData {
  const decisive: number[] = [];
  const goesOn: number[] = [];
  for (let i = 0; i < data.n; i++) (data.outcome[i] === 0 ? goesOn : decisive).push(i);
  const keep = [...decisive];
  const k = Math.min(goesOn.length, decisive.length);
  for (let j = 0; j < k; j++) keep.push(goesOn[Math.floor((j * goesOn.length) / k)]);
  keep.sort((a, b) => a - b);
  const n = keep.length;
  const out = emptyWorldData(n, O, A);
  keep.forEach((i, r) => {
    out.obs.set(data.obs.subarray(i * O, (i + 1) * O), r * O);
    out.next.set(data.next.subarray(i * O, (i + 1) * O), r * O);
    out.a0.set(data.a0.subarray(i * A, (i + 1) * A), r * A);
    out.a1.set(data.a1.subarray(i * A, (i + 1) * A), r * A);
    out.outcome[r] = data.outcome[i];
  });
  return out;
}
