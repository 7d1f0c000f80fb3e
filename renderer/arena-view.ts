/**
 * The arenas: which lineages they show, the generation scrubber, the opponent and the dream
 * (ghost overlay or split view). They replay the selected generation in the real simulator.
 */
import { getScenario } from '../lab/scenarios.ts';
import type { ScenarioId } from '../sim/types.ts';
import { $, checkLabel, fillOptions } from './dom.ts';
import type { ArenaView, Page } from './page.ts';
import { generationLabel } from './recipe.ts';

export function installArenaView(page: Page): ArenaView {
  const { els, store, deck, lesson } = page;
  let dreamLayout: 'overlay' | 'split' = 'overlay';
  let lessonGenerationShown = false;

  function shownLineages(): string[] {
    const exp = store.experiment.peek();
    const names = exp ? exp.lineages.map((l) => l.name) : store.knobs.peek().lineages;
    const checked = [...els.showLineages.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value).filter((n) => names.includes(n));
    if (checked.length) return checked;
    const def = names.filter((n) => page.defaultShown.includes(n));
    return def.length ? def : names.slice(0, 2);
  }

  function buildShowChips(): void {
    const exp = store.experiment.peek();
    const names = exp ? exp.lineages.map((l) => l.name) : [];
    els.showLineages.replaceChildren();
    if (names.length <= 1) return;
    const def = names.filter((n) => page.defaultShown.includes(n));
    const on = def.length ? def : names.slice(0, 2);
    els.showLineages.append('Show:');
    for (const n of names) {
      const { label, cb } = checkLabel(n);
      cb.checked = on.includes(n);
      cb.addEventListener('change', () => void refresh());
      els.showLineages.appendChild(label);
    }
  }

  function buildOpponents(scenario: ScenarioId): void {
    const options: [string, string][] = [
      ['same', 'the same generation'],
      ['g0', 'generation 0'],
      ...getScenario(scenario).scripted.map((s): [string, string] => [`scripted:${s.name}`, `scripted ${s.name}`]),
    ];
    fillOptions(els.opponent, options, els.opponent.value, 'same');
  }

  async function idle(): Promise<void> {
    const scenario = store.knobs.peek().scenario;
    await deck.setLineages(shownLineages());
    deck.idle(scenario, 'Press ▶ Classroom or Run');
    buildOpponents(scenario);
  }

  const selectedGeneration = () => Number(els.scrubber.value);

  function setLabel(generation: number | string, last: number | string): void {
    const { text, title } = generationLabel(generation, last, store.experiment.peek()?.seeds ?? []);
    els.scrubLabel.value = text;
    els.scrubLabel.title = title;
  }

  function showGeneration(): void {
    const exp = store.experiment.peek();
    if (!exp || page.human.active) return;
    const g = selectedGeneration();
    setLabel(g, els.scrubber.max);
    document.body.dataset.generation = String(g);
    deck.show({ scenario: exp.scenario, params: exp.scenarioParams, seed: exp.seeds[0], generation: g, opponent: els.opponent.value, dream: els.dream.checked });
  }

  async function refresh(): Promise<void> {
    await deck.setLineages(shownLineages());
    deck.setRows(store.rows.peek());
    deck.reset();
    const exp = store.experiment.peek();
    if (store.lastFinished.peek() >= 0) showGeneration();
    else if (exp) deck.idle(exp.scenario, 'generation 0 is learning from real play…');
  }

  function generationsChanged(): void {
    const last = store.lastFinished.peek();
    if (last < 0) return;
    const wasAtEnd = els.scrubber.disabled || Number(els.scrubber.value) === Number(els.scrubber.max);
    els.scrubber.max = String(last);
    els.scrubber.disabled = false;
    if (wasAtEnd) els.scrubber.value = String(last);
    const state = store.state.peek();
    if (lesson.generation !== undefined && lesson.generation <= last && !lessonGenerationShown && (state === 'done' || state === 'opened')) {
      els.scrubber.value = String(lesson.generation);
      lessonGenerationShown = true;
      showGeneration();
    }
    setLabel(els.scrubber.value, last);
    if (wasAtEnd || !deck.lineages.length) showGeneration();
    page.play.refreshOpponents();
  }

  els.scrubber.addEventListener('input', () => showGeneration());
  els.opponent.addEventListener('change', () => showGeneration());
  els.dream.addEventListener('change', () => {
    deck.setDreamVisible(els.dream.checked);
    page.lessonView.syncUrl();
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
    page.lessonView.syncUrl();
  }
  layoutButtons.overlay.addEventListener('click', () => setDreamLayout('overlay'));
  layoutButtons.split.addEventListener('click', () => setDreamLayout('split'));

  return { shownLineages, buildShowChips, buildOpponents, idle, selectedGeneration, showGeneration, generationsChanged, setDreamLayout, dreamLayout: () => dreamLayout };
}
