import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PADDLE_R,
  PUCK_MAX_SPEED,
  PUCK_R,
  TABLE_H,
  TABLE_W,
  classifyShotsFromObservations,
  eventStyleCounts,
  hockeyDef,
  mirrorHockeyObservation,
} from '../sim/hockey.ts';
import { hockeyScripted } from '../agents/scripted/hockey.ts';
import { ConfigError } from '../sim/errors.ts';
import { Rng } from '../sim/rng.ts';
import { inSpace } from '../sim/space.ts';
import type { EpisodeRecord, Pair, Scenario, SceneView, StepResult, Vec } from '../sim/types.ts';

type Actor = (obs: Vec, rng: Rng) => Vec;
const randomActor: Actor = (_o, r) => [r.uniform(-1, 1), r.uniform(-1, 1)];
const idle: Actor = () => [0, 0];
const scripted = (name: string): Actor => {
  const s = hockeyScripted.find((x) => x.name === name);
  if (!s) throw new Error(`no scripted player ${name}`);
  return (o, r) => s.player.act(o, r);
};

/** Play one full episode and record it. */
function play(a: Actor, b: Actor, seed: number, sim: Scenario = hockeyDef.create()): EpisodeRecord {
  const rng = new Rng(seed, 'test-play');
  const r0 = sim.reset(seed);
  const ep: EpisodeRecord = {
    scenario: 'hockey', seed, obs: [r0.observations], actions: [], active: [], events: [],
    winner: -1, terminated: false, truncated: false,
  };
  let obs = r0.observations;
  for (;;) {
    const acts: Pair<Vec> = [a(obs[0], rng), b(obs[1], rng)];
    const r = sim.step(acts);
    ep.actions.push(acts);
    ep.active.push(r.info.active);
    ep.events.push(r.info.events);
    ep.obs.push(r.observations);
    obs = r.observations;
    if (r.terminated || r.truncated) {
      ep.winner = r.info.winner as -1 | 0 | 1;
      ep.terminated = r.terminated;
      ep.truncated = r.truncated;
      return ep;
    }
  }
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('hockey spaces and parameters', () => {
  it('declares the observation and action spaces', () => {
    const o = hockeyDef.observationSpace;
    expect(o.size).toBe(12);
    expect(o.names).toEqual(['own.x', 'own.y', 'own.vx', 'own.vy', 'opp.x', 'opp.y', 'opp.vx', 'opp.vy', 'puck.x', 'puck.y', 'puck.vx', 'puck.vy']);
    for (let i = 0; i < 12; i++) expect(o.low[i]).toBe(-o.high[i]);
    const a = hockeyDef.actionSpace;
    expect(a.size).toBe(2);
    expect(a.names).toEqual(['fx', 'fy']);
    expect(a.low).toEqual([-1, -1]);
    expect(a.high).toEqual([1, 1]);
    expect(a.clip).toBe(true);
    const sim = hockeyDef.create();
    expect(sim.id).toBe('hockey');
    expect(sim.observationSpace).toEqual(o);
    expect(sim.actionSpace).toEqual(a);
    expect(sim.maxSteps).toBe(hockeyDef.maxSteps);
    expect(hockeyDef.style).toEqual({ styles: ['direct', 'bank'], rare: ['bank'] });
  });

  it('validates parameters with a ConfigError naming the field and the allowed range', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ frameSkip: 0 }, 'frameSkip'],
      [{ frameSkip: 2.5 }, 'frameSkip'],
      [{ frameSkip: Number.NaN }, 'frameSkip'],
      [{ maxSteps: 5 }, 'maxSteps'],
      [{ maxSteps: '300' }, 'maxSteps'],
      [{ goalWidth: 1000 }, 'goalWidth'],
      [{ gaolWidth: 150 }, 'gaolWidth'],
    ];
    for (const [params, field] of bad) {
      const e = catchError(() => hockeyDef.create(params as never));
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).path).toBe(field);
      expect((e as ConfigError).message).toContain(field);
      expect((e as ConfigError).allowed).toBeTruthy();
    }
    const sim = hockeyDef.create({ maxSteps: 50, frameSkip: 2 });
    expect(sim.maxSteps).toBe(50);
  });
});

