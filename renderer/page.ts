/**
 * What the page's views share: the elements of index.html, the store (signals), the action
 * registry, the parts (arenas, charts, presenter, workers) and each view's small API. main.ts
 * builds one `Page` and installs the views into it; a view reaches another only through it.
 */
import type { Lesson } from './lesson.ts';
import type { ActionManager } from './actions.ts';
import type { Arena } from './arena.ts';
import type { ArenaClient } from './arena-client.ts';
import type { ChartBoard } from './charts-view.ts';
import type { ArenaDeck } from './deck.ts';
import type { FpsMeter } from './fps.ts';
import type { HeadlinePanel } from './headline-view.ts';
import type { HumanPlay } from './human-play.ts';
import type { LabClient } from './lab-client.ts';
import type { Presenter } from './presenter.ts';
import type { KnobField, Knobs } from './recipe.ts';
import type { OpenedRun } from './run-files.ts';
import type { Store } from './store.ts';
import { $ } from './dom.ts';
import type { PhysicsExperiment } from '../lab/config.ts';
import type { ScenarioId } from '../sim/types.ts';

export function pageElements() {
  return {
    classroom: $<HTMLButtonElement>('classroom'),
    scenario: $<HTMLSelectElement>('scenario'),
    preset: $<HTMLSelectElement>('preset'),
    run: $<HTMLButtonElement>('run'),
    pause: $<HTMLButtonElement>('pause'),
    stop: $<HTMLButtonElement>('stop'),
    cont: $<HTMLButtonElement>('continue'),
    status: $<HTMLOutputElement>('status'),
    fps: $<HTMLOutputElement>('fps'),
    save: $<HTMLButtonElement>('save-run'),
    open: $<HTMLButtonElement>('open-run'),
    openFile: $<HTMLInputElement>('open-run-file'),
    playToggle: $<HTMLButtonElement>('play-toggle'),
    generations: $<HTMLInputElement>('knob-generations'),
    seeds: $<HTMLInputElement>('knob-seeds'),
    episodes: $<HTMLInputElement>('knob-episodes'),
    lineages: $<HTMLFieldSetElement>('knob-lineages'),
    scrubber: $<HTMLInputElement>('generation'),
    scrubLabel: $<HTMLOutputElement>('generation-label'),
    opponent: $<HTMLSelectElement>('opponent'),
    dream: $<HTMLInputElement>('dream'),
    showLineages: $<HTMLSpanElement>('show-lineages'),
    arenas: $<HTMLElement>('arenas'),
    play: $<HTMLElement>('play'),
    playHelp: $<HTMLElement>('play-help'),
    playOpponent: $<HTMLSelectElement>('play-opponent'),
    playNew: $<HTMLButtonElement>('play-new'),
    playFire: $<HTMLButtonElement>('play-fire'),
    playStatus: $<HTMLElement>('play-status'),
    playLineage: $<HTMLSelectElement>('play-lineage'),
    playAdd: $<HTMLButtonElement>('play-add'),
    humanCount: $<HTMLElement>('human-count'),
    charts: $<HTMLElement>('charts'),
    errors: {
      scenario: $('error-scenario'),
      generations: $('error-generations'),
      seeds: $('error-seeds'),
      episodes: $('error-episodes'),
      lineages: $('error-lineages'),
      general: $('error-general'),
    } as Record<KnobField, HTMLElement>,
  };
}
export type PageElements = ReturnType<typeof pageElements>;

/** The knobs view (knobs-view.ts). */
export interface KnobsView {
  /** show these knobs in the controls (and make them the store's) */
  show(k: Knobs): void;
}
/** The lesson links and onboarding (lesson-view.ts). */
export interface LessonView {
  syncUrl(): void;
  applyHidden(): void;
}
/** The arenas, the generation scrubber and the dream controls (arena-view.ts). */
export interface ArenaView {
  shownLineages(): string[];
  buildShowChips(): void;
  buildOpponents(scenario: ScenarioId): void;
  idle(): Promise<void>;
  selectedGeneration(): number;
  showGeneration(): void;
  /** a new finished generation: extend the scrubber; follow it when it was at the end */
  generationsChanged(): void;
  setDreamLayout(mode: 'overlay' | 'split'): void;
  dreamLayout(): 'overlay' | 'split';
}
/** Human play (play-view.ts). */
export interface PlayView {
  refreshOpponents(fresh?: boolean): void;
  setPlayMode(on: boolean): void;
}
/** Starting, continuing and following runs in the lab worker (run-control.ts). */
export interface RunControl {
  begin(exp: PhysicsExperiment): Promise<void>;
  start(confirmed?: boolean): Promise<void>;
}
/** Saving, opening, autosaving and restoring runs (run-io.ts). */
export interface RunIo {
  confirmDiscard(what: string): boolean;
  autosave(): void;
  loadRun(opened: OpenedRun, from: string): Promise<void>;
  offerRestore(): Promise<void>;
}

export interface Page {
  els: PageElements;
  store: Store;
  actions: ActionManager;
  quick: boolean;
  lesson: Lesson;
  /** the lineages the arenas show by default */
  defaultShown: string[];
  wasmBase: string;
  lab: LabClient;
  arenaClient: ArenaClient;
  deck: ArenaDeck;
  charts: ChartBoard;
  presenter: Presenter;
  headline: HeadlinePanel;
  playArena: Arena;
  human: HumanPlay;
  fps: FpsMeter;
  notice(text: string, error?: boolean): void;
  /** the headline charts show the generations up to the one the narration is on */
  updateHeadline(): void;
  knobs: KnobsView;
  lessonView: LessonView;
  arena: ArenaView;
  play: PlayView;
  run: RunControl;
  io: RunIo;
}
