/**
 * The typed surface between the renderer and the main process.
 *
 * The preload exposes `window.driftlab: DriftlabApi` through contextBridge; the main process
 * answers on the channels below (all prefixed `driftlab:`). This module holds only types and
 * constants, so the renderer can `import type` from it and the sandboxed preload bundle stays tiny.
 */

export const CHANNEL_PREFIX = 'driftlab:';

export const Channels = {
  appInfo: 'driftlab:app-info',
  openRunFolder: 'driftlab:open-run-folder',
  listRunFiles: 'driftlab:list-run-files',
  readRunFile: 'driftlab:read-run-file',
  writeRunFile: 'driftlab:write-run-file',
  appendRunFile: 'driftlab:append-run-file',
  runFileExists: 'driftlab:run-file-exists',
  saveExport: 'driftlab:save-export',
  /** main → renderer: a menu command (not an invoke channel) */
  menu: 'driftlab:menu',
  /** renderer → main (send): the page listens for menu commands now; queued ones may come */
  menuReady: 'driftlab:menu-ready',
} as const;

/**
 * The desktop app's autosave of the current run (electron/autosave.ts): a run folder under the
 * app's user data, written after every finished generation and offered back after a restart.
 */
export const AutosaveChannels = {
  save: 'driftlab:autosave-save',
  load: 'driftlab:autosave-load',
  clear: 'driftlab:autosave-clear',
} as const;

export type AutosaveChannel = (typeof AutosaveChannels)[keyof typeof AutosaveChannels];

/** One autosaved run: its files (relative path, text) and what the restore offer says about it. */
export interface AutosavedRun {
  savedAt: string;
  name: string;
  generations: number;
  files: [string, string][];
}

export type InvokeChannel = Exclude<(typeof Channels)[keyof typeof Channels], typeof Channels.menu | typeof Channels.menuReady>;

export interface AppInfo {
  name: string;
  version: string;
  electron: string;
  chrome: string;
  node: string;
  platform: string;
  arch: string;
  development: boolean;
}

export interface RunFolderInfo {
  /** the folder's base name, for display */
  name: string;
  /** absolute path on disk, for display */
  path: string;
  /** files already in the folder (relative, '/'-separated) */
  files: RunFileEntry[];
}

export interface RunFileEntry {
  /** relative to the run folder, '/'-separated */
  path: string;
  size: number;
}

export type ExportFormat = 'png' | 'svg' | 'gif' | 'webm';

export interface SaveExportRequest {
  /** file name offered in the save dialog, e.g. "elo.png" */
  suggestedName: string;
  format: ExportFormat;
  /** PNG, GIF or WebM bytes, or SVG text */
  data: Uint8Array | string;
}

export interface SaveExportResult {
  saved: boolean;
  path?: string;
}

/** 'open': pick an existing run folder; 'create': pick or create a folder to save a run into. */
export type RunFolderMode = 'open' | 'create';

/** The page actions the native menus and shortcuts drive (the same as the page's buttons). */
export const MENU_COMMANDS = ['run', 'pause', 'open-run', 'save-run', 'export-chart', 'toggle-presenter'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Errors cross IPC as data; the preload turns them back into thrown Errors with this shape. */
export interface IpcErrorData {
  code: 'sender' | 'args' | 'path' | 'no-folder' | 'io';
  /** the offending field for 'args' / 'path' errors, e.g. "path" or "data" */
  field?: string;
  message: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorData };

export interface DriftlabApi {
  readonly isElectron: true;
  appInfo(): Promise<AppInfo>;
  /** Shows a folder dialog; null when the user cancels. Later file calls act in this folder. */
  openRunFolder(mode: RunFolderMode): Promise<RunFolderInfo | null>;
  listRunFiles(dir?: string): Promise<RunFileEntry[]>;
  /** null when the file does not exist */
  readRunFile(path: string): Promise<string | null>;
  readRunFileBytes(path: string): Promise<Uint8Array | null>;
  /** atomic: temp file + rename */
  writeRunFile(path: string, data: string | Uint8Array): Promise<void>;
  appendRunFile(path: string, line: string): Promise<void>;
  runFileExists(path: string): Promise<boolean>;
  saveExport(request: SaveExportRequest): Promise<SaveExportResult>;
  /** The autosave slot (a run folder in the app's user data): replace, read back, forget. */
  autosave: {
    save(run: AutosavedRun): Promise<void>;
    load(): Promise<AutosavedRun | null>;
    clear(): Promise<void>;
  };
  /** Subscribe to menu commands; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
