/**
 * Charts of the calibration experiment (the paper's own toy): the Gaussian's variance and W1
 * beside the exact theory, the categorical's support, probabilities and total variation. Pure.
 */
import type { CalibrationRow } from './types.ts';
import { aggregate, lineagesOf } from './stats.ts';
import { maxOf } from '../sim/arrays.ts';
import { CONFIG, GEN_AXIS, LINE_LEGEND, LOG_LABEL, SCHEMA, bandSubtitle, lineBandChart, logTicks, seedCount, slug, titleBlock, tooltip, type ChartDef, type VegaLiteSpec } from './charts-common.ts';

const MEASURED = 'measured';
const THEORY = 'theory (exact)';
const STAT_MEAN = 'mean variance';
const STAT_GEO = 'geometric mean (typical path)';
/** Solid for the measured line, dashed for the exact theory. */
const SOURCE_DASH = { field: 'source', type: 'nominal', title: 'Source', scale: { domain: [MEASURED, THEORY], range: [[1, 0], [6, 4]] }, legend: LINE_LEGEND };

/** One panel per lineage in two columns; `panel` is each panel's spec after its width and height. */
function lineagePanels(title: Record<string, unknown>, values: unknown[], lineages: string[], height: number, panel: Record<string, unknown>): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    facet: { field: 'lineage', type: 'nominal', title: null, sort: lineages },
    columns: 2,
    spec: { width: 255, height, ...panel },
    config: CONFIG,
  };
}

function sortedLineages(rows: readonly CalibrationRow[], prefix: string): string[] {
  return lineagesOf(rows.filter((r) => r.lineage.startsWith(prefix)));
}

function sampleSizeOf(lineage: string): string {
  const m = /M=(\d+)/.exec(lineage);
  return m ? m[1] : '?';
}

/** Measured variance (mean and geometric mean, 95% CIs) beside the theory, one panel per lineage, log scale. */
function gaussianVarianceChart(rows: readonly CalibrationRow[], lineages: string[], M: string): VegaLiteSpec {
  const sel = rows.filter((r) => lineages.includes(r.lineage));
  type V = { lineage: string; generation: number; stat: string; source: string; value: number; lo?: number; hi?: number };
  const values: V[] = [];
  for (const a of aggregate(sel, 'variance')) values.push({ lineage: a.lineage, generation: a.generation, stat: STAT_MEAN, source: MEASURED, value: a.mean, lo: a.lo, hi: a.hi });
  for (const a of aggregate(sel, (r) => (r.variance !== undefined && r.variance > 0 ? Math.log(r.variance) : null))) {
    values.push({ lineage: a.lineage, generation: a.generation, stat: STAT_GEO, source: MEASURED, value: Math.exp(a.mean), lo: Math.exp(a.lo), hi: Math.exp(a.hi) });
  }
  const theorySeen = new Set<string>();
  for (const r of sel) {
    const k = `${r.lineage}|${r.generation}`;
    if (theorySeen.has(k)) continue;
    theorySeen.add(k);
    if (r.theoryVariance !== undefined) values.push({ lineage: r.lineage, generation: r.generation, stat: STAT_MEAN, source: THEORY, value: r.theoryVariance });
    if (r.theoryGeoMeanVariance !== undefined) {
      values.push({ lineage: r.lineage, generation: r.generation, stat: STAT_GEO, source: THEORY, value: r.theoryGeoMeanVariance });
    }
  }
  // Log scale: drop non-positive values and clip band ends at a floor below the smallest value.
  const positive = values.filter((v) => v.value > 0 && Number.isFinite(v.value));
  const floor = positive.reduce((m, v) => Math.min(m, v.value), Infinity) / 3;
  let clipped = false;
  for (const v of positive) {
    if (v.lo !== undefined && !(v.lo > floor)) {
      v.lo = floor;
      clipped = true;
    }
  }
  const n = seedCount(sel);
  const yAxis = { values: logTicks(positive.flatMap((v) => [v.value, v.lo ?? v.value, v.hi ?? v.value])), labelExpr: LOG_LABEL, grid: true };
  const statColour = {
    field: 'stat',
    type: 'nominal',
    title: 'Statistic',
    scale: { domain: [STAT_MEAN, STAT_GEO], range: ['#1f77b4', '#d62728'] },
  };
  return lineagePanels(
    titleBlock(`Gaussian refitted on its own samples (M = ${M}): variance by generation`, [
      `Solid: measured over ${n} seed${n === 1 ? '' : 's'} with 95% CI band; dashed: exact theory. Log scale.`,
      'The mean can stay near 1 while the typical path (geometric mean) collapses towards 0.' +
        (clipped ? ' Bands are cut at the axis floor.' : ''),
    ]),
    positive,
    lineages,
    190,
    {
      encoding: { x: GEN_AXIS },
      layer: [
        {
          transform: [{ filter: `datum.source === '${MEASURED}'` }],
          mark: { type: 'area', opacity: 0.15 },
          encoding: {
            y: { field: 'lo', type: 'quantitative', title: 'Fitted variance σ²', scale: { type: 'log' }, axis: yAxis },
            y2: { field: 'hi' },
            color: { ...statColour, legend: LINE_LEGEND },
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            y: { field: 'value', type: 'quantitative', title: 'Fitted variance σ²', scale: { type: 'log' }, axis: yAxis },
            color: { ...statColour, legend: LINE_LEGEND },
            strokeDash: SOURCE_DASH,
            tooltip: tooltip(['lineage', 'Lineage'], ['stat', 'Statistic'], ['source', 'Source'], ['generation', 'Generation'], ['value', 'Variance', '.4g']),
          },
        },
      ],
    },
  );
}

