/**
 * Runs in the lab worker: start (Run, ▶ Classroom), pause/resume, stop, continue with more
 * generations, and following the lab's files, rows, progress and state into the store. The
 * actions are registered in main.ts; this module holds what they do.
 */
import type { PhysicsExperiment } from '../lab/config.ts';
import type { LabEvent } from '../lab/host.ts';
import pkg from '../package.json' with { type: 'json' };
import { desktopApi } from './bridge.ts';
import type { LabClientState } from './lab-client.ts';
import { doneStep, generationStep, progressStep, startStep } from './narration.ts';
import type { Page, RunControl } from './page.ts';
import { buildConfig, plainErrors } from './recipe.ts';
import type { AppManifest } from './run-files.ts';
import { withEntry, withRowInSeedOrder } from './store.ts';

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

export function installRunControl(page: Page): RunControl & { pauseOrResume(): void; stop(): void; continueRun(): void } {
  const { els, store, lab, deck, presenter } = page;
  let narratedGeneration = -1;

  async function begin(exp: PhysicsExperiment): Promise<void> {
    store.files.value = new Map();
    store.rows.value = [];
    store.experiment.value = exp;
    narratedGeneration = -1;
    store.progressText.value = '';
    presenter.clearLive();
    deck.reset();
    page.arenaClient.forget();
    els.scrubber.disabled = true;
    els.scrubber.max = '0';
    els.scrubber.value = '0';
    els.scrubLabel.value = '–';
    els.scrubLabel.title = '';
    page.arena.buildShowChips();
    page.arena.buildOpponents(exp.scenario);
    await deck.setLineages(page.arena.shownLineages());
    deck.setRows([]);
    page.play.refreshOpponents();
  }

  async function start(confirmed = false): Promise<void> {
    const knobs = store.knobs.peek();
    const built = buildConfig(knobs, page.quick);
    if (!built.ok || plainErrors(knobs).length > 0 || store.isBusy.peek()) return;
    if (!confirmed && !page.io.confirmDiscard('A new run')) return;
    store.unsaved.value = false;
    if (page.human.active) page.play.setPlayMode(false);
    page.notice('');
    await begin(built.config);
    deck.idle(built.config.scenario, 'generation 0 is learning from real play…');
    page.fps.reset();
    store.state.value = 'running';
    lab.start({ preset: built.config.name, config: built.config, manifest: manifestOf(built.config), wasmBase: page.wasmBase });
  }

  function continueRun(): void {
    const exp = store.experiment.peek();
    if (!store.canContinue.peek() || !exp) return;
    const config = { ...exp, generations: Number(els.generations.value) };
    const files = store.files.peek();
    if (store.state.peek() === 'opened') lab.loadFiles(Object.fromEntries(files));
    store.experiment.value = config;
    // the manifest describes the run as it now is: same config, more generations
    let manifest: Record<string, unknown> = { ...manifestOf(config) };
    try {
      manifest = { ...JSON.parse(files.get('manifest.json') ?? '{}'), config, continuedAt: new Date().toISOString() };
    } catch {
      /* a fresh manifest then */
    }
    page.notice('');
    page.fps.reset();
    store.state.value = 'running';
    lab.start({ preset: config.name, config, manifest, resume: true, wasmBase: page.wasmBase });
  }

  function pauseOrResume(): void {
    if (store.state.peek() === 'running') {
      lab.pause();
      store.state.value = 'paused';
    } else if (store.state.peek() === 'paused') {
      lab.resume();
      store.state.value = 'running';
    }
  }

  function stop(): void {
    lab.stop();
    store.state.value = 'stopping';
  }

  lab.onFile((f) => {
    const files = store.files.peek();
    store.files.value = withEntry(files, f.path, f.type === 'file' ? f.data : (files.get(f.path) ?? '') + f.line + '\n');
  });

  lab.onState((s: LabClientState, error?: string) => {
    if (s === 'failed') {
      store.state.value = 'failed';
      page.notice(`The run failed: ${error ?? 'unknown error'}`, true);
    } else if (s === 'idle' && store.state.peek() === 'stopping') store.state.value = 'stopped';
    else if (s === 'done') store.state.value = 'done';
  });

  lab.onEvent((e: LabEvent) => {
    const exp = store.experiment.peek();
    if (!exp) return;
    if (e.type === 'start') {
      if (e.resumedFrom === undefined) presenter.push(startStep(exp));
    } else if (e.type === 'progress') {
      const phase = { data: 'making data', train: 'training', evaluate: 'judging in the simulator', rate: 'rating' }[e.phase];
      const who = e.lineage === 'd0' ? 'real play (D0)' : e.lineage === 'g0' ? 'generation 0' : e.lineage === 'all' ? 'all lineages' : e.lineage;
      store.progressText.value = `${exp.seeds.length > 1 ? `seed ${e.seed} · ` : ''}generation ${e.generation} of ${exp.generations} · ${who}: ${phase}`;
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
        store.rows.value = store.rows.peek().map((r) => (r.seed === row.seed && r.lineage === row.lineage && r.generation === row.generation ? row : r));
        deck.setRows(store.rows.peek());
        return;
      }
      const rows = withRowInSeedOrder(store.rows.peek(), row, exp.seeds);
      store.rows.value = rows;
      page.updateHeadline();
      deck.setRows(rows);
      const names = exp.lineages.map((l) => l.name);
      if (names.every((l) => rows.some((r) => r.seed === row.seed && r.lineage === l && r.generation === row.generation))) {
        const step = generationStep(exp, row.generation, rows.filter((r) => r.seed === row.seed));
        if (exp.seeds.length > 1) step.label += ` · seed ${row.seed}`;
        presenter.push(step);
        page.arena.generationsChanged();
        store.unsaved.value = true;
        page.io.autosave();
      }
    } else if (e.type === 'done') {
      presenter.push(doneStep(exp, store.rows.peek()));
      store.progressText.value = '';
      // the seeds finish at different times: the whole run, with every seed's final Elo, is saved now
      store.unsaved.value = true;
      page.io.autosave();
    }
  });

  return { begin, start, continueRun, pauseOrResume, stop };
}
