/**
 * Scripted air-hockey players: stateless PD controllers from the ego-centric observation to the
 * force action. All noise comes from the rng argument.
 *
 * Ego frame in world units: X = obs.x · TABLE_W/2, Y = obs.y · TABLE_H/2; the own goal line is at
 * Y = -TABLE_H/2, the opponent's at +TABLE_H/2, the own half is Y < 0. Velocities are in world
 * units per physics step.
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

interface P { x: number; y: number }

const HX = TABLE_W / 2;
const HY = TABLE_H / 2;
/** the puck centre's reach in x (it bounces off the side walls here) */
const XLIM = HX - PUCK_R;
/** physics steps per decision assumed for prediction */
const FRAME_SKIP = 4;
const CONTACT = PADDLE_R + PUCK_R;
/** the deepest the paddle centre may go toward the centre line */
const Y_FRONT = -8 - PADDLE_R;

interface View {
  me: P;
  meV: P;
  puck: P;
  puckV: P;
}

function read(obs: Vec): View {
  return {
    me: { x: obs[0] * HX, y: obs[1] * HY },
    meV: { x: obs[2] * PADDLE_MAX_SPEED, y: obs[3] * PADDLE_MAX_SPEED },
    puck: { x: obs[8] * HX, y: obs[9] * HY },
    puckV: { x: obs[10] * PUCK_MAX_SPEED, y: obs[11] * PUCK_MAX_SPEED },
  };
}

/** The puck's position after `steps` physics steps, reflecting off the side walls. */
function predict(puck: P, v: P, steps: number): P {
  let x = puck.x + v.x * steps;
  const span = 2 * XLIM;
  // fold x into [-XLIM, XLIM]
  x = ((((x + XLIM) % (2 * span)) + 2 * span) % (2 * span));
  if (x > span) x = 2 * span - x;
  return { x: x - XLIM, y: puck.y + v.y * steps };
}

const norm = (v: P): P => {
  const l = Math.hypot(v.x, v.y) || 1;
  return { x: v.x / l, y: v.y / l };
};
const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** PD control toward a point (with a desired velocity there), as a force in [-1, 1]². */
function pd(v: View, target: P, desiredV: P = { x: 0, y: 0 }, kp = 0.06, kd = 0.35): P {
  return {
    x: kp * (target.x - v.me.x) + kd * (desiredV.x - v.meV.x),
    y: kp * (target.y - v.me.y) + kd * (desiredV.y - v.meV.y),
  };
}

function finish(f: P, rng: Rng, noise: number): Vec {
  // scale (not clip per component) so the direction of the force survives
  const m = Math.max(1, Math.abs(f.x), Math.abs(f.y));
  f = { x: f.x / m, y: f.y / m };
  return [clamp(f.x + noise * rng.normal(), -1, 1), clamp(f.y + noise * rng.normal(), -1, 1)];
}

/** Keep a target point reachable: inside the walls and the own half. */
function reachable(p: P): P {
  return { x: clamp(p.x, -HX + PADDLE_R, HX - PADDLE_R), y: clamp(p.y, -HY + PADDLE_R, Y_FRONT) };
}

/** The expected puck speed right after a strike, for aiming. */
const STRIKE_SPEED = 14;

interface Line {
  /** the puck at the contact time */
  p: P;
  /** unit direction of the strike (paddle → puck at contact) */
  d: P;
  n: P;
  /** paddle position along d relative to the puck (< 0: behind it) */
  s: number;
  /** lateral offset of the paddle from the strike line */
  e: number;
  vs: number;
  ve: number;
}

/**
 * The strike line for a contact `tau` physics steps ahead. Contacts are frictionless, so the puck
 * keeps its velocity across the line of centres: the line is tilted to cancel it.
 */
function strikeLine(v: View, aim: P, tau: number, fixed: P | null): Line {
  const p = predict(v.puck, v.puckV, tau);
  if (fixed) return lineFrom(v, p, fixed);
  const goal = norm({ x: aim.x - p.x, y: aim.y - p.y });
  const w = v.puckV;
  const wAlong = w.x * goal.x + w.y * goal.y;
  const wPerp = { x: w.x - wAlong * goal.x, y: w.y - wAlong * goal.y };
  return lineFrom(v, p, norm({ x: goal.x * STRIKE_SPEED - wPerp.x, y: goal.y * STRIKE_SPEED - wPerp.y }));
}

function lineFrom(v: View, p: P, d: P): Line {
  const n = { x: -d.y, y: d.x };
  const rel = { x: v.me.x - p.x, y: v.me.y - p.y };
  const relV = { x: v.meV.x - v.puckV.x, y: v.meV.y - v.puckV.y };
  return {
    p, d, n,
    s: rel.x * d.x + rel.y * d.y,
    e: rel.x * n.x + rel.y * n.y,
    vs: relV.x * d.x + relV.y * d.y,
    ve: relV.x * n.x + relV.y * n.y,
  };
}

/**
 * Strike the puck toward `aim`: pick the first moment the predicted puck is in reach in the own
 * half, line the paddle up behind it on the strike line, then drive through it.
 * Returns null when the puck cannot be reached in time.
 */
