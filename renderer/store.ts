/**
 * The page's state as signals (@preact/signals-core; tldraw's atoms are the model): atoms for the
 * run (experiment, rows, files), the page state and the knobs, and what is derived from them
 * (`isBusy`, `lastFinished`, `canContinue`, `knobsValid`). Views read them inside effects and
 * redraw themselves; nothing calls an "update the buttons" function by hand. Pure: no DOM.
 */
import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals-core';
import { MAX_PHYSICS_GENERATIONS, type PhysicsExperiment } from '../lab/config.ts';
import type { MetricsRow } from '../lab/types.ts';
import { maxOf, minOf } from '../sim/arrays.ts';
import { buildConfig, plainErrors, type Knobs } from './recipe.ts';

/** What the page shows: nothing yet, a run in the lab worker, or a run opened from a file/folder. */
export type PageState = 'idle' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done' | 'failed' | 'opened';

export interface Store {
  experiment: Signal<PhysicsExperiment | null>;
  rows: Signal<readonly MetricsRow[]>;
  /** the run folder's files by relative path; replaced (never mutated) so readers see each write */
  files: Signal<ReadonlyMap<string, string>>;
  state: Signal<PageState>;
  /** what the lab is doing now, while it runs */
  progressText: Signal<string>;
  knobs: Signal<Knobs>;
  /** the run has generations that were neither saved nor opened from a file */
  unsaved: Signal<boolean>;
  /** human games per lineage: added and not trained on yet, and trained on */
  humanQueued: Signal<ReadonlyMap<string, number>>;
  humanUsed: Signal<ReadonlyMap<string, number>>;
  isBusy: ReadonlySignal<boolean>;
  /** the last generation every lineage of the first seed has finished (-1: none) */
  lastFinished: ReadonlySignal<number>;
  canContinue: ReadonlySignal<boolean>;
  knobsValid: ReadonlySignal<boolean>;
}

/** The last generation every lineage of the experiment's first seed has a row for (-1: none). */
export function lastFinishedGeneration(experiment: PhysicsExperiment | null, rows: readonly MetricsRow[]): number {
  if (!experiment) return -1;
  const seed = experiment.seeds[0];
  const names = experiment.lineages.map((l) => l.name);
  let g = -1;
  for (let gen = 0; ; gen++) {
    if (names.every((l) => rows.some((r) => r.seed === seed && r.lineage === l && r.generation === gen))) g = gen;
    else break;
  }
  return g;
}

export function createStore(initialKnobs: Knobs, quick: boolean): Store {
  const experiment = signal<PhysicsExperiment | null>(null);
  const rows = signal<readonly MetricsRow[]>([]);
  const state = signal<PageState>('idle');
  const knobs = signal(initialKnobs);
  const isBusy = computed(() => state.value === 'running' || state.value === 'paused' || state.value === 'stopping');
  const canContinue = computed(() => {
    const exp = experiment.value;
    const s = state.value;
    if (!exp || isBusy.value || !(s === 'done' || s === 'stopped' || s === 'opened')) return false;
    const target = Number(knobs.value.generations);
    const reached = minOf(exp.seeds.map((seed) => Math.max(-1, maxOf(rows.value.filter((r) => r.seed === seed).map((r) => r.generation)))));
    return Number.isInteger(target) && target > reached && target <= MAX_PHYSICS_GENERATIONS;
  });
  return {
    experiment,
    rows,
    files: signal(new Map()),
    state,
    progressText: signal(''),
    knobs,
    unsaved: signal(false),
    humanQueued: signal(new Map()),
    humanUsed: signal(new Map()),
    isBusy,
    lastFinished: computed(() => lastFinishedGeneration(experiment.value, rows.value)),
    canContinue,
    knobsValid: computed(() => buildConfig(knobs.value, quick).ok && plainErrors(knobs.value).length === 0),
  };
}

/** A copy of `map` with `key` set: signals hold immutable values. */
export function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): Map<string, V> {
  return new Map(map).set(key, value);
}

/**
 * `rows` with `row` added after every row of its own and earlier seeds: seeds train side by side
 * (lab-pool.ts), yet the page's rows stay in metrics.jsonl's order (seed by seed, as made).
 */
export function withRowInSeedOrder(rows: readonly MetricsRow[], row: MetricsRow, seeds: readonly number[]): MetricsRow[] {
  const rank = (seed: number) => {
    const i = seeds.indexOf(seed);
    return i < 0 ? seeds.length : i;
  };
  const mine = rank(row.seed);
  const at = rows.findIndex((r) => rank(r.seed) > mine);
  return at < 0 ? [...rows, row] : [...rows.slice(0, at), row, ...rows.slice(at)];
}
