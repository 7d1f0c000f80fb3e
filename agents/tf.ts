/**
 * The one place that imports tfjs and picks its backend. Everything else in agents/ imports
 * `tf` from here, so the backend is chosen once.
 *
 * Isomorphic: runs in Node (tests, CLI), in a Node worker thread and in a browser Web Worker.
 * The browser build passes `wasmPaths` (where the .wasm binaries are served) before the first
 * init; in Node the wasm backend finds its binaries next to its own module.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export { tf };

export type TfBackend = 'wasm' | 'cpu' | 'webgl';

/** Where the wasm binaries live: a URL prefix ending in '/', or one URL per binary file. */
export type WasmPaths =
  | string
  | Partial<Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string>>;

export interface InitTfOptions {
  /** Where to fetch the wasm binaries from (browser builds). Applied once, before the wasm backend starts. */
  wasmPaths?: WasmPaths;
  /**
   * When the requested backend cannot start, use 'cpu' instead of throwing. Off by default: a
   * silent switch to the (much slower, numerically different) cpu backend would go unnoticed.
   */
  fallbackToCpu?: boolean;
  /** Receives the message when falling back. Default: console.warn. */
  onWarning?: (message: string) => void;
  /**
   * Allow the multi-threaded wasm binary (only possible in cross-origin-isolated pages). Off by
   * default: our networks are tiny (threads only add overhead) and one binary everywhere (SIMD,
   * single thread, as in Node) keeps app and CLI results identical.
   */
  wasmThreads?: boolean;
}

let pending: Promise<string> | null = null;
let pendingFor = '';
let wasmPathsSet = false;

async function trySetBackend(name: TfBackend): Promise<{ ok: boolean; why: string }> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return { ok: false, why: `tf.setBackend('${name}') returned false (the backend failed to initialise)` };
    await tf.ready();
    if (tf.getBackend() !== name) return { ok: false, why: `tf.getBackend() is '${tf.getBackend()}' after setBackend('${name}')` };
    return { ok: true, why: '' };
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
}

async function doInit(backend: TfBackend, opts: InitTfOptions): Promise<string> {
  if (backend === 'wasm' && !opts.wasmThreads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (backend === 'wasm' && opts.wasmPaths !== undefined && !wasmPathsSet) {
    setWasmPaths(opts.wasmPaths as Parameters<typeof setWasmPaths>[0]);
    wasmPathsSet = true;
  }
  const first = await trySetBackend(backend);
  if (first.ok) return backend;
  const message =
    `tfjs backend '${backend}' is unavailable: ${first.why}.` +
    (backend === 'wasm' ? ' (In a browser, pass wasmPaths pointing at the served .wasm files.)' : '');
  if (!opts.fallbackToCpu || backend === 'cpu') {
    throw new Error(`${message}${backend === 'cpu' ? '' : " Pass { fallbackToCpu: true } to run on the slower 'cpu' backend."}`);
  }
  const cpu = await trySetBackend('cpu');
  if (!cpu.ok) throw new Error(`${message} The 'cpu' fallback failed too: ${cpu.why}.`);
  (opts.onWarning ?? ((m: string) => console.warn(m)))(`${message} Falling back to 'cpu'.`);
  return 'cpu';
}

/**
 * Select and initialise a tfjs backend (default 'wasm'); resolves to the active backend name.
 * Idempotent: calling again with the same backend returns the same promise / the active backend
 * without re-initialising. `tf.setBackend` reports failure by resolving to false, which is checked.
 */
export function initTf(backend: TfBackend = 'wasm', opts: InitTfOptions = {}): Promise<string> {
  if (pending && pendingFor === backend) {
    return pending.then(
      (name) => (tf.getBackend() === name ? name : initTfAgain(backend, opts)),
      () => initTfAgain(backend, opts),
    );
  }
  return initTfAgain(backend, opts);
}

function initTfAgain(backend: TfBackend, opts: InitTfOptions): Promise<string> {
  pendingFor = backend;
  pending = doInit(backend, opts);
  return pending;
}

/** The active backend name ('' before initTf). */
export function activeBackend(): string {
  return tf.engine().backendName ?? '';
}
