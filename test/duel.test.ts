import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duelDirect, duelLob, duelScripted, duelSloppy } from '../agents/scripted/duel.ts';
import type { ScriptedPlayer } from '../agents/scripted/types.ts';
import { DUEL, DUEL_OBS, actionFromAngle, duelDef, duelShotStyle, type DuelSnapshot } from '../sim/duel.ts';
import { ConfigError } from '../sim/errors.ts';
import { Rng } from '../sim/rng.ts';
import { inSpace } from '../sim/space.ts';
import type { EpisodeRecord, Pair, Scenario, StepResult, Vec } from '../sim/types.ts';

const random: ScriptedPlayer = { name: 'random', style: 'random', act: (_o, r) => [r.uniform(-1, 1), r.uniform(-1, 1)] };
/** fires almost straight up at the lowest power: lands next to itself, never hits */
const harmless: Vec = [1, -1];

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** Same numbers, bit for bit (also tells 0 from -0). */
function expectSameBits(a: Vec, b: Vec): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBe(true);
}

function activePlayer(info: { active: Pair<boolean> }): 0 | 1 {
  return info.active[0] ? 0 : 1;
}

/** Play one game between two scripted players; returns the winner and the shots fired. */
function playGame(sc: Scenario, p0: ScriptedPlayer, p1: ScriptedPlayer, seed: number, rng: Rng) {
  let r: { observations: Pair<Vec>; info: StepResult['info'] } = sc.reset(seed);
  let last: StepResult | null = null;
  const shots: [number, number] = [0, 0];
  const hits: [number, number] = [0, 0];
  while (!last || !(last.terminated || last.truncated)) {
    const who = activePlayer(r.info);
    const a = (who === 0 ? p0 : p1).act(r.observations[who], rng);
    last = sc.step(who === 0 ? [a, [0, 0]] : [[0, 0], a]);
    shots[who]++;
    if (last.info.events.includes('hit')) hits[who]++;
    r = last;
  }
  return { winner: last.info.winner, shots, hits, steps: last.info.step };
}

describe('duel: spaces and params', () => {
  it('declares its spaces', () => {
    const os = duelDef.observationSpace;
    expect(os.size).toBe(14);
    expect(os.names).toEqual([
      'myTurn', 'distance', 'hillHeight', 'hillPos', 'wind', 'myLastAngle', 'myLastPower', 'myLastMiss', 'myHasFired',
      'enemyLastAngle', 'enemyLastPower', 'enemyLastMiss', 'enemyHasFired', 'progress',
    ]);
    expect(os.low.every((v) => v === -1) && os.high.every((v) => v === 1)).toBe(true);
    expect(duelDef.actionSpace.names).toEqual(['angle', 'power']);
    expect(duelDef.actionSpace.clip).toBe(true);
    expect(duelDef.maxSteps).toBe(20);
    const sc = duelDef.create();
    expect(sc.id).toBe('duel');
    expect(sc.maxSteps).toBe(20);
    expect(sc.observationSpace).toEqual(os);
    expect(duelDef.create({ shotsPerPlayer: 3 }).maxSteps).toBe(6);
    expect(duelDef.style).toEqual({ styles: ['direct', 'lob'], rare: ['lob'] });
  });

  it('rejects bad params with a ConfigError naming the field and the range', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ windMax: 2 }, 'windMax', /\[0, 1\]/],
      [{ windMax: Number.NaN }, 'windMax', /\[0, 1\]/],
      [{ shotsPerPlayer: 2.5 }, 'shotsPerPlayer', /integer in \[1, 50\]/],
      [{ shotsPerPlayer: 0 }, 'shotsPerPlayer', /integer/],
      [{ hillMin: 5 }, 'hillMin', /\[10, 250\]/],
      [{ hillMax: 300 }, 'hillMax', /\[10, 250\]/],
      [{ hillMin: 120, hillMax: 100 }, 'hillMin', /hillMax/],
      [{ wind: 1 }, 'wind', /shotsPerPlayer/],
    ];
    for (const [params, field, allowed] of cases) {
      const e = catchError(() => duelDef.create(params as never));
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).path).toBe(field);
      expect((e as ConfigError).message).toMatch(allowed);
    }
  });
});

