/**
 * Scripted duel players: the real-data styles of the duel (D0).
 *
 * All of them are stateless: everything they use is in their (ego-centric) observation. The first
 * shot aims with a flat, wind-free ballistic estimate (the discrete range of matter's Verlet
 * integration) plus noise. Later shots correct with the player's own last shot: the ratio between
 * where it landed and where the wind-free model said it would land (this ratio absorbs wind and
 * model error, since at a fixed angle both range and wind drift grow with v²). A shot that landed on
 * the hill raises the angle. Noise comes only from the rng argument.
 */
import { Rng } from '../../sim/rng.ts';
import { DUEL, DUEL_OBS, actionFromAngle, actionFromSpeed, angleFromAction, speedFromAction } from '../../sim/duel.ts';
import type { Vec } from '../../sim/types.ts';
import type { ScriptedPlayer, ScriptedStyle } from './types.ts';

const DEG = Math.PI / 180;
/** launch height above the ground (the launch point sits above the tank) */
const LAUNCH_H = DUEL.tankH / 2 + DUEL.launchDy;
/** assumed hill half-width (the observation does not carry it): the widest one */
const HILL_HW = DUEL.hillHalfWidth[1];

/** Wind-free range of a launch at `deg` with speed v (units/step), back to launch height. */
export function duelModelRange(deg: number, v: number): number {
  const th = deg * DEG;
  // Verlet (velocity updated before position): y returns to launch height after n = 2 v sinθ / g - 1 steps
  return v * Math.cos(th) * ((2 * v * Math.sin(th)) / DUEL.gStep - 1);
}

/** Speed for a wind-free range r at angle `deg` (inverse of duelModelRange). */
export function duelSpeedForRange(deg: number, r: number): number {
  const th = deg * DEG;
  const a = Math.sin(2 * th) / DUEL.gStep;
  const b = Math.cos(th);
  return (b + Math.sqrt(b * b + 4 * a * Math.max(0, r))) / (2 * a);
}

/** Lowest angle whose wind-free arc to distance d clears a hill of height h at distance xh (plus margin). */
export function duelClearAngle(d: number, h: number, xh: number, margin = 15): number {
  const u = Math.min(0.95, Math.max(0.05, xh / d));
  const need = (h - LAUNCH_H + margin) / (d * u * (1 - u));
  return Math.atan(Math.max(0, need)) / DEG;
}

interface DuelScriptConfig {
  name: string;
  /** first-shot angle range (degrees) */
  angleLo: number;
  angleHi: number;
  /** angles never go above this (direct stays below 45° so it stays 'direct') */
  angleCap: number;
  /** raise the first angle to clear the hill */
  clearHill: boolean;
  /** relative speed noise (std) of the first shot and of corrected shots */
  firstNoise: number;
  noise: number;
  /** angle jitter (degrees, std) when correcting */
  angleJitter: number;
  /** 1 = full ratio correction, 0 = ignore the last shot */
  gain: number;
}

function clip1(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

class DuelScripted implements ScriptedPlayer {
  readonly name: string;
  readonly style: string;
  constructor(
    private readonly cfg: DuelScriptConfig,
    style: string,
  ) {
    this.name = cfg.name;
    this.style = style;
  }

  act(obs: Vec, rng: Rng): Vec {
    const c = this.cfg;
    const d = DUEL.distMid + DUEL.distHalf * obs[DUEL_OBS.distance];
    const h = 125 * (obs[DUEL_OBS.hillHeight] + 1);
    const xh = d * ((obs[DUEL_OBS.hillPos] / 3 + 1) / 2);
    let deg: number;
    let v: number;
    if (!(obs[DUEL_OBS.myHasFired] > 0)) {
      deg = rng.uniform(c.angleLo, c.angleHi);
      if (c.clearHill) deg = Math.max(deg, duelClearAngle(d, h, xh) + rng.uniform(0, 2));
      deg = Math.min(deg, c.angleCap);
      v = duelSpeedForRange(deg, d) * (1 + c.firstNoise * rng.normal());
    } else {
      const lastDeg = angleFromAction(obs[DUEL_OBS.myLastAngle]);
      const lastV = speedFromAction(obs[DUEL_OBS.myLastPower]);
      const miss = obs[DUEL_OBS.myLastMiss];
      const land = d + miss * DUEL.missScale;
      const onHill = miss < -0.04 && land > xh - HILL_HW && land < xh + HILL_HW && h > LAUNCH_H;
      if (onHill && lastDeg < c.angleCap - 0.5) {
        // blocked by the hill: steeper, re-aim with the wind-free model
        deg = Math.min(c.angleCap, Math.max(lastDeg + 6, duelClearAngle(d, h, xh, 25)));
        v = duelSpeedForRange(deg, d) * (1 + c.noise * rng.normal());
      } else {
        const model = duelModelRange(lastDeg, lastV);
        const k = Math.min(3, Math.max(0.3, land / Math.max(1, model)));
        deg = Math.min(c.angleCap, Math.max(DUEL.angleMin, lastDeg + c.angleJitter * rng.normal()));
        const target = d / Math.pow(k, c.gain);
        v = duelSpeedForRange(deg, target) * (1 + c.noise * rng.normal());
        if (onHill) v *= 1.08; // at the angle cap: more power lifts the arc over the hill
      }
    }
    return [clip1(actionFromAngle(deg)), clip1(actionFromSpeed(v))];
  }
}

export const duelDirect: ScriptedPlayer = new DuelScripted(
  { name: 'duel-direct', angleLo: 20, angleHi: 40, angleCap: 44, clearHill: true, firstNoise: 0.06, noise: 0.03, angleJitter: 0.5, gain: 1 },
  'direct',
);
export const duelLob: ScriptedPlayer = new DuelScripted(
  { name: 'duel-lob', angleLo: 60, angleHi: 75, angleCap: 78, clearHill: false, firstNoise: 0.06, noise: 0.02, angleJitter: 0.5, gain: 1 },
  'lob',
);
export const duelSloppy: ScriptedPlayer = new DuelScripted(
  { name: 'duel-sloppy', angleLo: 25, angleHi: 70, angleCap: 78, clearHill: false, firstNoise: 0.08, noise: 0.05, angleJitter: 4, gain: 0.4 },
  'sloppy',
);

/** The duel's scripted styles: direct is common, lob is the rare tail, sloppy is noise. */
export const duelScripted: ScriptedStyle[] = [
  { name: 'direct', weight: 0.7, rare: false, player: duelDirect },
  { name: 'lob', weight: 0.2, rare: true, player: duelLob },
  { name: 'sloppy', weight: 0.1, rare: false, player: duelSloppy },
];
