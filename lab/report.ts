/**
 * The run report: a Markdown summary and a self-contained HTML page (inline CSS and SVG, no
 * external resources). Every sentence is generated from the numbers, and a change is only called
 * a rise or a fall when the 95% intervals of the first and last generation do not overlap.
 * Pure: no DOM, no Node.
 */
import type { AnyRow, CalibrationRow, MetricsRow } from './types.ts';
import { lineagesOf, meanCI, type MeanCI } from './stats.ts';
import { METRICS_REGISTRY } from './metrics.ts';
import { clearlyAbove, clearlyBelow, differenceCI, valueCI } from './claims.ts';
import { maxOf, minOf } from '../sim/arrays.ts';

export interface ManifestLike {
  name: string;
  scenario: string;
  description?: string;
  lineages: { name: string; recipe: Record<string, unknown> }[];
  seeds: number[];
  generations: number;
  createdBy?: string;
}

export interface ReportCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ChartSvg {
  id: string;
  title: string;
  svg: string;
}

type Format = 'percent' | 'number' | 'integer' | 'elo';

/** One metric of one lineage: the first and last generation, summarised over seeds. */
export interface MetricSummary {
  key: string;
  label: string;
  format: Format;
  first: MeanCI;
  last: MeanCI;
  /** theoretical value at the last generation (calibration) */
  theoryLast?: number;
  /** a reference value, e.g. D0's tail share */
  reference?: { label: string; value: number };
}

