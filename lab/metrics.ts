/**
 * The metric registry: every per-generation metric of metrics.jsonl in one place — its label, one
 * plain sentence, unit, number format, which way is better, what kind of measurement it is, and
 * how it is charted. The row type's metric fields (`RowOf`, used by lab/types.ts), the charts
 * (lab/charts.ts), the report's table (lab/report.ts), the app's explanations
 * (lab/metric-words.ts) and the README's metric table (`metricTableMarkdown`) are all derived from
 * it; the chart and report builders take another registry too (test/metric-registry.test.ts adds a
 * fixture metric that way). Pure: no DOM, no Node.
 */

export type MetricFormat = 'percent' | 'number' | 'integer' | 'elo';

/**
 * What a metric measures: real skill, the world model against reality, or distance of the
 * policy's play from the real data (narrowing with rising skill is specialisation; narrowing
 * without it is collapse).
 */
export type MetricGroup = 'skill' | 'world' | 'distribution' | 'data';

export interface MetricDef<K extends string = string> {
  /** the metrics.jsonl field */
  key: K;
  /** short label for tables and chart legends */
  label: string;
  /** one plain sentence: what the number means (README, report, the app's hover text) */
  plain: string;
  unit: string;
  format: MetricFormat;
  /** which way is better ('none': neither, e.g. a distance from the real data's play) */
  better: 'higher' | 'lower' | 'none';
  group: MetricGroup;
  /** charted per generation (title, y-axis title, subtitle), or not charted */
  chart: { title: string; yTitle: string; subtitle: string } | null;
  /** in the report's first-vs-last table */
  report: boolean;
  /** the field may be null: not measured for every generation (a world-model metric when the world model's evaluation is absent) */
  nullable?: true;
  /** the values it can take (a share: [0, 1]); an interval over seeds is clipped to them, in the report's first-vs-last table and in the charts' bands */
  range?: readonly [number, number];
}

export type MetricRegistry = readonly MetricDef[];

/**
 * The metric fields of a row, derived from a registry: one number per entry (number | null for a
 * `nullable` one). `RowOf<typeof METRICS_REGISTRY>` is the metric part of MetricsRow.
 */
export type RowOf<R extends MetricRegistry> = { [M in R[number] as M['key']]: M extends { nullable: true } ? number | null : number };

