import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLine } from '../cli/fs-storage.ts';
import { maxOf, minOf, pushAll } from '../sim/arrays.ts';
import { reportCharts } from '../lab/charts.ts';
import { renderSummaryMarkdown } from '../lab/report.ts';
import { contentHash, metricsLines, seal, sha256, unseal } from '../lab/run-record.ts';
import type { CalibrationRow } from '../lab/types.ts';
import { runCli, tinyDuel } from './cli-harness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'driftlab-hard-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = runCli;

/** Every file below `dir` (relative paths). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** One line on stderr, no stack trace. */
function oneCleanLine(err: string) {
  expect(err.trim().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at |\bat .*\.ts:\d+/);
}

const calib = { name: 'calib-f', kind: 'calibration', seeds: [1, 2], generations: 4, calibration: { sampleSizes: [10] } };

describe('bad presets: exit 2, one line naming the field, nothing written', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['fits of the wrong type', { ...calib, calibration: { fits: 'mle' } }, /calibration\.fits/],
    ['families of the wrong type', { ...calib, calibration: { families: 'gaussian' } }, /calibration\.families/],
    ['fits null', { ...calib, calibration: { fits: null } }, /calibration\.fits/],
    ['families empty', { ...calib, calibration: { families: [] } }, /calibration\.families/],
    ['an unknown calibration key', { ...calib, calibration: { sampleSize: [10] } }, /calibration\.sampleSize: is not a known field/],
    ['deep nesting in calibration', { ...calib, calibration: { categorical: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) } }, /calibration\.categorical/],
    ['an unknown expectation metric', { ...calib, expectations: [{ kind: 'trend', lineage: 'categorical/replace/M=10', metric: 'suport', direction: 'down' }] }, /expectations\[0\]\.metric/],
    ['an unknown calibration lineage', { ...calib, expectations: [{ kind: 'trend', lineage: 'gaussian/mle/replace/M=99', metric: 'variance', direction: 'down' }] }, /expectations\[0\]\.lineage/],
    ['a name with NUL', { ...calib, name: 'a\u0000b' }, /^driftlab: error: name/],
    ['too many rows', { ...calib, seeds: Array.from({ length: 1000 }, (_, i) => i), generations: 10000 }, /generations: .* rows/],
    [
      'a bad scenario parameter',
      { name: 'p', scenario: 'duel', seeds: [1], generations: 1, scenarioParams: { windMax: 1e9 }, lineages: [{ name: 'grounded', recipe: 'grounded' }] },
      /scenarioParams\.windMax/,
    ],
    [
      'an unknown physics metric',
      { name: 'p', scenario: 'duel', seeds: [1], generations: 1, lineages: [{ name: 'grounded', recipe: 'grounded' }], expectations: [{ kind: 'trend', lineage: 'grounded', metric: 'winrate', direction: 'up' }] },
      /expectations\[0\]\.metric/,
    ],
  ];
  for (const [what, preset, field] of cases) {
    it(what, async () => {
      const f = join(tmp, 'bad.json');
      writeFileSync(f, JSON.stringify(preset));
      const out = join(tmp, 'never');
      const r = await run('run', f, '--out', out);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(field);
      oneCleanLine(r.err);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('bounds what it reads: /dev/zero, a folder, a huge file', async () => {
    for (const target of ['/dev/zero', tmp]) {
      const r = await run('run', target, '--out', join(tmp, 'never'));
      expect(r.code).toBe(2);
      expect(r.err).toContain('not a regular file');
    }
    const huge = join(tmp, 'huge.json');
    writeFileSync(huge, ' '.repeat(2 << 20) + '{}');
    expect((await run('run', huge, '--out', join(tmp, 'never'))).err).toMatch(/bytes/);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('refuses control characters in arguments and merges into a file', async () => {
    const r = await run('run', 'calibration', '--out', 'x\u0000y');
    expect(r.code).toBe(2);
    oneCleanLine(r.err);
    const file = join(tmp, 'afile');
    writeFileSync(file, 'x');
    const m = await run('merge', file, join(tmp, 'a'), join(tmp, 'b'));
    expect(m.code).toBe(2);
    expect(m.err).toContain('is a file');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('I/O faults: exit 1, one line naming the path, no temp file left', () => {
  it('an over-long path segment (ENAMETOOLONG)', async () => {
    const out = join(tmp, 'n'.repeat(300));
    const r = await run('run', 'calibration', '--seeds', '1', '--generations', '2', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('ENAMETOOLONG');
    expect(r.err).toContain('nnnnnnnn');
    oneCleanLine(r.err);
  });

  it('a folder that cannot be made (under a file: ENOTDIR; under /proc: no endless loop)', async () => {
    const file = join(tmp, 'plain');
    writeFileSync(file, '');
    const r = await run('run', 'calibration', '--seeds', '1', '--generations', '2', '--out', join(file, 'sub'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(file);
    oneCleanLine(r.err);
    if (existsSync('/proc/self')) {
      const p = await run('run', 'calibration', '--seeds', '1', '--generations', '2', '--out', '/proc/driftlab-x/y');
      expect(p.code).toBe(1);
      expect(p.err).toContain('/proc/driftlab-x');
    }
  });

  it('a write that fails part way leaves no temp file and no torn line', async () => {
    const dir = join(tmp, 'io');
    mkdirSync(dir);
    const f = join(dir, 'metrics.jsonl');
    appendLine(f, '{"a":1}');
    appendFileSync(f, '{"a":2'); // torn by a crash
    appendLine(f, '{"a":3}');
    expect(readFileSync(f, 'utf8')).toBe('{"a":1}\n{"a":3}\n');
    expect(tree(dir)).toEqual(['metrics.jsonl']);
  });
});

describe('no data-sized spreads', () => {
  it('maxOf/minOf/pushAll handle a million items like Math.max/min/push', () => {
    const xs = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(maxOf(xs)).toBe(xs.reduce((a, b) => Math.max(a, b)));
    expect(minOf(xs)).toBe(xs.reduce((a, b) => Math.min(a, b)));
    expect(maxOf([])).toBe(-Infinity);
    expect(maxOf([1, NaN])).toBeNaN();
    expect(pushAll([0], xs)).toHaveLength(1_000_001);
  });

  it('charts and the summary take 400,000 calibration rows', () => {
    const rows: CalibrationRow[] = [];
    for (let seed = 0; seed < 2000; seed++)
      for (let g = 0; g <= 99; g++) {
        rows.push({ kind: 'calibration', experiment: 'c', lineage: 'gaussian/mle/replace/M=10', generation: g, seed, mean: 0, variance: 0.9 ** g, theoryVariance: 0.9 ** g, distance: 1 - 0.9 ** g });
        rows.push({ kind: 'calibration', experiment: 'c', lineage: 'categorical/replace/M=10', generation: g, seed, probs: [0.5, 0.5], support: 2, theorySupport: 2, distance: 0 });
      }
    expect(rows.length).toBe(400_000);
    expect(reportCharts(rows).length).toBeGreaterThan(0);
    const md = renderSummaryMarkdown({ name: 'c', scenario: 'calibration', description: '', lineages: [], seeds: [0], generations: 99 }, rows as never, []);
    expect(md).toContain('c');
  });
});

describe('run-folder records', () => {
  it('sha256 agrees with the Web Crypto digest', async () => {
    for (const s of ['', 'abc', 'x'.repeat(1000), 'é日本\n']) expect(sha256(s)).toBe(await contentHash(s));
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('a sealed record refuses any change; a torn last metrics line is dropped, others refused', async () => {
    const text = await seal({ generation: 2, games: [] });
    expect((await unseal<{ generation: number }>(text, 'state/s1.json')).generation).toBe(2);
    await expect(unseal(text.replace('"generation":2', '"generation":9'), 'state/s1.json')).rejects.toThrow(/state\/s1\.json: does not match/);
    await expect(unseal(text.slice(0, 20), 'state/s1.json')).rejects.toThrow(/not valid JSON/);
    expect(metricsLines('{"seed":1}\n{"seed":2}\n{"se').lines).toHaveLength(2);
    expect(metricsLines('{"seed":1}\n{"se').torn).toBe(true);
    expect(() => metricsLines('{"seed":1}\n{"se\n{"seed":2}\n')).toThrow(/metrics\.jsonl:2/);
    expect(() => metricsLines('null\n')).toThrow(/metrics\.jsonl:1: is not a metrics row/);
  });
});

describe('a damaged run folder is refused, naming the file', () => {
  const tiny = tinyDuel('tiny-f', 2, { expectations: [] });

  const tinyFile = join(tmp, 'tiny.json');
  const base = join(tmp, 'base');
  let want = '';
  beforeAll(async () => {
    writeFileSync(tinyFile, JSON.stringify(tiny));
    expect((await run('run', tinyFile, '--out', base)).code).toBe(0);
    want = readFileSync(join(base, 'metrics.jsonl'), 'utf8');
  });
  let n = 0;
  const copy = () => {
    const d = join(tmp, `copy${n++}`);
    cpSync(base, d, { recursive: true });
    rmSync(join(d, 'parts'), { recursive: true, force: true });
    return d;
  };
  const damages: [string, (d: string) => void, string][] = [
    ['one flipped character in a checkpoint', (d) => {
      const f = join(d, 'checkpoints/s3/grounded/g2.json');
      const s = readFileSync(f, 'utf8');
      const i = s.length >> 1;
      writeFileSync(f, s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1));
    }, 'checkpoints/s3/grounded/g2.json'],
    ['a deleted checkpoint', (d) => unlinkSync(join(d, 'checkpoints/s3/recursive/g1.json')), 'checkpoints/s3/recursive/g1.json: is missing'],
    ['a checkpoint of another shape', (d) => cpSync(join(d, 'checkpoints/s3/g0.json'), join(d, 'checkpoints/s3/grounded/g1.json')), 'checkpoints/s3/grounded/g1.json'],
    ['a truncated D0', (d) => truncateSync(join(d, 'samples/s3/d0.json'), 50), 'samples/s3/d0.json'],
    ['a truncated state', (d) => truncateSync(join(d, 'state/s3.json'), 50), 'state/s3.json'],
    ['a state claiming generation 99', (d) => {
      const f = join(d, 'state/s3.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace('"generation":2', '"generation":99'));
    }, 'state/s3.json'],
    ['a deleted metrics.jsonl', (d) => unlinkSync(join(d, 'metrics.jsonl')), 'metrics.jsonl: has 0 rows of seed 3'],
    ['a null row', (d) => {
      const f = join(d, 'metrics.jsonl');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/^[^\n]*/, 'null'));
    }, 'metrics.jsonl:1'],
  ];
  for (const [what, damage, named] of damages) {
    it(`${what}: report and check refuse it`, async () => {
      const d = copy();
      damage(d);
      for (const cmd of ['report', 'check']) {
        const r = await run(cmd, d);
        expect(r.code).toBe(2);
        expect(r.err).toContain(join(d, named.split(':')[0]));
        expect(r.err).toContain(named);
        oneCleanLine(r.err);
      }
    });
  }

  it('resume refuses a damaged folder (checkpoint, metrics) and merge refuses to use one', async () => {
    const d = copy();
    damages[0][1](d);
    const r = await run('run', tinyFile, '--out', d, '--resume');
    expect(r.code).toBe(2);
    expect(r.err).toContain(join(d, 'checkpoints/s3/grounded/g2.json'));
    // progress lines come first; then the one error line
    expect(r.err.trim().split('\n').filter((l) => l.startsWith('driftlab: error'))).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    const e = copy();
    damages[6][1](e);
    const r2 = await run('run', tinyFile, '--out', e, '--resume');
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('metrics.jsonl');
    const m = await run('merge', join(tmp, 'merged'), d, base);
    expect(m.code).toBe(2);
    expect(existsSync(join(tmp, 'merged'))).toBe(false);
  });

  it('a torn line left by a crash mid-append is dropped; resume gives the same metrics', async () => {
    const d = copy();
    appendFileSync(join(d, 'metrics.jsonl'), want.slice(0, 70));
    const r = await run('run', tinyFile, '--out', d, '--resume');
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, 'metrics.jsonl'), 'utf8')).toBe(want);
    expect((await run('check', d)).code).toBe(0);
  });
});
