/**
 * The seam between the UI and the lab.
 *
 * The lab runs in a Web Worker (lab-worker.ts) that calls lab/run.ts `runExperiment(config, host)`
 * with a LabHost whose `emit` posts LabEvents here and whose `storage` is an in-memory RunStorage
 * that mirrors every file it writes to the page (`file` / `append` messages), so the page holds the
 * run folder (for the arenas, Save run, and the run folder on disk in Electron). The UI only sees
 * LabClient.
 */
import type { HumanGame, LabEvent } from '../lab/host.ts';
import type { ScenarioId } from '../sim/types.ts';

export type { HumanGame, LabEvent };

export interface LabRunRequest {
  /** a preset name (lab/presets.ts) */
  preset: string;
  /** overrides of the preset's top-level fields (generations, seeds...) */
  overrides?: Record<string, unknown>;
  scenario?: ScenarioId;
  /** a complete experiment config (checked with parseExperiment); when given, preset/overrides/scenario are ignored */
  config?: unknown;
  /** manifest.json to write before the run starts (on resume too: it then records the new generations) */
  manifest?: unknown;
  /** continue the run held by the worker (its storage) up to the config's generations */
  resume?: boolean;
  /** where tfjs-backend-wasm's .wasm files are served (see tfjsWasmBase) */
  wasmBase: string;
  /**
   * run only this seed of a physics config, its metrics in its part file (lab/seed-parts.ts): one
   * worker of the page's pool (lab-pool.ts)
   */
  seed?: number;
  /** human games queued before this seed started (a seed run: they replace the worker's queue) */
  humanGames?: { lineage: string; game: HumanGame }[];
}

/** UI → worker */
export type LabCommand =
  | { type: 'start'; request: LabRunRequest }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** a finished human game, fresh real data for `lineage`'s next generation */
  | { type: 'human-game'; lineage: string; game: HumanGame }
  /** replace the worker's run storage (an opened run, to continue it) */
  | { type: 'load-files'; files: Record<string, string> };

/** worker → UI */
export type LabMessage =
  | { type: 'event'; event: LabEvent }
  | { type: 'error'; message: string }
  | { type: 'stopped' }
  /** the run wrote (atomically) a file */
  | { type: 'file'; path: string; data: string }
  /** the run appended a line to a file */
  | { type: 'append'; path: string; line: string }
  /** tfjs is up */
  | { type: 'backend'; name: string }
  /** queued human games were handed to a lineage's training set */
  | { type: 'human-used'; lineage: string; generation: number; count: number };

export type LabFileEvent = { type: 'file'; path: string; data: string } | { type: 'append'; path: string; line: string };

export type LabClientState = 'idle' | 'running' | 'paused' | 'stopping' | 'done' | 'failed';

export interface LabClient {
  readonly state: LabClientState;
  start(request: LabRunRequest): void;
  pause(): void;
  resume(): void;
  /** the run stops cleanly after the current unit of work (LabHost.shouldStop) */
  stop(): void;
  /** queue a human game as fresh real data for `lineage` (used when its next generation trains) */
  addHumanGame(lineage: string, game: HumanGame): void;
  /** hand the worker a run's files (to continue an opened run) */
  loadFiles(files: Record<string, string>): void;
  /** every LabEvent plus state changes; returns unsubscribe */
  onEvent(listener: (event: LabEvent) => void): () => void;
  /** files the run writes; returns unsubscribe */
  onFile(listener: (event: LabFileEvent) => void): () => void;
  /** other worker news (backend, human games used); returns unsubscribe */
  onNotice(listener: (message: LabMessage) => void): () => void;
  onState(listener: (state: LabClientState, error?: string) => void): () => void;
  dispose(): void;
}