describe('hockey dynamics', () => {
  it('reset(seed) is reproducible and seeds differ', () => {
    const a = hockeyDef.create();
    const b = hockeyDef.create();
    const r1 = a.reset(42);
    // play a while on b before resetting it with the same seed
    b.reset(7);
    for (let i = 0; i < 20; i++) b.step([[1, 0.5], [-0.3, 1]]);
    const r2 = b.reset(42);
    expect(r2).toEqual(r1);
    expect(a.reset(43).observations).not.toEqual(r1.observations);
    expect(r1.info).toEqual({ step: 0, active: [true, true], winner: null, events: [] });
    for (const o of r1.observations) expect(inSpace(hockeyDef.observationSpace, o)).toBe(true);
    // each player starts near its own goal, the puck near the centre
    for (const o of r1.observations) {
      expect(o[1]).toBeLessThan(-0.6);
      expect(o[5]).toBeGreaterThan(0.6);
      expect(Math.abs(o[9])).toBeLessThan(0.1);
    }
  });

  it('rejects NaN and infinite actions naming the field; clips out-of-range actions', () => {
    const sim = hockeyDef.create();
    sim.reset(1);
    const e1 = catchError(() => sim.step([[Number.NaN, 0], [0, 0]]));
    expect(e1).toBeInstanceOf(ConfigError);
    expect((e1 as ConfigError).path).toBe('actions[0].fx');
    const e2 = catchError(() => sim.step([[0, 0], [0, Number.POSITIVE_INFINITY]]));
    expect((e2 as ConfigError).path).toBe('actions[1].fy');
    const e3 = catchError(() => sim.step([[0], [0, 0]] as never));
    expect((e3 as ConfigError).path).toBe('actions[0]');
    const e4 = catchError(() => sim.step([[0, 0]] as never));
    expect((e4 as ConfigError).path).toBe('actions');

    const a = hockeyDef.create();
    const b = hockeyDef.create();
    a.reset(5);
    b.reset(5);
    for (let i = 0; i < 30; i++) {
      const ra = a.step([[5, -7], [-1e9, 3]]);
      const rb = b.step([[1, -1], [-1, 1]]);
      expect(ra).toEqual(rb);
    }
    expect(a.snapshot()).toEqual(b.snapshot());
  });

  it("player 1's observation is exactly the mirror of player 0's; mirror is an involution", () => {
    const sim = hockeyDef.create();
    const rng = new Rng(3);
    let obs = sim.reset(3).observations;
    for (let i = 0; i < 120; i++) {
      expect(obs[1]).toEqual(hockeyDef.mirrorObservation(obs[0]));
      // an oracle from the world itself, independent of the mirror: player 1 defends the top goal,
      // so in its frame +x is world left and +y is world down (toward player 0)
      const view = sim.view();
      const m = (view.width - TABLE_W) / 2;
      const at = (id: string) => view.bodies.find((b) => b.id === id)!;
      const ego1 = (id: string) => [(TABLE_W / 2 - (at(id).x - m)) / (TABLE_W / 2), (at(id).y - m - TABLE_H / 2) / (TABLE_H / 2)];
      const close = (got: number[], want: number[]) => want.forEach((w, k) => expect(got[k]).toBeCloseTo(Math.max(-1.1, Math.min(1.1, w)), 9));
      close([obs[1][0], obs[1][1]], ego1('paddle1'));
      close([obs[1][4], obs[1][5]], ego1('paddle0'));
      close([obs[1][8], obs[1][9]], ego1('puck'));
      expect(hockeyDef.mirrorObservation(hockeyDef.mirrorObservation(obs[0]))).toEqual(obs[0]);
      expect(hockeyDef.mirrorObservation(obs[1])).toEqual(obs[0]);
      const r = sim.step([randomActor(obs[0], rng), randomActor(obs[1], rng)]);
      obs = r.observations;
      if (r.terminated || r.truncated) obs = sim.reset(100 + i).observations;
    }
    const o = [0.1, -0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8, 0.05, 0.9, -1, 1];
    expect(mirrorHockeyObservation(o)).toEqual([-0.5, -0.6, 0.7, -0.8, -0.1, 0.2, -0.3, 0.4, -0.05, -0.9, 1, -1]);
  });

  it('the ego frame is symmetric: mirrored play gives mirrored outcomes', () => {
    // a player pushing straight "forward" in its own frame moves toward the opponent in both seats
    const sim = hockeyDef.create();
    const r0 = sim.reset(9);
    let r: StepResult | undefined;
    for (let i = 0; i < 6; i++) r = sim.step([[0, 1], [0, 1]]);
    for (const p of [0, 1] as const) {
      expect(r!.observations[p][1]).toBeGreaterThan(r0.observations[p][1] + 0.05);
      expect(r!.observations[p][3]).toBeGreaterThan(0.5);
    }
  });

  it('a goal terminates the episode with rewards ±1 for either side', () => {
    for (const [a, b, want] of [[scripted('hockey-direct'), idle, 0], [idle, scripted('hockey-direct'), 1]] as const) {
      let ep: EpisodeRecord | undefined;
      for (let seed = 1; seed < 10 && !ep?.terminated; seed++) ep = play(a, b, seed);
      expect(ep!.terminated).toBe(true);
      expect(ep!.truncated).toBe(false);
      expect(ep!.winner).toBe(want);
      const last = ep!.events[ep!.events.length - 1];
      expect(last).toContain(`goal${want}`);
      // the puck is past the loser's goal line: in the scorer's frame puck y > 1
      expect(ep!.obs[ep!.obs.length - 1][want][9]).toBeGreaterThan(1);
    }
    // rewards of the final step
    const sim = hockeyDef.create();
    const rng = new Rng(4);
    let obs = sim.reset(4).observations;
    const direct = scripted('hockey-direct');
    let r: StepResult;
    do {
      r = sim.step([direct(obs[0], rng), [0, 0]]);
      obs = r.observations;
    } while (!r.terminated && !r.truncated);
    expect(r.terminated).toBe(true);
    expect(r.rewards).toEqual([1, -1]);
    expect(r.info.winner).toBe(0);
    expect(() => sim.step([[0, 0], [0, 0]])).toThrow(/reset/);
  });

  it('truncates at maxSteps as a draw', () => {
    const sim = hockeyDef.create({ maxSteps: 12 });
    sim.reset(2);
    let r: StepResult | undefined;
    for (let i = 0; i < 12; i++) {
      r = sim.step([[0, 0], [0, 0]]);
      expect(r.rewards).toEqual([0, 0]);
      expect(r.info.step).toBe(i + 1);
      if (i < 11) expect(r.truncated).toBe(false);
    }
    expect(r!.truncated).toBe(true);
    expect(r!.terminated).toBe(false);
    expect(r!.info.winner).toBe(-1);
  });

  it('snapshot/restore resumes bit-identically (JSON round trip, rewinds, another instance)', () => {
    const rng = new Rng(11);
    const a = hockeyDef.create();
    let obs = a.reset(11).observations;
    const direct = scripted('hockey-direct');
    for (let i = 0; i < 40; i++) {
      const r = a.step([direct(obs[0], rng), scripted('hockey-defender')(obs[1], rng)]);
      expect(r.terminated || r.truncated).toBe(false);
      obs = r.observations;
    }
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = hockeyDef.create({}, { recordFrames: true });
    b.restore(snap);
    const future: Pair<Vec>[] = [];
    const resultsA: StepResult[] = [];
    for (let i = 0; i < 60; i++) {
      const acts: Pair<Vec> = [direct(obs[0], rng), randomActor(obs[1], rng)];
      future.push(acts);
      const ra = a.step(acts);
      const rb = b.step(acts);
      resultsA.push(ra);
      const { frames, ...infoB } = rb.info;
      expect(frames!.length).toBeGreaterThan(0);
      expect({ ...rb, info: infoB }).toEqual(ra);
      expect(rb.observations[0].every((x, k) => Object.is(x, ra.observations[0][k]))).toBe(true);
      obs = ra.observations;
      if (ra.terminated || ra.truncated) break;
    }
    expect(b.view()).toEqual(a.view());
    // rewind a to the snapshot and replay the same actions: identical again
    a.restore(snap);
    for (let i = 0; i < resultsA.length; i++) expect(a.step(future[i])).toEqual(resultsA[i]);
    // snapshots from another parameter set are refused
    const c = hockeyDef.create({ goalWidth: 150 });
    const e = catchError(() => c.restore(snap));
    expect((e as ConfigError).path).toBe('snapshot.params.goalWidth');
  });

  it('interleaved instances do not influence each other', () => {
    const acts = (i: number): Pair<Vec> => [[Math.sin(i), Math.cos(i)], [Math.cos(2 * i), -Math.sin(i)]];
    const seq = (n: number): Vec[] => {
      const s = hockeyDef.create({ maxSteps: 50 });
      s.reset(n);
      const out: Vec[] = [];
      for (let i = 0; i < 50; i++) {
        const r = s.step(acts(i));
        out.push(r.observations[0]);
        if (r.terminated) break;
      }
      return out;
    };
    const expected = [seq(1), seq(2)];
    const sims = [hockeyDef.create({ maxSteps: 50 }), hockeyDef.create({ maxSteps: 50 })];
    sims[0].reset(1);
    sims[1].reset(2);
    for (let i = 0; i < 50; i++) {
      for (const k of [1, 0]) {
        if (i < expected[k].length) expect(sims[k].step(acts(i)).observations[0]).toEqual(expected[k][i]);
      }
    }
    expect(expected[0].length + expected[1].length).toBeGreaterThan(40);
  });

  it('view() draws the table; frames are recorded only on request; observationPoints match the view', () => {
    const plain = hockeyDef.create();
    const rec = hockeyDef.create({ frameSkip: 3 }, { recordFrames: true });
    const r0 = plain.reset(8);
    rec.reset(8);
    const v = plain.view();
    const roles = new Set(v.bodies.map((b) => b.role));
    for (const role of ['wall', 'goal', 'paddle0', 'paddle1', 'puck'] as const) expect(roles.has(role)).toBe(true);
    expect(v.width).toBeGreaterThan(TABLE_W);
    expect(v.height).toBeGreaterThan(TABLE_H);
    expect(v.hud).toHaveProperty('score');
    expect(v.hud).toHaveProperty('time');
    const points = hockeyDef.observationPoints(r0.observations[0]);
    for (const p of points) {
      const body = v.bodies.find((b) => b.id === p.label)!;
      expect(p.x).toBeCloseTo(body.x, 9);
      expect(p.y).toBeCloseTo(body.y, 9);
    }
    expect(plain.step([[1, 1], [1, 1]]).info.frames).toBeUndefined();
    const rr = rec.step([[1, 1], [1, 1]]);
    expect(rr.info.frames).toHaveLength(3);
    const last = rr.info.frames![2] as SceneView;
    expect(last).toEqual(rec.view());
    expect(JSON.parse(JSON.stringify(last))).toEqual(last);
  });
});

