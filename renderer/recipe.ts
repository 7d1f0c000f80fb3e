/**
 * The recipe knobs of the page (preset, scenario, generations, seeds, episodes per generation,
 * lineages) turned into an experiment config, checked by the lab's own schema: a bad value comes
 * back as the ConfigError's field, problem and allowed range, mapped to the control that shows it.
 * Pure: no DOM.
 */
import { MAX_PHYSICS_GENERATIONS, parseExperiment, parseSeeds, recipeNames, type PhysicsExperiment } from '../lab/config.ts';
import { presets } from '../lab/presets.ts';
import { ConfigError } from '../sim/errors.ts';
import type { ScenarioId } from '../sim/types.ts';

/** Presets the app offers (physics ones; calibration has no arenas). */
export const APP_PRESETS = ['classroom', 'curse'] as const;
export const CUSTOM = 'custom';
export const LINEAGE_RECIPES: readonly string[] = recipeNames;

export type KnobField = 'scenario' | 'generations' | 'seeds' | 'episodes' | 'lineages' | 'general';

export interface Knobs {
  /** a preset name, or CUSTOM */
  preset: string;
  /** the preset the custom recipe started from (its model, training and evaluation settings) */
  base: string;
  scenario: ScenarioId;
  generations: string;
  seeds: string;
  episodes: string;
  lineages: string[];
}

export interface KnobError {
  field: KnobField;
  /** the ConfigError message: field, problem and allowed range */
  message: string;
}

export type BuildResult = { ok: true; config: PhysicsExperiment; raw: Record<string, unknown> } | { ok: false; error: KnobError };

/** A small, fast version of any preset (for demos on slow machines and the e2e tests: `?quick=1`). */
export function quickVersion(raw: Record<string, unknown>): Record<string, unknown> {
  const lineages = (raw.lineages as Record<string, unknown>[]).map((l) => ({ ...l, episodes: 8 }));
  return {
    ...raw,
    generations: 3,
    seeds: [(raw.seeds as number[])[0] ?? 1],
    d0: { episodes: 24 },
    model: { hidden: [16], components: 2, worldHidden: [16] },
    training: { epochs: 2, batchSize: 64 },
    evaluation: { panelGames: 2, roundRobinGames: 1, selfPlayEpisodes: 4 },
    scenarioParams: raw.scenario === 'hockey' ? { maxSteps: 120 } : {},
    lineages,
  };
}

export function presetRaw(name: string, quick: boolean): Record<string, unknown> {
  const p = presets[name] as Record<string, unknown> | undefined;
  if (!p) throw new ConfigError('preset', `${JSON.stringify(name)} is not a known preset`, APP_PRESETS.join(', '));
  const copy = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
  return quick ? quickVersion(copy) : copy;
}

function formatSeeds(seeds: number[]): string {
  const contiguous = seeds.length > 2 && seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  return contiguous ? `${seeds[0]}..${seeds[seeds.length - 1]}` : seeds.join(',');
}

/** The knobs showing a preset's values. */
export function knobsFromPreset(name: string, quick: boolean): Knobs {
  const raw = presetRaw(name, quick);
  const lineages = raw.lineages as { name: string; recipe?: string; episodes?: number }[];
  return {
    preset: name,
    base: name,
    scenario: raw.scenario as ScenarioId,
    generations: String(raw.generations),
    seeds: formatSeeds(raw.seeds as number[]),
    episodes: String(lineages[0]?.episodes ?? 128),
    lineages: lineages.map((l) => l.name),
  };
}

/** Which control shows a ConfigError at this path. */
export function fieldOf(path: string): KnobField {
  if (/^scenario/.test(path)) return 'scenario';
  if (/^generations/.test(path)) return 'generations';
  if (/^(seeds|--seeds)/.test(path)) return 'seeds';
  if (/^lineages\[\d+\]\.episodes/.test(path)) return 'episodes';
  if (/^lineages/.test(path)) return 'lineages';
  return 'general';
}