describe('duel: reset, actions, turns', () => {
  it('reset(seed) is reproducible and seeds differ', () => {
    const a = duelDef.create();
    const b = duelDef.create();
    const r1 = a.reset(42);
    a.step([[0.3, 0.1], [0, 0]]);
    const r2 = a.reset(42);
    const r3 = b.reset(42);
    expect(r2).toEqual(r1);
    expect(r3).toEqual(r1);
    expect(b.view()).toEqual(a.view());
    expect(a.reset(43).observations[0]).not.toEqual(r1.observations[0]);
    // initial observation: p0 to move, nobody has fired, progress at the start
    const o = r1.observations[0];
    expect(o[DUEL_OBS.myTurn]).toBe(1);
    expect(r1.observations[1][DUEL_OBS.myTurn]).toBe(-1);
    expect(o[DUEL_OBS.myHasFired]).toBe(-1);
    expect(o[DUEL_OBS.enemyHasFired]).toBe(-1);
    expect(o[DUEL_OBS.progress]).toBe(-1);
    expect(r1.info).toEqual({ step: 0, active: [true, false], winner: null, events: [] });
  });

  it('rejects NaN/Infinity naming the field, also for the inactive player', () => {
    const sc = duelDef.create();
    sc.reset(1);
    const e1 = catchError(() => sc.step([[Number.NaN, 0], [0, 0]]));
    expect(e1).toBeInstanceOf(ConfigError);
    expect((e1 as ConfigError).path).toBe('actions[0].angle');
    const e2 = catchError(() => sc.step([[0, 0], [0, Number.POSITIVE_INFINITY]]));
    expect((e2 as ConfigError).path).toBe('actions[1].power');
    const e3 = catchError(() => sc.step([[0], [0, 0]] as never));
    expect((e3 as ConfigError).path).toBe('actions[0]');
    // nothing happened
    expect(sc.step([harmless, [0, 0]]).info.step).toBe(1);
  });

  it('clips out-of-range actions', () => {
    const a = duelDef.create();
    const b = duelDef.create();
    a.reset(5);
    b.reset(5);
    const ra = a.step([[5, -7], [0, 0]]);
    const rb = b.step([[1, -1], [0, 0]]);
    expect(ra).toEqual(rb);
    expect(ra.observations[0][DUEL_OBS.myLastAngle]).toBe(1);
    expect(ra.observations[0][DUEL_OBS.myLastPower]).toBe(-1);
    expect(ra.observations[1][DUEL_OBS.enemyLastAngle]).toBe(1);
  });

  it('alternates turns, p0 first, and ignores the inactive action', () => {
    const a = duelDef.create();
    const b = duelDef.create();
    a.reset(9);
    b.reset(9);
    const rng = new Rng(9, 'inactive');
    for (let t = 0; t < 6; t++) {
      const shooter = t % 2;
      const act: Vec = [-0.2 + 0.1 * t, -0.5];
      const other: Vec = [rng.uniform(-3, 3), rng.uniform(-3, 3)];
      const ra = a.step(shooter === 0 ? [act, [0, 0]] : [[0, 0], act]);
      const rb = b.step(shooter === 0 ? [act, other] : [other, act]);
      expect(rb).toEqual(ra);
      if (ra.terminated) break;
      expect(ra.info.active).toEqual(shooter === 0 ? [false, true] : [true, false]);
      expect(ra.observations[0][DUEL_OBS.myTurn]).toBe(shooter === 0 ? -1 : 1);
      expect(ra.info.events.filter((e) => e === 'hit' || e === 'miss')).toHaveLength(1);
      expect(ra.info.events).toContain(act[0] < 0 ? 'shot:direct' : 'shot:lob');
      // the shooter's memory holds this shot, in its own frame
      expect(ra.observations[shooter][DUEL_OBS.myLastAngle]).toBeCloseTo(act[0], 12);
      expect(ra.observations[shooter][DUEL_OBS.myHasFired]).toBe(1);
      expect(ra.observations[1 - shooter][DUEL_OBS.enemyHasFired]).toBe(1);
    }
  });

  it('a hit ends the episode with rewards +1 / -1', () => {
    const sc = duelDef.create();
    const rng = new Rng(3, 'hit');
    let found = 0;
    for (let seed = 0; seed < 30 && found < 5; seed++) {
      let r = sc.reset(seed);
      for (let t = 0; t < 20; t++) {
        const who = activePlayer(r.info);
        const a = duelDirect.act(r.observations[who], rng);
        const s = sc.step(who === 0 ? [a, harmless] : [harmless, a]);
        r = s;
        if (s.info.events.includes('hit')) {
          found++;
          expect(s.terminated).toBe(true);
          expect(s.truncated).toBe(false);
          expect(s.info.winner).toBe(who);
          expect(s.rewards[who]).toBe(1);
          expect(s.rewards[1 - who]).toBe(-1);
          expect(s.info.active).toEqual([false, false]);
          expect(() => sc.step([[0, 0], [0, 0]])).toThrow(/reset/);
          break;
        }
        expect(s.rewards).toEqual([0, 0]);
        expect(s.terminated).toBe(false);
      }
    }
    expect(found).toBe(5);
  });

  it('truncates at maxSteps as a draw', () => {
    for (const shotsPerPlayer of [10, 2]) {
      const sc = duelDef.create({ shotsPerPlayer });
      sc.reset(11);
      let r: StepResult | null = null;
      for (let t = 0; t < sc.maxSteps; t++) {
        expect(r?.truncated ?? false).toBe(false);
        r = sc.step([harmless, harmless]);
        expect(r.info.events).toContain('miss');
        expect(r.rewards).toEqual([0, 0]);
      }
      expect(r!.truncated).toBe(true);
      expect(r!.terminated).toBe(false);
      expect(r!.info.winner).toBe(-1);
      expect(r!.info.step).toBe(2 * shotsPerPlayer);
      expect(r!.observations[0][DUEL_OBS.progress]).toBe(1);
    }
  });
});

