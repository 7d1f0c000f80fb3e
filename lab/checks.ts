import type { Expectation } from './config.ts';
import type { MetricsRow } from './types.ts';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

function meanAt(rows: MetricsRow[], lineage: string, metric: string, generation: number): number | null {
  const xs = rows
    .filter((r) => r.lineage === lineage && r.generation === generation)
    .map((r) => (r as unknown as Record<string, unknown>)[metric])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

/** Evaluate a preset's expectations against its metrics (means over seeds). */
export function evaluateExpectations(expectations: Expectation[], rows: MetricsRow[]): CheckResult[] {
  const last = rows.reduce((m, r) => Math.max(m, r.generation), 0);
  return expectations.map((e) => {
    if (e.kind === 'trend') {
      const name = `${e.lineage}: ${e.metric} ${e.direction}${e.by ? ` (by ${e.by})` : ''}`;
      const a = meanAt(rows, e.lineage, e.metric, 0);
      const b = meanAt(rows, e.lineage, e.metric, last);
      if (a === null || b === null) return { name, ok: false, detail: `no ${e.metric} values for ${e.lineage}` };
      const d = b - a;
      const ok =
        e.direction === 'up' ? d > e.by : e.direction === 'down' ? d < -e.by : e.direction === 'flat-or-up' ? d >= -e.by : d <= e.by;
      return { name, ok, detail: `generation 0: ${fmt(a)} → generation ${last}: ${fmt(b)} (change ${d >= 0 ? '+' : ''}${fmt(d)})` };
    }
    const name = `${e.metric}: ${e.higher} > ${e.lower} at generation ${last}${e.by ? ` (by ${e.by})` : ''}`;
    const h = meanAt(rows, e.higher, e.metric, last);
    const l = meanAt(rows, e.lower, e.metric, last);
    if (h === null || l === null) return { name, ok: false, detail: `no ${e.metric} values at generation ${last}` };
    return { name, ok: h - l > e.by, detail: `${e.higher} ${fmt(h)} vs ${e.lower} ${fmt(l)}` };
  });
}
