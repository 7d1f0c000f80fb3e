/**
 * The Driftlab page: recipe controls, the lab in a Web Worker (lab-worker.ts), arenas that replay
 * the selected generation of each lineage in the real simulator with its world model's dream
 * (arena-worker.ts), live charts, human play, presenter mode, and run folders (open/save).
 *
 * This module is wiring only: it builds the parts, the store (store.ts: signals) and the action
 * registry (actions.ts), installs the views (knobs-, lesson-, arena-, play-view, run-control,
 * run-io) and registers the actions that buttons, shortcuts and the native menus share.
 *
 * `?quick=1` shrinks every preset (tiny D0, models, epochs and evaluation) for demos on slow
 * machines and for the e2e tests.
 */
import { effect } from '@preact/signals-core';
import type { PhysicsExperiment } from '../lab/config.ts';
import type { MetricsRow } from '../lab/types.ts';
import { ActionManager, type Action } from './actions.ts';
import { Arena } from './arena.ts';
import { ArenaClient } from './arena-client.ts';
import { installArenaView } from './arena-view.ts';
import { desktopApi, onMenuCommand, saveFile } from './bridge.ts';
import { ChartBoard } from './charts-view.ts';
import { ArenaDeck } from './deck.ts';
import { installReplayExport } from './replay-export.ts';
import { $ } from './dom.ts';
import { FpsMeter } from './fps.ts';
import { HeadlinePanel } from './headline-view.ts';
import { HumanPlay } from './human-play.ts';
import { knobsFromLesson, installKnobsView } from './knobs-view.ts';
import { tfjsWasmBase, type LabClient } from './lab-client.ts';
import { PoolLabClient, poolSize } from './lab-pool.ts';
import { lessonFromParams } from './lesson.ts';
import { installLessonView } from './lesson-view.ts';
import { MENU_BUTTONS, runMenuCommand } from './menu-actions.ts';
import { pageElements, type Page } from './page.ts';
import { installPlayView } from './play-view.ts';
import { Presenter } from './presenter.ts';
import { knobsFromPreset } from './recipe.ts';
import { installRunControl } from './run-control.ts';
import { installRunIo } from './run-io.ts';
import { createStore, type PageState, type Store } from './store.ts';

export type { PageState } from './store.ts';

export interface DriftlabPage {
  deck: ArenaDeck;
  charts: ChartBoard;
  presenter: Presenter;
  lab: LabClient;
  arenaClient: ArenaClient;
  human: HumanPlay;
  playArena: Arena;
  fps: FpsMeter;
  store: Store;
  actions: ActionManager;
  state(): PageState;
  rows(): readonly MetricsRow[];
  files(): ReadonlyMap<string, string>;
  experiment(): PhysicsExperiment | null;
}

declare global {
  interface Window {
    /** the page's parts, for the e2e tests and the console */
    driftlabPage?: DriftlabPage;
  }
}

