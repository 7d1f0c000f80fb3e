/**
 * Seeds run side by side (the CLI's worker threads, the page's pool of Web Workers) each write
 * their metrics to a part file of their own; the parts are joined in seed order into the same
 * metrics.jsonl one thread running the seeds one after another writes. Isomorphic: the CLI and the
 * page use these on their own RunStorage.
 */
import { METRICS } from './experiment.ts';
import type { RunStorage } from './host.ts';
import { metricsLines, seedLines } from './run-record.ts';

export const partPath = (seed: number) => `parts/metrics-s${seed}.jsonl`;

/** A seed's view of the run folder: its metrics go to a part file, everything else is shared. */
export class SeedPartStorage implements RunStorage {
  constructor(
    private readonly inner: RunStorage,
    private readonly seed: number,
  ) {}
  private map(p: string): string {
    return p === METRICS ? partPath(this.seed) : p;
  }
  read(p: string) {
    return this.inner.read(this.map(p));
  }
  write(p: string, d: string | Uint8Array) {
    return this.inner.write(this.map(p), d);
  }
  append(p: string, line: string) {
    return this.inner.append(this.map(p), line);
  }
  exists(p: string) {
    return this.inner.exists(this.map(p));
  }
}

/** The whole lines of a metrics file (a torn last line is left out: resume recomputes it). */
async function lines(storage: RunStorage, path: string): Promise<{ lines: string[]; rows: unknown[] }> {
  return metricsLines((await storage.read(path)) ?? '', path);
}

const text = (lines: readonly string[]) => lines.map((l) => l + '\n').join('');

/** Per seed, the longer of its rows in metrics.jsonl and in its part file (rows are deterministic). */
export async function rowsBySeed(storage: RunStorage, seeds: readonly number[]): Promise<Map<number, string[]>> {
  const joined = await lines(storage, METRICS);
  const out = new Map<number, string[]>();
  for (const seed of seeds) {
    const fromJoined = seedLines(joined.lines, joined.rows, seed);
    const fromPart = (await lines(storage, partPath(seed))).lines;
    out.set(seed, fromPart.length > fromJoined.length ? fromPart : fromJoined);
  }
  return out;
}

/** Before seeds resume side by side: every seed's finished rows in its own part file. */
export async function splitIntoParts(storage: RunStorage, seeds: readonly number[]): Promise<void> {
  const rows = await rowsBySeed(storage, seeds);
  for (const seed of seeds) await storage.write(partPath(seed), text(rows.get(seed) ?? []));
}

/** The part files' text joined in seed order (a missing part is empty). */
export async function joinedParts(storage: RunStorage, seeds: readonly number[]): Promise<string> {
  let joined = '';
  for (const seed of seeds) joined += (await storage.read(partPath(seed))) ?? '';
  return joined;
}

/** When every seed has finished: metrics.jsonl is the parts joined in seed order; returns its row count. */
export async function joinParts(storage: RunStorage, seeds: readonly number[]): Promise<number> {
  const joined = await joinedParts(storage, seeds);
  await storage.write(METRICS, joined);
  return joined.split('\n').filter((l) => l.trim()).length;
}

/**
 * Before resuming: fold the rows a parallel run left in part files into metrics.jsonl, so a
 * resume sees every finished generation however the interrupted run was split.
 */
export async function consolidateParts(storage: RunStorage, seeds: readonly number[]): Promise<void> {
  const rows = await rowsBySeed(storage, seeds);
  await storage.write(METRICS, text(seeds.flatMap((s) => rows.get(s) ?? [])));
}

/**
 * How long `seeds` equal seeds take on `cores` cores with `workers` threads, in seed-times: while
 * k seeds run, each moves at min(1, cores / k).
 */
export function seedMakespan(seeds: number, workers: number, cores: number): number {
  let left = seeds;
  let t = 0;
  while (left > 0) {
    const k = Math.min(workers, left);
    t += k > cores ? k / cores : 1;
    left -= k;
  }
  return t;
}

/**
 * Seeds run side by side in workers (the CLI's threads, the app's Web Workers; at most 8): the fewest threads, up to one per seed, that finish the
 * seeds soonest when they share the cores. Three seeds on two cores run as three threads (1.5
 * seed-times, where two threads leave the third seed alone on one core: 2); four seeds as two (2,
 * where three threads leave the fourth alone: 2.5). More threads than that only add memory.
 */
export function defaultWorkers(cores: number, seeds: number): number {
  const c = Math.max(1, cores);
  let best = 1;
  for (let w = 2; w <= Math.min(Math.max(1, seeds), 8); w++) {
    if (seedMakespan(seeds, w, c) < seedMakespan(seeds, best, c) - 1e-9) best = w;
  }
  return best;
}
