import { Worker } from 'node:worker_threads';
import { ConfigError } from '../sim/errors.ts';
import type { PhysicsExperiment } from '../lab/config.ts';
import { METRICS } from '../lab/experiment.ts';
import type { LabEvent, RunStorage } from '../lab/host.ts';
import { CorruptRunError, metricsLines, seedLines } from '../lab/run-record.ts';

export const partPath = (seed: number) => `parts/metrics-s${seed}.jsonl`;

interface WorkerMessage {
  type: string;
  event?: LabEvent;
  message?: string;
  stack?: string;
  stopped?: boolean;
  config?: { path: string; problem: string; allowed?: string; corrupt?: boolean };
  io?: { code: string; path?: string; syscall?: string };
}

/** A worker's error as the parent's own: a ConfigError stays one, an I/O error keeps code and path. */
function workerError(seed: number, m: WorkerMessage): Error {
  if (m.config?.corrupt) return new CorruptRunError(m.config.path, m.config.problem);
  if (m.config) return new ConfigError(m.config.path, m.config.problem, m.config.allowed);
  const e = new Error(m.io ? (m.message ?? 'failed') : `seed ${seed}: ${m.message}`);
  if (m.stack) e.stack = `${e.message}\n(worker) ${m.stack}`;
  return m.io ? Object.assign(e, m.io) : e;
}

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

/**
 * Run the seeds of a physics experiment in worker threads, at most `workers` at a time. Each seed
 * is independent (its own generator streams), so results do not depend on the number of workers:
 * the parts are joined in seed order into the same metrics.jsonl a single thread writes.
 */
export async function runSeedsInWorkers(
  exp: PhysicsExperiment,
  dir: string,
  storage: RunStorage,
  workers: number,
  opts: { resume: boolean; emit: (e: LabEvent) => void; shouldStop: () => boolean },
): Promise<{ stopped: boolean }> {
  if (opts.resume) {
    // split the (consolidated) metrics into per-seed parts
    const rows = await rowsBySeed(storage, exp.seeds);
    for (const seed of exp.seeds) await storage.write(partPath(seed), (rows.get(seed) ?? []).map((l) => l + '\n').join(''));
  }
  opts.emit({ type: 'start', experiment: exp.name, scenario: exp.scenario, lineages: exp.lineages.map((l) => l.name), generations: exp.generations, seeds: exp.seeds });
  const queue = [...exp.seeds];
  let stopped = false;
  const live = new Set<Worker>();
  // a stop reaches the workers twice: a shared flag they read even mid-computation, and a message
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const stopTimer = setInterval(() => {
    if (!opts.shouldStop()) return;
    Atomics.store(stopFlag, 0, 1);
    for (const w of live) w.postMessage({ type: 'stop' });
  }, 50);
  const runOne = (seed: number) =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(new URL('./seed-worker.mjs', import.meta.url), { workerData: { config: exp, dir, seed, resume: opts.resume, stopFlag } });
      live.add(w);
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'event' && m.event && m.event.type !== 'start' && m.event.type !== 'done') opts.emit(m.event);
        else if (m.type === 'error') reject(workerError(seed, m));
        else if (m.type === 'finished') {
          if (m.stopped) stopped = true;
          resolve();
        }
      });
      w.on('error', reject);
      w.on('exit', () => {
        live.delete(w);
        resolve();
      });
    });
  try {
    await Promise.all(
      Array.from({ length: Math.min(workers, queue.length) }, async () => {
        for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
          if (opts.shouldStop()) {
            stopped = true;
            return;
          }
          await runOne(seed);
        }
      }),
    );
  } finally {
    clearInterval(stopTimer);
    for (const w of live) await w.terminate();
  }
  if (stopped) return { stopped };
  let joined = '';
  for (const seed of exp.seeds) joined += (await storage.read(partPath(seed))) ?? '';
  await storage.write(METRICS, joined);
  opts.emit({ type: 'done', rows: joined.split('\n').filter((l) => l.trim()).length });
  return { stopped: false };
}

/** The whole lines of a metrics file (a torn last line is left out: resume recomputes it). */
async function lines(storage: RunStorage, path: string): Promise<{ lines: string[]; rows: unknown[] }> {
  return metricsLines((await storage.read(path)) ?? '', path);
}

/** Per seed, the longer of its rows in metrics.jsonl and in its part file (rows are deterministic). */
async function rowsBySeed(storage: RunStorage, seeds: number[]): Promise<Map<number, string[]>> {
  const joined = await lines(storage, METRICS);
  const out = new Map<number, string[]>();
  for (const seed of seeds) {
    const fromJoined = seedLines(joined.lines, joined.rows, seed);
    const fromPart = (await lines(storage, partPath(seed))).lines;
    out.set(seed, fromPart.length > fromJoined.length ? fromPart : fromJoined);
  }
  return out;
}

/**
 * Before resuming: fold the rows a parallel run left in part files into metrics.jsonl, so a
 * resume sees every finished generation however the interrupted run was split.
 */
export async function consolidateParts(storage: RunStorage, seeds: number[]): Promise<void> {
  const rows = await rowsBySeed(storage, seeds);
  await storage.write(METRICS, seeds.flatMap((s) => rows.get(s) ?? []).map((l) => l + '\n').join(''));
}
