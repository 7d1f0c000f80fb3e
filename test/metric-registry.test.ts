/**
 * The metric registry drives everything downstream: a metric added in a fixture registry (one
 * entry, nothing else edited) appears in the row type, in a chart, in the report's
 * first-vs-last table and in the README's metric table; and the real row type's metric fields
 * are exactly the real registry's keys.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { reportCharts, metricChart } from '../lab/charts.ts';
import { METRICS_REGISTRY, metricTableMarkdown, type MetricRegistry, type RowOf } from '../lab/metrics.ts';
import { renderSummaryMarkdown, type ManifestLike } from '../lab/report.ts';
import type { MetricsRow, RegistryMetrics } from '../lab/types.ts';

const FIXTURE = [
  ...METRICS_REGISTRY,
  {
    key: 'probeScore',
    label: 'Probe score',
    plain: 'A fixture metric that exists only in this test.',
    unit: 'probes',
    format: 'integer',
    better: 'higher',
    group: 'skill',
    chart: { title: 'Probe score of the fixture', yTitle: 'Probes', subtitle: 'Only in the fixture registry' },
    report: true,
  },
  { key: 'probeGap', label: 'Probe gap', plain: 'A nullable fixture metric.', unit: 'probes', format: 'number', better: 'none', group: 'world', chart: null, report: false, nullable: true },
] as const satisfies MetricRegistry;

type FixtureRow = Omit<MetricsRow, keyof RegistryMetrics> & RowOf<typeof FIXTURE>;

const manifest: ManifestLike = {
  name: 'Fixture',
  scenario: 'duel',
  lineages: [{ name: 'grounded', recipe: { source: 'simulator' } }],
  seeds: [1, 2],
  generations: 1,
};

/** Two seeds × generations 0 and 1 of one lineage; probeScore is 10·(generation + 1) + seed. */
function rows(): FixtureRow[] {
  const out: FixtureRow[] = [];
  for (const seed of [1, 2]) {
    for (const generation of [0, 1]) {
      const metrics = Object.fromEntries(METRICS_REGISTRY.map((m) => [m.key, 0.5])) as RegistryMetrics;
      out.push({
        ...metrics,
        kind: 'generation', experiment: 'fixture', scenario: 'duel', lineage: 'grounded', generation, seed,
        eloLow: null, eloHigh: null, eloProvisional: 1000, winRateSe: 0, selfDeceptionSe: null, worldOutcomeRecall: null, d0TailShare: 0.2,
        provenance: {}, actionHistogram: { names: [], edges: [], counts: [] },
        probeScore: 10 * (generation + 1) + seed,
        probeGap: null,
      });
    }
  }
  return out;
}

describe('a metric added in a fixture registry', () => {
  it('appears in the row type: a number, or number | null when nullable', () => {
    expectTypeOf<FixtureRow['probeScore']>().toEqualTypeOf<number>();
    expectTypeOf<FixtureRow['probeGap']>().toEqualTypeOf<number | null>();
    expectTypeOf<FixtureRow['worldNll']>().toEqualTypeOf<number | null>();
    expectTypeOf<FixtureRow['winRate']>().toEqualTypeOf<number>();
    // the real row's metric fields are exactly the real registry's keys
    expectTypeOf<keyof RegistryMetrics>().toEqualTypeOf<(typeof METRICS_REGISTRY)[number]['key']>();
    expectTypeOf<MetricsRow>().toMatchTypeOf<RegistryMetrics>();
  });

  it('appears in the report charts, with its title and its per-generation means', () => {
    const charts = reportCharts(rows(), FIXTURE);
    const probe = charts.find((c) => c.id === 'metric-probescore');
    expect(probe?.title).toBe('Probe score of the fixture');
    expect(reportCharts(rows()).some((c) => c.id === 'metric-probescore')).toBe(false);
    const spec = metricChart(rows(), 'probeScore', {}, FIXTURE);
    const values = (spec.data as { values: { generation: number; mean: number; n: number }[] }).values;
    expect(values.map((v) => [v.generation, v.mean, v.n])).toEqual([
      [0, 11.5, 2],
      [1, 21.5, 2],
    ]);
    expect(JSON.stringify(spec.title)).toContain('Probe score of the fixture');
  });

  it('appears in the report’s first-vs-last table', () => {
    const md = renderSummaryMarkdown(manifest, rows(), undefined, FIXTURE);
    expect(md).toMatch(/^\| Probe score \| 12 \[.*\] \| 22 \[.*\] \|$/m);
    expect(md).not.toContain('Probe gap'); // report: false
    expect(renderSummaryMarkdown(manifest, rows())).not.toContain('Probe score');
  });

  it('appears in the README’s metric table', () => {
    const table = metricTableMarkdown(FIXTURE).split('\n');
    expect(table).toContain('| `probeScore` | A fixture metric that exists only in this test. | probes | higher |');
    expect(table).toHaveLength(2 + FIXTURE.length);
  });
});
