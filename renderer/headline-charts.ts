/**
 * Presenter mode's headline charts: two or three small line charts that grow generation by
 * generation beside the arenas — real vs believed win rate (solid = real, dashed = believed, the
 * same line styles as the arenas), and the world model's fit to reality when the rows carry it.
 * Pure: builds SVG markup from metrics rows (no DOM), so it is unit-tested and cheap to redraw.
 */
import { lineageColourScale } from '../lab/charts.ts';
import { METRIC_WORDS } from '../lab/metric-words.ts';
import type { MetricsRow } from '../lab/types.ts';

export interface HeadlineSeries {
  lineage: string;
  /** 'real' lines are solid, 'believed' ones dashed */
  style: 'real' | 'believed';
  points: { generation: number; value: number }[];
}

export interface HeadlineChart {
  id: string;
  /** the metrics key the chart shows (its plain explanation is METRIC_WORDS[key]) */
  key: string;
  title: string;
  percent: boolean;
  series: HeadlineSeries[];
}

type RowLike = Pick<MetricsRow, 'lineage' | 'generation' | 'seed'>;
const field = (r: RowLike, key: string): unknown => (r as unknown as Record<string, unknown>)[key];

/** Metric charts in the order presenter mode prefers them; each only when its key is in the rows. */
const CANDIDATES: { id: string; key: string; title: string; percent: boolean }[] = [
  { id: 'headline-worldnll', key: 'worldNll', title: 'World model’s surprise at real games (NLL, lower is better)', percent: false },
  { id: 'headline-selfdeception', key: 'selfDeception', title: 'Self-deception: believed − real win rate', percent: true },
  { id: 'headline-tailcoverage', key: 'worldTailCoverage', title: 'Rare outcomes the world model still imagines', percent: true },
  { id: 'headline-outcomeaccuracy', key: 'worldOutcomeAccuracy', title: 'World model picks the real winner', percent: true },
];
/** shown only when none of the world-model metrics above is in the rows */
const FALLBACK = { id: 'headline-realitygap', key: 'realityGap', title: 'Reality gap: imagined vs real end of a game (lower is better)', percent: false };

/** Mean of `key` over seeds per lineage × generation, generations ≤ upTo. */
function seriesOf(rows: readonly RowLike[], key: string, upTo: number, lineages: string[]): { lineage: string; points: { generation: number; value: number }[] }[] {
  return lineages.map((lineage) => {
    const by = new Map<number, number[]>();
    for (const r of rows) {
      const v = field(r, key);
      if (r.lineage !== lineage || r.generation > upTo || typeof v !== 'number' || !Number.isFinite(v)) continue;
      by.set(r.generation, [...(by.get(r.generation) ?? []), v]);
    }
    const points = [...by].sort((a, b) => a[0] - b[0]).map(([generation, vs]) => ({ generation, value: vs.reduce((a, b) => a + b, 0) / vs.length }));
    return { lineage, points };
  });
}

/** The headline charts for rows up to generation `upTo` (at most `max`, win rate first). */
export function headlineCharts(rows: readonly RowLike[], upTo = Infinity, max = 3): HeadlineChart[] {
  const lineages = [...new Set(rows.map((r) => r.lineage))];
  const has = (key: string) => rows.some((r) => typeof field(r, key) === 'number');
  const out: HeadlineChart[] = [];
  if (has('winRate')) {
    const series: HeadlineSeries[] = [];
    for (const s of seriesOf(rows, 'winRate', upTo, lineages)) series.push({ ...s, style: 'real' });
    if (has('believedWinRate')) for (const s of seriesOf(rows, 'believedWinRate', upTo, lineages)) series.push({ ...s, style: 'believed' });
    out.push({ id: 'headline-winrate', key: 'winRate', title: 'Real (solid) vs believed (dashed) win rate', percent: true, series });
  }
  const world = CANDIDATES.filter((c) => has(c.key));
  for (const c of world.length ? world : has(FALLBACK.key) ? [FALLBACK] : []) {
    if (out.length >= max) break;
    out.push({ ...c, series: seriesOf(rows, c.key, upTo, lineages).map((s) => ({ ...s, style: 'real' as const })) });
  }
  return out;
}

