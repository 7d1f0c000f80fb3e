import { z } from 'zod';
import { ConfigError } from '../sim/errors.ts';
import { CALIBRATION_LIMITS as CAL, calibrationLineages, defaultCalibrationConfig, type CalibrationConfig } from './calibration.ts';
import type { CalibrationRow, MetricsRow } from './types.ts';

/** A lineage's data recipe (DESIGN.md §1). */
export const recipeSchema = z
  .object({
    source: z.enum(['simulator', 'imagination']),
    retain: z.enum(['replace', 'accumulate']),
    realFraction: z.number().min(0).max(1),
    verify: z.enum(['none', 'filter', 'relabel']),
    temperature: z.number().gt(0).max(5),
    episodes: z.number().int().min(4).max(20000),
    /** simulator source: past generations (besides the newest) that serve as opponents */
    window: z.number().int().min(0).max(20),
    /**
     * distillation: the data comes from this other lineage's model (its previous generation)
     * instead of the lineage's own; null for the lineage's own model
     */
    teacher: z.string().nullable(),
    /** hidden layer widths of this lineage's models from generation 1 on (null: the experiment's) */
    hidden: z.array(z.number().int().min(2).max(512)).min(1).max(4).nullable(),
  })
  .strict();
export type Recipe = z.infer<typeof recipeSchema>;

export const recipePresets: Record<string, Omit<Recipe, 'episodes'>> = {
  grounded: { source: 'simulator', retain: 'replace', realFraction: 0, verify: 'none', temperature: 1, window: 2, teacher: null, hidden: null },
  recursive: { source: 'imagination', retain: 'replace', realFraction: 0, verify: 'none', temperature: 1, window: 0, teacher: null, hidden: null },
  accumulate: { source: 'imagination', retain: 'accumulate', realFraction: 0, verify: 'none', temperature: 1, window: 0, teacher: null, hidden: null },
  'fresh-mix': { source: 'imagination', retain: 'replace', realFraction: 0.3, verify: 'none', temperature: 1, window: 0, teacher: null, hidden: null },
  verified: { source: 'imagination', retain: 'replace', realFraction: 0, verify: 'relabel', temperature: 1, window: 0, teacher: null, hidden: null },
  /** a small student learning from a grounded teacher's games in the simulator */
  distilled: { source: 'simulator', retain: 'replace', realFraction: 0, verify: 'none', temperature: 1, window: 0, teacher: 'grounded', hidden: [16] },
};
export const recipeNames = Object.keys(recipePresets);

const lineageSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes, at most 32'),
    /** a named recipe (grounded, recursive, accumulate, fresh-mix, verified, distilled) to start from */
    recipe: z.enum(recipeNames as [string, ...string[]]).optional(),
    source: recipeSchema.shape.source.optional(),
    retain: recipeSchema.shape.retain.optional(),
    realFraction: recipeSchema.shape.realFraction.optional(),
    verify: recipeSchema.shape.verify.optional(),
    temperature: recipeSchema.shape.temperature.optional(),
    episodes: recipeSchema.shape.episodes.optional(),
    window: recipeSchema.shape.window.optional(),
    teacher: recipeSchema.shape.teacher.optional(),
    hidden: recipeSchema.shape.hidden.optional(),
  })
  .strict();

/**
 * An experiment's name: shown in reports and, as a slug (lab/run-record.ts), the default run
 * folder's name, so it may hold no path separator, no "..", no control character.
 */
const experimentNameSchema = z
  .string()
  .min(1)
  .max(64)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[/\\\u0000-\u001f\u007f]/.test(s) && !s.includes('..') && /[A-Za-z0-9]/.test(s), {
    message: 'must hold a letter or digit and no "/", "\\", ".." or control characters',
  });

const expectationSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('trend'),
      lineage: z.string(),
      metric: z.string(),
      /** last generation vs generation 0, mean over seeds */
      direction: z.enum(['up', 'down', 'flat-or-up', 'flat-or-down']),
      /** minimum absolute change for up/down; tolerance for flat-or-* */
      by: z.number().min(0).default(0),
      /** judge the change by its 95% interval over seeds (paired by seed) instead of the mean alone */
      interval: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('order'),
      metric: z.string(),
      higher: z.string(),
      lower: z.string(),
      /** compare at the last generation (mean over seeds), by at least `by` */
      by: z.number().min(0).default(0),
      /** judge the difference by its 95% interval over seeds (paired by seed) instead of the mean alone */
      interval: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('level'),
      lineage: z.string(),
      metric: z.string(),
      /** subtract this metric of the same row first (e.g. worldOutcomeBaseline) */
      minus: z.string().optional(),
      /** which generation: the first (0) or the last */
      at: z.enum(['first', 'last']).default('last'),
      /** the 95% interval over seeds lies entirely above (or below) `value` */
      direction: z.enum(['above', 'below']),
      value: z.number(),
    })
    .strict(),
]);
export type Expectation = z.infer<typeof expectationSchema>;

/** The most generations a physics experiment may have (the app's knob and Continue use it too). */
export const MAX_PHYSICS_GENERATIONS = 200;

export const physicsExperimentSchema = z
  .object({
    name: experimentNameSchema,
    description: z.string().max(2000).default(''),
    kind: z.literal('physics').default('physics'),
    scenario: z.enum(['duel', 'hockey']),
    scenarioParams: z.record(z.string(), z.number()).default({}),
    seeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).max(64),
    generations: z.number().int().min(1).max(MAX_PHYSICS_GENERATIONS),
    d0: z
      .object({
        episodes: z.number().int().min(8).max(100000).default(200),
        testFraction: z.number().gt(0).lt(1).default(0.25),
      })
      .strict()
      .default({}),
    model: z
      .object({
        hidden: z.array(z.number().int().min(2).max(512)).min(1).max(4).default([64, 64]),
        components: z.number().int().min(1).max(8).default(3),
        worldHidden: z.array(z.number().int().min(2).max(512)).min(1).max(4).default([64, 64]),
        /**
         * where the world model's outcomes come from: 'rule' — the game's rule applied to the
         * predicted next observation (physics learned, rules known); 'learned' — its own outcome head
         */
        outcome: z.enum(['rule', 'learned']).default('learned'),
        /** the world model's lower bound on a predicted standard deviation (observation units) */
        worldMinStd: z.number().gt(0).max(0.5).default(0.01),
      })
      .strict()
      .default({}),
    training: z
      .object({
        epochs: z.number().int().min(1).max(500).default(30),
        batchSize: z.number().int().min(8).max(4096).default(128),
        lr: z.number().gt(0).max(1).default(0.003),
        /** the world model's learning rate */
        worldLr: z.number().gt(0).max(1).default(0.01),
        /** the world model's learning rate at the last update of each fit, reached linearly from worldLr (default: worldLr, constant) */
        worldLrFinal: z.number().gt(0).max(1).optional(),
        /** the same for generation 0's world-model fit only (trained once per seed on D0); default: worldLrFinal */
        worldG0LrFinal: z.number().gt(0).max(1).optional(),
        /** β of the world model's β-NLL: each observation dimension's NLL is scaled by σ^(2β), held constant */
        worldNllBeta: z.number().min(0).max(1).default(0.5),
        /**
         * weight of the world model's outcome cross-entropy against its observation NLL: at 1 the
         * near-deterministic observation dimensions swamp it and the outcome head hardly learns
         */
        worldOutcomeWeight: z.number().min(0).max(100).default(10),
        /** epochs of generation 0's world model (trained once per seed on D0, shared by every lineage) */
        /**
         * how the world model's outcome head weighs the outcome classes: 'natural' — as often as
         * they occur; 'balanced' — each class with the same total weight (for games where decisive
         * moves are rare, like hockey's goals), with the logits shifted back to the data's own
         * frequencies when the model imagines (logit adjustment)
         */
        worldOutcomeClasses: z.enum(['natural', 'balanced']).default('natural'),
        worldG0Epochs: z.number().int().min(1).max(500).default(60),
        /** policy samples are weighted min(exp(outcomeWeight × advantage), 20): see policyData in lab/dataset.ts; 0 = plain maximum likelihood */
        outcomeWeight: z.number().min(0).max(5).default(1),
        /** cap on minibatch updates per model for generations >= 1 (large data sets get fewer epochs; generation 0 always trains its full epochs) */
        maxUpdates: z.number().int().min(1).max(1000000).optional(),
        /** start each generation from its predecessor's weights (true) or a fresh seeded init */
        warmStart: z.boolean().default(true),
        /**
         * where a lineage's world model of generation n+1 starts (with warmStart): 'predecessor' —
         * generation n's weights; 'base' — generation 0's, the model that learnt reality, fine-tuned
         * on the new data only (as the paper fine-tunes the same pre-trained language model on each
         * generation's data); 'fresh' — a new initialisation (as the paper refits its Gaussians)
         */
        worldStart: z.enum(['predecessor', 'base', 'fresh']).default('predecessor'),
        /**
         * moves judged per decision while a lineage makes its training games (1: no planning): its
         * policy's move and more draws, each looked ahead in the model the lineage learns from
         * (simulator or predecessor's world model), the best one played — see lab/plan.ts
         */
        planCandidates: z.number().int().min(1).max(32).optional(),
        /** decisions each planning lookahead runs (default 3) */
        planHorizon: z.number().int().min(1).max(60).optional(),
      })
      .strict()
      .default({}),
    evaluation: z
      .object({
        /** real games per panel opponent (split across both seats); 100 × 4 opponents keeps a win rate's standard error ≤ 0.025 */
        panelGames: z.number().int().min(2).max(2000).default(100),
        /** games per pair in the round robin (each new checkpoint against its peers and every lineage's previous generation) */
        roundRobinGames: z.number().int().min(0).max(200).default(4),
        /** real self-play episodes for tailShare, w1 and histograms */
        selfPlayEpisodes: z.number().int().min(2).max(5000).default(32),
        /** fresh real games by the scripted population added to D0's test split: the world model's held-out reality */
        heldOutEpisodes: z.number().int().min(0).max(5000).default(200),
        /** bootstrap resamples for the final Elo's 95% intervals */
        eloBootstrap: z.number().int().min(10).max(2000).default(200),
      })
      .strict()
      .default({}),
    lineages: z.array(lineageSchema).min(1).max(8),
    expectations: z.array(expectationSchema).default([]),
  })
  .strict();