function strike(v: View, aim: P): { force: P; aligned: boolean } | null {
  let tau = -1;
  let fixed: P | null = null;
  let fallback = -1;
  for (let t = 0; t <= 48; t += 4) {
    const q = predict(v.puck, v.puckV, t);
    if (q.y > Y_FRONT + CONTACT * 0.7 || q.y < -HY + PUCK_R + 2) continue;
    const d = strikeLine(v, aim, t, null).d;
    const c = { x: q.x - d.x * (CONTACT + 20), y: q.y - d.y * (CONTACT + 20) };
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
    fixed = norm({ x: q.x - clamp(q.x - d.x * (CONTACT + 10), -HX + PADDLE_R, HX - PADDLE_R), y: q.y - clamp(q.y - d.y * (CONTACT + 10), -HY + PADDLE_R, Y_FRONT) });
  }
  if (tau < 0) return null;
  let L = strikeLine(v, aim, tau, fixed);
  if (L.s < -CONTACT * 0.6) {
    // behind the puck: re-time the contact from the closing speed
    for (let i = 0; i < 2; i++) {
      tau = clamp((-L.s - CONTACT) / Math.max(4, L.vs), 0, 48);
      L = strikeLine(v, aim, tau, fixed);
    }
  }
  const { p, d, n, s, e, vs, ve } = L;
  if (s > -CONTACT * 0.6) {
    // beside or in front of the puck: go round it to the back
    const side = e >= 0 ? 1 : -1;
    const way = reachable({ x: p.x - d.x * (CONTACT + 30) + n.x * side * (CONTACT + 15), y: p.y - d.y * (CONTACT + 30) + n.y * side * (CONTACT + 15) });
    return { force: pd(v, way, { x: 0, y: 0 }, 0.08, 0.3), aligned: false };
  }
  const aligned = Math.abs(e) < 6 && Math.abs(ve) < 2;
  const aLat = -0.1 * e - 0.4 * ve;
  const aLong = aligned ? 1 : 0.06 * (-(CONTACT + 25) - s) - 0.35 * vs;
  return { force: { x: aLong * d.x + aLat * n.x, y: aLong * d.y + aLat * n.y }, aligned };
}

function guard(v: View, depth: number, follow: number): P {
  const home = { x: clamp(v.puck.x * follow, -HX + PADDLE_R, HX - PADDLE_R), y: -HY + depth };
  return pd(v, home, { x: 0, y: 0 }, 0.05, 0.35);
}

/** Is the puck playable: in (or coming into) the own half? */
function playable(v: View): boolean {
  return v.puck.y < Y_FRONT + CONTACT + 10 || (v.puckV.y < -0.5 && v.puck.y < HY * 0.6);
}

function directPlayer(name: string): ScriptedPlayer {
  return {
    name,
    style: 'direct',
    act(obs: Vec, rng: Rng): Vec {
      const v = read(obs);
      const aim = { x: 0.35 * (TABLE_W / 4) * rng.normal() * 0.3, y: HY + 20 };
      const f = playable(v) ? strike(v, aim) : null;
      return f ? finish(f.force, rng, f.aligned ? 0.03 : 0.15) : finish(guard(v, 90, 0.4), rng, 0.15);
    },
  };
}

function bankPlayer(name: string): ScriptedPlayer {
  return {
    name,
    style: 'bank',
    act(obs: Vec, rng: Rng): Vec {
      const v = read(obs);
      const side = v.puck.x >= 0 ? 1 : -1;
      // mirror image of the goal centre in the side wall the puck will hit
      const aim = { x: side * 2 * XLIM + 10 * rng.normal(), y: HY + 20 };
      const f = playable(v) ? strike(v, aim) : null;
      return f ? finish(f.force, rng, f.aligned ? 0.03 : 0.15) : finish(guard(v, 90, 0.4), rng, 0.15);
    },
  };
}

function defenderPlayer(name: string): ScriptedPlayer {
  return {
    name,
    style: 'defender',
    act(obs: Vec, rng: Rng): Vec {
      const v = read(obs);
      const close = v.puck.y < -HY * 0.45 && playable(v);
      const f = close ? strike(v, { x: 20 * rng.normal(), y: HY + 20 }) : null;
      if (f) return finish(f.force, rng, f.aligned ? 0.03 : 0.1);
      // stand on the line from the goal centre to the puck, 80 units out
      const goal = { x: 0, y: -HY };
      const d = norm({ x: v.puck.x - goal.x, y: v.puck.y - goal.y });
      const spot = reachable({ x: goal.x + d.x * 90, y: goal.y + Math.max(d.y * 90, PADDLE_R + 10) });
      return finish(pd(v, spot, { x: 0, y: 0 }, 0.07, 0.35), rng, 0.1);
    },
  };
}

export const hockeyScripted: ScriptedStyle[] = [
  { name: 'hockey-direct', weight: 0.7, rare: false, player: directPlayer('hockey-direct') },
  { name: 'hockey-bank', weight: 0.2, rare: true, player: bankPlayer('hockey-bank') },
  { name: 'hockey-defender', weight: 0.1, rare: false, player: defenderPlayer('hockey-defender') },
];
