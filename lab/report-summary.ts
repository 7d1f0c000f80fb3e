/**
 * The report's numbers: first vs last generation of every metric per lineage, summarised over seeds
 * (mean with a 95% interval), and how they are formatted and described. The sentences built on them
 * are in `lab/report-reading.ts`, the Markdown and HTML pages in `lab/report.ts`. Pure.
 */
import type { AnyRow, CalibrationRow, MetricsRow } from './types.ts';
import { clipCI, lineagesOf, meanCI, type MeanCI } from './stats.ts';
import { METRICS_REGISTRY, metricValue, type MetricRegistry } from './metrics.ts';
import { maxOf, minOf } from '../sim/arrays.ts';

export interface ManifestLike {
  name: string;
  scenario: string;
  description?: string;
  lineages: { name: string; recipe: Record<string, unknown> }[];
  seeds: number[];
  generations: number;
  createdBy?: string;
}

export type Format = 'percent' | 'number' | 'integer' | 'elo';

/** One metric of one lineage: the first and last generation, summarised over seeds. */
export interface MetricSummary {
  key: string;
  label: string;
  format: Format;
  first: MeanCI;
  last: MeanCI;
  /** theoretical value at the last generation (calibration) */
  theoryLast?: number;
  /** a reference value, e.g. D0's tail share */
  reference?: { label: string; value: number };
}

