/**
 * When may the app, the report or an expectation claim an effect? Only when the run's own numbers
 * separate it by a 95% interval. Intervals are over seeds, paired by seed (the lineages of one seed
 * share generation 0, the reference panel and the evaluation games): the change of a lineage's
 * metric between two generations, the difference between two lineages (or two metrics) at one
 * generation, or one value. With a single seed, a metric has an interval only when its row carries a
 * standard error over the evaluation games (`winRateSe`, `selfDeceptionSe`); every other single-seed
 * comparison is not separable.
 * Pure: no DOM, no Node.
 */
import { meanCI, type MeanCI } from './stats.ts';
import type { MetricsRow } from './types.ts';

const Z975 = 1.959963984540054;

type Pick = (r: MetricsRow) => number | null;

/** A metric by name, or a metric minus another (e.g. worldOutcomeAccuracy − worldOutcomeBaseline). */
export function pick(metric: string, minus?: string): Pick {
  const get = (r: MetricsRow, k: string) => {
    const v = (r as unknown as Record<string, unknown>)[k];
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  if (!minus) return (r) => get(r, metric);
  return (r) => {
    const a = get(r, metric);
    const b = get(r, minus);
    return a === null || b === null ? null : a - b;
  };
}

function bySeed(rows: readonly MetricsRow[], lineage: string, generation: number): Map<number, MetricsRow> {
  const out = new Map<number, MetricsRow>();
  for (const r of rows) if (r.lineage === lineage && r.generation === generation) out.set(r.seed, r);
  return out;
}

/** The 95% interval of the values; `se` (given only for a single value): a normal interval from it. */
function interval(values: number[], se: number | null): MeanCI {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: null > 0 is false anyway; se = 0 gives the zero-width interval meanCI gives one value
  if (se !== null && se > 0) {
    return { mean: values[0], lo: values[0] - Z975 * se, hi: values[0] + Z975 * se, n: 1 };
  }
  return meanCI(values);
}

/**
 * A single seed's standard error of a value (one row) or of a difference (two rows, independent
 * evaluations): from the rows' `<metric>Se` fields (winRateSe, selfDeceptionSe), or null.
 */
function rowSe(metric: string, minus: string | undefined, rows: MetricsRow[]): number | null {
  if (minus) return null;
  let v = 0;
  for (const r of rows) {
    const se = (r as unknown as Record<string, unknown>)[`${metric}Se`];
    // Stryker disable next-line ConditionalExpression: a missing or NaN se makes the sum NaN, and NaN > 0 is false in interval() as null is
    if (!(typeof se === 'number' && Number.isFinite(se))) return null;
    v += se ** 2;
  }
  return Math.sqrt(v);
}

/** A lineage's metric at one generation, over seeds. */
export function valueCI(rows: readonly MetricsRow[], lineage: string, metric: string, generation: number, minus?: string): MeanCI {
  const f = pick(metric, minus);
  const xs: number[] = [];
  const used: MetricsRow[] = [];
  for (const r of bySeed(rows, lineage, generation).values()) {
    const v = f(r);
    if (v === null) continue;
    xs.push(v);
    used.push(r);
  }
  // a single value's standard error is its own row's, not that of a seed without a value
  return interval(xs, xs.length === 1 ? rowSe(metric, minus, used) : null);
}

/** The interval of `hi − lo` over the seeds both have, paired by seed (in `hi`'s seed order). */
function pairedDifference(hi: Map<number, MetricsRow>, lo: Map<number, MetricsRow>, metric: string, minus?: string): MeanCI {
  const f = pick(metric, minus);
  const xs: number[] = [];
  // Stryker disable next-line ArrayDeclaration: read only when exactly one pair was found, which set it
  let pair: MetricsRow[] = [];
  for (const [seed, rh] of hi) {
    const rl = lo.get(seed);
    if (!rl) continue;
    const vh = f(rh);
    const vl = f(rl);
    if (vh === null || vl === null) continue;
    xs.push(vh - vl);
    pair = [rh, rl];
  }
  return interval(xs, xs.length === 1 ? rowSe(metric, minus, pair) : null);
}

/** Change of a lineage's metric from generation `from` to `to`, paired by seed. */
export function changeCI(rows: readonly MetricsRow[], lineage: string, metric: string, from: number, to: number, minus?: string): MeanCI {
  return pairedDifference(bySeed(rows, lineage, to), bySeed(rows, lineage, from), metric, minus);
}

/** Difference `higher − lower` of two lineages' metric at one generation, paired by seed. */
export function differenceCI(rows: readonly MetricsRow[], metric: string, higher: string, lower: string, generation: number): MeanCI {
  return pairedDifference(bySeed(rows, higher, generation), bySeed(rows, lower, generation), metric);
}

/** Does the interval carry information? (a single value without a standard error does not) */
export function hasInterval(ci: MeanCI): boolean {
  return ci.n >= 2 || (ci.n === 1 && ci.lo !== ci.hi);
}

/** Is the 95% interval entirely above `by`? */
export function clearlyAbove(ci: MeanCI, by = 0): boolean {
  return hasInterval(ci) && ci.lo > by;
}

/** Is the 95% interval entirely below `−by`? */
export function clearlyBelow(ci: MeanCI, by = 0): boolean {
  return hasInterval(ci) && ci.hi < -by;
}

/** "+0.12 [0.05, 0.19]" for an interval, "+0.12 (no interval)" without one. */
export function formatInterval(ci: MeanCI, digits = 3): string {
  const f = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
  if (ci.n === 0) return '–';
  if (ci.lo === ci.hi) return `${f(ci.mean)} (no interval)`;
  return `${f(ci.mean)} [${f(ci.lo)}, ${f(ci.hi)}]`;
}
