/**
 * Air hockey on matter-js.
 *
 * World: a table TABLE_W × TABLE_H (world units, y down, origin top-left of the playing surface).
 * Player 0 defends the bottom goal (y = TABLE_H), player 1 the top goal (y = 0). Each end wall has a
 * goal mouth of `goalWidth` centred on the table. The first goal wins; a game that runs to `maxSteps`
 * decisions is a draw.
 *
 * Physics: one matter Engine per instance, zero gravity, stepped with a fixed
 * `Engine.update(engine, 1000 / 60)` (never a Runner), `frameSkip` physics steps per decision.
 * Bodies are always added in the same order. Paddles are confined to their own half by an invisible
 * centre barrier and goal-mouth plugs that only paddles collide with (collision filters), with a
 * position clamp as a safety net. Paddle and puck speeds are capped.
 *
 * Observation (12 numbers, ego-centric, centred and normalised):
 *   [own x, own y, own vx, own vy, opp x, opp y, opp vx, opp vy, puck x, puck y, puck vx, puck vy]
 * Positions are divided by the half-table size (x by TABLE_W/2, y by TABLE_H/2), velocities by the
 * speed caps. For player 0, +x is world right and +y points up the table, toward the opponent. Player
 * 1's frame is player 0's rotated by 180°: every number negated and own/opponent swapped
 * (`mirrorObservation`).
 *
 * Action (2 numbers in [-1, 1], clipped): force on the own paddle in the ego frame (fx, fy), +fy
 * toward the opponent.
 *
 * Events per decision step: 'hit0'/'hit1' (a paddle starts touching the puck), 'wall' (the puck
 * hits a wall), 'goal0'/'goal1' (that player scored) and resolved shots 'shot0:direct',
 * 'shot0:bank', 'shot1:…' (see ShotTracker). `styleCounts` does not read the events: it classifies
 * shots from the observation sequence alone (classifyShotsFromObservations), with the same rules,
 * so that imagined episodes are judged like real ones; `eventStyleCounts` counts the events.
 *
 * Snapshot/restore: matter keeps contact caches (warm-started impulses, pair tables) that are not
 * part of the bodies' state, so copying body positions and velocities would not resume
 * bit-identically. A snapshot therefore stores the parameters, the reset seed and the (clipped)
 * action history; `restore` builds a fresh engine, resets with the seed and replays the actions.
 * Every reset builds a fresh engine too, so a restored instance and one that never restored run
 * exactly the same sequence of floating-point operations.
 */
import Matter from './matter.ts';
import { ConfigError } from './errors.ts';
import { Rng } from './rng.ts';
import { box, checkAction } from './space.ts';
import type {
  BoxSpace,
  EpisodeRecord,
  ObsPoint,
  Pair,
  PlayerIndex,
  Lookahead,
  ResetResult,
  Scenario,
  ScenarioDef,
  SceneBody,
  SceneView,
  StepInfo,
  StepResult,
  Vec,
} from './types.ts';
import {
  HOCKEY_PARAM_RULES,
  PADDLE_MAX_SPEED,
  PADDLE_R,
  POS_X,
  POS_Y,
  PUCK_MAX_SPEED,
  PUCK_R,
  TABLE_H,
  TABLE_W,
  actionSpace,
  hockeyDefaultParams,
  mirrorHockeyObservation,
  observationSpace,
  validateHockeyParams,
  type HockeyParams,
} from './hockey-spec.ts';
import { ShotTracker, classifyShotsFromObservations, worldPos } from './hockey-shots.ts';

export * from './hockey-spec.ts';
export { classifyShotsFromObservations, eventStyleCounts } from './hockey-shots.ts';

const { Engine, Bodies, Body, Composite, Pairs } = Matter;
type MBody = Matter.Body;
type MEngine = Matter.Engine;

// ---------------------------------------------------------------------------------------------
// Geometry and physics constants (world units; velocities in units per physics step)

