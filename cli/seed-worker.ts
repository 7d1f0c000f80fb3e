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

/**
 * Seeds of a physics experiment in a worker thread, one after another as the parent sends them
 * ({ type: 'run', seed }); events go to the parent, then { type: 'finished', seed }. A worker lives
 * for many seeds so that loading the code and tfjs is paid once per thread, not once per seed; every
 * seed starts from its own generator streams, so which thread ran which seed before does not matter.
 */
const { config, dir, resume, stopFlag } = workerData as { config: unknown; dir: string; resume: boolean; stopFlag: Int32Array };
let stopping = false;
// the parent raises the shared flag on Ctrl-C: seen here even in the middle of a training epoch
const stopRequested = () => stopping || Atomics.load(stopFlag, 0) === 1;
setInterruptCheck(stopRequested);
let ready: Promise<PhysicsExperiment> | null = null;
const prepare = async (): Promise<PhysicsExperiment> => {
  await initTf('wasm');
  return parseExperiment(config) as PhysicsExperiment;
};

async function runSeed(seed: number): Promise<void> {
  try {
    ready ??= prepare();
    const exp = { ...(await ready), seeds: [seed] };
    const storage = new SeedPartStorage(new FsStorage(dir), seed);
    await runPhysicsExperiment(exp, { storage, emit: (e: LabEvent) => parentPort!.postMessage({ type: 'event', event: e }), shouldStop: stopRequested, gate: () => new Promise<void>((r) => setImmediate(r)) }, { resume });
    parentPort!.postMessage({ type: 'finished', seed, stopped: stopRequested() });
  } catch (e) {
    if (e instanceof Interrupted) {
      if (process.env.DRIFTLAB_DEBUG_STOP) console.error('worker interrupted at', Date.now() % 100000);
      parentPort!.postMessage({ type: 'finished', seed, stopped: true });
    } else {
      // errors cross the thread as data, so the parent can report them as its own (no stack trace)
      const err = e as Error & { code?: unknown; path?: unknown; syscall?: unknown };
      const config = e instanceof ConfigError ? { path: e.path, problem: e.problem, allowed: e.allowed, corrupt: e instanceof CorruptRunError } : undefined;
      const io = typeof err.code === 'string' ? { code: err.code, path: err.path, syscall: err.syscall } : undefined;
      parentPort!.postMessage({ type: 'error', seed, message: err.message ?? String(e), stack: err.stack, config, io });
    }
  }
}

// seeds run one at a time, in the order they arrive
let queue = Promise.resolve();
parentPort!.on('message', (m: { type: string; seed?: number }) => {
  if (m.type === 'stop') stopping = true;
  else if (m.type === 'run' && typeof m.seed === 'number') {
    const seed = m.seed;
    queue = queue.then(() => runSeed(seed));
  }
});