describe('hockey styles and scripted players', () => {
  it('the observation-based shot classifier agrees with the simulator events', () => {
    const styles = hockeyScripted.map((s) => scripted(s.name));
    let agree = 0;
    let total = 0;
    let shots = 0;
    for (let i = 0; i < 24; i++) {
      const ep = play(styles[i % 3], styles[Math.floor(i / 3) % 3], 500 + i);
      for (const p of [0, 1] as const) {
        const fromObs = hockeyDef.styleCounts(ep, p);
        const fromEvents = eventStyleCounts(ep, p);
        shots += fromEvents.direct + fromEvents.bank;
        total++;
        if (fromObs.direct === fromEvents.direct && fromObs.bank === fromEvents.bank) agree++;
      }
      // styleCounts needs no events: an imagined episode gives the same counts
      const imagined: EpisodeRecord = { ...ep, events: ep.events.map(() => []) };
      expect(hockeyDef.styleCounts(imagined, 0)).toEqual(hockeyDef.styleCounts(ep, 0));
    }
    expect(shots).toBeGreaterThan(100);
    expect(agree / total).toBeGreaterThan(0.8);
  });

  it('the bank style plays more bank shots than the direct style', () => {
    const count = (name: string) => {
      const c = { direct: 0, bank: 0 };
      for (let i = 0; i < 8; i++) {
        const ep = play(scripted(name), scripted('hockey-direct'), 700 + i);
        const s = hockeyDef.styleCounts(ep, 0);
        c.direct += s.direct;
        c.bank += s.bank;
      }
      return c.bank / Math.max(1, c.bank + c.direct);
    };
    const bankShare = count('hockey-bank');
    const directShare = count('hockey-direct');
    expect(bankShare).toBeGreaterThan(0.25);
    expect(directShare).toBeLessThan(0.25);
    expect(bankShare).toBeGreaterThan(directShare + 0.1);
    expect(classifyShotsFromObservations([])).toEqual([]);
  });

  it('every scripted style beats a uniformly random player from either seat', () => {
    for (const s of hockeyScripted) {
      let wins = 0;
      let losses = 0;
      const n = 10;
      for (let i = 0; i < n; i++) {
        const seat = i % 2;
        const ep = seat === 0 ? play(scripted(s.name), randomActor, 900 + i) : play(randomActor, scripted(s.name), 900 + i);
        if (ep.winner === seat) wins++;
        else if (ep.winner === 1 - seat) losses++;
      }
      expect(wins, s.name).toBeGreaterThan(n / 2);
      expect(losses, s.name).toBeLessThanOrEqual(2);
    }
    expect(hockeyScripted.map((s) => s.name)).toEqual(['hockey-direct', 'hockey-bank', 'hockey-defender']);
    expect(hockeyScripted.filter((s) => s.rare).map((s) => s.name)).toEqual(['hockey-bank']);
    expect(hockeyScripted.reduce((t, s) => t + s.weight, 0)).toBeCloseTo(1, 9);
  });

  it('scripted players are deterministic given the rng and act inside the action space', () => {
    const sim = hockeyDef.create();
    const obs = sim.reset(3).observations;
    for (const s of hockeyScripted) {
      const a1 = s.player.act(obs[0], new Rng(5));
      const a2 = s.player.act(obs[0], new Rng(5));
      expect(a1).toEqual(a2);
      expect(inSpace(hockeyDef.actionSpace, a1)).toBe(true);
    }
  });
});