/** Round, readable tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.round(v / step) * step + 0);
  return out;
}

/** A tick label: percentages as whole percents, other values with at most 3 significant digits. */
export function tickLabel(v: number, percent: boolean): string {
  if (percent) return `${Math.round(v * 100)}%`;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One sentence describing the chart's newest values (its accessible name's description). */
export function describeChart(c: HeadlineChart): string {
  const parts = c.series
    .filter((s) => s.points.length)
    .map((s) => {
      const last = s.points[s.points.length - 1];
      return `${s.lineage}${c.series.some((x) => x.style === 'believed') ? ` ${s.style}` : ''} ${tickLabel(last.value, c.percent)} at generation ${last.generation}`;
    });
  return `${c.title}. ${parts.length ? parts.join('; ') : 'No generation yet'}.`;
}

/** SVG markup of a headline chart, `width`×`height` user units, dark theme. */
export function headlineSvg(c: HeadlineChart, width: number, height: number, maxGeneration: number): string {
  const lineages = [...new Set(c.series.map((s) => s.lineage))];
  const colours = lineageColourScale(lineages);
  const colour = (l: string) => colours.range[colours.domain.indexOf(l)] ?? '#aaa';
  const values = c.series.flatMap((s) => s.points.map((p) => p.value));
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (c.percent) {
    lo = Math.min(0, lo);
    hi = Math.max(hi, lo < 0 ? 0.25 : 1);
  }
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const ticks = niceTicks(lo, hi, 4);
  lo = Math.min(lo, ticks[0]);
  hi = Math.max(hi, ticks[ticks.length - 1]);
  const m = { l: 52, r: 14, t: 10, b: 28 };
  const gx = Math.max(1, maxGeneration);
  const X = (g: number) => m.l + (g / gx) * (width - m.l - m.r);
  const Y = (v: number) => height - m.b - ((v - lo) / (hi - lo)) * (height - m.t - m.b);
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(`<line x1="${m.l}" x2="${width - m.r}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="#2c3446" stroke-width="1"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(Y(t) + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#aab3c5">${tickLabel(t, c.percent)}</text>`);
  }
  const gStep = Math.max(1, Math.ceil(gx / 8));
  for (let g = 0; g <= gx; g += gStep) parts.push(`<text x="${X(g).toFixed(1)}" y="${height - 9}" text-anchor="middle" font-size="12" fill="#aab3c5">${g}</text>`);
  parts.push(`<line x1="${m.l}" x2="${width - m.r}" y1="${height - m.b}" y2="${height - m.b}" stroke="#5f6a80" stroke-width="1"/>`);
  for (const s of c.series) {
    if (!s.points.length) continue;
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.generation).toFixed(1)},${Y(p.value).toFixed(1)}`).join('');
    const dash = s.style === 'believed' ? ' stroke-dasharray="7 5"' : '';
    parts.push(`<path class="headline-line" data-lineage="${esc(s.lineage)}" data-style="${s.style}" d="${d}" fill="none" stroke="${colour(s.lineage)}" stroke-width="${s.style === 'believed' ? 2.5 : 3.5}"${dash} stroke-linejoin="round"/>`);
    for (const p of s.points) {
      const fill = s.style === 'believed' ? '#151a23' : colour(s.lineage);
      parts.push(`<circle cx="${X(p.generation).toFixed(1)}" cy="${Y(p.value).toFixed(1)}" r="4" fill="${fill}" stroke="${colour(s.lineage)}" stroke-width="2"/>`);
    }
  }
  const desc = describeChart(c);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(desc)}"><title>${esc(desc)}</title>${parts.join('')}</svg>`;
}
