/**
 * Duel's rules as numbers: the arena constants, the action ↔ angle/power maps, the parameters and
 * their validation, the observation and action spaces, the mirror, and the shot styles and
 * observation points the lab's metrics and dream view use. No physics here: the matter-js
 * scenario that plays these rules is `sim/duel.ts`.
 */
import { ConfigError } from './errors.ts';
import { box } from './space.ts';
import type { BoxSpace, EpisodeRecord, ObsPoint, PlayerIndex, Vec } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Constants (exported so scripted players and tools share one source of truth)

export const DT = 1000 / 60;

export const DUEL = {
  width: 1000,
  height: 500,
  groundY: 460,
  tankW: 40,
  tankH: 20,
  /** p0 tank centre x range, p1 tank centre x range */
  tank0X: [80, 200] as const,
  tank1X: [800, 920] as const,
  /** hill centre x = hillCenter ± hillJitter; half-width drawn in hillHalfWidth */
  hillCenter: 500,
  hillJitter: 60,
  hillHalfWidth: [90, 140] as const,
  /** hill heights are normalised by this in observations (h/125 - 1), and params live in [hillLimit] */
  hillLimit: [10, 250] as const,
  projectileR: 4,
  /** launch point: above the shooter's tank centre */
  launchDy: 25,
  /** gravity per physics step², as matter integrates it (gravity.y = 1, scale = 0.001) */
  gStep: 0.001 * DT * DT,
  /** horizontal acceleration per step² at wind = ±1 */
  windAccel: 0.032,
  /** launch speed (units/step) for power -1 and +1 */
  vMin: 8,
  vMax: 26,
  /** angle (degrees) for angle action -1 and +1 */
  angleMin: 10,
  angleMax: 80,
  /** physics steps before a shot is stopped */
  maxFlightSteps: 240,
  /** landing errors are divided by this in observations (then clipped to [-1, 1]) */
  missScale: 600,
  /** distance normalisation: (d - distMid) / distHalf */
  distMid: 720,
  distHalf: 120,
  /** physics step in ms */
  dt: DT,
} as const;

/** Launch angle in degrees for an angle action in [-1, 1] (45° at 0). */
export function angleFromAction(a: number): number {
  return 45 + 35 * a;
}
export function actionFromAngle(deg: number): number {
  return (deg - 45) / 35;
}
/** Launch speed (units per physics step) for a power action in [-1, 1]. */
export function speedFromAction(p: number): number {
  return DUEL.vMin + ((p + 1) / 2) * (DUEL.vMax - DUEL.vMin);
}
export function actionFromSpeed(v: number): number {
  return (2 * (v - DUEL.vMin)) / (DUEL.vMax - DUEL.vMin) - 1;
}

// ---------------------------------------------------------------------------------------------
// Parameters

export interface DuelParams {
  /** shots per player; maxSteps = 2 × shotsPerPlayer */
  shotsPerPlayer: number;
  /** wind is drawn uniformly in [-windMax, windMax] (1 = strongest) */
  windMax: number;
  /** hill height range (world units above the ground) */
  hillMin: number;
  hillMax: number;
}

export const defaultDuelParams: DuelParams = { shotsPerPlayer: 10, windMax: 1, hillMin: 40, hillMax: 150 };

/** Each parameter's range: the one statement of the duel's limits (validateDuelParams checks them, in this order). */
export const DUEL_PARAM_LIMITS: Record<keyof DuelParams, { min: number; max: number; integer?: boolean }> = {
  shotsPerPlayer: { min: 1, max: 50, integer: true },
  windMax: { min: 0, max: 1 },
  hillMin: { min: DUEL.hillLimit[0], max: DUEL.hillLimit[1] },
  hillMax: { min: DUEL.hillLimit[0], max: DUEL.hillLimit[1] },
};

function checkNumber(field: string, v: unknown, lo: number, hi: number, integer = false): number {
  const allowed = integer ? `integer in [${lo}, ${hi}]` : `number in [${lo}, ${hi}]`;
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number, so the typeof test only documents intent
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(field, `is ${String(v)}, not a finite number`, allowed);
  if (integer && !Number.isInteger(v)) throw new ConfigError(field, `is ${v}, not an integer`, allowed);
  if (v < lo || v > hi) throw new ConfigError(field, `is ${v}, out of range`, allowed);
  return v;
}