describe('hockey properties', () => {
  const extreme = fc.oneof(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.constantFrom(-1e9, 1e9, -1, 1, 0, -0, 5e-324, -1.5, 1.5),
  );
  const action = fc.tuple(extreme, extreme);

  it('no NaN, observations in the space, bodies stay on the table, reset reproducible', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.tuple(action, action), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        (seed, actions, repeat) => {
          const sim = hockeyDef.create({ maxSteps: 400 });
          const first = sim.reset(seed);
          for (const o of first.observations) expect(inSpace(hockeyDef.observationSpace, o)).toBe(true);
          let done = false;
          // hold each action for `repeat` decisions so paddles reach full speed into walls
          for (const [a0, a1] of actions) {
            for (let k = 0; k < repeat && !done; k++) {
              const r = sim.step([[a0[0], a0[1]], [a1[0], a1[1]]]);
              for (const o of r.observations) {
                expect(o.every(Number.isFinite)).toBe(true);
                expect(inSpace(hockeyDef.observationSpace, o)).toBe(true);
              }
              expect(r.rewards.every(Number.isFinite)).toBe(true);
              const v = sim.view();
              const m = (v.width - TABLE_W) / 2;
              const body = (id: string) => v.bodies.find((b) => b.id === id)!;
              const tol = 4;
              for (const [id, top, bottom] of [['paddle0', TABLE_H / 2, TABLE_H], ['paddle1', 0, TABLE_H / 2]] as const) {
                const p = body(id);
                expect(p.x - m).toBeGreaterThanOrEqual(PADDLE_R - tol);
                expect(p.x - m).toBeLessThanOrEqual(TABLE_W - PADDLE_R + tol);
                expect(p.y - m).toBeGreaterThanOrEqual(top + PADDLE_R - tol);
                expect(p.y - m).toBeLessThanOrEqual(bottom - PADDLE_R + tol);
              }
              const puck = body('puck');
              expect(puck.x - m).toBeGreaterThanOrEqual(PUCK_R - tol);
              expect(puck.x - m).toBeLessThanOrEqual(TABLE_W - PUCK_R + tol);
              if (r.terminated) {
                // only a goal takes the puck past an end line, and only through the mouth
                const beyond = puck.y - m < 0 || puck.y - m > TABLE_H;
                expect(beyond).toBe(true);
                expect(Math.abs(puck.x - m - TABLE_W / 2)).toBeLessThan(hockeyDef.defaultParams.goalWidth / 2 + tol);
                const past = puck.y - m < 0 ? -(puck.y - m) : puck.y - m - TABLE_H;
                expect(past).toBeLessThanOrEqual(PUCK_MAX_SPEED);
              } else {
                expect(puck.y - m).toBeGreaterThanOrEqual(0);
                expect(puck.y - m).toBeLessThanOrEqual(TABLE_H);
              }
              done = r.terminated || r.truncated;
            }
          }
          expect(sim.reset(seed)).toEqual(first);
        },
      ),
      { numRuns: 200, seed: 20240611 },
    );
  });
});
