/**
 * IPC handlers of the main process as plain functions.
 *
 * Every handler first checks its sender (electron/ipc-guard.ts: the top-level frame of the app's
 * own page), then its argument (zod; errors name the field), then acts. Run-folder file access goes
 * through RunFolderAccess (electron/run-folder.ts), which refuses any path that could leave the
 * folder the user chose. Dialogs and app facts are injected, so tests run these without Electron.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import {
  CHANNEL_PREFIX,
  Channels,
  type AppInfo,
  type InvokeChannel,
  type IpcResult,
  type RunFolderInfo,
  type SaveExportResult,
} from '../shared/api.ts';
import { checkSender, IpcError, type IpcEventLike, type SenderPolicy } from './ipc-guard.ts';
import { atomicWriteFile, MAX_FILE_BYTES, MAX_PATH_LENGTH, RunFolderAccess } from './run-folder.ts';

// ---------------------------------------------------------------------------------------------
// file names

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A plain file name for any suggested name, valid on Windows, macOS and Linux: no folders, none
 * of \ / : * ? " < > | or control characters (each run becomes one '-'), no leading or trailing
 * dots or spaces, no reserved Windows device name, at most 120 characters (the extension kept).
 */
export function safeFileName(name: string, fallback = 'chart'): string {
  let s = name.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '-');
  s = s.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (s === '' || /^-+$/.test(s)) s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  if (s.length > 120) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(s)?.[0] ?? '';
    s = s.slice(0, 120 - ext.length).replace(/[\s.]+$/, '') + ext;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// argument schemas

const relPath = z.string().min(1).max(MAX_PATH_LENGTH);
const bytes = z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_FILE_BYTES, `at most ${MAX_FILE_BYTES} bytes`);
const text = z.string().max(MAX_FILE_BYTES);
const EXPORT_FILTERS = {
  png: { name: 'PNG image', extensions: ['png'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
  gif: { name: 'Animated GIF', extensions: ['gif'] },
  webm: { name: 'WebM video', extensions: ['webm'] },
};
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const ArgSchemas = {
  [Channels.appInfo]: z.undefined(),
  [Channels.openRunFolder]: z.object({ mode: z.enum(['open', 'create']) }).strict(),
  [Channels.listRunFiles]: z.object({ dir: z.string().max(MAX_PATH_LENGTH).optional() }).strict(),
  [Channels.readRunFile]: z.object({ path: relPath, encoding: z.enum(['utf8', 'bytes']) }).strict(),
  [Channels.writeRunFile]: z.object({ path: relPath, data: z.union([text, bytes]) }).strict(),
  [Channels.appendRunFile]: z
    .object({ path: relPath, line: z.string().max(16 * 1024 * 1024).refine((s) => !/[\r\n]/.test(s), 'must be a single line (no newline characters)') })
    .strict(),
  [Channels.runFileExists]: z.object({ path: relPath }).strict(),
  [Channels.saveExport]: z
    .object({
      // any name (an experiment's name may hold : * ? " < > | /): safeFileName makes it a plain file name
      suggestedName: z
        .string()
        .min(1)
        .max(200)
        .refine((s) => !s.includes('\0'), 'must not contain a NUL character'),
      format: z.enum(['png', 'svg', 'gif', 'webm']),
      data: z.union([text, bytes]),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.format === 'png') {
        const ok = v.data instanceof Uint8Array && PNG_SIGNATURE.every((b, i) => (v.data as Uint8Array)[i] === b);
        if (!ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['data'], message: 'must be PNG bytes (starting with the PNG signature)' });
      } else if (v.format === 'gif' || v.format === 'webm') {
        // a replay video (renderer/replay-export.ts): GIF87a/GIF89a, or a WebM's EBML magic
        const magic = v.format === 'gif' ? [0x47, 0x49, 0x46, 0x38] : [0x1a, 0x45, 0xdf, 0xa3];
        const ok = v.data instanceof Uint8Array && magic.every((b, i) => (v.data as Uint8Array)[i] === b);
        if (!ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['data'], message: v.format === 'gif' ? 'must be GIF bytes (starting with GIF8)' : 'must be WebM bytes (starting with the EBML magic)' });
      } else {
        const ok = typeof v.data === 'string' && /<svg[\s>]/.test(v.data.slice(0, 4096));
        if (!ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['data'], message: 'must be SVG text containing an <svg> element' });
      }
    }),
} satisfies Record<InvokeChannel, z.ZodTypeAny>;