describe('duel: mirror, snapshot, view', () => {
  it('player 1 observation is exactly the mirror of player 0, and mirror is involutive', () => {
    const sc = duelDef.create();
    const rng = new Rng(4, 'mirror');
    let checked = 0;
    for (let seed = 0; seed < 10; seed++) {
      let r: { observations: Pair<Vec> } = sc.reset(seed);
      for (let t = 0; t < 20; t++) {
        const [o0, o1] = r.observations;
        expectSameBits(o1, duelDef.mirrorObservation(o0));
        // an oracle written by field name, independent of mirrorDuelObservation: the turn flag,
        // the hill position and the wind change sign; "my" and "enemy" fields swap; the rest stays
        const N = DUEL_OBS;
        expect(o1[N.myTurn]).toBe(-o0[N.myTurn] + 0);
        expect(o1[N.hillPos]).toBe(-o0[N.hillPos] + 0);
        expect(o1[N.wind]).toBe(-o0[N.wind] + 0);
        for (const k of ['distance', 'hillHeight', 'progress'] as const) expect(o1[N[k]]).toBe(o0[N[k]]);
        for (const f of ['LastAngle', 'LastPower', 'LastMiss', 'HasFired'] as const) {
          expect(o1[N[`my${f}`]]).toBe(o0[N[`enemy${f}`]]);
          expect(o1[N[`enemy${f}`]]).toBe(o0[N[`my${f}`]]);
        }
        expectSameBits(duelDef.mirrorObservation(o1), o0);
        expectSameBits(duelDef.mirrorObservation(duelDef.mirrorObservation(o0)), o0);
        checked++;
        const s = sc.step([[rng.uniform(-1, 1), rng.uniform(-1, 1)], [rng.uniform(-1, 1), rng.uniform(-1, 1)]]);
        r = s;
        if (s.terminated || s.truncated) break;
      }
    }
    expect(checked).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 14, maxLength: 14 }), (o) => {
        const m = duelDef.mirrorObservation(o);
        expect(m).toEqual(duelDef.mirrorObservation(duelDef.mirrorObservation(m)));
        expect(duelDef.mirrorObservation(m).map((x) => x + 0)).toEqual(o.map((x) => x + 0));
      }),
      { numRuns: 100 },
    );
  });

  it('ego frames: each player sees the wind and hill from its side', () => {
    const sc = duelDef.create();
    const r = sc.reset(21);
    const [o0, o1] = r.observations;
    expect(o1[DUEL_OBS.wind]).toBe(-o0[DUEL_OBS.wind] + 0);
    expect(o1[DUEL_OBS.hillPos]).toBe(-o0[DUEL_OBS.hillPos] + 0);
    expect(o1[DUEL_OBS.distance]).toBe(o0[DUEL_OBS.distance]);
    // p1 shooting a harmless lob lands near itself: a large undershoot in its own frame
    sc.step([harmless, [0, 0]]);
    const s = sc.step([[0, 0], harmless]);
    expect(s.observations[1][DUEL_OBS.myLastMiss]).toBeLessThan(-0.8);
    expect(s.observations[0][DUEL_OBS.enemyLastMiss]).toBe(s.observations[1][DUEL_OBS.myLastMiss]);
  });

  it('restore(snapshot()) resumes bit-identically', () => {
    const rng = new Rng(8, 'snap');
    let continued = 0;
    for (let seed = 0; seed < 8; seed++) {
      const acts: Pair<Vec>[] = [];
      for (let t = 0; t < 20; t++) {
        acts.push([
          [rng.uniform(-1, 1), rng.uniform(-1, 1)],
          [rng.uniform(-1, 1), rng.uniform(-1, 1)],
        ]);
      }
      const k = 1 + (seed % 4);
      const a = duelDef.create();
      a.reset(seed);
      let done = false;
      for (let t = 0; t < k && !done; t++) {
        const r = a.step(acts[t]);
        done = r.terminated || r.truncated;
      }
      const snap = a.snapshot() as DuelSnapshot;
      const viewAtSnap = a.view();
      const json = JSON.parse(JSON.stringify(snap)) as DuelSnapshot;
      expect(json).toEqual(snap);
      // continue on the original
      const cont: StepResult[] = [];
      for (let t = k; t < 20 && !done; t++) {
        const r = a.step(acts[t]);
        cont.push(r);
        done = r.terminated || r.truncated;
      }
      continued += cont.length;
      // a fresh instance that played something else first, then restored from JSON
      const b = duelDef.create();
      b.reset(seed + 1000);
      b.step([[0.1, 0.2], [0, 0]]);
      b.restore(json);
      expect(b.view()).toEqual(viewAtSnap);
      const again: StepResult[] = [];
      for (let i = 0; i < cont.length; i++) again.push(b.step(acts[k + i]));
      for (let i = 0; i < cont.length; i++) {
        expectSameBits(again[i].observations[0], cont[i].observations[0]);
        expectSameBits(again[i].observations[1], cont[i].observations[1]);
        expect(again[i].rewards).toEqual(cont[i].rewards);
        expect(again[i].info).toEqual(cont[i].info);
      }
      expect(b.snapshot()).toEqual(a.snapshot());
    }
    expect(continued).toBeGreaterThan(20);
  });

  it('restore rejects a malformed snapshot', () => {
    const sc = duelDef.create();
    expect(() => sc.restore({} as never)).toThrow(ConfigError);
    const snap = sc.snapshot() as DuelSnapshot;
    expect(() => sc.restore({ ...snap, wind: Number.NaN })).toThrow(/state\.wind/);
  });

  it('view shows the arena, and frames are recorded only when asked', () => {
    const plain = duelDef.create();
    const rec = duelDef.create({}, { recordFrames: true });
    plain.reset(2);
    rec.reset(2);
    const v = plain.view();
    expect(v.width).toBe(DUEL.width);
    expect(v.bodies.map((b) => b.role)).toEqual(['ground', 'hill', 'player0', 'player1']);
    const hill = v.bodies[1];
    expect(hill.vertices!.length).toBeGreaterThan(4);
    expect(Math.min(...hill.vertices!.map((p) => p.y))).toBeLessThan(DUEL.groundY - 10);
    expect(v.hud).toMatchObject({ turn: 0, shots: 0 });
    const a: Pair<Vec> = [[-0.4, 0.1], [0, 0]];
    const rp = plain.step(a);
    const rr = rec.step(a);
    expect(rp.info.frames).toBeUndefined();
    const frames = rr.info.frames!;
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.length).toBeLessThanOrEqual(DUEL.maxFlightSteps);
    expect(frames.every((f) => f.bodies.some((b) => b.role === 'projectile'))).toBe(true);
    // recording does not change the outcome
    expect({ ...rr, info: { ...rr.info, frames: undefined } }).toEqual({ ...rp, info: { ...rp.info, frames: undefined } });
    const after = plain.view();
    expect(after.bodies.some((b) => b.role === 'projectile')).toBe(false);
    expect(after.bodies.filter((b) => b.role === 'marker')).toHaveLength(1);
    expect(after.hud).toMatchObject({ turn: 1, shots: 1 });
  });

  it('observationPoints places the tanks, hill and landing points', () => {
    const sc = duelDef.create();
    const r = sc.reset(14);
    const pts0 = duelDef.observationPoints(r.observations[0]);
    expect(pts0.map((p) => p.label)).toEqual(['me', 'enemy', 'hill']);
    const v = sc.view();
    const t0 = v.bodies.find((b) => b.role === 'player0')!;
    const t1 = v.bodies.find((b) => b.role === 'player1')!;
    const me = pts0[0];
    const enemy = pts0[1];
    expect(enemy.x - me.x).toBeCloseTo(t1.x - t0.x, 6);
    const hill = pts0[2];
    const hillBody = v.bodies.find((b) => b.role === 'hill')!;
    const top = Math.min(...hillBody.vertices!.map((p) => p.y));
    expect(hill.x - me.x).toBeCloseTo(hillBody.x - t0.x, 6);
    expect(hill.y).toBeCloseTo(top, 1);
    const s = sc.step([[-0.3, 0.1], [0, 0]]);
    const s2 = s.terminated ? s : sc.step([[0, 0], [-0.3, 0.2]]);
    const pts = duelDef.observationPoints(s2.observations[0]);
    const landing = sc.view().bodies.find((b) => b.id === 'landing0')!;
    const my = pts.find((p) => p.label === 'myLanding')!;
    if (Math.abs(s2.observations[0][DUEL_OBS.myLastMiss]) < 1) {
      expect(my.x - pts[1].x).toBeCloseTo(landing.x - t1.x, 6);
    }
    if (!s.terminated) {
      const landing1 = sc.view().bodies.find((b) => b.id === 'landing1')!;
      const en = pts.find((p) => p.label === 'enemyLanding')!;
      if (Math.abs(s2.observations[0][DUEL_OBS.enemyLastMiss]) < 1) expect(en.x - pts[0].x).toBeCloseTo(landing1.x - t0.x, 6);
    }
  });
});

