/**
 * sim/duel.ts, exactly: reset's draws, the world it builds, the observation formula, the flight of
 * a shot (matter's integration written out: v += g and wind per step, x += v), the extrapolated
 * landing of a shot that leaves the arena, the miss encoding, turns, rewards, truncation, the view
 * and restore's errors. Expected values come from the rules as numbers, not from the scenario.
 */
import Matter from 'matter-js';
import { describe, expect, it } from 'vitest';
import { thrownError } from './errors.ts';
import { duelDef, hillVertices, type DuelSnapshot } from '../sim/duel.ts';
import { ConfigError } from '../sim/errors.ts';
import { Rng } from '../sim/rng.ts';
import type { Pair, Scenario, SceneBody, Vec } from '../sim/types.ts';

interface Internals { engine: Matter.Engine }
const G = 0.001 * (1000 / 60) ** 2;
const clamp1 = (x: number): number => Math.max(-1, Math.min(1, x));

function snap(sc: Scenario): DuelSnapshot {
  return sc.snapshot() as DuelSnapshot;
}
/** a state with chosen numbers (restore validates and rebuilds the world from them) */
function withState(sc: Scenario, patch: Partial<DuelSnapshot>): DuelSnapshot {
  const s = { ...snap(sc), ...patch };
  sc.restore(s);
  return s;
}

/** the shot's flight as matter integrates it, until it leaves x in [-4, 1004]; then the ballistic landing */
function outLanding(sx: number, sy: number, vx0: number, vy0: number, windA: number): { steps: number; landX: number } {
  let x = sx;
  let y = sy;
  let vx = vx0;
  let vy = vy0;
  for (let k = 1; k <= 240; k++) {
    vx += windA;
    vy += G;
    x += vx;
    y += vy;
    if (x < -4 || x > 1004) {
      const dy = Math.max(0, 456 - y);
      const t = (-vy + Math.sqrt(vy * vy + 2 * G * dy)) / G;
      return { steps: k, landX: Math.max(-5000, Math.min(6000, x + vx * t + 0.5 * windA * t * t)) };
    }
  }
  throw new Error('did not leave the arena');
}