/** The part of a Worker the client uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: LabCommand): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<LabMessage>) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  terminate(): void;
}

/** The listener registry and run state every LabClient shares (one worker, or the pool of them). */
export abstract class LabClientBase implements LabClient {
  private stateValue: LabClientState = 'idle';
  private readonly eventListeners = new Set<(event: LabEvent) => void>();
  private readonly stateListeners = new Set<(state: LabClientState, error?: string) => void>();
  private readonly fileListeners = new Set<(event: LabFileEvent) => void>();
  private readonly noticeListeners = new Set<(message: LabMessage) => void>();

  get state(): LabClientState {
    return this.stateValue;
  }

  abstract start(request: LabRunRequest): void;
  abstract pause(): void;
  abstract resume(): void;
  abstract stop(): void;
  abstract addHumanGame(lineage: string, game: HumanGame): void;
  abstract loadFiles(files: Record<string, string>): void;
  /** end the worker(s); the listeners are dropped */
  protected abstract terminate(): void;

  onFile(listener: (event: LabFileEvent) => void): () => void {
    this.fileListeners.add(listener);
    return () => void this.fileListeners.delete(listener);
  }
  onNotice(listener: (message: LabMessage) => void): () => void {
    this.noticeListeners.add(listener);
    return () => void this.noticeListeners.delete(listener);
  }
  onEvent(listener: (event: LabEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => void this.eventListeners.delete(listener);
  }
  onState(listener: (state: LabClientState, error?: string) => void): () => void {
    this.stateListeners.add(listener);
    return () => void this.stateListeners.delete(listener);
  }
  dispose(): void {
    this.terminate();
    this.eventListeners.clear();
    this.stateListeners.clear();
    this.fileListeners.clear();
    this.noticeListeners.clear();
  }

  protected emitEvent(event: LabEvent): void {
    this.eventListeners.forEach((l) => l(event));
  }
  protected emitFile(event: LabFileEvent): void {
    this.fileListeners.forEach((l) => l(event));
  }
  protected emitNotice(message: LabMessage): void {
    this.noticeListeners.forEach((l) => l(message));
  }
  protected setState(s: LabClientState, error?: string): void {
    this.stateValue = s;
    this.stateListeners.forEach((l) => l(s, error));
  }
}

/** LabClient over a worker speaking LabCommand / LabMessage. */
export class WorkerLabClient extends LabClientBase {
  constructor(private readonly worker: WorkerLike) {
    super();
    worker.addEventListener('message', (e: MessageEvent<LabMessage>) => this.receive(e.data));
    worker.addEventListener('error', (e: ErrorEvent) => this.setState('failed', e.message || 'the lab worker could not start (see the console)'));
  }

  start(request: LabRunRequest): void {
    this.worker.postMessage({ type: 'start', request });
    this.setState('running');
  }
  pause(): void {
    if (this.state !== 'running') return;
    this.worker.postMessage({ type: 'pause' });
    this.setState('paused');
  }
  resume(): void {
    if (this.state !== 'paused') return;
    this.worker.postMessage({ type: 'resume' });
    this.setState('running');
  }
  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.worker.postMessage({ type: 'stop' });
    this.setState('stopping');
  }
  addHumanGame(lineage: string, game: HumanGame): void {
    this.worker.postMessage({ type: 'human-game', lineage, game });
  }
  loadFiles(files: Record<string, string>): void {
    this.worker.postMessage({ type: 'load-files', files });
  }
  protected terminate(): void {
    this.worker.terminate();
  }

  private receive(msg: LabMessage): void {
    if (msg.type === 'event') {
      this.emitEvent(msg.event);
      if (msg.event.type === 'done') this.setState('done');
    } else if (msg.type === 'error') this.setState('failed', msg.message);
    else if (msg.type === 'stopped') this.setState('idle');
    else if (msg.type === 'file' || msg.type === 'append') this.emitFile(msg);
    else this.emitNotice(msg);
  }
}

/** Absolute URL of the folder holding tfjs-backend-wasm's .wasm files (for setWasmPaths in the worker). */
export function tfjsWasmBase(baseURI: string = document.baseURI): string {
  return new URL('tfjs-wasm/', baseURI).href;
}