describe('duel: styles and scripted players', () => {
  it('styleCounts counts shots by style from actions, also for imagined episodes', () => {
    const sc = duelDef.create();
    const r0 = sc.reset(6);
    const plan: Vec[] = [[-0.5, -1], [0.5, -1], [0.9, -1], [-1, -1], [0, -1], [0.2, -1]];
    const ep: EpisodeRecord = {
      scenario: 'duel', seed: 6, obs: [r0.observations], actions: [], active: [], events: [],
      winner: -1, terminated: false, truncated: false,
    };
    let active = r0.info.active;
    for (const a of plan) {
      const acts: Pair<Vec> = active[0] ? [a, [0, 0]] : [[0, 0], a];
      const s = sc.step(acts);
      ep.actions.push(acts);
      ep.active.push(active);
      ep.events.push(s.info.events);
      ep.obs.push(s.observations);
      active = s.info.active;
    }
    // p0 fired -0.5 (27.5°: direct), 0.9 (76.5°: lob), 0 (45°: direct);
    // p1 fired 0.5 (62.5°: lob), -1 (10°: direct), 0.2 (52°: below the 55° lob line: direct)
    expect(duelDef.styleCounts(ep, 0)).toEqual({ direct: 2, lob: 1 });
    expect(duelDef.styleCounts(ep, 1)).toEqual({ direct: 2, lob: 1 });
    expect(duelShotStyle(actionFromAngle(54.9))).toBe('direct');
    expect(duelShotStyle(actionFromAngle(55))).toBe('lob');
    const imagined: EpisodeRecord = { ...ep, events: ep.events.map(() => []), actions: ep.actions.map((p) => [p[0], [-5, 0]]) };
    imagined.active = ep.active.map(() => [true, false]);
    expect(duelDef.styleCounts(imagined, 0)).toEqual({ direct: 5, lob: 1 });
    expect(duelDef.styleCounts(imagined, 1)).toEqual({ direct: 0, lob: 0 });
  });

  it('exports the scripted styles with weights', () => {
    expect(duelScripted.map((s) => [s.name, s.rare])).toEqual([['direct', false], ['lob', true], ['sloppy', false]]);
    expect(duelScripted.reduce((a, s) => a + s.weight, 0)).toBeCloseTo(1, 9);
    for (const s of duelScripted) expect(s.player.style).toBe(s.name);
  });

  it('scripted players are deterministic, stateless and shoot in their style', () => {
    const sc = duelDef.create();
    const o = sc.reset(30).observations[0];
    for (const p of [duelDirect, duelLob, duelSloppy]) {
      const a1 = p.act(o, new Rng(1, 'x'));
      const a2 = p.act(o, new Rng(1, 'x'));
      expect(a2).toEqual(a1);
      expect(inSpace(duelDef.actionSpace, a1)).toBe(true);
    }
    const rng = new Rng(2);
    for (let seed = 0; seed < 40; seed++) {
      const obs = sc.reset(seed).observations[0];
      expect(duelDirect.act(obs, rng)[0]).toBeLessThan(0); // direct: below 45°
      expect(duelLob.act(obs, rng)[0]).toBeGreaterThanOrEqual(0); // lob: 45° and up
    }
  });

  it('scripted players hit quickly and beat random players; random actions hit rarely', () => {
    const sc = duelDef.create();
    const rng = new Rng(12, 'games');
    const n = 150;
    for (const [p, minWin] of [[duelDirect, 0.85], [duelLob, 0.75], [duelSloppy, 0.6]] as const) {
      let wins = 0;
      for (let g = 0; g < n; g++) {
        const seat = g % 2;
        const res = playGame(sc, seat === 0 ? p : random, seat === 0 ? random : p, 5000 + g, rng);
        if (res.winner === seat) wins++;
      }
      expect(wins / n, p.name).toBeGreaterThan(minWin);
    }
    // direct vs itself: a hit within a few shots per player
    let steps = 0;
    for (let g = 0; g < n; g++) steps += playGame(sc, duelDirect, duelDirect, 7000 + g, rng).steps;
    expect(steps / n).toBeLessThan(4);
    let shots = 0;
    let hits = 0;
    for (let g = 0; g < n; g++) {
      const res = playGame(sc, random, random, 9000 + g, rng);
      shots += res.shots[0] + res.shots[1];
      hits += res.hits[0] + res.hits[1];
    }
    expect(shots).toBeGreaterThan(1000);
    expect(hits / shots).toBeLessThan(0.06);
  });
});

