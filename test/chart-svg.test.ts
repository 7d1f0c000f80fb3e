/**
 * renderer/chart-svg.ts: what the chart worker does, run in Node (no DOM): a chart's spec becomes
 * SVG text with one symbol mark per lineage × generation and the chart's title, the same marks the
 * page's live view draws (test/e2e/app.test.ts counts them in Chromium).
 */
import { describe, expect, it } from 'vitest';
import { metricChart } from '../lab/charts.ts';
import type { MetricsRow } from '../lab/types.ts';
import { specToSvg } from '../renderer/chart-svg.ts';

const rows = (gens: number, lineages: string[]): MetricsRow[] =>
  lineages.flatMap((lineage, li) =>
    Array.from({ length: gens }, (_, generation) => ({ kind: 'generation', seed: 1, lineage, generation, elo: 1000 + 10 * generation * (li ? -1 : 1) }) as unknown as MetricsRow),
  );

describe('charts drawn without a DOM (the chart worker)', () => {
  it('renders a line chart to SVG text: one point per lineage and generation, the title, no script', async () => {
    const svg = await specToSvg(metricChart(rows(4, ['grounded', 'recursive']), 'elo', { width: 320, height: 170 }));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<g class="mark-symbol role-mark[^"]*"/g)?.length).toBeGreaterThan(0);
    // the symbol marks' paths: 2 lineages × 4 generations
    const symbols = svg.split(/<g class="mark-symbol role-mark[^"]*"[^>]*>/).slice(1).map((g) => (g.split('</g>')[0].match(/<path /g) ?? []).length);
    expect(symbols.reduce((a, b) => a + b, 0)).toBe(8);
    expect(svg).toContain('Elo');
    expect(svg).not.toContain('<script');
  });

  it('follows the data: more generations, more points', async () => {
    const count = async (g: number) => {
      const svg = await specToSvg(metricChart(rows(g, ['grounded']), 'elo', { width: 320, height: 170 }));
      return svg.split(/<g class="mark-symbol role-mark[^"]*"[^>]*>/).slice(1).map((s) => (s.split('</g>')[0].match(/<path /g) ?? []).length).reduce((a, b) => a + b, 0);
    };
    expect(await count(2)).toBe(2);
    expect(await count(7)).toBe(7);
  });
});
