/**
 * IPC handlers of the main process as plain functions.
 *
 * Every handler first checks its sender (the top-level frame of the app's own page: the packaged
 * file:// page or the dev server given at start-up), then its argument (zod; errors name the
 * field), then acts. Run-folder file access goes through RunFolderAccess, which refuses any path
 * that could leave the folder the user chose ('..', absolute paths, backslashes, symlinks that
 * point outside). Dialogs and app facts are injected, so tests run these without Electron.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import {
  CHANNEL_PREFIX,
  Channels,
  type AppInfo,
  type InvokeChannel,
  type IpcErrorData,
  type IpcResult,
  type RunFileEntry,
  type RunFolderInfo,
  type SaveExportResult,
} from '../shared/api.ts';

// ---------------------------------------------------------------------------------------------
// errors

export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorData['code'],
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
  toData(): IpcErrorData {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, field: this.field, message: this.message };
  }
}

// ---------------------------------------------------------------------------------------------
// sender validation

/** The parts of Electron's IpcMainInvokeEvent the handlers use. */
export interface IpcEventLike {
  senderFrame: { url: string; parent?: unknown } | null;
  sender: { id: number };
}

export interface SenderPolicy {
  /** URL of the app's page: driftlab://app/index.html (or a file:// URL, e.g. file:///opt/Driftlab/resources/app.asar/dist/renderer/index.html) */
  appPageUrl: string;
  /** dev server URL (development only), e.g. http://localhost:5173/ */
  devServerUrl?: string | null;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when `url` is the app's own page: the exact file:// page, or the dev server's origin. */
export function isAllowedSenderUrl(url: string, policy: SenderPolicy): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  const app = parseUrl(policy.appPageUrl);
  if (app && app.protocol === 'file:' && u.protocol === 'file:') {
    return u.host === app.host && decodeURIComponent(u.pathname) === decodeURIComponent(app.pathname);
  }
  // the app's own scheme (driftlab://app/index.html): same scheme, host and page
  if (app && app.protocol !== 'file:' && app.protocol !== 'http:' && app.protocol !== 'https:' && u.protocol === app.protocol) {
    return u.host === app.host && u.pathname === app.pathname;
  }
  if (policy.devServerUrl) {
    const dev = parseUrl(policy.devServerUrl);
    if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && u.origin === dev.origin) return true;
  }
  return false;
}

/** Throws IpcError('sender') unless the event comes from the app's own top-level page. */
export function checkSender(event: IpcEventLike, policy: SenderPolicy): void {
  const frame = event?.senderFrame;
  if (!frame || typeof frame.url !== 'string') throw new IpcError('sender', 'IPC refused: the sending frame is gone');
  if (frame.parent !== undefined && frame.parent !== null) {
    throw new IpcError('sender', `IPC refused: sub-frames may not call the app API (${frame.url})`);
  }
  if (!isAllowedSenderUrl(frame.url, policy)) {
    throw new IpcError('sender', `IPC refused: sender ${frame.url} is not the app page`);
  }
}

// ---------------------------------------------------------------------------------------------
// atomic file writes

let tempCounter = 0;

/**
 * Write a file atomically: a temp file in the same folder, fsync, then rename over the target.
 * `verify` (optional) sees the opened temp file before any data is written into it.
 */
