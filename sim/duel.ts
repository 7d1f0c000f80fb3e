/**
 * Duel: turn-based artillery over a hill, with wind. First hit wins.
 *
 * Physics: matter-js 0.20 stepped with a fixed `Engine.update(engine, 1000/60)` (never a Runner).
 * One Engine per scenario instance. The world holds only static bodies between shots (ground, hill,
 * two tanks, always added in that order); a shot adds a small sensor circle, steps the engine until
 * the circle touches something, leaves the arena sides or runs out of time, then removes it and
 * clears the engine's pairs. So the state between shots is fully described by plain numbers
 * (`DuelSnapshot`), and `restore(snapshot())` resumes bit-identically.
 *
 * Units: world units, y down, one physics step = 1000/60 ms. Velocities are in units per step;
 * gravity is matter's default (1 × 0.001 scale), i.e. G_STEP ≈ 0.278 units/step².
 */
import Matter from 'matter-js';
import { ConfigError } from './errors.ts';
import { Rng } from './rng.ts';
import { box, checkAction } from './space.ts';
import type {
  BoxSpace,
  EpisodeRecord,
  ObsPoint,
  Pair,
  PlayerIndex,
  ResetResult,
  Scenario,
  ScenarioDef,
  SceneBody,
  SceneView,
  StepInfo,
  StepResult,
  Vec,
} from './types.ts';

const { Engine, Bodies, Body, Composite } = Matter;

// ---------------------------------------------------------------------------------------------
// Constants (exported so scripted players and tools share one source of truth)

const DT = 1000 / 60;

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

