/**
 * What every Vega-Lite chart of Driftlab shares: the spec types, sizes, fonts and config, the
 * lineage colours, axis helpers and the line-with-band building block. The physics charts are in
 * `lab/charts-physics.ts`, the calibration charts in `lab/charts-calibration.ts`, and
 * `lab/charts.ts` puts a report's charts together. Pure: no DOM, no Node.
 */
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

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 280;
export const FONT = 'DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif';

export const CONFIG = {
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
export const PRESET_COLOURS: Record<string, string> = {
  grounded: '#1f77b4',
  recursive: '#d62728',
  accumulate: '#2ca02c',
  'fresh-mix': '#9467bd',
  verified: '#ff7f0e',
  distilled: '#8c564b',
};
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

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

export function titleBlock(text: string, subtitle?: string | string[]): Record<string, unknown> {
  return subtitle ? { text, subtitle } : { text };
}

/** Vega-Lite tooltip entries from [field, title, format?] triples. */
export function tooltip(...fields: [field: string, title: string, format?: string][]): { field: string; title: string; format?: string }[] {
  return fields.map(([field, title, format]) => (format === undefined ? { field, title } : { field, title, format }));
}

/** Legend entries drawn as strokes, long enough to show a dash pattern. */
export const LINE_LEGEND = { symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 2.5, symbolOpacity: 1 };

/** Dots on the lines only while they do not crowd. */
export function pointsFor(values: readonly { generation: number }[]): false | Record<string, unknown> {
  return new Set(values.map((v) => v.generation)).size <= 30 ? { size: 28, filled: true } : false;
}

/** Decade tick values covering the positive values, at most ~8 of them. */
export function logTicks(values: readonly number[]): number[] {
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
export const LOG_LABEL = "datum.value >= 0.001 && datum.value <= 1000 ? format(datum.value, '~g') : format(datum.value, '.0e')";

export const GEN_AXIS = { field: 'generation', type: 'quantitative', title: 'Generation', axis: { tickMinStep: 1, format: 'd' } };

export function seedCount(rows: readonly { seed: number }[]): number {
  return new Set(rows.map((r) => r.seed)).size;
}

export function bandSubtitle(rows: readonly { seed: number }[]): string {
  const n = seedCount(rows);
  return n > 1 ? `Line: mean over ${n} seeds; band: 95% confidence interval` : 'One seed: no confidence interval';
}

/**
 * Lines (mean) with 95% CI bands, one colour per lineage, for pre-aggregated values.
 * Internal building block of metricChart and the calibration distance charts.
 */
export function lineBandChart(
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
        tooltip: tooltip(
          ['lineage', 'Lineage'],
          ['generation', 'Generation'],
          ['mean', 'Mean', '.4g'],
          ['lo', '95% CI low', '.4g'],
          ['hi', '95% CI high', '.4g'],
          ['n', 'Seeds'],
        ),
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
