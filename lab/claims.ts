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

type Pick = (r: MetricsRow) => number | null | undefined;

/** A metric by name, or a metric minus another (e.g. worldOutcomeAccuracy − worldOutcomeBaseline). */
export function pick(metric: string, minus?: string): Pick {
  const get = (r: MetricsRow, k: string) => {
    const v = (r as unknown as Record<string, unknown>)[k];
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

/** The 95% interval of paired values; with one pair, a normal interval from `se` when given. */
function interval(values: number[], se: number | null): MeanCI {
  if (values.length === 1 && se !== null && Number.isFinite(se) && se > 0) {
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
    if (!(typeof se === 'number' && Number.isFinite(se))) return null;
    v += se ** 2;
  }
  return Math.sqrt(v);
}

/** A lineage's metric at one generation, over seeds. */
export function valueCI(rows: readonly MetricsRow[], lineage: string, metric: string, generation: number, minus?: string): MeanCI {
  const f = pick(metric, minus);
  const sel = [...bySeed(rows, lineage, generation).values()];
  const xs = sel.map(f).filter((v): v is number => v !== null && v !== undefined);
  return interval(xs, xs.length === 1 ? rowSe(metric, minus, sel) : null);
}

/** The interval of `hi − lo` over the seeds both have, paired by seed (in `hi`'s seed order). */
function pairedDifference(hi: Map<number, MetricsRow>, lo: Map<number, MetricsRow>, metric: string, minus?: string): MeanCI {
  const f = pick(metric, minus);
  const xs: number[] = [];
  let pair: MetricsRow[] = [];
  for (const [seed, rh] of hi) {
    const rl = lo.get(seed);
    if (!rl) continue;
    const vh = f(rh);
    const vl = f(rl);
    if (vh === null || vh === undefined || vl === null || vl === undefined) continue;
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
function hasInterval(ci: MeanCI): boolean {
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
