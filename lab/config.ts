import { z } from 'zod';
import { ConfigError } from '../sim/errors.ts';

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
    })
    .strict(),
]);
export type Expectation = z.infer<typeof expectationSchema>;

export const physicsExperimentSchema = z
  .object({
    name: z.string().min(1).max(64),
    description: z.string().max(2000).default(''),
    kind: z.literal('physics').default('physics'),
    scenario: z.enum(['duel', 'hockey']),
    scenarioParams: z.record(z.string(), z.number()).default({}),
    seeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).max(64),
    generations: z.number().int().min(1).max(200),
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
        outcome: z.enum(['rule', 'learned']).default('rule'),
      })
      .strict()
      .default({}),
    training: z
      .object({
        epochs: z.number().int().min(1).max(500).default(30),
        batchSize: z.number().int().min(8).max(4096).default(128),
        lr: z.number().gt(0).max(1).default(0.003),
        /** policy samples are weighted min(exp(outcomeWeight × advantage), 20): see policyData in lab/dataset.ts; 0 = plain maximum likelihood */
        outcomeWeight: z.number().min(0).max(5).default(1),
        /** cap on minibatch updates per model for generations >= 1 (large data sets get fewer epochs; generation 0 always trains its full epochs) */
        maxUpdates: z.number().int().min(1).max(1000000).optional(),
        /** start each generation from its predecessor's weights (true) or a fresh seeded init */
        warmStart: z.boolean().default(true),
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

export const calibrationExperimentSchema = z
  .object({
    name: z.string().min(1).max(64),
    description: z.string().max(2000).default(''),
    kind: z.literal('calibration'),
    seeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).max(1000),
    generations: z.number().int().min(1).max(10000),
    calibration: z.record(z.string(), z.unknown()).default({}),
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
  exp.expectations.forEach((e, i) => {
    const refs = e.kind === 'trend' ? [['lineage', e.lineage]] : [['higher', e.higher], ['lower', e.lower]];
    for (const [field, name] of refs) {
      if (!names.has(name)) throw new ConfigError(`expectations[${i}].${field}`, `names unknown lineage ${JSON.stringify(name)}`, [...names].join(', '));
    }
  });
  return exp;
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
