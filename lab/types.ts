import type { ScenarioId } from '../sim/types.ts';

/** One line of metrics.jsonl for a physics experiment: one lineage × generation × seed. */
export interface MetricsRow {
  kind: 'generation';
  experiment: string;
  scenario: ScenarioId;
  lineage: string;
  generation: number;
  seed: number;
  /**
   * Bradley–Terry rating, scripted baseline anchored at 1000: one fit over every game of the
   * seed's whole run (comparable across generations); equal to eloProvisional until the run ends
   */
  elo: number;
  /** bootstrap 95% interval of the final elo (null while provisional) */
  eloLow: number | null;
  eloHigh: number | null;
  /** the live rating: a fit over the games played up to this generation */
  eloProvisional: number;
  /** real win rate against the reference panel (draws count half) */
  winRate: number;
  /** standard error of winRate over the panel games */
  winRateSe: number;
  /** the same panel games played inside the world model's imagination */
  believedWinRate: number | null;
  /** believedWinRate − winRate: how much the model overrates itself */
  selfDeception: number | null;
  /** standard error of selfDeception over the panel games (each game imagined and real) */
  selfDeceptionSe: number | null;
  /** mean NLL of fixed held-out real transitions under the world model (nats per transition) */
  worldNll: number | null;
  /** share of held-out real transitions whose outcome (continues / win / loss) the world model predicts right */
  worldOutcomeAccuracy: number | null;
  /** the majority-class rate of those transitions: the accuracy of always answering the most common outcome */
  worldOutcomeBaseline: number | null;
  /** recall of each outcome class [continues, player 0 wins, player 1 wins] */
  worldOutcomeRecall: [number, number, number] | null;
  /** rare outcomes the world model dreams for the same real actions, relative to reality's count */
  worldTailCoverage: number | null;
  /** mean NLL of held-out real (D0 test) actions under the policy, nats per action */
  realNll: number;
  /** differential entropy of the policy on held-out real states, nats */
  entropy: number;
  /** mean standard deviation of sampled actions on held-out real states */
  actionStd: number;
  /** share of rare-style play in the policy's real self-play */
  tailShare: number;
  /** D0's share of rare-style play, for reference */
  d0TailShare: number;
  /** world model vs simulator: mean final-state error for the same start and actions */
  realityGap: number | null;
  /** world model vs simulator: rate at which the predicted outcome disagrees with reality */
  outcomeDisagreement: number | null;
  /** sliced Wasserstein-1 between (obs, action) pairs of real self-play and D0 */
  w1: number;
  /** training-set composition: share of samples by source:who (e.g. "sim:scripted", "imagined:g3") */
  provenance: Record<string, number>;
  /** number of (observation, action) samples the generation was trained on */
  trainSamples: number;
  /** histogram of the policy's actions in real self-play, per action dimension */
  actionHistogram: { names: string[]; edges: number[]; counts: number[][] };
}

/** One line of metrics.jsonl for the calibration experiment (the paper's own toy). */
export interface CalibrationRow {
  kind: 'calibration';
  experiment: string;
  /** e.g. "gaussian/mle/replace/M=100" or "categorical/replace/M=100" */
  lineage: string;
  generation: number;
  seed: number;
  /** fitted parameters of this generation */
  mean?: number;
  variance?: number;
  /** theoretical expectation of the variance at this generation, for the chart */
  theoryVariance?: number;
  /**
   * theoretical geometric mean of the variance, exp(E[log σ²_n]) — the typical path, close to the
   * median for large n (replace lineages only; accumulate has no closed form)
   */
  theoryGeoMeanVariance?: number;
  /** categorical: probabilities, number of categories with non-zero mass and theory for the latter */
  probs?: number[];
  support?: number;
  theorySupport?: number;
  /** distance to the original distribution (W1 for Gaussians, total variation for categoricals) */
  distance: number;
}

export type AnyRow = MetricsRow | CalibrationRow;
