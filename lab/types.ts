import type { ScenarioId } from '../sim/types.ts';
import type { METRICS_REGISTRY, RowOf } from './metrics.ts';

/** The metric fields of a physics row, derived from the metric registry (lab/metrics.ts): one per entry. */
export type RegistryMetrics = RowOf<typeof METRICS_REGISTRY>;

/**
 * One line of metrics.jsonl for a physics experiment: one lineage × generation × seed. The
 * registry's metrics (RegistryMetrics: winRate, elo, worldNll, ...) plus the row's identity and
 * the fields no chart or table shows alone (intervals, errors, histograms, provenance).
 */
export interface MetricsRow extends RegistryMetrics {
  kind: 'generation';
  experiment: string;
  scenario: ScenarioId;
  lineage: string;
  generation: number;
  seed: number;
  /** bootstrap 95% interval of the final elo (null while provisional) */
  eloLow: number | null;
  eloHigh: number | null;
  /**
   * the live rating: a fit over the games played up to this generation (`elo` is one fit over
   * every game of the seed's whole run, equal to this until the run ends)
   */
  eloProvisional: number;
  /** standard error of winRate over the panel games */
  winRateSe: number;
  /** standard error of selfDeception over the panel games (each game imagined and real) */
  selfDeceptionSe: number | null;
  /** recall of each outcome class [continues, player 0 wins, player 1 wins] */
  worldOutcomeRecall: [number, number, number] | null;
  /** D0's share of rare-style play, for reference */
  d0TailShare: number;
  /** training-set composition: share of samples by source:who (e.g. "sim:scripted", "imagined:g3") */
  provenance: Record<string, number>;
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
