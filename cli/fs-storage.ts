import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
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
    const f = this.path(rel);
    mkdirSync(dirname(f), { recursive: true });
    appendFileSync(f, line + '\n');
  }

  async exists(rel: string): Promise<boolean> {
    return existsSync(this.path(rel));
  }
}

export function writeAtomic(file: string, data: string | Uint8Array, n = 0): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${n}`;
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
