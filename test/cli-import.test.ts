/**
 * The CLI and the app share run folders. A run made the way the app makes it (the lab worker's
 * code path: runExperiment on an in-memory folder, the app's manifest) and saved as the web page's
 * bundle is imported with `driftlab import`; `driftlab report` and `check` on it give the very
 * report the CLI gives for the same run made by `driftlab run`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { parseRunBundle } from '../lab/bundle.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { MemoryStorage } from '../lab/host.ts';
import { runExperiment } from '../lab/run.ts';
import { fromBundle, isRunFile, toBundle, validateRunFiles, type AppManifest } from '../renderer/run-files.ts';
import { runCli, tinyDuel } from './cli-harness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'driftlab-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = runCli;

const tiny = tinyDuel('tiny-import', 2, { seeds: [5] });

let bundleFile: string;
let cliDir: string;

beforeAll(async () => {
  await initTf('wasm'); // the worker's backend
  // the app's way: the lab worker's runExperiment into memory, the page's manifest, "Save run"
  const exp = parseExperiment(tiny) as PhysicsExperiment;
  const storage = new MemoryStorage();
  const manifest: AppManifest = {
    format: 'driftlab-run',
    formatVersion: 1,
    name: exp.name,
    createdAt: '2026-01-01T00:00:00.000Z',
    config: exp,
    seeds: exp.seeds,
    versions: { driftlab: '0.1.0', app: 'web' },
    platform: { userAgent: 'test', cores: 2 },
  };
  await storage.write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  await runExperiment(exp, { storage, emit: () => undefined });
  const files = new Map([...storage.files].map(([k, v]) => [k, typeof v === 'string' ? v : new TextDecoder().decode(v)]));
  bundleFile = join(tmp, 'tiny-import-run.json');
  writeFileSync(bundleFile, JSON.stringify(toBundle(exp.name, files)));

  // the CLI's way
  const presetFile = join(tmp, 'tiny.json');
  writeFileSync(presetFile, JSON.stringify(tiny));
  cliDir = join(tmp, 'cli');
  const r = await run('run', presetFile, '--out', cliDir, '--workers', '1');
  expect(r.code, r.err).toBe(0);
});

describe('driftlab import', () => {
  it('turns an app bundle into a run folder whose report is the one the CLI makes for that run', async () => {
    const appDir = join(tmp, 'app');
    const r = await run('import', bundleFile, appDir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('imported tiny-import');
    // same rows, byte for byte
    expect(readFileSync(join(appDir, 'metrics.jsonl'), 'utf8')).toBe(readFileSync(join(cliDir, 'metrics.jsonl'), 'utf8'));

    const rep = await run('report', appDir);
    expect(rep.code, rep.err).toBe(0);
    expect(readFileSync(join(appDir, 'summary.md'), 'utf8')).toBe(readFileSync(join(cliDir, 'summary.md'), 'utf8'));
    // vega numbers gradient ids with a process-wide counter: the only difference two renders may have
    const same = (file: string) => {
      const norm = (dir: string) => readFileSync(join(dir, file), 'utf8').replace(/(svg-[\w-]+-)?gradient_\d+/g, 'gradient');
      const a = norm(appDir);
      const b = norm(cliDir);
      const at = [...a].findIndex((ch, i) => ch !== b[i]);
      expect(a === b, `${file} differs at ${at}: …${a.slice(Math.max(0, at - 80), at + 80)}… vs …${b.slice(Math.max(0, at - 80), at + 80)}…`).toBe(true);
    };
    same('report.html');
    const charts = readdirSync(join(cliDir, 'charts')).filter((f) => f.endsWith('.svg')).sort();
    expect(charts.length).toBeGreaterThan(3);
    expect(readdirSync(join(appDir, 'charts')).filter((f) => f.endsWith('.svg')).sort()).toEqual(charts);
    for (const c of charts) same(`charts/${c}`);

    const chk = await run('check', appDir);
    const chkCli = await run('check', cliDir);
    expect(chk.code).toBe(chkCli.code);
    expect(chk.out).toBe(chkCli.out);
  });

  it('a CLI run folder opens in the app: the files the app reads pass its checks, with the same rows', () => {
    const files = new Map<string, string>();
    const walk = (rel: string) => {
      for (const e of readdirSync(join(cliDir, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else if (isRunFile(p)) files.set(p, readFileSync(join(cliDir, p), 'utf8'));
      }
    };
    walk('');
    // what Electron's Open run does with a folder: read its run files, then validateRunFiles
    const opened = validateRunFiles(files);
    expect(opened.experiment.name).toBe('tiny-import');
    expect(opened.rows.map((r) => JSON.stringify(r)).join('\n') + '\n').toBe(readFileSync(join(cliDir, 'metrics.jsonl'), 'utf8'));
    // and as a bundle (the web page's Open run)
    expect(fromBundle(JSON.stringify(toBundle('tiny-import', files))).rows).toHaveLength(opened.rows.length);
    expect([...parseRunBundle(JSON.stringify(toBundle('tiny-import', files))).files.keys()]).toEqual([...files.keys()].sort());
  });

  it('refuses bad bundles and occupied folders with one line, exit 2, nothing written', async () => {
    const cases: [string, string, RegExp][] = [
      ['not-json', '{"format": ', /bundle: is not valid JSON/],
      ['wrong-format', JSON.stringify({ format: 'zip', formatVersion: 1, files: {} }), /bundle: has format "zip"/],
      ['escape', JSON.stringify({ format: 'driftlab-run-bundle', formatVersion: 1, files: { '../../evil.json': '{}' } }), /bundle\.files\["\.\.\/\.\.\/evil\.json"\]: is not a relative path/],
      ['no-metrics', JSON.stringify({ format: 'driftlab-run-bundle', formatVersion: 1, files: { 'manifest.json': '{}' } }), /metrics\.jsonl.*is missing/],
      ['bad-manifest', JSON.stringify({ format: 'driftlab-run-bundle', formatVersion: 1, files: { 'manifest.json': '{"format":"driftlab-run","config":{"name":"x"}}', 'metrics.jsonl': '' } }), /^driftlab: error: manifest\.json: config:/],
    ];
    for (const [name, text, message] of cases) {
      const f = join(tmp, `${name}.json`);
      writeFileSync(f, text);
      const target = join(tmp, `never-${name}`);
      const r = await run('import', f, target);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toMatch(message);
      expect(r.err.trim().split('\n'), name).toHaveLength(1);
      expect(existsSync(target), name).toBe(false);
    }
    expect((await run('import', join(tmp, 'nope.json'), join(tmp, 'never'))).code).toBe(2);
    expect((await run('import', bundleFile)).code).toBe(2);
    // an occupied folder is never overwritten
    const busy = join(tmp, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const r = await run('import', bundleFile, busy);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/runDir: .* is not empty/);
    expect(readdirSync(busy)).toEqual(['keep.txt']);
  });
});
