/**
 * The scenario API: the Gymnasium / PettingZoo-parallel shape, for two players.
 * Observations are ego-centric: each player sees the game from its own side, so one policy can
 * play either seat. `mirrorObservation` turns player 0's observation into player 1's.
 */

export type Vec = number[];
export type Pair<T> = [T, T];
export type PlayerIndex = 0 | 1;
export type ScenarioId = 'duel' | 'hockey';

/** A box space: a vector with per-dimension bounds. */
export interface BoxSpace {
  readonly size: number;
  readonly low: readonly number[];
  readonly high: readonly number[];
  /** one name per dimension, used in error messages and charts */
  readonly names: readonly string[];
  /**
   * Actions outside [low, high] are clipped when true and rejected when false.
   * NaN and infinities are always rejected.
   */
  readonly clip: boolean;
}

export interface StepInfo {
  /** decision steps taken so far in this episode */
  step: number;
  /** which players act at the next step (turn-based scenarios activate one at a time) */
  active: Pair<boolean>;
  /** 0 or 1 when that player has won; -1 for a draw; null while the episode goes on */
  winner: -1 | 0 | 1 | null;
  /** scenario events of this step, e.g. 'hit', 'miss', 'goal', 'bank' (for style and replay) */
  events: string[];
  /** physics frames of this step, present only when the scenario was created with recordFrames */
  frames?: SceneView[];
}

export interface ResetResult {
  observations: Pair<Vec>;
  info: StepInfo;
}

export interface StepResult {
  observations: Pair<Vec>;
  rewards: Pair<number>;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
}

/** What the renderer draws: world units, y pointing down, origin top-left of the arena. */
export interface SceneBody {
  id: string;
  /** role decides the colour in the renderer */
  role: 'ground' | 'hill' | 'wall' | 'goal' | 'player0' | 'player1' | 'projectile' | 'puck' | 'paddle0' | 'paddle1' | 'marker';
  shape: 'circle' | 'polygon';
  x: number;
  y: number;
  angle: number;
  radius?: number;
  /** polygon vertices in world coordinates */
  vertices?: { x: number; y: number }[];
}

export interface SceneView {
  width: number;
  height: number;
  bodies: SceneBody[];
  /** scenario-specific scalar readouts (wind, score, turn...) for the HUD */
  hud: Record<string, number | string>;
}

/** A point of an observation placed in the world, for drawing imagined ("dream") trajectories. */
export interface ObsPoint {
  label: string;
  x: number;
  y: number;
  /** where a flight to this point started (e.g. the shooter of an imagined shot): drawn as an arc */
  from?: { x: number; y: number };
}

export interface Scenario<S = unknown> {
  readonly id: ScenarioId;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: BoxSpace;
  /** decision steps after which an episode is truncated */
  readonly maxSteps: number;
  reset(seed: number): ResetResult;
  /** Both players' actions; a turn-based scenario ignores the inactive player's action. */
  step(actions: Pair<Vec>): StepResult;
  /** Explicit, JSON-serialisable state; restore(snapshot()) resumes bit-identically. */
  snapshot(): S;
  restore(state: S): void;
  /** The drawable scene now. */
  view(): SceneView;
  /**
   * Optional, for planning: what the next `decisions` decision steps with both actions held would
   * bring, simulated on a scratch copy of the bodies' positions and velocities (without the
   * contact cache), leaving this scenario untouched. Deterministic for the same state and actions.
   */
  lookahead?(actions: Pair<Vec>, decisions: number): Lookahead;
}

/** The end of a lookahead: both players' observations, and the scorer if the game ended (-1: it goes on). */
export interface Lookahead {
  observations: Pair<Vec>;
  winner: -1 | 0 | 1;
}

/** A recorded episode in the simulator (or imagined by a world model, same shape). */
export interface EpisodeRecord {
  scenario: ScenarioId;
  seed: number;
  /** obs[t] = both players' observations before step t; obs has length steps + 1 */
  obs: Pair<Vec>[];
  /** actions[t] = both players' actions at step t (inactive player's action is all zeros) */
  actions: Pair<Vec>[];
  /** active[t] = which players acted at step t */
  active: Pair<boolean>[];
  /** events[t] = scenario events of step t */
  events: string[][];
  winner: -1 | 0 | 1;
  terminated: boolean;
  truncated: boolean;
}

export interface StyleInfo {
  /** all styles this scenario recognises, common first */
  readonly styles: readonly string[];
  /** the rare ones: the tails */
  readonly rare: readonly string[];
}

export interface ScenarioDef<P = unknown> {
  readonly id: ScenarioId;
  readonly title: string;
  readonly description: string;
  readonly defaultParams: P;
  /** Validate parameters; throws a ConfigError naming the field on bad input. */
  create(params?: Partial<P>, options?: { recordFrames?: boolean }): Scenario;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: BoxSpace;
  readonly maxSteps: number;
  /** Player 1's observation computed from player 0's. Involutive: mirror(mirror(o)) = o. */
  mirrorObservation(obs: Vec): Vec;
  readonly style: StyleInfo;
  /** Counts of each style of play by `player` in an episode (e.g. shots by style). */
  styleCounts(ep: EpisodeRecord, player: PlayerIndex): Record<string, number>;
  /** World positions encoded in an observation of player 0 (for drawing dreams). */
  observationPoints(obs: Vec): ObsPoint[];
}
