/**
 * Vega-Lite v5 spec builders shared by the CLI report and the app. Every spec carries its data
 * inline (aggregated here with lab/stats.ts), so it renders the same anywhere: vega-embed in the
 * app, vega View → SVG in the CLI. Pure: no DOM, no Node.
 */
import { METRICS_REGISTRY } from './metrics.ts';
import type { AnyRow, CalibrationRow, MetricsRow } from './types.ts';
import { aggregate, lineagesOf, meanCI } from './stats.ts';
import { maxOf, minOf } from '../sim/arrays.ts';

/** A Vega-Lite v5 top-level spec, as plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

export interface ChartDef {
  /** file-name safe identifier, unique within one report */
  id: string;
  title: string;
  spec: VegaLiteSpec;
}

export interface ChartOptions {
  title?: string;
  subtitle?: string | string[];
  yTitle?: string;
  width?: number;
  height?: number;
  /** 'percent' formats the y axis as percentages */
  yFormat?: 'percent' | 'number';
  /** include zero on the y axis (default false) */
  zero?: boolean;
  /** a dashed horizontal reference line */
  reference?: { value: number; label: string };
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
export const CHART_WIDTH = 560;
const CHART_HEIGHT = 280;
const FONT = 'DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif';

const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 12,
  title: { fontSize: 16, fontWeight: 'bold', subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start', offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', gridColor: '#e8e8e8', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', direction: 'horizontal', columns: 3, symbolStrokeWidth: 2.5, labelLimit: 260 },
  header: { labelFontSize: 13, titleFontSize: 13, labelFontWeight: 'bold' },
  view: { stroke: '#ddd' },
  line: { strokeWidth: 2 },
};

/** Fixed colours for the named presets, so a lineage looks the same in every chart. */
const PRESET_COLOURS: Record<string, string> = {
  grounded: '#1f77b4',
  recursive: '#d62728',
  accumulate: '#2ca02c',
  'fresh-mix': '#9467bd',
  verified: '#ff7f0e',
  distilled: '#8c564b',
};
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

/** A stable colour scale for these lineages: presets keep their colour, others take free ones. */
export function lineageColourScale(lineages: readonly string[]): { domain: string[]; range: string[] } {
  const used = new Set<string>();
  const range: string[] = [];
  for (const l of lineages) if (PRESET_COLOURS[l]) used.add(PRESET_COLOURS[l]);
  const free = PALETTE.filter((c) => !used.has(c));
  let k = 0;
  for (const l of lineages) {
    const preset = PRESET_COLOURS[l];
    range.push(preset ?? free[k++ % free.length] ?? PALETTE[k % PALETTE.length]);
  }
  return { domain: [...lineages], range };
}

/** A file-name safe id. */
export function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'chart';
}

function titleBlock(text: string, subtitle?: string | string[]): Record<string, unknown> {
  return subtitle ? { text, subtitle } : { text };
}

/** Legend entries drawn as strokes, long enough to show a dash pattern. */
const LINE_LEGEND = { symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 2.5, symbolOpacity: 1 };

/** Dots on the lines only while they do not crowd. */
function pointsFor(values: readonly { generation: number }[]): false | Record<string, unknown> {
  return new Set(values.map((v) => v.generation)).size <= 30 ? { size: 28, filled: true } : false;
}

/** Decade tick values covering the positive values, at most ~8 of them. */
function logTicks(values: readonly number[]): number[] {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return [1];
  const lo = Math.floor(Math.log10(minOf(pos)));
  const hi = Math.ceil(Math.log10(maxOf(pos)));
  const out: number[] = [];
  if (hi - lo <= 2) {
    // a narrow range: 1-2-5 steps
    for (let e = lo; e <= hi; e++) for (const m of [1, 2, 5]) if (e < hi || m === 1) out.push(Number((m * Math.pow(10, e)).toPrecision(3)));
    return out;
  }
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  for (let e = hi; e >= lo; e -= step) out.push(Math.pow(10, e));
  return out.reverse();
}