export interface LineageSummary {
  lineage: string;
  firstGeneration: number;
  lastGeneration: number;
  seeds: number;
  metrics: MetricSummary[];
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** A compact, readable number. */
export function formatNumber(x: number, format: Format = 'number'): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '−∞';
  if (format === 'percent') return x === 0 ? '0%' : `${(100 * x).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;
  if (format === 'integer' || format === 'elo') return Math.round(x).toLocaleString('en-US');
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(1);
  if (a >= 1e-3) return String(Number(x.toPrecision(3)));
  return x.toExponential(2);
}

/** "mean [lo, hi]" (or just the mean with one seed). */
export function formatCI(ci: MeanCI, format: Format = 'number'): string {
  if (ci.n === 0) return '–';
  const lo = formatNumber(ci.lo, format);
  const hi = formatNumber(ci.hi, format);
  if (ci.n === 1 || lo === hi) return formatNumber(ci.mean, format);
  return `${formatNumber(ci.mean, format)} [${lo}, ${hi}]`;
}

function overlaps(a: MeanCI, b: MeanCI): boolean {
  return !(a.hi < b.lo || b.hi < a.lo);
}

/**
 * "rose from X to Y" / "fell from X to Y" when the intervals are apart; otherwise says the change
 * is within the seed-to-seed spread; with one seed, says there is no interval.
 */
export function describeChange(label: string, first: MeanCI, last: MeanCI, format: Format = 'number'): string {
  const a = formatNumber(first.mean, format);
  const b = formatNumber(last.mean, format);
  if (first.n < 2 || last.n < 2) return `${label} went from ${a} to ${b} (one seed, so no confidence interval)`;
  if (last.lo > first.hi) return `${label} rose from ${a} to ${b}`;
  if (last.hi < first.lo) return `${label} fell from ${a} to ${b}`;
  return `${label} went from ${a} to ${b} (no clear change: the 95% intervals overlap)`;
}

function ciOf(values: (number | null | undefined)[]): MeanCI {
  return meanCI(values.filter((v): v is number => typeof v === 'number'));
}

function geoCI(values: (number | undefined)[]): MeanCI {
  const logs = values.filter((v): v is number => typeof v === 'number' && v > 0).map(Math.log);
  const c = meanCI(logs);
  return { mean: Math.exp(c.mean), lo: Math.exp(c.lo), hi: Math.exp(c.hi), n: c.n };
}

// ---------------------------------------------------------------------------------------------
// Summaries

const GENERATION_METRICS: { key: keyof MetricsRow; label: string; format: Format }[] = METRICS_REGISTRY.filter((m) => m.report).map((m) => ({
  key: m.key,
  label: m.label,
  format: m.format,
}));

function orderedLineages(manifest: ManifestLike, rows: readonly AnyRow[]): string[] {
  const present = new Set(lineagesOf(rows));
  const out = manifest.lineages.map((l) => l.name).filter((l) => present.has(l));
  for (const l of present) if (!out.includes(l)) out.push(l);
  return out;
}

function summarizeGenerationLineage(lineage: string, rows: readonly MetricsRow[]): LineageSummary | null {
  const sel = rows.filter((r) => r.lineage === lineage);
  if (sel.length === 0) return null;
  const gens = sel.map((r) => r.generation);
  const g0 = minOf(gens);
  const g1 = maxOf(gens);
  const at = (g: number) => sel.filter((r) => r.generation === g);
  const metrics: MetricSummary[] = [];
  for (const m of GENERATION_METRICS) {
    const first = ciOf(at(g0).map((r) => r[m.key] as number | null));
    const last = ciOf(at(g1).map((r) => r[m.key] as number | null));
    if (first.n === 0 && last.n === 0) continue;
    const s: MetricSummary = { key: String(m.key), label: m.label, format: m.format, first, last };
    if (m.key === 'tailShare') {
      const d0 = ciOf(sel.map((r) => r.d0TailShare));
      if (d0.n > 0) s.reference = { label: 'D0', value: d0.mean };
    }
    metrics.push(s);
  }
  return { lineage, firstGeneration: g0, lastGeneration: g1, seeds: new Set(sel.map((r) => r.seed)).size, metrics };
}

function theoryAt(rows: readonly CalibrationRow[], pick: (r: CalibrationRow) => number | undefined): number | undefined {
  for (const r of rows) {
    const v = pick(r);
    if (v !== undefined) return v;
  }
  return undefined;
}

function summarizeCalibrationLineage(lineage: string, rows: readonly CalibrationRow[]): LineageSummary | null {
  const sel = rows.filter((r) => r.lineage === lineage);
  if (sel.length === 0) return null;
  const gens = sel.map((r) => r.generation);
  const g0 = minOf(gens);
  const g1 = maxOf(gens);
  const first = sel.filter((r) => r.generation === g0);
  const last = sel.filter((r) => r.generation === g1);
  const metrics: MetricSummary[] = [];
  if (sel.some((r) => r.variance !== undefined)) {
    metrics.push({
      key: 'variance',
      label: 'Fitted variance (mean)',
      format: 'number',
      first: ciOf(first.map((r) => r.variance)),
      last: ciOf(last.map((r) => r.variance)),
      theoryLast: theoryAt(last, (r) => r.theoryVariance),
    });
    metrics.push({
      key: 'geoVariance',
      label: 'Fitted variance (geometric mean)',
      format: 'number',
      first: geoCI(first.map((r) => r.variance)),
      last: geoCI(last.map((r) => r.variance)),
      theoryLast: theoryAt(last, (r) => r.theoryGeoMeanVariance),
    });
    metrics.push({ key: 'mean', label: 'Fitted mean', format: 'number', first: ciOf(first.map((r) => r.mean)), last: ciOf(last.map((r) => r.mean)) });
  }
  if (sel.some((r) => r.support !== undefined)) {
    metrics.push({
      key: 'support',
      label: 'Support (categories with mass)',
      format: 'number',
      first: ciOf(first.map((r) => r.support)),
      last: ciOf(last.map((r) => r.support)),
      theoryLast: theoryAt(last, (r) => r.theorySupport),
    });
  }
  const isCat = lineage.startsWith('categorical');
  metrics.push({
    key: 'distance',
    label: isCat ? 'Total variation to original' : 'W1 to original',
    format: 'number',
    first: ciOf(first.map((r) => r.distance)),
    last: ciOf(last.map((r) => r.distance)),
  });
  return { lineage, firstGeneration: g0, lastGeneration: g1, seeds: new Set(sel.map((r) => r.seed)).size, metrics };
}

/** First vs last generation of every metric, per lineage (manifest order first). */
export function summarizeLineages(manifest: ManifestLike, rows: readonly AnyRow[]): LineageSummary[] {
  const gen = rows.filter((r): r is MetricsRow => r.kind === 'generation');
  const cal = rows.filter((r): r is CalibrationRow => r.kind === 'calibration');
  const out: LineageSummary[] = [];
  for (const l of orderedLineages(manifest, rows)) {
    const s = summarizeGenerationLineage(l, gen) ?? summarizeCalibrationLineage(l, cal);
    if (s) out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading: plain-language sentences from the numbers

function metric(s: LineageSummary, key: string): MetricSummary | undefined {
  return s.metrics.find((m) => m.key === key && (m.first.n > 0 || m.last.n > 0));
}

const pctOrDash = (x: number) => (Number.isFinite(x) ? formatNumber(x, 'percent') : '–');

/**
 * Generation 0's world model against reality (its outcome accuracy on held-out real play vs the
 * majority-class rate), and grounded vs recursive at the last generation, paired by seed.
 */
function worldModelReading(rows: readonly MetricsRow[]): string[] {
  const out: string[] = [];
  const lineages = [...new Set(rows.map((r) => r.lineage))];
  if (lineages.length === 0) return out;
  const l0 = lineages[0];
  const acc = valueCI(rows, l0, 'worldOutcomeAccuracy', 0);
  const base = valueCI(rows, l0, 'worldOutcomeBaseline', 0);
  if (acc.n > 0 && base.n > 0) {
    const lift = valueCI(rows, l0, 'worldOutcomeAccuracy', 0, 'worldOutcomeBaseline');
    const rec = [0, 1, 2].map((k) => meanCI(rows.filter((r) => r.generation === 0 && r.lineage === l0 && r.worldOutcomeRecall).map((r) => r.worldOutcomeRecall![k])).mean);
    const verdict = clearlyAbove(lift)
      ? 'clearly above'
      : clearlyBelow(lift)
        ? 'clearly below'
        : lift.n < 2
          ? 'compared with'
          : 'not clearly different from';
    out.push(
      `Generation 0's world model predicts the outcome of held-out real moves right ${pctOrDash(acc.mean)} of the time, ${verdict} always answering the commonest outcome (${pctOrDash(base.mean)}); recall: the game goes on ${pctOrDash(rec[0])}, player 0 wins ${pctOrDash(rec[1])}, player 1 wins ${pctOrDash(rec[2])}.`,
    );
  }
  const last = rows.reduce((m, r) => Math.max(m, r.generation), 0);
  if (lineages.includes('grounded') && lineages.includes('recursive') && last > 0) {
    const win = differenceCI(rows, 'winRate', 'grounded', 'recursive', last);
    if (win.n > 0) {
      const d = `${formatNumber(Math.abs(win.mean) * 100, 'number')} points, 95% interval ${formatNumber(win.lo * 100, 'number')} to ${formatNumber(win.hi * 100, 'number')}`;
      out.push(
        clearlyAbove(win)
          ? `At generation ${last}, **grounded** really wins more often than **recursive** (by ${d}, paired by seed).`
          : clearlyBelow(win)
            ? `At generation ${last}, **recursive** really wins more often than **grounded** (by ${d}, paired by seed).`
            : `At generation ${last}, these seeds cannot separate the real win rates of **grounded** and **recursive** (difference ${d}).`,
      );
    }
    const wn = differenceCI(rows, 'worldNll', 'recursive', 'grounded', last);
    if (wn.n > 0) {
      out.push(
        clearlyAbove(wn)
          ? `At generation ${last}, recursive's world model is more surprised by real play than grounded's (NLL higher by ${formatNumber(wn.mean)}, 95% interval ${formatNumber(wn.lo)} to ${formatNumber(wn.hi)}): recursion has eroded its picture of reality.`
          : `At generation ${last}, these seeds do not separate the two world models' NLL of real play (recursive − grounded: ${formatNumber(wn.mean)}, 95% interval ${formatNumber(wn.lo)} to ${formatNumber(wn.hi)}).`,
      );
    }
  }
  return out;
}