describe('duel reset and world', () => {
  it('draws x0, x1, hill x, height, half-width and wind from Rng(seed, "duel"), in that order', () => {
    for (const [seed, params] of [[0, {}], [7, { windMax: 0.5, hillMin: 20, hillMax: 30 }], [99, { windMax: 0 }]] as const) {
      const sc = duelDef.create(params);
      const r = sc.reset(seed);
      const p = { windMax: 1, hillMin: 40, hillMax: 150, ...params };
      const rng = new Rng(seed, 'duel');
      const x0 = rng.uniform(80, 200);
      const x1 = rng.uniform(800, 920);
      const hillX = rng.uniform(440, 560);
      const hillH = rng.uniform(p.hillMin, p.hillMax);
      const hillHW = rng.uniform(90, 140);
      const wind = rng.uniform(-p.windMax, p.windMax);
      const s = snap(sc);
      expect(s).toEqual({
        params: { shotsPerPlayer: 10, ...p }, seed, step: 0, turn: 0, x0, x1, hillX, hillH, hillHW, wind,
        shots: [
          { angle: 0, power: 0, miss: 0, landX: 0, fired: false },
          { angle: 0, power: 0, miss: 0, landX: 0, fired: false },
        ],
        winner: null, terminated: false, truncated: false,
      });
      const d = x1 - x0;
      const o = [1, clamp1((d - 720) / 120), clamp1(hillH / 125 - 1), clamp1(3 * (2 * ((hillX - x0) / d) - 1)), wind, 0, 0, 0, -1, 0, 0, 0, -1, -1];
      r.observations[0].forEach((v, i) => expect(v).toBeCloseTo(o[i], 12));
      expect(r.observations[1][0]).toBe(-1);
      expect(r.info).toEqual({ step: 0, active: [true, false], winner: null, events: [] });
    }
  });

  it('a non-finite seed names the seed', () => {
    const sc = duelDef.create();
    const e = thrownError(() => sc.reset(NaN));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe('seed: is NaN, not a finite number (allowed: integer)');
    expect(thrownError(() => sc.reset('1' as unknown as number)).message).toBe('seed: is 1, not a finite number (allowed: integer)');
  });

  it('the observation clips distance, hill height and position to [-1, 1]', () => {
    const sc = duelDef.create({ hillMax: 250 });
    const base = snap(sc);
    // d = 900 → 1.5 → 1; hill 250 → 1; hill at x0 → 3·(0 - 1) = -3 → -1
    withState(sc, { x0: 50, x1: 950, hillX: 50, hillH: 250 });
    const o = sc.step([[0, 0], [0, 0]]).observations[0];
    expect([o[1], o[2], o[3]]).toEqual([1, 1, -1]);
    // d = 500 → -1.83 → -1; hill 10 → -0.92; hill at x1 → 3 → 1
    sc.restore(base);
    withState(sc, { x0: 200, x1: 700, hillX: 700, hillH: 10 });
    const q = sc.step([[0, 0], [0, 0]]).observations[0];
    expect(q[1]).toBe(-1);
    expect(q[2]).toBeCloseTo(-0.92, 12);
    expect(q[3]).toBe(1);
    // inside the range: d = 780 → 0.5, hill 150 → 0.2, hill at 0.55 of d → 0.3
    sc.restore(base);
    withState(sc, { x0: 110, x1: 890, hillX: 539, hillH: 150 });
    const w = sc.step([[0, 0], [0, 0]]).observations[0];
    expect(w[1]).toBeCloseTo(0.5, 12);
    expect(w[2]).toBeCloseTo(0.2, 12);
    expect(w[3]).toBeCloseTo(0.3, 12);
  });

  it('the world: ground, hill, two tanks (static, in that order) under gravity 1 × 0.001', () => {
    const sc = duelDef.create();
    const s = withState(sc, { x0: 150, x1: 850, hillX: 500, hillH: 100, hillHW: 100 });
    const engine = (sc as unknown as Internals).engine;
    expect(engine.gravity).toEqual({ x: 0, y: 1, scale: 0.001 });
    expect(engine.enableSleeping).toBe(false);
    const bodies = engine.world.bodies;
    expect(bodies.map((b) => b.label)).toEqual(['ground', 'hill', 'tank0', 'tank1']);
    expect(bodies.every((b) => b.isStatic)).toBe(true);
    const bounds = (b: Matter.Body): number[] => [b.bounds.min.x, b.bounds.min.y, b.bounds.max.x, b.bounds.max.y].map((v) => Math.round(v * 1e6) / 1e6);
    expect(bounds(bodies[0])).toEqual([-200, 460, 1200, 500]);
    expect(bounds(bodies[1])).toEqual([400, 360, 600, 470]);
    expect(bounds(bodies[2])).toEqual([130, 440, 170, 460]);
    expect(bounds(bodies[3])).toEqual([830, 440, 870, 460]);
    expect(s.x0).toBe(150);
  });

  it('hillVertices: a parabolic cap of 11 points between two base corners sunk 10 units', () => {
    const vs = hillVertices(500, 100, 100);
    expect(vs).toHaveLength(13);
    const want = [
      [400, 470], [400, 460], [420, 424], [440, 396], [460, 376], [480, 364], [500, 360],
      [520, 364], [540, 376], [560, 396], [580, 424], [600, 460], [600, 470],
    ];
    vs.forEach((v, i) => {
      expect(v.x).toBeCloseTo(want[i][0], 9);
      expect(v.y).toBeCloseTo(want[i][1], 9);
    });
    const narrow = hillVertices(300, 50, 40);
    expect(narrow[0]).toEqual({ x: 260, y: 470 });
    expect(narrow[6]).toEqual({ x: 300, y: 410 });
    expect(narrow[12]).toEqual({ x: 340, y: 470 });
  });

  it('view: the statics (ground, hill clipped at the ground line, tanks) and the hud', () => {
    const sc = duelDef.create();
    withState(sc, { x0: 150, x1: 850, hillX: 500, hillH: 100, hillHW: 100, wind: -0.4567 });
    const v = sc.view();
    expect(v.width).toBe(1000);
    expect(v.height).toBe(500);
    const rect = (cx: number, cy: number, w: number, h: number): { x: number; y: number }[] => [
      { x: cx - w / 2, y: cy - h / 2 }, { x: cx + w / 2, y: cy - h / 2 }, { x: cx + w / 2, y: cy + h / 2 }, { x: cx - w / 2, y: cy + h / 2 },
    ];
    expect(v.bodies[0]).toEqual({ id: 'ground', role: 'ground', shape: 'polygon', x: 500, y: 480, angle: 0, vertices: rect(500, 480, 1000, 40) });
    const hill = v.bodies[1];
    expect({ ...hill, vertices: undefined }).toEqual({ id: 'hill', role: 'hill', shape: 'polygon', x: 500, y: 410, angle: 0, vertices: undefined });
    expect(hill.vertices).toHaveLength(13);
    expect(hill.vertices![0]).toEqual({ x: 400, y: 460 });
    expect(hill.vertices![12]).toEqual({ x: 600, y: 460 });
    expect(hill.vertices![6]).toEqual({ x: 500, y: 360 });
    expect(v.bodies[2]).toEqual({ id: 'tank0', role: 'player0', shape: 'polygon', x: 150, y: 450, angle: 0, vertices: rect(150, 450, 40, 20) });
    expect(v.bodies[3]).toEqual({ id: 'tank1', role: 'player1', shape: 'polygon', x: 850, y: 450, angle: 0, vertices: rect(850, 450, 40, 20) });
    expect(v.bodies).toHaveLength(4);
    expect(v.hud).toEqual({ wind: -0.46, turn: 0, shots: 0, maxShots: 20, winner: '' });
  });
});

