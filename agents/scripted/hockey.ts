/**
 * Scripted air-hockey players: stateless controllers from the ego-centric observation to the
 * force action. All noise comes from the rng argument.
 *
 * Ego frame in world units: X = obs.x · TABLE_W/2, Y = obs.y · TABLE_H/2; the own goal line is at
 * Y = -TABLE_H/2, the opponent's at +TABLE_H/2, the own half is Y < 0. Velocities are in world
 * units per physics step. The controllers assume the default 4 physics steps per decision.
 *
 * - direct   (common): intercept the puck in the own half and strike it straight at the goal.
 * - bank     (rare):   strike it at the goal's mirror image in the side wall nearest the puck.
 * - defender:          hold a point between the puck and the own goal, clear the puck when it
 *                      comes close.
 */
import type { Rng } from '../../sim/rng.ts';
import type { Vec } from '../../sim/types.ts';
import { PADDLE_MAX_SPEED, PADDLE_R, PUCK_MAX_SPEED, PUCK_R, TABLE_H, TABLE_W } from '../../sim/hockey.ts';
import type { ScriptedPlayer, ScriptedStyle } from './types.ts';

export interface P { x: number; y: number }

const HX = TABLE_W / 2;
const HY = TABLE_H / 2;
/** the puck centre's reach in x (it bounces off the side walls here) */
const XLIM = HX - PUCK_R;
const CONTACT = PADDLE_R + PUCK_R;
/** the deepest the paddle centre may go toward the centre line */
const Y_FRONT = -8 - PADDLE_R;
/**
 * Paddle response over one decision (4 physics steps, air friction 0.15, acceleration 2 per unit
 * force): v' ≈ DECAY·v + GAIN·force.
 */
const DECAY = 0.85 ** 4;
const GAIN = 2 * (1 + 0.85 + 0.85 ** 2 + 0.85 ** 3);
/** expected puck speed right after a strike, for aiming */
const STRIKE_SPEED = 14;
/** how far behind the contact point the paddle lines up before driving through the puck */
const RUN_UP = 25;
/** the largest puck cross-velocity the aim compensates */
const MAX_COMPENSATION = 6;

export interface View {
  me: P;
  meV: P;
  puck: P;
  puckV: P;
}

export function read(obs: Vec): View {
  return {
    me: { x: obs[0] * HX, y: obs[1] * HY },
    meV: { x: obs[2] * PADDLE_MAX_SPEED, y: obs[3] * PADDLE_MAX_SPEED },
    puck: { x: obs[8] * HX, y: obs[9] * HY },
    puckV: { x: obs[10] * PUCK_MAX_SPEED, y: obs[11] * PUCK_MAX_SPEED },
  };
}

export const norm = (v: P): P => {
  const l = Math.hypot(v.x, v.y) || 1;
  return { x: v.x / l, y: v.y / l };
};
export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
export const capMag = (v: P, m: number): P => {
  const l = Math.hypot(v.x, v.y);
  return l > m ? { x: (v.x * m) / l, y: (v.y * m) / l } : v;
};

/** The puck's position after `steps` physics steps, reflecting off the side walls. */
export function predict(puck: P, v: P, steps: number): P {
  const span = 2 * XLIM;
  let x = puck.x + v.x * steps + XLIM;
  x = ((x % (2 * span)) + 2 * span) % (2 * span);
  if (x > span) x = 2 * span - x;
  return { x: x - XLIM, y: puck.y + v.y * steps };
}

/** The force that brings the paddle's velocity to `vd` over one decision. */
export function toVelocity(v: View, vd: P): P {
  const c = capMag(vd, PADDLE_MAX_SPEED);
  return { x: (c.x - DECAY * v.meV.x) / GAIN, y: (c.y - DECAY * v.meV.y) / GAIN };
}

/** Servo toward a point, closing `gain` of the distance per physics step. */
export function goTo(v: View, target: P, gain = 1 / 8): P {
  return toVelocity(v, { x: (target.x - v.me.x) * gain, y: (target.y - v.me.y) * gain });
}

