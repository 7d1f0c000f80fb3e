/**
 * The Driftlab page: recipe controls, the lab in a Web Worker (lab-worker.ts), arenas that replay
 * the selected generation of each lineage in the real simulator with its world model's dream
 * (arena-worker.ts), live charts, human play, presenter mode, and run folders (open/save).
 *
 * `?quick=1` shrinks every preset (tiny D0, models, epochs and evaluation) for demos on slow
 * machines and for the e2e tests.
 */
import type { PhysicsExperiment } from '../lab/config.ts';
import type { HumanGame, LabEvent } from '../lab/host.ts';
import { getScenario } from '../lab/scenarios.ts';
import type { MetricsRow } from '../lab/types.ts';
import type { ScenarioId } from '../sim/types.ts';
import { Arena } from './arena.ts';
import { ArenaClient, type OpponentSpec } from './arena-client.ts';
import { desktopApi, downloadText, onMenuCommand, openRunFolder, saveFile, saveRunFolder } from './bridge.ts';
import { runMenuCommand } from './menu-actions.ts';
import { ChartBoard } from './charts-view.ts';
import { ArenaDeck } from './deck.ts';
import { installReplayExport } from './replay-export.ts';
import { FpsMeter } from './fps.ts';
import { HumanPlay, type FinishedGame } from './human-play.ts';
import { WorkerLabClient, tfjsWasmBase, type LabClientState } from './lab-client.ts';
import { doneStep, generationStep, progressStep, startStep } from './narration.ts';
import { clearCurrentRun, loadCurrentRun, saveCurrentRun } from './autosave.ts';
import { HeadlinePanel } from './headline-view.ts';
import { HIDEABLE, lessonFromParams, lessonToParams, type Hideable, type Lesson } from './lesson.ts';
import { Presenter } from './presenter.ts';
import { APP_PRESETS, CUSTOM, LINEAGE_RECIPES, buildConfig, estimateRunSeconds, formatDuration, knobsFromPreset, plainErrors, type KnobField, type Knobs } from './recipe.ts';
import { checkpointPath, fromBundle, isRunFile, toBundle, validateRunFiles, verifyOpenedRun, type AppManifest, type OpenedRun } from './run-files.ts';
import pkg from '../package.json' with { type: 'json' };
import { maxOf, minOf } from '../sim/arrays.ts';

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`renderer: #${id} is missing from index.html`);
  return el as T;
}

/** What the page shows: nothing yet, a run in the lab worker, or a run opened from a file/folder. */
export type PageState = 'idle' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done' | 'failed' | 'opened';

