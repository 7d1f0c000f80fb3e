/**
 * The run folder on disk for the main process: atomic file writes (temp file, fsync, rename) and
 * RunFolderAccess, file access inside the one folder the user chose, which refuses any path that
 * could leave it ('..', absolute paths, backslashes, symlinks that point outside) and verifies each
 * opened file (open-then-verify) so a folder swapped for a symlink cannot lead outside.
 * Errors are IpcErrors (electron/ipc-guard.ts) that name the field.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunFileEntry } from '../shared/api.ts';
import { IpcError } from './ipc-guard.ts';

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

