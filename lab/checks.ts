import type { Expectation } from './config.ts';
import type { MetricsRow } from './types.ts';
import { changeCI, clearlyAbove, clearlyBelow, differenceCI, formatInterval, valueCI } from './claims.ts';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

function meanAt(rows: MetricsRow[], lineage: string, metric: string, generation: number): number | null {
  const xs = rows
    .filter((r) => r.lineage === lineage && r.generation === generation)
    .map((r) => (r as unknown as Record<string, unknown>)[metric])
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

/**
 * Evaluate a preset's expectations against its metrics. Without `interval`, on means over seeds;
 * with `interval` (and always for `level`), on the 95% interval over seeds, paired by seed
 * (lab/claims.ts): the whole interval must clear the bound.
 */
export function evaluateExpectations(expectations: Expectation[], rows: MetricsRow[]): CheckResult[] {
  const last = rows.reduce((m, r) => Math.max(m, r.generation), 0);
  return expectations.map((e) => {
    if (e.kind === 'level') {
      const g = e.at === 'first' ? 0 : last;
      const what = e.minus ? `${e.metric} − ${e.minus}` : e.metric;
      const name = `${e.lineage}: ${what} ${e.direction} ${e.value} at generation ${g} (95% interval)`;
      const ci = valueCI(rows, e.lineage, e.metric, g, e.minus);
      if (ci.n === 0) return { name, ok: false, detail: `no ${what} values for ${e.lineage}` };
      const ok = e.direction === 'above' ? clearlyAbove(ci, e.value) : clearlyBelow(ci, -e.value);
      return { name, ok, detail: `${what} ${formatInterval(ci)}` };
    }
    if (e.kind === 'trend') {
      const name = `${e.lineage}: ${e.metric} ${e.direction}${e.by ? ` (by ${e.by})` : ''}${e.interval ? ' (95% interval)' : ''}`;
      const a = meanAt(rows, e.lineage, e.metric, 0);
      const b = meanAt(rows, e.lineage, e.metric, last);
      if (a === null || b === null) return { name, ok: false, detail: `no ${e.metric} values for ${e.lineage}` };
      const d = b - a;
      const detail = `generation 0: ${fmt(a)} → generation ${last}: ${fmt(b)} (change ${d >= 0 ? '+' : ''}${fmt(d)})`;
      if (e.interval) {
        const ci = changeCI(rows, e.lineage, e.metric, 0, last);
        const ok =
          e.direction === 'up' ? clearlyAbove(ci, e.by) : e.direction === 'down' ? clearlyBelow(ci, e.by) : e.direction === 'flat-or-up' ? ci.lo >= -e.by : ci.hi <= e.by;
        return { name, ok, detail: `${detail}; change over seeds ${formatInterval(ci)}` };
      }
      const ok =
        e.direction === 'up' ? d > e.by : e.direction === 'down' ? d < -e.by : e.direction === 'flat-or-up' ? d >= -e.by : d <= e.by;
      return { name, ok, detail };
    }
    const name = `${e.metric}: ${e.higher} > ${e.lower} at generation ${last}${e.by ? ` (by ${e.by})` : ''}${e.interval ? ' (95% interval)' : ''}`;
    const h = meanAt(rows, e.higher, e.metric, last);
    const l = meanAt(rows, e.lower, e.metric, last);
    if (h === null || l === null) return { name, ok: false, detail: `no ${e.metric} values at generation ${last}` };
    const detail = `${e.higher} ${fmt(h)} vs ${e.lower} ${fmt(l)}`;
    if (e.interval) {
      const ci = differenceCI(rows, e.metric, e.higher, e.lower, last);
      return { name, ok: clearlyAbove(ci, e.by), detail: `${detail}; difference over seeds ${formatInterval(ci)}` };
    }
    return { name, ok: h - l > e.by, detail };
  });
}