const WALL_T = 100;
/** half thickness of the paddle-only centre barrier */
const BARRIER_HALF = 8;
/** paddle acceleration at full force, units per physics step² */
const PADDLE_ACCEL = 2;
const PADDLE_FRICTION_AIR = 0.15;
const PUCK_FRICTION_AIR = 0.001;
const DT = 1000 / 60;
/** the margin drawn around the table in view(): view coordinates are world + VIEW_MARGIN */
const VIEW_MARGIN = 40;

const CAT_WALL = 0x1;
const CAT_PADDLE = 0x2;
const CAT_PUCK = 0x4;
const CAT_BARRIER = 0x8;

function clampTo(v: number, lim: number): number {
  // Stryker disable next-line EqualityOperator: at v = ±lim both branches return ±lim
  return v > lim ? lim : v < -lim ? -lim : v;
}

// ---------------------------------------------------------------------------------------------
// The scenario instance

interface HockeySnapshot {
  v: 1;
  params: HockeyParams;
  seed: number;
  /** clipped actions of every decision step so far */
  actions: Pair<Vec>[];
}

type WallKind = 'side' | 'end0' | 'end1';

/** The players' ego forces in world axes: player 0 (x, −y), player 1 (−x, y). */
function worldForces(a0: Vec, a1: Vec): Pair<{ x: number; y: number }> {
  return [{ x: a0[0], y: -a0[1] }, { x: -a1[0], y: a1[1] }];
}

/** Both players' actions, checked (NaN rejected) and clipped to the action space. */
function checkedPair(actions: Pair<Vec>): Pair<Vec> {
  if (!Array.isArray(actions) || actions.length !== 2) {
    throw new ConfigError('actions', 'must be a pair [action of player 0, action of player 1]', '2 arrays of 2 numbers');
  }
  return [checkAction(actionSpace, actions[0], 'actions[0]'), checkAction(actionSpace, actions[1], 'actions[1]')];
}

class Hockey implements Scenario<HockeySnapshot> {
  readonly id = 'hockey' as const;
  readonly observationSpace = observationSpace;
  readonly actionSpace = actionSpace;
  readonly maxSteps: number;

  private engine!: MEngine;
  private paddles!: [MBody, MBody];
  private puck!: MBody;
  private wallKind = new Map<MBody, WallKind>();
  private staticView: SceneBody[] = [];
  private seed = 0;
  private stepCount = 0;
  /** physics steps since reset */
  private frame = 0;
  private winner: -1 | 0 | 1 | null = null;
  // Stryker disable next-line BooleanLiteral: the constructor calls reset(), which sets it
  private done = false;
  // Stryker disable next-line ArrayDeclaration: the constructor calls reset(), which sets it
  private history: Pair<Vec>[] = [];
  // Stryker disable next-line ArrayDeclaration: the constructor calls reset() and every step starts with a new list
  private events: string[] = [];
  private shots: ShotTracker;
  private replaying = false;
  /** the copy a lookahead simulates on (made on first use) */
  private scratch: Hockey | null = null;

  constructor(
    private readonly params: HockeyParams,
    private readonly recordFrames: boolean,
  ) {
    this.maxSteps = params.maxSteps;
    this.shots = new ShotTracker((e) => this.events.push(e));
    this.reset(0);
  }

  // --- world construction -------------------------------------------------------------------

