/**
 * What a desktop app does besides its page, as plain logic that main.ts wires to Electron (and the
 * tests drive without it): the menu template, recent runs, the remembered window bounds, which
 * command-line argument is a run to open, and the page shown when the renderer cannot load.
 */
import { promises as fsp, statSync } from 'node:fs';
import * as path from 'node:path';
import type { MenuCommand } from '../shared/api.ts';
import { atomicWriteFile } from './run-folder.ts';

// ---------------------------------------------------------------------------------------------
// menus

/** The parts of Electron's MenuItemConstructorOptions used here. */
export interface MenuItemSpec {
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export interface MenuActions {
  /** a page action: the same as the page's button */
  command(command: MenuCommand): void;
  /** open a recent run (a folder or a bundle) */
  openRecent(file: string): void;
  clearRecent(): void;
  about(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  development: boolean;
  recent: readonly string[];
  appName?: string;
}

/** Keyboard shortcuts of the page actions (also shown in the menus). */
export const SHORTCUTS: Record<MenuCommand, string> = {
  run: 'CmdOrCtrl+Return',
  pause: 'CmdOrCtrl+P',
  'open-run': 'CmdOrCtrl+O',
  'save-run': 'CmdOrCtrl+S',
  'export-chart': 'CmdOrCtrl+E',
  'toggle-presenter': 'F11',
};

export function menuTemplate(actions: MenuActions, opts: MenuOptions): MenuItemSpec[] {
  const isMac = opts.platform === 'darwin';
  const cmd = (label: string, command: MenuCommand): MenuItemSpec => ({ label, accelerator: SHORTCUTS[command], click: () => actions.command(command) });
  const recent: MenuItemSpec[] = opts.recent.length
    ? [
        ...opts.recent.map((file) => ({ label: file, click: () => actions.openRecent(file) })),
        { type: 'separator' as const },
        { label: 'Clear recent runs', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent runs', enabled: false }];
  const about: MenuItemSpec = { label: `About ${opts.appName ?? 'Driftlab'}`, click: () => actions.about() };
  return [
    ...(isMac ? [{ label: opts.appName ?? 'Driftlab', submenu: [about, { type: 'separator' as const }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' as const }, { role: 'quit' }] }] : []),
    {
      label: '&File',
      submenu: [
        cmd('Open run…', 'open-run'),
        { label: 'Open recent', submenu: recent },
        cmd('Save run…', 'save-run'),
        { type: 'separator' },
        cmd('Export chart…', 'export-chart'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Run', submenu: [cmd('Run', 'run'), cmd('Pause / Resume', 'pause')] },
    {
      label: '&View',
      submenu: [
        cmd('Presenter mode', 'toggle-presenter'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        ...(opts.development ? [{ type: 'separator' as const }, { role: 'reload' }, { role: 'toggleDevTools' }] : []),
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', label: '&Help', submenu: isMac ? [] : [about] },
  ];
}

/** The About box's text: the app's version and those of what it runs on. */
export function aboutText(v: { name: string; version: string; electron: string; chrome: string; node: string; v8?: string; platform: string; arch: string }): { message: string; detail: string } {
  return {
    message: `${v.name} ${v.version}`,
    detail: [
      'Watch model collapse happen, with real physics and real learning.',
      '',
      `Electron ${v.electron}`,
      `Chromium ${v.chrome}`,
      `Node ${v.node}`,
      ...(v.v8 ? [`V8 ${v.v8}`] : []),
      `${v.platform} ${v.arch}`,
    ].join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------
// small JSON files in the user-data folder

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined; // missing or damaged: start afresh
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await atomicWriteFile(file, JSON.stringify(value, null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------
// recent runs

export const MAX_RECENT = 10;

/** Recent run folders and bundles, newest first, kept in `file` (userData/recent-runs.json). */
export class RecentRuns {
  private items: string[] = [];
  constructor(private readonly file: string) {}

  get list(): readonly string[] {
    return this.items;
  }

  async load(): Promise<readonly string[]> {
    const v = await readJson(this.file);
    const arr = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && path.isAbsolute(x)) : [];
    this.items = [...new Set(arr)].slice(0, MAX_RECENT);
    return this.items;
  }

  async add(p: string): Promise<readonly string[]> {
    this.items = [p, ...this.items.filter((x) => x !== p)].slice(0, MAX_RECENT);
    await writeJson(this.file, this.items);
    return this.items;
  }

  async remove(p: string): Promise<readonly string[]> {
    this.items = this.items.filter((x) => x !== p);
    await writeJson(this.file, this.items);
    return this.items;
  }

  async clear(): Promise<void> {
    this.items = [];
    await writeJson(this.file, this.items);
  }
}

// ---------------------------------------------------------------------------------------------
// window bounds

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: Partial<Bounds> & { width: number; height: number };
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { bounds: { width: 1440, height: 900 }, maximized: false };
export const MIN_WINDOW = { width: 960, height: 640 };

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * The saved window state, fitted to today's displays: a size at least the minimum and at most the
 * largest work area, and a position kept only when the window's title bar lands on a display
 * (a monitor unplugged since leaves the window where the system puts it).
 */
export function fitWindowState(saved: unknown, workAreas: readonly Bounds[]): WindowState {
  const s = saved as { bounds?: Record<string, unknown>; maximized?: unknown } | undefined;
  const b = s?.bounds;
  if (!b || !isNum(b.width) || !isNum(b.height)) return structuredClone(DEFAULT_WINDOW);
  const maxW = Math.max(MIN_WINDOW.width, ...workAreas.map((a) => a.width));
  const maxH = Math.max(MIN_WINDOW.height, ...workAreas.map((a) => a.height));
  const width = Math.round(Math.min(Math.max(b.width, MIN_WINDOW.width), maxW));
  const height = Math.round(Math.min(Math.max(b.height, MIN_WINDOW.height), maxH));
  const out: WindowState = { bounds: { width, height }, maximized: s?.maximized === true };
  if (isNum(b.x) && isNum(b.y)) {
    const x = Math.round(b.x);
    const y = Math.round(b.y);
    // the title bar: the window's top 40 px, at least 100 px of it on one display
    const visible = workAreas.some((a) => {
      const w = Math.min(x + width, a.x + a.width) - Math.max(x, a.x);
      const h = Math.min(y + 40, a.y + a.height) - Math.max(y, a.y);
      return w >= 100 && h >= 20;
    });
    if (visible) Object.assign(out.bounds, { x, y });
  }
  return out;
}

export async function loadWindowState(file: string, workAreas: readonly Bounds[]): Promise<WindowState> {
  return fitWindowState(await readJson(file), workAreas);
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeJson(file, state);
}

// ---------------------------------------------------------------------------------------------
// command line and double-click

/** File name endings of run bundles (the web page's "Save run" file; `.driftlab` is associated with the app). */
export const BUNDLE_EXTENSIONS = ['.driftlab', '.json'];

export type RunTarget = { kind: 'folder'; path: string } | { kind: 'bundle'; path: string };

/** What a path on the command line (or a double-clicked file) is: a run folder, a bundle, or neither. */
export function classifyRunPath(p: string, cwd: string): RunTarget | null {
  if (!p || p.startsWith('-') || p.includes('\0')) return null;
  const full = path.resolve(cwd, p);
  let st;
  try {
    st = statSync(full);
  } catch {
    return null;
  }
  if (st.isDirectory()) return { kind: 'folder', path: full };
  if (st.isFile() && BUNDLE_EXTENSIONS.some((e) => full.toLowerCase().endsWith(e))) return { kind: 'bundle', path: full };
  return null;
}

/**
 * The run a command line asks to open: the last argument that is a run folder or bundle. Electron's
 * own arguments come first (the binary, and in development the app folder): `skip` of them.
 */
export function runFromArgv(argv: readonly string[], cwd: string, skip: number): RunTarget | null {
  for (let i = argv.length - 1; i >= skip; i--) {
    const t = classifyRunPath(argv[i], cwd);
    if (t) return t;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// the page shown when the renderer cannot load

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A self-contained page (data: URL, no script) that says what failed and what to do. */
export function failurePageUrl(title: string, detail: string, hint: string): string {
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Driftlab: ${escapeHtml(title)}</title>
<style>body{background:#10131a;color:#e8ecf4;font:16px/1.5 system-ui,sans-serif;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}main{max-width:44em;padding:2em}h1{font-size:1.5em;margin:0 0 .5em}pre{background:#1b2030;padding:1em;white-space:pre-wrap;word-break:break-word;border-radius:6px}p.hint{color:#aab4c8}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><pre>${escapeHtml(detail)}</pre><p class="hint">${escapeHtml(hint)}</p></main></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