describe('duel shots', () => {
  it('a shot that leaves the arena lands where its ballistic flight (with wind) meets the ground', () => {
    const cases: [0 | 1, number, number, number][] = [
      // shooter, wind, angle action, power action
      [0, 1, 0, 1],
      [0, -0.5, 0.2, 1],
      [1, -1, 0, 1],
      [1, 0.3, -0.2, 1],
    ];
    for (const [shooter, wind, aa, pa] of cases) {
      const sc = duelDef.create({}, { recordFrames: true });
      const s = withState(sc, { x0: 150, x1: 850, hillX: 500, hillH: 40, hillHW: 90, wind });
      if (shooter === 1) sc.step([[-1, -1], [0, 0]]); // player 0 fires short, away from everything
      const act: Vec = [aa, pa];
      const r = sc.step(shooter === 0 ? [act, [0, 0]] : [[0, 0], act]);
      const deg = 45 + 35 * aa;
      const speed = 8 + ((pa + 1) / 2) * 18;
      const th = (deg * Math.PI) / 180;
      const dir = shooter === 0 ? 1 : -1;
      const sx = shooter === 0 ? s.x0 : s.x1;
      const want = outLanding(sx, 425, dir * speed * Math.cos(th), -speed * Math.sin(th), wind * 0.032);
      const after = snap(sc);
      expect(after.shots[shooter].landX).toBeCloseTo(want.landX, 6);
      expect(after.shots[shooter].fired).toBe(true);
      expect(after.shots[shooter].angle).toBe(aa);
      expect(after.shots[shooter].power).toBe(pa);
      const enemyX = shooter === 0 ? s.x1 : s.x0;
      expect(after.shots[shooter].miss).toBeCloseTo(clamp1((dir * (want.landX - enemyX)) / 600), 9);
      expect(r.info.frames).toHaveLength(want.steps);
      expect(r.info.events).toEqual(['miss', deg < 45 ? 'shot:direct' : 'shot:lob']);
      // the first frame shows the projectile one physics step after launch
      const p = r.info.frames![0].bodies.find((b) => b.id === 'projectile')!;
      expect(p.x).toBeCloseTo(sx + dir * speed * Math.cos(th) + wind * 0.032, 9);
      expect(p.y).toBeCloseTo(425 - speed * Math.sin(th) + G, 9);
      expect({ ...p, x: 0, y: 0 }).toEqual({ id: 'projectile', role: 'projectile', shape: 'circle', x: 0, y: 0, angle: 0, radius: 4 });
      // after the shot the world holds the statics only
      expect((sc as unknown as Internals).engine.world.bodies.map((b) => b.label)).toEqual(['ground', 'hill', 'tank0', 'tank1']);
      expect(sc.view().bodies.some((b) => b.id === 'projectile')).toBe(false);
    }
  });

  it('a short shot lands on the ground in front of the shooter: miss is the signed distance / 600, clipped', () => {
    const sc = duelDef.create();
    const s = withState(sc, { x0: 150, x1: 850, hillX: 500, hillH: 40, hillHW: 90, wind: 0 });
    const r = sc.step([[-1, -1], [0, 0]]); // 10°, speed 8: lands about 100 units ahead
    const land = snap(sc).shots[0].landX;
    expect(land).toBeGreaterThan(s.x0 + 100);
    expect(land).toBeLessThan(s.x0 + 200);
    expect(r.observations[0][7]).toBe((land - 850) / 600); // about -0.9
    expect(r.observations[0][5]).toBe(-1);
    expect(r.observations[0][6]).toBe(-1);
    expect(r.observations[0][8]).toBe(1);
    expect(r.info.events).toEqual(['miss', 'shot:direct']);
    // player 1's short shot: miss measured along its own +x (toward player 0)
    const q = sc.step([[0, 0], [-1, -1]]);
    const land1 = snap(sc).shots[1].landX;
    expect(land1).toBeLessThan(850 - 100);
    expect(land1).toBeGreaterThan(850 - 200);
    expect(q.observations[0][11]).toBe(-(land1 - 150) / 600);
    expect(q.observations[1][7]).toBe(q.observations[0][11]);
    // landing markers in the view
    const marks = sc.view().bodies.filter((b) => b.role === 'marker');
    expect(marks).toEqual([
      { id: 'landing0', role: 'marker', shape: 'circle', x: land, y: 460, angle: 0, radius: 3 },
      { id: 'landing1', role: 'marker', shape: 'circle', x: land1, y: 460, angle: 0, radius: 3 },
    ]);
  });

  it('a miss further than 600 units is clipped to -1', () => {
    const sc = duelDef.create();
    withState(sc, { x0: 80, x1: 920, hillX: 500, hillH: 40, hillHW: 90, wind: 0 });
    expect(sc.step([[-1, -1], [0, 0]]).observations[0][7]).toBe(-1);
    expect(sc.step([[0, 0], [-1, -1]]).observations[0][11]).toBe(-1);
    const s = snap(sc);
    expect(s.shots[0].miss).toBe(-1);
    expect(s.shots[1].miss).toBe(-1);
    expect(s.shots[0].landX - 80).toBeGreaterThan(100);
    expect(920 - s.shots[1].landX).toBeGreaterThan(100);
  });

  it('turns alternate, the inactive action is ignored, 45° exactly is a lob, progress counts shots', () => {
    const sc = duelDef.create({ shotsPerPlayer: 2 });
    withState(sc, { x0: 150, x1: 850, hillX: 500, hillH: 40, hillHW: 90, wind: 0 });
    const a = sc.step([[0, -1], [NaN, NaN].map(() => 0.9) as Vec]);
    expect(a.info.active).toEqual([false, true]);
    expect(a.info.events[1]).toBe('shot:lob');
    expect(snap(sc).shots[1].fired).toBe(false);
    expect(a.observations[0][0]).toBe(-1);
    expect(a.observations[0][13]).toBe(-0.5);
    const b = sc.step([[0.9, 0.9], [-0.01, -1]]);
    expect(b.info.events[1]).toBe('shot:direct');
    expect(b.info.active).toEqual([true, false]);
    expect(b.observations[0][13]).toBe(0);
    expect(snap(sc).shots[0].angle).toBe(0);
    expect(b.observations[0].slice(9, 13)).toEqual([-0.01, -1, b.observations[0][11], 1]);
  });

  it('runs out after 2 × shotsPerPlayer shots as a draw; then refuses to step', () => {
    const sc = duelDef.create({ shotsPerPlayer: 2 });
    withState(sc, { x0: 150, x1: 850, hillX: 500, hillH: 40, hillHW: 90, wind: 0 });
    const acts: Pair<Vec> = [[-1, -1], [-1, -1]];
    for (let i = 1; i < 4; i++) {
      const r = sc.step(acts);
      expect(r.truncated).toBe(false);
      expect(r.info.step).toBe(i);
    }
    const r = sc.step(acts);
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(r.rewards).toEqual([0, 0]);
    expect(r.info.winner).toBe(-1);
    expect(r.info.active).toEqual([false, false]);
    expect(r.observations[0][13]).toBe(1);
    expect(sc.view().hud).toEqual({ wind: 0, turn: 0, shots: 4, maxShots: 4, winner: -1 });
    const e = thrownError(() => sc.step(acts));
    expect(e.message).toBe('duel: the episode is over; call reset(seed) first');
    expect(e).not.toBeInstanceOf(ConfigError);
    expect(sc.maxSteps).toBe(4);
  });

  it('a hit ends the game: +1 for the shooter, -1 for the other, for either shooter', () => {
    for (const shooter of [0, 1] as const) {
      const sc = duelDef.create();
      // the target tank right next to the shooter's shell path: find a power that hits
      let hitAt: number | null = null;
      let result = null;
      const state = { x0: 150, x1: 850, hillX: 500, hillH: 10, hillHW: 90, wind: 0 };
      for (let i = 0; i <= 400 && hitAt === null; i++) {
        const p = -1 + i / 200;
        withState(sc, { ...state, step: shooter, turn: shooter, terminated: false, truncated: false, winner: null });
        const act: Vec = [0, p];
        const r = sc.step(shooter === 0 ? [act, [0, 0]] : [[0, 0], act]);
        if (r.info.events[0] === 'hit') {
          hitAt = p;
          result = r;
        }
      }
      expect(hitAt).not.toBeNull();
      const r = result!;
      expect(r.terminated).toBe(true);
      expect(r.truncated).toBe(false);
      expect(r.rewards).toEqual(shooter === 0 ? [1, -1] : [-1, 1]);
      expect(r.info.winner).toBe(shooter);
      expect(r.info.active).toEqual([false, false]);
      expect(r.info.events).toEqual(['hit', 'shot:lob']);
      const land = snap(sc).shots[shooter].landX;
      const enemyX = shooter === 0 ? 850 : 150;
      expect(Math.abs(land - enemyX)).toBeLessThan(26);
      expect(sc.view().hud.winner).toBe(shooter);
    }
  });

  it('malformed actions name their field', () => {
    const sc = duelDef.create();
    expect(thrownError(() => sc.step([[0, 0]] as unknown as Pair<Vec>)).message).toBe(
      'actions: must be a pair of actions [player0, player1] (allowed: 2 arrays of 2 numbers)',
    );
    expect(thrownError(() => sc.step(null as unknown as Pair<Vec>))).toBeInstanceOf(ConfigError);
    expect((thrownError(() => sc.step([[0, 0], [NaN, 0]])) as ConfigError).path).toBe('actions[1].angle');
    expect((thrownError(() => sc.step([[0, Infinity], [0, 0]])) as ConfigError).path).toBe('actions[0].power');
  });
});