/** Axis labels for powers of ten: plain numbers near 1, exponents otherwise. */
const LOG_LABEL = "datum.value >= 0.001 && datum.value <= 1000 ? format(datum.value, '~g') : format(datum.value, '.0e')";

const GEN_AXIS = { field: 'generation', type: 'quantitative', title: 'Generation', axis: { tickMinStep: 1, format: 'd' } };

/** Chart metadata of the charted MetricsRow fields, from the metric registry (lab/metrics.ts). */
export const METRIC_INFO: Partial<Record<keyof MetricsRow, { title: string; yTitle: string; subtitle: string; format?: 'percent' }>> = Object.fromEntries(
  METRICS_REGISTRY.filter((m) => m.chart).map((m) => [m.key, { ...m.chart!, ...(m.format === 'percent' ? { format: 'percent' as const } : {}) }]),
);

/** Metrics charted by `reportCharts`, in registry order (the believed win rate has its own chart with the real one). */
export const REPORT_METRICS: (keyof MetricsRow)[] = METRICS_REGISTRY.filter((m) => m.chart && m.key !== 'believedWinRate').map((m) => m.key);

function seedCount(rows: readonly { seed: number }[]): number {
  return new Set(rows.map((r) => r.seed)).size;
}

function bandSubtitle(rows: readonly { seed: number }[]): string {
  const n = seedCount(rows);
  return n > 1 ? `Line: mean over ${n} seeds; band: 95% confidence interval` : 'One seed: no confidence interval';
}

/**
 * Lines (mean) with 95% CI bands, one colour per lineage, for pre-aggregated values.
 * Internal building block of metricChart and the calibration distance charts.
 */
