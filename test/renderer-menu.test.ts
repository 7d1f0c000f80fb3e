/**
 * The page's actions (renderer/actions.ts): buttons, shortcuts and the native menus run the same
 * registered action, which follows the store's signals (renderer/store.ts); menu commands map to
 * actions of the same id (renderer/menu-actions.ts), checked against index.html.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signal } from '@preact/signals-core';
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../shared/api.ts';
import { ActionManager, shortcutOf, type ButtonLike, type KeyEventLike } from '../renderer/actions.ts';
import { MENU_BUTTONS, runMenuCommand } from '../renderer/menu-actions.ts';
import { createStore, lastFinishedGeneration } from '../renderer/store.ts';
import { knobsFromPreset } from '../renderer/recipe.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import type { MetricsRow } from '../lab/types.ts';

const html = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../renderer/index.html'), 'utf8');

function button(): ButtonLike & { click(): void } {
  const listeners: (() => void)[] = [];
  return { disabled: false, textContent: '', addEventListener: (_t, l) => void listeners.push(l), click: () => listeners.forEach((l) => l()) };
}

function key(k: string, mods: Partial<KeyEventLike> = {}): KeyEventLike & { prevented: boolean } {
  const e = { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, prevented: false, ...mods, preventDefault: () => (e.prevented = true) };
  return e;
}

describe('menu commands → page actions', () => {
  it('every menu command but Export chart has a button in index.html', () => {
    for (const c of MENU_COMMANDS) {
      if (c === 'export-chart') continue;
      const id = MENU_BUTTONS[c];
      expect(html, `${c} → #${id}`).toMatch(new RegExp(`<button id="${id}"`));
    }
  });

  it('a menu command runs the action of its id; a disabled action ignores its menu item, button and shortcut alike', () => {
    const actions = new ActionManager();
    const ran: string[] = [];
    const paused = signal(false);
    for (const c of MENU_COMMANDS) actions.register({ id: c, perform: () => void ran.push(c), enabled: c === 'pause' ? () => paused.value : undefined, keys: c === 'pause' ? ['Mod+P'] : undefined });
    for (const c of MENU_COMMANDS) expect(runMenuCommand(actions, c)).toBe(c !== 'pause');
    expect(ran).toEqual(MENU_COMMANDS.filter((c) => c !== 'pause'));
    const b = button();
    actions.bindButton(b, 'pause');
    expect(b.disabled).toBe(true);
    b.click();
    expect(actions.handleKey(key('p', { ctrlKey: true }), false)).toBe(false);
    expect(ran).not.toContain('pause');
    paused.value = true; // the bound button follows the signal by itself
    expect(b.disabled).toBe(false);
    b.click();
    expect(actions.handleKey(key('p', { ctrlKey: true }), false)).toBe(true);
    expect(runMenuCommand(actions, 'pause')).toBe(true);
    expect(ran.filter((c) => c === 'pause')).toHaveLength(3);
    expect(runMenuCommand({ run: () => false }, 'run')).toBe(false);
  });

  it('labels follow signals; ids are unique; shortcuts are spelt Mod+Key', () => {
    const actions = new ActionManager();
    const state = signal<'running' | 'paused'>('running');
    actions.register({ id: 'pause', perform: () => undefined, label: () => (state.value === 'paused' ? 'Resume' : 'Pause') });
    const b = button();
    actions.bindButton(b, 'pause');
    expect(b.textContent).toBe('Pause');
    state.value = 'paused';
    expect(b.textContent).toBe('Resume');
    expect(() => actions.register({ id: 'pause', perform: () => undefined })).toThrow(/registered twice/);
    expect(() => actions.bindButton(button(), 'nope')).toThrow(/no action nope/);
    expect(actions.run('nope')).toBe(false);
    expect(shortcutOf(key('Enter', { metaKey: true }), true)).toBe('Mod+Enter');
    expect(shortcutOf(key('Enter', { metaKey: true }), false)).toBe('Enter');
    expect(shortcutOf(key('s', { ctrlKey: true, shiftKey: true }), false)).toBe('Mod+Shift+S');
    const unbound = key('x', { ctrlKey: true });
    expect(actions.handleKey(unbound, false)).toBe(false);
    expect(unbound.prevented).toBe(false);
  });
});

describe('the page store (signals)', () => {
  const exp = parseExperiment({
    name: 't',
    scenario: 'duel',
    seeds: [1, 2],
    generations: 2,
    lineages: [
      { name: 'grounded', recipe: 'grounded' },
      { name: 'recursive', recipe: 'recursive' },
    ],
  }) as PhysicsExperiment;
  const row = (seed: number, lineage: string, generation: number) => ({ kind: 'generation', seed, lineage, generation }) as MetricsRow;

  it('isBusy, lastFinished and canContinue are derived from the state, rows and knobs', () => {
    const store = createStore({ ...knobsFromPreset('classroom', true), generations: '3' }, true);
    expect(store.knobsValid.value).toBe(true);
    expect(store.isBusy.value).toBe(false);
    expect(store.canContinue.value).toBe(false); // no run yet
    store.experiment.value = exp;
    store.state.value = 'running';
    expect(store.isBusy.value).toBe(true);
    store.rows.value = [row(1, 'grounded', 0), row(1, 'recursive', 0), row(1, 'grounded', 1)];
    expect(store.lastFinished.value).toBe(0); // recursive has no generation 1 yet
    store.rows.value = [...store.rows.value, row(1, 'recursive', 1), row(2, 'grounded', 0), row(2, 'recursive', 0)];
    expect(store.lastFinished.value).toBe(1);
    expect(store.canContinue.value).toBe(false); // busy
    store.state.value = 'done';
    expect(store.canContinue.value).toBe(true); // seed 2 reached generation 0 only, 3 > 0
    store.knobs.value = { ...store.knobs.value, generations: '1' };
    expect(store.canContinue.value).toBe(true);
    store.knobs.value = { ...store.knobs.value, generations: '0' };
    expect(store.canContinue.value).toBe(false);
    expect(store.knobsValid.value).toBe(false);
    store.knobs.value = { ...store.knobs.value, generations: '201' };
    expect(store.canContinue.value).toBe(false);
    store.state.value = 'failed';
    store.knobs.value = { ...store.knobs.value, generations: '3' };
    expect(store.canContinue.value).toBe(false);
    expect(lastFinishedGeneration(null, [])).toBe(-1);
  });
});
