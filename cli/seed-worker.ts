import { parentPort, workerData } from 'node:worker_threads';
import { initTf } from '../agents/tf.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { runPhysicsExperiment } from '../lab/experiment.ts';
import type { LabEvent } from '../lab/host.ts';
import { FsStorage } from './fs-storage.ts';
import { SeedPartStorage } from './parallel.ts';

/** One seed of a physics experiment in a worker thread; events go to the parent. */
const { config, dir, seed, resume } = workerData as { config: unknown; dir: string; seed: number; resume: boolean };
let stopping = false;
parentPort!.on('message', (m: { type: string }) => {
  if (m.type === 'stop') stopping = true;
});
try {
  await initTf('wasm');
  const exp = { ...(parseExperiment(config) as PhysicsExperiment), seeds: [seed] };
  const storage = new SeedPartStorage(new FsStorage(dir), seed);
  await runPhysicsExperiment(exp, { storage, emit: (e: LabEvent) => parentPort!.postMessage({ type: 'event', event: e }), shouldStop: () => stopping }, { resume });
  parentPort!.postMessage({ type: 'finished', stopped: stopping });
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) });
}