export function finish(f: P, rng: Rng, noise: number): Vec {
  // scale (rather than clip each component) so the direction of the force survives
  const m = Math.max(1, Math.abs(f.x), Math.abs(f.y));
  return [clamp(f.x / m + noise * rng.normal(), -1, 1), clamp(f.y / m + noise * rng.normal(), -1, 1)];
}

/** Keep a target point reachable: inside the walls and the own half. */
export function reachable(p: P): P {
  return { x: clamp(p.x, -HX + PADDLE_R, HX - PADDLE_R), y: clamp(p.y, -HY + PADDLE_R, Y_FRONT) };
}

export interface Line {
  /** the puck at the contact time */
  p: P;
  /** unit direction of the strike (paddle → puck at contact) */
  d: P;
  n: P;
  /** paddle position along d relative to the puck (< 0: behind it) */
  s: number;
  /** lateral offset of the paddle from the strike line */
  e: number;
  /** puck velocity along d and across it */
  ws: number;
  we: number;
  /** relative (paddle − puck) velocity across the line */
  ve: number;
}

export function lineFrom(v: View, p: P, d: P): Line {
  const n = { x: -d.y, y: d.x };
  const rel = { x: v.me.x - p.x, y: v.me.y - p.y };
  const ws = v.puckV.x * d.x + v.puckV.y * d.y;
  const we = v.puckV.x * n.x + v.puckV.y * n.y;
  return {
    p, d, n, ws, we,
    s: rel.x * d.x + rel.y * d.y,
    e: rel.x * n.x + rel.y * n.y,
    ve: v.meV.x * n.x + v.meV.y * n.y - we,
  };
}

/**
 * The strike line for a contact `tau` physics steps ahead. Contacts are frictionless, so the puck
 * keeps its velocity across the line of centres: the line is tilted to cancel it.
 */
export function strikeLine(v: View, aim: P, tau: number, fixed: P | null): Line {
  const p = predict(v.puck, v.puckV, tau);
  if (fixed) return lineFrom(v, p, fixed);
  const goal = norm({ x: aim.x - p.x, y: aim.y - p.y });
  const w = v.puckV;
  const wAlong = w.x * goal.x + w.y * goal.y;
  const wPerp = capMag({ x: w.x - wAlong * goal.x, y: w.y - wAlong * goal.y }, MAX_COMPENSATION);
  return lineFrom(v, p, norm({ x: goal.x * STRIKE_SPEED - wPerp.x, y: goal.y * STRIKE_SPEED - wPerp.y }));
}

/**
 * Strike the puck toward `aim`: pick the first moment the predicted puck is in reach in the own
 * half, line the paddle up behind it on the strike line, then drive through it.
 * Returns null when the puck cannot be reached in time.
 */