/**
 * The fields of a calibration experiment's `calibration` object (every one optional; defaults in
 * lab/calibration.ts `defaultCalibrationConfig`). This schema is the only check of them.
 */
export const calibrationFieldsSchema = z
  .object({
    /** M: samples drawn per generation */
    sampleSizes: z.array(z.number().int().min(CAL.sampleSize.min).max(CAL.sampleSize.max)).min(CAL.sampleSizes.min).max(CAL.sampleSizes.max).optional(),
    fits: z.array(z.enum(['unbiased', 'mle'])).min(1).max(2).optional(),
    retain: z.array(z.enum(['replace', 'accumulate'])).min(1).max(2).optional(),
    categorical: z
      .object({
        categories: z.number().int().min(CAL.categories.min).max(CAL.categories.max),
        zipf: z.number().min(CAL.zipf.min).max(CAL.zipf.max).optional(),
      })
      .strict()
      .optional(),
    families: z.array(z.enum(['gaussian', 'categorical'])).min(1).max(2).optional(),
  })
  .strict();

/** Bounds on a calibration run's metrics (1000 seeds × 100 generations of the default lineages fit). */
export const MAX_CALIBRATION_ROWS = 1_500_000;
export const MAX_CALIBRATION_VALUES = 12_000_000;

type NumericKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;

/** Metrics an expectation may name, per experiment kind (every numeric row field but generation and seed). */
export const physicsMetrics = ['elo', 'eloLow', 'eloHigh', 'eloProvisional', 'winRate', 'winRateSe', 'believedWinRate', 'selfDeception', 'selfDeceptionSe', 'worldNll', 'worldOutcomeAccuracy', 'worldOutcomeBaseline', 'worldTailCoverage', 'realNll', 'entropy', 'actionStd', 'tailShare', 'd0TailShare', 'realityGap', 'outcomeDisagreement', 'w1', 'trainSamples'] as const;
export const calibrationMetrics = ['mean', 'variance', 'theoryVariance', 'theoryGeoMeanVariance', 'support', 'theorySupport', 'distance'] as const;
// a new numeric metric in MetricsRow / CalibrationRow fails to compile here until it is listed above
const physicsMetricsComplete: Exhaustive<Exclude<NumericKeys<MetricsRow>, 'generation' | 'seed'>, (typeof physicsMetrics)[number]> = true;
const calibrationMetricsComplete: Exhaustive<Exclude<NumericKeys<CalibrationRow>, 'generation' | 'seed'>, (typeof calibrationMetrics)[number]> = true;
void physicsMetricsComplete;
void calibrationMetricsComplete;