function checkNumber(field: string, v: unknown, lo: number, hi: number, integer = false): number {
  const allowed = integer ? `integer in [${lo}, ${hi}]` : `number in [${lo}, ${hi}]`;
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
  checkNumber('shotsPerPlayer', p.shotsPerPlayer, 1, 50, true);
  checkNumber('windMax', p.windMax, 0, 1);
  checkNumber('hillMin', p.hillMin, DUEL.hillLimit[0], DUEL.hillLimit[1]);
  checkNumber('hillMax', p.hillMax, DUEL.hillLimit[0], DUEL.hillLimit[1]);
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

const OBS = Object.fromEntries(DUEL_OBS_NAMES.map((n, i) => [n, i])) as Record<(typeof DUEL_OBS_NAMES)[number], number>;
export { OBS as DUEL_OBS };

const observationSpace: BoxSpace = box(
  [...DUEL_OBS_NAMES],
  DUEL_OBS_NAMES.map(() => -1),
  DUEL_OBS_NAMES.map(() => 1),
);
const actionSpace: BoxSpace = box(['angle', 'power'], [-1, -1], [1, 1], true);

/** -x without producing -0 (keeps mirror exact under Object.is / toEqual). */
function neg(x: number): number {
  return -x + 0;
}
function clamp1(x: number): number {
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
// State

interface ShotMemo {
  /** the (clipped) actions of this player's last shot */
  angle: number;
  power: number;
  /** signed landing error along the shooter's +x, divided by missScale, clipped to [-1, 1] */
  miss: number;
  /** world x of the landing point (for drawing) */
  landX: number;
  fired: boolean;
}

export interface DuelSnapshot {
  params: DuelParams;
  seed: number;
  step: number;
  turn: PlayerIndex;
  x0: number;
  x1: number;
  hillX: number;
  hillH: number;
  hillHW: number;
  /** in [-1, 1]; world frame: + pushes toward +x */
  wind: number;
  shots: [ShotMemo, ShotMemo];
  winner: -1 | 0 | 1 | null;
  terminated: boolean;
  truncated: boolean;
}

function noShot(): ShotMemo {
  return { angle: 0, power: 0, miss: 0, landX: 0, fired: false };
}

/** Hill polygon (convex parabolic cap, clockwise on screen), base sunk 10 units into the ground. */
export function hillVertices(hx: number, h: number, hw: number): { x: number; y: number }[] {
  const g = DUEL.groundY;
  const vs: { x: number; y: number }[] = [{ x: hx - hw, y: g + 10 }];
  const n = 10;
  for (let i = 0; i <= n; i++) {
    const u = -1 + (2 * i) / n;
    vs.push({ x: hx + hw * u, y: g - h * (1 - u * u) });
  }
  vs.push({ x: hx + hw, y: g + 10 });
  return vs;
}

function rectVertices(cx: number, cy: number, w: number, h: number): { x: number; y: number }[] {
  return [
    { x: cx - w / 2, y: cy - h / 2 },
    { x: cx + w / 2, y: cy - h / 2 },
    { x: cx + w / 2, y: cy + h / 2 },
    { x: cx - w / 2, y: cy + h / 2 },
  ];
}

interface ShotResult {
  hit: boolean;
  landX: number;
  /** what stopped the shot */
  end: 'tank' | 'ground' | 'hill' | 'own' | 'out' | 'time';
  steps: number;
}

class DuelScenario implements Scenario<DuelSnapshot> {
  readonly id = 'duel' as const;
  readonly observationSpace = observationSpace;
  readonly actionSpace = actionSpace;
  readonly maxSteps: number;

  private readonly params: DuelParams;
  private readonly recordFrames: boolean;
  private readonly engine: Matter.Engine;
  private s!: DuelSnapshot;
  private tanks: [Matter.Body, Matter.Body] | null = null;
  private hill: Matter.Body | null = null;
  private ground: Matter.Body | null = null;
  private sceneStatics: SceneBody[] = [];
  private projectile: Matter.Body | null = null;

  constructor(params: DuelParams, recordFrames: boolean) {
    this.params = params;
    this.recordFrames = recordFrames;
    this.maxSteps = 2 * params.shotsPerPlayer;
    this.engine = Engine.create({ gravity: { x: 0, y: 1, scale: 0.001 }, enableSleeping: false });
    this.reset(0);
  }

  reset(seed: number): ResetResult {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ConfigError('seed', `is ${String(seed)}, not a finite number`, 'integer');
    const rng = new Rng(seed, 'duel');
    const p = this.params;
    // fixed draw order: x0, x1, hillX, hillH, hillHW, wind
    const x0 = rng.uniform(DUEL.tank0X[0], DUEL.tank0X[1]);
    const x1 = rng.uniform(DUEL.tank1X[0], DUEL.tank1X[1]);
    const hillX = rng.uniform(DUEL.hillCenter - DUEL.hillJitter, DUEL.hillCenter + DUEL.hillJitter);
    const hillH = rng.uniform(p.hillMin, p.hillMax);
    const hillHW = rng.uniform(DUEL.hillHalfWidth[0], DUEL.hillHalfWidth[1]);
    const wind = rng.uniform(-p.windMax, p.windMax);
    this.s = {
      params: { ...p },
      seed,
      step: 0,
      turn: 0,
      x0,
      x1,
      hillX,
      hillH,
      hillHW,
      wind,
      shots: [noShot(), noShot()],
      winner: null,
      terminated: false,
      truncated: false,
    };
    this.buildWorld();
    const obs0 = this.observe0();
    return { observations: [obs0, mirrorDuelObservation(obs0)], info: this.info([]) };
  }

  private buildWorld(): void {
    const engine = this.engine;
    Composite.clear(engine.world, false, true);
    Engine.clear(engine);
    engine.timing.timestamp = 0;
    const s = this.s;
    const g = DUEL.groundY;
    const ground = Bodies.rectangle(DUEL.width / 2, g + 20, DUEL.width + 400, 40, { isStatic: true, label: 'ground' });
    const hv = hillVertices(s.hillX, s.hillH, s.hillHW);
    // centroid as position keeps the given world vertices in place
    const centre = Matter.Vertices.centre(hv);
    const hill = Body.create({ position: centre, vertices: hv, isStatic: true, label: 'hill' });
    const ty = g - DUEL.tankH / 2;
    const t0 = Bodies.rectangle(s.x0, ty, DUEL.tankW, DUEL.tankH, { isStatic: true, label: 'tank0' });
    const t1 = Bodies.rectangle(s.x1, ty, DUEL.tankW, DUEL.tankH, { isStatic: true, label: 'tank1' });
    Composite.add(engine.world, [ground, hill, t0, t1]);
    this.ground = ground;
    this.hill = hill;
    this.tanks = [t0, t1];
    this.projectile = null;
    this.sceneStatics = [
      { id: 'ground', role: 'ground', shape: 'polygon', x: DUEL.width / 2, y: g + 20, angle: 0, vertices: rectVertices(DUEL.width / 2, g + 20, DUEL.width, 40) },
      { id: 'hill', role: 'hill', shape: 'polygon', x: s.hillX, y: g - s.hillH / 2, angle: 0, vertices: hv.map((v) => ({ x: v.x, y: Math.min(v.y, g) })) },
      { id: 'tank0', role: 'player0', shape: 'polygon', x: s.x0, y: ty, angle: 0, vertices: rectVertices(s.x0, ty, DUEL.tankW, DUEL.tankH) },
      { id: 'tank1', role: 'player1', shape: 'polygon', x: s.x1, y: ty, angle: 0, vertices: rectVertices(s.x1, ty, DUEL.tankW, DUEL.tankH) },
    ];
  }

  /** Player 0's observation. */
  private observe0(): Vec {
    const s = this.s;
    const d = s.x1 - s.x0;
    const f = (s.hillX - s.x0) / d;
    const [m, e] = s.shots;
    return [
      s.turn === 0 ? 1 : -1,
      clamp1((d - DUEL.distMid) / DUEL.distHalf),
      clamp1(s.hillH / 125 - 1),
      clamp1(3 * (2 * f - 1)),
      clamp1(s.wind),
      m.angle + 0,
      m.power + 0,
      m.miss + 0,
      m.fired ? 1 : -1,
      e.angle + 0,
      e.power + 0,
      e.miss + 0,
      e.fired ? 1 : -1,
      clamp1((2 * s.step) / this.maxSteps - 1),
    ];
  }

  private info(events: string[], frames?: SceneView[]): StepInfo {
    const s = this.s;
    const done = s.terminated || s.truncated;
    const info: StepInfo = {
      step: s.step,
      active: done ? [false, false] : [s.turn === 0, s.turn === 1],
      winner: s.winner,
      events,
    };
    if (frames) info.frames = frames;
    return info;
  }

  step(actions: Pair<Vec>): StepResult {
    const s = this.s;
    if (s.terminated || s.truncated) throw new Error('duel: the episode is over; call reset(seed) first');
    if (!Array.isArray(actions) || actions.length !== 2) {
      throw new ConfigError('actions', 'must be a pair of actions [player0, player1]', '2 arrays of 2 numbers');
    }
    const a0 = checkAction(actionSpace, actions[0], 'actions[0]');
    const a1 = checkAction(actionSpace, actions[1], 'actions[1]');
    const shooter = s.turn;
    const a = shooter === 0 ? a0 : a1;
    const angleDeg = angleFromAction(a[0]);
    const events: string[] = [];
    const frames: SceneView[] | undefined = this.recordFrames ? [] : undefined;
    const res = this.fly(shooter, angleDeg, speedFromAction(a[1]), frames);
    const dir = shooter === 0 ? 1 : -1;
    const enemyX = shooter === 0 ? s.x1 : s.x0;
    s.shots[shooter] = {
      angle: a[0] + 0,
      power: a[1] + 0,
      miss: clamp1((dir * (res.landX - enemyX)) / DUEL.missScale),
      landX: res.landX,
      fired: true,
    };
    s.step += 1;
    const rewards: Pair<number> = [0, 0];
    events.push(res.hit ? 'hit' : 'miss', angleDeg < 45 ? 'shot:direct' : 'shot:lob');
    if (res.hit) {
      s.terminated = true;
      s.winner = shooter;
      rewards[shooter] = 1;
      rewards[shooter === 0 ? 1 : 0] = -1;
    } else if (s.step >= this.maxSteps) {
      s.truncated = true;
      s.winner = -1;
    }
    s.turn = shooter === 0 ? 1 : 0;
    const obs0 = this.observe0();
    return {
      observations: [obs0, mirrorDuelObservation(obs0)],
      rewards,
      terminated: s.terminated,
      truncated: s.truncated,
      info: this.info(events, frames),
    };
  }

  /** Simulate one shot in matter-js. The world is back to statics only when this returns. */
  private fly(shooter: PlayerIndex, angleDeg: number, speed: number, frames?: SceneView[]): ShotResult {
    const s = this.s;
    const engine = this.engine;
    const tanks = this.tanks!;
    const enemy = tanks[shooter === 0 ? 1 : 0];
    const own = tanks[shooter];
    const dir = shooter === 0 ? 1 : -1;
    const R = DUEL.projectileR;
    const sx = shooter === 0 ? s.x0 : s.x1;
    const sy = DUEL.groundY - DUEL.tankH / 2 - DUEL.launchDy;
    const th = (angleDeg * Math.PI) / 180;
    const proj = Bodies.circle(sx, sy, R, {
      isSensor: true,
      frictionAir: 0,
      friction: 0,
      frictionStatic: 0,
      restitution: 0,
      label: 'projectile',
    });
    Body.setVelocity(proj, { x: dir * speed * Math.cos(th), y: -speed * Math.sin(th) });
    engine.timing.timestamp = 0;
    Composite.add(engine.world, proj);
    this.projectile = proj;
    const windA = s.wind * DUEL.windAccel;
    const windForce = (proj.mass * windA) / (DT * DT);
    const pairs = engine.pairs;
    let result: ShotResult | null = null;
    let k = 0;
    for (; k < DUEL.maxFlightSteps && result === null; k++) {
      proj.force.x += windForce;
      Engine.update(engine, DT);
      if (frames) frames.push(this.view());
      const px = proj.position.x;
      if (pairs.list.length > 0) {
        // order-independent: touching the enemy tank wins over anything else touched at once
        let hitEnemy = false;
        let hitHill = false;
        let hitOwn = false;
        for (const pair of pairs.list) {
          const other = pair.bodyA.parent === proj ? pair.bodyB.parent : pair.bodyA.parent;
          if (other === enemy) hitEnemy = true;
          else if (other === this.hill) hitHill = true;
          else if (other === own) hitOwn = true;
        }
        result = {
          hit: hitEnemy,
          landX: px,
          end: hitEnemy ? 'tank' : hitOwn ? 'own' : hitHill ? 'hill' : 'ground',
          steps: k + 1,
        };
      } else if (px < -R || px > DUEL.width + R) {
        result = { hit: false, landX: this.extrapolate(proj, windA), end: 'out', steps: k + 1 };
      }
    }
    if (result === null) result = { hit: false, landX: this.extrapolate(proj, windA), end: 'time', steps: k };
    Composite.remove(engine.world, proj);
    Engine.clear(engine);
    this.projectile = null;
    return result;
  }

  /** Where a projectile still in the air would meet the ground level (ballistic, with wind). */
  private extrapolate(proj: Matter.Body, windA: number): number {
    const g = DUEL.gStep;
    const { x, y } = proj.position;
    const { x: vx, y: vy } = proj.velocity;
    const dy = Math.max(0, DUEL.groundY - DUEL.projectileR - y);
    const t = (-vy + Math.sqrt(vy * vy + 2 * g * dy)) / g;
    const lx = x + vx * t + 0.5 * windA * t * t;
    return Number.isFinite(lx) ? Math.max(-5000, Math.min(6000, lx)) : x;
  }

  snapshot(): DuelSnapshot {
    return JSON.parse(JSON.stringify(this.s)) as DuelSnapshot;
  }

  restore(state: DuelSnapshot): void {
    if (state === null || typeof state !== 'object' || !Array.isArray(state.shots) || state.shots.length !== 2) {
      throw new ConfigError('state', 'is not a duel snapshot', 'an object from duel snapshot()');
    }
    const p = validateDuelParams(state.params);
    if (p.shotsPerPlayer !== this.params.shotsPerPlayer) {
      throw new ConfigError('state.params.shotsPerPlayer', `is ${p.shotsPerPlayer}, this scenario has ${this.params.shotsPerPlayer}`, String(this.params.shotsPerPlayer));
    }
    for (const k of ['step', 'x0', 'x1', 'hillX', 'hillH', 'hillHW', 'wind'] as const) {
      if (typeof state[k] !== 'number' || !Number.isFinite(state[k])) throw new ConfigError(`state.${k}`, `is ${String(state[k])}`, 'a finite number');
    }
    this.s = JSON.parse(JSON.stringify(state)) as DuelSnapshot;
    this.buildWorld();
  }

  view(): SceneView {
    const s = this.s;
    const bodies: SceneBody[] = this.sceneStatics.slice();
    for (let i = 0; i < 2; i++) {
      const m = s.shots[i];
      if (m.fired) {
        bodies.push({ id: `landing${i}`, role: 'marker', shape: 'circle', x: m.landX, y: DUEL.groundY, angle: 0, radius: 3 });
      }
    }
    const pr = this.projectile;
    if (pr) {
      bodies.push({ id: 'projectile', role: 'projectile', shape: 'circle', x: pr.position.x, y: pr.position.y, angle: 0, radius: DUEL.projectileR });
    }
    return {
      width: DUEL.width,
      height: DUEL.height,
      bodies,
      hud: {
        wind: Math.round(s.wind * 100) / 100,
        turn: s.turn,
        shots: s.step,
        maxShots: this.maxSteps,
        winner: s.winner === null ? '' : s.winner,
      },
    };
  }
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

function styleCounts(ep: EpisodeRecord, player: PlayerIndex): Record<string, number> {
  const counts: Record<string, number> = { direct: 0, lob: 0 };
  const n = Math.min(ep.actions.length, ep.active.length);
  for (let t = 0; t < n; t++) {
    if (!ep.active[t]?.[player]) continue;
    const a = ep.actions[t]?.[player];
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
function observationPoints(obs: Vec): ObsPoint[] {
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

export const duelDef: ScenarioDef<DuelParams> = {
  id: 'duel',
  title: 'Duel',
  description:
    'Turn-based artillery over a hill, with wind. Each step the active player fires one shot (angle 10°–80°, power); the first hit wins, and after 10 shots each the game is a draw.',
  defaultParams: defaultDuelParams,
  create(params?: Partial<DuelParams>, options?: { recordFrames?: boolean }): Scenario {
    return new DuelScenario(validateDuelParams(params ?? {}), options?.recordFrames === true);
  },
  observationSpace,
  actionSpace,
  maxSteps: 2 * defaultDuelParams.shotsPerPlayer,
  mirrorObservation: mirrorDuelObservation,
  style: { styles: ['direct', 'lob'], rare: ['lob'] },
  styleCounts,
  observationPoints,
};