  private build(): void {
    const { goalWidth } = this.params;
    const engine = Engine.create({ gravity: { x: 0, y: 0, scale: 0 }, enableSleeping: false });
    const gx0 = TABLE_W / 2 - goalWidth / 2;
    const gx1 = TABLE_W / 2 + goalWidth / 2;
    const wallOpts = (label: string): Matter.IChamferableBodyDefinition => ({
      isStatic: true,
      label,
      restitution: 0.9,
      friction: 0,
      frictionStatic: 0,
      collisionFilter: { category: CAT_WALL, mask: CAT_PADDLE | CAT_PUCK, group: 0 },
    });
    const barrierOpts = (label: string): Matter.IChamferableBodyDefinition => ({
      isStatic: true,
      label,
      restitution: 0,
      friction: 0,
      frictionStatic: 0,
      collisionFilter: { category: CAT_BARRIER, mask: CAT_PADDLE, group: 0 },
    });
    const endLen = gx0 + WALL_T; // each end-wall segment spans from the outer corner to a goal post
    const walls: [MBody, WallKind][] = [
      [Bodies.rectangle(-WALL_T / 2, TABLE_H / 2, WALL_T, TABLE_H + 2 * WALL_T, wallOpts('wall-left')), 'side'],
      [Bodies.rectangle(TABLE_W + WALL_T / 2, TABLE_H / 2, WALL_T, TABLE_H + 2 * WALL_T, wallOpts('wall-right')), 'side'],
      [Bodies.rectangle(gx0 - endLen / 2, -WALL_T / 2, endLen, WALL_T, wallOpts('wall-top-left')), 'end1'],
      [Bodies.rectangle(gx1 + endLen / 2, -WALL_T / 2, endLen, WALL_T, wallOpts('wall-top-right')), 'end1'],
      [Bodies.rectangle(gx0 - endLen / 2, TABLE_H + WALL_T / 2, endLen, WALL_T, wallOpts('wall-bottom-left')), 'end0'],
      [Bodies.rectangle(gx1 + endLen / 2, TABLE_H + WALL_T / 2, endLen, WALL_T, wallOpts('wall-bottom-right')), 'end0'],
    ];
    const barriers = [
      Bodies.rectangle(TABLE_W / 2, TABLE_H / 2, TABLE_W, 2 * BARRIER_HALF, barrierOpts('barrier-centre')),
      Bodies.rectangle(TABLE_W / 2, -WALL_T / 2, goalWidth, WALL_T, barrierOpts('barrier-goal1')),
      Bodies.rectangle(TABLE_W / 2, TABLE_H + WALL_T / 2, goalWidth, WALL_T, barrierOpts('barrier-goal0')),
    ];
    const paddleOpts = (label: string): Matter.IChamferableBodyDefinition => ({
      label,
      density: 0.002,
      restitution: 0.5,
      friction: 0,
      frictionStatic: 0,
      frictionAir: PADDLE_FRICTION_AIR,
      inertia: Infinity,
      collisionFilter: { category: CAT_PADDLE, mask: CAT_WALL | CAT_PUCK | CAT_BARRIER | CAT_PADDLE, group: 0 },
    });
    // the start positions below are placeholders: reset() moves all three bodies before any step
    // Stryker disable next-line ArithmeticOperator: reset() sets the position
    const p0 = Bodies.circle(TABLE_W / 2, TABLE_H - 120, PADDLE_R, paddleOpts('paddle0'), 32);
    // Stryker disable next-line ArithmeticOperator: reset() sets the position
    const p1 = Bodies.circle(TABLE_W / 2, 120, PADDLE_R, paddleOpts('paddle1'), 32);
    // Stryker disable next-line ArithmeticOperator: reset() sets the position
    const puck = Bodies.circle(TABLE_W / 2, TABLE_H / 2, PUCK_R, {
      label: 'puck',
      density: 0.001,
      restitution: 0.9,
      friction: 0,
      frictionStatic: 0,
      frictionAir: PUCK_FRICTION_AIR,
      inertia: Infinity,
      collisionFilter: { category: CAT_PUCK, mask: CAT_WALL | CAT_PADDLE, group: 0 },
    }, 24);
    Composite.add(engine.world, [...walls.map((w) => w[0]), ...barriers, p0, p1, puck]);
    this.engine = engine;
    this.paddles = [p0, p1];
    this.puck = puck;
    this.wallKind = new Map(walls);
    // Stryker disable next-line ConditionalExpression: building it again gives the same scene (the goal width is fixed per instance)
    if (this.staticView.length === 0) this.staticView = staticScene(goalWidth);
  }

  // --- API ------------------------------------------------------------------------------------

