/** The renderer's pure parts: recipe knobs → config, run bundles, narration, frame packing. */
import { describe, expect, it } from 'vitest';
import { getScenario } from '../lab/scenarios.ts';
import type { MetricsRow } from '../lab/types.ts';
import { doneStep, generationStep, progressStep, startStep } from '../renderer/narration.ts';
import { buildConfig, fieldOf, knobsFromPreset, quickVersion, presetRaw, CUSTOM } from '../renderer/recipe.ts';
import { checkpointPath, fromBundle, parseMetrics, toBundle, RunFormatError } from '../renderer/run-files.ts';
import { isSafeRunPath as isRunPath } from '../lab/bundle.ts';
import { packFrames, unpackFrame } from '../renderer/scene-pack.ts';
import type { SceneView } from '../sim/types.ts';

describe('recipe knobs', () => {
  it('a preset shows its own values and builds exactly the preset', () => {
    const k = knobsFromPreset('classroom', false);
    expect(k).toMatchObject({ preset: 'classroom', scenario: 'duel', generations: '10', seeds: '1..8', episodes: '128', lineages: ['grounded', 'recursive'] });
    const r = buildConfig(k, false);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.name).toBe('classroom');
    expect(r.config.d0.episodes).toBe(800);
    expect(r.config.lineages).toEqual([
      { name: 'grounded', recipe: 'grounded', episodes: 128 },
      { name: 'recursive', recipe: 'recursive', episodes: 128 },
    ]);
    expect(r.config.expectations.length).toBeGreaterThan(0);
  });

  it('custom recipes: lineages, seeds ranges, scenario; expectations dropped', () => {
    const k = { ...knobsFromPreset('classroom', false), preset: CUSTOM, scenario: 'hockey' as const, seeds: '2..4', episodes: '32', lineages: ['recursive', 'verified'] };
    const r = buildConfig(k, false);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ name: 'classroom-custom', scenario: 'hockey', seeds: [2, 3, 4], expectations: [] });
    expect(r.config.lineages.map((l) => [l.name, l.recipe, l.episodes])).toEqual([
      ['recursive', 'recursive', 32],
      ['verified', 'verified', 32],
    ]);
  });

  it('bad values come back as the ConfigError of the field that shows them', () => {
    const base = knobsFromPreset('curse', false);
    const bad = (over: Partial<typeof base>) => {
      const r = buildConfig({ ...base, ...over }, false);
      if (r.ok) throw new Error('expected an error');
      return r.error;
    };
    expect(bad({ generations: '0' })).toEqual({ field: 'generations', message: 'generations: is too small (allowed: >= 1)' });
    expect(bad({ generations: '2.5' }).field).toBe('generations');
    expect(bad({ generations: '' }).message).toMatch(/^generations: /);
    expect(bad({ episodes: '3' })).toEqual({ field: 'episodes', message: 'lineages[0].episodes: is too small (allowed: >= 4)' });
    expect(bad({ seeds: '5..1' }).field).toBe('seeds');
    expect(bad({ seeds: '-1' }).message).toMatch(/^seeds: .*allowed/);
    expect(bad({ lineages: [] })).toEqual({ field: 'lineages', message: 'lineages: has none selected (allowed: at least one of grounded, recursive, accumulate, fresh-mix, verified, distilled)' });
    expect(fieldOf('scenario')).toBe('scenario');
    expect(fieldOf('training.epochs')).toBe('general');
  });

  it('quick versions are small but valid', () => {
    for (const name of ['classroom', 'curse']) {
      const q = presetRaw(name, true);
      expect(q).toEqual(quickVersion(presetRaw(name, false)));
      const r = buildConfig(knobsFromPreset(name, true), true);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.config).toMatchObject({ generations: 3, d0: { episodes: 24 }, training: { epochs: 2 } });
    }
  });
});

