/**
 * The page's lab as a pool of seed workers: the seeds of a physics run train side by side, one
 * Web Worker (lab-worker.ts) per seed at a time, as many at once as the CLI's worker threads
 * (`defaultWorkers`: the fewest that finish the seeds soonest on the cores; the pool holds at most
 * cores + 1, at most 8). Each worker writes its seed's metrics to a part file; the pool joins the
 * parts in seed order (lab/seed-parts.ts, shared with cli/parallel.ts), so the page's
 * metrics.jsonl is byte-identical to the CLI's and to one worker running the seeds in turn —
 * after a stop and a Continue too. The pool keeps the run folder as the page holds it (plus the
 * parts), hands each seed its files when it resumes, reaches every live worker with Pause, Stop,
 * Continue and human games (every seed of the run trains on a human game), and keeps the rows
 * already received when a worker fails (the others are ended). A calibration run (no seeds to split) goes to one worker.
 */
import type { PhysicsExperiment } from '../lab/config.ts';
import { resolveLineages } from '../lab/config.ts';
import { METRICS } from '../lab/experiment.ts';
import { MemoryStorage, type HumanGame } from '../lab/host.ts';
import { seedFolders, statePath } from '../lab/run-record.ts';
import { consolidateParts, defaultWorkers, joinedParts, joinParts, partPath, splitIntoParts } from '../lab/seed-parts.ts';
import { minOf } from '../sim/arrays.ts';
import { LabClientBase, type LabMessage, type LabRunRequest, type WorkerLike } from './lab-client.ts';
import { experimentOf } from './lab-request.ts';

/**
 * The most workers the pool starts: one more than the cores, at most 8. A run uses as many of them
 * as the CLI would start threads for its seeds (`defaultWorkers` in lab/seed-parts.ts).
 */
export function poolSize(cores: number | undefined): number {
  return Math.max(1, Math.min(8, (cores && cores > 0 ? cores : 1) + 1));
}

interface Slot {
  worker: WorkerLike;
  /** the seed it runs (a seed run), null for a whole run, undefined when free */
  seed?: number | null;
  dead: boolean;
}

const isPart = (p: string) => p.startsWith('parts/');

