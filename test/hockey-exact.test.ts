/**
 * sim/hockey.ts, exactly: the world it builds, reset's draws, the force → velocity map, the
 * confinement safety nets (called directly on placed bodies), goals, wall and paddle events, the
 * shot tracker's wiring, the view and snapshot/restore errors. Expected values are hand-computed
 * from the table geometry (500 × 800, goal 180 wide → posts at x = 160 and 340).
 */
import Matter from 'matter-js';
import { describe, expect, it } from 'vitest';
import { thrownError } from './errors.ts';
import { ConfigError } from '../sim/errors.ts';
import { HOCKEY_OBS, hockeyDef } from '../sim/hockey.ts';
import { Rng } from '../sim/rng.ts';
import type { Pair, Scenario, SceneBody, Vec } from '../sim/types.ts';

const { Body } = Matter;

interface Pending { player: 0 | 1; crossed: boolean; bank: boolean }
interface Internals {
  engine: Matter.Engine;
  paddles: [Matter.Body, Matter.Body];
  puck: Matter.Body;
  wallKind: Map<Matter.Body, string>;
  shots: { pending: Pending | null };
  confinePuck(): void;
  confinePaddle(i: 0 | 1): void;
}

function create(params: Record<string, number> = {}, recordFrames = false): { sc: Scenario; h: Internals } {
  const sc = hockeyDef.create(params, { recordFrames });
  return { sc, h: sc as unknown as Internals };
}
function place(b: Matter.Body, x: number, y: number, vx = 0, vy = 0): void {
  Body.setPosition(b, { x, y });
  Body.setVelocity(b, { x: vx, y: vy });
}
/** paddles parked still, far from where the puck is tested */
function park(h: Internals, p0: [number, number] = [250, 700], p1: [number, number] = [250, 100]): void {
  place(h.paddles[0], p0[0], p0[1]);
  place(h.paddles[1], p1[0], p1[1]);
}
const still: Pair<Vec> = [[0, 0], [0, 0]];
/** matter's previous position (its velocity is position - positionPrev) */
const prevOf = (b: Matter.Body): { x: number; y: number } => ({ ...(b as unknown as { positionPrev: { x: number; y: number } }).positionPrev });

describe('hockey observation names', () => {
  it('HOCKEY_OBS gives each observation field its index in the observation space', () => {
    expect(hockeyDef.observationSpace.names.map((n) => HOCKEY_OBS[n as keyof typeof HOCKEY_OBS])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect([HOCKEY_OBS['own.x'], HOCKEY_OBS['own.y'], HOCKEY_OBS['puck.x'], HOCKEY_OBS['puck.y'], HOCKEY_OBS['puck.vy']]).toEqual([0, 1, 8, 9, 11]);
  });
});

describe('hockey world construction', () => {
  it('bodies in a fixed order with their labels, kinds, materials and collision filters', () => {
    const { h } = create();
    const bodies = h.engine.world.bodies;
    expect(bodies.map((b) => b.label)).toEqual([
      'wall-left', 'wall-right', 'wall-top-left', 'wall-top-right', 'wall-bottom-left', 'wall-bottom-right',
      'barrier-centre', 'barrier-goal1', 'barrier-goal0', 'paddle0', 'paddle1', 'puck',
    ]);
    expect(bodies.map((b) => h.wallKind.get(b) ?? null)).toEqual(['side', 'side', 'end1', 'end1', 'end0', 'end0', null, null, null, null, null, null]);
    const filters = bodies.map((b) => [b.collisionFilter.category, b.collisionFilter.mask, b.collisionFilter.group]);
    expect(filters).toEqual([
      [1, 6, 0], [1, 6, 0], [1, 6, 0], [1, 6, 0], [1, 6, 0], [1, 6, 0],
      [8, 2, 0], [8, 2, 0], [8, 2, 0],
      [2, 15, 0], [2, 15, 0],
      [4, 3, 0],
    ]);
    expect(bodies.map((b) => b.isStatic)).toEqual([true, true, true, true, true, true, true, true, true, false, false, false]);
    // matter makes static bodies' restitution 0 (the walls' 0.9 is not used; a contact takes the larger one)
    expect(bodies.map((b) => b.restitution)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.9]);
    expect(bodies.slice(9).map((b) => [b.friction, b.frictionStatic])).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(bodies.slice(9).map((b) => b.frictionAir)).toEqual([0.15, 0.15, 0.001]);
    expect(bodies.slice(9).map((b) => b.inertia)).toEqual([Infinity, Infinity, Infinity]);
    expect(bodies.slice(9).map((b) => b.circleRadius)).toEqual([30, 30, 18]);
    // density 0.002 (paddles) and 0.001 (puck): mass / area
    expect(bodies[9].mass / bodies[9].area).toBeCloseTo(0.002, 12);
    expect(bodies[11].mass / bodies[11].area).toBeCloseTo(0.001, 12);
    expect(h.engine.gravity.x).toBe(0);
    expect(h.engine.gravity.y).toBe(0);
    expect(h.engine.gravity.scale).toBe(0);
    expect(h.engine.enableSleeping).toBe(false);
  });

  it('wall and barrier rectangles (bounds) for goal widths 180 and 100', () => {
    const bounds = (b: Matter.Body): number[] => [b.bounds.min.x, b.bounds.min.y, b.bounds.max.x, b.bounds.max.y].map((v) => Math.round(v * 1e6) / 1e6);
    const expected = (g0: number, g1: number): number[][] => [
      [-100, -100, 0, 900],
      [500, -100, 600, 900],
      [-100, -100, g0, 0],
      [g1, -100, 600, 0],
      [-100, 800, g0, 900],
      [g1, 800, 600, 900],
      [0, 392, 500, 408],
      [g0, -100, g1, 0],
      [g0, 800, g1, 900],
    ];
    const { h } = create();
    expect(h.engine.world.bodies.slice(0, 9).map(bounds)).toEqual(expected(160, 340));
    const { h: narrow } = create({ goalWidth: 100 });
    expect(narrow.engine.world.bodies.slice(0, 9).map(bounds)).toEqual(expected(200, 300));
  });
});

