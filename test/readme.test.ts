import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricTableMarkdown, type MetricDef } from '../lab/metrics.ts';
import { withMetricTable } from '../scripts/readme-metrics.ts';

describe('README metric table', () => {
  it('is the metric registry’s table (npm run docs:metrics)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(withMetricTable(readme)).toBe(readme);
    expect(readme).toContain('| `worldNll` |');
  });
  it('a metric added to a registry appears in the generated table with no other edit', () => {
    const extra: MetricDef = {
      key: 'w1', label: 'Probe', plain: 'A probe metric | with a pipe.', unit: 'probes', format: 'number', better: 'lower', group: 'world', chart: null, report: false,
    };
    const table = metricTableMarkdown([extra]);
    expect(table.split('\n')).toEqual(['| key | what it says | unit | better |', '| --- | --- | --- | --- |', '| `w1` | A probe metric \\| with a pipe. | probes | lower |']);
    expect(withMetricTable('a\n<!-- metrics:begin -->\nold\n<!-- metrics:end -->\nb', table)).toBe(`a\n<!-- metrics:begin -->\n${table}\n<!-- metrics:end -->\nb`);
  });
});