/** Parse a handler argument; the error names the field, e.g. "path: Required". */
export function parseArgs<C extends InvokeChannel>(channel: C, arg: unknown): z.infer<(typeof ArgSchemas)[C]> {
  const schema = ArgSchemas[channel] as z.ZodTypeAny;
  const r = schema.safeParse(arg);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : '(argument)';
  const more = r.error.issues.length > 1 ? ` (+${r.error.issues.length - 1} more)` : '';
  throw new IpcError('args', `${channel}: ${field}: ${issue.message}${more}`, field);
}

// ---------------------------------------------------------------------------------------------
// handlers

export interface OpenDialogRequest {
  title: string;
  buttonLabel: string;
  properties: Array<'openDirectory' | 'createDirectory' | 'promptToCreate'>;
}
export interface SaveDialogRequest {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}

export interface IpcDeps {
  policy: SenderPolicy;
  /** Electron: dialog.showOpenDialog(BrowserWindow.fromWebContents(event.sender), request) */
  showOpenDialog(event: IpcEventLike, request: OpenDialogRequest): Promise<{ canceled: boolean; filePaths: string[] }>;
  /** Electron: dialog.showSaveDialog(window, request) */
  showSaveDialog(event: IpcEventLike, request: SaveDialogRequest): Promise<{ canceled: boolean; filePath?: string }>;
  appInfo(): AppInfo;
  /** folder the export dialog starts in (e.g. app.getPath('pictures')) */
  exportDir?: string;
  /** told of every run folder a window opens or saves into (recent runs) */
  onFolderOpened?(event: IpcEventLike, folder: string, mode: 'open' | 'create'): void;
}

export type IpcHandler = (event: IpcEventLike, arg?: unknown) => Promise<unknown>;

export interface IpcHandlers {
  readonly handlers: Record<InvokeChannel, IpcHandler>;
  /** the run folder chosen by each sender (webContents id) */
  readonly folders: Map<number, RunFolderAccess>;
  /** forget a window's folder (call when its webContents is destroyed) */
  forget(senderId: number): void;
  /**
   * A folder the main process opened for a window (command line, double-click, recent runs): the
   * window's next openRunFolder('open') takes it instead of showing the dialog.
   */
  offerFolder(senderId: number, access: RunFolderAccess): void;
}

