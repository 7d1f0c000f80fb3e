import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment } from '../lab/config.ts';
import { validateExperiment } from '../lab/run.ts';
import { ConfigError } from '../sim/errors.ts';
import { fromBundle, RunFormatError, toBundle, verifyOpenedRun } from '../renderer/run-files.ts';
import { presets } from '../lab/presets.ts';
import { runCli } from './cli-harness.ts';

/**
 * Fuzzing (fast-check) the three ways input reaches Driftlab: preset JSON, CLI arguments and run
 * folders / bundles. Properties: exit code ∈ {0, 1, 2}; no stack trace; nothing written on exit 2.
 * The CLI's main() runs in-process (spawning per case would be slow); runs are bounded.
 */
const tmp = mkdtempSync(join(tmpdir(), 'driftlab-fuzz-'));
const cwd = process.cwd();
afterAll(() => {
  process.chdir(cwd);
  rmSync(tmp, { recursive: true, force: true });
});

const run = (argv: string[]) => runCli(...argv);

/** Every file and folder below `dir`, with sizes: a snapshot to compare. */
function snapshot(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => {
      const p = join(e.parentPath, e.name);
      return `${p}:${e.isFile() ? readFileSync(p).length : 'dir'}`;
    })
    .sort()
    .join('\n');
}

function expectClean(r: { code: number; err: string; out: string }) {
  expect([0, 1, 2]).toContain(r.code);
  expect(r.err + r.out).not.toMatch(/\n\s+at .+[:(]\d+|\.ts:\d+:\d+/);
  const errors = r.err.trim().split('\n').filter((l) => /^driftlab: (error|failed)/.test(l));
  // exit 2 (and 1 unless it is an unmet expectation of `check`) says why in one line
  if (r.code === 2 || (r.code === 1 && !/expectations met/.test(r.out))) expect(errors).toHaveLength(1);
  else expect(errors).toHaveLength(0);
}

/** A JSON value to drop anywhere: the usual suspects plus arbitrary JSON. */
const nasty = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e309 > 0 ? 1e308 : 0, -0.5, 2 ** 53, '', '..', '../x', 'a\u0000b', [], {}, [[[[[]]]]], 'gaussian', ['mle', 'mle']),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Replace, delete or add one field somewhere in a JSON value. */
function mutate(base: unknown, path: number[], action: number, value: unknown, key: string): unknown {
  const root = structuredClone(base);
  let node: unknown = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[step % keys.length];
    const child = (node as Record<string, unknown>)[k];
    if (child === null || typeof child !== 'object' || action === 0) {
      if (action === 1) delete (node as Record<string, unknown>)[k];
      else (node as Record<string, unknown>)[k] = value;
      return root;
    }
    node = child;
  }
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) (node as Record<string, unknown>)[key] = value;
  return root;
}

const tinyPhysics = {
  name: 'fuzz',
  scenario: 'duel',
  seeds: [3],
  generations: 1,
  d0: { episodes: 24 },
  model: { hidden: [16], components: 2, worldHidden: [16] },
  training: { epochs: 2, batchSize: 64 },
  evaluation: { panelGames: 2, roundRobinGames: 0, selfPlayEpisodes: 2 },
  lineages: [
    { name: 'grounded', recipe: 'grounded', episodes: 4 },
    { name: 'recursive', recipe: 'recursive', episodes: 4 },
  ],
  expectations: [{ kind: 'trend', lineage: 'grounded', metric: 'winRate', direction: 'up' }],
};
const bases: unknown[] = [tinyPhysics, ...Object.values(presets)];

describe('fuzz: preset JSON', () => {
  it('validation accepts or throws a ConfigError, never anything else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bases.length - 1 }), fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 0, max: 2 }), nasty, fc.string({ maxLength: 8 }), (b, path, action, value, key) => {
        const input = mutate(bases[b], path, action, value, key);
        try {
          validateExperiment(parseExperiment(input));
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          expect(e.message).not.toContain('\n');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the CLI exits 0/1/2 with one clean line and writes nothing on exit 2', async () => {
    const file = join(tmp, 'fuzz-preset.json');
    const out = join(tmp, 'fuzz-out');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bases.length - 1 }), fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 0, max: 2 }), nasty, fc.string({ maxLength: 8 }), async (b, path, action, value, key) => {
        writeFileSync(file, JSON.stringify(mutate(bases[b], path, action, value, key)));
        // --resume into a folder that does not exist: every check runs, no experiment does
        const r = await run(['run', file, '--out', out, '--resume']);
        expectClean(r);
        expect(r.code).toBe(2);
        expect(existsSync(out)).toBe(false);
      }),
      { numRuns: 120 },
    );
  });
});

