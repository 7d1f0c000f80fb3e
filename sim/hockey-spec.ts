/**
 * Air hockey's rules as numbers: the table geometry, the parameters and their validation, the
 * observation and action spaces and the mirror. No physics here: the matter-js scenario that plays
 * these rules is `sim/hockey.ts`; shot styles read from observations are in `sim/hockey-shots.ts`.
 */
import { ConfigError } from './errors.ts';
import { box } from './space.ts';
import type { BoxSpace, Vec } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Table geometry (world units; velocities in units per physics step)

export const TABLE_W = 500;
export const TABLE_H = 800;
export const PADDLE_R = 30;
export const PUCK_R = 18;
/** paddle speed cap, units per physics step (600 units/s) */
export const PADDLE_MAX_SPEED = 10;
/** puck speed cap, units per physics step (1320 units/s) */
export const PUCK_MAX_SPEED = 22;

// ---------------------------------------------------------------------------------------------
// Parameters

export interface HockeyParams {
  /** physics steps per decision */
  frameSkip: number;
  /** decisions after which the episode is truncated as a draw */
  maxSteps: number;
  /** width of each goal mouth, world units (table is 500 wide) */
  goalWidth: number;
}

export const hockeyDefaultParams: HockeyParams = { frameSkip: 4, maxSteps: 300, goalWidth: 180 };

export const HOCKEY_PARAM_RULES: Record<keyof HockeyParams, { min: number; max: number; integer: boolean }> = {
  frameSkip: { min: 1, max: 16, integer: true },
  maxSteps: { min: 10, max: 100_000, integer: true },
  goalWidth: { min: 80, max: 400, integer: false },
};

export function validateHockeyParams(params: Partial<HockeyParams> = {}): HockeyParams {
  if (params === null || typeof params !== 'object') {
    throw new ConfigError('params', 'must be an object', Object.keys(HOCKEY_PARAM_RULES).join(', '));
  }
  const out: HockeyParams = { ...hockeyDefaultParams };
  for (const [key, value] of Object.entries(params)) {
    if (!Object.hasOwn(HOCKEY_PARAM_RULES, key)) {
      throw new ConfigError(key, 'is not a hockey parameter', Object.keys(HOCKEY_PARAM_RULES).join(', '));
    }
    if (value === undefined) continue;
    const rule = HOCKEY_PARAM_RULES[key as keyof HockeyParams];
    const range = `${rule.integer ? 'integer ' : ''}[${rule.min}, ${rule.max}]`;
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number, so the typeof test only documents intent
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(key, `is ${String(value)}, not a finite number`, range);
    }
    if (rule.integer && !Number.isInteger(value)) throw new ConfigError(key, `is ${value}, not an integer`, range);
    if (value < rule.min || value > rule.max) throw new ConfigError(key, `is ${value}, out of range`, range);
    out[key as keyof HockeyParams] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Spaces

export const POS_X = 1;
/** y slightly beyond 1: the puck centre may be past the goal line in the step that scores */
export const POS_Y = 1.1;
const OBS_NAMES = [
  'own.x', 'own.y', 'own.vx', 'own.vy',
  'opp.x', 'opp.y', 'opp.vx', 'opp.vy',
  'puck.x', 'puck.y', 'puck.vx', 'puck.vy',
] as const;
/** Index of each observation field by name (as the duel's DUEL_OBS). */
export const HOCKEY_OBS = Object.fromEntries(OBS_NAMES.map((n, i) => [n, i])) as Record<(typeof OBS_NAMES)[number], number>;
const OBS_HIGH = [POS_X, POS_Y, 1, 1, POS_X, POS_Y, 1, 1, POS_X, POS_Y, 1, 1];
export const observationSpace: BoxSpace = box([...OBS_NAMES], OBS_HIGH.map((h) => -h), OBS_HIGH, false);
export const actionSpace: BoxSpace = box(['fx', 'fy'], [-1, -1], [1, 1], true);

/** Player 1's observation from player 0's: rotate 180° (negate everything) and swap own/opponent. */
export function mirrorHockeyObservation(obs: Vec): Vec {
  if (obs.length !== 12) throw new ConfigError('observation', `has ${obs.length} values, expected 12`, OBS_NAMES.join(', '));
  return [
    -obs[4], -obs[5], -obs[6], -obs[7],
    -obs[0], -obs[1], -obs[2], -obs[3],
    -obs[8], -obs[9], -obs[10], -obs[11],
  ];
}
