/**
 * The seam between the UI and the lab (phase 2 wires it).
 *
 * The lab runs in a Web Worker (`new Worker(new URL('./lab-worker.ts', import.meta.url), { type: 'module' })`)
 * that calls lab/experiment.ts `runExperiment(config, host)` with a LabHost whose `emit` posts
 * LabEvents here and whose `storage` is a RunStorage (MemoryStorage in the web page; proxied to
 * the preload API `window.driftlab` for a run folder in Electron). The UI only sees LabClient.
 */
import type { LabEvent } from '../lab/host.ts';
import type { ScenarioId } from '../sim/types.ts';

export type { LabEvent };

export interface LabRunRequest {
  /** a preset name (lab/presets.ts) */
  preset: string;
  /** overrides of the preset's knobs (generations, seeds, episodes, lineages...) */
  overrides?: Record<string, unknown>;
  scenario?: ScenarioId;
  /** where tfjs-backend-wasm's .wasm files are served (see tfjsWasmBase) */
  wasmBase: string;
}

/** UI → worker */
export type LabCommand =
  | { type: 'start'; request: LabRunRequest }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

/** worker → UI */
export type LabMessage = { type: 'event'; event: LabEvent } | { type: 'error'; message: string } | { type: 'stopped' };

export type LabClientState = 'idle' | 'running' | 'paused' | 'stopping' | 'done' | 'failed';

export interface LabClient {
  readonly state: LabClientState;
  start(request: LabRunRequest): void;
  pause(): void;
  resume(): void;
  /** the run stops cleanly after the current unit of work (LabHost.shouldStop) */
  stop(): void;
  /** every LabEvent plus state changes; returns unsubscribe */
  onEvent(listener: (event: LabEvent) => void): () => void;
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

/** LabClient over a worker speaking LabCommand / LabMessage. */
export class WorkerLabClient implements LabClient {
  private stateValue: LabClientState = 'idle';
  private readonly eventListeners = new Set<(event: LabEvent) => void>();
  private readonly stateListeners = new Set<(state: LabClientState, error?: string) => void>();

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (e: MessageEvent<LabMessage>) => this.receive(e.data));
    worker.addEventListener('error', (e: ErrorEvent) => this.setState('failed', e.message));
  }

  get state(): LabClientState {
    return this.stateValue;
  }

  start(request: LabRunRequest): void {
    this.worker.postMessage({ type: 'start', request });
    this.setState('running');
  }
  pause(): void {
    if (this.stateValue !== 'running') return;
    this.worker.postMessage({ type: 'pause' });
    this.setState('paused');
  }
  resume(): void {
    if (this.stateValue !== 'paused') return;
    this.worker.postMessage({ type: 'resume' });
    this.setState('running');
  }
  stop(): void {
    if (this.stateValue !== 'running' && this.stateValue !== 'paused') return;
    this.worker.postMessage({ type: 'stop' });
    this.setState('stopping');
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
    this.worker.terminate();
    this.eventListeners.clear();
    this.stateListeners.clear();
  }

  private receive(msg: LabMessage): void {
    if (msg.type === 'event') {
      this.eventListeners.forEach((l) => l(msg.event));
      if (msg.event.type === 'done') this.setState('done');
    } else if (msg.type === 'error') this.setState('failed', msg.message);
    else if (msg.type === 'stopped') this.setState('idle');
  }

  private setState(s: LabClientState, error?: string): void {
    this.stateValue = s;
    this.stateListeners.forEach((l) => l(s, error));
  }
}

/** Absolute URL of the folder holding tfjs-backend-wasm's .wasm files (for setWasmPaths in the worker). */
export function tfjsWasmBase(baseURI: string = document.baseURI): string {
  return new URL('tfjs-wasm/', baseURI).href;
}