describe('duel flight details', () => {
  /** the free-flight positions of a shot, step by step (matter's integration written out) */
  function path(sx: number, vx0: number, vy0: number, windA: number, steps: number): { x: number; y: number }[] {
    const pts = [];
    let [x, y, vx, vy] = [sx, 425, vx0, vy0];
    for (let k = 0; k < steps; k++) {
      vx += windA;
      vy += G;
      x += vx;
      y += vy;
      pts.push({ x, y });
    }
    return pts;
  }

  it('a hit is detected where the shell is on its free-flight path (it is a sensor: no collision response)', () => {
    const sc = duelDef.create();
    const state = { x0: 150, x1: 850, hillX: 500, hillH: 10, hillHW: 90, wind: 0 };
    let found = false;
    for (let i = 0; i <= 300 && !found; i++) {
      const p = 0.4 + i / 500;
      withState(sc, { ...state, step: 0, turn: 0, terminated: false, truncated: false, winner: null });
      const r = sc.step([[-1, p], [0, 0]]);
      if (r.info.events[0] !== 'hit') continue;
      found = true;
      const speed = 8 + ((p + 1) / 2) * 18;
      const th = (10 * Math.PI) / 180;
      const pts = path(150, speed * Math.cos(th), -speed * Math.sin(th), 0, 240);
      const land = snap(sc).shots[0].landX;
      const at = pts.findIndex((q) => Math.abs(q.x - land) < 1e-9);
      expect(at).toBeGreaterThan(0);
      // a flat shot meets the tank's near side: below its top, at most one step past the side
      expect(pts[at].y).toBeGreaterThan(440 - 4);
      expect(pts[at].x).toBeGreaterThan(830 - 4);
      expect(pts[at - 1].x).toBeLessThan(830 - 4);
    }
    expect(found).toBe(true);
  });

  it('a shell leaving by the right side is "out" once its centre passes 1004, not 996', () => {
    const sc = duelDef.create();
    const state = { x0: 150, x1: 850, hillX: 500, hillH: 10, hillHW: 90, wind: 0 };
    // find a shot whose free-flight path has a point in (996, 1004]
    let checked = 0;
    for (let i = 0; i <= 200 && checked < 2; i++) {
      const pa = 0.6 + i / 500;
      const speed = 8 + ((pa + 1) / 2) * 18;
      const th = (45 * Math.PI) / 180;
      const pts = path(150, speed * Math.cos(th), -speed * Math.sin(th), 0, 240);
      if (!pts.some((q) => q.x > 996 && q.x <= 1004 && q.y < 400)) continue;
      checked++;
      withState(sc, { ...state, step: 0, turn: 0, terminated: false, truncated: false, winner: null });
      sc.step([[0, pa], [0, 0]]);
      const want = outLanding(150, 425, speed * Math.cos(th), -speed * Math.sin(th), 0);
      expect(snap(sc).shots[0].landX).toBeCloseTo(want.landX, 6);
    }
    expect(checked).toBe(2);
  });

  it('an action of -0 is stored as +0', () => {
    const sc = duelDef.create();
    const r = sc.step([[-0, -0], [0, 0]]);
    const s = snap(sc);
    expect(Object.is(s.shots[0].angle, 0)).toBe(true);
    expect(Object.is(s.shots[0].power, 0)).toBe(true);
    expect(Object.is(r.observations[0][5], 0)).toBe(true);
    expect(Object.is(r.observations[0][6], 0)).toBe(true);
    const s2 = sc.step([[0, 0], [-0, -0]]);
    expect(Object.is(snap(sc).shots[1].angle, 0)).toBe(true);
    expect(Object.is(s2.observations[1][5], 0)).toBe(true);
  });
});