export const METRICS_REGISTRY = [
  {
    key: 'winRate',
    label: 'Real win rate',
    plain: 'How often the generation really wins against a fixed panel (every scripted style and generation 0), both seats, in the simulator; draws count half.',
    unit: 'share of games',
    format: 'percent',
    range: [0, 1],
    better: 'higher',
    group: 'skill',
    chart: { title: 'Real win rate against the reference panel', yTitle: 'Win rate (draws count half)', subtitle: 'Played in the simulator against scripted players and generation 0' },
    report: true,
  },
  {
    key: 'believedWinRate',
    label: 'Believed win rate',
    plain: 'How often the generation believes it wins the same panel games when they are played inside its own world model instead of the simulator.',
    unit: 'share of games',
    format: 'percent',
    range: [0, 1],
    better: 'none',
    group: 'world',
    chart: { title: 'Believed win rate (inside the world model)', yTitle: 'Believed win rate', subtitle: 'The same panel games played in the generation’s own imagination' },
    report: true,
    nullable: true,
  },
  {
    key: 'selfDeception',
    label: 'Self-deception',
    plain: 'Believed minus real win rate: how much the model overrates itself; zero means it sees its own skill truly.',
    unit: 'win-rate points',
    format: 'number',
    better: 'none',
    group: 'world',
    chart: { title: 'Self-deception: believed minus real win rate', yTitle: 'Believed − real win rate', subtitle: 'Above zero: the model overrates itself' },
    report: true,
    nullable: true,
  },
  {
    key: 'elo',
    label: 'Elo',
    plain: 'A Bradley–Terry rating from games in the simulator (the scripted direct player is 1000), fitted once over the whole run so generations compare; eloLow/eloHigh bound its bootstrap 95% interval.',
    unit: 'Elo points',
    format: 'elo',
    better: 'higher',
    group: 'skill',
    chart: { title: 'Elo rating (Bradley–Terry, one fit over the run)', yTitle: 'Elo (scripted baseline = 1000)', subtitle: 'Games against the panel, peers and the previous generation, in the simulator' },
    report: true,
  },
  {
    key: 'worldNll',
    label: 'World-model NLL of real play',
    plain: 'How surprised the world model is by a fixed set of real games it never trained on (mean negative log-likelihood per transition); lower means its physics is closer to reality.',
    unit: 'nats per transition',
    format: 'number',
    better: 'lower',
    group: 'world',
    chart: { title: 'World model’s surprise at reality: NLL of held-out real transitions', yTitle: 'NLL (nats per transition)', subtitle: 'Lower is better; the paper’s perplexity on original data' },
    report: true,
    nullable: true,
  },
  {
    key: 'worldOutcomeAccuracy',
    label: 'World-model outcome accuracy',
    plain: 'How often the world model predicts the right outcome of a real move (the game goes on, or who wins), on held-out real games; compare with worldOutcomeBaseline.',
    unit: 'share of transitions',
    format: 'percent',
    range: [0, 1],
    better: 'higher',
    group: 'world',
    chart: { title: 'World model’s outcome accuracy on real play', yTitle: 'Accuracy', subtitle: 'Held-out real transitions; always answering the commonest outcome scores worldOutcomeBaseline' },
    report: true,
    nullable: true,
  },
  {
    key: 'worldOutcomeBaseline',
    label: 'Outcome baseline (majority class)',
    plain: 'The accuracy of always answering the most common outcome on the same real transitions: the bar worldOutcomeAccuracy must clear.',
    unit: 'share of transitions',
    format: 'percent',
    range: [0, 1],
    better: 'none',
    group: 'world',
    chart: null,
    report: false,
    nullable: true,
  },
  {
    key: 'worldTailCoverage',
    label: 'World-model tail coverage',
    plain: 'How many of reality’s rare outcomes (duel: games won by a lob; hockey: bank shots) the world model reproduces when it dreams the same real moves, relative to reality (1 = all).',
    unit: 'ratio to reality',
    format: 'number',
    better: 'none',
    group: 'world',
    chart: { title: 'Rare outcomes the world model still dreams', yTitle: 'Dreamt / real rare outcomes', subtitle: 'Same real moves, open loop; 1 = as many as reality' },
    report: true,
    nullable: true,
  },
  {
    key: 'realityGap',
    label: 'Reality gap',
    plain: 'How far the world model’s dream of a held-out real game ends from what physics did, for the same start and moves (RMS error of the last observation).',
    unit: 'observation units',
    format: 'number',
    better: 'lower',
    group: 'world',
    chart: { title: 'Reality gap: world model vs simulator', yTitle: 'RMS error of the last observation', subtitle: 'Held-out real games dreamt open loop from the same start and moves' },
    report: true,
    nullable: true,
  },
  {
    key: 'outcomeDisagreement',
    label: 'Outcome disagreement',
    plain: 'How often the world model’s dream of a held-out real game ends with a different result than physics gave.',
    unit: 'share of games',
    format: 'percent',
    range: [0, 1],
    better: 'lower',
    group: 'world',
    chart: { title: 'Outcome disagreement: world model vs simulator', yTitle: 'Disagreement rate', subtitle: 'How often the dreamt result differs from the real one' },
    report: true,
    nullable: true,
  },
  {
    key: 'realNll',
    label: 'Policy NLL of real play',
    plain: 'How unlike the real data’s play the policy is: mean negative log-likelihood of held-out real moves under it (a distance from the real data, not a skill).',
    unit: 'nats per action',
    format: 'number',
    better: 'none',
    group: 'distribution',
    chart: { title: 'Distance from the real data’s play: NLL of held-out real actions', yTitle: 'Negative log-likelihood (nats per action)', subtitle: 'Rises as the policy specialises or collapses; read it beside the win rate' },
    report: true,
  },
  {
    key: 'entropy',
    label: 'Policy entropy',
    plain: 'How varied the policy’s moves are on real game situations (differential entropy); both specialising and collapsing policies narrow.',
    unit: 'nats',
    format: 'number',
    better: 'none',
    group: 'distribution',
    chart: { title: 'Policy entropy on real states', yTitle: 'Entropy (nats)', subtitle: 'Narrowing with rising skill is specialisation; without it, collapse' },
    report: true,
  },
  {
    key: 'actionStd',
    label: 'Action spread',
    plain: 'The mean standard deviation of the policy’s moves on real game situations.',
    unit: 'action units',
    format: 'number',
    better: 'none',
    group: 'distribution',
    chart: { title: 'Spread of actions on real states', yTitle: 'Action standard deviation', subtitle: 'Mean std of sampled actions' },
    report: true,
  },
  {
    key: 'tailShare',
    label: 'Rare-style share',
    plain: 'The share of rare-style play (duel: lobs of 55° and more; hockey: bank shots) in the policy’s own real games, against D0’s share (d0TailShare).',
    unit: 'share of shots',
    format: 'percent',
    range: [0, 1],
    better: 'none',
    group: 'distribution',
    chart: { title: 'Rare-style play (the tails) in real self-play', yTitle: 'Share of rare-style play', subtitle: 'Dashed grey: the share in the real data D0' },
    report: true,
  },
  {
    key: 'w1',
    label: 'Distance of play from D0 (sliced W1)',
    plain: 'Sliced Wasserstein-1 distance between the (observation, action) pairs of the policy’s real play and of the real data D0.',
    unit: 'observation/action units',
    format: 'number',
    better: 'none',
    group: 'distribution',
    chart: { title: 'Distance of real play from D0 (sliced W1)', yTitle: 'Sliced Wasserstein-1', subtitle: '(observation, action) pairs of the generation’s play vs the real data' },
    report: true,
  },
  {
    key: 'trainSamples',
    label: 'Training samples',
    plain: 'How many (observation, action) samples the generation’s policy was trained on.',
    unit: 'samples',
    format: 'integer',
    better: 'none',
    group: 'data',
    chart: { title: 'Training-set size', yTitle: '(observation, action) samples', subtitle: 'Per generation' },
    report: true,
  },
] as const satisfies MetricRegistry;

/** A row's value of a registry metric: a number, or null when it is absent, null or not a number. */
export function metricValue(row: object, key: string): number | null {
  const v = (row as Record<string, unknown>)[key];
  return typeof v === 'number' ? v : null;
}

const BY_KEY = new Map<string, MetricDef>(METRICS_REGISTRY.map((m) => [m.key, m]));

/** The registry entry of a metrics.jsonl key, if it has one. */
export function metricDef(key: string): MetricDef | undefined {
  return BY_KEY.get(key);
}

/** The README's metric table (Markdown), derived from a registry. */
export function metricTableMarkdown(registry: MetricRegistry = METRICS_REGISTRY): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| key | what it says | unit | better |', '| --- | --- | --- | --- |'];
  for (const m of registry) lines.push(`| \`${m.key}\` | ${esc(m.plain)} | ${esc(m.unit)} | ${m.better === 'none' ? '–' : m.better} |`);
  return lines.join('\n');
}