function generationReading(summaries: LineageSummary[], rows: readonly MetricsRow[]): string[] {
  const out: string[] = [];
  for (const s of summaries) {
    const parts: string[] = [];
    const win = metric(s, 'winRate');
    if (win) parts.push(describeChange('real win rate', win.first, win.last, 'percent'));
    const bel = metric(s, 'believedWinRate');
    if (bel && bel.last.n > 0) {
      parts.push(describeChange('believed win rate', bel.first, bel.last, 'percent'));
      if (win && win.last.n > 0) {
        const b = formatNumber(bel.last.mean, 'percent');
        const r = formatNumber(win.last.mean, 'percent');
        if (bel.last.n >= 2 && win.last.n >= 2 && !overlaps(bel.last, win.last)) {
          const gap = Math.abs(bel.last.mean - win.last.mean) * 100;
          parts.push(
            `at generation ${s.lastGeneration} it believes it wins ${b} of its games but really wins ${r}: it ${
              bel.last.mean > win.last.mean ? 'overrates' : 'underrates'
            } itself by ${gap.toFixed(0)} percentage points`,
          );
        } else {
          parts.push(`at generation ${s.lastGeneration} its believed (${b}) and real (${r}) win rates cannot be told apart`);
        }
      }
    }
    const wnll = metric(s, 'worldNll');
    if (wnll && wnll.last.n > 0) parts.push(describeChange("its world model's NLL of held-out real play", wnll.first, wnll.last));
    // the policy's distance from the real data's play: narrowing is specialisation when skill rises, collapse when it does not
    const dist: string[] = [];
    const tail = metric(s, 'tailShare');
    if (tail && tail.last.n > 0) {
      const ref = tail.reference ? ` (D0: ${formatNumber(tail.reference.value, 'percent')})` : '';
      dist.push(`${describeChange('rare-style play', tail.first, tail.last, 'percent')}${ref}`);
    }
    const std = metric(s, 'actionStd');
    if (std) dist.push(describeChange('action spread (std)', std.first, std.last));
    const nll = metric(s, 'realNll');
    if (nll) dist.push(describeChange('NLL of real actions', nll.first, nll.last));
    if (dist.length > 0) parts.push(`distance of its play from the real data's: ${dist.join(', ')}`);
    if (parts.length > 0) out.push(`**${s.lineage}** (generation ${s.firstGeneration} → ${s.lastGeneration}, ${s.seeds} seed${s.seeds === 1 ? '' : 's'}): ${parts.join('; ')}.`);
  }
  out.push(...worldModelReading(rows));
  // Who ends up strongest in reality?
  const finals = summaries
    .map((s) => ({ s, m: metric(s, 'winRate') }))
    .filter((x): x is { s: LineageSummary; m: MetricSummary } => !!x.m && x.m.last.n > 0);
  if (finals.length >= 2) {
    finals.sort((a, b) => b.m.last.mean - a.m.last.mean);
    const best = finals[0];
    const rest = finals.slice(1);
    const clear = best.m.last.n >= 2 && rest.every((x) => x.m.last.n >= 2 && best.m.last.lo > x.m.last.hi);
    const tied = rest.filter((x) => x.m.last.n < 2 || best.m.last.n < 2 || overlaps(best.m.last, x.m.last)).map((x) => x.s.lineage);
    out.push(
      clear
        ? `At the last generation, **${best.s.lineage}** has the highest real win rate (${formatNumber(best.m.last.mean, 'percent')}), clearly above every other lineage.`
        : `At the last generation, **${best.s.lineage}** has the highest mean real win rate (${formatNumber(best.m.last.mean, 'percent')}), but it cannot be separated from ${tied.join(', ')} with these seeds.`,
    );
  }
  return out;
}

