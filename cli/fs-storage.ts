import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, parse, resolve, sep } from 'node:path';
import type { RunStorage } from '../lab/host.ts';

/** A run folder on disk. Every write is atomic: a temp file in the same folder, then rename. */
export class FsStorage implements RunStorage {
  readonly root: string;
  private tmpCounter = 0;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(rel: string): string {
    const full = resolve(join(this.root, rel));
    if (full !== this.root && !full.startsWith(this.root + sep)) throw new Error(`path escapes the run folder: ${rel}`);
    return full;
  }

  async read(rel: string): Promise<string | null> {
    const f = this.path(rel);
    return existsSync(f) ? readFileSync(f, 'utf8') : null;
  }

  async write(rel: string, data: string | Uint8Array): Promise<void> {
    writeAtomic(this.path(rel), data, this.tmpCounter++);
  }

  async append(rel: string, line: string): Promise<void> {
    appendLine(this.path(rel), line);
  }

  async exists(rel: string): Promise<boolean> {
    return existsSync(this.path(rel));
  }
}

/**
 * mkdir -p, one level at a time. (Node 20's `mkdirSync(…, { recursive: true })` loops forever on
 * some paths, e.g. under /proc; this one fails with the first level it cannot make.)
 */
export function ensureDir(dir: string): void {
  const full = resolve(dir);
  const missing: string[] = [];
  for (let d = full; ; d = dirname(d)) {
    let isDir = false;
    try {
      isDir = statSync(d).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(d);
      if (d === parse(d).root) break;
      continue;
    }
    if (!isDir) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${d}'`), { code: 'ENOTDIR', path: d, syscall: 'mkdir' });
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Write a file atomically (temp file in the same folder, fsync, rename); no temp file is left on failure. */
export function writeAtomic(file: string, data: string | Uint8Array, n = 0): void {
  ensureDir(dirname(file));
  const tmp = `${file}.tmp-${process.pid}-${n}`;
  try {
    writeFileSync(tmp, data);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // it was never made, or is gone already
    }
    throw withPath(e, file);
  }
}

/**
 * Append one line durably. A line torn by an earlier crash (a last line without its newline) is
 * cut off first, so every line of the file stays whole; if this write fails, the file is cut back
 * to its previous length.
 */
export function appendLine(file: string, line: string): void {
  ensureDir(dirname(file));
  const fd = openSync(file, 'a+');
  try {
    let size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        size = wholeLinesLength(fd, size);
        ftruncateSync(fd, size);
      }
    }
    try {
      writeSync(fd, Buffer.from(line + '\n', 'utf8'));
      fsyncSync(fd);
    } catch (e) {
      try {
        ftruncateSync(fd, size);
      } catch {
        // nothing more we can do; the reader drops a torn last line
      }
      throw withPath(e, file);
    }
  } finally {
    closeSync(fd);
  }
}

/** Length of the file up to and including its last newline. */
function wholeLinesLength(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const i = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}


/** An fd-level error (write, fsync: ENOSPC, EIO) carries no path; give it the file's. */
function withPath(e: unknown, file: string): unknown {
  if (e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { path?: unknown }).path !== 'string') {
    try {
      (e as { path?: string }).path = file;
    } catch {
      // a frozen error: report it as it is
    }
  }
  return e;
}