export interface LineageSummary {
  lineage: string;
  firstGeneration: number;
  lastGeneration: number;
  seeds: number;
  metrics: MetricSummary[];
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** A compact, readable number. */
export function formatNumber(x: number, format: Format = 'number'): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '−∞';
  if (format === 'percent') return x === 0 ? '0%' : `${(100 * x).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;
  if (format === 'integer' || format === 'elo') return Math.round(x).toLocaleString('en-US');
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(1);
  if (a >= 1e-3) return String(Number(x.toPrecision(3)));
  return x.toExponential(2);
}

/** "mean [lo, hi]" (or just the mean with one seed). */
export function formatCI(ci: MeanCI, format: Format = 'number'): string {
  if (ci.n === 0) return '–';
  const lo = formatNumber(ci.lo, format);
  const hi = formatNumber(ci.hi, format);
  if (ci.n === 1 || lo === hi) return formatNumber(ci.mean, format);
  return `${formatNumber(ci.mean, format)} [${lo}, ${hi}]`;
}

export function overlaps(a: MeanCI, b: MeanCI): boolean {
  return !(a.hi < b.lo || b.hi < a.lo);
}

/**
 * "rose from X to Y" / "fell from X to Y" when the intervals are apart; otherwise says the change
 * is within the seed-to-seed spread; with one seed, says there is no interval.
 */
export function describeChange(label: string, first: MeanCI, last: MeanCI, format: Format = 'number'): string {
  const a = formatNumber(first.mean, format);
  const b = formatNumber(last.mean, format);
  if (first.n < 2 || last.n < 2) return `${label} went from ${a} to ${b} (one seed, so no confidence interval)`;
  if (last.lo > first.hi) return `${label} rose from ${a} to ${b}`;
  if (last.hi < first.lo) return `${label} fell from ${a} to ${b}`;
  return `${label} went from ${a} to ${b} (no clear change: the 95% intervals overlap)`;
}

function ciOf(values: (number | null | undefined)[]): MeanCI {
  return meanCI(values.filter((v): v is number => typeof v === 'number'));
}

function geoCI(values: (number | undefined)[]): MeanCI {
  const logs = values.filter((v): v is number => typeof v === 'number' && v > 0).map(Math.log);
  const c = meanCI(logs);
  return { mean: Math.exp(c.mean), lo: Math.exp(c.lo), hi: Math.exp(c.hi), n: c.n };
}

// ---------------------------------------------------------------------------------------------
// Summaries

function orderedLineages(manifest: ManifestLike, rows: readonly AnyRow[]): string[] {
  const present = new Set(lineagesOf(rows));
  const out = manifest.lineages.map((l) => l.name).filter((l) => present.has(l));
  for (const l of present) if (!out.includes(l)) out.push(l);
  return out;
}

/** The rows of one lineage with its first and last generation; null when it has none. */
function lineageSpan<R extends AnyRow>(rows: readonly R[], lineage: string): { sel: R[]; g0: number; g1: number } | null {
  const sel = rows.filter((r) => r.lineage === lineage);
  if (sel.length === 0) return null;
  const gens = sel.map((r) => r.generation);
  return { sel, g0: minOf(gens), g1: maxOf(gens) };
}

function summarizeGenerationLineage(lineage: string, rows: readonly MetricsRow[], registry: MetricRegistry): LineageSummary | null {
  const span = lineageSpan(rows, lineage);
  if (!span) return null;
  const { sel, g0, g1 } = span;
  const at = (g: number) => sel.filter((r) => r.generation === g);
  const metrics: MetricSummary[] = [];
  for (const m of registry.filter((d) => d.report)) {
    const first = clipCI(ciOf(at(g0).map((r) => metricValue(r, m.key))), m.range);
    const last = clipCI(ciOf(at(g1).map((r) => metricValue(r, m.key))), m.range);
    if (first.n === 0 && last.n === 0) continue;
    const s: MetricSummary = { key: m.key, label: m.label, format: m.format, first, last };
    if (m.key === 'tailShare') {
      const d0 = ciOf(sel.map((r) => r.d0TailShare));
      if (d0.n > 0) s.reference = { label: 'D0', value: d0.mean };
    }
    metrics.push(s);
  }
  return { lineage, firstGeneration: g0, lastGeneration: g1, seeds: new Set(sel.map((r) => r.seed)).size, metrics };
}

function theoryAt(rows: readonly CalibrationRow[], pick: (r: CalibrationRow) => number | undefined): number | undefined {
  for (const r of rows) {
    const v = pick(r);
    if (v !== undefined) return v;
  }
  return undefined;
}

function summarizeCalibrationLineage(lineage: string, rows: readonly CalibrationRow[]): LineageSummary | null {
  const span = lineageSpan(rows, lineage);
  if (!span) return null;
  const { sel, g0, g1 } = span;
  const first = sel.filter((r) => r.generation === g0);
  const last = sel.filter((r) => r.generation === g1);
  type Pick = (r: CalibrationRow) => number | undefined;
  /** one metric's first and last generation over seeds, with the theory's last value when there is one */
  const summary = (key: string, label: string, pick: Pick, ci: (v: (number | undefined)[]) => MeanCI = ciOf, theory?: Pick): MetricSummary => ({
    key,
    label,
    format: 'number',
    first: ci(first.map(pick)),
    last: ci(last.map(pick)),
    ...(theory && { theoryLast: theoryAt(last, theory) }),
  });
  const metrics: MetricSummary[] = [];
  if (sel.some((r) => r.variance !== undefined)) {
    metrics.push(summary('variance', 'Fitted variance (mean)', (r) => r.variance, ciOf, (r) => r.theoryVariance));
    metrics.push(summary('geoVariance', 'Fitted variance (geometric mean)', (r) => r.variance, geoCI, (r) => r.theoryGeoMeanVariance));
    metrics.push(summary('mean', 'Fitted mean', (r) => r.mean));
  }
  if (sel.some((r) => r.support !== undefined)) {
    metrics.push(summary('support', 'Support (categories with mass)', (r) => r.support, ciOf, (r) => r.theorySupport));
  }
  metrics.push(summary('distance', lineage.startsWith('categorical') ? 'Total variation to original' : 'W1 to original', (r) => r.distance));
  return { lineage, firstGeneration: g0, lastGeneration: g1, seeds: new Set(sel.map((r) => r.seed)).size, metrics };
}

/** First vs last generation of every metric (the registry's `report` ones for physics rows), per lineage (manifest order first). */
export function summarizeLineages(manifest: ManifestLike, rows: readonly AnyRow[], registry: MetricRegistry = METRICS_REGISTRY): LineageSummary[] {
  const gen = rows.filter((r): r is MetricsRow => r.kind === 'generation');
  const cal = rows.filter((r): r is CalibrationRow => r.kind === 'calibration');
  const out: LineageSummary[] = [];
  for (const l of orderedLineages(manifest, rows)) {
    const s = summarizeGenerationLineage(l, gen, registry) ?? summarizeCalibrationLineage(l, cal);
    if (s) out.push(s);
  }
  return out;
}