/** Measured support (mean ± CI) beside the exact expected support, one panel per lineage. */
function categoricalSupportChart(rows: readonly CalibrationRow[], lineages: string[]): VegaLiteSpec {
  const sel = rows.filter((r) => lineages.includes(r.lineage));
  type V = { lineage: string; generation: number; source: string; value: number; lo?: number; hi?: number };
  const values: V[] = aggregate(sel, 'support').map((a) => ({ lineage: a.lineage, generation: a.generation, source: MEASURED, value: a.mean, lo: a.lo, hi: a.hi }));
  const seen = new Set<string>();
  for (const r of sel) {
    const k = `${r.lineage}|${r.generation}`;
    if (seen.has(k) || r.theorySupport === undefined) continue;
    seen.add(k);
    values.push({ lineage: r.lineage, generation: r.generation, source: THEORY, value: r.theorySupport });
  }
  const C = Math.max(0, maxOf(sel.map((r) => r.probs?.length ?? 0)));
  const n = seedCount(sel);
  return lineagePanels(
    titleBlock(`Categorical distribution refitted on its own samples: support by generation`, [
      `Categories still given non-zero probability, of ${C}. Solid: measured over ${n} seed${n === 1 ? '' : 's'} with 95% CI;`,
      'dashed: exact expectation (Wright–Fisher chain for replace; support fixed after generation 1 for accumulate)',
    ]),
    values,
    lineages,
    170,
    {
      encoding: { x: GEN_AXIS },
      layer: [
        {
          transform: [{ filter: `datum.source === '${MEASURED}'` }],
          mark: { type: 'area', opacity: 0.18, color: '#2ca02c' },
          encoding: { y: { field: 'lo', type: 'quantitative', title: 'Support size', scale: { domain: [0, C] } }, y2: { field: 'hi' } },
        },
        {
          mark: { type: 'line', strokeWidth: 2, color: '#2ca02c' },
          encoding: {
            y: { field: 'value', type: 'quantitative', title: 'Support size', scale: { domain: [0, C] } },
            strokeDash: SOURCE_DASH,
            tooltip: tooltip(['lineage', 'Lineage'], ['source', 'Source'], ['generation', 'Generation'], ['value', 'Support', '.3g']),
          },
        },
      ],
    },
  );
}