export interface DriftlabPage {
  deck: ArenaDeck;
  charts: ChartBoard;
  presenter: Presenter;
  lab: WorkerLabClient;
  arenaClient: ArenaClient;
  human: HumanPlay;
  playArena: Arena;
  fps: FpsMeter;
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

const quick = new URLSearchParams(location.search).get('quick') === '1';
const lesson = lessonFromParams(new URLSearchParams(location.search));
const DEFAULT_SHOWN = lesson.show ?? ['grounded', 'recursive'];

async function main(): Promise<void> {
  const els = {
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
  };
  const errorEls: Record<KnobField, HTMLElement> = {
    scenario: $('error-scenario'),
    generations: $('error-generations'),
    seeds: $('error-seeds'),
    episodes: $('error-episodes'),
    lineages: $('error-lineages'),
    general: $('error-general'),
  };

  // ------------------------------------------------------------------ the run folder and rows
  let files = new Map<string, string>();
  let rows: MetricsRow[] = [];
  let experiment: PhysicsExperiment | null = null;
  let state: PageState = 'idle';
  let progressText = '';
  let narratedGeneration = -1;
  /** the run has generations that were neither saved nor opened from a file */
  let unsaved = false;
  const humanQueued = new Map<string, number>();
  const humanUsed = new Map<string, number>();

  // ------------------------------------------------------------------ workers
  const wasmBase = tfjsWasmBase();
  const lab = new WorkerLabClient(new Worker(new URL('./lab-worker.ts', import.meta.url), { type: 'module', name: 'driftlab-lab' }));
  const arenaClient = new ArenaClient(new Worker(new URL('./arena-worker.ts', import.meta.url), { type: 'module', name: 'driftlab-arenas' }), wasmBase);
  arenaClient.ready.catch((e: Error) => notice(e.message, true));

  // ------------------------------------------------------------------ parts
  const deck = new ArenaDeck(els.arenas, arenaClient, (p) => files.get(p));
  deck.onError((m) => notice(m, true));
  const charts = new ChartBoard(els.charts, (id, format) => void exportChart(id, format));
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

  // ------------------------------------------------------------------ notices
  const noticeEl = document.createElement('p');
  noticeEl.id = 'notice';
  noticeEl.className = 'notice';
  noticeEl.setAttribute('role', 'alert');
  noticeEl.hidden = true;
  document.querySelector('.topbar')!.after(noticeEl);
  function notice(text: string, error = false): void {
    noticeEl.textContent = text;
    noticeEl.hidden = text === '';
    noticeEl.classList.toggle('error', error);
  }

  // "Export replay (GIF / WebM)" on every arena (renderer/replay-export.ts)
  installReplayExport({
    client: arenaClient,
    container: els.arenas,
    fileText: (p) => files.get(p),
    notice,
    selection: () => (experiment && lastFinished() >= 0 ? { name: experiment.name, scenario: experiment.scenario, params: experiment.scenarioParams, seed: experiment.seeds[0], generation: selectedGeneration() } : null),
  });

  // ------------------------------------------------------------------ onboarding
  const welcome = $<HTMLElement>('welcome');
  const helpToggle = $<HTMLButtonElement>('help-toggle');
  function showWelcome(on: boolean): void {
    welcome.hidden = !on;
    helpToggle.setAttribute('aria-expanded', String(on));
    if (!on) {
      try {
        localStorage.setItem('driftlab.welcomed', '1');
      } catch {
        /* storage off: it shows again next time */
      }
    }
  }
  helpToggle.addEventListener('click', () => showWelcome(welcome.hidden));
  $('welcome-close').addEventListener('click', () => showWelcome(false));
  try {
    if (!localStorage.getItem('driftlab.welcomed')) showWelcome(true);
  } catch {
    showWelcome(true);
  }

  // ------------------------------------------------------------------ lesson links
  const hidden = new Set<Hideable>(lesson.hide);
  const lessonLink = $<HTMLOutputElement>('lesson-link');
  function currentLesson(): Lesson {
    const k = knobs;
    return {
      scenario: k.scenario,
      preset: k.preset === CUSTOM ? k.base : k.preset,
      generations: k.generations,
      seeds: k.seeds,
      episodes: k.episodes,
      lineages: k.lineages,
      show: lesson.show,
      dream: els.dream.checked ? dreamLayout : 'off',
      generation: lesson.generation,
      hide: HIDEABLE.filter((h) => hidden.has(h)),
      autorun: lesson.autorun,
    };
  }
  function applyHidden(): void {
    for (const h of HIDEABLE) document.body.classList.toggle(`hide-${h}`, hidden.has(h));
  }
  function syncLessonUrl(): void {
    const params = lessonToParams(currentLesson(), new URLSearchParams(location.search));
    const url = `${location.pathname}?${params}`;
    history.replaceState(null, '', url);
    lessonLink.value = new URL(url, location.href).href;
  }
  for (const h of HIDEABLE) {
    const cb = document.getElementById(`lesson-hide-${h}`) as HTMLInputElement | null;
    if (!cb) continue;
    cb.checked = hidden.has(h);
    cb.addEventListener('change', () => {
      if (cb.checked) hidden.add(h);
      else hidden.delete(h);
      syncLessonUrl();
    });
  }
  $('lesson-copy').addEventListener('click', async () => {
    syncLessonUrl();
    try {
      await navigator.clipboard.writeText(lessonLink.value);
      notice('Lesson link copied. Opening it shows these knobs (and hides the ticked controls); Run gives the same results.');
    } catch {
      notice(`Lesson link: ${lessonLink.value}`);
    }
  });
  $('lesson-apply').addEventListener('click', () => applyHidden());

  // ------------------------------------------------------------------ nothing lost
  /** Ask before an unsaved run is replaced; true when it may go. */
  function confirmDiscard(what: string): boolean {
    if (!unsaved || rows.length === 0 || !experiment) return true;
    const gens = lastFinished() + 1;
    return window.confirm(`The current run (${experiment.name}, ${gens} generation${gens === 1 ? '' : 's'}) is not saved. ${what} replaces it. Continue? (Cancel keeps it: use Save run first.)`);
  }
  let autosaveTimer: ReturnType<typeof setTimeout> | null = null;
  function autosave(): void {
    if (autosaveTimer) clearTimeout(autosaveTimer);
    autosaveTimer = setTimeout(() => {
      autosaveTimer = null;
      if (!experiment || rows.length === 0) return;
      const run = { savedAt: new Date().toISOString(), name: experiment.name, generations: lastFinished() + 1, files: [...files] };
      saveCurrentRun(run)
        .then(() => (document.body.dataset.autosaved = String(run.generations)))
        .catch((e: Error) => notice(`Autosave failed: ${e.message}`, true));
    }, 300);
  }
  window.addEventListener('beforeunload', (e) => {
    // finished generations are autosaved; the one in progress would be lost
    if (isBusy()) e.preventDefault();
  });
  const restoreBar = document.createElement('div');
  restoreBar.id = 'restore';
  restoreBar.className = 'notice restore';
  restoreBar.setAttribute('role', 'region');
  restoreBar.setAttribute('aria-label', 'Restore the autosaved run');
  restoreBar.hidden = true;
  noticeEl.after(restoreBar);
  async function offerRestore(): Promise<void> {
    let saved;
    try {
      saved = await loadCurrentRun();
    } catch {
      return; // no IndexedDB (private window): nothing to offer
    }
    if (!saved || saved.generations <= 0) return;
    const text = document.createElement('span');
    text.textContent = `Your last run (${saved.name}, ${saved.generations} generation${saved.generations === 1 ? '' : 's'}, ${new Date(saved.savedAt).toLocaleString()}) was saved automatically. `;
    const yes = Object.assign(document.createElement('button'), { type: 'button', id: 'restore-run', textContent: 'Restore it' });
    const no = Object.assign(document.createElement('button'), { type: 'button', id: 'restore-dismiss', textContent: 'Dismiss' });
    yes.addEventListener('click', async () => {
      restoreBar.hidden = true;
      if (isBusy() || !confirmDiscard('Restoring')) return;
      try {
        await loadRun(validateRunFiles(new Map(saved.files)), 'the autosaved run');
      } catch (e) {
        notice(`Could not restore the autosaved run: ${(e as Error).message}`, true);
      }
    });
    no.addEventListener('click', () => {
      restoreBar.hidden = true;
      void clearCurrentRun();
    });
    restoreBar.replaceChildren(text, yes, no);
    restoreBar.hidden = false;
  }

  // ------------------------------------------------------------------ recipe knobs
  for (const name of [...APP_PRESETS, CUSTOM]) {
    const o = document.createElement('option');
    o.value = name;
    o.textContent = name === CUSTOM ? 'custom' : name;
    els.preset.appendChild(o);
  }
  const checkboxes = new Map<string, HTMLInputElement>();
  for (const r of LINEAGE_RECIPES) {
    const { label, cb } = checkLabel(r);
    cb.id = `lineage-${r}`;
    els.lineages.insertBefore(label, errorEls.lineages);
    checkboxes.set(r, cb);
  }
  let knobs: Knobs = knobsFromLesson();
  function knobsFromLesson(): Knobs {
    const name = lesson.preset && (APP_PRESETS as readonly string[]).includes(lesson.preset) ? lesson.preset : 'classroom';
    const p = knobsFromPreset(name, quick);
    const k: Knobs = {
      ...p,
      scenario: lesson.scenario ?? p.scenario,
      generations: lesson.generations ?? p.generations,
      seeds: lesson.seeds ?? p.seeds,
      episodes: lesson.episodes ?? p.episodes,
      lineages: lesson.lineages ? LINEAGE_RECIPES.filter((r) => lesson.lineages!.includes(r)) : p.lineages,
    };
    const same = k.scenario === p.scenario && k.generations === p.generations && k.seeds === p.seeds && k.episodes === p.episodes && k.lineages.join() === p.lineages.join();
    return same ? k : { ...k, preset: CUSTOM, base: name };
  }

  function showKnobs(k: Knobs): void {
    knobs = k;
    els.preset.value = k.preset;
    els.scenario.value = k.scenario;
    els.generations.value = k.generations;
    els.seeds.value = k.seeds;
    els.episodes.value = k.episodes;
    for (const [name, cb] of checkboxes) cb.checked = k.lineages.includes(name);
    validate();
  }

  function readKnobs(): Knobs {
    const k: Knobs = {
      preset: els.preset.value,
      base: knobs.base,
      scenario: els.scenario.value as ScenarioId,
      generations: els.generations.value,
      seeds: els.seeds.value,
      episodes: els.episodes.value,
      lineages: LINEAGE_RECIPES.filter((r) => checkboxes.get(r)!.checked),
    };
    if (k.preset !== CUSTOM) {
      const p = knobsFromPreset(k.preset, quick);
      const same = p.scenario === k.scenario && p.generations === k.generations && p.seeds === k.seeds && p.episodes === k.episodes && p.lineages.join() === k.lineages.join();
      if (!same) {
        k.base = k.preset;
        k.preset = CUSTOM;
        els.preset.value = CUSTOM;
      }
    }
    return k;
  }

  const estimateEl = document.createElement('output');
  estimateEl.id = 'estimate';
  estimateEl.className = 'estimate';
  els.status.before(estimateEl);
  function validate(): ReturnType<typeof buildConfig> {
    const r = buildConfig(knobs, quick);
    for (const el of Object.values(errorEls)) el.textContent = '';
    document.querySelectorAll('.knob.invalid').forEach((e) => e.classList.remove('invalid'));
    // every problem at once, in plain words; the schema's message only when no knob alone is wrong
    const problems = plainErrors(knobs);
    if (!r.ok && problems.length === 0) problems.push(r.error);
    for (const p of problems) {
      errorEls[p.field].textContent = errorEls[p.field].textContent ? `${errorEls[p.field].textContent} ${p.message}` : p.message;
      errorEls[p.field].closest('.knob')?.classList.add('invalid');
    }
    document.body.dataset.knobErrors = String(problems.length);
    estimateEl.value = r.ok && problems.length === 0 && !quick ? `Run time ${formatDuration(estimateRunSeconds(r.config))}` : '';
    estimateEl.title = 'A rough estimate, scaled from the classroom preset on a 2-core machine';
    updateButtons();
    return r;
  }

  const onKnob = () => {
    knobs = readKnobs();
    validate();
    syncLessonUrl();
    if (!experiment && !isBusy()) void idleArenas();
  };
  for (const el of [els.generations, els.seeds, els.episodes]) el.addEventListener('input', onKnob);
  for (const cb of checkboxes.values()) cb.addEventListener('change', onKnob);
  els.scenario.addEventListener('change', onKnob);
  els.preset.addEventListener('change', () => {
    if (els.preset.value === CUSTOM) {
      knobs = { ...readKnobs(), preset: CUSTOM };
      validate();
    } else showKnobs(knobsFromPreset(els.preset.value, quick));
    syncLessonUrl();
    if (!experiment && !isBusy()) void idleArenas();
  });

  // ------------------------------------------------------------------ state and buttons
  const isBusy = () => state === 'running' || state === 'paused' || state === 'stopping';

  function lastFinished(): number {
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

  function canContinue(): boolean {
    if (!experiment || isBusy() || !(state === 'done' || state === 'stopped' || state === 'opened')) return false;
    const target = Number(els.generations.value);
    return Number.isInteger(target) && target > minOf(experiment.seeds.map((s) => Math.max(-1, maxOf(rows.filter((r) => r.seed === s).map((r) => r.generation))))) && target <= 200;
  }

  function updateButtons(): void {
    const valid = buildConfig(knobs, quick).ok && plainErrors(knobs).length === 0;
    els.run.disabled = !valid || isBusy();
    els.run.textContent = 'Run';
    els.classroom.disabled = isBusy();
    els.pause.disabled = !(state === 'running' || state === 'paused');
    els.pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
    els.stop.disabled = !(state === 'running' || state === 'paused');
    els.cont.disabled = !canContinue();
    els.save.disabled = files.size === 0 || isBusy() || rows.length === 0;
    els.open.disabled = isBusy();
  }

  function setState(s: PageState): void {
    state = s;
    document.body.dataset.state = s;
    const words: Record<PageState, string> = {
      idle: 'idle',
      running: 'running',
      paused: 'paused',
      stopping: 'stopping after this generation…',
      stopped: 'stopped',
      done: 'done',
      failed: 'failed',
      opened: 'opened run',
    };
    els.status.value = progressText && (s === 'running' || s === 'paused') ? `${words[s]} · ${progressText}` : words[s];
    updateButtons();
  }

  // ------------------------------------------------------------------ arenas
  function shownLineages(): string[] {
    const names = experiment ? experiment.lineages.map((l) => l.name) : knobs.lineages;
    const checked = [...els.showLineages.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value).filter((n) => names.includes(n));
    if (checked.length) return checked;
    const def = names.filter((n) => DEFAULT_SHOWN.includes(n));
    return def.length ? def : names.slice(0, 2);
  }

  function buildShowChips(): void {
    const names = experiment ? experiment.lineages.map((l) => l.name) : [];
    els.showLineages.replaceChildren();
    if (names.length <= 1) return;
    const def = names.filter((n) => DEFAULT_SHOWN.includes(n));
    const on = def.length ? def : names.slice(0, 2);
    els.showLineages.append('Show:');
    for (const n of names) {
      const { label, cb } = checkLabel(n);
      cb.checked = on.includes(n);
      cb.addEventListener('change', () => void refreshArenas());
      els.showLineages.appendChild(label);
    }
  }

  function buildOpponents(scenario: ScenarioId): void {
    const keep = els.opponent.value;
    els.opponent.replaceChildren();
    const add = (value: string, text: string) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      els.opponent.appendChild(o);
    };
    add('same', 'the same generation');
    add('g0', 'generation 0');
    for (const s of getScenario(scenario).scripted) add(`scripted:${s.name}`, `scripted ${s.name}`);
    els.opponent.value = [...els.opponent.options].some((o) => o.value === keep) ? keep : 'same';
  }

  async function idleArenas(): Promise<void> {
    await deck.setLineages(shownLineages());
    deck.idle(knobs.scenario, 'Press ▶ Classroom or Run');
    buildOpponents(knobs.scenario);
  }

  function selectedGeneration(): number {
    return Number(els.scrubber.value);
  }

  function showGeneration(): void {
    if (!experiment || human.active) return;
    const g = selectedGeneration();
    els.scrubLabel.value = `${g} / ${els.scrubber.max}`;
    document.body.dataset.generation = String(g);
    deck.show({
      scenario: experiment.scenario,
      params: experiment.scenarioParams,
      seed: experiment.seeds[0],
      generation: g,
      opponent: els.opponent.value,
      dream: els.dream.checked,
    });
  }

  async function refreshArenas(): Promise<void> {
    await deck.setLineages(shownLineages());
    deck.setRows(rows);
    deck.reset();
    if (lastFinished() >= 0) showGeneration();
    else if (experiment) deck.idle(experiment.scenario, 'generation 0 is learning from real play…');
  }

  /** A new finished generation: extend the scrubber; follow it when the scrubber was at the end. */
  let lessonGenerationShown = false;
  function onGenerationsChanged(): void {
    const last = lastFinished();
    if (last < 0) return;
    const wasAtEnd = els.scrubber.disabled || Number(els.scrubber.value) === Number(els.scrubber.max);
    els.scrubber.max = String(last);
    els.scrubber.disabled = false;
    if (wasAtEnd) els.scrubber.value = String(last);
    if (lesson.generation !== undefined && lesson.generation <= last && !lessonGenerationShown && (state === 'done' || state === 'opened')) {
      els.scrubber.value = String(lesson.generation);
      lessonGenerationShown = true;
      showGeneration();
    }
    els.scrubLabel.value = `${els.scrubber.value} / ${last}`;
    if (wasAtEnd || !deck.lineages.length) showGeneration();
    refreshPlayOpponents();
  }

  els.scrubber.addEventListener('input', () => {
    showGeneration();
  });
  els.opponent.addEventListener('change', () => showGeneration());
  els.dream.addEventListener('change', () => {
    deck.setDreamVisible(els.dream.checked);
    syncLessonUrl();
  });
  const layoutButtons = { overlay: $<HTMLButtonElement>('dream-overlay'), split: $<HTMLButtonElement>('dream-split') };
  function setDreamLayout(mode: 'overlay' | 'split'): void {
    deck.setDreamLayout(mode);
    for (const [m, b] of Object.entries(layoutButtons)) b.setAttribute('aria-pressed', String(m === mode));
    if (mode === 'split' && !els.dream.checked) {
      els.dream.checked = true;
      deck.setDreamVisible(true);
    }
    dreamLayout = mode;
    syncLessonUrl();
  }
  let dreamLayout: 'overlay' | 'split' = 'overlay';
  layoutButtons.overlay.addEventListener('click', () => setDreamLayout('overlay'));
  layoutButtons.split.addEventListener('click', () => setDreamLayout('split'));

  // ------------------------------------------------------------------ runs
  function manifestOf(config: PhysicsExperiment): AppManifest {
    return {
      format: 'driftlab-run',
      formatVersion: 1,
      name: config.name,
      createdAt: new Date().toISOString(),
      config,
      seeds: config.seeds,
      versions: { driftlab: pkg.version, app: desktopApi() ? 'electron' : 'web' },
      platform: { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency ?? 0 },
    };
  }

  async function beginExperiment(exp: PhysicsExperiment): Promise<void> {
    files = new Map();
    rows = [];
    experiment = exp;
    narratedGeneration = -1;
    progressText = '';
    presenter.clearLive();
    charts.setRows([]);
    deck.reset();
    arenaClient.forget();
    els.scrubber.disabled = true;
    els.scrubber.max = '0';
    els.scrubber.value = '0';
    els.scrubLabel.value = '–';
    document.body.dataset.rows = '0';
    buildShowChips();
    buildOpponents(exp.scenario);
    await deck.setLineages(shownLineages());
    deck.setRows([]);
    refreshPlayOpponents();
  }

  async function startRun(confirmed = false): Promise<void> {
    const built = validate();
    if (!built.ok || plainErrors(knobs).length > 0 || isBusy()) return;
    if (!confirmed && !confirmDiscard('A new run')) return;
    unsaved = false;
    if (human.active) setPlayMode(false);
    notice('');
    await beginExperiment(built.config);
    deck.idle(built.config.scenario, 'generation 0 is learning from real play…');
    fps.reset();
    setState('running');
    lab.start({ preset: built.config.name, config: built.config, manifest: manifestOf(built.config), wasmBase });
  }

  function continueRun(): void {
    if (!canContinue() || !experiment) return;
    const target = Number(els.generations.value);
    const config = { ...experiment, generations: target };
    if (state === 'opened') lab.loadFiles(Object.fromEntries(files));
    experiment = config;
    // the manifest describes the run as it now is: same config, more generations
    let manifest: Record<string, unknown> = { ...manifestOf(config) };
    try {
      manifest = { ...JSON.parse(files.get('manifest.json') ?? '{}'), config, continuedAt: new Date().toISOString() };
    } catch {
      /* a fresh manifest then */
    }
    notice('');
    fps.reset();
    setState('running');
    lab.start({ preset: config.name, config, manifest, resume: true, wasmBase });
  }

  els.run.addEventListener('click', () => void startRun());
  els.classroom.addEventListener('click', () => {
    if (isBusy() || !confirmDiscard('A new classroom run')) return;
    showKnobs(knobsFromPreset('classroom', quick));
    void startRun(true);
  });
  els.pause.addEventListener('click', () => {
    if (state === 'running') {
      lab.pause();
      setState('paused');
    } else if (state === 'paused') {
      lab.resume();
      setState('running');
    }
  });
  els.stop.addEventListener('click', () => {
    lab.stop();
    setState('stopping');
  });
  els.cont.addEventListener('click', () => continueRun());

  lab.onFile((f) => {
    if (f.type === 'file') files.set(f.path, f.data);
    else files.set(f.path, (files.get(f.path) ?? '') + f.line + '\n');
  });

  lab.onState((s: LabClientState, error?: string) => {
    if (s === 'failed') {
      setState('failed');
      notice(`The run failed: ${error ?? 'unknown error'}`, true);
    } else if (s === 'idle' && state === 'stopping') setState('stopped');
    else if (s === 'done') setState('done');
  });

  lab.onNotice((m) => {
    if (m.type === 'human-used') {
      humanQueued.set(m.lineage, Math.max(0, (humanQueued.get(m.lineage) ?? 0) - m.count));
      humanUsed.set(m.lineage, (humanUsed.get(m.lineage) ?? 0) + m.count);
      presenter.push({ label: `Generation ${m.generation}`, text: `${m.count} game${m.count === 1 ? '' : 's'} played by a person join${m.count === 1 ? 's' : ''} ${m.lineage}'s training data for generation ${m.generation}, as fresh real data.` });
      showHumanCount();
    }
  });

  lab.onEvent((e: LabEvent) => {
    if (!experiment) return;
    const exp = experiment;
    if (e.type === 'start') {
      if (e.resumedFrom === undefined) presenter.push(startStep(exp));
    } else if (e.type === 'progress') {
      const phase = { data: 'making data', train: 'training', evaluate: 'judging in the simulator', rate: 'rating' }[e.phase];
      const who = e.lineage === 'd0' ? 'real play (D0)' : e.lineage === 'g0' ? 'generation 0' : e.lineage === 'all' ? 'all lineages' : e.lineage;
      progressText = `${exp.seeds.length > 1 ? `seed ${e.seed} · ` : ''}generation ${e.generation} of ${exp.generations} · ${who}: ${phase}`;
      els.status.value = `${state === 'paused' ? 'paused' : 'running'} · ${progressText}`;
      document.body.dataset.progressGeneration = String(e.generation);
      if (e.phase === 'data' && e.generation > narratedGeneration && e.generation >= 1) {
        narratedGeneration = e.generation;
        const step = progressStep(exp, e.generation);
        if (step) presenter.push(step);
      }
    } else if (e.type === 'row') {
      if (e.row.kind !== 'generation') return;
      const row = e.row;
      if (e.final) {
        // a finished seed's rows again, with the final Elo: replace the provisional ones in place
        rows = rows.map((r) => (r.seed === row.seed && r.lineage === row.lineage && r.generation === row.generation ? row : r));
        charts.setRows(rows);
        deck.setRows(rows);
        return;
      }
      rows = [...rows, row];
      charts.setRows(rows);
      updateHeadline();
      deck.setRows(rows);
      const names = exp.lineages.map((l) => l.name);
      const complete = names.every((l) => rows.some((r) => r.seed === row.seed && r.lineage === l && r.generation === row.generation));
      if (complete) {
        const step = generationStep(exp, row.generation, rows.filter((r) => r.seed === row.seed));
        if (exp.seeds.length > 1) step.label += ` · seed ${row.seed}`;
        presenter.push(step);
        onGenerationsChanged();
        unsaved = true;
        autosave();
      }
      document.body.dataset.rows = String(rows.length);
    } else if (e.type === 'done') {
      presenter.push(doneStep(exp, rows));
      progressText = '';
    }
    updateButtons();
  });

  // ------------------------------------------------------------------ save / open
  async function saveRun(): Promise<void> {
    if (!experiment || files.size === 0) return;
    const api = desktopApi();
    try {
      if (api) {
        const where = await saveRunFolder(api, files);
        if (where) {
          unsaved = false;
          notice(`Run saved to ${where}`);
        }
      } else {
        downloadText(`${experiment.name}-run.json`, JSON.stringify(toBundle(experiment.name, files)));
        unsaved = false;
        notice(`Run saved: ${experiment.name}-run.json (${files.size} files)`);
      }
    } catch (e) {
      notice(`Could not save the run: ${(e as Error).message}`, true);
    }
  }

  async function loadRun(opened: OpenedRun, from: string): Promise<void> {
    if (human.active) setPlayMode(false);
    await beginExperiment(opened.experiment);
    files = new Map(opened.files);
    rows = opened.rows;
    const exp = opened.experiment;
    presenter.push(startStep(exp));
    const seed = exp.seeds[0];
    const gens = [...new Set(rows.filter((r) => r.seed === seed).map((r) => r.generation))].sort((a, b) => a - b);
    for (const g of gens) presenter.push(generationStep(exp, g, rows.filter((r) => r.seed === seed)));
    if (rows.length) presenter.push(doneStep(exp, rows));
    charts.setRows(rows);
    deck.setRows(rows);
    updateHeadline();
    const k = knobsFromPreset(APP_PRESETS.includes(exp.name as (typeof APP_PRESETS)[number]) ? exp.name : 'classroom', quick);
    showKnobs({
      ...k,
      preset: CUSTOM,
      base: k.base,
      scenario: exp.scenario,
      generations: String(exp.generations),
      seeds: exp.seeds.join(','),
      episodes: String(exp.lineages[0]?.episodes ?? k.episodes),
      lineages: LINEAGE_RECIPES.filter((r) => exp.lineages.some((l) => l.name === r)),
    });
    setState('opened');
    unsaved = false;
    autosave();
    onGenerationsChanged();
    document.body.dataset.rows = String(rows.length);
    notice(`Opened ${from}: ${exp.name}, ${rows.length} rows, generations 0–${Math.max(0, lastFinished())}`);
  }

  async function openRun(): Promise<void> {
    if (isBusy() || !confirmDiscard('Opening a run')) return;
    const api = desktopApi();
    if (!api) {
      els.openFile.value = '';
      els.openFile.click();
      return;
    }
    try {
      const got = await openRunFolder(api, isRunFile);
      if (got) await loadRun(await verifyOpenedRun(validateRunFiles(got.files)), got.path);
    } catch (e) {
      notice(`Could not open the run: ${(e as Error).message}`, true);
    }
  }

  els.openFile.addEventListener('change', async () => {
    const f = els.openFile.files?.[0];
    if (!f) return;
    els.openFile.value = ''; // choosing the same file again fires change again
    try {
      await loadRun(await verifyOpenedRun(fromBundle(await f.text())), f.name);
    } catch (e) {
      notice(`Could not open ${f.name}: ${(e as Error).message}`, true);
    }
  });
  els.save.addEventListener('click', () => void saveRun());
  els.open.addEventListener('click', () => void openRun());

  // ------------------------------------------------------------------ chart export
  let lastChart = 'winrate';
  async function exportChart(id: string, format: 'svg' | 'png'): Promise<void> {
    lastChart = id;
    const name = `${experiment?.name ?? 'driftlab'}-${id}.${format}`;
    try {
      const data = format === 'svg' ? await charts.exportSvg(id) : await charts.exportPng(id);
      const saved = await saveFile(name, format, data);
      if (saved) notice(`Exported ${name}`);
    } catch (e) {
      notice(`Could not export the chart: ${(e as Error).message}`, true);
    }
  }

  // ------------------------------------------------------------------ human play
  let gamesStarted = 0;
  let pendingGame: FinishedGame | null = null;

  /** Fill the play opponents; `fresh` picks the default (recursive at the selected generation). */
  function refreshPlayOpponents(fresh = false): void {
    const keep = fresh ? '' : els.playOpponent.value;
    els.playOpponent.replaceChildren();
    const add = (value: string, text: string) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      els.playOpponent.appendChild(o);
    };
    const scenario = experiment?.scenario ?? knobs.scenario;
    const last = lastFinished();
    if (experiment && last >= 0) {
      for (const l of experiment.lineages.map((x) => x.name)) for (let g = last; g >= 0; g--) add(`model:${l}:${g}`, `${l} · generation ${g}`);
    }
    for (const s of getScenario(scenario).scripted) add(`scripted:${s.name}`, `scripted ${s.name}`);
    const preferred = experiment && last >= 0 ? `model:${experiment.lineages.some((l) => l.name === 'recursive') ? 'recursive' : experiment.lineages[0].name}:${Math.min(last, selectedGeneration())}` : '';
    els.playOpponent.value = [...els.playOpponent.options].some((o) => o.value === keep) ? keep : preferred || els.playOpponent.options[0]?.value || '';
    // lineages that can take a human game
    const lineages = experiment ? experiment.lineages.map((l) => l.name) : knobs.lineages;
    const keepL = els.playLineage.value;
    els.playLineage.replaceChildren(...lineages.map((l) => Object.assign(document.createElement('option'), { value: l, textContent: l })));
    if (lineages.includes(keepL)) els.playLineage.value = keepL;
  }