describe('duel: properties', () => {
  const extreme = fc.oneof(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.constantFrom(-1, 1, 0, -0, 1e300, -1e300, Number.MAX_VALUE, -Number.MIN_VALUE, 1.0000001, -3),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
  const action = fc.tuple(extreme, extreme).map(([a, b]) => [a, b] as Vec);

  it('observations stay finite and in space, bodies stay in the arena, resets reproduce', () => {
    const rec = duelDef.create({}, { recordFrames: true });
    const plain = duelDef.create();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.array(fc.tuple(action, action), { minLength: 1, maxLength: 20 }), (seed, acts) => {
        const first = rec.reset(seed);
        expect(plain.reset(seed)).toEqual(first);
        for (const o of first.observations) expect(inSpace(duelDef.observationSpace, o)).toBe(true);
        for (const [a0, a1] of acts) {
          const r = rec.step([a0, a1]);
          const rp = plain.step([a0, a1]);
          expect(rp.observations).toEqual(r.observations);
          for (const o of r.observations) {
            expect(o.every(Number.isFinite)).toBe(true);
            expect(inSpace(duelDef.observationSpace, o)).toBe(true);
          }
          for (const f of r.info.frames!) {
            const p = f.bodies.find((b) => b.role === 'projectile')!;
            expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
            expect(p.x).toBeGreaterThan(-DUEL.projectileR - DUEL.vMax - 1);
            expect(p.x).toBeLessThan(DUEL.width + DUEL.projectileR + DUEL.vMax + 1);
            expect(p.y).toBeLessThan(DUEL.groundY + DUEL.vMax + 1);
          }
          const v = rec.view();
          expect(v.bodies.some((b) => b.role === 'projectile')).toBe(false);
          for (const b of v.bodies) expect(Number.isFinite(b.x) && Number.isFinite(b.y)).toBe(true);
          if (r.terminated || r.truncated) break;
        }
        expect(rec.reset(seed)).toEqual(first);
      }),
      { numRuns: 60 },
    );
  });
});
