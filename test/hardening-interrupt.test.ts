import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { assertReplaceable, main } from '../cli/main.ts';
import { runFolderName } from '../lab/run-record.ts';
import { runCli, sink, tinyDuel } from './cli-harness.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tmp = mkdtempSync(join(tmpdir(), 'driftlab-hard-int-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = runCli;

const tiny = tinyDuel('tiny-int', 4, { expectations: [] });
const tinyFile = join(tmp, 'tiny.json');
writeFileSync(tinyFile, JSON.stringify(tiny));
const calib = { name: 'calib-small', kind: 'calibration', seeds: [1, 2], generations: 5, calibration: { sampleSizes: [10] } };
const calibFile = join(tmp, 'calib.json');
writeFileSync(calibFile, JSON.stringify(calib));

/** Run the real CLI in a child process; send SIGINT once stderr shows `when`. */
function runAndInterrupt(args: string[], when: RegExp): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/driftlab.mjs'), ...args], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      err += d.toString();
      if (!sent && when.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, err }));
  });
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);

describe('Ctrl-C', () => {
  it('stops a running CLI and its worker threads at the next unit of work; --resume then gives the uninterrupted result', async () => {
    const ref = join(tmp, 'ref2');
    expect((await run('run', tinyFile, '--seeds', '3,4', '--workers', '2', '--out', ref)).code).toBe(0);
    const want = readFileSync(join(ref, 'metrics.jsonl'), 'utf8');
    const dir = join(tmp, 'int2');
    const r = await runAndInterrupt(['run', tinyFile, '--seeds', '3,4', '--workers', '2', '--out', dir], /gen {2}1 recursive/);
    expect(r.code).toBe(130);
    expect(r.err).toContain('stopping after the current step');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    const parts = ['parts/metrics-s3.jsonl', 'parts/metrics-s4.jsonl'].map((p) => (existsSync(join(dir, p)) ? lines(join(dir, p)).length : 0));
    // stopped long before the end (2 seeds × 5 generations × 2 lineages)
    expect(parts[0] + parts[1]).toBeLessThan(20);
    const res = await run('run', tinyFile, '--seeds', '3,4', '--workers', '2', '--out', dir, '--resume');
    expect(res.code).toBe(0);
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toBe(want);
  });

  it('after the first Ctrl-C the default action is back, so a second one ends the process at once', async () => {
    const before = process.listenerCount('SIGINT');
    const err = sink();
    const dir = join(tmp, 'int3');
    const p = main(['run', tinyFile, '--out', dir], sink().stream, err.stream);
    while (process.listenerCount('SIGINT') === before) await new Promise((r) => setTimeout(r, 20));
    process.emit('SIGINT');
    // the handler removed itself: the next SIGINT meets no listener (Node's default: terminate)
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(await p).toBe(130);
    expect(err.text()).toContain('Ctrl-C again to stop at once');
  });
});

describe('--force and run folder names', () => {
  it('refuses preset names that are not safe, with exit 2 and nothing written', async () => {
    for (const name of ['..', '../../escaped', 'a/b', 'a\\b', 'nul\u0000here', '.', '...', '--']) {
      const f = join(tmp, 'badname.json');
      writeFileSync(f, JSON.stringify({ ...calib, name }));
      const r = await run('run', f);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^driftlab: error: name: /);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(tmp, 'escaped'))).toBe(false);
    expect(existsSync(join(process.cwd(), 'runs', '..'))).toBe(true); // untouched parent of runs/
  });

  it('turns names into slugs that stay inside runs/', () => {
    expect(runFolderName('Calibration Run #2')).toBe('calibration-run-2');
    expect(runFolderName('a..b')).toBe('a.b');
    expect(runFolderName('.hidden')).toBe('hidden');
    expect(runFolderName('日本')).toBe('run');
    for (const n of ['..', '../x', 'a/../../b', 'x\u0000y']) expect(runFolderName(n)).toMatch(/^[a-z0-9][a-z0-9._-]*$|^run$/);
  });

  it('replaces only a folder that holds a Driftlab run manifest', async () => {
    const other = join(tmp, 'precious');
    mkdirSync(other);
    writeFileSync(join(other, 'thesis.tex'), 'years of work');
    const r = await run('run', calibFile, '--out', other, '--force');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no Driftlab run manifest');
    expect(readFileSync(join(other, 'thesis.tex'), 'utf8')).toBe('years of work');

    const fake = join(tmp, 'fake');
    mkdirSync(fake);
    writeFileSync(join(fake, 'manifest.json'), JSON.stringify({ format: 'something-else' }));
    expect((await run('run', calibFile, '--out', fake, '--force')).code).toBe(2);
    expect(existsSync(join(fake, 'manifest.json'))).toBe(true);

    const runDir = join(tmp, 'calib-run');
    expect((await run('run', calibFile, '--out', runDir)).code).toBe(0);
    writeFileSync(join(runDir, 'stray.txt'), 'x');
    expect((await run('run', calibFile, '--out', runDir)).code).toBe(2);
    const f = await run('run', calibFile, '--out', runDir, '--force');
    expect(f.code).toBe(0);
    expect(existsSync(join(runDir, 'stray.txt'))).toBe(false);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
  });

  it('never replaces the root, the home folder, the current folder or its ancestors', () => {
    // called directly: a regression here must not be able to delete anything
    expect(() => assertReplaceable('/')).toThrow(/root/);
    expect(() => assertReplaceable(homedir())).toThrow(/home|current/);
    expect(() => assertReplaceable(process.cwd())).toThrow(/current folder/);
    expect(() => assertReplaceable(dirname(process.cwd()))).toThrow(/current folder|home|root/);
  });
});
