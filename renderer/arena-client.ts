/**
 * The arenas' worker (arena-worker.ts): plays a generation's policy in the real simulator with its
 * world model's dream (lab/showcase.ts), and runs human games against a model. A worker of its
 * own, so the arenas stay responsive while the lab worker trains for seconds at a time.
 */
import type { DreamOutcome } from '../lab/showcase.ts';
import type { EpisodeRecord, ObsPoint, ScenarioId, SceneView, Vec } from '../sim/types.ts';
import type { PackedFrames } from './scene-pack.ts';

/** Who plays seat 1: a stored checkpoint (by its path in the run folder) or a scripted style. */
export type OpponentSpec = { kind: 'model'; key: string } | { kind: 'scripted'; style: string };

export type ArenaCommand =
  | { type: 'init'; wasmBase: string }
  /** a checkpoint file's text ({id, policy, world}), under its run-folder path */
  | { type: 'model'; key: string; text: string }
  /** drop every model (a new run) */
  | { type: 'forget' }
  | { type: 'showcase'; id: number; scenario: ScenarioId; params: Record<string, number>; model: string; opponent: OpponentSpec; seed: number; rngLabels: (string | number)[] }
  | { type: 'play-start'; id: number; scenario: ScenarioId; params: Record<string, number>; opponent: OpponentSpec; seed: number }
  | { type: 'play-step'; id: number; action: Vec }
  | { type: 'play-end' };

export interface ShowcaseResult {
  episode: EpisodeRecord;
  packed: PackedFrames;
  dreamStart: ObsPoint[];
  dream: ObsPoint[][];
  real: ObsPoint[][];
  dreamOutcome: DreamOutcome;
}

export interface PlayUpdate {
  /** frames of the steps just taken (the start scene only, for play-start) */
  packed: PackedFrames;
  humanActive: boolean;
  done: boolean;
  events: string[];
  /** the person's latest observation */
  observation: Vec;
  /** the whole game, once it is over */
  episode?: EpisodeRecord;
}

export type ArenaReply =
  | { type: 'ready'; backend: string }
  | { type: 'showcase'; id: number; result: ShowcaseResult }
  | { type: 'play'; id: number; update: PlayUpdate }
  | { type: 'error'; id: number | null; message: string };

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** Request/response over the arena worker. */
export class ArenaClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly sent = new Set<string>();
  private readyPromise: Promise<string>;
  private readyResolve!: (b: string) => void;
  private readyReject!: (e: Error) => void;

  constructor(private readonly worker: Worker, wasmBase: string) {
    this.readyPromise = new Promise((res, rej) => {
      this.readyResolve = res;
      this.readyReject = rej;
    });
    worker.addEventListener('message', (e: MessageEvent<ArenaReply>) => this.receive(e.data));
    worker.addEventListener('error', (e: ErrorEvent) => {
      const err = new Error(`arena worker: ${e.message}`);
      this.readyReject(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
    this.post({ type: 'init', wasmBase });
  }

  get ready(): Promise<string> {
    return this.readyPromise;
  }

  /** Hand over a checkpoint (sent once per key). */
  model(key: string, text: string): void {
    if (this.sent.has(key)) return;
    this.sent.add(key);
    this.post({ type: 'model', key, text });
  }

  hasModel(key: string): boolean {
    return this.sent.has(key);
  }

  forget(): void {
    this.sent.clear();
    this.post({ type: 'forget' });
  }

  showcase(req: Omit<Extract<ArenaCommand, { type: 'showcase' }>, 'type' | 'id'>): Promise<ShowcaseResult> {
    return this.request<ShowcaseResult>((id) => ({ type: 'showcase', id, ...req }));
  }

  playStart(req: Omit<Extract<ArenaCommand, { type: 'play-start' }>, 'type' | 'id'>): Promise<PlayUpdate> {
    return this.request<PlayUpdate>((id) => ({ type: 'play-start', id, ...req }));
  }

  playStep(action: Vec): Promise<PlayUpdate> {
    return this.request<PlayUpdate>((id) => ({ type: 'play-step', id, action }));
  }

  playEnd(): void {
    this.post({ type: 'play-end' });
  }

  dispose(): void {
    this.worker.terminate();
  }

  private request<T>(make: (id: number) => ArenaCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post(make(id));
    });
  }

  private post(c: ArenaCommand): void {
    this.worker.postMessage(c);
  }

  private receive(r: ArenaReply): void {
    if (r.type === 'ready') {
      this.readyResolve(r.backend);
      return;
    }
    if (r.type === 'error' && r.id === null) {
      this.readyReject(new Error(r.message));
      return;
    }
    const p = this.pending.get(r.id!);
    if (!p) return;
    this.pending.delete(r.id!);
    if (r.type === 'error') p.reject(new Error(r.message));
    else if (r.type === 'showcase') p.resolve(r.result);
    else p.resolve(r.update);
  }
}

export type { SceneView };
