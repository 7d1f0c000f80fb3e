import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Rng } from '../sim/rng.ts';
import type { MetricsRow } from '../lab/types.ts';
import { actionHistogramChart, believedVsRealChart, calibrationCharts, metricChart, reportCharts } from '../lab/charts.ts';
import { describeChange, formatCI, renderReportHtml, renderSummaryMarkdown, summarizeLineages, type ManifestLike } from '../lab/report.ts';
import { calibrationManifestLineages, defaultCalibrationConfig, runCalibration } from '../lab/calibration.ts';
import { renderChartSvgs, renderFonts, specToSvg, svgToPixels, svgToPng } from '../cli/render.ts';

const OUT = 'test-output';

/**
 * Synthetic physics rows with a known story: grounded improves, recursive's real win rate falls
 * while its believed win rate rises, and its action tails vanish.
 */
function syntheticRows(opts: { seeds?: number[]; generations?: number } = {}): MetricsRow[] {
  const seeds = opts.seeds ?? [1, 2, 3, 4];
  const G = opts.generations ?? 8;
  const edges = Array.from({ length: 13 }, (_, i) => -1 + i / 6);
  const rows: MetricsRow[] = [];
  for (const lineage of ['grounded', 'recursive', 'accumulate']) {
    for (const seed of seeds) {
      const rng = new Rng(seed, lineage);
      for (let g = 0; g <= G; g++) {
        const t = g / G;
        const noise = () => 0.01 * rng.normal();
        const k = g === 0 ? 0 : lineage === 'grounded' ? 1 : lineage === 'recursive' ? -1 : 0.2;
        const spread = lineage === 'recursive' ? 0.5 * (1 - 0.8 * t) : 0.5;
        const counts = ['thrust', 'angle'].map(() => {
          const c = new Array(12).fill(0);
          for (let i = 0; i < 300; i++) {
            const x = Math.max(-1, Math.min(0.999, spread * rng.normal()));
            c[Math.floor((x + 1) * 6)]++;
          }
          return c;
        });
        rows.push({
          kind: 'generation',
          experiment: 'synthetic',
          scenario: 'duel',
          lineage,
          generation: g,
          seed,
          elo: 1000 + 150 * k * t + 5 * rng.normal(),
          eloLow: null,
          eloHigh: null,
          eloProvisional: 1000 + 150 * k * t,
          winRate: 0.5 + 0.3 * k * t + noise(),
          winRateSe: 0.02,
          believedWinRate: lineage === 'grounded' ? null : 0.5 + (lineage === 'recursive' ? 0.4 : 0.05) * t + noise(),
          selfDeception: lineage === 'grounded' ? null : (lineage === 'recursive' ? 0.4 : 0.05) * t - 0.3 * k * t,
          selfDeceptionSe: 0.02,
          worldNll: -30 + (lineage === 'recursive' ? 15 * t : -2 * t),
          worldOutcomeAccuracy: 0.75 - (lineage === 'recursive' ? 0.2 * t : 0),
          worldOutcomeBaseline: 0.63,
          worldOutcomeRecall: [0.9, 0.5, 0.5],
          worldTailCoverage: lineage === 'recursive' ? 1 - 0.9 * t : 1,
          realNll: 1.2 - 0.2 * k * t + noise(),
          entropy: Math.log(spread * Math.sqrt(2 * Math.PI * Math.E)),
          actionStd: spread + noise(),
          tailShare: lineage === 'recursive' ? 0.2 * (1 - t) : 0.2 + noise(),
          d0TailShare: 0.2,
          realityGap: lineage === 'grounded' ? null : 0.1 + 0.5 * t,
          outcomeDisagreement: lineage === 'grounded' ? null : 0.1 + 0.3 * t,
          w1: 0.05 + (lineage === 'recursive' ? 0.6 * t : 0.05 * t) + Math.abs(noise()),
          provenance: { 'sim:scripted': 1 },
          trainSamples: 4000,
          actionHistogram: { names: ['thrust', 'angle'], edges, counts },
        });
      }
    }
  }
  return rows;
}

const manifest: ManifestLike = {
  name: 'Synthetic duel',
  scenario: 'duel',
  description: 'Hand-made rows with a known story, for testing the report.',
  lineages: [
    { name: 'grounded', recipe: { source: 'simulator', retain: 'replace' } },
    { name: 'recursive', recipe: { source: 'imagination', retain: 'replace' } },
    { name: 'accumulate', recipe: { source: 'imagination', retain: 'accumulate' } },
  ],
  seeds: [1, 2, 3, 4],
  generations: 8,
  createdBy: 'test',
};