  function opponentOf(value: string): { spec: OpponentSpec; id: string } {
    if (value.startsWith('scripted:')) return { spec: { kind: 'scripted', style: value.slice(9) }, id: value };
    const [, lineage, g] = value.split(':');
    const gen = Number(g);
    const key = checkpointPath(experiment!.seeds[0], lineage, gen);
    const text = files.get(key);
    if (text === undefined) throw new Error(`${key} is not in this run`);
    arenaClient.model(key, text);
    return { spec: { kind: 'model', key }, id: gen === 0 ? 'g0' : `${lineage}/g${gen}` };
  }

  async function newGame(): Promise<void> {
    pendingGame = null;
    els.playAdd.disabled = true;
    const scenario = experiment?.scenario ?? knobs.scenario;
    try {
      const opp = opponentOf(els.playOpponent.value);
      els.playFire.hidden = scenario !== 'duel';
      els.playHelp.textContent = scenario === 'duel' ? '↑/↓ aim · ←/→ power · drag from your tank · Space fires' : 'arrow keys / WASD push · or move the mouse over the table';
      $('arena-play').focus();
      await human.start({ scenario, params: experiment?.scenarioParams ?? {}, opponent: opp.spec, opponentId: opp.id, seed: 500 + gamesStarted++ });
    } catch (e) {
      els.playStatus.textContent = `Cannot start the game: ${(e as Error).message}`;
    }
  }