function lineBandChart(
  values: { lineage: string; generation: number; mean: number; lo: number; hi: number; n: number }[],
  lineages: string[],
  o: Required<Pick<ChartOptions, 'title' | 'yTitle'>> & ChartOptions,
): VegaLiteSpec {
  // tick labels rounded to 4 significant digits at most (never "874.564058")
  const yAxis: Record<string, unknown> = o.yFormat === 'percent' ? { format: '.0%' } : { format: '.4~r' };
  const yScale = { zero: o.zero ?? false };
  const colour = { field: 'lineage', type: 'nominal', title: 'Lineage', scale: lineageColourScale(lineages), sort: lineages };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x: GEN_AXIS,
        y: { field: 'lo', type: 'quantitative', title: o.yTitle, scale: yScale, axis: yAxis },
        y2: { field: 'hi' },
        color: { ...colour, legend: LINE_LEGEND },
      },
    },
    {
      mark: { type: 'line', strokeWidth: 2.2, point: pointsFor(values) },
      encoding: {
        x: GEN_AXIS,
        y: { field: 'mean', type: 'quantitative', title: o.yTitle, scale: yScale, axis: yAxis },
        color: { ...colour, legend: LINE_LEGEND },
        tooltip: [
          { field: 'lineage', title: 'Lineage' },
          { field: 'generation', title: 'Generation' },
          { field: 'mean', title: 'Mean', format: '.4g' },
          { field: 'lo', title: '95% CI low', format: '.4g' },
          { field: 'hi', title: '95% CI high', format: '.4g' },
          { field: 'n', title: 'Seeds' },
        ],
      },
    },
  ];
  if (o.reference && Number.isFinite(o.reference.value)) {
    layers.push({
      data: { values: [{ ref: o.reference.value, label: o.reference.label }] },
      mark: { type: 'rule', color: '#777', strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: { field: 'ref', type: 'quantitative' } },
    });
    layers.push({
      data: { values: [{ ref: o.reference.value, label: o.reference.label }] },
      mark: { type: 'text', color: '#555', align: 'left', dx: 4, dy: -7, fontSize: 11, x: 0 },
      encoding: { y: { field: 'ref', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  return {
    $schema: SCHEMA,
    title: titleBlock(o.title, o.subtitle),
    width: o.width ?? CHART_WIDTH,
    height: o.height ?? CHART_HEIGHT,
    data: { values },
    // x lives in the data layers: the reference rule spans the whole width
    layer: layers,
    config: CONFIG,
  };
}

/**
 * One metric against generation: one coloured line per lineage (mean over seeds) with its 95%
 * confidence band. Rows whose value is null or non-finite are skipped.
 */
export function metricChart(rows: readonly MetricsRow[], metric: keyof MetricsRow, opts: ChartOptions = {}): VegaLiteSpec {
  const info = METRIC_INFO[metric];
  const values = aggregate(rows, (r) => {
    const v = r[metric];
    return typeof v === 'number' ? v : null;
  });
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
    ...aggregate(sel, 'winRate').map((a) => ({ ...a, series: REAL })),
    ...aggregate(sel, (r) => r.believedWinRate).map((a) => ({ ...a, series: BELIEVED })),
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
          tooltip: [
            { field: 'lineage', title: 'Lineage' },
            { field: 'series', title: 'Win rate' },
            { field: 'generation', title: 'Generation' },
            { field: 'mean', title: 'Mean', format: '.1%' },
            { field: 'n', title: 'Seeds' },
          ],
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
        tooltip: [
          { field: 'action', title: 'Action' },
          { field: 'generation', title: 'Generation' },
          { field: 'lo', title: 'Bin from', format: '.3g' },
          { field: 'hi', title: 'Bin to', format: '.3g' },
          { field: 'share', title: 'Share', format: '.2%' },
          { field: 'count', title: 'Count' },
        ],
      },
    },
    config: CONFIG,
  };
}

// ---------------------------------------------------------------------------------------------
// Calibration

const MEASURED = 'measured';
const THEORY = 'theory (exact)';
const STAT_MEAN = 'mean variance';
const STAT_GEO = 'geometric mean (typical path)';

function sortedLineages(rows: readonly CalibrationRow[], prefix: string): string[] {
  return lineagesOf(rows.filter((r) => r.lineage.startsWith(prefix)));
}

function sampleSizeOf(lineage: string): string {
  const m = /M=(\d+)/.exec(lineage);
  return m ? m[1] : '?';
}

/** Measured variance (mean and geometric mean, 95% CIs) beside the theory, one panel per lineage, log scale. */
function gaussianVarianceChart(rows: readonly CalibrationRow[], lineages: string[], M: string): VegaLiteSpec {
  const sel = rows.filter((r) => lineages.includes(r.lineage));
  type V = { lineage: string; generation: number; stat: string; source: string; value: number; lo?: number; hi?: number };
  const values: V[] = [];
  for (const a of aggregate(sel, 'variance')) values.push({ lineage: a.lineage, generation: a.generation, stat: STAT_MEAN, source: MEASURED, value: a.mean, lo: a.lo, hi: a.hi });
  for (const a of aggregate(sel, (r) => (r.variance !== undefined && r.variance > 0 ? Math.log(r.variance) : null))) {
    values.push({ lineage: a.lineage, generation: a.generation, stat: STAT_GEO, source: MEASURED, value: Math.exp(a.mean), lo: Math.exp(a.lo), hi: Math.exp(a.hi) });
  }
  const theorySeen = new Set<string>();
  for (const r of sel) {
    const k = `${r.lineage}|${r.generation}`;
    if (theorySeen.has(k)) continue;
    theorySeen.add(k);
    if (r.theoryVariance !== undefined) values.push({ lineage: r.lineage, generation: r.generation, stat: STAT_MEAN, source: THEORY, value: r.theoryVariance });
    if (r.theoryGeoMeanVariance !== undefined) {
      values.push({ lineage: r.lineage, generation: r.generation, stat: STAT_GEO, source: THEORY, value: r.theoryGeoMeanVariance });
    }
  }
  // Log scale: drop non-positive values and clip band ends at a floor below the smallest value.
  const positive = values.filter((v) => v.value > 0 && Number.isFinite(v.value));
  const floor = positive.reduce((m, v) => Math.min(m, v.value), Infinity) / 3;
  let clipped = false;
  for (const v of positive) {
    if (v.lo !== undefined && !(v.lo > floor)) {
      v.lo = floor;
      clipped = true;
    }
  }
  const n = seedCount(sel);
  const yAxis = { values: logTicks(positive.flatMap((v) => [v.value, v.lo ?? v.value, v.hi ?? v.value])), labelExpr: LOG_LABEL, grid: true };
  const statColour = {
    field: 'stat',
    type: 'nominal',
    title: 'Statistic',
    scale: { domain: [STAT_MEAN, STAT_GEO], range: ['#1f77b4', '#d62728'] },
  };
  return {
    $schema: SCHEMA,
    title: titleBlock(`Gaussian refitted on its own samples (M = ${M}): variance by generation`, [
      `Solid: measured over ${n} seed${n === 1 ? '' : 's'} with 95% CI band; dashed: exact theory. Log scale.`,
      'The mean can stay near 1 while the typical path (geometric mean) collapses towards 0.' +
        (clipped ? ' Bands are cut at the axis floor.' : ''),
    ]),
    data: { values: positive },
    facet: { field: 'lineage', type: 'nominal', title: null, sort: lineages },
    columns: 2,
    spec: {
      width: 255,
      height: 190,
      encoding: { x: GEN_AXIS },
      layer: [
        {
          transform: [{ filter: `datum.source === '${MEASURED}'` }],
          mark: { type: 'area', opacity: 0.15 },
          encoding: {
            y: { field: 'lo', type: 'quantitative', title: 'Fitted variance σ²', scale: { type: 'log' }, axis: yAxis },
            y2: { field: 'hi' },
            color: { ...statColour, legend: LINE_LEGEND },
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            y: { field: 'value', type: 'quantitative', title: 'Fitted variance σ²', scale: { type: 'log' }, axis: yAxis },
            color: { ...statColour, legend: LINE_LEGEND },
            strokeDash: {
              field: 'source',
              type: 'nominal',
              title: 'Source',
              scale: { domain: [MEASURED, THEORY], range: [[1, 0], [6, 4]] },
              legend: LINE_LEGEND,
            },
            tooltip: [
              { field: 'lineage', title: 'Lineage' },
              { field: 'stat', title: 'Statistic' },
              { field: 'source', title: 'Source' },
              { field: 'generation', title: 'Generation' },
              { field: 'value', title: 'Variance', format: '.4g' },
            ],
          },
        },
      ],
    },
    config: CONFIG,
  };
}

/** Measured support (mean ± CI) beside the exact expected support, one panel per lineage. */
function categoricalSupportChart(rows: readonly CalibrationRow[], lineages: string[]): VegaLiteSpec {
  const sel = rows.filter((r) => lineages.includes(r.lineage));
  type V = { lineage: string; generation: number; source: string; value: number; lo?: number; hi?: number };
  const values: V[] = aggregate(sel, 'support').map((a) => ({ lineage: a.lineage, generation: a.generation, source: MEASURED, value: a.mean, lo: a.lo, hi: a.hi }));
  const seen = new Set<string>();
  for (const r of sel) {
    const k = `${r.lineage}|${r.generation}`;
    if (seen.has(k) || r.theorySupport === undefined) continue;
    seen.add(k);
    values.push({ lineage: r.lineage, generation: r.generation, source: THEORY, value: r.theorySupport });
  }
  const C = Math.max(0, maxOf(sel.map((r) => r.probs?.length ?? 0)));
  const n = seedCount(sel);
  return {
    $schema: SCHEMA,
    title: titleBlock(`Categorical distribution refitted on its own samples: support by generation`, [
      `Categories still given non-zero probability, of ${C}. Solid: measured over ${n} seed${n === 1 ? '' : 's'} with 95% CI;`,
      'dashed: exact expectation (Wright–Fisher chain for replace; support fixed after generation 1 for accumulate)',
    ]),
    data: { values },
    facet: { field: 'lineage', type: 'nominal', title: null, sort: lineages },
    columns: 2,
    spec: {
      width: 255,
      height: 170,
      encoding: { x: GEN_AXIS },
      layer: [
        {
          transform: [{ filter: `datum.source === '${MEASURED}'` }],
          mark: { type: 'area', opacity: 0.18, color: '#2ca02c' },
          encoding: { y: { field: 'lo', type: 'quantitative', title: 'Support size', scale: { domain: [0, C] } }, y2: { field: 'hi' } },
        },
        {
          mark: { type: 'line', strokeWidth: 2, color: '#2ca02c' },
          encoding: {
            y: { field: 'value', type: 'quantitative', title: 'Support size', scale: { domain: [0, C] } },
            strokeDash: {
              field: 'source',
              type: 'nominal',
              title: 'Source',
              scale: { domain: [MEASURED, THEORY], range: [[1, 0], [6, 4]] },
              legend: LINE_LEGEND,
            },
            tooltip: [
              { field: 'lineage', title: 'Lineage' },
              { field: 'source', title: 'Source' },
              { field: 'generation', title: 'Generation' },
              { field: 'value', title: 'Support', format: '.3g' },
            ],
          },
        },
      ],
    },
    config: CONFIG,
  };
}

/** Mean probability of each category by generation, one panel per lineage: the rare categories vanish. */
function categoricalProbsChart(rows: readonly CalibrationRow[], lineages: string[]): VegaLiteSpec {
  const sums = new Map<string, { lineage: string; generation: number; sum: number[]; n: number }>();
  for (const r of rows) {
    if (!lineages.includes(r.lineage) || !r.probs) continue;
    const k = `${r.lineage}|${r.generation}`;
    let e = sums.get(k);
    if (!e) sums.set(k, (e = { lineage: r.lineage, generation: r.generation, sum: new Array<number>(r.probs.length).fill(0), n: 0 }));
    r.probs.forEach((p, i) => (e!.sum[i] += p));
    e.n++;
  }
  const values: { lineage: string; generation: number; category: number; p: number }[] = [];
  // Cells with no mass in any seed are left out: the white background shows through.
  for (const e of sums.values()) {
    e.sum.forEach((s, i) => {
      if (s > 0) values.push({ lineage: e.lineage, generation: e.generation, category: i + 1, p: s / e.n });
    });
  }
  return {
    $schema: SCHEMA,
    title: titleBlock('Categorical: mean probability of each category by generation', [
      'Categories ordered from common (left) to rare (right); white means no mass left (averaged over seeds)',
    ]),
    data: { values },
    facet: { field: 'lineage', type: 'nominal', title: null, sort: lineages },
    columns: 2,
    spec: {
      width: 255,
      height: 170,
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'category', type: 'ordinal', title: 'Category (rank)', axis: { labelAngle: 0, labelOverlap: true } },
        y: { field: 'generation', type: 'ordinal', title: 'Generation', axis: { labelOverlap: true } },
        color: {
          field: 'p',
          type: 'quantitative',
          title: 'Probability',
          scale: { type: 'sqrt', range: ['#ffffff', '#00441b'], interpolate: 'hcl', domainMin: 0 },
          legend: { direction: 'horizontal', orient: 'bottom', gradientLength: 260, labelOverlap: 'greedy' },
        },
        tooltip: [
          { field: 'lineage', title: 'Lineage' },
          { field: 'generation', title: 'Generation' },
          { field: 'category', title: 'Category' },
          { field: 'p', title: 'Mean probability', format: '.3g' },
        ],
      },
    },
    config: CONFIG,
  };
}

