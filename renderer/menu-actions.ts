/**
 * Native menus and shortcuts (Electron) run the page's actions (actions.ts): each menu command is
 * the id of the action its page button runs, so both take exactly the same path (and a disabled
 * action, e.g. Pause while nothing runs, ignores its shortcut too). Export chart has no single
 * button: it exports the chart last exported or shown.
 */
import type { MenuCommand } from '../shared/api.ts';

/** The page button bound to each menu command's action (ids in index.html). */
export const MENU_BUTTONS: Record<Exclude<MenuCommand, 'export-chart'>, string> = {
  run: 'run',
  pause: 'pause',
  'open-run': 'open-run',
  'save-run': 'save-run',
  'toggle-presenter': 'presenter-toggle',
};

/** Run one menu command's action; false when the action is missing or disabled. */
export function runMenuCommand(actions: { run(id: string): boolean }, command: MenuCommand): boolean {
  return actions.run(command);
}