  reset(seed: number): ResetResult {
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number, so the typeof test only documents intent
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new ConfigError('seed', `is ${String(seed)}, not a finite number`, 'an integer');
    }
    this.build();
    this.seed = seed;
    this.stepCount = 0;
    this.frame = 0;
    this.winner = null;
    this.done = false;
    this.history = [];
    // Stryker disable next-line ArrayDeclaration: reset reports no events and every step starts with a new list
    this.events = [];
    this.shots.pending = null;
    const rng = new Rng(seed, 'hockey-reset');
    const [p0, p1] = this.paddles;
    Body.setPosition(p0, { x: TABLE_W / 2 + rng.uniform(-20, 20), y: TABLE_H - 120 + rng.uniform(-10, 10) });
    Body.setPosition(p1, { x: TABLE_W / 2 + rng.uniform(-20, 20), y: 120 + rng.uniform(-10, 10) });
    Body.setPosition(this.puck, { x: TABLE_W / 2 + rng.uniform(-80, 80), y: TABLE_H / 2 + rng.uniform(-30, 30) });
    // Stryker disable next-line EqualityOperator: a draw of exactly 0.5 is one in 2^32
    const towardP0 = rng.float() < 0.5;
    const speed = rng.uniform(2, 4);
    const angle = rng.uniform(-0.6, 0.6);
    Body.setVelocity(this.puck, { x: speed * Math.sin(angle), y: (towardP0 ? 1 : -1) * speed * Math.cos(angle) });
    return { observations: this.observations(), info: this.info([], undefined) };
  }

  step(actions: Pair<Vec>): StepResult {
    if (this.done) throw new Error('hockey: the episode is over; call reset(seed) before stepping again');
    const [a0, a1] = checkedPair(actions);
    this.history.push([a0, a1]);
    this.events = [];
    const frames: SceneView[] | undefined = this.recordFrames && !this.replaying ? [] : undefined;
    const [f0, f1] = worldForces(a0, a1);
    let scorer: PlayerIndex | null = null;
    this.stepCount++;
    for (let k = 0; k < this.params.frameSkip && scorer === null; k++) {
      scorer = this.physicsStep(f0, f1);
      this.frame++;
      if (frames) frames.push(this.view());
    }
    const rewards: Pair<number> = [0, 0];
    let terminated = false;
    let truncated = false;
    if (scorer !== null) {
      terminated = true;
      this.winner = scorer;
      rewards[scorer] = 1;
      rewards[1 - scorer] = -1;
    } else if (this.stepCount >= this.params.maxSteps) {
      truncated = true;
      this.winner = -1;
    }
    if (terminated || truncated) {
      this.done = true;
      this.shots.end();
    }
    return { observations: this.observations(), rewards, terminated, truncated, info: this.info(this.events, frames) };
  }

  lookahead(actions: Pair<Vec>, decisions: number): Lookahead {
    const [a0, a1] = checkedPair(actions);
    // Stryker disable next-line BooleanLiteral: a lookahead drives physicsStep directly, which never records frames
    const s = (this.scratch ??= new Hockey(this.params, false));
    // the bodies' kinematic state, not the contact cache: a lookahead starts without warm-started contacts
    Pairs.clear(s.engine.pairs);
    const from = [...this.paddles, this.puck];
    const to = [...s.paddles, s.puck];
    for (let i = 0; i < 3; i++) {
      Body.setPosition(to[i], { x: from[i].position.x, y: from[i].position.y });
      Body.setVelocity(to[i], { x: from[i].velocity.x, y: from[i].velocity.y });
      // matter keeps each body's position-correction impulse between steps (not in its typings)
      const a = (from[i] as unknown as { positionImpulse: { x: number; y: number } }).positionImpulse;
      const b = (to[i] as unknown as { positionImpulse: { x: number; y: number } }).positionImpulse;
      b.x = a.x;
      b.y = a.y;
    }
    const [f0, f1] = worldForces(a0, a1);
    let scorer: PlayerIndex | null = null;
    const frames = decisions * this.params.frameSkip;
    for (let k = 0; k < frames && scorer === null; k++) scorer = s.physicsStep(f0, f1);
    return { observations: s.observations(), winner: scorer ?? -1 };
  }

  snapshot(): HockeySnapshot {
    return {
      v: 1,
      params: { ...this.params },
      seed: this.seed,
      actions: this.history.map(([a, b]) => [a.slice(), b.slice()] as Pair<Vec>),
    };
  }

  restore(state: HockeySnapshot): void {
    // Stryker disable next-line ConditionalExpression: a truthy non-object has no v === 1, so the typeof test only documents intent
    if (!state || typeof state !== 'object' || state.v !== 1 || !Array.isArray(state.actions)) {
      throw new ConfigError('snapshot', 'is not a hockey snapshot', '{ v: 1, params, seed, actions }');
    }
    for (const key of Object.keys(HOCKEY_PARAM_RULES) as (keyof HockeyParams)[]) {
      if (!state.params || state.params[key] !== this.params[key]) {
        throw new ConfigError(`snapshot.params.${key}`, `is ${String(state.params?.[key])}, this instance uses ${this.params[key]}`, String(this.params[key]));
      }
    }
    this.reset(state.seed);
    // Stryker disable next-line BooleanLiteral: only saves work; the frames of replayed steps are dropped either way
    this.replaying = true;
    try {
      for (const a of state.actions) this.step(a);
    } finally {
      this.replaying = false;
    }
  }

  view(): SceneView {
    const m = VIEW_MARGIN;
    const [p0, p1] = this.paddles;
    const circle = (id: string, role: SceneBody['role'], b: MBody, r: number): SceneBody => ({
      id, role, shape: 'circle', x: b.position.x + m, y: b.position.y + m, angle: 0, radius: r,
    });
    return {
      width: TABLE_W + 2 * m,
      height: TABLE_H + 2 * m,
      bodies: [
        ...this.staticView,
        circle('paddle0', 'paddle0', p0, PADDLE_R),
        circle('paddle1', 'paddle1', p1, PADDLE_R),
        circle('puck', 'puck', this.puck, PUCK_R),
      ],
      hud: {
        score: `${this.winner === 0 ? 1 : 0} : ${this.winner === 1 ? 1 : 0}`,
        step: this.stepCount,
        time: Math.round((this.frame * DT) / 100) / 10,
      },
    };
  }

  // --- internals ------------------------------------------------------------------------------

  /** One physics step; returns the scorer when a goal is scored. */
  private physicsStep(f0: { x: number; y: number }, f1: { x: number; y: number }): PlayerIndex | null {
    const forces = [f0, f1];
    for (let i = 0; i < 2; i++) {
      const p = this.paddles[i];
      const scale = (PADDLE_ACCEL * p.mass) / (DT * DT);
      Body.applyForce(p, p.position, { x: forces[i].x * scale, y: forces[i].y * scale });
    }
    Engine.update(this.engine, DT);

    for (let i = 0; i < 2; i++) this.confinePaddle(i as PlayerIndex);
    this.confinePuck();

    const starts = this.engine.pairs.collisionStart as { bodyA: MBody; bodyB: MBody }[];
    for (const pair of starts) {
      let other: MBody;
      // Stryker disable next-line ConditionalExpression: matter makes bodyA the body with the lower id, and the puck is created last, so it is always bodyB
      if (pair.bodyA === this.puck) other = pair.bodyB;
      else if (pair.bodyB === this.puck) other = pair.bodyA;
      else continue;
      if (other === this.paddles[0] || other === this.paddles[1]) {
        const who: PlayerIndex = other === this.paddles[0] ? 0 : 1;
        this.addEvent(`hit${who}`);
        this.shots.hit(who);
      } else {
        const kind = this.wallKind.get(other);
        // Stryker disable next-line ConditionalExpression: the puck only collides with paddles and walls (its mask), and every wall has a kind
        if (!kind) continue;
        this.addEvent('wall');
        if (kind === 'side') {
          const b = this.puck;
          this.shots.sideWall(b.position.x, b.position.y, b.velocity.x, b.velocity.y);
        }
        else this.shots.endWall(kind === 'end0' ? 0 : 1);
      }
    }

    const py = this.puck.position.y;
    if (py > TABLE_H) {
      this.shots.endWall(0);
      this.addEvent('goal1');
      return 1;
    }
    if (py < 0) {
      this.shots.endWall(1);
      this.addEvent('goal0');
      return 0;
    }
    this.shots.position(TABLE_H / 2 - py);
    return null;
  }

  private addEvent(e: string): void {
    if (!this.events.includes(e)) this.events.push(e);
  }

  /** Cap the paddle's speed and, as a safety net, keep it inside its half. */
  private confinePaddle(i: PlayerIndex): void {
    const p = this.paddles[i];
    let vx = p.velocity.x;
    let vy = p.velocity.y;
    let x = p.position.x;
    let y = p.position.y;
    const tol = 3;
    const xmin = PADDLE_R - tol;
    const xmax = TABLE_W - PADDLE_R + tol;
    const ymin = i === 0 ? TABLE_H / 2 + BARRIER_HALF + PADDLE_R - tol : PADDLE_R - tol;
    const ymax = i === 0 ? TABLE_H - PADDLE_R + tol : TABLE_H / 2 - BARRIER_HALF - PADDLE_R + tol;
    let moved = false;
    if (x < xmin) { x = xmin; vx = Math.max(0, vx); moved = true; }
    if (x > xmax) { x = xmax; vx = Math.min(0, vx); moved = true; }
    if (y < ymin) { y = ymin; vy = Math.max(0, vy); moved = true; }
    if (y > ymax) { y = ymax; vy = Math.min(0, vy); moved = true; }
    const speed = Math.hypot(vx, vy);
    if (speed > PADDLE_MAX_SPEED) {
      vx *= PADDLE_MAX_SPEED / speed;
      vy *= PADDLE_MAX_SPEED / speed;
      moved = true;
    }
    if (moved) {
      Body.setPosition(p, { x, y });
      Body.setVelocity(p, { x: vx, y: vy });
    }
  }

  /** Cap the puck's speed and, as a safety net, keep it on the table except through a goal mouth. */
  private confinePuck(): void {
    const b = this.puck;
    let vx = b.velocity.x;
    let vy = b.velocity.y;
    let x = b.position.x;
    let y = b.position.y;
    let moved = false;
    const tol = 3;
    if (x < PUCK_R - tol) { x = PUCK_R; vx = Math.abs(vx); moved = true; }
    if (x > TABLE_W - PUCK_R + tol) { x = TABLE_W - PUCK_R; vx = -Math.abs(vx); moved = true; }
    // Stryker disable next-line all: redundant with the post-zone test below (|x - 250| > goalWidth / 2 + PUCK_R implies not in the mouth)
    const inMouth = Math.abs(x - TABLE_W / 2) < this.params.goalWidth / 2;
    if (!inMouth && y < PUCK_R - tol && Math.abs(x - TABLE_W / 2) > this.params.goalWidth / 2 + PUCK_R) {
      y = PUCK_R; vy = Math.abs(vy); moved = true;
    }
    if (!inMouth && y > TABLE_H - PUCK_R + tol && Math.abs(x - TABLE_W / 2) > this.params.goalWidth / 2 + PUCK_R) {
      y = TABLE_H - PUCK_R; vy = -Math.abs(vy); moved = true;
    }
    const speed = Math.hypot(vx, vy);
    if (speed > PUCK_MAX_SPEED) {
      vx *= PUCK_MAX_SPEED / speed;
      vy *= PUCK_MAX_SPEED / speed;
      moved = true;
    }
    if (moved) {
      Body.setPosition(b, { x, y });
      Body.setVelocity(b, { x: vx, y: vy });
    }
  }

  private observations(): Pair<Vec> {
    const [p0, p1] = this.paddles;
    const hx = TABLE_W / 2;
    const hy = TABLE_H / 2;
    const enc = (b: MBody, vmax: number): number[] => [
      clampTo((b.position.x - hx) / hx, POS_X),
      clampTo((hy - b.position.y) / hy, POS_Y),
      clampTo(b.velocity.x / vmax, 1),
      clampTo(-b.velocity.y / vmax, 1),
    ];
    const o0 = [...enc(p0, PADDLE_MAX_SPEED), ...enc(p1, PADDLE_MAX_SPEED), ...enc(this.puck, PUCK_MAX_SPEED)];
    return [o0, mirrorHockeyObservation(o0)];
  }

  private info(events: string[], frames: SceneView[] | undefined): StepInfo {
    // Stryker disable next-line MethodExpression: the list is never changed after it is returned (each step starts a new one)
    const info: StepInfo = { step: this.stepCount, active: [true, true], winner: this.winner, events: events.slice() };
    if (frames) info.frames = frames;
    return info;
  }
}