describe('hockey reset', () => {
  it('draws paddle and puck positions and the puck velocity from Rng(seed, "hockey-reset"), in a fixed order', () => {
    for (const seed of [0, 5, 12345]) {
      const { sc, h } = create();
      const r = sc.reset(seed);
      const rng = new Rng(seed, 'hockey-reset');
      const p0 = { x: 250 + rng.uniform(-20, 20), y: 680 + rng.uniform(-10, 10) };
      const p1 = { x: 250 + rng.uniform(-20, 20), y: 120 + rng.uniform(-10, 10) };
      const pk = { x: 250 + rng.uniform(-80, 80), y: 400 + rng.uniform(-30, 30) };
      const down = rng.float() < 0.5;
      const speed = rng.uniform(2, 4);
      const angle = rng.uniform(-0.6, 0.6);
      const v = { x: speed * Math.sin(angle), y: (down ? 1 : -1) * speed * Math.cos(angle) };
      expect(h.paddles[0].position).toEqual(p0);
      expect(h.paddles[1].position).toEqual(p1);
      expect(h.puck.position).toEqual(pk);
      expect(h.puck.velocity.x).toBeCloseTo(v.x, 12);
      expect(h.puck.velocity.y).toBeCloseTo(v.y, 12);
      const o = r.observations[0];
      const want = [
        (p0.x - 250) / 250, (400 - p0.y) / 400, 0, 0,
        (p1.x - 250) / 250, (400 - p1.y) / 400, 0, 0,
        (pk.x - 250) / 250, (400 - pk.y) / 400, v.x / 22, -v.y / 22,
      ];
      o.forEach((x, i) => expect(x).toBeCloseTo(want[i], 12));
      expect(r.observations[1]).toEqual([-o[4], -o[5], -o[6], -o[7], -o[0], -o[1], -o[2], -o[3], -o[8], -o[9], -o[10], -o[11]]);
      expect(r.info).toEqual({ step: 0, active: [true, true], winner: null, events: [] });
    }
  });

  it('a non-finite seed names the seed', () => {
    const { sc } = create();
    const e = thrownError(() => sc.reset(NaN));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe('seed: is NaN, not a finite number (allowed: an integer)');
    expect(thrownError(() => sc.reset('4' as unknown as number)).message).toBe('seed: is 4, not a finite number (allowed: an integer)');
    expect(thrownError(() => sc.reset(Infinity)).message).toBe('seed: is Infinity, not a finite number (allowed: an integer)');
  });

  it('reset clears the step count, clock, winner, done flag, history and pending shot', () => {
    const { sc, h } = create({ frameSkip: 4 });
    sc.reset(1);
    park(h);
    place(h.puck, 250, 5, 0, -10);
    const r = sc.step(still);
    expect(r.terminated).toBe(true);
    h.shots.pending = { player: 1, crossed: true, bank: false };
    const r0 = sc.reset(2);
    expect(r0.info).toEqual({ step: 0, active: [true, true], winner: null, events: [] });
    expect(h.shots.pending).toBeNull();
    expect(sc.view().hud).toEqual({ score: '0 : 0', step: 0, time: 0 });
    expect(sc.snapshot()).toEqual({ v: 1, params: { frameSkip: 4, maxSteps: 300, goalWidth: 180 }, seed: 2, actions: [] });
    // the episode can be played again
    expect(sc.step(still).info.step).toBe(1);
  });
});