/**
 * Charts for calibration rows: per sample size M, the Gaussian variance against its theory and
 * the W1 distance to N(0, 1); for the categorical lineages, the support against its theory, the
 * category probabilities and the total variation distance.
 */
export function calibrationCharts(rows: readonly CalibrationRow[]): ChartDef[] {
  const out: ChartDef[] = [];
  const gauss = sortedLineages(rows, 'gaussian/');
  const Ms = [...new Set(gauss.map(sampleSizeOf))];
  for (const M of Ms) {
    const lins = gauss.filter((l) => sampleSizeOf(l) === M);
    const title = `Gaussian variance vs theory (M = ${M})`;
    out.push({ id: slug(`calibration-gaussian-variance-M${M}`), title, spec: gaussianVarianceChart(rows, lins, M) });
  }
  for (const M of Ms) {
    const lins = gauss.filter((l) => sampleSizeOf(l) === M);
    const sel = rows.filter((r) => lins.includes(r.lineage));
    out.push({
      id: slug(`calibration-gaussian-w1-M${M}`),
      title: `Gaussian: distance from the original (M = ${M})`,
      spec: lineBandChart(aggregate(sel, 'distance'), lins, {
        title: `Gaussian (M = ${M}): W1 distance of each generation from N(0, 1)`,
        subtitle: ['Exact 1-D Wasserstein-1 between the fitted Gaussian and the original', bandSubtitle(sel)],
        yTitle: 'W1 to N(0, 1)',
        zero: true,
      }),
    });
  }
  const cat = sortedLineages(rows, 'categorical/');
  if (cat.length > 0) {
    const sel = rows.filter((r) => cat.includes(r.lineage));
    out.push({ id: 'calibration-categorical-support', title: 'Categorical support vs theory', spec: categoricalSupportChart(rows, cat) });
    out.push({ id: 'calibration-categorical-probs', title: 'Categorical probabilities by generation', spec: categoricalProbsChart(rows, cat) });
    out.push({
      id: 'calibration-categorical-tv',
      title: 'Categorical: distance from the original',
      spec: lineBandChart(aggregate(sel, 'distance'), cat, {
        title: 'Categorical: total variation distance from the original distribution',
        subtitle: ['½ Σ |p_n − p_0| between each generation and generation 0', bandSubtitle(sel)],
        yTitle: 'Total variation',
        zero: true,
      }),
    });
  }
  return out;
}