describe('fuzz: CLI arguments', () => {
  it('any argument list exits 0/1/2 with one clean line; nothing is written on exit 2', async () => {
    const sandbox = join(tmp, 'args');
    mkdirSync(sandbox);
    process.chdir(sandbox); // relative paths land here
    const word = fc.oneof(
      fc.constantFrom('run', 'report', 'check', 'merge', 'scenarios', 'presets', 'help', '--seeds', '--generations', '--out', '--workers', '--force', '--json', '--resume', '-h'),
      fc.constantFrom('calibration', 'classroom', 'curse', '1..3', '0', '-1', '9..1', '1,2,,3', '99999999999', '/', '..', '.', '/dev/zero', '/proc/self', 'x.json', '1e3', ''),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 7 }), async (words) => {
        // never start a real experiment: a run is always a --resume of nothing
        const argv = words[0] === 'run' || !['report', 'check', 'merge', 'scenarios', 'presets', 'help'].includes(words[0] ?? '') ? [...words, '--resume', '--out', join(sandbox, 'none')] : words;
        if (argv.includes('--help') || argv.includes('-h')) return;
        const before = snapshot(sandbox);
        const r = await run(argv);
        expectClean(r);
        if (r.code === 2) expect(snapshot(sandbox)).toBe(before);
      }),
      { numRuns: 200 },
    );
    process.chdir(cwd);
  });
});

describe('fuzz: run folders and bundles', () => {
  const runDir = join(tmp, 'run');
  let files = new Map<string, string>();
  beforeAll(async () => {
    const f = join(tmp, 'tiny.json');
    writeFileSync(f, JSON.stringify(tinyPhysics));
    expect((await run(['run', f, '--out', runDir])).code).toBe(0);
    const rel = readdirSync(runDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json') || e.name.endsWith('.jsonl'))
      .map((e) => join(e.parentPath, e.name).slice(runDir.length + 1))
      .filter((p) => !p.startsWith('parts/') && !p.startsWith('charts/'));
    files = new Map(rel.map((p) => [p, readFileSync(join(runDir, p), 'utf8')]));
  });

  /** Damage one file: flip, cut, drop or replace a piece of it. */
  const damage = fc.record({ file: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }), how: fc.integer({ min: 0, max: 4 }), text: fc.string({ maxLength: 6 }) });
  const apply = (text: string, d: { at: number; how: number; text: string }): string | null => {
    const i = Math.floor(d.at * text.length);
    switch (d.how) {
      case 0:
        return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
      case 1:
        return text.slice(0, i);
      case 2:
        return null;
      case 3:
        return text.slice(0, i) + d.text + text.slice(i);
      default:
        return text.slice(0, i) + 'null' + text.slice(i + 4);
    }
  };

  it('the app checks the hashes of an opened run and names a damaged file', async () => {
    const good = fromBundle(JSON.stringify(toBundle('x', files)));
    expect((await verifyOpenedRun(good)).rows).toHaveLength(4);
    const m = new Map(files);
    const ck = 'checkpoints/s3/grounded/g1.json';
    const t = m.get(ck)!;
    m.set(ck, t.slice(0, 200) + (t[200] === 'A' ? 'B' : 'A') + t.slice(201));
    const opened = fromBundle(JSON.stringify(toBundle('x', m))); // well-formed, so the structure check passes
    await expect(verifyOpenedRun(opened)).rejects.toThrow(/checkpoints\/s3\/grounded\/g1\.json: does not match its recorded hash/);
  });

  it('the app refuses a damaged bundle with a RunFormatError (or opens it), nothing else', async () => {
    const names = [...files.keys()].sort();
    expect(fromBundle(JSON.stringify(toBundle('x', files))).rows.length).toBe(4);
    await fc.assert(
      fc.asyncProperty(damage, fc.boolean(), async (d, whole) => {
        const bundle = JSON.stringify(toBundle('x', files));
        let text: string;
        if (whole) text = apply(bundle, d) ?? '';
        else {
          const m = new Map(files);
          const name = names[d.file % names.length];
          const v = apply(m.get(name)!, d);
          if (v === null) m.delete(name);
          else m.set(name, v);
          text = JSON.stringify(toBundle('x', m));
        }
        try {
          await verifyOpenedRun(fromBundle(text));
        } catch (e) {
          if (!(e instanceof RunFormatError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('check and report refuse a damaged run folder cleanly; nothing is written on exit 2', async () => {
    const names = [...files.keys()].sort();
    let k = 0;
    await fc.assert(
      // mostly check (a report that renders charts takes seconds)
      fc.asyncProperty(damage, fc.constantFrom('check', 'check', 'check', 'check', 'check', 'report'), async (d, cmd) => {
        const dir = join(tmp, `dmg${k++}`);
        cpSync(runDir, dir, { recursive: true });
        for (const extra of ['report.html', 'summary.md', 'charts', 'parts']) rmSync(join(dir, extra), { recursive: true, force: true });
        const name = names[d.file % names.length];
        const v = apply(files.get(name)!, d);
        if (v === null) rmSync(join(dir, name));
        else writeFileSync(join(dir, name), v);
        const before = snapshot(dir);
        if (process.env.FUZZ_LOG) writeFileSync(process.env.FUZZ_LOG, `${JSON.stringify({ cmd, name, d })}\n`, { flag: 'a' });
        const r = await run([cmd, dir]);
        expectClean(r);
        if (r.code === 2) expect(snapshot(dir)).toBe(before);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 30 },
    );
  });
});
