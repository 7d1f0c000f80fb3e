/**
 * The page's actions in one registry (excalidraw's action manager): each action has an id, a
 * predicate saying whether it may run now and, where its button's text changes, a label. Buttons,
 * keyboard shortcuts and the native menus (menu-actions.ts) all run an action through `run`, so
 * they take the same path, and a disabled action ignores its click, key and menu item alike.
 * Predicates and labels read signals (store.ts): a bound button follows them by itself.
 * Pure but for `bindButton`/`bindKeys`, which take structural element types.
 */
import { computed, effect, type ReadonlySignal } from '@preact/signals-core';

export interface Action {
  /** unique; the native menus' commands use the same ids (shared/api.ts MenuCommand) */
  id: string;
  perform(): void | Promise<void>;
  /** whether it may run now (default: always); read signals here */
  enabled?(): boolean;
  /** the text of its button, when it changes with the state */
  label?(): string;
  /** shortcuts such as "Mod+Enter" (Mod: Ctrl, or ⌘ on a Mac) */
  keys?: readonly string[];
}

export interface ButtonLike {
  disabled: boolean;
  textContent: string | null;
  addEventListener(type: 'click', listener: () => void): void;
}

export interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  defaultPrevented?: boolean;
  preventDefault(): void;
}

interface Entry {
  action: Action;
  enabled: ReadonlySignal<boolean>;
}

/** "Mod+Shift+S" for a key event, the way `keys` spell shortcuts. */
export function shortcutOf(e: KeyEventLike, mac: boolean): string {
  const mods = [(mac ? e.metaKey : e.ctrlKey) && 'Mod', e.altKey && 'Alt', e.shiftKey && 'Shift'].filter(Boolean);
  const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
  return [...mods, key].join('+');
}

export class ActionManager {
  private readonly entries = new Map<string, Entry>();

  register(...actions: Action[]): void {
    for (const action of actions) {
      if (this.entries.has(action.id)) throw new Error(`action ${action.id} is registered twice`);
      const enabled = computed(() => (action.enabled ? action.enabled() : true));
      this.entries.set(action.id, { action, enabled });
    }
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  isEnabled(id: string): boolean {
    return this.entries.get(id)?.enabled.value ?? false;
  }

  /** Run an action; false when it is unknown or may not run now. */
  run(id: string): boolean {
    const e = this.entries.get(id);
    if (!e || !e.enabled.value) return false;
    void e.action.perform();
    return true;
  }

  /** A button that runs the action and follows its enabled state and label; returns the effect's disposer. */
  bindButton(button: ButtonLike, id: string): () => void {
    const e = this.entries.get(id);
    if (!e) throw new Error(`no action ${id} to bind`);
    button.addEventListener('click', () => void this.run(id));
    return effect(() => {
      button.disabled = !e.enabled.value;
      if (e.action.label) button.textContent = e.action.label();
    });
  }

  /** The action a key event's shortcut names, run; true when one ran (the event is then consumed). */
  handleKey(ev: KeyEventLike, mac: boolean): boolean {
    if (ev.defaultPrevented) return false;
    const combo = shortcutOf(ev, mac);
    for (const { action } of this.entries.values()) {
      if (!action.keys?.includes(combo)) continue;
      ev.preventDefault();
      return this.run(action.id);
    }
    return false;
  }

  /** Listen for the actions' shortcuts on `target` (the document). */
  bindKeys(target: { addEventListener(type: 'keydown', listener: (e: KeyEventLike) => void): void }, mac: boolean): void {
    target.addEventListener('keydown', (e) => void this.handleKey(e, mac));
  }
}
