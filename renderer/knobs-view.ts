/**
 * The recipe knobs: preset, scenario, generations, seeds, episodes and lineages. The controls write
 * the store's `knobs`; one effect shows every problem at once, in plain words, beside its control,
 * and the run-time estimate.
 */
import { effect } from '@preact/signals-core';
import type { ScenarioId } from '../sim/types.ts';
import { checkLabel } from './dom.ts';
import type { Lesson } from './lesson.ts';
import type { KnobsView, Page } from './page.ts';
import { APP_PRESETS, CUSTOM, LINEAGE_RECIPES, buildConfig, estimateRunSeconds, formatDuration, knobsFromPreset, plainErrors, type Knobs } from './recipe.ts';

function sameAsPreset(k: Knobs, p: Knobs): boolean {
  return k.scenario === p.scenario && k.generations === p.generations && k.seeds === p.seeds && k.episodes === p.episodes && k.lineages.join() === p.lineages.join();
}

/** The knobs a lesson link asks for: its preset's, with the link's own values over them. */
export function knobsFromLesson(lesson: Lesson, quick: boolean): Knobs {
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
  return sameAsPreset(k, p) ? k : { ...k, preset: CUSTOM, base: name };
}

export function installKnobsView(page: Page): KnobsView {
  const { els, store, quick } = page;
  for (const name of [...APP_PRESETS, CUSTOM]) {
    els.preset.appendChild(Object.assign(document.createElement('option'), { value: name, textContent: name === CUSTOM ? 'custom' : name }));
  }
  const checkboxes = new Map<string, HTMLInputElement>();
  for (const r of LINEAGE_RECIPES) {
    const { label, cb } = checkLabel(r);
    cb.id = `lineage-${r}`;
    els.lineages.insertBefore(label, els.errors.lineages);
    checkboxes.set(r, cb);
  }

  function show(k: Knobs): void {
    els.preset.value = k.preset;
    els.scenario.value = k.scenario;
    els.generations.value = k.generations;
    els.seeds.value = k.seeds;
    els.episodes.value = k.episodes;
    for (const [name, cb] of checkboxes) cb.checked = k.lineages.includes(name);
    store.knobs.value = k;
  }

  function read(): Knobs {
    const k: Knobs = {
      preset: els.preset.value,
      base: store.knobs.peek().base,
      scenario: els.scenario.value as ScenarioId,
      generations: els.generations.value,
      seeds: els.seeds.value,
      episodes: els.episodes.value,
      lineages: LINEAGE_RECIPES.filter((r) => checkboxes.get(r)!.checked),
    };
    if (k.preset !== CUSTOM && !sameAsPreset(k, knobsFromPreset(k.preset, quick))) {
      k.base = k.preset;
      k.preset = CUSTOM;
      els.preset.value = CUSTOM;
    }
    return k;
  }

  // the view: every problem at once, in plain words; the schema's message only when no knob alone is wrong
  const estimate = Object.assign(document.createElement('output'), { id: 'estimate', className: 'estimate' });
  estimate.title = 'A rough estimate, scaled from the classroom preset on a 2-core machine';
  els.status.before(estimate);
  effect(() => {
    const knobs = store.knobs.value;
    const r = buildConfig(knobs, quick);
    for (const el of Object.values(els.errors)) el.textContent = '';
    document.querySelectorAll('.knob.invalid').forEach((e) => e.classList.remove('invalid'));
    const problems = plainErrors(knobs);
    if (!r.ok && problems.length === 0) problems.push(r.error);
    for (const p of problems) {
      const el = els.errors[p.field];
      el.textContent = el.textContent ? `${el.textContent} ${p.message}` : p.message;
      el.closest('.knob')?.classList.add('invalid');
    }
    document.body.dataset.knobErrors = String(problems.length);
    estimate.value = r.ok && problems.length === 0 && !quick ? `Run time ${formatDuration(estimateRunSeconds(r.config))}` : '';
  });

  const changed = () => {
    page.lessonView.syncUrl();
    if (!store.experiment.peek() && !store.isBusy.peek()) void page.arena.idle();
  };
  const onKnob = () => {
    store.knobs.value = read();
    changed();
  };
  for (const el of [els.generations, els.seeds, els.episodes]) el.addEventListener('input', onKnob);
  for (const cb of checkboxes.values()) cb.addEventListener('change', onKnob);
  els.scenario.addEventListener('change', onKnob);
  els.preset.addEventListener('change', () => {
    if (els.preset.value === CUSTOM) store.knobs.value = { ...read(), preset: CUSTOM };
    else show(knobsFromPreset(els.preset.value, quick));
    changed();
  });
  return { show };
}
