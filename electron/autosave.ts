/**
 * The desktop app's autosave of the current run: a real run folder on disk (the same files Save
 * run writes, so `driftlab report` or Open run can read it), `<userData>/autosave/current`, plus
 * `autosave.json` (when, which run, how many generations, the file list). The web page keeps the
 * same record in IndexedDB (renderer/autosave.ts).
 *
 * A save never damages the previous one: the new folder is written and synced under `next/`, then
 * swapped in by two renames (current → previous, next → current) and the old one removed. A crash
 * at any point leaves `current` or `previous` whole; `load` takes the first that is complete.
 * Saves are serialized. Paths are checked like every run-folder path (checkRelativePath).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { AutosaveChannels, type AutosaveChannel, type AutosavedRun } from '../shared/api.ts';
import { toIpcResult, type IpcHandler, type IpcMainLike } from './ipc.ts';
import { checkSender, IpcError, type IpcEventLike, type SenderPolicy } from './ipc-guard.ts';
import { checkRelativePath, MAX_FILE_BYTES, MAX_PATH_LENGTH } from './run-folder.ts';

export const AUTOSAVE_RECORD = 'autosave.json';
/** all files of one autosave together */
export const MAX_AUTOSAVE_BYTES = 1024 * 1024 * 1024;

interface Record_ {
  format: 'driftlab-autosave';
  savedAt: string;
  name: string;
  generations: number;
  files: string[];
}

const recordSchema = z
  .object({
    format: z.literal('driftlab-autosave'),
    savedAt: z.string(),
    name: z.string(),
    generations: z.number().int().min(0),
    files: z.array(z.string()),
  })
  .strict();

const runSchema = z
  .object({
    savedAt: z.string().max(100),
    name: z.string().max(200),
    generations: z.number().int().min(0).max(1_000_000),
    files: z.array(z.tuple([z.string().min(1).max(MAX_PATH_LENGTH), z.string()])).max(100_000),
  })
  .strict();

/** Check an autosave request: every path a plain relative path, no duplicates, no reserved name, sizes bounded. */
export function parseAutosave(arg: unknown): AutosavedRun {
  const r = runSchema.safeParse(arg);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : '(argument)';
    throw new IpcError('args', `${AutosaveChannels.save}: ${field}: ${issue.message}`, field);
  }
  const seen = new Set<string>();
  let total = 0;
  r.data.files.forEach(([p, text], i) => {
    checkRelativePath(p, `files.${i}.0`);
    if (p === AUTOSAVE_RECORD) throw new IpcError('args', `files.${i}.0: ${AUTOSAVE_RECORD} is the autosave's own record`, `files.${i}.0`);
    if (seen.has(p)) throw new IpcError('args', `files.${i}.0: ${p} appears twice`, `files.${i}.0`);
    seen.add(p);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_FILE_BYTES) throw new IpcError('args', `files.${i}.1: ${p} is larger than ${MAX_FILE_BYTES} bytes`, `files.${i}.1`);
    total += bytes;
  });
  if (total > MAX_AUTOSAVE_BYTES) throw new IpcError('args', `files: the run is larger than ${MAX_AUTOSAVE_BYTES} bytes`, 'files');
  return r.data;
}

async function writeSynced(file: string, data: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const fh = await fsp.open(file, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function exists(p: string): Promise<boolean> {
  return fsp.lstat(p).then(
    () => true,
    () => false,
  );
}

/** The autosave slot under `root` (e.g. `<userData>/autosave`). */
export class AutosaveFolder {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly root: string) {}

  /** the run folder of the newest complete autosave */
  get current(): string {
    return path.join(this.root, 'current');
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Replace the autosave with `run` (already checked by parseAutosave). */
  save(run: AutosavedRun): Promise<void> {
    return this.serial(async () => {
      const next = path.join(this.root, 'next');
      const previous = path.join(this.root, 'previous');
      // a crash between the two renames left only `previous`: it is the autosave until replaced
      if (!(await exists(this.current)) && (await exists(previous))) await fsp.rename(previous, this.current);
      await fsp.rm(next, { recursive: true, force: true });
      await fsp.mkdir(next, { recursive: true });
      for (const [rel, text] of run.files) await writeSynced(path.join(next, ...rel.split('/')), text);
      const record: Record_ = { format: 'driftlab-autosave', savedAt: run.savedAt, name: run.name, generations: run.generations, files: run.files.map(([p]) => p) };
      await writeSynced(path.join(next, AUTOSAVE_RECORD), `${JSON.stringify(record, null, 2)}\n`);
      await fsp.rm(previous, { recursive: true, force: true });
      if (await exists(this.current)) await fsp.rename(this.current, previous);
      await fsp.rename(next, this.current);
      await fsp.rm(previous, { recursive: true, force: true });
    });
  }

  /** The newest complete autosave, or null (none, or nothing readable). */
  load(): Promise<AutosavedRun | null> {
    return this.serial(async () => {
      for (const dir of [this.current, path.join(this.root, 'previous')]) {
        const run = await readRun(dir);
        if (run) return run;
      }
      return null;
    });
  }

  /** Forget the autosave (the user dismissed it). */
  clear(): Promise<void> {
    return this.serial(async () => {
      for (const d of ['next', 'current', 'previous']) await fsp.rm(path.join(this.root, d), { recursive: true, force: true });
    });
  }
}

/** A whole autosave folder, or null when its record or any file it lists is missing or unreadable. */
async function readRun(dir: string): Promise<AutosavedRun | null> {
  let record: Record_;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(await fsp.readFile(path.join(dir, AUTOSAVE_RECORD), 'utf8')));
    if (!parsed.success) return null;
    record = parsed.data;
  } catch {
    return null;
  }
  const files: [string, string][] = [];
  for (const rel of record.files) {
    try {
      checkRelativePath(rel);
      const full = path.join(dir, ...rel.split('/'));
      if (!(await fsp.lstat(full)).isFile()) return null; // a symlink or folder is not something we wrote
      files.push([rel, await fsp.readFile(full, 'utf8')]);
    } catch {
      return null;
    }
  }
  return { savedAt: record.savedAt, name: record.name, generations: record.generations, files };
}

/** The autosave's IPC handlers: the sender is checked like every other handler's, then the argument. */
export function createAutosaveHandlers(folder: AutosaveFolder, policy: SenderPolicy): Record<AutosaveChannel, IpcHandler> {
  const none = (channel: string, arg: unknown) => {
    if (arg !== undefined) throw new IpcError('args', `${channel}: (argument): Expected undefined, received ${typeof arg}`, '(argument)');
  };
  return {
    [AutosaveChannels.save]: async (event: IpcEventLike, arg?: unknown) => {
      checkSender(event, policy);
      await folder.save(parseAutosave(arg));
      return undefined;
    },
    [AutosaveChannels.load]: async (event: IpcEventLike, arg?: unknown) => {
      checkSender(event, policy);
      none(AutosaveChannels.load, arg);
      return folder.load();
    },
    [AutosaveChannels.clear]: async (event: IpcEventLike, arg?: unknown) => {
      checkSender(event, policy);
      none(AutosaveChannels.clear, arg);
      await folder.clear();
      return undefined;
    },
  };
}

/** Register the autosave handlers on ipcMain (each answers with an IpcResult). */
export function registerAutosaveHandlers(ipcMain: IpcMainLike, handlers: Record<AutosaveChannel, IpcHandler>): void {
  for (const [channel, handler] of Object.entries(handlers)) ipcMain.handle(channel, (event: IpcEventLike, arg: unknown) => toIpcResult(handler, event, arg));
}