export const calibrationExperimentSchema = z
  .object({
    name: experimentNameSchema,
    description: z.string().max(2000).default(''),
    kind: z.literal('calibration'),
    seeds: z.array(z.number().int().min(CAL.seed.min).max(CAL.seed.max)).min(CAL.seeds.min).max(CAL.seeds.max),
    generations: z.number().int().min(CAL.generations.min).max(CAL.generations.max),
    calibration: calibrationFieldsSchema.default({}),
    expectations: z.array(expectationSchema).default([]),
  })
  .strict();

export type PhysicsExperiment = z.infer<typeof physicsExperimentSchema>;
export type CalibrationExperiment = z.infer<typeof calibrationExperimentSchema>;
export type Experiment = PhysicsExperiment | CalibrationExperiment;

export interface ResolvedLineage {
  name: string;
  recipe: Recipe;
}

function describeIssue(issue: z.ZodIssue): { path: string; problem: string; allowed?: string } {
  // Stryker disable next-line Regex: the joined path starts with its only leading dot (a root field is never an index)
  const path = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') : '(root)';
  switch (issue.code) {
    case 'invalid_enum_value':
      return { path, problem: `is ${JSON.stringify(issue.received)}`, allowed: issue.options.map((o) => JSON.stringify(o)).join(', ') };
    case 'too_small':
      return {
        path,
        problem: issue.type === 'array' ? 'has too few items' : `is too small`,
        allowed: issue.type === 'array' ? `at least ${issue.minimum} items` : `${issue.inclusive ? '>=' : '>'} ${issue.minimum}`,
      };
    case 'too_big':
      return {
        path,
        problem: issue.type === 'array' ? 'has too many items' : `is too large`,
        allowed: issue.type === 'array' ? `at most ${issue.maximum} items` : `${issue.inclusive ? '<=' : '<'} ${issue.maximum}`,
      };
    case 'invalid_type':
      return { path, problem: `is ${issue.received}`, allowed: issue.expected };
    case 'unrecognized_keys':
      return { path: path === '(root)' ? issue.keys[0] : `${path}.${issue.keys[0]}`, problem: 'is not a known field' };
    case 'invalid_union_discriminator':
      return { path, problem: 'is not a known kind', allowed: issue.options.map((o) => JSON.stringify(o)).join(', ') };
    case 'invalid_literal':
      return { path, problem: `is ${JSON.stringify(issue.received)}`, allowed: JSON.stringify(issue.expected) };
    default:
      return { path, problem: issue.message };
  }
}

function zodToConfigError(err: z.ZodError): ConfigError {
  const d = describeIssue(err.issues[0]);
  return new ConfigError(d.path, d.problem, d.allowed);
}