function calibrationReading(summaries: LineageSummary[]): string[] {
  const out: string[] = [];
  const theoryNote = (m: MetricSummary): string => {
    if (m.theoryLast === undefined) return '';
    const t = formatNumber(m.theoryLast);
    if (m.last.n < 2) return ` (theory ${t})`;
    const inside = m.theoryLast >= m.last.lo && m.theoryLast <= m.last.hi;
    return ` (theory ${t}, ${inside ? 'inside' : 'outside'} the measured 95% interval)`;
  };
  for (const s of summaries) {
    const parts: string[] = [];
    const v = metric(s, 'variance');
    const g = metric(s, 'geoVariance');
    const sup = metric(s, 'support');
    const d = metric(s, 'distance');
    if (v) parts.push(`mean fitted variance ${formatCI(v.last)}${theoryNote(v)}`);
    if (g) parts.push(`geometric mean ${formatCI(g.last)}${theoryNote(g)}`);
    if (sup) parts.push(`${describeChange('support', sup.first, sup.last)}${theoryNote(sup)}`);
    if (d) parts.push(`${s.lineage.startsWith('categorical') ? 'total variation' : 'W1 distance'} to the original ${formatCI(d.last)}`);
    if (parts.length > 0) out.push(`**${s.lineage}** after ${s.lastGeneration} generations (${s.seeds} seed${s.seeds === 1 ? '' : 's'}): ${parts.join('; ')}.`);
  }
  // replace vs accumulate, same family and M
  const byKey = new Map<string, { replace?: LineageSummary; accumulate?: LineageSummary }>();
  for (const s of summaries) {
    const m = /^(.*)\/(replace|accumulate)\/(M=\d+)$/.exec(s.lineage);
    if (!m) continue;
    const key = `${m[1]}/${m[3]}`;
    const e = byKey.get(key) ?? {};
    e[m[2] as 'replace' | 'accumulate'] = s;
    byKey.set(key, e);
  }
  for (const [key, e] of byKey) {
    if (!e.replace || !e.accumulate) continue;
    const mk = key.startsWith('categorical') ? 'support' : 'geoVariance';
    const r = metric(e.replace, mk);
    const a = metric(e.accumulate, mk);
    if (!r || !a || r.last.n === 0 || a.last.n === 0) continue;
    const what = mk === 'support' ? 'support' : 'geometric-mean variance';
    const apart = r.last.n >= 2 && a.last.n >= 2 && !overlaps(r.last, a.last);
    const verdict = apart ? (a.last.mean > r.last.mean ? 'accumulating keeps clearly more' : 'accumulating keeps clearly less') : 'the two cannot be separated with these seeds';
    out.push(`${key}: final ${what} ${formatNumber(a.last.mean)} with accumulate vs ${formatNumber(r.last.mean)} with replace; ${verdict}.`);
  }
  return out;
}