  function showHumanCount(): void {
    const names = new Set([...humanQueued.keys(), ...humanUsed.keys()]);
    const parts = [...names].map((l) => {
      const q = humanQueued.get(l) ?? 0;
      const u = humanUsed.get(l) ?? 0;
      return `${l}: ${q} queued${u ? `, ${u} trained on` : ''}`;
    });
    const total = [...humanQueued.values()].reduce((a, b) => a + b, 0);
    els.humanCount.textContent = parts.length ? `Human games — ${parts.join(' · ')}` : 'Human games: none yet';
    els.humanCount.dataset.queued = String(total);
    els.humanCount.dataset.used = String([...humanUsed.values()].reduce((a, b) => a + b, 0));
    if (total > 0 && !isBusy()) els.humanCount.textContent += ' — they join the next generation trained (Run, or Continue this run).';
  }

  function setPlayMode(on: boolean): void {
    document.body.classList.toggle('playing', on);
    els.playToggle.setAttribute('aria-pressed', String(on));
    els.play.hidden = !on;
    els.arenas.hidden = on;
    if (on) {
      deck.stop();
      refreshPlayOpponents(true);
      void newGame();
    } else {
      human.stop();
      deck.reset();
      if (experiment && lastFinished() >= 0) showGeneration();
      else void idleArenas();
    }
  }