describe('hockey step', () => {
  it('refuses a finished episode and malformed actions, naming them', () => {
    const { sc, h } = create();
    expect(thrownError(() => sc.step([[0, 0]] as unknown as Pair<Vec>)).message).toBe(
      'actions: must be a pair [action of player 0, action of player 1] (allowed: 2 arrays of 2 numbers)',
    );
    expect(thrownError(() => sc.step('no' as unknown as Pair<Vec>))).toBeInstanceOf(ConfigError);
    expect((thrownError(() => sc.step([[0, 0], [0, NaN]])) as ConfigError).path).toBe('actions[1].fy');
    expect((thrownError(() => sc.step([[Infinity, 0], [0, 0]])) as ConfigError).path).toBe('actions[0].fx');
    park(h);
    place(h.puck, 250, 795, 0, 10);
    sc.step(still);
    const e = thrownError(() => sc.step(still));
    expect(e).not.toBeInstanceOf(ConfigError);
    expect(e.message).toBe('hockey: the episode is over; call reset(seed) before stepping again');
  });

  it('a full force gives 2 units/step of paddle velocity in one physics step, in each ego frame', () => {
    const { sc, h } = create({ frameSkip: 1 });
    park(h, [250, 600], [250, 200]);
    place(h.puck, 100, 300);
    const r = sc.step([[1, 0.5], [0.5, -1]]);
    // player 0: world force (1, -0.5); player 1: world force (-0.5, -1)
    expect(h.paddles[0].velocity.x).toBeCloseTo(2, 9);
    expect(h.paddles[0].velocity.y).toBeCloseTo(-1, 9);
    expect(h.paddles[1].velocity.x).toBeCloseTo(-1, 9);
    expect(h.paddles[1].velocity.y).toBeCloseTo(-2, 9);
    expect(h.paddles[0].position.x).toBeCloseTo(252, 9);
    expect(h.paddles[0].position.y).toBeCloseTo(599, 9);
    expect(h.paddles[1].position.x).toBeCloseTo(249, 9);
    expect(h.paddles[1].position.y).toBeCloseTo(198, 9);
    const o = r.observations[0];
    const want = [0.008, -0.4975, 0.2, 0.1, -0.004, 0.505, -0.1, 0.2, -0.6, 0.25, 0, 0];
    o.forEach((x, i) => expect(x).toBeCloseTo(want[i], 9));
    expect(r.rewards).toEqual([0, 0]);
    expect(r.terminated).toBe(false);
    expect(r.truncated).toBe(false);
    expect(r.info).toEqual({ step: 1, active: [true, true], winner: null, events: [] });
    // actions are clipped before they are applied and recorded
    sc.step([[3, -3], [-2, 0.25]]);
    expect((sc.snapshot() as { actions: unknown }).actions).toEqual([[[1, 0.5], [0.5, -1]], [[1, -1], [-1, 0.25]]]);
  });

  it('observations are clipped: positions to ±1 / ±1.1, velocities to ±1', () => {
    const { sc, h } = create({ frameSkip: 1 });
    park(h);
    // puck past the top goal line: y = -50 → (400 + 50) / 400 = 1.125, shown as 1.1
    place(h.puck, 250, 2, 0, -52);
    const r = sc.step(still);
    expect(r.terminated).toBe(true);
    const o = r.observations[0];
    expect(o[9]).toBe(1.1);
    expect(o[11]).toBe(1);
    const { sc: sc2, h: h2 } = create({ frameSkip: 1 });
    park(h2);
    place(h2.puck, 250, 798, 0, 52);
    const o2 = sc2.step(still).observations[0];
    expect(o2[9]).toBe(-1.1);
    expect(o2[11]).toBe(-1);
  });

  it('goals: the puck past y = 0 scores for player 0, past y = 800 for player 1; on the line is no goal', () => {
    const top = create({ frameSkip: 4 }, true);
    park(top.h);
    place(top.h.puck, 250, 5, 0, -10);
    const r = top.sc.step(still);
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    expect(r.rewards).toEqual([1, -1]);
    expect(r.info.winner).toBe(0);
    expect(r.info.events).toEqual(['goal0']);
    expect(r.info.frames).toHaveLength(1);
    expect(r.info.active).toEqual([true, true]);
    expect(top.sc.view().hud).toEqual({ score: '1 : 0', step: 1, time: 0 });

    const bottom = create({ frameSkip: 4 });
    park(bottom.h);
    place(bottom.h.puck, 250, 795, 0, 10);
    const b = bottom.sc.step(still);
    expect(b.rewards).toEqual([-1, 1]);
    expect(b.info.winner).toBe(1);
    expect(b.info.events).toEqual(['goal1']);
    expect(bottom.sc.view().hud.score).toBe('0 : 1');

    for (const y of [0, 800]) {
      const line = create({ frameSkip: 1 });
      park(line.h);
      place(line.h.puck, 250, y);
      const s = line.sc.step(still);
      expect(s.terminated).toBe(false);
      expect(s.info.events).toEqual([]);
      expect(line.h.puck.position.y).toBe(y);
    }
  });

  it('truncates at exactly maxSteps as a draw, resolving a pending shot', () => {
    const { sc, h } = create({ maxSteps: 10, frameSkip: 1 });
    park(h);
    place(h.puck, 100, 300);
    for (let i = 1; i < 10; i++) {
      const r = sc.step(still);
      expect(r.truncated).toBe(false);
      expect(r.info.winner).toBeNull();
    }
    h.shots.pending = { player: 0, crossed: true, bank: false };
    const r = sc.step(still);
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(r.rewards).toEqual([0, 0]);
    expect(r.info.winner).toBe(-1);
    expect(r.info.events).toEqual(['shot0:direct']);
    expect(sc.view().hud.score).toBe('0 : 0');
    expect(sc.maxSteps).toBe(10);
  });

  it('a goal resolves the pending shot of the scorer', () => {
    const { sc, h } = create({ frameSkip: 2 });
    park(h);
    place(h.puck, 250, 5, 0, -10);
    h.shots.pending = { player: 0, crossed: true, bank: true };
    expect(sc.step(still).info.events).toEqual(['shot0:bank', 'goal0']);
    const b = create({ frameSkip: 2 });
    park(b.h);
    place(b.h.puck, 250, 795, 0, 10);
    b.h.shots.pending = { player: 1, crossed: true, bank: false };
    expect(b.sc.step(still).info.events).toEqual(['shot1:direct', 'goal1']);
  });
});

