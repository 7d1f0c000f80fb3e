import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../sim/errors.ts';
import type { Experiment } from '../lab/config.ts';
import type { AnyRow } from '../lab/types.ts';
import { readVerifiedRun, type RunData } from './report.ts';
import { ensureDir, writeAtomic } from './fs-storage.ts';

/**
 * Merge run folders of the same experiment that ran different seeds (e.g. one CI job per seed)
 * into one folder, as if the seeds had run together: rows in seed order, checkpoints, samples
 * and state copied. Each input must have finished all its generations.
 */
export async function mergeRuns(out: string, inputs: string[]): Promise<{ seeds: number[]; rows: number }> {
  if (inputs.length < 2) throw new ConfigError('runDirs', 'merge needs at least two run folders');
  const dest = resolve(out);
  if (existsSync(dest) && !statSync(dest).isDirectory()) throw new ConfigError('outDir', `${dest} is a file, not a folder`, 'a new folder');
  if (existsSync(dest) && readdirSync(dest).length > 0) {
    throw new ConfigError('out', `${dest} already exists and is not empty; it is never overwritten`, 'a new folder');
  }
  const runs: ({ dir: string } & RunData)[] = [];
  for (const dir of inputs) runs.push({ dir: resolve(dir), ...(await readVerifiedRun(resolve(dir))) });
  const strip = (e: Experiment) => JSON.stringify({ ...e, seeds: [] });
  const base = strip(runs[0].exp);
  const owner = new Map<number, string>();
  runs.forEach((r, i) => {
    if (strip(r.exp) !== base) throw new ConfigError(`runDirs[${i}]`, `${r.dir} was made with a different configuration than ${runs[0].dir}`, 'runs of one experiment that differ only in seeds');
    for (const s of r.exp.seeds) {
      if (owner.has(s)) throw new ConfigError(`runDirs[${i}]`, `seed ${s} is in both ${owner.get(s)} and ${r.dir}`, 'disjoint seeds');
      owner.set(s, r.dir);
    }
    const expected = r.exp.kind === 'physics' ? r.exp.seeds.length * (r.exp.generations + 1) * r.exp.lineages.length : null;
    const rows = r.rows.filter((x) => x.kind === 'generation').length;
    if (expected !== null && rows !== expected) {
      throw new ConfigError(`runDirs[${i}]`, `${r.dir} is unfinished (${rows} of ${expected} rows)`, 'finished runs (use run --resume first)');
    }
  });
  if (runs[0].exp.kind !== 'physics') throw new ConfigError('runDirs', 'only physics experiments are merged (calibration runs all seeds in seconds)');
  const seeds = [...owner.keys()].sort((a, b) => a - b);
  const rowsOf = (seed: number): AnyRow[] => runs.find((r) => r.dir === owner.get(seed))!.rows.filter((x) => x.seed === seed);
  const merged = seeds.flatMap(rowsOf);
  ensureDir(dest);
  for (const r of runs) {
    for (const sub of ['checkpoints', 'samples', 'state']) {
      if (existsSync(join(r.dir, sub))) cpSync(join(r.dir, sub), join(dest, sub), { recursive: true });
    }
  }
  const manifest = JSON.parse(readFileSync(join(runs[0].dir, 'manifest.json'), 'utf8'));
  manifest.config = { ...runs[0].exp, seeds };
  manifest.seeds = seeds;
  manifest.mergedFrom = runs.map((r) => ({ dir: r.dir, seeds: r.exp.seeds }));
  writeAtomic(join(dest, 'metrics.jsonl'), merged.map((r) => JSON.stringify(r) + '\n').join(''));
  writeAtomic(join(dest, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { seeds, rows: merged.length };
}