function compiles(spec: Record<string, unknown>): void {
  expect(() => compile(spec as unknown as TopLevelSpec)).not.toThrow();
}

describe('charts', () => {
  const rows = syntheticRows();

  it('metricChart embeds mean and CI per lineage × generation', () => {
    const spec = metricChart(rows, 'winRate');
    const values = (spec.data as { values: { lineage: string; mean: number; lo: number; hi: number; n: number }[] }).values;
    expect(values.length).toBe(3 * 9);
    for (const v of values) {
      expect(v.n).toBe(4);
      expect(v.lo).toBeLessThanOrEqual(v.mean);
      expect(v.hi).toBeGreaterThanOrEqual(v.mean);
    }
    compiles(spec);
    expect(spec.width).toBe(560);
  });

  it('the tail-share chart draws D0\'s share as a reference line across the plot', async () => {
    const svg = await specToSvg(metricChart(rows, 'tailShare'));
    expect(svg).toContain('D0 share');
    // the dashed rule is a path spanning the plot width (560)
    expect(svg).toMatch(/stroke-dasharray="6,4"/);
  });

  it('believed vs real only for lineages with a world model; null without any', () => {
    const spec = believedVsRealChart(rows)!;
    const values = (spec.data as { values: { lineage: string; series: string }[] }).values;
    expect(new Set(values.map((v) => v.lineage))).toEqual(new Set(['recursive', 'accumulate']));
    expect(new Set(values.map((v) => v.series)).size).toBe(2);
    compiles(spec);
    expect(believedVsRealChart(rows.filter((r) => r.lineage === 'grounded'))).toBeNull();
  });

  it('action histogram shows the tails vanishing for recursive', () => {
    const spec = actionHistogramChart(rows, 'recursive')!;
    const values = (spec.data as { values: { generation: number; action: string; lo: number; share: number }[] }).values;
    const tail = (g: number) => values.filter((v) => v.generation === g && v.action === 'thrust' && Math.abs(v.lo) >= 0.5).reduce((s, v) => s + v.share, 0);
    expect(tail(0)).toBeGreaterThan(0.1);
    expect(tail(8)).toBeLessThan(0.01);
    compiles(spec);
    expect(actionHistogramChart(rows, 'nobody')).toBeNull();
  });

  it('reportCharts lists what the rows support, and every chart renders to SVG with the lineage names', async () => {
    const charts = reportCharts(rows);
    const ids = charts.map((c) => c.id);
    expect(ids).toContain('metric-winrate');
    expect(ids).toContain('believed-vs-real');
    expect(ids).toContain('actions-recursive');
    expect(new Set(ids).size).toBe(ids.length);
    const svgs = await renderChartSvgs(charts);
    for (const s of svgs) {
      expect(s.svg.startsWith('<svg')).toBe(true);
      expect(s.svg).toContain('</svg>');
    }
    const win = svgs.find((s) => s.id === 'metric-winrate')!.svg;
    for (const l of ['grounded', 'recursive', 'accumulate']) expect(win).toContain(l);
    expect(win).toContain('Real win rate against the reference panel');
    // physics-only metrics missing from every row give no chart
    const noGap = reportCharts(rows.map((r) => ({ ...r, realityGap: null })));
    expect(noGap.map((c) => c.id)).not.toContain('metric-realitygap');
  });

  it('calibration charts compile and render with the lineage names and theory', async () => {
    const cal = runCalibration({ ...defaultCalibrationConfig, generations: 12, seeds: [1, 2, 3] });
    const charts = calibrationCharts(cal);
    expect(charts.map((c) => c.id)).toEqual([
      'calibration-gaussian-variance-m10',
      'calibration-gaussian-variance-m100',
      'calibration-gaussian-w1-m10',
      'calibration-gaussian-w1-m100',
      'calibration-categorical-support',
      'calibration-categorical-probs',
      'calibration-categorical-tv',
    ]);
    const svg = await specToSvg(charts[0].spec);
    expect(svg).toContain('gaussian/mle/replace/M=10');
    expect(svg).toContain('theory (exact)');
    const sup = await specToSvg(charts[4].spec);
    expect(sup).toContain('categorical/replace/M=100');
    expect(reportCharts(cal).length).toBe(charts.length);
  });
});

