/**
 * Charts of the physics experiments' rows: one metric against generation, believed vs real win
 * rate, and the action histograms per generation. Pure: no DOM, no Node.
 */
import { METRICS_REGISTRY, metricValue, type MetricRegistry } from './metrics.ts';
import type { MetricsRow } from './types.ts';
import { aggregate, clipCI, lineagesOf, meanCI } from './stats.ts';
import { CHART_HEIGHT, CHART_WIDTH, CONFIG, GEN_AXIS, LINE_LEGEND, SCHEMA, bandSubtitle, lineBandChart, lineageColourScale, pointsFor, seedCount, titleBlock, tooltip, type ChartOptions, type VegaLiteSpec } from './charts-common.ts';

export interface MetricChartInfo {
  title: string;
  yTitle: string;
  subtitle: string;
  format?: 'percent';
  /** the values the metric can take: its band is clipped to them */
  range?: readonly [number, number];
}

/** Chart metadata of the charted metrics of a registry (default: the metric registry, lab/metrics.ts). */
export function metricInfo(registry: MetricRegistry = METRICS_REGISTRY): Partial<Record<string, MetricChartInfo>> {
  return Object.fromEntries(registry.filter((m) => m.chart).map((m) => [m.key, { ...m.chart!, ...(m.format === 'percent' ? { format: 'percent' as const } : {}), range: m.range }]));
}

/** Metrics charted by `reportCharts`, in registry order (the believed win rate has its own chart with the real one). */
export function reportMetrics(registry: MetricRegistry = METRICS_REGISTRY): string[] {
  return registry.filter((m) => m.chart && m.key !== 'believedWinRate').map((m) => m.key);
}

/** Chart metadata of the charted MetricsRow fields, from the metric registry. */
export const METRIC_INFO = metricInfo() as Partial<Record<keyof MetricsRow, MetricChartInfo>>;

/** Metrics charted by `reportCharts` for the metric registry. */
export const REPORT_METRICS = reportMetrics() as (keyof MetricsRow)[];

/**
 * One metric against generation: one coloured line per lineage (mean over seeds) with its 95%
 * confidence band. Rows whose value is null or non-finite are skipped. `registry` (default: the
 * metric registry) gives the titles; another registry's metrics can be charted too.
 */
export function metricChart<R extends MetricRegistry = typeof METRICS_REGISTRY>(
  rows: readonly MetricsRow[],
  metric: keyof MetricsRow | R[number]['key'],
  opts: ChartOptions = {},
  registry: R | typeof METRICS_REGISTRY = METRICS_REGISTRY,
): VegaLiteSpec {
  const info = metricInfo(registry)[metric];
  // a share's band is clipped to [0, 1] like the report's table (a t interval over few seeds can pass 100 %)
  const values = aggregate(rows, (r) => metricValue(r, metric)).map((a) => clipCI(a, info?.range));
  const lineages = lineagesOf(values);
  let reference = opts.reference;
  if (!reference && metric === 'tailShare') {
    const d0 = meanCI(rows.map((r) => r.d0TailShare));
    if (d0.n > 0) reference = { value: d0.mean, label: 'D0 share' };
  }
  return lineBandChart(values, lineages, {
    ...opts,
    title: opts.title ?? info?.title ?? String(metric),
    yTitle: opts.yTitle ?? info?.yTitle ?? String(metric),
    subtitle: opts.subtitle ?? [info?.subtitle, bandSubtitle(rows)].filter((s): s is string => !!s),
    yFormat: opts.yFormat ?? info?.format,
    reference,
  });
}

/**
 * What each lineage believes its win rate is (dashed, played inside its world model) against
 * what it really is (solid, played in the simulator). Only lineages with a believed win rate are
 * drawn; returns null when there are none.
 */