  human.onStatus((t) => (els.playStatus.textContent = t));
  human.onWait((waiting) => {
    els.playFire.disabled = waiting;
    els.playFire.textContent = waiting ? 'Wait…' : 'Fire (Space)';
  });
  human.onFinished((g) => {
    pendingGame = g;
    els.playAdd.disabled = false;
  });
  els.playToggle.addEventListener('click', () => setPlayMode(!document.body.classList.contains('playing')));
  els.playNew.addEventListener('click', () => void newGame());
  els.playFire.addEventListener('click', () => human.fire());
  els.playOpponent.addEventListener('change', () => void newGame());
  els.playAdd.addEventListener('click', () => {
    if (!pendingGame) return;
    const lineage = els.playLineage.value;
    const game: HumanGame = { ep: pendingGame.ep, players: pendingGame.players };
    lab.addHumanGame(lineage, game);
    humanQueued.set(lineage, (humanQueued.get(lineage) ?? 0) + 1);
    pendingGame = null;
    els.playAdd.disabled = true;
    els.playStatus.textContent = `Added to ${lineage}: it joins ${lineage}'s training data when its next generation is trained.`;
    showHumanCount();
    updateButtons();
  });

  // ------------------------------------------------------------------ presenter, menu
  // in presenter mode the arenas show the generation the narration talks about
  const headline = new HeadlinePanel($('headline'));
  /** the headline charts show the generations up to the one the narration is on */
  function updateHeadline(): void {
    if (!presenter.active) return;
    const step = presenter.steps[presenter.currentStep];
    headline.update(rows, step?.generation ?? Infinity);
  }
  presenter.onStep((step) => {
    updateHeadline();
    if (step.generation === undefined || !experiment || human.active) return;
    if (step.generation > lastFinished() || els.scrubber.disabled) return;
    if (Number(els.scrubber.value) === step.generation) return;
    els.scrubber.value = String(step.generation);
    showGeneration();
  });
  presenter.onChange((on) => {
    updateHeadline();
    deck.setTextScale(on ? 1.6 : 1);
    playArena.setTextScale(on ? 1.6 : 1);
    if (!on) setTimeout(() => charts.refresh(), 50);
  });
  onMenuCommand((command) => runMenuCommand(document, command, () => void exportChart(lastChart, 'png')));

  // ------------------------------------------------------------------ start
  showKnobs(knobs);
  await idleArenas();
  refreshPlayOpponents();
  showHumanCount();
  setState('idle');
  applyHidden();
  if (lesson.dream === 'off') {
    els.dream.checked = false;
    deck.setDreamVisible(false);
  } else if (lesson.dream === 'split') setDreamLayout('split');
  syncLessonUrl();
  if (lesson.autorun) void startRun(true);
  else void offerRestore();

  window.driftlabPage = {
    deck,
    charts,
    presenter,
    lab,
    arenaClient,
    human,
    playArena,
    fps,
    state: () => state,
    rows: () => rows,
    files: () => files,
    experiment: () => experiment,
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

/** A labelled checkbox (class "check") whose value and text are `name`. */
function checkLabel(name: string): { label: HTMLLabelElement; cb: HTMLInputElement } {
  const label = document.createElement('label');
  label.className = 'check';
  const cb = document.createElement('input');
  cb.type = 'checkbox';
  cb.value = name;
  label.append(cb, ` ${name}`);
  return { label, cb };
}