describe('duel restore', () => {
  it('refuses what is not a snapshot of this scenario, naming the field', () => {
    const sc = duelDef.create({ shotsPerPlayer: 3 });
    const good = snap(sc);
    const notSnap = 'state: is not a duel snapshot (allowed: an object from duel snapshot())';
    for (const bad of [null, 4, { ...good, shots: 'x' }, { ...good, shots: [good.shots[0]] }, { ...good, shots: [...good.shots, good.shots[0]] }]) {
      const e = thrownError(() => sc.restore(bad as never));
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toBe(notSnap);
    }
    expect(thrownError(() => sc.restore({ ...good, params: { ...good.params, shotsPerPlayer: 4 } })).message).toBe(
      'state.params.shotsPerPlayer: is 4, this scenario has 3 (allowed: 3)',
    );
    expect((thrownError(() => sc.restore({ ...good, params: { ...good.params, windMax: 2 } })) as ConfigError).path).toBe('windMax');
    for (const k of ['step', 'x0', 'x1', 'hillX', 'hillH', 'hillHW', 'wind'] as const) {
      expect(thrownError(() => sc.restore({ ...good, [k]: NaN })).message).toBe(`state.${k}: is NaN (allowed: a finite number)`);
      expect(thrownError(() => sc.restore({ ...good, [k]: '1' } as never)).message).toBe(`state.${k}: is 1 (allowed: a finite number)`);
    }
    sc.restore(good);
    expect(snap(sc)).toEqual(good);
  });

  it('restore copies the state: changing the snapshot afterwards changes nothing', () => {
    const sc = duelDef.create();
    const s = snap(sc);
    sc.restore(s);
    s.x0 = 123;
    s.shots[0].fired = true;
    expect(snap(sc).x0).not.toBe(123);
    expect(snap(sc).shots[0].fired).toBe(false);
    const t = snap(sc);
    t.wind = 0.5;
    expect(snap(sc).wind).not.toBe(0.5);
  });

  it('the definition', () => {
    expect(duelDef.id).toBe('duel');
    expect(duelDef.maxSteps).toBe(20);
    expect(duelDef.style).toEqual({ styles: ['direct', 'lob'], rare: ['lob'] });
    expect(duelDef.create({ shotsPerPlayer: 7 }).maxSteps).toBe(14);
    expect(duelDef.create(undefined).maxSteps).toBe(20);
    expect(thrownError(() => duelDef.create({ windMax: 3 }))).toBeInstanceOf(ConfigError);
    expect(duelDef.create({}, { recordFrames: 'yes' as unknown as boolean }).step([[0, 0], [0, 0]]).info.frames).toBeUndefined();
    expect('frames' in duelDef.create().step([[0, 0], [0, 0]]).info).toBe(false);
  });
});
