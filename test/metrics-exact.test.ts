/** lab/metrics.ts, exactly: a row's metric value, the lookup by key, the README table from a registry. */
import { describe, expect, it } from 'vitest';
import { METRICS_REGISTRY, metricDef, metricTableMarkdown, metricValue, type MetricDef } from '../lab/metrics.ts';

describe('metric helpers', () => {
  it('metricValue: numbers only (NaN is a number), otherwise null', () => {
    expect(metricValue({ a: 0.25 }, 'a')).toBe(0.25);
    expect(metricValue({ a: 0 }, 'a')).toBe(0);
    expect(metricValue({ a: NaN }, 'a')).toBeNaN();
    expect(metricValue({ a: null }, 'a')).toBeNull();
    expect(metricValue({ a: '1' }, 'a')).toBeNull();
    expect(metricValue({}, 'a')).toBeNull();
  });

  it('metricDef: the registry entry of a key; undefined for others (inherited names included)', () => {
    expect(metricDef('winRate')).toBe(METRICS_REGISTRY[0]);
    expect(metricDef('trainSamples')?.format).toBe('integer');
    expect(metricDef('w1')?.label).toBe('Distance of play from D0 (sliced W1)');
    expect(metricDef('nope')).toBeUndefined();
    expect(metricDef('toString')).toBeUndefined();
  });

  it('metricTableMarkdown: header, one row per metric, pipes escaped, "–" when neither way is better', () => {
    const reg: MetricDef[] = [
      { key: 'a', label: 'A', plain: 'x | y', unit: 'u|v', format: 'number', better: 'higher', group: 'skill', chart: null, report: true },
      { key: 'b', label: 'B', plain: 'p', unit: 'q', format: 'percent', better: 'none', group: 'world', chart: null, report: false },
      { key: 'c', label: 'C', plain: 'r', unit: 's', format: 'integer', better: 'lower', group: 'data', chart: null, report: false },
    ];
    expect(metricTableMarkdown(reg)).toBe(
      ['| key | what it says | unit | better |', '| --- | --- | --- | --- |', '| `a` | x \\| y | u\\|v | higher |', '| `b` | p | q | – |', '| `c` | r | s | lower |'].join('\n'),
    );
    expect(metricTableMarkdown([])).toBe('| key | what it says | unit | better |\n| --- | --- | --- | --- |');
    const all = metricTableMarkdown().split('\n');
    expect(all).toHaveLength(2 + METRICS_REGISTRY.length);
    expect(all[2]).toBe(`| \`winRate\` | ${METRICS_REGISTRY[0].plain} | share of games | higher |`);
  });
});