describe('hockey events: walls, paddles, shot tracking', () => {
  it('an end wall gives "wall" and resolves the attacker\'s shot (top wall: player 0, bottom wall: player 1)', () => {
    const top = create({ frameSkip: 1 });
    park(top.h);
    place(top.h.puck, 60, 22, 0, -8);
    top.h.shots.pending = { player: 0, crossed: true, bank: false };
    expect(top.sc.step(still).info.events).toEqual(['wall', 'shot0:direct']);
    expect(top.h.shots.pending).toBeNull();

    const bottom = create({ frameSkip: 1 });
    park(bottom.h);
    place(bottom.h.puck, 440, 778, 0, 8);
    bottom.h.shots.pending = { player: 1, crossed: true, bank: false };
    expect(bottom.sc.step(still).info.events).toEqual(['wall', 'shot1:direct']);

    // the defender's own end wall does not resolve the shot
    const own = create({ frameSkip: 1 });
    park(own.h);
    place(own.h.puck, 60, 778, 0, 8);
    own.h.shots.pending = { player: 0, crossed: false, bank: false };
    expect(own.sc.step(still).info.events).toEqual(['wall']);
    expect(own.h.shots.pending).toEqual({ player: 0, crossed: false, bank: false });
  });

  it('a side wall gives "wall" and marks a bank shot only when the puck comes off it toward the goal zone', () => {
    const headsForGoal = (x: number, y: number, vx: number, vy: number): boolean => {
      if (-y * vy <= 0) return false;
      return Math.abs(x + (vx * -y) / vy - 250) < 130;
    };
    const cases: [number, number, number, number, boolean][] = [
      // x, y, vx, vy, expected bank (checked against the state after the bounce below)
      [22, 250, -6, -12, true],
      [22, 300, -6, 4, false],
      [478, 250, 6, -12, true],
    ];
    for (const [x, y, vx, vy, bank] of cases) {
      const { sc, h } = create({ frameSkip: 1 });
      park(h);
      place(h.puck, x, y, vx, vy);
      h.shots.pending = { player: 0, crossed: true, bank: false };
      expect(sc.step(still).info.events).toEqual(['wall']);
      const b = h.puck;
      expect(headsForGoal(b.position.x, b.position.y, b.velocity.x, b.velocity.y)).toBe(bank);
      expect(h.shots.pending).toEqual({ player: 0, crossed: true, bank });
    }
    // no pending shot: only the event
    const { sc, h } = create({ frameSkip: 1 });
    park(h);
    place(h.puck, 22, 250, -6, -12);
    expect(sc.step(still).info.events).toEqual(['wall']);
    expect(h.shots.pending).toBeNull();
  });

  it('a paddle against a rail or the centre barrier is no event', () => {
    const { sc, h } = create({ frameSkip: 1 });
    park(h, [31, 600], [469, 200]);
    Body.setVelocity(h.paddles[0], { x: -5, y: 0 });
    Body.setVelocity(h.paddles[1], { x: 5, y: 0 });
    place(h.puck, 250, 400);
    const r = sc.step([[-1, 0], [-1, 0]]);
    expect(r.info.events).toEqual([]);
    expect(h.paddles[0].position.x).toBeLessThan(31);
  });

  it('both paddles are speed-capped at 10 units/step in play (full force would reach 13.3)', () => {
    const { sc, h } = create({ frameSkip: 16 });
    park(h, [250, 600], [250, 200]);
    place(h.puck, 60, 400);
    const r = sc.step([[1, 0], [1, 0]]);
    expect(h.paddles[0].velocity.x).toBeCloseTo(10, 9);
    expect(h.paddles[1].velocity.x).toBeCloseTo(-10, 9);
    expect(r.observations[0][2]).toBeCloseTo(1, 9);
    expect(r.observations[0][6]).toBeCloseTo(-1, 9);
    expect(r.observations[1][2]).toBeCloseTo(1, 9);
  });

  it('"wall" is listed once per step even when the puck hits two walls', () => {
    const { sc, h } = create({ frameSkip: 1 });
    park(h);
    place(h.puck, 24, 24, -8, -8);
    expect(sc.step(still).info.events).toEqual(['wall']);
  });

  it('a paddle touching the puck gives hit0/hit1 and starts that player\'s shot', () => {
    const a = create({ frameSkip: 1 });
    park(a.h, [250, 600], [250, 100]);
    place(a.h.puck, 250, 545, 0, 8);
    a.h.shots.pending = { player: 1, crossed: true, bank: false };
    expect(a.sc.step(still).info.events).toEqual(['hit0', 'shot1:direct']);
    expect(a.h.shots.pending).toEqual({ player: 0, crossed: false, bank: false });

    const b = create({ frameSkip: 1 });
    park(b.h, [250, 700], [250, 200]);
    place(b.h.puck, 250, 255, 0, -8);
    expect(b.sc.step(still).info.events).toEqual(['hit1']);
    expect(b.h.shots.pending).toEqual({ player: 1, crossed: false, bank: false });
    // paddle against paddle-only walls and barriers: no events
    const c = create({ frameSkip: 1 });
    park(c.h, [250, 437], [250, 363]);
    place(c.h.puck, 100, 600);
    expect(c.sc.step([[0, 1], [0, 1]]).info.events).toEqual([]);
  });

  it('the shot counts as crossed once the puck is in the opponent\'s half (height from the centre line)', () => {
    const cases: [0 | 1, number, boolean][] = [
      [0, 300, true], [0, 500, false], [1, 500, true], [1, 300, false],
    ];
    for (const [player, y, crossed] of cases) {
      const { sc, h } = create({ frameSkip: 1 });
      park(h);
      place(h.puck, 100, y);
      h.shots.pending = { player, crossed: false, bank: false };
      sc.step(still);
      expect(h.shots.pending).toEqual({ player, crossed, bank: false });
    }
    // a crossed shot that comes back to the shooter's half is resolved
    const { sc, h } = create({ frameSkip: 1 });
    park(h);
    place(h.puck, 100, 500);
    h.shots.pending = { player: 0, crossed: true, bank: false };
    expect(sc.step(still).info.events).toEqual(['shot0:direct']);
  });
});