/** Plain-language sentences (Markdown bold for lineage names) generated from the numbers. */
export function readingSentences(manifest: ManifestLike, rows: readonly AnyRow[]): string[] {
  const summaries = summarizeLineages(manifest, rows);
  const gen = new Set(rows.filter((r) => r.kind === 'generation').map((r) => r.lineage));
  return [
    ...generationReading(
      summaries.filter((s) => gen.has(s.lineage)),
      rows.filter((r): r is MetricsRow => r.kind === 'generation'),
    ),
    ...calibrationReading(summaries.filter((s) => !gen.has(s.lineage))),
  ];
}

const CALIBRATION_NOTE =
  'For replace lineages σ²ₙ is σ²₀ times a product of n independent random factors, so its distribution is very skewed: ' +
  'a mean over a handful of seeds usually lands below its expectation, and the geometric mean (the typical path) is the steadier comparison with theory.';

const GENERATION_NOTE =
  'Generation 0 is the same model in every lineage of a seed; lineages differ only from generation 1 on. ' +
  "The policy's distance from the real data's play (rare-style share, action spread, NLL of real actions) narrows in every lineage that learns from its own play: with rising real skill that is specialisation, without it, collapse.";

// ---------------------------------------------------------------------------------------------
// Markdown

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function recipeText(recipe: Record<string, unknown>): string {
  const parts = Object.entries(recipe).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.join(', ') || '(default)';
}