function rectBody(id: string, role: SceneBody['role'], x0: number, y0: number, x1: number, y1: number): SceneBody {
  const m = VIEW_MARGIN;
  return {
    id,
    role,
    shape: 'polygon',
    x: (x0 + x1) / 2 + m,
    y: (y0 + y1) / 2 + m,
    angle: 0,
    vertices: [
      { x: x0 + m, y: y0 + m },
      { x: x1 + m, y: y0 + m },
      { x: x1 + m, y: y1 + m },
      { x: x0 + m, y: y1 + m },
    ],
  };
}

/** The static part of the scene (rails, goals, centre line), in view coordinates. */
function staticScene(goalWidth: number): SceneBody[] {
  const m = VIEW_MARGIN;
  const gx0 = TABLE_W / 2 - goalWidth / 2;
  const gx1 = TABLE_W / 2 + goalWidth / 2;
  return [
    rectBody('wall-left', 'wall', -m, -m, 0, TABLE_H + m),
    rectBody('wall-right', 'wall', TABLE_W, -m, TABLE_W + m, TABLE_H + m),
    rectBody('wall-top-left', 'wall', 0, -m, gx0, 0),
    rectBody('wall-top-right', 'wall', gx1, -m, TABLE_W, 0),
    rectBody('wall-bottom-left', 'wall', 0, TABLE_H, gx0, TABLE_H + m),
    rectBody('wall-bottom-right', 'wall', gx1, TABLE_H, TABLE_W, TABLE_H + m),
    rectBody('goal1', 'goal', gx0, -m, gx1, 0),
    rectBody('goal0', 'goal', gx0, TABLE_H, gx1, TABLE_H + m),
    rectBody('centre-line', 'marker', 0, TABLE_H / 2 - 1, TABLE_W, TABLE_H / 2 + 1),
  ];
}

