/**
 * Vega-Lite v5 spec builders shared by the CLI report and the app. Every spec carries its data
 * inline (aggregated here with lab/stats.ts), so it renders the same anywhere: vega-embed in the
 * app, vega View → SVG in the CLI. Pure: no DOM, no Node.
 *
 * The building blocks are split by concern: `charts-common.ts` (types, style, colours, the
 * line-with-band chart), `charts-physics.ts` (metric, believed vs real, action histograms) and
 * `charts-calibration.ts`; this module puts a report's charts together and re-exports them.
 */
import type { AnyRow, CalibrationRow, MetricsRow } from './types.ts';
import { lineagesOf } from './stats.ts';
import { slug, type ChartDef } from './charts-common.ts';
import { actionHistogramChart, believedVsRealChart, metricChart, metricInfo, reportMetrics } from './charts-physics.ts';
import { METRICS_REGISTRY, metricValue, type MetricRegistry } from './metrics.ts';
import { calibrationCharts } from './charts-calibration.ts';

export { CHART_WIDTH, lineageColourScale, slug, type ChartDef, type ChartOptions, type VegaLiteSpec } from './charts-common.ts';
export { METRIC_INFO, REPORT_METRICS, actionHistogramChart, believedVsRealChart, metricChart, metricInfo, reportMetrics } from './charts-physics.ts';
export { calibrationCharts } from './charts-calibration.ts';

/**
 * Every chart the rows support: for physics rows, each metric with data, believed vs real win
 * rate, and one action histogram per lineage; for calibration rows, `calibrationCharts`. The
 * metrics charted are the registry's (default: the metric registry, lab/metrics.ts).
 */
export function reportCharts(rows: readonly AnyRow[], registry: MetricRegistry = METRICS_REGISTRY): ChartDef[] {
  const gen = rows.filter((r): r is MetricsRow => r.kind === 'generation');
  const cal = rows.filter((r): r is CalibrationRow => r.kind === 'calibration');
  const out: ChartDef[] = [];
  if (gen.length > 0) {
    const info = metricInfo(registry);
    for (const metric of reportMetrics(registry)) {
      const has = gen.some((r) => Number.isFinite(metricValue(r, metric)));
      if (!has) continue;
      out.push({ id: `metric-${slug(metric)}`, title: info[metric]?.title ?? metric, spec: metricChart(gen, metric, {}, registry) });
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