describe('hockey confinement safety nets', () => {
  const paddleCases: [0 | 1, [number, number, number, number], [number, number, number, number]][] = [
    // player, [x, y, vx, vy] before → after
    [0, [10, 600, -5, 1], [27, 600, 0, 1]],
    [0, [10, 600, 5, 1], [27, 600, 5, 1]],
    [0, [490, 600, 5, 1], [473, 600, 0, 1]],
    [0, [490, 600, -5, 1], [473, 600, -5, 1]],
    [0, [250, 420, 1, -5], [250, 435, 1, 0]],
    [0, [250, 420, 1, 5], [250, 435, 1, 5]],
    [0, [250, 790, 1, 5], [250, 773, 1, 0]],
    [0, [250, 790, 1, -5], [250, 773, 1, -5]],
    [1, [250, 10, 1, -5], [250, 27, 1, 0]],
    [1, [250, 380, 1, 5], [250, 365, 1, 0]],
    [1, [10, 200, -5, 1], [27, 200, 0, 1]],
    [1, [490, 200, 5, 1], [473, 200, 0, 1]],
    // speed cap at 10 units/step, alone and after a clamp
    [0, [250, 600, 9, 12], [250, 600, 6, 8]],
    [1, [250, 200, -12, 9], [250, 200, -8, 6]],
    [0, [10, 600, -30, 40], [27, 600, 0, 10]],
  ];
  it('paddles: clamped into their half (3 units of tolerance), outward velocity removed, speed capped', () => {
    for (const [i, [x, y, vx, vy], [ex, ey, evx, evy]] of paddleCases) {
      const { h } = create();
      place(h.paddles[i], x, y, vx, vy);
      h.confinePaddle(i);
      const p = h.paddles[i];
      expect([p.position.x, p.position.y]).toEqual([ex, ey]);
      expect(p.velocity.x).toBeCloseTo(evx, 9);
      expect(p.velocity.y).toBeCloseTo(evy, 9);
    }
  });

  /** matter's velocity is not always position - positionPrev; setting it again would round it: */
  const roundTrips = (p: number, v: number): boolean => p - (p - v) === v;
  /** place a body, then give it a velocity the way matter's integrator does (not via setVelocity) */
  function placeRaw(b: Matter.Body, x: number, y: number, vx: number, vy: number): void {
    place(b, x, y);
    // exactly on the limit (a translation by setPosition may be off by a rounding)
    Object.assign(b.position, { x, y });
    Object.assign(b.velocity, { x: vx, y: vy });
    expect(roundTrips(b.position.x, vx) && roundTrips(b.position.y, vy)).toBe(false);
  }

  it('paddles exactly on the limits, or at the speed cap, are left untouched (not even set again)', () => {
    const inside: [0 | 1, number, number, number, number][] = [
      [0, 27, 600.7, -2.8, 9.6], [0, 473, 600.7, 2.8, 9.6], [0, 250.3, 435, 2.8, -9.6], [0, 250.3, 773, 2.8, 9.6],
      [1, 27, 200.7, -2.8, 9.6], [1, 473, 200.7, 2.8, 9.6], [1, 250.3, 27, 2.8, -9.6], [1, 250.3, 365, 2.8, 9.6],
      // speed exactly 10
      [0, 250.3, 600.7, 9.6, 2.8], [1, 250.3, 200.7, -2.8, -9.6],
    ];
    for (const [i, x, y, vx, vy] of inside) {
      const { h } = create();
      placeRaw(h.paddles[i], x, y, vx, vy);
      expect(Math.hypot(vx, vy)).toBeLessThanOrEqual(10);
      const prev = prevOf(h.paddles[i]);
      h.confinePaddle(i);
      expect({ ...h.paddles[i].position }).toEqual({ x, y });
      expect({ ...h.paddles[i].velocity }).toEqual({ x: vx, y: vy });
      expect(prevOf(h.paddles[i])).toEqual(prev);
    }
  });

  const puckCases: [[number, number, number, number], [number, number, number, number]][] = [
    [[10, 400, -4, 1], [18, 400, 4, 1]],
    [[10, 400, 4, 1], [18, 400, 4, 1]],
    [[490, 400, 4, 1], [482, 400, -4, 1]],
    [[490, 400, -4, 1], [482, 400, -4, 1]],
    // beyond the end walls, away from the goal mouth (|x - 250| > 90 + 18)
    [[100, 10, 1, -3], [100, 18, 1, 3]],
    [[100, 10, 1, 3], [100, 18, 1, 3]],
    [[141, 10, 1, -3], [141, 18, 1, 3]],
    [[359, 10, 1, -3], [359, 18, 1, 3]],
    [[400, 790, 1, 3], [400, 782, 1, -3]],
    [[400, 790, 1, -3], [400, 782, 1, -3]],
    [[141, 790, 1, 3], [141, 782, 1, -3]],
    // speed cap at 22 units/step
    [[250, 400, 30, 40], [250, 400, 13.2, 17.6]],
    [[10, 10, -30, -40], [18, 18, 13.2, 17.6]],
  ];
  it('puck: pushed back on the table except through a goal mouth, velocity turned inward, speed capped', () => {
    for (const [[x, y, vx, vy], [ex, ey, evx, evy]] of puckCases) {
      const { h } = create();
      place(h.puck, x, y, vx, vy);
      h.confinePuck();
      expect([h.puck.position.x, h.puck.position.y]).toEqual([ex, ey]);
      expect(h.puck.velocity.x).toBeCloseTo(evx, 9);
      expect(h.puck.velocity.y).toBeCloseTo(evy, 9);
    }
  });

  it('puck: on the limits, in the goal mouth, by the posts or at the speed cap it is left untouched (not even set again)', () => {
    const inside: [number, number, number, number, number][] = [
      // goalWidth, x, y, vx, vy
      [180, 15, 400.7, -2.8, 9.6], [180, 485, 400.7, 2.8, 9.6], [180, 100.3, 15, 2.8, -9.6], [180, 100.3, 785, 2.8, 9.6],
      [180, 250.3, 5, 2.8, -9.6], [180, 250.3, 795, 2.8, 9.6], [180, 160.3, 5, 2.8, -9.6], [180, 142, 5.3, -2.8, -9.6], [180, 358, 795.3, 2.8, 9.6],
      // speed exactly 22
      [180, 250.3, 400.7, 13.2, 17.6], [180, 250.3, 400.7, -17.6, 13.2],
      [100, 182, 5.3, 2.8, -9.6], [100, 318, 795.3, 2.8, 9.6],
    ];
    for (const [goalWidth, x, y, vx, vy] of inside) {
      const { h } = create({ goalWidth });
      placeRaw(h.puck, x, y, vx, vy);
      expect(Math.hypot(vx, vy)).toBeLessThanOrEqual(22);
      const prev = prevOf(h.puck);
      h.confinePuck();
      expect({ ...h.puck.position }).toEqual({ x, y });
      expect({ ...h.puck.velocity }).toEqual({ x: vx, y: vy });
      expect(prevOf(h.puck)).toEqual(prev);
    }
    // a narrower goal: x = 181 is beyond its post zone (|181 - 250| > 50 + 18)
    const { h } = create({ goalWidth: 100 });
    place(h.puck, 181, 5, 0, -3);
    h.confinePuck();
    expect(h.puck.position).toEqual({ x: 181, y: 18 });
  });
});