// ---------------------------------------------------------------------------------------------
// The definition

export const hockeyDef: ScenarioDef<HockeyParams> = {
  id: 'hockey',
  title: 'Air hockey',
  description:
    'Two paddles on an air-hockey table (matter-js). Each player pushes its paddle with a force and may not leave its half; the first goal wins, a game that runs out of time is a draw. Shots are direct or banked off a side wall (the rare style).',
  defaultParams: hockeyDefaultParams,
  create(params?: Partial<HockeyParams>, options?: { recordFrames?: boolean }): Scenario {
    return new Hockey(validateHockeyParams(params), options?.recordFrames === true) as Scenario;
  },
  observationSpace,
  actionSpace,
  maxSteps: hockeyDefaultParams.maxSteps,
  mirrorObservation: mirrorHockeyObservation,
  style: { styles: ['direct', 'bank'], rare: ['bank'] },
  styleCounts(ep: EpisodeRecord, player: PlayerIndex): Record<string, number> {
    const counts: Record<string, number> = { direct: 0, bank: 0 };
    for (const s of classifyShotsFromObservations(ep.obs.map((o) => o[0]))) {
      if (s.player === player) counts[s.style]++;
    }
    return counts;
  },
  observationPoints(obs: Vec): ObsPoint[] {
    const pt = (label: string, off: number): ObsPoint => {
      const w = worldPos(obs, off);
      return { label, x: w.x + VIEW_MARGIN, y: w.y + VIEW_MARGIN };
    };
    return [pt('paddle0', 0), pt('paddle1', 4), pt('puck', 8)];
  },
};