const STATE_WORDS: Record<PageState, string> = {
  idle: 'idle',
  running: 'running',
  paused: 'paused',
  stopping: 'stopping after this generation…',
  stopped: 'stopped',
  done: 'done',
  failed: 'failed',
  opened: 'opened run',
};

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const quick = params.get('quick') === '1';
  const lesson = lessonFromParams(params);
  const els = pageElements();
  const store = createStore(knobsFromLesson(lesson, quick), quick);
  const actions = new ActionManager();

  // ------------------------------------------------------------------ parts
  const wasmBase = tfjsWasmBase();
  // the seeds train side by side, one Web Worker each, as many as the CLI's worker threads
  let labWorkers = 0;
  const lab = new PoolLabClient(() => new Worker(new URL('./lab-worker.ts', import.meta.url), { type: 'module', name: `driftlab-lab-${++labWorkers}` }), poolSize(navigator.hardwareConcurrency), Math.max(1, navigator.hardwareConcurrency || 1));
  const arenaClient = new ArenaClient(new Worker(new URL('./arena-worker.ts', import.meta.url), { type: 'module', name: 'driftlab-arenas' }), wasmBase);
  arenaClient.ready.catch((e: Error) => notice(e.message, true));
  const deck = new ArenaDeck(els.arenas, arenaClient, (p) => store.files.peek().get(p));
  deck.onError((m) => notice(m, true));
  // ?charts=page draws every chart on the page (no chart worker), as before the worker
  const chartWorker = new URLSearchParams(location.search).get('charts') === 'page' ? null : () => new Worker(new URL('./chart-worker.ts', import.meta.url), { type: 'module', name: 'driftlab-charts' });
  const charts = new ChartBoard(els.charts, (id, format) => void exportChart(id, format), chartWorker);
  const presenter = new Presenter(document, {
    toggle: $('presenter-toggle'),
    panel: $('narration'),
    stepLabel: $('narration-step'),
    text: $('narration-text'),
    prev: $('narration-prev'),
    next: $('narration-next'),
    exit: $('presenter-exit'),
  });
  const playArena = await Arena.create($('arena-play'), { title: 'You (blue)' });
  const human = new HumanPlay(playArena, arenaClient);
  const fps = new FpsMeter();
  fps.onUpdate((v) => {
    els.fps.value = `${v} fps`;
    els.fps.dataset.fps = String(v);
  });
  fps.start();

  const noticeEl = Object.assign(document.createElement('p'), { id: 'notice', className: 'notice', hidden: true });
  noticeEl.setAttribute('role', 'alert');
  document.querySelector('.topbar')!.after(noticeEl);
  function notice(text: string, error = false): void {
    noticeEl.textContent = text;
    noticeEl.hidden = text === '';
    noticeEl.classList.toggle('error', error);
  }

  const headline = new HeadlinePanel($('headline'));
  const page = { els, store, actions, quick, lesson, defaultShown: lesson.show ?? ['grounded', 'recursive'], wasmBase, lab: lab as LabClient, arenaClient, deck, charts, presenter, headline, playArena, human, fps, notice } as Page;
  page.updateHeadline = () => {
    if (!presenter.active) return;
    headline.update(store.rows.peek(), presenter.steps[presenter.currentStep]?.generation ?? Infinity);
  };
  page.lessonView = installLessonView(page);
  const io = (page.io = installRunIo(page, noticeEl));
  page.knobs = installKnobsView(page);
  page.arena = installArenaView(page);
  const run = (page.run = installRunControl(page));
  page.play = installPlayView(page);
  // "Export replay (GIF / WebM)" on every arena (renderer/replay-export.ts)
  installReplayExport({
    client: arenaClient,
    container: els.arenas,
    fileText: (p) => store.files.peek().get(p),
    notice,
    selection: () => {
      const exp = store.experiment.peek();
      return exp && store.lastFinished.peek() >= 0 ? { name: exp.name, scenario: exp.scenario, params: exp.scenarioParams, seed: exp.seeds[0], generation: page.arena.selectedGeneration() } : null;
    },
  });

  // ------------------------------------------------------------------ views of the store
  effect(() => {
    const s = store.state.value;
    document.body.dataset.state = s;
    els.status.value = store.progressText.value && (s === 'running' || s === 'paused') ? `${STATE_WORDS[s]} · ${store.progressText.value}` : STATE_WORDS[s];
  });
  effect(() => charts.setRows(store.rows.value));
  // while a run trains the charts are drawn in their worker (the main thread stays free); after it, live
  effect(() => charts.setInteractive(store.state.value !== 'running'));
  effect(() => {
    document.body.dataset.rows = String(store.rows.value.length);
  });

  // ------------------------------------------------------------------ actions: buttons, shortcuts and menus
  const busy = () => store.isBusy.value;
  const running = () => store.state.value === 'running' || store.state.value === 'paused';
  let lastChart = 'winrate';
  async function exportChart(id: string, format: 'svg' | 'png'): Promise<void> {
    lastChart = id;
    const name = `${store.experiment.peek()?.name ?? 'driftlab'}-${id}.${format}`;
    try {
      const data = format === 'svg' ? await charts.exportSvg(id) : await charts.exportPng(id);
      if (await saveFile(name, format, data)) notice(`Exported ${name}`);
    } catch (e) {
      notice(`Could not export the chart: ${(e as Error).message}`, true);
    }
  }
  const pageActions: Action[] = [
    { id: 'run', perform: () => run.start(), enabled: () => store.knobsValid.value && !busy(), label: () => 'Run', keys: ['Mod+Enter'] },
    {
      id: 'classroom',
      perform: () => {
        if (store.isBusy.peek() || !io.confirmDiscard('A new classroom run')) return;
        page.knobs.show(knobsFromPreset('classroom', quick));
        void run.start(true);
      },
      enabled: () => !busy(),
    },
    { id: 'pause', perform: () => run.pauseOrResume(), enabled: running, label: () => (store.state.value === 'paused' ? 'Resume' : 'Pause') },
    { id: 'stop', perform: () => run.stop(), enabled: running },
    { id: 'continue', perform: () => run.continueRun(), enabled: () => store.canContinue.value },
    { id: 'save-run', perform: () => io.saveRun(), enabled: () => store.files.value.size > 0 && !busy() && store.rows.value.length > 0, keys: ['Mod+S'] },
    { id: 'open-run', perform: () => io.openRun(), enabled: () => !busy(), keys: ['Mod+O'] },
    { id: 'export-chart', perform: () => exportChart(lastChart, 'png') },
    { id: 'toggle-presenter', perform: () => presenter.toggle() },
  ];
  actions.register(...pageActions);
  for (const [id, button] of Object.entries({ ...MENU_BUTTONS, classroom: 'classroom', stop: 'stop', continue: 'continue' })) {
    if (id !== 'toggle-presenter') actions.bindButton($<HTMLButtonElement>(button), id); // the presenter binds its own button
  }
  onMenuCommand((command) => runMenuCommand(actions, command));
  // in the desktop app the native menu's accelerators run the same actions
  if (!desktopApi()) actions.bindKeys(document, /Mac|iPhone|iPad/.test(navigator.platform));

  // ------------------------------------------------------------------ presenter
  // in presenter mode the arenas show the generation the narration talks about
  presenter.onStep((step) => {
    page.updateHeadline();
    if (step.generation === undefined || !store.experiment.peek() || human.active) return;
    if (step.generation > store.lastFinished.peek() || els.scrubber.disabled) return;
    if (Number(els.scrubber.value) === step.generation) return;
    els.scrubber.value = String(step.generation);
    page.arena.showGeneration();
  });
  presenter.onChange((on) => {
    page.updateHeadline();
    deck.setTextScale(on ? 1.6 : 1);
    playArena.setTextScale(on ? 1.6 : 1);
    if (!on) setTimeout(() => charts.refresh(), 50);
  });

  // ------------------------------------------------------------------ start
  page.knobs.show(store.knobs.peek());
  await page.arena.idle();
  page.play.refreshOpponents();
  page.lessonView.applyHidden();
  if (lesson.dream === 'off') {
    els.dream.checked = false;
    deck.setDreamVisible(false);
  } else if (lesson.dream === 'split') page.arena.setDreamLayout('split');
  page.lessonView.syncUrl();
  if (lesson.autorun) void run.start(true);
  else void io.offerRestore();

  window.driftlabPage = {
    ...{ deck, charts, presenter, lab, arenaClient, human, playArena, fps, store, actions },
    state: () => store.state.peek(),
    rows: () => store.rows.peek(),
    files: () => store.files.peek(),
    experiment: () => store.experiment.peek(),
  };
  document.body.dataset.quick = String(quick);
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  console.error(e);
  const msg = document.createElement('p');
  msg.className = 'fatal';
  msg.textContent = `Driftlab could not start: ${e instanceof Error ? e.message : String(e)}`;
  document.body.prepend(msg);
});
