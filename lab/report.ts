/**
 * The run report: a Markdown summary and a self-contained HTML page (inline CSS and SVG, no
 * external resources). Every sentence is generated from the numbers, and a change or a lead is only
 * called when its 95% interval over seeds (paired by seed, as the expectations use) clears zero.
 * Pure: no DOM, no Node.
 *
 * The numbers are summarised in `report-summary.ts` and put into sentences in `report-reading.ts`;
 * this module lays out the Markdown summary and the HTML page, and re-exports the other two.
 */
import type { AnyRow } from './types.ts';
import { formatCI, formatNumber, summarizeLineages, type LineageSummary, type ManifestLike } from './report-summary.ts';
import { readingSentences } from './report-reading.ts';
import { METRICS_REGISTRY, type MetricRegistry } from './metrics.ts';

export { describeChange, formatCI, formatNumber, summarizeLineages, type LineageSummary, type ManifestLike, type MetricSummary } from './report-summary.ts';
export { readingSentences } from './report-reading.ts';

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

/** report.md: the run, its checks, the reading and the first-vs-last table of the registry's metrics (default: lab/metrics.ts). */
export function renderSummaryMarkdown(manifest: ManifestLike, rows: readonly AnyRow[], checks?: readonly ReportCheck[], registry: MetricRegistry = METRICS_REGISTRY): string {
  const summaries = summarizeLineages(manifest, rows, registry);
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
  H.push('</ul>', `<p class="meta">${escapeHtml(isCal && !isGen ? 'A change is called a rise or a fall only when the 95% intervals of the two generations do not overlap.' : 'A change, or one lineage ahead of another, is called only when its 95% interval over seeds, paired by seed, clears zero.')}</p>`, '</div>', '</section>');

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
