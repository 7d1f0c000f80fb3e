import * as realFs from 'node:fs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Injected file-system faults (this process may run as root, where permissions and read-only
 * mounts cannot be provoked for real): the CLI's writes fail with EROFS, ENOSPC or EACCES.
 */
const fault: { code: string | null; match: RegExp } = { code: null, match: /$^/ };

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fail = (syscall: string, path: string) =>
    Object.assign(new Error(`${fault.code}: injected, ${syscall} '${path}'`), { code: fault.code, syscall, path, errno: -1 });
  const hit = (p: unknown) => fault.code !== null && typeof p === 'string' && fault.match.test(p);
  const writeFileSync: typeof fs.writeFileSync = (p, data, opts) => {
    if (hit(p)) {
      // a partial write, then the device is full (or read-only, or forbidden)
      fs.writeFileSync(p, typeof data === 'string' ? data.slice(0, 10) : '', opts);
      throw fail('write', p as string);
    }
    return fs.writeFileSync(p, data, opts);
  };
  const mkdirSync = ((p: realFs.PathLike, opts?: realFs.MakeDirectoryOptions) => {
    if (fault.code === 'EROFS' && hit(p)) throw fail('mkdir', p as string);
    return fs.mkdirSync(p, opts);
  }) as typeof fs.mkdirSync;
  return { ...fs, default: { ...fs, writeFileSync, mkdirSync }, writeFileSync, mkdirSync };
});

const { main } = await import('../cli/main.ts');

const tmp = mkdtempSync(join(tmpdir(), 'driftlab-hard-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  fault.code = null;
});

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

async function run(...argv: string[]) {
  const out = sink();
  const err = sink();
  const code = await main(argv, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

describe('write faults', () => {
  for (const [code, target, reason] of [
    ['ENOSPC', /metrics\.jsonl\.tmp-/, 'no space left'],
    ['EACCES', /manifest\.json\.tmp-/, 'permission denied'],
    ['EROFS', /ro-run$/, 'read-only'],
  ] as const) {
    it(`${code}: exit 1, one line naming the path, no temp file left`, async () => {
      const dir = join(tmp, code === 'EROFS' ? 'ro-run' : `run-${code}`);
      fault.code = code;
      fault.match = target;
      const r = await run('run', 'calibration', '--seeds', '1', '--generations', '3', '--out', dir);
      expect(r.code).toBe(1);
      const lines = r.err.trim().split('\n');
      expect(lines.filter((l) => l.startsWith('driftlab: error'))).toHaveLength(1);
      expect(r.err).toContain(reason);
      expect(r.err).toContain(code === 'EROFS' ? dir : join(dir, code === 'ENOSPC' ? 'metrics.jsonl' : 'manifest.json'));
      expect(r.err).not.toMatch(/\n\s+at /);
      const left = realFs.existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
      expect(left.filter((f) => f.includes('.tmp-'))).toEqual([]);
    });
  }
});