export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  const folders = new Map<number, RunFolderAccess>();
  const offered = new Map<number, RunFolderAccess>();

  const folderOf = (event: IpcEventLike): RunFolderAccess => {
    const f = folders.get(event.sender.id);
    if (!f) throw new IpcError('no-folder', 'no run folder is open: choose one first (File → Open run… or Save run…)');
    return f;
  };

  /** sender check, then argument check, then the body */
  const guarded =
    <C extends InvokeChannel>(channel: C, body: (event: IpcEventLike, args: z.infer<(typeof ArgSchemas)[C]>) => Promise<unknown>): IpcHandler =>
    async (event, arg) => {
      checkSender(event, deps.policy);
      return body(event, parseArgs(channel, arg));
    };

  const handlers: Record<InvokeChannel, IpcHandler> = {
    [Channels.appInfo]: guarded(Channels.appInfo, async () => deps.appInfo()),

    [Channels.openRunFolder]: guarded(Channels.openRunFolder, async (event, { mode }): Promise<RunFolderInfo | null> => {
      const offer = mode === 'open' ? offered.get(event.sender.id) : undefined;
      if (offer) {
        offered.delete(event.sender.id);
        folders.set(event.sender.id, offer);
        deps.onFolderOpened?.(event, offer.root, mode);
        return { name: offer.name, path: offer.root, files: await offer.list() };
      }
      const r = await deps.showOpenDialog(event, {
        title: mode === 'open' ? 'Open a Driftlab run folder' : 'Choose a folder to save the run in',
        buttonLabel: mode === 'open' ? 'Open run' : 'Save here',
        properties: mode === 'open' ? ['openDirectory'] : ['openDirectory', 'createDirectory', 'promptToCreate'],
      });
      if (r.canceled || r.filePaths.length === 0) return null;
      if (mode === 'create') await fsp.mkdir(r.filePaths[0], { recursive: true });
      const access = await RunFolderAccess.open(r.filePaths[0]);
      folders.set(event.sender.id, access);
      deps.onFolderOpened?.(event, access.root, mode);
      return { name: access.name, path: access.root, files: await access.list() };
    }),

    [Channels.listRunFiles]: guarded(Channels.listRunFiles, async (event, { dir }) => folderOf(event).list(dir)),

    [Channels.readRunFile]: guarded(Channels.readRunFile, async (event, { path: rel, encoding }) => {
      const f = folderOf(event);
      return encoding === 'utf8' ? f.readText(rel) : f.read(rel);
    }),

    [Channels.writeRunFile]: guarded(Channels.writeRunFile, async (event, { path: rel, data }) => {
      await folderOf(event).write(rel, data);
      return undefined;
    }),

    [Channels.appendRunFile]: guarded(Channels.appendRunFile, async (event, { path: rel, line }) => {
      await folderOf(event).append(rel, line);
      return undefined;
    }),

    [Channels.runFileExists]: guarded(Channels.runFileExists, async (event, { path: rel }) => folderOf(event).exists(rel)),

    [Channels.saveExport]: guarded(Channels.saveExport, async (event, { suggestedName, format, data }): Promise<SaveExportResult> => {
      const ext = `.${format}`;
      const safe = safeFileName(suggestedName);
      const name = safe.toLowerCase().endsWith(ext) ? safe : safe + ext;
      const r = await deps.showSaveDialog(event, {
        title: format === 'gif' || format === 'webm' ? 'Export replay' : 'Export chart',
        defaultPath: deps.exportDir ? path.join(deps.exportDir, name) : name,
        filters: [EXPORT_FILTERS[format]],
      });
      if (r.canceled || !r.filePath) return { saved: false };
      if (!path.isAbsolute(r.filePath)) throw new IpcError('path', `save dialog returned a relative path (${r.filePath})`, 'filePath');
      const target = path.extname(r.filePath).toLowerCase() === ext ? r.filePath : r.filePath + ext;
      await atomicWriteFile(target, data);
      return { saved: true, path: target };
    }),
  };

  return {
    handlers,
    folders,
    forget: (id) => {
      folders.delete(id);
      offered.delete(id);
    },
    offerFolder: (id, access) => void offered.set(id, access),
  };
}

/** Run a handler and fold its outcome into an IpcResult (what crosses the IPC boundary). */
export async function toIpcResult(handler: IpcHandler, event: IpcEventLike, arg: unknown): Promise<IpcResult<unknown>> {
  try {
    return { ok: true, value: await handler(event, arg) };
  } catch (e) {
    if (e instanceof IpcError) return { ok: false, error: e.toData() };
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: 'io', message } };
  }
}

export interface IpcMainLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle(channel: string, listener: (event: any, ...args: any[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Register every handler on ipcMain (each answers with an IpcResult). Returns an unregister function. */
export function registerIpcHandlers(ipcMain: IpcMainLike, ipc: IpcHandlers): () => void {
  const channels = Object.keys(ipc.handlers) as InvokeChannel[];
  for (const channel of channels) {
    if (!channel.startsWith(CHANNEL_PREFIX)) throw new Error(`channel ${channel} lacks the ${CHANNEL_PREFIX} prefix`);
    const handler = ipc.handlers[channel];
    ipcMain.handle(channel, (event: IpcEventLike, arg: unknown) => toIpcResult(handler, event, arg));
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c));
}
