import { parentPort, workerData } from 'node:worker_threads';
import { initTf } from '../agents/tf.ts';
import { ConfigError } from '../sim/errors.ts';
import { CorruptRunError } from '../lab/run-record.ts';
import { Interrupted, setInterruptCheck } from '../agents/interrupt.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { runPhysicsExperiment } from '../lab/experiment.ts';
import type { LabEvent } from '../lab/host.ts';
import { FsStorage } from './fs-storage.ts';
import { SeedPartStorage } from '../lab/seed-parts.ts';

/** One seed of a physics experiment in a worker thread; events go to the parent. */
const { config, dir, seed, resume, stopFlag } = workerData as { config: unknown; dir: string; seed: number; resume: boolean; stopFlag: Int32Array };
let stopping = false;
parentPort!.on('message', (m: { type: string }) => {
  if (m.type === 'stop') stopping = true;
});
// the parent raises the shared flag on Ctrl-C: seen here even in the middle of a training epoch
const stopRequested = () => stopping || Atomics.load(stopFlag, 0) === 1;
setInterruptCheck(stopRequested);
try {
  await initTf('wasm');
  const exp = { ...(parseExperiment(config) as PhysicsExperiment), seeds: [seed] };
  const storage = new SeedPartStorage(new FsStorage(dir), seed);
  await runPhysicsExperiment(exp, { storage, emit: (e: LabEvent) => parentPort!.postMessage({ type: 'event', event: e }), shouldStop: stopRequested, gate: () => new Promise<void>((r) => setImmediate(r)) }, { resume });
  parentPort!.postMessage({ type: 'finished', stopped: stopRequested() });
} catch (e) {
  if (e instanceof Interrupted) {
    if (process.env.DRIFTLAB_DEBUG_STOP) console.error('worker interrupted at', Date.now() % 100000);
    parentPort!.postMessage({ type: 'finished', stopped: true });
  }
  else {
    // errors cross the thread as data, so the parent can report them as its own (no stack trace)
    const err = e as Error & { code?: unknown; path?: unknown; syscall?: unknown };
    const config = e instanceof ConfigError ? { path: e.path, problem: e.problem, allowed: e.allowed, corrupt: e instanceof CorruptRunError } : undefined;
    const io = typeof err.code === 'string' ? { code: err.code, path: err.path, syscall: err.syscall } : undefined;
    parentPort!.postMessage({ type: 'error', message: err.message ?? String(e), stack: err.stack, config, io });
  }
}