function asNumber(text: string): number | string {
  const t = text.trim();
  if (t === '') return Number.NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** Build and check the experiment the knobs describe. */
export function buildConfig(k: Knobs, quick: boolean): BuildResult {
  try {
    const base = presetRaw(k.preset === CUSTOM ? k.base : k.preset, quick);
    const baseLineages = new Map((base.lineages as { name: string }[]).map((l) => [l.name, l]));
    let seeds: number[];
    try {
      seeds = parseSeeds(k.seeds.trim());
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError('seeds', e.problem, e.allowed);
      throw e;
    }
    if (k.lineages.length === 0) throw new ConfigError('lineages', 'has none selected', 'at least one of ' + LINEAGE_RECIPES.join(', '));
    const episodes = asNumber(k.episodes);
    const raw: Record<string, unknown> = {
      ...base,
      name: k.preset === CUSTOM ? `${k.base}-custom` : k.preset,
      scenario: k.scenario,
      scenarioParams: k.scenario === base.scenario ? (base.scenarioParams ?? {}) : quick && k.scenario === 'hockey' ? { maxSteps: 120 } : {},
      generations: asNumber(k.generations),
      seeds,
      lineages: k.lineages.map((name) => ({ ...(baseLineages.get(name) ?? { name, recipe: name }), episodes })),
      // expectations name the preset's lineages; a custom recipe may not have them
      expectations: k.preset === CUSTOM ? [] : base.expectations,
    };
    const config = parseExperiment(raw);
    if (config.kind !== 'physics') throw new ConfigError('kind', 'must be a physics experiment', 'physics');
    return { ok: true, config, raw };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, error: { field: fieldOf(e.path), message: e.message } };
    return { ok: false, error: { field: 'general', message: e instanceof Error ? e.message : String(e) } };
  }
}

/**
 * Every problem with the knobs at once, in plain words (field name, what is wrong, what is
 * allowed). Empty when each knob is fine on its own; the schema (buildConfig) still has the last
 * word on the whole recipe.
 */
export function plainErrors(k: Knobs): KnobError[] {
  const out: KnobError[] = [];
  const whole = (text: string, lo: number, hi: number): boolean => {
    const t = text.trim();
    return /^\d+$/.test(t) && Number(t) >= lo && Number(t) <= hi;
  };
  const typed = (text: string) => (text.trim() === '' ? 'the box is empty' : `you typed “${text.trim()}”`);
  if (!whole(k.generations, 1, MAX_PHYSICS_GENERATIONS)) {
    out.push({ field: 'generations', message: `Generations: type a whole number from 1 to ${MAX_PHYSICS_GENERATIONS} (${typed(k.generations)}).` });
  }
  let seedsOk = true;
  try {
    parseSeeds(k.seeds.trim());
  } catch {
    seedsOk = false;
  }
  if (!seedsOk) out.push({ field: 'seeds', message: `Seeds: type one seed (1), a range (1..5) or a list (1,4,9) of whole numbers (${typed(k.seeds)}).` });
  if (!whole(k.episodes, 4, 20000)) out.push({ field: 'episodes', message: `Episodes per generation: type a whole number from 4 to 20000 (${typed(k.episodes)}).` });
  if (k.lineages.length === 0) out.push({ field: 'lineages', message: 'Lineages: tick at least one lineage to grow.' });
  return out;
}

/**
 * A rough run time in seconds for a recipe, scaled from the classroom preset's measured time in
 * the browser on a 2-core machine (64 s for 8 seeds side by side × 10 generations × 2 lineages ×
 * 128 episodes, 2026-12-07, the trainer's WebAssembly kernels; 103 s before them): per seed and
 * generation, a fixed evaluation share per lineage plus a share per episode.
 */
export function estimateRunSeconds(c: Pick<PhysicsExperiment, 'generations' | 'seeds' | 'lineages'>): number {
  const perGeneration = c.lineages.reduce((t, l) => t + 0.2 + 0.0015 * (l.episodes ?? 128), 0);
  return 3 + c.seeds.length * c.generations * perGeneration;
}

/**
 * The generation scrubber's label: "10 / 10", and when the run has several seeds the seed the
 * arenas replay (their readouts are that seed's numbers, the charts the mean over the seeds).
 */
export function generationLabel(generation: number | string, last: number | string, seeds: readonly number[]): { text: string; title: string } {
  const base = `${generation} / ${last}`;
  if (seeds.length < 2) return { text: base, title: 'The generation the arenas replay' };
  return {
    text: `${base} · seed ${seeds[0]}`,
    title: `The arenas replay games of seed ${seeds[0]} and show that seed's numbers; the charts show the mean over the run's ${seeds.length} seeds`,
  };
}

/** "about 40 s", "about 3 min", "about 2 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}
