/** Menu commands drive the page's own buttons (renderer/menu-actions.ts), checked against index.html. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../shared/api.ts';
import { MENU_BUTTONS, runMenuCommand } from '../renderer/menu-actions.ts';

const html = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../renderer/index.html'), 'utf8');

function page(disabled: string[] = []) {
  const clicks: string[] = [];
  const doc = {
    getElementById: (id: string) => (html.includes(`id="${id}"`) ? { disabled: disabled.includes(id), click: () => void clicks.push(id) } : null),
  };
  return { doc, clicks };
}

describe('menu commands → page buttons', () => {
  it('every menu command but Export chart has a button in index.html', () => {
    for (const c of MENU_COMMANDS) {
      if (c === 'export-chart') continue;
      const id = MENU_BUTTONS[c];
      expect(html, `${c} → #${id}`).toMatch(new RegExp(`<button id="${id}"`));
    }
  });

  it('clicks the button a person would click; a disabled button ignores its shortcut too', () => {
    const { doc, clicks } = page(['pause']);
    let exported = 0;
    expect(runMenuCommand(doc, 'run', () => exported++)).toBe(true);
    expect(runMenuCommand(doc, 'pause', () => exported++)).toBe(false);
    expect(runMenuCommand(doc, 'open-run', () => exported++)).toBe(true);
    expect(runMenuCommand(doc, 'save-run', () => exported++)).toBe(true);
    expect(runMenuCommand(doc, 'toggle-presenter', () => exported++)).toBe(true);
    expect(runMenuCommand(doc, 'export-chart', () => exported++)).toBe(true);
    expect(clicks).toEqual(['run', 'open-run', 'save-run', 'presenter-toggle']);
    expect(exported).toBe(1);
  });
});
