/** Pure parts of the classroom view (issue 9): headline charts, lesson links, plain knob errors, the HUD, metric words. */
import { describe, expect, it } from 'vitest';
import { METRIC_WORDS, explainMetric } from '../lab/metric-words.ts';
import { describeChart, headlineCharts, headlineSvg, niceTicks, tickLabel } from '../renderer/headline-charts.ts';
import { lessonFromParams, lessonToParams } from '../renderer/lesson.ts';
import { estimateRunSeconds, formatDuration, generationLabel, knobsFromPreset, plainErrors } from '../renderer/recipe.ts';

const row = (lineage: string, generation: number, extra: Record<string, number | null> = {}) => ({ lineage, generation, seed: 1, winRate: 0.5 - 0.1 * generation, believedWinRate: 0.5, ...extra });

describe('headline charts', () => {
  it('win rate first (real solid, believed dashed), then world-model metrics only when the rows carry them', () => {
    const rows = [0, 1, 2].flatMap((g) => [row('grounded', g, { realityGap: 1 - g / 10 }), row('recursive', g, { realityGap: 1 })]);
    let charts = headlineCharts(rows);
    expect(charts.map((c) => c.key)).toEqual(['winRate', 'realityGap']);
    expect(charts[0].series.map((s) => `${s.lineage}/${s.style}/${s.points.length}`)).toEqual(['grounded/real/3', 'recursive/real/3', 'grounded/believed/3', 'recursive/believed/3']);
    const withWorld = rows.map((r) => ({ ...r, worldNll: 2 + r.generation, selfDeception: r.believedWinRate - r.winRate }));
    charts = headlineCharts(withWorld);
    expect(charts.map((c) => c.key)).toEqual(['winRate', 'worldNll', 'selfDeception']);
    // growing with the narration: only generations up to the one narrated
    expect(headlineCharts(withWorld, 1)[1].series[0].points.map((p) => p.generation)).toEqual([0, 1]);
  });

  it('draws one path per series, believed ones dashed, with an accessible name', () => {
    const rows = [0, 1].flatMap((g) => [row('grounded', g), row('recursive', g)]);
    const [c] = headlineCharts(rows);
    const svg = headlineSvg(c, 400, 200, 1);
    expect(svg.match(/class="headline-line"/g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain('role="img"');
    expect(describeChart(c)).toBe('Real (solid) vs believed (dashed) win rate. grounded real 40% at generation 1; recursive real 40% at generation 1; grounded believed 50% at generation 1; recursive believed 50% at generation 1.');
  });

  it('ticks are round numbers with short labels', () => {
    expect(niceTicks(874.564058, 1203.2, 4)).toEqual([900, 1000, 1100, 1200]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(tickLabel(874.564058, false)).toBe('875');
    expect(tickLabel(0.123456, false)).toBe('0.123');
    expect(tickLabel(0.25, true)).toBe('25%');
  });
});

describe('lesson links', () => {
  it('round-trip the knobs, shown arenas, dream view, generation and hidden controls; unknown values are dropped', () => {
    const lesson = lessonFromParams(new URLSearchParams('quick=1&scenario=duel&preset=classroom&generations=4&seeds=1..3&episodes=64&lineages=grounded,recursive&show=recursive&dream=split&gen=2&hide=recipe,charts,bogus&autorun=1'));
    expect(lesson).toEqual({ scenario: 'duel', preset: 'classroom', generations: '4', seeds: '1..3', episodes: '64', lineages: ['grounded', 'recursive'], show: ['recursive'], dream: 'split', generation: 2, hide: ['recipe', 'charts'], autorun: true });
    const back = lessonToParams(lesson, new URLSearchParams('quick=1'));
    expect(back.toString()).toBe('quick=1&scenario=duel&preset=classroom&generations=4&seeds=1..3&episodes=64&lineages=grounded%2Crecursive&show=recursive&dream=split&gen=2&hide=recipe%2Ccharts&autorun=1');
    expect(lessonFromParams(back)).toEqual(lesson);
    expect(lessonFromParams(new URLSearchParams('scenario=chess&dream=dreamy&gen=x'))).toMatchObject({ scenario: undefined, dream: undefined, generation: undefined, hide: [], autorun: false });
  });
});

describe('knobs in plain words', () => {
  it('reports every bad knob at once, naming the field and what is allowed', () => {
    const k = { ...knobsFromPreset('classroom', false), generations: 'nan', seeds: '5..1', episodes: '20001', lineages: [] };
    expect(plainErrors(k)).toEqual([
      { field: 'generations', message: 'Generations: type a whole number from 1 to 200 (you typed “nan”).' },
      { field: 'seeds', message: 'Seeds: type one seed (1), a range (1..5) or a list (1,4,9) of whole numbers (you typed “5..1”).' },
      { field: 'episodes', message: 'Episodes per generation: type a whole number from 4 to 20000 (you typed “20001”).' },
      { field: 'lineages', message: 'Lineages: tick at least one lineage to grow.' },
    ]);
    expect(plainErrors(knobsFromPreset('classroom', false))).toEqual([]);
  });

  it('the generation label names the seed the arenas replay when the run has several', () => {
    expect(generationLabel(3, 10, [1])).toEqual({ text: '3 / 10', title: 'The generation the arenas replay' });
    const several = generationLabel('10', '10', [11, 12, 13]);
    expect(several.text).toBe('10 / 10 · seed 11');
    expect(several.title).toBe("The arenas replay games of seed 11 and show that seed's numbers; the charts show the mean over the run's 3 seeds");
  });

  it('estimates run time from generations, seeds, lineages and episodes', () => {
    const lineages = (n: number, episodes: number) => Array.from({ length: n }, () => ({ episodes }));
    const classroom = estimateRunSeconds({ generations: 10, seeds: [1], lineages: lineages(2, 128) } as never);
    expect(formatDuration(classroom)).toBe('about 10 s');
    // the classroom preset's 8 seeds: measured 64 s in Chromium on 2 cores
    expect(formatDuration(estimateRunSeconds({ generations: 10, seeds: [1, 2, 3, 4, 5, 6, 7, 8], lineages: lineages(2, 128) } as never))).toBe('about 65 s');
    const huge = estimateRunSeconds({ generations: 10, seeds: [1], lineages: lineages(2, 20000) } as never);
    expect(huge).toBeGreaterThan(8 * 60);
    expect(formatDuration(huge)).toMatch(/^about \d+ min$/);
    // linear in seeds beyond a fixed 3 s
    expect(estimateRunSeconds({ generations: 10, seeds: [1, 2, 3], lineages: lineages(2, 128) } as never) - 3).toBeCloseTo(3 * (classroom - 3), 9);
  });
});

describe('metric words', () => {
  it('explain every headline and chart metric in one sentence', () => {
    for (const key of ['winRate', 'believedWinRate', 'selfDeception', 'elo', 'worldNll', 'worldTailCoverage', 'worldOutcomeAccuracy', 'realNll', 'entropy', 'tailShare', 'realityGap']) {
      const text = explainMetric(key);
      expect(text, key).toMatch(/^[A-Z].*\.$/);
      expect(text.split('. ').length, key).toBe(1);
      expect(METRIC_WORDS[key].name.length).toBeGreaterThan(2);
    }
    expect(explainMetric('nope')).toBe('');
  });
});