export class PoolLabClient extends LabClientBase {
  private slots: Slot[] = [];
  /** the run folder as the page holds it, plus the seeds' part files */
  private folder = new MemoryStorage();
  private exp: PhysicsExperiment | null = null;
  private request: LabRunRequest | null = null;
  private queue: number[] = [];
  private games: { lineage: string; game: HumanGame }[] = [];
  private paused = false;
  private stopped = false;
  private failed = false;
  /** human games used, per seed and lineage, and how many the page was told about per lineage */
  private usedBySeed = new Map<number, Map<string, number>>();
  private usedTold = new Map<string, number>();
  /** messages are handled one after another (the folder's reads and writes are async) */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly makeWorker: () => WorkerLike,
    readonly size: number,
    /** the machine's cores (default: size, so every worker of the pool may run a seed) */
    readonly cores: number = size,
  ) {
    super();
  }

  /** Resolves when every message received so far has been handled (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** How many workers the pool has started so far. */
  get workerCount(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  private get busy(): Slot[] {
    return this.slots.filter((s) => s.seed !== undefined && !s.dead);
  }

  private then(f: () => unknown): void {
    this.chain = this.chain.then(async () => void (await f())).catch((e: unknown) => this.fail(e instanceof Error ? e.message : String(e)));
  }

  start(request: LabRunRequest): void {
    if (this.busy.length > 0) return;
    let whole;
    try {
      whole = experimentOf(request);
    } catch (e) {
      this.setState('failed', e instanceof Error ? e.message : String(e));
      return;
    }
    this.paused = false;
    this.stopped = false;
    this.failed = false;
    // games given while no run was going, or that no seed got to use, wait for this run (Continue)
    this.games = this.unusedGames();
    this.usedBySeed = new Map();
    this.usedTold = new Map();
    this.request = request;
    this.setState('running');
    if (whole.kind !== 'physics') {
      this.exp = null;
      this.queue = [];
      this.then(() => this.startWhole(request));
      return;
    }
    const exp = whole;
    this.exp = exp;
    this.queue = [...exp.seeds];
    this.then(async () => {
      if (!request.resume) this.folder = new MemoryStorage();
      if (request.manifest !== undefined) await this.write('manifest.json', JSON.stringify(request.manifest, null, 2) + '\n');
      let resumedFrom: number | undefined;
      if (request.resume) {
        // as the CLI does: fold any parts into metrics.jsonl, then split it per seed
        await consolidateParts(this.folder, exp.seeds);
        await splitIntoParts(this.folder, exp.seeds);
        resumedFrom = minOf(exp.seeds.map((s) => this.recordedGeneration(s)));
      }
      this.emitEvent({ type: 'start', experiment: exp.name, scenario: exp.scenario, lineages: resolveLineages(exp).map((l) => l.name), generations: exp.generations, seeds: exp.seeds, resumedFrom });
      this.fill();
    });
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.paused = true;
    for (const s of this.busy) s.worker.postMessage({ type: 'pause' });
    this.setState('paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.paused = false;
    for (const s of this.busy) s.worker.postMessage({ type: 'resume' });
    this.setState('running');
    this.then(() => this.fill());
  }

  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.stopped = true;
    this.paused = false;
    this.queue = [];
    for (const s of this.busy) s.worker.postMessage({ type: 'stop' });
    this.setState('stopping');
    this.then(() => this.finishIfIdle());
  }

  addHumanGame(lineage: string, game: HumanGame): void {
    // kept for the seeds still to start (or the next run); the running ones get it now
    this.games.push({ lineage, game });
    for (const s of this.busy) s.worker.postMessage({ type: 'human-game', lineage, game });
  }

  loadFiles(files: Record<string, string>): void {
    if (this.busy.length > 0) {
      this.setState('failed', 'cannot open a run while another one is running');
      return;
    }
    this.then(() => {
      const folder = new MemoryStorage();
      for (const [path, data] of Object.entries(files)) folder.files.set(path, data);
      this.folder = folder;
    });
  }

  protected terminate(): void {
    for (const s of this.slots) s.worker.terminate();
    this.slots = [];
  }

  // ------------------------------------------------------------------ workers

  private freeSlot(): Slot | null {
    this.slots = this.slots.filter((s) => !s.dead);
    const free = this.slots.find((s) => s.seed === undefined && !s.dead);
    if (free) return free;
    if (this.workerCount >= this.size) return null;
    const slot: Slot = { worker: this.makeWorker(), dead: false };
    slot.worker.addEventListener('message', (e: MessageEvent<LabMessage>) => this.then(() => this.receive(slot, e.data)));
    slot.worker.addEventListener('error', (e: ErrorEvent) => {
      slot.dead = true;
      this.then(() => this.slotFailed(slot, e.message || 'a lab worker could not start (see the console)'));
    });
    this.slots.push(slot);
    return slot;
  }

  private async startWhole(request: LabRunRequest): Promise<void> {
    const slot = this.freeSlot()!;
    slot.seed = null;
    // the worker may not hold this run's files (another worker ran its seeds): hand them over
    if (request.resume) slot.worker.postMessage({ type: 'load-files', files: this.filesWhere((p) => !isPart(p)) });
    slot.worker.postMessage({ type: 'start', request });
  }

  /** Start queued seeds on free workers (not while paused or stopping). */
  private fill(): void {
    const exp = this.exp;
    const request = this.request;
    if (!exp || !request) return;
    // as many seeds at once as the CLI runs threads for this run's seeds
    const limit = Math.min(this.size, defaultWorkers(this.cores, exp.seeds.length));
    while (!this.paused && !this.stopped && !this.failed && this.queue.length > 0 && this.busy.length < limit) {
      const slot = this.freeSlot();
      if (!slot) break;
      const seed = this.queue.shift()!;
      slot.seed = seed;
      if (request.resume) {
        const mine = [...seedFolders(seed), statePath(seed), partPath(seed)];
        slot.worker.postMessage({ type: 'load-files', files: this.filesWhere((p) => mine.some((m) => (m.endsWith('/') ? p.startsWith(m) : p === m))) });
      }
      slot.worker.postMessage({ type: 'start', request: { ...request, manifest: undefined, seed, humanGames: [...this.games] } });
    }
  }

  private filesWhere(keep: (path: string) => boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [p, d] of this.folder.files) if (keep(p)) out[p] = typeof d === 'string' ? d : new TextDecoder().decode(d);
    return out;
  }

  private recordedGeneration(seed: number): number {
    const text = this.folder.files.get(statePath(seed));
    if (typeof text !== 'string') return -1;
    try {
      const g = (JSON.parse(text) as { generation?: unknown }).generation;
      return typeof g === 'number' ? g : -1;
    } catch {
      return -1; // the seed's worker names the damaged file
    }
  }

  private async write(path: string, data: string): Promise<void> {
    await this.folder.write(path, data);
    this.emitFile({ type: 'file', path, data });
  }

  private async receive(slot: Slot, msg: LabMessage): Promise<void> {
    if (slot.seed === null) return this.receiveWhole(slot, msg);
    const seed = slot.seed;
    if (seed === undefined) return;
    if (msg.type === 'file' || msg.type === 'append') {
      if (msg.type === 'file') await this.folder.write(msg.path, msg.data);
      else await this.folder.append(msg.path, msg.line);
      if (isPart(msg.path) && this.exp) await this.write(METRICS, await joinedParts(this.folder, this.exp.seeds));
      else this.emitFile(msg);
    } else if (msg.type === 'event') {
      const e = msg.event;
      if (e.type === 'done') await this.seedEnded(slot);
      else if (e.type !== 'start') this.emitEvent(e);
    } else if (msg.type === 'stopped') {
      this.stopped = true;
      await this.seedEnded(slot);
    } else if (msg.type === 'error') this.slotFailed(slot, `seed ${seed}: ${msg.message}`);
    else if (msg.type === 'human-used') this.humanUsed(seed, msg);
    else this.emitNotice(msg);
  }

  private async receiveWhole(slot: Slot, msg: LabMessage): Promise<void> {
    if (msg.type === 'file' || msg.type === 'append') {
      if (msg.type === 'file') await this.folder.write(msg.path, msg.data);
      else await this.folder.append(msg.path, msg.line);
      this.emitFile(msg);
    } else if (msg.type === 'event') {
      this.emitEvent(msg.event);
      if (msg.event.type === 'done') {
        slot.seed = undefined;
        this.setState('done');
      }
    } else if (msg.type === 'stopped') {
      slot.seed = undefined;
      this.setState('idle');
    } else if (msg.type === 'error') this.slotFailed(slot, msg.message);
    else this.emitNotice(msg);
  }

  /** The games no seed has used yet (a seed takes a lineage's games in the order they came). */
  private unusedGames(): { lineage: string; game: HumanGame }[] {
    const seen = new Map<string, number>();
    return this.games.filter(({ lineage }) => {
      const k = (seen.get(lineage) ?? 0) + 1;
      seen.set(lineage, k);
      return k > (this.usedTold.get(lineage) ?? 0);
    });
  }

  /** A game reaches every seed: the page hears of it once, when the first seed uses it. */
  private humanUsed(seed: number, msg: Extract<LabMessage, { type: 'human-used' }>): void {
    const mine = this.usedBySeed.get(seed) ?? new Map<string, number>();
    this.usedBySeed.set(seed, mine);
    mine.set(msg.lineage, (mine.get(msg.lineage) ?? 0) + msg.count);
    const told = this.usedTold.get(msg.lineage) ?? 0;
    const fresh = (mine.get(msg.lineage) ?? 0) - told;
    if (fresh <= 0) return;
    this.usedTold.set(msg.lineage, told + fresh);
    this.emitNotice({ ...msg, count: fresh });
  }

  private async seedEnded(slot: Slot): Promise<void> {
    slot.seed = undefined;
    this.fill();
    await this.finishIfIdle();
  }

  private slotFailed(slot: Slot, message: string): void {
    slot.seed = undefined;
    if (slot.dead) slot.worker.terminate();
    this.fail(message);
  }

  /**
   * The run cannot finish: the other seeds' workers are ended at once (their generation in
   * progress is lost, as a stop loses it; Continue redoes it); the rows received so far stay in
   * the page's metrics.jsonl, and the pool is free for the next run.
   */
  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.queue = [];
    for (const s of this.busy) {
      s.worker.terminate();
      s.dead = true;
      s.seed = undefined;
    }
    this.setState('failed', message);
  }

  /** When no seed is left running or queued: the run is done (parts joined), stopped, or failed. */
  private async finishIfIdle(): Promise<void> {
    const exp = this.exp;
    if (!exp || this.busy.length > 0) return;
    if (this.failed) return;
    if (this.stopped) {
      if (this.state === 'stopping' || this.state === 'running' || this.state === 'paused') this.setState('idle');
      return;
    }
    if (this.queue.length > 0) return; // paused between seeds
    const rows = await joinParts(this.folder, exp.seeds);
    this.emitFile({ type: 'file', path: METRICS, data: (await this.folder.read(METRICS)) ?? '' });
    this.emitEvent({ type: 'done', rows });
    this.setState('done');
  }
}