export async function atomicWriteFile(file: string, data: string | Uint8Array, verify?: (fh: FileHandle, tmp: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  const fh = await fsp.open(tmp, 'wx');
  try {
    if (verify) await verify(fh, tmp);
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

const TEMP_FILE = /^\..*\.\d+\.\d+\.tmp$/;

// ---------------------------------------------------------------------------------------------
// run folder access

export const MAX_PATH_LENGTH = 1024;
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_LIST_ENTRIES = 20_000;

/**
 * Validate a run-relative path ("metrics.jsonl", "checkpoints/g3/model.json") and return its
 * segments. Throws IpcError('path', ..., field) for anything that could escape the folder.
 */
export function checkRelativePath(rel: unknown, field = 'path'): string[] {
  if (typeof rel !== 'string') throw new IpcError('path', `${field}: must be a string`, field);
  if (rel.length === 0) throw new IpcError('path', `${field}: must not be empty`, field);
  if (rel.length > MAX_PATH_LENGTH) throw new IpcError('path', `${field}: longer than ${MAX_PATH_LENGTH} characters`, field);
  if (rel.includes('\0')) throw new IpcError('path', `${field}: contains a NUL character`, field);
  if (rel.includes('\\')) throw new IpcError('path', `${field}: use '/' as the separator, not '\\' (${rel})`, field);
  if (rel.startsWith('/') || /^[a-zA-Z]:/.test(rel)) {
    throw new IpcError('path', `${field}: must be relative to the run folder, not absolute (${rel})`, field);
  }
  const segments = rel.split('/');
  for (const s of segments) {
    if (s === '') throw new IpcError('path', `${field}: has an empty segment (${rel})`, field);
    if (s === '..') throw new IpcError('path', `${field}: '..' would leave the run folder (${rel})`, field);
    if (s === '.') throw new IpcError('path', `${field}: '.' segments are not allowed (${rel})`, field);
    if (s.length > 255) throw new IpcError('path', `${field}: a segment is longer than 255 characters`, field);
  }
  return segments;
}

function isInside(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Test seams: run between a path's check and its use (to reproduce a folder swapped for a symlink). */
export interface RunFolderHooks {
  afterResolve?(full: string): Promise<void>;
}

/**
 * File access inside one run folder. Every operation checks the path, then opens the file, then
 * verifies the *opened* file (open-then-verify): its real path must lie inside the folder and be
 * the very file opened (device and inode), so a folder swapped for a symlink between the check and
 * the use cannot lead outside.
 */
export class RunFolderAccess {
  private constructor(
    /** real (symlink-free) absolute path of the run folder */
    readonly root: string,
    private readonly hooks: RunFolderHooks = {},
  ) {}

  static async open(dir: string, hooks?: RunFolderHooks): Promise<RunFolderAccess> {
    if (typeof dir !== 'string' || !path.isAbsolute(dir)) {
      throw new IpcError('path', `run folder must be an absolute path (${String(dir)})`, 'folder');
    }
    let real: string;
    try {
      real = await fsp.realpath(dir);
    } catch {
      throw new IpcError('path', `run folder ${dir} does not exist`, 'folder');
    }
    const st = await fsp.stat(real);
    if (!st.isDirectory()) throw new IpcError('path', `run folder ${dir} is not a folder`, 'folder');
    return new RunFolderAccess(real, hooks);
  }

  /** The check after the open: `fh` (opened at `full`) is a file inside the folder. */
  private async verifyOpened(fh: FileHandle, full: string, rel: string, field = 'path'): Promise<import('node:fs').Stats> {
    const st = await fh.stat();
    const real = await fsp.realpath(full).catch(() => null);
    if (real === null) throw new IpcError('path', `${field}: ${rel} changed while it was being opened`, field);
    if (!isInside(real, this.root) || real === this.root) {
      throw new IpcError('path', `${field}: ${rel} leads outside the run folder`, field);
    }
    const again = await fsp.stat(real);
    if (again.ino !== st.ino || again.dev !== st.dev) {
      throw new IpcError('path', `${field}: ${rel} changed while it was being opened`, field);
    }
    return st;
  }

  /** resolve + the test seam */
  private async checked(rel: unknown, field = 'path'): Promise<string> {
    const full = await this.resolve(rel, field);
    await this.hooks.afterResolve?.(full);
    return full;
  }

  get name(): string {
    return path.basename(this.root);
  }

  /**
   * Absolute path of `rel` inside the folder. Every existing component is checked: a symlink is
   * followed only to see that its target stays inside the folder.
   */
  async resolve(rel: unknown, field = 'path'): Promise<string> {
    const segments = checkRelativePath(rel, field);
    let current = this.root;
    for (const seg of segments) {
      current = path.join(current, seg);
      let st;
      try {
        st = await fsp.lstat(current);
      } catch (e) {
        if (errCode(e) === 'ENOENT') break; // the rest does not exist yet: nothing to follow
        throw e;
      }
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = await fsp.realpath(current);
        } catch {
          throw new IpcError('path', `${field}: ${String(rel)} is a broken symlink`, field);
        }
        if (!isInside(target, this.root)) {
          throw new IpcError('path', `${field}: ${String(rel)} leads outside the run folder through a symlink`, field);
        }
      }
    }
    const full = path.join(this.root, ...segments);
    if (!isInside(full, this.root) || full === this.root) {
      throw new IpcError('path', `${field}: ${String(rel)} is not a file inside the run folder`, field);
    }
    return full;
  }

  /** Files under `dir` (default: the whole folder), relative paths with '/', sorted. */
  async list(dir?: string): Promise<RunFileEntry[]> {
    const start = dir === undefined || dir === '' ? this.root : await this.checked(dir, 'dir');
    const out: RunFileEntry[] = [];
    const walk = async (abs: string): Promise<void> => {
      let entries;
      try {
        entries = await fsp.readdir(abs, { withFileTypes: true });
      } catch (e) {
        if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return;
        throw e;
      }
      // read, then verify: the folder just listed is still inside the run folder
      const real = await fsp.realpath(abs).catch(() => null);
      if (real === null || !isInside(real, this.root)) {
        throw new IpcError('path', `dir: ${path.relative(this.root, abs) || '.'} leads outside the run folder`, 'dir');
      }
      for (const ent of entries) {
        if (out.length >= MAX_LIST_ENTRIES) return;
        const child = path.join(abs, ent.name);
        if (ent.isDirectory()) await walk(child);
        else if (ent.isFile() && !TEMP_FILE.test(ent.name)) {
          const st = await fsp.lstat(child).catch(() => null);
          if (st?.isFile()) out.push({ path: path.relative(this.root, child).split(path.sep).join('/'), size: st.size });
        }
        // symlinks are not listed: they may point anywhere
      }
    };
    await walk(start);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** File contents, or null when the file does not exist. */
  async read(rel: string): Promise<Uint8Array | null> {
    const full = await this.checked(rel);
    let fh: FileHandle;
    try {
      fh = await fsp.open(full, 'r');
    } catch (e) {
      if (errCode(e) === 'ENOENT') return null;
      if (errCode(e) === 'EISDIR') throw new IpcError('path', `path: ${rel} is not a file`, 'path');
      throw e;
    }
    try {
      const st = await this.verifyOpened(fh, full, rel);
      if (!st.isFile()) throw new IpcError('path', `path: ${rel} is not a file`, 'path');
      if (st.size > MAX_FILE_BYTES) throw new IpcError('io', `path: ${rel} is larger than ${MAX_FILE_BYTES} bytes`, 'path');
      return new Uint8Array(await fh.readFile());
    } finally {
      await fh.close();
    }
  }

  async readText(rel: string): Promise<string | null> {
    const bytes = await this.read(rel);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }

  /** Atomic write (temp file + rename); creates missing parent folders. */
  async write(rel: string, data: string | Uint8Array): Promise<void> {
    const full = await this.resolve(rel);
    await fsp.mkdir(path.dirname(full), { recursive: true });
    await this.checked(rel);
    let ino = -1;
    // the temp file is verified before any data goes into it, the final file after the rename
    await atomicWriteFile(full, data, async (fh, tmp) => {
      ino = (await this.verifyOpened(fh, tmp, rel)).ino;
    });
    const real = await fsp.realpath(full).catch(() => null);
    const st = real === null ? null : await fsp.stat(real);
    if (real === null || !isInside(real, this.root) || st?.ino !== ino) {
      throw new IpcError('path', `path: ${rel} changed while it was being written`, 'path');
    }
  }

  /** Append one line (a '\n' is added) and fsync. */
  async append(rel: string, line: string): Promise<void> {
    const full = await this.resolve(rel);
    await fsp.mkdir(path.dirname(full), { recursive: true });
    await this.checked(rel);
    const fh = await fsp.open(full, 'a');
    try {
      const st = await this.verifyOpened(fh, full, rel);
      if (!st.isFile()) throw new IpcError('path', `path: ${rel} is not a file`, 'path');
      await fh.writeFile(line + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async exists(rel: string): Promise<boolean> {
    const full = await this.checked(rel);
    let fh: FileHandle;
    try {
      fh = await fsp.open(full, 'r');
    } catch (e) {
      if (errCode(e) === 'ENOENT') return false;
      if (errCode(e) === 'EISDIR') return true;
      throw e;
    }
    try {
      await this.verifyOpened(fh, full, rel);
      return true;
    } finally {
      await fh.close();
    }
  }
}

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

/** The Content-Security-Policy of the app page (also set as a meta tag in renderer/index.html). */
export function contentSecurityPolicy(devServerUrl?: string | null): string {
  const dev = devServerUrl ? parseUrl(devServerUrl) : null;
  const connect = ["'self'", 'data:', 'blob:'];
  if (dev) connect.push(dev.origin, `ws://${dev.host}`);
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
