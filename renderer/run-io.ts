/**
 * Run folders in and out: Save run (a bundle download, or a folder in the desktop app), Open run
 * (a bundle file, or a folder), the autosave of every finished generation and the offer to restore
 * it, and the question before an unsaved run is replaced. Nothing the user has is lost silently.
 */
import { clearCurrentRun, loadCurrentRun, saveCurrentRun } from './autosave.ts';
import { desktopApi, downloadText, openRunFolder, saveRunFolder } from './bridge.ts';
import { generationStep, doneStep, startStep } from './narration.ts';
import type { Page, RunIo } from './page.ts';
import { APP_PRESETS, CUSTOM, LINEAGE_RECIPES, knobsFromPreset } from './recipe.ts';
import { fromBundle, isRunFile, toBundle, validateRunFiles, verifyOpenedRun, type OpenedRun } from './run-files.ts';

export function installRunIo(page: Page, restoreAfter: HTMLElement): RunIo & { saveRun(): Promise<void>; openRun(): Promise<void> } {
  const { els, store } = page;

  /** Ask before an unsaved run is replaced; true when it may go. */
  function confirmDiscard(what: string): boolean {
    const exp = store.experiment.peek();
    if (!store.unsaved.peek() || store.rows.peek().length === 0 || !exp) return true;
    const gens = store.lastFinished.peek() + 1;
    return window.confirm(`The current run (${exp.name}, ${gens} generation${gens === 1 ? '' : 's'}) is not saved. ${what} replaces it. Continue? (Cancel keeps it: use Save run first.)`);
  }

  let autosaveTimer: ReturnType<typeof setTimeout> | null = null;
  function autosave(): void {
    if (autosaveTimer) clearTimeout(autosaveTimer);
    autosaveTimer = setTimeout(() => {
      autosaveTimer = null;
      const exp = store.experiment.peek();
      if (!exp || store.rows.peek().length === 0) return;
      const run = { savedAt: new Date().toISOString(), name: exp.name, generations: store.lastFinished.peek() + 1, files: [...store.files.peek()] };
      // how many rows the save holds: a test (or a person) can tell a partial run's save from the whole run's
      const rows = (store.files.peek().get('metrics.jsonl') ?? '').split('\n').filter((l) => l.trim()).length;
      saveCurrentRun(run)
        .then(() => {
          document.body.dataset.autosaved = String(run.generations);
          document.body.dataset.autosavedRows = String(rows);
        })
        .catch((e: Error) => page.notice(`Autosave failed: ${e.message}`, true));
    }, 300);
  }
  window.addEventListener('beforeunload', (e) => {
    // finished generations are autosaved; the one in progress would be lost
    if (store.isBusy.peek()) e.preventDefault();
  });

  const restoreBar = Object.assign(document.createElement('div'), { id: 'restore', className: 'notice restore', hidden: true });
  restoreBar.setAttribute('role', 'region');
  restoreBar.setAttribute('aria-label', 'Restore the autosaved run');
  restoreAfter.after(restoreBar);
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
      if (store.isBusy.peek() || !confirmDiscard('Restoring')) return;
      try {
        await loadRun(validateRunFiles(new Map(saved.files)), 'the autosaved run');
      } catch (e) {
        page.notice(`Could not restore the autosaved run: ${(e as Error).message}`, true);
      }
    });
    no.addEventListener('click', () => {
      restoreBar.hidden = true;
      void clearCurrentRun();
    });
    restoreBar.replaceChildren(text, yes, no);
    restoreBar.hidden = false;
  }

  async function saveRun(): Promise<void> {
    const exp = store.experiment.peek();
    const files = store.files.peek();
    if (!exp || files.size === 0) return;
    const api = desktopApi();
    try {
      if (api) {
        const where = await saveRunFolder(api, files);
        if (where) {
          store.unsaved.value = false;
          page.notice(`Run saved to ${where}`);
        }
      } else {
        downloadText(`${exp.name}-run.json`, JSON.stringify(toBundle(exp.name, files)));
        store.unsaved.value = false;
        page.notice(`Run saved: ${exp.name}-run.json (${files.size} files)`);
      }
    } catch (e) {
      page.notice(`Could not save the run: ${(e as Error).message}`, true);
    }
  }

  async function loadRun(opened: OpenedRun, from: string): Promise<void> {
    if (page.human.active) page.play.setPlayMode(false);
    await page.run.begin(opened.experiment);
    const exp = opened.experiment;
    const rows = opened.rows;
    store.files.value = new Map(opened.files);
    store.rows.value = rows;
    page.presenter.push(startStep(exp));
    const seed = exp.seeds[0];
    const gens = [...new Set(rows.filter((r) => r.seed === seed).map((r) => r.generation))].sort((a, b) => a - b);
    for (const g of gens) page.presenter.push(generationStep(exp, g, rows.filter((r) => r.seed === seed)));
    if (rows.length) page.presenter.push(doneStep(exp, rows));
    page.deck.setRows(rows);
    page.updateHeadline();
    const k = knobsFromPreset(APP_PRESETS.includes(exp.name as (typeof APP_PRESETS)[number]) ? exp.name : 'classroom', page.quick);
    page.knobs.show({
      ...k,
      preset: CUSTOM,
      base: k.base,
      scenario: exp.scenario,
      generations: String(exp.generations),
      seeds: exp.seeds.join(','),
      episodes: String(exp.lineages[0]?.episodes ?? k.episodes),
      lineages: LINEAGE_RECIPES.filter((r) => exp.lineages.some((l) => l.name === r)),
    });
    store.state.value = 'opened';
    store.unsaved.value = false;
    autosave();
    page.arena.generationsChanged();
    page.notice(`Opened ${from}: ${exp.name}, ${rows.length} rows, generations 0–${Math.max(0, store.lastFinished.peek())}`);
  }

  async function openRun(): Promise<void> {
    if (store.isBusy.peek() || !confirmDiscard('Opening a run')) return;
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
      page.notice(`Could not open the run: ${(e as Error).message}`, true);
    }
  }

  els.openFile.addEventListener('change', async () => {
    const f = els.openFile.files?.[0];
    if (!f) return;
    els.openFile.value = ''; // choosing the same file again fires change again
    try {
      await loadRun(await verifyOpenedRun(fromBundle(await f.text())), f.name);
    } catch (e) {
      page.notice(`Could not open ${f.name}: ${(e as Error).message}`, true);
    }
  });

  return { confirmDiscard, autosave, loadRun, offerRestore, saveRun, openRun };
}
