/**
 * Native menus and shortcuts (Electron) drive the page's own buttons: each menu command clicks
 * the button a person would click, so both take exactly the same path (and a disabled button,
 * e.g. Pause while nothing runs, ignores its shortcut too). Export chart has no single button:
 * it exports the chart last exported or shown (`exportChart`).
 */
import type { MenuCommand } from '../shared/api.ts';

/** The page button behind each menu command (ids in index.html). */
export const MENU_BUTTONS: Record<Exclude<MenuCommand, 'export-chart'>, string> = {
  run: 'run',
  pause: 'pause',
  'open-run': 'open-run',
  'save-run': 'save-run',
  'toggle-presenter': 'presenter-toggle',
};

export interface MenuTarget {
  getElementById(id: string): { disabled?: boolean; click(): void } | null;
}

/** Run one menu command on the page; false when its button is missing or disabled. */
export function runMenuCommand(doc: MenuTarget, command: MenuCommand, exportChart: () => void): boolean {
  if (command === 'export-chart') {
    exportChart();
    return true;
  }
  const id = MENU_BUTTONS[command];
  const button = id ? doc.getElementById(id) : null;
  if (!button || button.disabled) return false;
  button.click();
  return true;
}