/** Validate and complete duel parameters; throws ConfigError naming the field. */
export function validateDuelParams(params: Partial<DuelParams> = {}): DuelParams {
  if (params === null || typeof params !== 'object') throw new ConfigError('params', 'must be an object', 'DuelParams');
  const known = Object.keys(defaultDuelParams);
  for (const k of Object.keys(params)) {
    if (!known.includes(k)) throw new ConfigError(k, 'is not a duel parameter', known.join(', '));
  }
  const p: DuelParams = { ...defaultDuelParams };
  for (const k of known as (keyof DuelParams)[]) {
    const v = params[k];
    if (v !== undefined) p[k] = v;
  }
  for (const k of known as (keyof DuelParams)[]) {
    const { min, max, integer } = DUEL_PARAM_LIMITS[k];
    checkNumber(k, p[k], min, max, integer);
  }
  if (p.hillMin > p.hillMax) throw new ConfigError('hillMin', `is ${p.hillMin}, above hillMax (${p.hillMax})`, `≤ hillMax`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Spaces

export const DUEL_OBS_NAMES = [
  'myTurn',
  'distance',
  'hillHeight',
  'hillPos',
  'wind',
  'myLastAngle',
  'myLastPower',
  'myLastMiss',
  'myHasFired',
  'enemyLastAngle',
  'enemyLastPower',
  'enemyLastMiss',
  'enemyHasFired',
  'progress',
] as const;

export const OBS = Object.fromEntries(DUEL_OBS_NAMES.map((n, i) => [n, i])) as Record<(typeof DUEL_OBS_NAMES)[number], number>;
export { OBS as DUEL_OBS };

export const duelObservationSpace: BoxSpace = box(
  [...DUEL_OBS_NAMES],
  DUEL_OBS_NAMES.map(() => -1),
  DUEL_OBS_NAMES.map(() => 1),
);
export const duelActionSpace: BoxSpace = box(['angle', 'power'], [-1, -1], [1, 1], true);

/** -x without producing -0 (keeps mirror exact under Object.is / toEqual). */
function neg(x: number): number {
  return -x + 0;
}
export function clamp1(x: number): number {
  // Stryker disable next-line EqualityOperator: at exactly ±1 both branches return ±1
  return x < -1 ? -1 : x > 1 ? 1 : x + 0;
}

/**
 * Player 1's observation from player 0's: swap my/enemy fields, flip myTurn, negate wind and the
 * hill position. Exact and involutive.
 */
export function mirrorDuelObservation(o: Vec): Vec {
  return [
    neg(o[0]),
    o[1],
    o[2],
    neg(o[3]),
    neg(o[4]),
    o[9],
    o[10],
    o[11],
    o[12],
    o[5],
    o[6],
    o[7],
    o[8],
    o[13],
  ];
}

// ---------------------------------------------------------------------------------------------
// Style and dream helpers

/**
 * A lob is a high arc: 55° and up (the scripted lobbers fire at 60°–75°, direct players at 20°–44°).
 * Shots in between, which no common style of D0 aims for, count as direct (flat) shots, so the
 * rare style's share measures the high-arc tail of D0's angle distribution.
 */
export const LOB_MIN_ANGLE = 55;

/** 'direct' for angles below LOB_MIN_ANGLE, 'lob' otherwise; null for a non-finite action. */
export function duelShotStyle(angleAction: number): 'direct' | 'lob' | null {
  if (!Number.isFinite(angleAction)) return null;
  return angleFromAction(Math.max(-1, Math.min(1, angleAction))) < LOB_MIN_ANGLE ? 'direct' : 'lob';
}

export function duelStyleCounts(ep: EpisodeRecord, player: PlayerIndex): Record<string, number> {
  const counts: Record<string, number> = { direct: 0, lob: 0 };
  // Stryker disable next-line MethodExpression,EqualityOperator: past the shorter list ep.active[t]?.[player] or ep.actions[t]?.[player] is undefined and the step is skipped anyway
  const n = Math.min(ep.actions.length, ep.active.length);
  // Stryker disable next-line EqualityOperator: see above (t = n is skipped by the optional chains)
  for (let t = 0; t < n; t++) {
    if (!ep.active[t]?.[player]) continue;
    const a = ep.actions[t]?.[player];
    // Stryker disable next-line ConditionalExpression: an empty action gives duelShotStyle(undefined) = null, not counted either way
    if (!a || a.length < 1) continue;
    const st = duelShotStyle(a[0]);
    if (st) counts[st] += 1;
  }
  return counts;
}

/**
 * World points encoded in player 0's observation. Approximate: the observation holds the distance
 * between the tanks, not their absolute x, so the tanks are placed symmetrically about the arena's
 * centre (x = 500 ∓ d/2); the hill and the landing points are placed relative to them. Landing points
 * are only given for players that have fired; clipped misses (|miss| = 1) sit at the clip distance.
 */
export function duelObservationPoints(obs: Vec): ObsPoint[] {
  const d = DUEL.distMid + DUEL.distHalf * obs[OBS.distance];
  const x0 = DUEL.width / 2 - d / 2;
  const x1 = DUEL.width / 2 + d / 2;
  const g = DUEL.groundY;
  const f = (obs[OBS.hillPos] / 3 + 1) / 2;
  const h = 125 * (obs[OBS.hillHeight] + 1);
  const pts: ObsPoint[] = [
    { label: 'me', x: x0, y: g - DUEL.tankH / 2 },
    { label: 'enemy', x: x1, y: g - DUEL.tankH / 2 },
    { label: 'hill', x: x0 + f * d, y: g - h },
  ];
  // landing points, each with the shooter it flew from, so an imagined shot can be drawn as an arc
  const launchY = g - DUEL.tankH / 2 - DUEL.launchDy;
  if (obs[OBS.myHasFired] > 0) pts.push({ label: 'myLanding', x: x1 + obs[OBS.myLastMiss] * DUEL.missScale, y: g, from: { x: x0, y: launchY } });
  if (obs[OBS.enemyHasFired] > 0) pts.push({ label: 'enemyLanding', x: x0 - obs[OBS.enemyLastMiss] * DUEL.missScale, y: g, from: { x: x1, y: launchY } });
  return pts;
}