/**
 * Every chart the rows support: for physics rows, each metric with data, believed vs real win
 * rate, and one action histogram per lineage; for calibration rows, `calibrationCharts`.
 */
export function reportCharts(rows: readonly AnyRow[]): ChartDef[] {
  const gen = rows.filter((r): r is MetricsRow => r.kind === 'generation');
  const cal = rows.filter((r): r is CalibrationRow => r.kind === 'calibration');
  const out: ChartDef[] = [];
  if (gen.length > 0) {
    for (const metric of REPORT_METRICS) {
      const has = gen.some((r) => typeof r[metric] === 'number' && Number.isFinite(r[metric] as number));
      if (!has) continue;
      out.push({ id: `metric-${slug(String(metric))}`, title: METRIC_INFO[metric]?.title ?? String(metric), spec: metricChart(gen, metric) });
      if (metric === 'winRate') {
        const bvr = believedVsRealChart(gen);
        if (bvr) out.push({ id: 'believed-vs-real', title: 'Believed vs real win rate', spec: bvr });
      }
    }
    for (const lineage of lineagesOf(gen)) {
      const spec = actionHistogramChart(gen, lineage);
      if (spec) out.push({ id: `actions-${slug(lineage)}`, title: `Actions by generation: ${lineage}`, spec });
    }
  }
  if (cal.length > 0) out.push(...calibrationCharts(cal));
  return out;
}