/** Mean probability of each category by generation, one panel per lineage: the rare categories vanish. */
function categoricalProbsChart(rows: readonly CalibrationRow[], lineages: string[]): VegaLiteSpec {
  const sums = new Map<string, { lineage: string; generation: number; sum: number[]; n: number }>();
  for (const r of rows) {
    if (!lineages.includes(r.lineage) || !r.probs) continue;
    const k = `${r.lineage}|${r.generation}`;
    let e = sums.get(k);
    if (!e) sums.set(k, (e = { lineage: r.lineage, generation: r.generation, sum: new Array<number>(r.probs.length).fill(0), n: 0 }));
    r.probs.forEach((p, i) => (e!.sum[i] += p));
    e.n++;
  }
  const values: { lineage: string; generation: number; category: number; p: number }[] = [];
  // Cells with no mass in any seed are left out: the white background shows through.
  for (const e of sums.values()) {
    e.sum.forEach((s, i) => {
      if (s > 0) values.push({ lineage: e.lineage, generation: e.generation, category: i + 1, p: s / e.n });
    });
  }
  return lineagePanels(
    titleBlock('Categorical: mean probability of each category by generation', [
      'Categories ordered from common (left) to rare (right); white means no mass left (averaged over seeds)',
    ]),
    values,
    lineages,
    170,
    {
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'category', type: 'ordinal', title: 'Category (rank)', axis: { labelAngle: 0, labelOverlap: true } },
        y: { field: 'generation', type: 'ordinal', title: 'Generation', axis: { labelOverlap: true } },
        color: {
          field: 'p',
          type: 'quantitative',
          title: 'Probability',
          scale: { type: 'sqrt', range: ['#ffffff', '#00441b'], interpolate: 'hcl', domainMin: 0 },
          legend: { direction: 'horizontal', orient: 'bottom', gradientLength: 260, labelOverlap: 'greedy' },
        },
        tooltip: tooltip(['lineage', 'Lineage'], ['generation', 'Generation'], ['category', 'Category'], ['p', 'Mean probability', '.3g']),
    },
    },
  );
}

/**
 * Charts for calibration rows: per sample size M, the Gaussian variance against its theory and
 * the W1 distance to N(0, 1); for the categorical lineages, the support against its theory, the
 * category probabilities and the total variation distance.
 */
export function calibrationCharts(rows: readonly CalibrationRow[]): ChartDef[] {
  const out: ChartDef[] = [];
  const gauss = sortedLineages(rows, 'gaussian/');
  const Ms = [...new Set(gauss.map(sampleSizeOf))];
  for (const M of Ms) {
    const lins = gauss.filter((l) => sampleSizeOf(l) === M);
    const title = `Gaussian variance vs theory (M = ${M})`;
    out.push({ id: slug(`calibration-gaussian-variance-M${M}`), title, spec: gaussianVarianceChart(rows, lins, M) });
  }
  for (const M of Ms) {
    const lins = gauss.filter((l) => sampleSizeOf(l) === M);
    const sel = rows.filter((r) => lins.includes(r.lineage));
    out.push({
      id: slug(`calibration-gaussian-w1-M${M}`),
      title: `Gaussian: distance from the original (M = ${M})`,
      spec: lineBandChart(aggregate(sel, 'distance'), lins, {
        title: `Gaussian (M = ${M}): W1 distance of each generation from N(0, 1)`,
        subtitle: ['Exact 1-D Wasserstein-1 between the fitted Gaussian and the original', bandSubtitle(sel)],
        yTitle: 'W1 to N(0, 1)',
        zero: true,
      }),
    });
  }
  const cat = sortedLineages(rows, 'categorical/');
  if (cat.length > 0) {
    const sel = rows.filter((r) => cat.includes(r.lineage));
    out.push({ id: 'calibration-categorical-support', title: 'Categorical support vs theory', spec: categoricalSupportChart(rows, cat) });
    out.push({ id: 'calibration-categorical-probs', title: 'Categorical probabilities by generation', spec: categoricalProbsChart(rows, cat) });
    out.push({
      id: 'calibration-categorical-tv',
      title: 'Categorical: distance from the original',
      spec: lineBandChart(aggregate(sel, 'distance'), cat, {
        title: 'Categorical: total variation distance from the original distribution',
        subtitle: ['½ Σ |p_n − p_0| between each generation and generation 0', bandSubtitle(sel)],
        yTitle: 'Total variation',
        zero: true,
      }),
    });
  }
  return out;
}