export function strike(v: View, aim: P): { force: P; driving: boolean } | null {
  let tau = -1;
  let fixed: P | null = null;
  let fallback = -1;
  for (let t = 0; t <= 48; t += 4) {
    const q = predict(v.puck, v.puckV, t);
    if (q.y > Y_FRONT + CONTACT * 0.7 || q.y < -HY + PUCK_R + 2) continue;
    const d = strikeLine(v, aim, t, null).d;
    const c = { x: q.x - d.x * (CONTACT + RUN_UP), y: q.y - d.y * (CONTACT + RUN_UP) };
    const far = Math.hypot(c.x - v.me.x, c.y - v.me.y) > PADDLE_MAX_SPEED * 0.8 * t + 10;
    if (Math.abs(c.x) > HX - PADDLE_R + 4 || c.y < -HY + PADDLE_R - 4) {
      // the line is blocked by a wall (puck in a corner or against the end wall)
      if (fallback < 0 && !far) fallback = t;
      continue;
    }
    if (!far) {
      tau = t;
      break;
    }
  }
  if (tau < 0 && fallback >= 0) {
    // dig the puck out: strike along the closest line the walls allow
    tau = fallback;
    const q = predict(v.puck, v.puckV, tau);
    const d = strikeLine(v, aim, tau, null).d;
    const from = { x: clamp(q.x - d.x * (CONTACT + 10), -HX + PADDLE_R, HX - PADDLE_R), y: clamp(q.y - d.y * (CONTACT + 10), -HY + PADDLE_R, Y_FRONT) };
    fixed = norm({ x: q.x - from.x, y: q.y - from.y });
  }
  if (tau < 0) return null;
  let L = strikeLine(v, aim, tau, fixed);
  if (L.s < -CONTACT * 0.6) {
    // behind the puck: re-time the contact from the closing speed
    for (let i = 0; i < 2; i++) {
      const closing = v.meV.x * L.d.x + v.meV.y * L.d.y - L.ws;
      tau = clamp((-L.s - CONTACT) / Math.max(4, closing), 0, 48);
      L = strikeLine(v, aim, tau, fixed);
    }
  }
  const { p, d, n, s, e, ws, we, ve } = L;
  if (s > -CONTACT * 0.6) {
    // beside or in front of the puck: go round it to the back
    const side = e >= 0 ? 1 : -1;
    const way = reachable({
      x: p.x - d.x * (CONTACT + 30) + n.x * side * (CONTACT + 15),
      y: p.y - d.y * (CONTACT + 30) + n.y * side * (CONTACT + 15),
    });
    return { force: goTo(v, way, 1 / 6), driving: false };
  }
  const driving = Math.abs(e) < 5 && Math.abs(ve) < 1.5;
  // across the line: follow the puck and close the offset; along it: hold the run-up or drive
  const vAcross = we - e / 6;
  const vAlong = driving ? PADDLE_MAX_SPEED : ws + (-(CONTACT + RUN_UP) - s) / 6;
  return { force: toVelocity(v, { x: vAlong * d.x + vAcross * n.x, y: vAlong * d.y + vAcross * n.y }), driving };
}

/** Wait at a point `depth` in front of the own goal line, following the puck's x by `follow`. */
export function guard(v: View, depth: number, follow: number): P {
  return goTo(v, { x: clamp(v.puck.x * follow, -HX + PADDLE_R, HX - PADDLE_R), y: -HY + depth });
}

/** Is the puck playable: in (or coming into) the own half? */
export function playable(v: View): boolean {
  return v.puck.y < Y_FRONT + CONTACT + 10 || (v.puckV.y < -0.5 && v.puck.y < HY * 0.6);
}

function attacker(name: string, style: 'direct' | 'bank'): ScriptedPlayer {
  return {
    name,
    style,
    act(obs: Vec, rng: Rng): Vec {
      const v = read(obs);
      let aim: P;
      if (style === 'direct') aim = { x: 15 * rng.normal(), y: HY + 20 };
      else {
        // the goal centre's mirror image in the side wall on the puck's side
        const side = v.puck.x >= 0 ? 1 : -1;
        aim = { x: side * 2 * XLIM + 10 * rng.normal(), y: HY + 20 };
      }
      const f = playable(v) ? strike(v, aim) : null;
      return f ? finish(f.force, rng, f.driving ? 0.03 : 0.12) : finish(guard(v, 90, 0.4), rng, 0.12);
    },
  };
}

function defender(name: string): ScriptedPlayer {
  return {
    name,
    style: 'defender',
    act(obs: Vec, rng: Rng): Vec {
      const v = read(obs);
      const close = v.puck.y < -HY * 0.45 && playable(v);
      const f = close ? strike(v, { x: 20 * rng.normal(), y: HY + 20 }) : null;
      if (f) return finish(f.force, rng, f.driving ? 0.03 : 0.1);
      // stand on the line from the goal centre to the puck, 90 units out
      const d = norm({ x: v.puck.x, y: v.puck.y + HY });
      const spot = reachable({ x: d.x * 90, y: -HY + Math.max(d.y * 90, PADDLE_R + 10) });
      return finish(goTo(v, spot), rng, 0.1);
    },
  };
}

export const hockeyScripted: ScriptedStyle[] = [
  { name: 'hockey-direct', weight: 0.7, rare: false, player: attacker('hockey-direct', 'direct') },
  { name: 'hockey-bank', weight: 0.2, rare: true, player: attacker('hockey-bank', 'bank') },
  { name: 'hockey-defender', weight: 0.1, rare: false, player: defender('hockey-defender') },
];
