/**
 * What the lab's Web Worker does (lab-worker.ts is its wiring): `runExperiment` with an in-memory
 * run folder mirrored to the page, Pause through `host.gate`, Stop through `host.shouldStop`,
 * human games handed to the lineage they were given to through `host.humanGames`. Speaks
 * LabCommand / LabMessage (lab-client.ts). Given a seed (the page's pool, lab-pool.ts), it runs
 * that seed of the experiment alone, its metrics in the seed's part file. No worker globals, so
 * tests run the very same code in-process behind a fake worker.
 */
import { MemoryStorage, type HumanGame, type LabEvent, type LabHost, type RunStorage } from '../lab/host.ts';
import { runExperiment, validateExperiment } from '../lab/run.ts';
import { SeedPartStorage } from '../lab/seed-parts.ts';
import type { LabCommand, LabMessage, LabRunRequest } from './lab-client.ts';
import { experimentOf } from './lab-request.ts';

/**
 * A lab worker's message handler. `post` sends to the page; `initBackend` starts tfjs (on wasm in
 * the worker) and returns its backend's name.
 */
export function labWorkerCore(post: (m: LabMessage) => void, initBackend: (wasmBase: string) => Promise<string>): (cmd: LabCommand) => void {
  /** A MemoryStorage that tells the page about every write. */
  class MirrorStorage extends MemoryStorage {
    override async write(path: string, data: string | Uint8Array): Promise<void> {
      await super.write(path, data);
      post({ type: 'file', path, data: typeof data === 'string' ? data : new TextDecoder().decode(data) });
    }
    override async append(path: string, line: string): Promise<void> {
      await super.append(path, line);
      post({ type: 'append', path, line });
    }
  }

  let storage = new MirrorStorage();
  /** what the run writes through: the storage, or a seed's view of it */
  let runStorage: RunStorage = storage;
  let running = false;
  let paused = false;
  let stopRequested = false;
  let doneEmitted = false;
  let resumeWaiters: (() => void)[] = [];
  const pendingHuman = new Map<string, HumanGame[]>();

  /** Yield to the event loop (a macrotask), so commands posted meanwhile are received. */
  function yieldToEvents(): Promise<void> {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }

  function wake(): void {
    const w = resumeWaiters;
    resumeWaiters = [];
    w.forEach((f) => f());
  }

  const host: LabHost = {
    get storage() {
      return runStorage;
    },
    emit(event: LabEvent) {
      if (event.type === 'done') doneEmitted = true;
      post({ type: 'event', event });
    },
    shouldStop: () => stopRequested,
    async gate() {
      await yieldToEvents();
      while (paused && !stopRequested) await new Promise<void>((r) => resumeWaiters.push(r));
    },
    humanGames(lineage: string, generation: number): HumanGame[] {
      const games = pendingHuman.get(lineage) ?? [];
      pendingHuman.delete(lineage);
      if (games.length > 0) post({ type: 'human-used', lineage, generation, count: games.length });
      return games;
    },
  };

  let tfReady: Promise<string> | null = null;

  async function startTf(wasmBase: string): Promise<void> {
    tfReady ??= initBackend(wasmBase);
    let backend: string;
    try {
      backend = await tfReady;
    } catch (e) {
      tfReady = null;
      throw new Error(`The learning engine could not start: tfjs's WebAssembly backend failed to load from ${wasmBase} (${e instanceof Error ? e.message : String(e)})`);
    }
    if (backend !== 'wasm') throw new Error(`The learning engine started on tfjs backend '${backend}', not 'wasm'`);
    post({ type: 'backend', name: backend });
  }

  async function start(req: LabRunRequest): Promise<void> {
    if (running) throw new Error('a run is already going on in this worker');
    running = true;
    paused = false;
    stopRequested = false;
    doneEmitted = false;
    if (req.seed !== undefined) {
      // a seed of the pool's run: the games the pool kept for it, not those left by an earlier seed
      pendingHuman.clear();
      for (const { lineage, game } of req.humanGames ?? []) queueHuman(lineage, game);
    }
    try {
      const whole = experimentOf(req);
      const exp = req.seed !== undefined && whole.kind === 'physics' ? { ...whole, seeds: [req.seed] } : whole;
      validateExperiment(exp);
      await startTf(req.wasmBase);
      if (!req.resume) storage = new MirrorStorage();
      runStorage = req.seed !== undefined ? new SeedPartStorage(storage, req.seed) : storage;
      if (req.manifest !== undefined) await storage.write('manifest.json', JSON.stringify(req.manifest, null, 2) + '\n');
      await runExperiment(exp, host, { resume: req.resume === true });
      if (!doneEmitted) post({ type: 'stopped' });
    } finally {
      running = false;
      paused = false;
    }
  }

  function queueHuman(lineage: string, game: HumanGame): void {
    const list = pendingHuman.get(lineage) ?? [];
    list.push(game);
    pendingHuman.set(lineage, list);
  }

  return (cmd: LabCommand): void => {
    switch (cmd.type) {
      case 'start':
        start(cmd.request).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
        break;
      case 'pause':
        paused = true;
        break;
      case 'resume':
        paused = false;
        wake();
        break;
      case 'stop':
        stopRequested = true;
        paused = false;
        wake();
        break;
      case 'human-game':
        queueHuman(cmd.lineage, cmd.game);
        break;
      case 'load-files': {
        if (running) {
          post({ type: 'error', message: 'cannot open a run while another one is running' });
          break;
        }
        // no mirror messages: the page already holds these files
        const s = new MirrorStorage();
        for (const [path, data] of Object.entries(cmd.files)) s.files.set(path, data);
        storage = s;
        runStorage = s;
        break;
      }
    }
  };
}
