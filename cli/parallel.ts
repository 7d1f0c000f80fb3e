import { Worker } from 'node:worker_threads';
import { ConfigError } from '../sim/errors.ts';
import type { PhysicsExperiment } from '../lab/config.ts';
import type { LabEvent, RunStorage } from '../lab/host.ts';
import { CorruptRunError } from '../lab/run-record.ts';
import { joinParts, splitIntoParts } from '../lab/seed-parts.ts';


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
  // split the (consolidated) metrics into per-seed parts
  if (opts.resume) await splitIntoParts(storage, exp.seeds);
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
  const spawn = (): Worker => {
    const w = new Worker(new URL('./seed-worker.mjs', import.meta.url), {
      workerData: { config: exp, dir, resume: opts.resume, stopFlag },
      // a larger young generation: fewer scavenges of the short-lived arrays of simulation and training
      resourceLimits: { maxYoungGenerationSizeMb: 96 },
    });
    live.add(w);
    w.on('exit', () => live.delete(w));
    return w;
  };
  /** Runs one seed on worker w (which lives on for the next seed); resolves when it is finished. */
  const runOn = (w: Worker, seed: number) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'event' && m.event && m.event.type !== 'start' && m.event.type !== 'done') opts.emit(m.event);
        else if (m.type === 'error') done(workerError(seed, m));
        else if (m.type === 'finished') {
          if (m.stopped) stopped = true;
          done();
        }
      };
      const onExit = () => done();
      const done = (err?: unknown) => {
        w.off('message', onMessage);
        w.off('error', done);
        w.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      w.on('message', onMessage);
      w.on('error', done);
      w.on('exit', onExit);
      w.postMessage({ type: 'run', seed });
    });
  try {
    await Promise.all(
      Array.from({ length: Math.min(workers, queue.length) }, async () => {
        let w: Worker | null = null;
        for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
          if (opts.shouldStop()) {
            stopped = true;
            return;
          }
          if (!w || !live.has(w)) w = spawn();
          await runOn(w, seed);
        }
      }),
    );
  } finally {
    clearInterval(stopTimer);
    for (const w of live) await w.terminate();
  }
  if (stopped) return { stopped };
  opts.emit({ type: 'done', rows: await joinParts(storage, exp.seeds) });
  return { stopped: false };
}