describe('report', () => {
  const rows = syntheticRows();

  it('summarises first vs last generation per lineage', () => {
    const s = summarizeLineages(manifest, rows);
    expect(s.map((x) => x.lineage)).toEqual(['grounded', 'recursive', 'accumulate']);
    const rec = s[1];
    expect(rec.firstGeneration).toBe(0);
    expect(rec.lastGeneration).toBe(8);
    const win = rec.metrics.find((m) => m.key === 'winRate')!;
    expect(win.first.mean).toBeCloseTo(0.5, 1);
    expect(win.last.mean).toBeCloseTo(0.2, 1);
    expect(s[0].metrics.find((m) => m.key === 'believedWinRate')).toBeUndefined();
  });

  it('clips a share’s interval to 0–100 % (a t interval over few seeds near 100 % passes it), and leaves other metrics’ intervals alone', () => {
    // world-model accuracy 0.93–1.0 on four seeds: the t interval's upper end is past 1
    const acc = [0.93, 1, 0.99, 0.97];
    const near = rows.map((r) => (r.lineage === 'grounded' && r.generation === 0 ? { ...r, worldOutcomeAccuracy: acc[r.seed - 1] } : r));
    const g = summarizeLineages(manifest, near)[0];
    const a = g.metrics.find((m) => m.key === 'worldOutcomeAccuracy')!.first;
    const m = acc.reduce((x, y) => x + y) / 4;
    const sd = Math.sqrt(acc.reduce((x, y) => x + (y - m) ** 2, 0) / 3);
    expect(a.mean).toBeCloseTo(m, 12);
    expect(a.hi).toBe(1);
    expect(a.lo).toBeCloseTo(m - 3.182446 * (sd / 2), 5);
    expect(formatCI(a, 'percent')).toBe('97% [92%, 100%]');
    // an unbounded metric keeps its t interval: symmetric about the mean, of non-zero width
    const nll = g.metrics.find((x) => x.key === 'realNll')!.first;
    expect(nll.hi - nll.mean).toBeGreaterThan(0);
    expect(nll.hi - nll.mean).toBeCloseTo(nll.mean - nll.lo, 9);
  });

  it('clips a share’s band in the charts to 0–100 % too (metric chart and believed vs real), and leaves other metrics’ bands alone', () => {
    type V = { lineage: string; generation: number; series?: string; mean: number; lo: number; hi: number };
    const acc = [0.93, 1, 0.99, 0.97];
    const low = [0.07, 0, 0.01, 0.03];
    const near = rows.map((r) =>
      r.lineage === 'recursive' && r.generation === 8
        ? { ...r, worldOutcomeAccuracy: acc[r.seed - 1], winRate: low[r.seed - 1], believedWinRate: acc[r.seed - 1] }
        : r,
    );
    const m = acc.reduce((x, y) => x + y) / 4;
    const sd = Math.sqrt(acc.reduce((x, y) => x + (y - m) ** 2, 0) / 3);
    const half = 3.182446 * (sd / 2);
    const at8 = (vs: V[]) => vs.filter((v) => v.lineage === 'recursive' && v.generation === 8);
    const accBand = at8((metricChart(near, 'worldOutcomeAccuracy').data as { values: V[] }).values)[0];
    expect(accBand.hi).toBe(1);
    expect(accBand.lo).toBeCloseTo(m - half, 5);
    const winBand = at8((metricChart(near, 'winRate').data as { values: V[] }).values)[0];
    expect(winBand.lo).toBe(0);
    expect(winBand.hi).toBeCloseTo(1 - m + half, 5);
    const both = at8((believedVsRealChart(near)!.data as { values: V[] }).values);
    const real = both.find((v) => v.series === 'real (simulator)')!;
    const believed = both.find((v) => v.series === 'believed (world model)')!;
    expect([real.lo, real.hi]).toEqual([0, winBand.hi]);
    expect([believed.lo, believed.hi]).toEqual([accBand.lo, 1]);
    // an unbounded metric's band stays the symmetric t interval (its mean ± half-width)
    const nll = at8((metricChart(near, 'realNll').data as { values: V[] }).values)[0];
    expect(nll.hi - nll.mean).toBeGreaterThan(0);
    expect(nll.hi - nll.mean).toBeCloseTo(nll.mean - nll.lo, 9);
  });

  it('reading states only what the intervals support', () => {
    const apart = describeChange('x', { mean: 1, lo: 0.9, hi: 1.1, n: 4 }, { mean: 2, lo: 1.9, hi: 2.1, n: 4 });
    expect(apart).toBe('x rose from 1 to 2');
    expect(describeChange('x', { mean: 1, lo: 0.5, hi: 1.5, n: 4 }, { mean: 1.2, lo: 0.7, hi: 1.7, n: 4 })).toContain('no clear change');
    expect(describeChange('x', { mean: 1, lo: 1, hi: 1, n: 1 }, { mean: 0.5, lo: 0.5, hi: 0.5, n: 1 })).toContain('one seed');
    expect(formatCI({ mean: 0.5, lo: 0.4, hi: 0.6, n: 3 }, 'percent')).toBe('50% [40%, 60%]');
  });

  it('HTML report: self-contained, tables, charts and an honest reading', async () => {
    const charts = await renderChartSvgs(reportCharts(rows));
    const checks = [
      { name: 'grounded beats recursive', ok: true, detail: 'real win rate 80% vs 20%' },
      { name: 'no tensor leak', ok: false, detail: 'numTensors grew by 3' },
    ];
    const html = renderReportHtml(manifest, rows, charts, checks);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<h1>Synthetic duel</h1>');
    expect(html).toContain('Scenario <strong>duel</strong>');
    for (const l of ['grounded', 'recursive', 'accumulate']) expect(html).toContain(`<h3 id="lineage-${l}">${l}</h3>`);
    expect((html.match(/<table class="lineage">/g) ?? []).length).toBe(3);
    for (const c of charts) expect(html).toContain(`<figure id="chart-${c.id}" role="img" aria-label="${c.title}">`);
    expect((html.match(/<svg/g) ?? []).length).toBe(charts.length);
    expect(html).toContain('<strong>recursive</strong>');
    expect(html).toMatch(/real win rate fell from 50% to 2\d%/);
    expect(html).toMatch(/believed win rate rose from 50% to 9\d%/);
    expect(html).toContain('it overrates itself by');
    // comparisons paired by seed, and the world model against reality
    expect(html).toMatch(/At generation 8, <strong>grounded<\/strong> really wins more often than <strong>recursive<\/strong> \(by 5\d\.\d points/);
    expect(html).toContain('recursion has eroded its picture of reality');
    expect(html).toMatch(/Generation 0&#39;s world model predicts the outcome of held-out real moves right 75% of the time, clearly above always answering the commonest outcome \(63%\)/);
    expect(html).toContain('1 of 2 checks failed.');
    expect(html).toContain('numTensors grew by 3');
    // nothing external: no scripts, stylesheets, frames or remote URLs besides SVG namespaces
    expect(html).not.toMatch(/<script|<link|<iframe|<img|src=|url\((?!#)/i);
    // ids inside the inline SVGs are namespaced per chart, so they never collide
    const ids = html.match(/\sid="[^"]+"/g) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of html.match(/url\(#[^)]+\)/g) ?? []) expect(html).toContain(` id="${ref.slice(5, -1)}"`);
    const urls = (html.match(/https?:\/\/[^\s"'<>]+/g) ?? []).filter((u) => !u.startsWith('http://www.w3.org/'));
    expect(urls).toEqual([]);
    // escaping
    const evil = renderReportHtml({ ...manifest, name: '<b>x</b>' }, rows, [], []);
    expect(evil).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(evil).not.toContain('<b>x</b>');
  });

  it('does not claim a change the seeds cannot show', () => {
    // two lineages whose win rate only wobbles
    const flat = syntheticRows().map((r) => ({ ...r, winRate: 0.5 + (r.seed % 2 ? 0.05 : -0.05) }));
    const md = renderSummaryMarkdown(manifest, flat);
    expect(md).toContain('real win rate went from 50% to 50% (no clear change: the 95% interval of the change, paired by seed, includes zero)');
    expect(md).not.toMatch(/real win rate (rose|fell)/);
    expect(md).toContain('cannot be separated from');
    const single = renderSummaryMarkdown({ ...manifest, seeds: [1] }, syntheticRows({ seeds: [1] }));
    expect(single).toContain('one seed, so no confidence interval');
  });

  it('calls a change, a lead and self-deception that the seeds separate paired by seed, though the per-generation intervals overlap', () => {
    // the seeds' levels differ widely (0.35 … 0.8, mean 0.575), but in every seed grounded gains 0.1 and ends 0.1
    // ahead of recursive, and recursive believes it wins 0.1 more than it really does: the checks
    // (paired by seed) pass, so the reading must not say the opposite
    const level = (seed: number) => 0.2 + 0.15 * seed;
    const paired = syntheticRows()
      .filter((r) => r.lineage !== 'accumulate')
      .map((r) => {
        const last = r.generation === 8;
        const winRate = level(r.seed) + (r.lineage === 'grounded' && last ? 0.1 + 0.002 * r.seed : 0);
        if (r.lineage !== 'recursive') return { ...r, winRate };
        const believedWinRate = winRate + (last ? 0.1 + 0.002 * r.seed : 0);
        return { ...r, winRate, believedWinRate, selfDeception: believedWinRate - winRate };
      });
    const md = renderSummaryMarkdown(manifest, paired);
    expect(md).toMatch(/\*\*grounded\*\* \(generation 0 → 8, 4 seeds\): real win rate rose from 57% to 68%/);
    expect(md).toMatch(/At generation 8, \*\*grounded\*\* really wins more often than \*\*recursive\*\* \(by 10\.\d points/);
    expect(md).toContain('**grounded** has the highest real win rate (68%), clearly above every other lineage');
    expect(md).toContain('it believes it wins 68% of its games but really wins 57%: it overrates itself by 10 percentage points');
    expect(md).not.toMatch(/cannot be separated from|cannot be told apart|real win rate went from 57% to 68%/);
  });

  it('Markdown summary has the run, checks, reading and a table per lineage', () => {
    const md = renderSummaryMarkdown(manifest, rows, [{ name: 'determinism', ok: true, detail: 'identical metrics' }]);
    expect(md).toContain('# Synthetic duel');
    expect(md).toContain('- Scenario: duel');
    expect(md).toContain('All 1 checks passed.');
    expect(md).toContain('### recursive');
    expect(md).toContain('| Metric | Generation 0 | Generation 8 |');
    expect(md).toContain('| Rare-style share |');
    expect(md).toContain('(D0: 20%)');
    expect(md).toContain('source=imagination, retain=replace');
  });

  it('calibration report compares with theory; PNG rendering works and writes samples', async () => {
    const cfg = { ...defaultCalibrationConfig, generations: 40 };
    const cal = runCalibration(cfg);
    const calManifest: ManifestLike = {
      name: 'Calibration: the paper’s toy',
      scenario: 'calibration',
      lineages: calibrationManifestLineages(cfg),
      seeds: cfg.seeds,
      generations: cfg.generations,
    };
    const md = renderSummaryMarkdown(calManifest, cal);
    expect(md).toContain('| Metric | Generation 0 | Generation 40 | Theory at 40 |');
    expect(md).toMatch(/\*\*categorical\/replace\/M=10\*\* after 40 generations \(20 seeds\): .*support fell from 20 to/);
    expect(md).toContain('gaussian/mle/M=10: final geometric-mean variance');
    expect(md).toContain('accumulating keeps clearly more');

    const charts = await renderChartSvgs(reportCharts(cal));
    const html = renderReportHtml(calManifest, cal, charts);
    expect(html).toContain('Theory at 40');
    expect(html).not.toContain('evaluated in the real simulator');

    // PNG of a chart
    const png = svgToPng(charts[0].svg);
    expect(Array.from(png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    // Text is drawn: a text-only SVG gets dark pixels (fonts were found)
    expect(renderFonts().family).not.toBeNull();
    expect(renderFonts().files.length).toBeGreaterThan(0);
    const textOnly = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-family="DejaVu Sans, sans-serif" font-size="20" fill="black">Generation</text></svg>';
    const px = svgToPixels(textOnly);
    let dark = 0;
    for (let i = 0; i < px.rgba.length; i += 4) if (px.rgba[i] < 100) dark++;
    expect(dark).toBeGreaterThan(100);

    mkdirSync(OUT, { recursive: true });
    writeFileSync(`${OUT}/${charts[0].id}.svg`, charts[0].svg);
    writeFileSync(`${OUT}/${charts[0].id}.png`, png);
    writeFileSync(`${OUT}/calibration-report.html`, html);
    writeFileSync(`${OUT}/calibration-summary.md`, md);
    const physCharts = await renderChartSvgs(reportCharts(rows));
    writeFileSync(`${OUT}/synthetic-report.html`, renderReportHtml(manifest, rows, physCharts));
    writeFileSync(`${OUT}/synthetic-summary.md`, renderSummaryMarkdown(manifest, rows));
    for (const id of ['metric-winrate', 'believed-vs-real', 'actions-recursive']) {
      const c = physCharts.find((x) => x.id === id)!;
      writeFileSync(`${OUT}/synthetic-${id}.png`, svgToPng(c.svg));
    }
    // the sample files are there and are what was rendered
    expect(readFileSync(`${OUT}/calibration-report.html`, 'utf8')).toBe(html);
    expect(readFileSync(`${OUT}/${charts[0].id}.svg`, 'utf8')).toBe(charts[0].svg);
    for (const id of ['metric-winrate', 'believed-vs-real', 'actions-recursive']) {
      expect(Array.from(readFileSync(`${OUT}/synthetic-${id}.png`).subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
  });
});
