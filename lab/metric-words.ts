/**
 * Every metric in plain words: a short name and one sentence a classroom can read. One pure table
 * (no DOM, no Node) shared by the app's hover/tap explanations and, later, the report.
 * Keys are metrics.jsonl keys; the metrics' words come from the metric registry (lab/metrics.ts).
 */
import { METRICS_REGISTRY } from './metrics.ts';
export interface MetricWords {
  /** a short name for a chart title or a label */
  name: string;
  /** one plain sentence: what the number means and which way is good */
  plain: string;
}

/** Row fields that are not metrics of the registry, in plain words. */
const OTHER_WORDS: Readonly<Record<string, MetricWords>> = {
  d0TailShare: { name: 'Rare styles in the real data', plain: 'The share of rare shots in the original real games every lineage started from, for comparison.' },
  eloProvisional: { name: 'Live Elo', plain: 'The rating fitted on the games played so far, shown while a run is going; the final Elo replaces it when the run ends.' },
  winRateSe: { name: 'Win-rate standard error', plain: 'The standard error of the real win rate over the panel games.' },
  worldOutcomeRecall: { name: 'Outcome recall per class', plain: 'For each outcome (the game goes on, player 0 wins, player 1 wins): the share of real cases the world model predicts right.' },
  provenance: { name: 'Where the training data came from', plain: 'The share of the training moves that came from the simulator, from people, or from a model’s imagination.' },
  actionHistogram: { name: 'Moves by generation', plain: 'How often each kind of move was played in the generation’s real games.' },
};

/** Every metric's short name and plain sentence: the registry's (lab/metrics.ts), then the other row fields. */
export const METRIC_WORDS: Readonly<Record<string, MetricWords>> = {
  ...Object.fromEntries(METRICS_REGISTRY.map((m) => [m.key, { name: m.label, plain: m.plain }])),
  ...OTHER_WORDS,
};

/** The plain sentence for a metric key ('' when unknown). */
export function explainMetric(key: string): string {
  return METRIC_WORDS[key]?.plain ?? '';
}
