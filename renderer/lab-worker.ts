/// <reference lib="webworker" />
/**
 * The lab in a Web Worker (tfjs on its wasm backend holds the models' weights; the models run and
 * train in plain JavaScript), the lab's commands handled by
 * lab-worker-core.ts. One worker runs a whole run, or one seed of the page's pool (lab-pool.ts).
 */
import { initTf } from '../agents/tf.ts';
import type { LabCommand, LabMessage } from './lab-client.ts';
import { labWorkerCore } from './lab-worker-core.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = labWorkerCore(
  (m: LabMessage) => scope.postMessage(m),
  (wasmBase) => initTf('wasm', { wasmPaths: wasmBase }),
);
scope.addEventListener('message', (e: MessageEvent<LabCommand>) => handle(e.data));