function row(lineage: string, generation: number, extra: Partial<MetricsRow> = {}): MetricsRow {
  return {
    kind: 'generation', experiment: 'classroom', scenario: 'duel', lineage, generation, seed: 1, elo: 1000, eloLow: null, eloHigh: null, eloProvisional: 1000, winRate: 0.5, winRateSe: 0.025, believedWinRate: 0.5, selfDeception: 0,
    selfDeceptionSe: 0.03, worldNll: -30, worldOutcomeAccuracy: 0.7, worldOutcomeBaseline: 0.63, worldOutcomeRecall: [0.8, 0.5, 0.5], worldTailCoverage: 1,
    realNll: 1, entropy: 1, actionStd: 0.3, tailShare: 0.2, d0TailShare: 0.25, realityGap: 0.1, outcomeDisagreement: 0.2, w1: 0.1,
    provenance: {}, trainSamples: 10, actionHistogram: { names: ['a'], edges: [0, 1], counts: [[1]] }, ...extra,
  };
}

describe('run bundles', () => {
  const exp = buildConfig(knobsFromPreset('classroom', true), true);
  if (!exp.ok) throw new Error('bad preset');
  const manifest = JSON.stringify({ format: 'driftlab-run', formatVersion: 1, name: 'classroom', config: exp.config });
  const rows = [row('grounded', 0), row('recursive', 0), row('grounded', 1), row('recursive', 1)];
  const files = new Map([
    ['manifest.json', manifest],
    ['metrics.jsonl', rows.map((r) => JSON.stringify(r)).join('\n') + '\n'],
    [checkpointPath(1, 'grounded', 0), '{}'],
    [checkpointPath(1, 'grounded', 1), '{}'],
    [checkpointPath(1, 'recursive', 1), '{}'],
  ]);

  it('round-trips and validates', () => {
    const text = JSON.stringify(toBundle('classroom', files));
    const opened = fromBundle(text);
    expect(opened.rows).toEqual(rows);
    expect(opened.experiment).toEqual(exp.config);
    expect([...opened.files]).toEqual([...files].sort(([a], [b]) => a.localeCompare(b)));
    expect(checkpointPath(1, 'recursive', 0)).toBe('checkpoints/s1/g0.json');
  });

  it('refuses malformed input with the file and the problem', () => {
    const err = (text: string) => {
      try {
        fromBundle(text);
      } catch (e) {
        expect(e).toBeInstanceOf(RunFormatError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    const bundle = toBundle('classroom', files);
    expect(err('nope')).toMatch(/^bundle: is not valid JSON/);
    expect(err('[]')).toBe('bundle: is not a JSON object');
    expect(err(JSON.stringify({ ...bundle, formatVersion: 2 }))).toBe('bundle: has formatVersion 2, expected 1');
    expect(err(JSON.stringify({ ...bundle, files: { ...bundle.files, '../evil': 'x' } }))).toBe('../evil: is not a relative path inside a run folder');
    expect(err(JSON.stringify({ ...bundle, files: { ...bundle.files, 'notes.txt': 'x' } }))).toBe(
      'notes.txt: is not a run file (allowed: manifest.json, metrics.jsonl, checkpoints/…, samples/…, state/… .json)',
    );
    expect(err(JSON.stringify({ ...bundle, files: [] }))).toBe('files: is missing or not an object of path → text');
    expect(err(JSON.stringify({ ...bundle, format: 'zip' }))).toBe('bundle: has format "zip", expected "driftlab-run-bundle" (a file saved with "Save run")');
    const without = (k: string) => Object.fromEntries(Object.entries(bundle.files).filter(([p]) => p !== k));
    expect(err(JSON.stringify({ ...bundle, files: without('manifest.json') }))).toBe('manifest.json: is missing from the bundle');
    expect(err(JSON.stringify({ ...bundle, files: without('metrics.jsonl') }))).toBe('metrics.jsonl: is missing from the bundle');
    expect(err(JSON.stringify({ ...bundle, files: without('checkpoints/s1/recursive/g1.json') }))).toBe('checkpoints/s1/recursive/g1.json: is missing (generation 1 of recursive, seed 1)');
    expect(err(JSON.stringify({ ...bundle, files: { ...bundle.files, 'manifest.json': '{"format":"driftlab-run","config":{"name":"x"}}' } }))).toMatch(/^manifest.json: config is invalid: /);
    expect(err(JSON.stringify({ ...bundle, files: { ...bundle.files, 'metrics.jsonl': '{"kind":"generation"}\n' } }))).toBe('metrics.jsonl: line 1 has no lineage name');
    expect(() => parseMetrics(JSON.stringify(row('grounded', 0, { elo: 'high' as unknown as number })))).toThrow('metrics.jsonl: line 1: elo is "high", expected a number');
    expect(err(JSON.stringify({ ...bundle, files: { ...bundle.files, 'metrics.jsonl': JSON.stringify(row('stranger', 0)) } }))).toBe('metrics.jsonl: names lineage "stranger", which the manifest does not have');
    for (const p of ['/abs', 'a//b', 'a/./b', 'C:/x', 'a\\b', '']) expect(isRunPath(p)).toBe(false);
    expect(isRunPath('checkpoints/s1/g0.json')).toBe(true);
  });
});

describe('narration', () => {
  const r = buildConfig(knobsFromPreset('classroom', false), false);
  if (!r.ok) throw new Error('bad preset');
  const exp = r.config;
  it('tells each stage with the real numbers', () => {
    expect(startStep(exp).text).toBe(
      '800 real games by scripted players train generation 0, shared by grounded and recursive. Then 10 generations grow from it, each lineage with its own data recipe; every generation is judged in the real simulator.',
    );
    expect(progressStep(exp, 0)).toBeNull();
    expect(progressStep(exp, 4)!.text).toBe(
      "Making generation 4's training data from generation 3: grounded plays 128 real games in the simulator; recursive dreams 128 games with its own world model.",
    );
    const rows = [
      row('grounded', 4, { winRate: 0.65, believedWinRate: 0.6, selfDeception: -0.05, selfDeceptionSe: 0.03, tailShare: 0.14 }),
      row('recursive', 4, { winRate: 0.32, believedWinRate: 0.61, selfDeception: 0.29, selfDeceptionSe: 0.03, tailShare: 0.03 }),
    ];
    expect(generationStep(exp, 4, rows)).toEqual({
      label: 'Generation 4',
      generation: 4,
      text: 'Generation 4: the grounded model believes it wins 60%; it really wins 65% (within the margin of error). The recursive model believes it wins 61% but really wins 32%: it overrates itself. Rare high lob shots: grounded 14% and recursive 3% of play (the real data had 25%).',
    });
    const all = [row('grounded', 0), row('recursive', 0), ...rows];
    expect(doneStep(exp, all).text).toBe(
      'After 4 generations, real win rates: grounded went from 50% to 65% and recursive went from 50% to 32%. Grounded, which learns from reality, ends ahead of recursive, which learns only from its own imagination (the 95% interval of the difference is above zero).',
    );
  });
});

describe('frame packing', () => {
  it('sends static bodies once and restores every frame exactly', () => {
    const def = getScenario('hockey').def;
    const sim = def.create({ maxSteps: 12 }, { recordFrames: true });
    sim.reset(3);
    const start = sim.view();
    const frames: SceneView[][] = [];
    for (let t = 0; t < 12; t++) {
      const res = sim.step([[0.5, 0.2], [-0.3, 0.4]]);
      frames.push(res.info.frames!);
      if (res.terminated || res.truncated) break;
    }
    const p = packFrames(start, frames);
    expect(p.statics.length).toBeGreaterThan(3);
    expect(p.statics.every((b) => ['wall', 'goal'].includes(b.role) || b.role === 'marker')).toBe(true);
    expect(unpackFrame(p, p.start)).toEqual(start);
    frames.forEach((step, t) => step.forEach((f, k) => expect(unpackFrame(p, p.frames[t][k])).toEqual(f)));
    expect(JSON.stringify(p).length).toBeLessThan(JSON.stringify([start, frames]).length / 2);
  });
});
