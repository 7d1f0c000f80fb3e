/** lab/metric-words.ts: every metric and every other row field has a short name and a plain sentence. */
import { describe, expect, it } from 'vitest';
import { explainMetric, METRIC_WORDS } from '../lab/metric-words.ts';
import { METRICS_REGISTRY } from '../lab/metrics.ts';

describe('metric words', () => {
  it('the registry’s words for its metrics, then the other row fields, each a name and a sentence', () => {
    for (const m of METRICS_REGISTRY) expect(METRIC_WORDS[m.key]).toEqual({ name: m.label, plain: m.plain });
    const others = ['d0TailShare', 'eloProvisional', 'winRateSe', 'worldOutcomeRecall', 'provenance', 'actionHistogram'];
    expect(Object.keys(METRIC_WORDS)).toEqual([...METRICS_REGISTRY.map((m) => m.key), ...others]);
    for (const k of others) {
      const w = METRIC_WORDS[k];
      expect(w.name.length).toBeGreaterThan(3);
      // one plain sentence: a capital first, a full stop last
      expect(w.plain).toMatch(/^[A-Z].{20,}\.$/);
    }
  });

  it('explainMetric: the sentence of a known key, empty for an unknown one', () => {
    expect(explainMetric('provenance')).toBe(METRIC_WORDS.provenance.plain);
    expect(explainMetric('provenance')).toContain('training moves');
    expect(explainMetric('no-such-metric')).toBe('');
  });
});
