import type { EpisodeRecord } from '../sim/types.ts';
import type { AnyRow } from './types.ts';

/**
 * Where a run lives. The CLI implements it on the file system (atomic temp file + rename), the
 * app through the preload API (Electron) or in memory with download/upload (web page).
 * Paths are relative to the run folder and use '/'.
 */
export interface RunStorage {
  read(path: string): Promise<string | null>;
  /** Atomic: readers never see a half-written file. */
  write(path: string, data: string | Uint8Array): Promise<void>;
  /** Append a line to a text file (metrics.jsonl); durable once the promise resolves. */
  append(path: string, line: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}

export type LabPhase = 'data' | 'train' | 'evaluate' | 'rate';

export type LabEvent =
  | { type: 'start'; experiment: string; scenario: string; lineages: string[]; generations: number; seeds: number[]; resumedFrom?: number }
  | { type: 'progress'; seed: number; lineage: string; generation: number; phase: LabPhase; done: number; total: number }
  /** a new row; `final`: a finished seed's row again, with its final Elo (replaces the provisional one) */
  | { type: 'row'; row: AnyRow; final?: boolean }
  | { type: 'log'; message: string }
  | { type: 'done'; rows: number };

/** A game a person played in the simulator; `players` names each seat ('human' or a model id). */
export interface HumanGame {
  ep: EpisodeRecord;
  players: [string, string];
}

export interface LabHost {
  storage: RunStorage;
  emit(event: LabEvent): void;
  /** Polled between units of work; when true the run stops cleanly after the current unit. */
  shouldStop?(): boolean;
  /** Awaited between units of work: a paused app returns a promise that resolves on resume. */
  gate?(): Promise<void>;
  /**
   * Human games to add as fresh real data to `lineage`'s training set for `generation` (played
   * in the simulator in the app; provenance `human`). They are stored with the generation's
   * samples, so a resumed run sees them again.
   */
  humanGames?(lineage: string, generation: number): HumanGame[];
}

/** An in-memory RunStorage (tests, the web page). */
export class MemoryStorage implements RunStorage {
  readonly files = new Map<string, string | Uint8Array>();
  async read(path: string): Promise<string | null> {
    const v = this.files.get(path);
    if (v === undefined) return null;
    return typeof v === 'string' ? v : new TextDecoder().decode(v);
  }
  async write(path: string, data: string | Uint8Array): Promise<void> {
    this.files.set(path, data);
  }
  async append(path: string, line: string): Promise<void> {
    const prev = (await this.read(path)) ?? '';
    this.files.set(path, prev + line + '\n');
  }
  async exists(path: string): Promise<boolean> {
    return this.files.has(path);
  }
}