/** Validate an experiment (preset) object; throws ConfigError naming the first bad field. */
export function parseExperiment(input: unknown): Experiment {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('(root)', 'must be a JSON object');
  }
  const kind = (input as { kind?: unknown }).kind;
  if (kind === 'calibration') {
    const r = calibrationExperimentSchema.safeParse(input);
    if (!r.success) throw zodToConfigError(r.error);
    const cfg = calibrationConfigOf(r.data);
    const lins = calibrationLineages(cfg);
    // bound the output: rows, and numbers in them (a categorical row carries its probabilities)
    const perSeedGen = lins.length;
    const valuesPerSeedGen = lins.reduce((a, l) => a + (l.family === 'categorical' ? cfg.categorical.categories : 1), 0);
    const cells = r.data.seeds.length * (r.data.generations + 1);
    if (cells * perSeedGen > MAX_CALIBRATION_ROWS || cells * valuesPerSeedGen > MAX_CALIBRATION_VALUES) {
      throw new ConfigError(
        'generations',
        `${r.data.generations} with ${r.data.seeds.length} seed(s) and ${lins.length} lineage(s) makes ${cells * perSeedGen} rows holding ${cells * valuesPerSeedGen} values`,
        `at most ${MAX_CALIBRATION_ROWS} rows and ${MAX_CALIBRATION_VALUES} values (fewer seeds, generations, sample sizes or categories)`,
      );
    }
    const names = lins.map((l) => l.name);
    checkExpectations(r.data.expectations, names, calibrationMetrics);
    return r.data;
  }
  const r = physicsExperimentSchema.safeParse(input);
  if (!r.success) throw zodToConfigError(r.error);
  const exp = r.data;
  const names = new Set<string>();
  exp.lineages.forEach((l, i) => {
    if (names.has(l.name)) throw new ConfigError(`lineages[${i}].name`, `duplicates ${JSON.stringify(l.name)}`, 'unique names');
    names.add(l.name);
    if (!l.recipe && !l.source) {
      throw new ConfigError(`lineages[${i}].recipe`, 'is missing (give a named recipe or a source)', recipeNames.join(', '));
    }
  });
  resolveLineages(exp).forEach((l, i) => {
    const t = l.recipe.teacher;
    if (t !== null && (t === l.name || !names.has(t))) {
      throw new ConfigError(`lineages[${i}].teacher`, `names ${t === l.name ? 'the lineage itself' : `unknown lineage ${JSON.stringify(t)}`}`, [...names].filter((n) => n !== l.name).join(', ') || 'another lineage of this experiment');
    }
  });
  checkExpectations(exp.expectations, [...names], physicsMetrics);
  return exp;
}

/** Expectations name lineages of the experiment and metrics its rows carry. */
function checkExpectations(expectations: Expectation[], lineages: string[], metrics: readonly string[]): void {
  const names = new Set(lineages);
  expectations.forEach((e, i) => {
    if (!metrics.includes(e.metric)) throw new ConfigError(`expectations[${i}].metric`, `is ${JSON.stringify(e.metric)}, not a metric of this experiment`, metrics.join(', '));
    if (e.kind === 'level' && e.minus !== undefined && !metrics.includes(e.minus)) throw new ConfigError(`expectations[${i}].minus`, `is ${JSON.stringify(e.minus)}, not a metric of this experiment`, metrics.join(', '));
    const refs = e.kind === 'order' ? [['higher', e.higher], ['lower', e.lower]] : [['lineage', e.lineage]];
    for (const [field, name] of refs) {
      if (!names.has(name)) throw new ConfigError(`expectations[${i}].${field}`, `names unknown lineage ${JSON.stringify(name)}`, lineages.join(', '));
    }
  });
}

/** The full calibration config of a (schema-checked) calibration experiment: defaults filled in. */
export function calibrationConfigOf(exp: CalibrationExperiment): CalibrationConfig {
  const c = exp.calibration;
  return {
    ...defaultCalibrationConfig,
    ...(c.sampleSizes && { sampleSizes: c.sampleSizes }),
    ...(c.fits && { fits: c.fits }),
    ...(c.retain && { retain: c.retain }),
    ...(c.families && { families: c.families }),
    categorical: { ...defaultCalibrationConfig.categorical, ...c.categorical },
    seeds: exp.seeds,
    generations: exp.generations,
  };
}

export function resolveLineages(exp: PhysicsExperiment): ResolvedLineage[] {
  return exp.lineages.map((l) => {
    const base = l.recipe ? recipePresets[l.recipe] : recipePresets.grounded;
    const recipe: Recipe = {
      ...base,
      episodes: 128,
      ...Object.fromEntries(Object.entries(l).filter(([k, v]) => k !== 'name' && k !== 'recipe' && v !== undefined)),
    } as Recipe;
    return { name: l.name, recipe: recipeSchema.parse(recipe) };
  });
}

/** Parse a "--seeds" value: "3", "1..5" or "1,4,9". */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  let seeds: number[];
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a || b - a > 999) throw new ConfigError('--seeds', `${text} is not an increasing range of at most 1000 seeds`, 'a..b with a <= b');
    seeds = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else if (/^\d+(,\d+)*$/.test(text)) {
    seeds = text.split(',').map(Number);
  } else {
    throw new ConfigError('--seeds', `${JSON.stringify(text)} is not a seed list`, 'N, a..b or a,b,c (non-negative integers)');
  }
  if (seeds.some((s) => s > 2 ** 31 - 1)) throw new ConfigError('--seeds', 'seed too large', `0..${2 ** 31 - 1}`);
  return seeds;
}
