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
 *
 * The rules as numbers (constants, parameters, spaces, mirror, shot styles) are in `sim/duel-spec.ts`.
 */
import Matter, { step } from './matter.ts';
import { ConfigError } from './errors.ts';
import { Rng } from './rng.ts';
import { checkAction } from './space.ts';
import {
  DT,
  DUEL,
  angleFromAction,
  clamp1,
  defaultDuelParams,
  duelActionSpace as actionSpace,
  duelObservationPoints,
  duelObservationSpace as observationSpace,
  duelStyleCounts,
  mirrorDuelObservation,
  speedFromAction,
  validateDuelParams,
  type DuelParams,
} from './duel-spec.ts';
import type { Pair, PlayerIndex, ResetResult, Scenario, ScenarioDef, SceneBody, SceneView, StepInfo, StepResult, Vec } from './types.ts';

export {
  DUEL,
  DUEL_OBS,
  DUEL_OBS_NAMES,
  DUEL_PARAM_LIMITS,
  LOB_MIN_ANGLE,
  actionFromAngle,
  actionFromSpeed,
  angleFromAction,
  defaultDuelParams,
  duelShotStyle,
  mirrorDuelObservation,
  speedFromAction,
  validateDuelParams,
  type DuelParams,
} from './duel-spec.ts';

const { Engine, Bodies, Body, Composite } = Matter;

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
  // Stryker disable next-line ArrayDeclaration: the constructor calls reset(), which builds it
  private sceneStatics: SceneBody[] = [];
  private projectile: Matter.Body | null = null;

  constructor(params: DuelParams, recordFrames: boolean) {
    this.params = params;
    this.recordFrames = recordFrames;
    this.maxSteps = 2 * params.shotsPerPlayer;
    // Stryker disable next-line ObjectLiteral: these are matter's defaults, given to document the units
    this.engine = Engine.create({ gravity: { x: 0, y: 1, scale: 0.001 }, enableSleeping: false });
    this.reset(0);
  }

  reset(seed: number): ResetResult {
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number, so the typeof test only documents intent
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
    // Stryker disable next-line BooleanLiteral: the world holds bodies only, no nested composites
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
      // Stryker disable ArithmeticOperator: the stored values are never -0 (step stores a + 0, clamp1 returns x + 0, restore's JSON copy turns -0 into 0)
      m.angle + 0,
      m.power + 0,
      m.miss + 0,
      m.fired ? 1 : -1,
      e.angle + 0,
      e.power + 0,
      e.miss + 0,
      // Stryker restore ArithmeticOperator
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
      // Stryker disable next-line ArithmeticOperator: a -0 kept here is read only through observe0 (+ 0) and snapshot (JSON), both give 0
      angle: a[0] + 0,
      // Stryker disable next-line ArithmeticOperator: as above
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
      // Stryker disable next-line StringLiteral: the label is not read
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
    // the longest flight (80°, top speed) lands after about 190 steps, so the 240-step limit never binds
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: the limit never binds (above) and k only feeds ShotResult.steps, which is not read
    for (; k < DUEL.maxFlightSteps && result === null; k++) {
      proj.force.x += windForce;
      step(engine, DT, proj);
      if (frames) frames.push(this.view());
      const px = proj.position.x;
      if (pairs.list.length > 0) {
        // order-independent: touching the enemy tank wins over anything else touched at once
        let hitEnemy = false;
        // Stryker disable BooleanLiteral,ConditionalExpression,StringLiteral,ArithmeticOperator: ShotResult.end and .steps are not read by anything (they say why a shot stopped, for debugging)
        let hitHill = false;
        let hitOwn = false;
        // Stryker restore BooleanLiteral,ConditionalExpression,StringLiteral,ArithmeticOperator
        for (const pair of pairs.list) {
          // Stryker disable next-line ConditionalExpression: matter makes bodyA the body with the lower id, and the shell is created last, so it is always bodyB
          const other = pair.bodyA.parent === proj ? pair.bodyB.parent : pair.bodyA.parent;
          // the three are different bodies, so at most one of these holds (no else: a disable comment cannot reach an else-if)
          if (other === enemy) hitEnemy = true;
          // Stryker disable next-line all: ShotResult.end and .steps are not read by anything (they say why a shot stopped, for debugging)
          if (other === this.hill) hitHill = true;
          // Stryker disable next-line all: ShotResult.end and .steps are not read by anything (they say why a shot stopped, for debugging)
          if (other === own) hitOwn = true;
        }
        result = {
          hit: hitEnemy,
          landX: px,
          // Stryker disable next-line all: ShotResult.end and .steps are not read by anything (they say why a shot stopped, for debugging)
          end: hitEnemy ? 'tank' : hitOwn ? 'own' : hitHill ? 'hill' : 'ground',
          // Stryker disable next-line ArithmeticOperator: ShotResult.end and .steps are not read by anything (they say why a shot stopped, for debugging)
          steps: k + 1,
        };
      } else {
        // Stryker disable next-line EqualityOperator: a path through exactly x = -4 or 1004 has measure zero
        if (px < -R || px > DUEL.width + R) {
          // Stryker disable next-line StringLiteral,ArithmeticOperator: ShotResult.end and .steps are not read by anything (they say why a shot stopped, for debugging)
          result = { hit: false, landX: this.extrapolate(proj, windA), end: 'out', steps: k + 1 };
        }
      }
    }
    // Stryker disable next-line all: never reached, see the loop's limit above
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
    // Stryker disable next-line ConditionalExpression: a non-object has no array .shots, so the typeof test only documents intent
    if (state === null || typeof state !== 'object' || !Array.isArray(state.shots) || state.shots.length !== 2) {
      throw new ConfigError('state', 'is not a duel snapshot', 'an object from duel snapshot()');
    }
    const p = validateDuelParams(state.params);
    if (p.shotsPerPlayer !== this.params.shotsPerPlayer) {
      throw new ConfigError('state.params.shotsPerPlayer', `is ${p.shotsPerPlayer}, this scenario has ${this.params.shotsPerPlayer}`, String(this.params.shotsPerPlayer));
    }
    for (const k of ['step', 'x0', 'x1', 'hillX', 'hillH', 'hillHW', 'wind'] as const) {
      // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number, so the typeof test only documents intent
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
  styleCounts: duelStyleCounts,
  observationPoints: duelObservationPoints,
};