export function believedVsRealChart(rows: readonly MetricsRow[], opts: ChartOptions = {}): VegaLiteSpec | null {
  const withBelief = new Set(rows.filter((r) => typeof r.believedWinRate === 'number' && Number.isFinite(r.believedWinRate)).map((r) => r.lineage));
  if (withBelief.size === 0) return null;
  const sel = rows.filter((r) => withBelief.has(r.lineage));
  const REAL = 'real (simulator)';
  const BELIEVED = 'believed (world model)';
  const values = [
    ...aggregate(sel, 'winRate').map((a) => ({ ...clipCI(a, METRIC_INFO.winRate?.range), series: REAL })),
    ...aggregate(sel, (r) => r.believedWinRate).map((a) => ({ ...clipCI(a, METRIC_INFO.believedWinRate?.range), series: BELIEVED })),
  ];
  const lineages = lineagesOf(sel);
  const colour = { field: 'lineage', type: 'nominal', title: 'Lineage', scale: lineageColourScale(lineages), sort: lineages };
  const percent = { format: '.0%' };
  return {
    $schema: SCHEMA,
    title: titleBlock(opts.title ?? 'Believed vs real win rate', opts.subtitle ?? [
      'Solid: real win rate in the simulator; dashed: the same games inside the world model',
      bandSubtitle(sel),
    ]),
    width: opts.width ?? CHART_WIDTH,
    height: opts.height ?? CHART_HEIGHT,
    data: { values },
    encoding: { x: GEN_AXIS },
    layer: [
      {
        mark: { type: 'area', opacity: 0.12 },
        encoding: {
          y: { field: 'lo', type: 'quantitative', title: 'Win rate', scale: { zero: false }, axis: percent },
          y2: { field: 'hi' },
          color: { ...colour, legend: LINE_LEGEND },
          detail: { field: 'series' },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2.2, point: pointsFor(values) },
        encoding: {
          y: { field: 'mean', type: 'quantitative', title: 'Win rate', scale: { zero: false }, axis: percent },
          color: { ...colour, legend: LINE_LEGEND },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: 'Win rate',
            scale: { domain: [REAL, BELIEVED], range: [[1, 0], [7, 4]] },
            legend: LINE_LEGEND,
          },
          tooltip: tooltip(['lineage', 'Lineage'], ['series', 'Win rate'], ['generation', 'Generation'], ['mean', 'Mean', '.1%'], ['n', 'Seeds']),
        },
      },
    ],
    config: CONFIG,
  };
}

/**
 * Generation × action-bin heatmap of one lineage's actions in real self-play, one panel per
 * action dimension, counts pooled over seeds and normalised per generation. Rare actions (the
 * tails) show as faint cells and vanish as white. Returns null when the lineage has no histogram.
 */
export function actionHistogramChart(rows: readonly MetricsRow[], lineage: string, opts: ChartOptions = {}): VegaLiteSpec | null {
  const sel = rows.filter((r) => r.lineage === lineage && r.actionHistogram && r.actionHistogram.counts.length > 0);
  if (sel.length === 0) return null;
  const { names, edges } = sel[0].actionHistogram;
  const bins = edges.length - 1;
  // generation → dim → bin counts
  const pooled = new Map<number, number[][]>();
  for (const r of sel) {
    const h = r.actionHistogram;
    if (h.names.length !== names.length || h.edges.length !== edges.length) continue;
    let g = pooled.get(r.generation);
    if (!g) pooled.set(r.generation, (g = names.map(() => new Array<number>(bins).fill(0))));
    for (let d = 0; d < names.length; d++) for (let b = 0; b < bins; b++) g[d][b] += h.counts[d]?.[b] ?? 0;
  }
  const values: { generation: number; action: string; lo: number; hi: number; share: number; count: number }[] = [];
  for (const generation of [...pooled.keys()].sort((a, b) => a - b)) {
    const g = pooled.get(generation)!;
    for (let d = 0; d < names.length; d++) {
      const total = g[d].reduce((a, b) => a + b, 0);
      for (let b = 0; b < bins; b++) {
        // empty bins are left out: the white background shows through
        if (g[d][b] > 0) values.push({ generation, action: names[d], lo: edges[b], hi: edges[b + 1], share: g[d][b] / total, count: g[d][b] });
      }
    }
  }
  const gap = 24;
  const panelWidth = Math.max(120, Math.floor(((opts.width ?? CHART_WIDTH) - gap * (names.length - 1)) / names.length));
  const gens = pooled.size;
  const n = seedCount(sel);
  return {
    $schema: SCHEMA,
    title: titleBlock(opts.title ?? `Actions by generation: ${lineage}`, opts.subtitle ?? [
      `Share of the policy’s actions per bin in real self-play${n > 1 ? `, pooled over ${n} seeds` : ''}`,
      'Faint cells are rare actions (the tails); white means none were taken',
    ]),
    data: { values },
    facet: { field: 'action', type: 'nominal', title: null, sort: names },
    columns: names.length,
    spacing: gap,
    spec: {
      width: panelWidth,
      height: opts.height ?? Math.min(360, Math.max(140, gens * 14)),
      mark: { type: 'rect', stroke: null },
      encoding: {
        x: {
          field: 'lo',
          type: 'quantitative',
          title: 'Action value',
          scale: { domain: [edges[0], edges[bins]], nice: false, zero: false },
          axis: { grid: false },
        },
        x2: { field: 'hi' },
        y: { field: 'generation', type: 'ordinal', title: 'Generation', sort: 'ascending' },
        color: {
          field: 'share',
          type: 'quantitative',
          title: 'Share of actions',
          scale: { type: 'sqrt', range: ['#ffffff', '#08306b'], interpolate: 'hcl', domainMin: 0 },
          legend: { format: '.0%', direction: 'horizontal', orient: 'bottom', gradientLength: 260, labelOverlap: 'greedy' },
        },
        tooltip: tooltip(
          ['action', 'Action'],
          ['generation', 'Generation'],
          ['lo', 'Bin from', '.3g'],
          ['hi', 'Bin to', '.3g'],
          ['share', 'Share', '.2%'],
          ['count', 'Count'],
        ),
      },
    },
    config: CONFIG,
  };
}