function seedsText(seeds: number[]): string {
  if (seeds.length <= 12) return seeds.join(', ');
  return `${seeds.slice(0, 10).join(', ')}, … (${seeds.length} seeds)`;
}

function hasTheory(s: LineageSummary): boolean {
  return s.metrics.some((m) => m.theoryLast !== undefined);
}

function tableRows(s: LineageSummary): string[][] {
  return s.metrics.map((m) => {
    const row = [m.label, formatCI(m.first, m.format), formatCI(m.last, m.format)];
    if (hasTheory(s)) row.push(m.theoryLast !== undefined ? formatNumber(m.theoryLast, m.format) : '');
    if (m.reference) row[2] += ` (${m.reference.label}: ${formatNumber(m.reference.value, m.format)})`;
    return row;
  });
}

function tableHeader(s: LineageSummary): string[] {
  const h = ['Metric', `Generation ${s.firstGeneration}`, `Generation ${s.lastGeneration}`];
  if (hasTheory(s)) h.push(`Theory at ${s.lastGeneration}`);
  return h;
}

export function renderSummaryMarkdown(manifest: ManifestLike, rows: readonly AnyRow[], checks?: readonly ReportCheck[]): string {
  const summaries = summarizeLineages(manifest, rows);
  const reading = readingSentences(manifest, rows);
  const isCal = rows.some((r) => r.kind === 'calibration');
  const isGen = rows.some((r) => r.kind === 'generation');
  const L: string[] = [];
  L.push(`# ${manifest.name}`, '');
  if (manifest.description) L.push(manifest.description, '');
  L.push(`- Scenario: ${manifest.scenario}`);
  L.push(`- Generations: ${manifest.generations}`);
  L.push(`- Seeds: ${seedsText(manifest.seeds)}`);
  L.push(`- Lineages: ${manifest.lineages.map((l) => l.name).join(', ') || '(none)'}`);
  if (manifest.createdBy) L.push(`- Created by: ${manifest.createdBy}`);
  L.push(`- Rows: ${rows.length}`, '');
  if (checks && checks.length > 0) {
    const failed = checks.filter((c) => !c.ok).length;
    L.push('## Checks', '', failed === 0 ? `All ${checks.length} checks passed.` : `${failed} of ${checks.length} checks failed.`, '');
    for (const c of checks) L.push(`- ${c.ok ? '✅ pass' : '❌ FAIL'} — **${c.name}**: ${c.detail}`);
    L.push('');
  }
  L.push('## Reading', '');
  if (reading.length === 0) L.push('No metrics to read yet.');
  for (const s of reading) L.push(`- ${s}`);
  if (isGen) L.push(`- ${GENERATION_NOTE}`);
  if (isCal) L.push(`- ${CALIBRATION_NOTE}`);
  L.push('');
  L.push('## First vs last generation', '', 'Mean over seeds with its 95% confidence interval in brackets.', '');
  for (const s of summaries) {
    L.push(`### ${s.lineage}`, '');
    const h = tableHeader(s);
    L.push(`| ${h.map(mdCell).join(' | ')} |`, `| ${h.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
    for (const r of tableRows(s)) L.push(`| ${r.map(mdCell).join(' | ')} |`);
    L.push('');
  }
  if (manifest.lineages.length > 0) {
    L.push('## Recipes', '', '| Lineage | Recipe |', '| --- | --- |');
    for (const l of manifest.lineages) L.push(`| ${mdCell(l.name)} | ${mdCell(recipeText(l.recipe))} |`);
    L.push('');
  }
  L.push('Charts: see report.html.', '');
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------
// HTML

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escape, then turn Markdown **bold** into <strong>. */
function inlineHtml(s: string): string {
  return escapeHtml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
}

/**
 * Keep only the <svg> element: drop any XML prolog, scripts and event handlers, and prefix its
 * ids (gradients, clip paths) so several inline SVGs on one page cannot collide.
 */
function cleanSvg(svg: string, prefix: string): string {
  const start = svg.indexOf('<svg');
  const end = svg.lastIndexOf('</svg>');
  let s = start >= 0 && end > start ? svg.slice(start, end + 6) : '';
  s = s.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '');
  s = s
    .replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
  return s;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f7f9; color: #1d2330; font: 15px/1.55 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 24px 60px; }
h1 { font-size: 28px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #e1e4ea; }
h3 { font-size: 16px; margin: 22px 0 6px; font-family: "DejaVu Sans Mono", Consolas, monospace; }
.meta { color: #566; margin: 0 0 10px; }
.card { background: #fff; border: 1px solid #e1e4ea; border-radius: 8px; padding: 14px 18px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; background: #fff; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e8eaef; vertical-align: top; }
th { background: #f0f2f6; font-weight: 600; }
table.lineage { table-layout: fixed; }
table.lineage th:first-child { width: 30%; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 13px; background: #f0f2f6; padding: 1px 4px; border-radius: 4px; }
ul.reading li { margin: 6px 0; }
.checks li { list-style: none; margin: 4px 0; }
.ok { color: #17753a; font-weight: 600; }
.fail { color: #b3261e; font-weight: 600; }
figure { margin: 18px 0; background: #fff; border: 1px solid #e1e4ea; border-radius: 8px; padding: 12px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
nav.toc a { margin-right: 14px; }
footer { margin-top: 40px; color: #667; font-size: 13px; }
`;

export function renderReportHtml(
  manifest: ManifestLike,
  rows: readonly AnyRow[],
  chartSvgs: readonly ChartSvg[],
  checks?: readonly ReportCheck[],
): string {
  const summaries = summarizeLineages(manifest, rows);
  const reading = readingSentences(manifest, rows);
  const isCal = rows.some((r) => r.kind === 'calibration');
  const isGen = rows.some((r) => r.kind === 'generation');
  const H: string[] = [];
  H.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  H.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  H.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  H.push(`<title>${escapeHtml(`Driftlab — ${manifest.name}`)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>', '<main>');

  H.push('<header>', `<h1>${escapeHtml(manifest.name)}</h1>`);
  const meta = [
    `Scenario <strong>${escapeHtml(manifest.scenario)}</strong>`,
    `${manifest.generations} generation${manifest.generations === 1 ? '' : 's'}`,
    `${manifest.seeds.length} seed${manifest.seeds.length === 1 ? '' : 's'}`,
    `${manifest.lineages.length} lineage${manifest.lineages.length === 1 ? '' : 's'}`,
  ];
  if (manifest.createdBy) meta.push(`created by ${escapeHtml(manifest.createdBy)}`);
  H.push(`<p class="meta">${meta.join(' · ')}</p>`);
  if (manifest.description) H.push(`<p>${escapeHtml(manifest.description)}</p>`);
  H.push('<nav class="toc"><a href="#run">What was run</a>');
  if (checks && checks.length > 0) H.push('<a href="#checks">Checks</a>');
  H.push('<a href="#reading">Reading</a><a href="#tables">First vs last</a><a href="#charts">Charts</a></nav>', '</header>');

  H.push('<section id="run">', '<h2>What was run</h2>', '<div class="card">');
  H.push(`<p>Seeds: ${escapeHtml(seedsText(manifest.seeds))}. Rows of metrics: ${rows.length}.</p>`);
  if (manifest.lineages.length > 0) {
    H.push('<table><thead><tr><th>Lineage</th><th>Recipe</th></tr></thead><tbody>');
    for (const l of manifest.lineages) H.push(`<tr><td><code>${escapeHtml(l.name)}</code></td><td>${escapeHtml(recipeText(l.recipe))}</td></tr>`);
    H.push('</tbody></table>');
  }
  H.push('</div>', '</section>');

  if (checks && checks.length > 0) {
    const failed = checks.filter((c) => !c.ok).length;
    H.push('<section id="checks">', '<h2>Checks</h2>', '<div class="card">');
    H.push(`<p class="${failed === 0 ? 'ok' : 'fail'}">${failed === 0 ? `All ${checks.length} checks passed.` : `${failed} of ${checks.length} checks failed.`}</p>`);
    H.push('<ul class="checks">');
    for (const c of checks) {
      H.push(`<li><span class="${c.ok ? 'ok' : 'fail'}">${c.ok ? '✔ pass' : '✘ FAIL'}</span> <strong>${escapeHtml(c.name)}</strong>: ${escapeHtml(c.detail)}</li>`);
    }
    H.push('</ul>', '</div>', '</section>');
  }

  H.push('<section id="reading">', '<h2>Reading</h2>', '<div class="card">', '<ul class="reading">');
  if (reading.length === 0) H.push('<li>No metrics to read yet.</li>');
  for (const s of reading) H.push(`<li>${inlineHtml(s)}</li>`);
  if (isGen) H.push(`<li>${escapeHtml(GENERATION_NOTE)}</li>`);
  if (isCal) H.push(`<li>${escapeHtml(CALIBRATION_NOTE)}</li>`);
  H.push('</ul>', '<p class="meta">A change is called a rise or a fall only when the 95% intervals of the two generations do not overlap.</p>', '</div>', '</section>');

  H.push('<section id="tables">', '<h2>First vs last generation</h2>', '<p class="meta">Mean over seeds, 95% confidence interval in brackets.</p>');
  for (const s of summaries) {
    H.push(`<h3 id="lineage-${escapeHtml(s.lineage.replace(/[^A-Za-z0-9]+/g, '-'))}">${escapeHtml(s.lineage)}</h3>`);
    H.push('<table class="lineage"><thead><tr>');
    tableHeader(s).forEach((h, i) => H.push(`<th${i > 0 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`));
    H.push('</tr></thead><tbody>');
    for (const r of tableRows(s)) H.push(`<tr>${r.map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`);
    H.push('</tbody></table>');
  }
  H.push('</section>');

  H.push('<section id="charts">', '<h2>Charts</h2>');
  if (chartSvgs.length === 0) H.push('<p>No charts.</p>');
  for (const c of chartSvgs) {
    // the chart draws its own title; the figure keeps it for screen readers and links
    H.push(`<figure id="chart-${escapeHtml(c.id)}" role="img" aria-label="${escapeHtml(c.title)}">`, cleanSvg(c.svg, `svg-${c.id.replace(/[^A-Za-z0-9_-]/g, '-')}`), '</figure>');
  }
  H.push('</section>');
  H.push(
    `<footer>Generated by Driftlab. Every number on this page is computed from this run’s <code>metrics.jsonl</code>${
      isGen ? '; every generation of every lineage was evaluated in the real simulator' : ''
    }.</footer>`,
  );
  H.push('</main>', '</body>', '</html>', '');
  return H.join('\n');
}