describe('hockey view, snapshot and definition', () => {
  it('view: the static table in view coordinates (margin 40), then paddles and puck', () => {
    const { sc, h } = create();
    park(h, [230, 650], [270, 150]);
    place(h.puck, 111, 222);
    const v = sc.view();
    expect(v.width).toBe(580);
    expect(v.height).toBe(880);
    const rect = (id: string, role: string, x0: number, y0: number, x1: number, y1: number): SceneBody => ({
      id, role: role as SceneBody['role'], shape: 'polygon', x: (x0 + x1) / 2, y: (y0 + y1) / 2, angle: 0,
      vertices: [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }],
    });
    expect(v.bodies).toEqual([
      rect('wall-left', 'wall', 0, 0, 40, 880),
      rect('wall-right', 'wall', 540, 0, 580, 880),
      rect('wall-top-left', 'wall', 40, 0, 200, 40),
      rect('wall-top-right', 'wall', 380, 0, 540, 40),
      rect('wall-bottom-left', 'wall', 40, 840, 200, 880),
      rect('wall-bottom-right', 'wall', 380, 840, 540, 880),
      rect('goal1', 'goal', 200, 0, 380, 40),
      rect('goal0', 'goal', 200, 840, 380, 880),
      rect('centre-line', 'marker', 40, 439, 540, 441),
      { id: 'paddle0', role: 'paddle0', shape: 'circle', x: 270, y: 690, angle: 0, radius: 30 },
      { id: 'paddle1', role: 'paddle1', shape: 'circle', x: 310, y: 190, angle: 0, radius: 30 },
      { id: 'puck', role: 'puck', shape: 'circle', x: 151, y: 262, angle: 0, radius: 18 },
    ]);
    expect(v.hud).toEqual({ score: '0 : 0', step: 0, time: 0 });
    const narrow = create({ goalWidth: 100 }).sc.view();
    expect(narrow.bodies.find((b) => b.id === 'goal1')).toEqual(rect('goal1', 'goal', 240, 0, 340, 40));
    expect(narrow.bodies.find((b) => b.id === 'wall-bottom-right')).toEqual(rect('wall-bottom-right', 'wall', 340, 840, 540, 880));
  });

  it('hud time in seconds to 0.1: 60 physics steps are 1 s, 9 are 0.2 s', () => {
    const { sc, h } = create({ frameSkip: 3 });
    park(h);
    place(h.puck, 100, 300);
    sc.step(still);
    sc.step(still);
    sc.step(still);
    expect(sc.view().hud).toEqual({ score: '0 : 0', step: 3, time: 0.2 });
    for (let i = 0; i < 17; i++) sc.step(still);
    expect(sc.view().hud).toEqual({ score: '0 : 0', step: 20, time: 1 });
  });

  it('frames: one view per physics step, only when asked for; a replay by restore records none but later steps do', () => {
    const rec = create({ frameSkip: 3 }, true);
    const r = rec.sc.step([[1, 0], [0, 1]]);
    expect(r.info.frames).toHaveLength(3);
    expect(r.info.frames![2]).toEqual(rec.sc.view());
    const plain = create({ frameSkip: 3 });
    expect(plain.sc.step(still).info.frames).toBeUndefined();
    expect('frames' in plain.sc.step(still).info).toBe(false);
    const snap = rec.sc.snapshot();
    const other = create({ frameSkip: 3 }, true);
    other.sc.restore(snap);
    expect(other.sc.view()).toEqual(rec.sc.view());
    const a = other.sc.step([[0.5, 0.5], [0.5, 0.5]]);
    const b = rec.sc.step([[0.5, 0.5], [0.5, 0.5]]);
    expect(a.info.frames).toHaveLength(3);
    expect(a).toEqual(b);
  });

  it('snapshot holds a copy of the parameters, seed and clipped actions', () => {
    const { sc } = create({ frameSkip: 2, maxSteps: 40 });
    sc.reset(9);
    sc.step([[2, 0], [0, -2]]);
    const s = sc.snapshot() as { v: number; params: object; seed: number; actions: Pair<Vec>[] };
    expect(s).toEqual({ v: 1, params: { frameSkip: 2, maxSteps: 40, goalWidth: 180 }, seed: 9, actions: [[[1, 0], [0, -1]]] });
    s.actions[0][0][0] = 99;
    expect((sc.snapshot() as typeof s).actions[0][0][0]).toBe(1);
  });

  it('restore refuses what is not a snapshot of these parameters, naming the field', () => {
    const { sc } = create({ frameSkip: 2 });
    const good = sc.snapshot() as Record<string, unknown>;
    const notSnap = 'snapshot: is not a hockey snapshot (allowed: { v: 1, params, seed, actions })';
    for (const bad of [null, 5, { ...good, v: 2 }, { ...good, actions: 'x' }, { ...good, v: undefined }]) {
      const e = thrownError(() => sc.restore(bad as never));
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toBe(notSnap);
    }
    expect(thrownError(() => sc.restore({ ...good, params: { frameSkip: 4, maxSteps: 300, goalWidth: 180 } } as never)).message).toBe(
      'snapshot.params.frameSkip: is 4, this instance uses 2 (allowed: 2)',
    );
    expect(thrownError(() => sc.restore({ ...good, params: { frameSkip: 2, maxSteps: 300, goalWidth: 181 } } as never)).message).toBe(
      'snapshot.params.goalWidth: is 181, this instance uses 180 (allowed: 180)',
    );
    expect(thrownError(() => sc.restore({ ...good, params: { frameSkip: 2, maxSteps: 301, goalWidth: 180 } } as never)).message).toBe(
      'snapshot.params.maxSteps: is 301, this instance uses 300 (allowed: 300)',
    );
    expect(thrownError(() => sc.restore({ ...good, params: undefined } as never)).message).toBe(
      'snapshot.params.frameSkip: is undefined, this instance uses 2 (allowed: 2)',
    );
    sc.restore(good as never);
    expect(sc.snapshot()).toEqual(good);
  });

  it('the definition: create validates, observationPoints are the bodies\' view positions', () => {
    expect(thrownError(() => hockeyDef.create({ frameSkip: 0 }))).toBeInstanceOf(ConfigError);
    expect(hockeyDef.create({ maxSteps: 77 }).maxSteps).toBe(77);
    expect(hockeyDef.create().maxSteps).toBe(300);
    expect(hockeyDef.id).toBe('hockey');
    expect(hockeyDef.maxSteps).toBe(300);
    expect(hockeyDef.style).toEqual({ styles: ['direct', 'bank'], rare: ['bank'] });
    expect(hockeyDef.create({}, { recordFrames: 1 as unknown as boolean }).step(still).info.frames).toBeUndefined();
    const o = [0.2, -0.5, 0, 0, -0.4, 0.25, 0, 0, 1, 1.1, 0, 0];
    const pts = hockeyDef.observationPoints(o);
    expect(pts.map((p) => p.label)).toEqual(['paddle0', 'paddle1', 'puck']);
    const want = [[340, 640], [190, 340], [540, 0]];
    pts.forEach((p, i) => {
      expect(p.x).toBeCloseTo(want[i][0], 9);
      expect(p.y).toBeCloseTo(want[i][1], 9);
    });
  });
});
