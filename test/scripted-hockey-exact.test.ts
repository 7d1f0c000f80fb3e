/**
 * agents/scripted/hockey.ts, exactly: the geometry helpers and the three controllers against values
 * worked out by hand from the table's constants (table 500 × 800, paddle radius 30, puck radius 18,
 * paddle speed 10, puck speed 22 per step), with a scripted rng whose normal draws are given.
 *
 * Hand constants: HX = 250, HY = 400, XLIM = 250 − 18 = 232, CONTACT = 30 + 18 = 48,
 * Y_FRONT = −8 − 30 = −38, DECAY = 0.85⁴, GAIN = 2·(1 + 0.85 + 0.85² + 0.85³), run-up 25.
 */
import { describe, expect, it } from 'vitest';
import {
  capMag,
  clamp,
  finish,
  goTo,
  guard,
  hockeyScripted,
  lineFrom,
  norm,
  playable,
  predict,
  reachable,
  read,
  strike,
  strikeLine,
  toVelocity,
  type View,
} from '../agents/scripted/hockey.ts';
import type { Rng } from '../sim/rng.ts';

const DECAY = 0.85 ** 4;
const GAIN = 2 * (1 + 0.85 + 0.85 ** 2 + 0.85 ** 3);

/** An rng whose normal() returns the given draws in order (and fails when they run out). */
function draws(...zs: number[]): Rng & { left: () => number } {
  const q = [...zs];
  return {
    normal: () => {
      if (q.length === 0) throw new Error('no more normal draws');
      return q.shift()!;
    },
    left: () => q.length,
  } as unknown as Rng & { left: () => number };
}

/** An observation in table units: own paddle, its velocity, the puck, its velocity (the opponent unused). */
function obs(me: [number, number], meV: [number, number], puck: [number, number], puckV: [number, number]): number[] {
  return [me[0] / 250, me[1] / 400, meV[0] / 10, meV[1] / 10, 0.3, 0.7, 0.1, -0.2, puck[0] / 250, puck[1] / 400, puckV[0] / 22, puckV[1] / 22];
}
const view = (me: [number, number], meV: [number, number], puck: [number, number], puckV: [number, number]): View =>
  ({ me: { x: me[0], y: me[1] }, meV: { x: meV[0], y: meV[1] }, puck: { x: puck[0], y: puck[1] }, puckV: { x: puckV[0], y: puckV[1] } });

const close = (got: { x: number; y: number }, want: { x: number; y: number }, digits = 9) => {
  expect(got.x).toBeCloseTo(want.x, digits);
  expect(got.y).toBeCloseTo(want.y, digits);
};
const closeVec = (got: number[], want: number[], digits = 9) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));
};

describe('helpers', () => {
  it('read: the observation in table units', () => {
    const v = read([0.5, -0.25, 0.3, -0.4, 9, 9, 9, 9, 0.1, 0.2, 0.5, -1]);
    close(v.me, { x: 125, y: -100 });
    close(v.meV, { x: 3, y: -4 });
    close(v.puck, { x: 25, y: 80 });
    close(v.puckV, { x: 11, y: -22 });
  });

  it('norm, clamp, capMag', () => {
    expect(norm({ x: 3, y: -4 })).toEqual({ x: 0.6, y: -0.8 });
    expect(norm({ x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
    expect(norm({ x: 0, y: 2 })).toEqual({ x: 0, y: 1 });
    expect([clamp(5, 0, 3), clamp(-1, 0, 3), clamp(2, 0, 3), clamp(0, 0, 3), clamp(3, 0, 3)]).toEqual([3, 0, 2, 0, 3]);
    expect(capMag({ x: 6, y: -8 }, 5)).toEqual({ x: 3, y: -4 });
    expect(capMag({ x: 3, y: 4 }, 10)).toEqual({ x: 3, y: 4 });
    expect(capMag({ x: -3, y: 4 }, 5)).toEqual({ x: -3, y: 4 });
  });

  it('predict: straight lines, reflected off the side walls at ±232', () => {
    expect(predict({ x: 0, y: 0 }, { x: 10, y: 5 }, 3)).toEqual({ x: 30, y: 15 });
    // 200 → wall at 232 after 32, back 68: 164
    close(predict({ x: 200, y: -10 }, { x: 10, y: -2 }, 10), { x: 164, y: -30 });
    close(predict({ x: -200, y: 0 }, { x: -10, y: 0 }, 10), { x: -164, y: 0 });
    // 1000 to the right from 0: to 232, back to −232 (696 in all), then 304 more: 72
    close(predict({ x: 0, y: 0 }, { x: 100, y: 0 }, 10), { x: 72, y: 0 });
    // 1000 to the left: −72
    close(predict({ x: 0, y: 0 }, { x: -100, y: 0 }, 10), { x: -72, y: 0 });
    expect(predict({ x: 7, y: 9 }, { x: 3, y: 4 }, 0)).toEqual({ x: 7, y: 9 });
    // exactly at the wall
    close(predict({ x: 0, y: 0 }, { x: 232, y: 0 }, 1), { x: 232, y: 0 });
  });

  it('toVelocity and goTo: the force that reaches a velocity in one decision (capped at speed 10)', () => {
    const v = view([100, -200], [2, -1], [0, 0], [0, 0]);
    close(toVelocity(v, { x: 3, y: 4 }), { x: (3 - DECAY * 2) / GAIN, y: (4 + DECAY) / GAIN });
    close(toVelocity(v, { x: 30, y: 40 }), { x: (6 - DECAY * 2) / GAIN, y: (8 + DECAY) / GAIN });
    close(goTo(v, { x: 140, y: -160 }), { x: (5 - DECAY * 2) / GAIN, y: (5 + DECAY) / GAIN });
    close(goTo(v, { x: 130, y: -224 }, 1 / 6), { x: (5 - DECAY * 2) / GAIN, y: (-4 + DECAY) / GAIN });
  });

  it('finish: scaled (not clipped) into the unit box, noise added per component, then clipped', () => {
    expect(finish({ x: 0.5, y: -0.25 }, draws(0, 0), 0.1)).toEqual([0.5, -0.25]);
    expect(finish({ x: 4, y: -2 }, draws(0, 0), 0.1)).toEqual([1, -0.5]);
    expect(finish({ x: -3, y: 6 }, draws(0, 0), 0.1)).toEqual([-0.5, 1]);
    closeVec(finish({ x: 0.5, y: -0.25 }, draws(2, -3), 0.1), [0.7, -0.55]);
    expect(finish({ x: 0.9, y: -0.9 }, draws(1, -1), 0.5)).toEqual([1, -1]);
    expect(finish({ x: -0.9, y: 0.9 }, draws(-1, 1), 0.5)).toEqual([-1, 1]);
  });

  it('reachable: inside the side walls (±220) and the own half (y from −370 to −38)', () => {
    expect(reachable({ x: 300, y: 0 })).toEqual({ x: 220, y: -38 });
    expect(reachable({ x: -300, y: -500 })).toEqual({ x: -220, y: -370 });
    expect(reachable({ x: 12, y: -100 })).toEqual({ x: 12, y: -100 });
  });

  it('guard: a point depth in front of the own goal, following the puck\'s x', () => {
    const v = view([50, -300], [0, 0], [100, 300], [0, 0]);
    close(guard(v, 90, 0.4), { x: (40 - 50) / 8 / GAIN, y: (-310 + 300) / 8 / GAIN });
    // the followed x stays inside the walls
    const far = view([0, -300], [0, 0], [240, 300], [0, 0]);
    // (220, −350) from (0, −300): 27.5 and −6.25 a step, capped to speed 10
    const l = Math.hypot(27.5, 6.25);
    close(guard(far, 50, 1), { x: (27.5 * 10) / l / GAIN, y: (-6.25 * 10) / l / GAIN });
    close(guard(view([0, -300], [0, 0], [-240, 300], [0, 0]), 50, 1), { x: (-27.5 * 10) / l / GAIN, y: (-6.25 * 10) / l / GAIN });
  });

  it('playable: in the own half up to y = 20, or coming back (vy < −0.5) from below y = 240', () => {
    const p = (y: number, vy: number) => playable(view([0, 0], [0, 0], [0, y], [0, vy]));
    expect([p(19.9, 0), p(20, 0), p(-300, 5)]).toEqual([true, false, true]);
    expect([p(239, -0.6), p(241, -0.6), p(100, -0.5), p(100, -0.4)]).toEqual([true, false, false, false]);
    expect(p(240, -1)).toBe(false);
  });

  it('lineFrom: the paddle\'s place and velocities along and across a strike direction', () => {
    const v = view([10, -100], [1, 2], [999, 999], [3, -4]);
    const L = lineFrom(v, { x: 0, y: 0 }, { x: 0.6, y: 0.8 });
    expect(L.p).toEqual({ x: 0, y: 0 });
    expect(L.d).toEqual({ x: 0.6, y: 0.8 });
    close(L.n, { x: -0.8, y: 0.6 });
    expect(L.s).toBeCloseTo(6 - 80, 12);
    expect(L.e).toBeCloseTo(-8 - 60, 12);
    expect(L.ws).toBeCloseTo(1.8 - 3.2, 12);
    expect(L.we).toBeCloseTo(-2.4 - 2.4, 12);
    expect(L.ve).toBeCloseTo(-0.8 + 1.2 + 4.8, 12);
  });

  it('strikeLine: aimed at the goal, tilted to cancel the puck\'s cross velocity (at most 6)', () => {
    const aim = { x: 0, y: 420 };
    const still = strikeLine(view([0, -300], [0, 0], [0, -100], [0, 0]), aim, 0, null);
    close(still.p, { x: 0, y: -100 });
    close(still.d, { x: 0, y: 1 });
    const l3 = Math.hypot(3, 14);
    close(strikeLine(view([0, -300], [0, 0], [0, -100], [3, 0]), aim, 0, null).d, { x: -3 / l3, y: 14 / l3 });
    const l6 = Math.hypot(6, 14);
    close(strikeLine(view([0, -300], [0, 0], [0, -100], [10, 0]), aim, 0, null).d, { x: -6 / l6, y: 14 / l6 });
    // the puck's velocity along the aim is not compensated
    close(strikeLine(view([0, -300], [0, 0], [0, -100], [0, 5]), aim, 0, null).d, { x: 0, y: 1 });
    // four steps ahead the puck is at (12, −100): aim from there; its cross velocity is 3·cos
    const L = strikeLine(view([0, -300], [0, 0], [0, -100], [3, 0]), aim, 4, null);
    close(L.p, { x: 12, y: -100 });
    const g = { x: -12 / Math.hypot(12, 520), y: 520 / Math.hypot(12, 520) };
    const along = 3 * g.x;
    const perp = { x: 3 - along * g.x, y: -along * g.y };
    const dl = Math.hypot(g.x * 14 - perp.x, g.y * 14 - perp.y);
    close(L.d, { x: (g.x * 14 - perp.x) / dl, y: (g.y * 14 - perp.y) / dl });
    // a fixed direction is used as given
    const F = strikeLine(view([10, -300], [0, 0], [0, -100], [3, 0]), aim, 4, { x: 0.6, y: 0.8 });
    expect(F.d).toEqual({ x: 0.6, y: 0.8 });
    close(F.p, { x: 12, y: -100 });
    expect(F.s).toBeCloseTo(-2 * 0.6 - 200 * 0.8, 12);
  });
});

describe('strike', () => {
  const aim = { x: 0, y: 420 };

  it('out of reach (the puck stays in the far half): null', () => {
    expect(strike(view([0, -300], [0, 0], [0, 300], [0, 0]), aim)).toBeNull();
    // or deep behind the own goal line's reach
    expect(strike(view([0, -300], [0, 0], [0, -390], [0, 0]), aim)).toBeNull();
  });

  it('lined up behind a still puck (3 off the line): drive through it at full speed', () => {
    // contact at (0, −200); the run-up point (0, −273) is within reach at t = 4
    const f = strike(view([3, -300], [0, 0], [0, -200], [0, 0]), aim)!;
    expect(f.driving).toBe(true);
    // along: 10; across: 0 − (−3)/6 = 0.5 toward −x; capped to speed 10
    const l = Math.hypot(0.5, 10);
    close(f.force, { x: (-0.5 * 10) / l / GAIN, y: (10 * 10) / l / GAIN });
  });

  it('10 off the line: hold the run-up and close the offset', () => {
    const f = strike(view([10, -300], [0, 0], [0, -200], [0, 0]), aim)!;
    expect(f.driving).toBe(false);
    // along: (−73 − (−100))/6 = 4.5; across: 10/6 toward −x
    close(f.force, { x: -10 / 6 / GAIN, y: 4.5 / GAIN });
  });

  it('moving across the line too fast (relative 2): not driving yet', () => {
    // paddle velocity (−2, 0) across n = (−1, 0): ve = 2
    const f = strike(view([3, -300], [-2, 0], [0, -200], [0, 0]), aim)!;
    expect(f.driving).toBe(false);
    // along: (−73 + 100)/6 = 4.5; across: 0.5
    close(f.force, { x: (-0.5 + DECAY * 2) / GAIN, y: 4.5 / GAIN });
  });

  it('in front of the puck: go round it to the back, on the side the paddle is on', () => {
    // contact (0, −200), paddle (20, −150): s = 50, e = −20 → side −1
    const f = strike(view([20, -150], [0, 0], [0, -200], [0, 0]), aim)!;
    expect(f.driving).toBe(false);
    // waypoint (0 + 63, −200 − 78) = (63, −278), servo gain 1/6, capped at 10
    const vd = { x: (63 - 20) / 6, y: (-278 + 150) / 6 };
    const l = Math.hypot(vd.x, vd.y);
    close(f.force, { x: (vd.x * 10) / l / GAIN, y: (vd.y * 10) / l / GAIN });
    // mirrored
    const g = strike(view([-20, -150], [0, 0], [0, -200], [0, 0]), aim)!;
    close(g.force, { x: (-vd.x * 10) / l / GAIN, y: (vd.y * 10) / l / GAIN });
  });

  it('a paddle moving toward a still puck: the contact is re-timed but the line is the same', () => {
    const f = strike(view([0, -350], [0, 5], [0, -200], [0, 0]), aim)!;
    expect(f.driving).toBe(true);
    close(f.force, { x: 0, y: (10 - DECAY * 5) / GAIN });
  });

  it('a moving puck: the contact is the first 4-step mark whose run-up point the paddle can reach (8t + 10)', () => {
    // puck (0, −100) moving (2, −3) a step; paddle (40, −140), still
    const me = { x: 40, y: -140 };
    const w = { x: 2, y: -3 };
    const lineAt = (t: number) => {
      const p = { x: 2 * t, y: -100 - 3 * t };
      const gl = Math.hypot(0 - p.x, 420 - p.y);
      const g = { x: -p.x / gl, y: (420 - p.y) / gl };
      const along = w.x * g.x + w.y * g.y;
      const perp = { x: w.x - along * g.x, y: w.y - along * g.y };
      const dl = Math.hypot(g.x * 14 - perp.x, g.y * 14 - perp.y);
      const d = { x: (g.x * 14 - perp.x) / dl, y: (g.y * 14 - perp.y) / dl };
      const c = { x: p.x - d.x * 73, y: p.y - d.y * 73 };
      return { p, d, reach: Math.hypot(c.x - me.x, c.y - me.y) };
    };
    // out of reach at 0 and 4 steps (more than 10 and 42 away), in reach at 8 (less than 74)
    expect(lineAt(0).reach).toBeGreaterThan(10);
    expect(lineAt(4).reach).toBeGreaterThan(42);
    expect(lineAt(8).reach).toBeLessThan(74);
    const { p, d } = lineAt(8);
    const n = { x: -d.y, y: d.x };
    const rel = { x: me.x - p.x, y: me.y - p.y };
    // in front of the puck on that line: go round, on the paddle's side
    expect(rel.x * d.x + rel.y * d.y).toBeGreaterThan(-28.8);
    const side = rel.x * n.x + rel.y * n.y >= 0 ? 1 : -1;
    const way = { x: p.x - d.x * 78 + n.x * side * 63, y: p.y - d.y * 78 + n.y * side * 63 };
    const vd = { x: (way.x - me.x) / 6, y: (way.y - me.y) / 6 };
    const l = Math.max(10, Math.hypot(vd.x, vd.y));
    const f = strike(view([40, -140], [0, 0], [0, -100], [2, -3]), aim)!;
    expect(f.driving).toBe(false);
    close(f.force, { x: (vd.x * 10) / l / GAIN, y: (vd.y * 10) / l / GAIN });
  });

  it('behind a moving puck: the contact re-timed twice from the closing speed, then hold the run-up', () => {
    // puck (0, −150) moving (1, −2); paddle (−10, −300) moving (0, 4)
    const me = { x: -10, y: -300 };
    const mv = { x: 0, y: 4 };
    const w = { x: 1, y: -2 };
    const lineAt = (t: number) => {
      const p = { x: t, y: -150 - 2 * t };
      const gl = Math.hypot(0 - p.x, 420 - p.y);
      const g = { x: -p.x / gl, y: (420 - p.y) / gl };
      const along = w.x * g.x + w.y * g.y;
      const perp = { x: w.x - along * g.x, y: w.y - along * g.y };
      const dl = Math.hypot(g.x * 14 - perp.x, g.y * 14 - perp.y);
      const d = { x: (g.x * 14 - perp.x) / dl, y: (g.y * 14 - perp.y) / dl };
      const n = { x: -d.y, y: d.x };
      const rel = { x: me.x - p.x, y: me.y - p.y };
      const c = { x: p.x - d.x * 73, y: p.y - d.y * 73 };
      return {
        d, n, reach: Math.hypot(c.x - me.x, c.y - me.y),
        s: rel.x * d.x + rel.y * d.y, e: rel.x * n.x + rel.y * n.y,
        ws: w.x * d.x + w.y * d.y, we: w.x * n.x + w.y * n.y,
      };
    };
    expect(lineAt(4).reach).toBeGreaterThan(42);
    expect(lineAt(8).reach).toBeLessThan(74);
    let L = lineAt(8);
    expect(L.s).toBeLessThan(-28.8);
    for (let i = 0; i < 2; i++) {
      const closing = mv.x * L.d.x + mv.y * L.d.y - L.ws;
      L = lineAt(Math.min(48, Math.max(0, (-L.s - 48) / Math.max(4, closing))));
    }
    const ve = mv.x * L.n.x + mv.y * L.n.y - L.we;
    expect(Math.abs(L.e) >= 5 || Math.abs(ve) >= 1.5).toBe(true);
    const vAcross = L.we - L.e / 6;
    const vAlong = L.ws + (-73 - L.s) / 6;
    const vd = { x: vAlong * L.d.x + vAcross * L.n.x, y: vAlong * L.d.y + vAcross * L.n.y };
    const k = Math.min(1, 10 / Math.hypot(vd.x, vd.y));
    const f = strike(view([-10, -300], [0, 4], [0, -150], [1, -2]), aim)!;
    expect(f.driving).toBe(false);
    close(f.force, { x: (vd.x * k - DECAY * mv.x) / GAIN, y: (vd.y * k - DECAY * mv.y) / GAIN });
  });

  it('a puck above y = −4.4 or below y = −380 is never struck, however close', () => {
    // the run-up point of a still puck at (0, 0) would be (0, −73): right where the paddle is
    expect(strike(view([0, -73], [0, 0], [0, 0], [0, 0]), aim)).toBeNull();
    expect(strike(view([0, -300], [0, 0], [0, -382], [0, 0]), aim)).toBeNull();
  });

  it('the edges: a strike right now (t = 0); exactly 5 off the line or 1.5 across is not yet driving', () => {
    // the paddle at the run-up point itself
    const now = strike(view([0, -273], [0, 0], [0, -200], [0, 0]), aim)!;
    expect(now.driving).toBe(true);
    close(now.force, { x: 0, y: 10 / GAIN });
    const five = strike(view([5, -300], [0, 0], [0, -200], [0, 0]), aim)!;
    expect(five.driving).toBe(false);
    close(five.force, { x: -5 / 6 / GAIN, y: 4.5 / GAIN });
    const across = strike(view([3, -300], [-1.5, 0], [0, -200], [0, 0]), aim)!;
    expect(across.driving).toBe(false);
    close(across.force, { x: (-0.5 + DECAY * 1.5) / GAIN, y: 4.5 / GAIN });
  });

  it('going round: exactly on the line counts as the positive side; a near waypoint is approached at 1/6 a step', () => {
    // paddle (0, −150) in front of the puck, e = 0: side +1, waypoint (−63, −278)
    const on = strike(view([0, -150], [0, 0], [0, -200], [0, 0]), aim)!;
    const vd = { x: -63 / 6, y: -128 / 6 };
    const l = Math.hypot(vd.x, vd.y);
    close(on.force, { x: (vd.x * 10) / l / GAIN, y: (vd.y * 10) / l / GAIN });
    // paddle beside the puck (s = −28, e = 60): the waypoint (−63, −278) is 50 away, under the speed cap
    const near = strike(view([-60, -228], [0, 0], [0, -200], [0, 0]), aim)!;
    expect(near.driving).toBe(false);
    close(near.force, { x: -3 / 6 / GAIN, y: -50 / 6 / GAIN });
  });

  /** The dig-out line by hand: the aimed direction's start 58 behind the puck, clamped into the table. */
  function digOut(me: { x: number; y: number }, q: { x: number; y: number }) {
    const gl = Math.hypot(-q.x, 420 - q.y);
    const d = { x: -q.x / gl, y: (420 - q.y) / gl };
    const from = { x: Math.min(220, Math.max(-220, q.x - d.x * 58)), y: Math.min(-38, Math.max(-370, q.y - d.y * 58)) };
    const fl = Math.hypot(q.x - from.x, q.y - from.y);
    const fd = { x: (q.x - from.x) / fl, y: (q.y - from.y) / fl };
    const n = { x: -fd.y, y: fd.x };
    const rel = { x: me.x - q.x, y: me.y - q.y };
    const s = rel.x * fd.x + rel.y * fd.y;
    const e = rel.x * n.x + rel.y * n.y;
    return { d, from, fd, n, s, e, c: { x: q.x - d.x * 73, y: q.y - d.y * 73 } };
  }

  it('the last mark, 48 steps ahead, still counts; a blocked line within reach right now digs out at once', () => {
    // the run-up point (0, −273) is 380 from the paddle: out of reach until t = 48 (8·48 + 10 = 394)
    const late = strike(view([0, 107], [0, 0], [0, -200], [0, 0]), aim)!;
    expect(late).not.toBeNull();
    // in front of the puck, on the line: round it on the positive side, toward (−63, −278)
    const vd = { x: -63 / 6, y: (-278 - 107) / 6 };
    const l = Math.hypot(vd.x, vd.y);
    close(late.force, { x: (vd.x * 10) / l / GAIN, y: (vd.y * 10) / l / GAIN });
    // 380 + 20: never in reach
    expect(strike(view([0, 127], [0, 0], [0, -200], [0, 0]), aim)).toBeNull();
    // by the side wall with the paddle at the blocked run-up point: a fallback at t = 0
    const q = { x: -225, y: -200 };
    const L = digOut({ x: -249, y: -268 }, q);
    expect(Math.hypot(L.c.x + 249, L.c.y + 268)).toBeLessThan(10);
    expect(strike(view([-249, -268], [0, 0], [q.x, q.y], [0, 0]), aim)).not.toBeNull();
  });

  for (const side of [-1, 1])
  it(`blocked by the ${side < 0 ? 'left' : 'right'} wall only: the line starts 58 behind the puck, clamped to x = ${side * 220}`, () => {
    const me = { x: side * 200, y: -250 };
    const q = { x: side * 225, y: -200 };
    const L = digOut(me, q);
    // the aimed run-up point is beyond the side wall (|x| > 224) but above the end wall
    expect(Math.abs(L.c.x)).toBeGreaterThan(224);
    expect(L.c.y).toBeGreaterThan(-374);
    expect(L.from.x).toBe(side * 220);
    expect(L.from.y).toBeGreaterThan(-370);
    // behind the puck on that line, off it: hold the run-up, close the offset
    expect(L.s).toBeLessThan(-28.8);
    expect(Math.abs(L.e)).toBeGreaterThan(5);
    const vAcross = -L.e / 6;
    const vAlong = (-73 - L.s) / 6;
    const vd = { x: vAlong * L.fd.x + vAcross * L.n.x, y: vAlong * L.fd.y + vAcross * L.n.y };
    const k = Math.min(1, 10 / Math.hypot(vd.x, vd.y));
    const f = strike(view([me.x, me.y], [0, 0], [q.x, q.y], [0, 0]), aim)!;
    expect(f.driving).toBe(false);
    close(f.force, { x: (vd.x * k) / GAIN, y: (vd.y * k) / GAIN });
  });

  it('blocked by the end wall only: the line starts 58 behind the puck, clamped to y = −370', () => {
    const me = { x: 150, y: -330 };
    const q = { x: 100, y: -370 };
    const L = digOut(me, q);
    expect(Math.abs(L.c.x)).toBeLessThan(224);
    expect(L.c.y).toBeLessThan(-374);
    expect(L.from.y).toBe(-370);
    expect(Math.abs(L.from.x)).toBeLessThan(220);
    const f = strike(view([me.x, me.y], [0, 0], [q.x, q.y], [0, 0]), aim)!;
    expect(f.driving).toBe(false);
    // the line is horizontal (−1, 0): the paddle is 50 behind the puck on it and 40 off it
    expect(L.fd).toEqual({ x: -1, y: 0 });
    expect(L.s).toBeLessThan(-28.8);
    const vd = { x: ((-73 - L.s) / 6) * L.fd.x + (-L.e / 6) * L.n.x, y: ((-73 - L.s) / 6) * L.fd.y + (-L.e / 6) * L.n.y };
    const k = Math.min(1, 10 / Math.hypot(vd.x, vd.y));
    close(f.force, { x: (vd.x * k) / GAIN, y: (vd.y * k) / GAIN });
  });

  it('a puck in the corner: strike along the closest line the walls allow', () => {
    // puck (−225, −360), paddle (−200, −300): every aimed line's run-up point is outside the wall
    const f = strike(view([-200, -300], [0, 0], [-225, -360], [0, 0]), aim)!;
    expect(f.driving).toBe(false);
    // aimed direction from the puck to (0, 420); the line start clamped into the table
    const dl = Math.hypot(225, 780);
    const d = { x: 225 / dl, y: 780 / dl };
    const from = { x: Math.max(-220, -225 - d.x * 58), y: Math.max(-370, -360 - d.y * 58) };
    expect(from).toEqual({ x: -220, y: -370 });
    const fl = Math.hypot(-225 - from.x, -360 - from.y);
    const fd = { x: (-225 - from.x) / fl, y: (-360 - from.y) / fl };
    const n = { x: -fd.y, y: fd.x };
    // the paddle is in front of the puck on this line: go round, to the side it is on
    const rel = { x: 25, y: 60 };
    const e = rel.x * n.x + rel.y * n.y;
    expect(rel.x * fd.x + rel.y * fd.y).toBeGreaterThan(-28.8);
    const side = e >= 0 ? 1 : -1;
    const way = {
      x: Math.min(220, Math.max(-220, -225 - fd.x * 78 + n.x * side * 63)),
      y: Math.min(-38, Math.max(-370, -360 - fd.y * 78 + n.y * side * 63)),
    };
    const vd = { x: (way.x + 200) / 6, y: (way.y + 300) / 6 };
    const l = Math.max(10, Math.hypot(vd.x, vd.y));
    close(f.force, { x: (vd.x * 10) / l / GAIN, y: (vd.y * 10) / l / GAIN });
  });
});

describe('the controllers', () => {
  /** finish's rule (checked by hand above): scale so the larger component is at most 1, then add noise·draw */
  const fin = (fx: number, fy: number, noise = 0, zx = 0, zy = 0) => {
    const m = Math.max(1, Math.abs(fx), Math.abs(fy));
    return [clamp(fx / m + noise * zx, -1, 1), clamp(fy / m + noise * zy, -1, 1)];
  };
  const style = (name: string) => hockeyScripted.find((s) => s.name === name)!.player;

  it('names, styles and weights', () => {
    expect(hockeyScripted.map((s) => [s.name, s.weight, s.rare, s.player.name, s.player.style])).toEqual([
      ['hockey-direct', 0.7, false, 'hockey-direct', 'direct'],
      ['hockey-bank', 0.2, true, 'hockey-bank', 'bank'],
      ['hockey-defender', 0.1, false, 'hockey-defender', 'defender'],
    ]);
  });

  it('an attacker with the puck out of play guards 90 in front of its goal, following 0.4 of the puck\'s x', () => {
    for (const name of ['hockey-direct', 'hockey-bank']) {
      const rng = draws(0.7, 1, -2);
      const a = style(name).act(obs([50, -300], [0, 0], [100, 300], [0, 0]), rng);
      closeVec(a, [(40 - 50) / 8 / GAIN + 0.12, (-310 + 300) / 8 / GAIN - 0.24]);
      expect(rng.left()).toBe(0);
    }
  });

  it('direct: aims at the goal centre, 15 per unit draw to the side', () => {
    // a still puck at (0, −200), the paddle 10 off the line behind it (see strike): not driving, noise 0.12
    const a = style('hockey-direct').act(obs([10, -300], [0, 0], [0, -200], [0, 0]), draws(0, 1, 1));
    closeVec(a, fin(-10 / 6 / GAIN, 4.5 / GAIN, 0.12, 1, 1));
    // driving: noise 0.03
    const l = Math.hypot(0.5, 10);
    const b = style('hockey-direct').act(obs([3, -300], [0, 0], [0, -200], [0, 0]), draws(0, 1, -1));
    closeVec(b, fin((-0.5 * 10) / l / GAIN, (10 * 10) / l / GAIN, 0.03, 1, -1));
    // aimed 15 to the right (draw 1): the line tilts, the force changes
    const c = style('hockey-direct').act(obs([10, -300], [0, 0], [0, -200], [0, 0]), draws(1, 0, 0));
    const d = { x: 15 / Math.hypot(15, 620), y: 620 / Math.hypot(15, 620) };
    const n = { x: -d.y, y: d.x };
    const rel = { x: 10, y: -100 };
    const s = rel.x * d.x + rel.y * d.y;
    const e = rel.x * n.x + rel.y * n.y;
    const vAlong = (-73 - s) / 6;
    const vAcross = -e / 6;
    closeVec(c, fin((vAlong * d.x + vAcross * n.x) / GAIN, (vAlong * d.y + vAcross * n.y) / GAIN));
  });

  it('bank: aims at the goal\'s mirror image in the side wall on the puck\'s side', () => {
    for (const side of [1, -1]) {
      const px = side * 20;
      const a = style('hockey-bank').act(obs([px + 10, -300], [0, 0], [px, -200], [0, 0]), draws(0.5, 0, 0));
      // aim (side·464 + 5, 420) from the puck at (px, −200)
      const g = { x: side * 464 + 5 - px, y: 620 };
      const d = { x: g.x / Math.hypot(g.x, g.y), y: g.y / Math.hypot(g.x, g.y) };
      const n = { x: -d.y, y: d.x };
      const rel = { x: 10, y: -100 };
      const s = rel.x * d.x + rel.y * d.y;
      const e = rel.x * n.x + rel.y * n.y;
      // still behind the puck and off the line: hold the run-up
      expect(s).toBeLessThan(-28.8);
      expect(Math.abs(e)).toBeGreaterThan(5);
      const vAlong = (-73 - s) / 6;
      const vAcross = -e / 6;
      const vx = vAlong * d.x + vAcross * n.x;
      const vy = vAlong * d.y + vAcross * n.y;
      const l = Math.max(10, Math.hypot(vx, vy));
      closeVec(a, fin((vx * 10) / l / GAIN, (vy * 10) / l / GAIN));
    }
    // the puck exactly on the centre line counts as the right side
    const z = style('hockey-bank').act(obs([10, -300], [0, 0], [0, -200], [0, 0]), draws(0, 0, 0));
    const dz = { x: 464 / Math.hypot(464, 620), y: 620 / Math.hypot(464, 620) };
    const sz = 10 * dz.x - 100 * dz.y;
    const ez = -10 * dz.y - 100 * dz.x;
    const va = (-73 - sz) / 6;
    const vc = -ez / 6;
    const vx = va * dz.x - vc * dz.y;
    const vy = va * dz.y + vc * dz.x;
    const lz = Math.max(10, Math.hypot(vx, vy));
    closeVec(z, fin((vx * 10) / lz / GAIN, (vy * 10) / lz / GAIN));
  });

  it('defender: strikes a close puck (below y = −180), noise 0.1, or 0.03 when driving', () => {
    const rng = draws(0, 1, 1);
    const a = style('hockey-defender').act(obs([10, -300], [0, 0], [0, -200], [0, 0]), rng);
    closeVec(a, fin(-10 / 6 / GAIN, 4.5 / GAIN, 0.1, 1, 1));
    expect(rng.left()).toBe(0);
    const l = Math.hypot(0.5, 10);
    const b = style('hockey-defender').act(obs([3, -300], [0, 0], [0, -200], [0, 0]), draws(0, 1, -1));
    closeVec(b, fin((-0.5 * 10) / l / GAIN, (10 * 10) / l / GAIN, 0.03, 1, -1));
    // aimed 20 per unit draw to the side
    const c = style('hockey-defender').act(obs([10, -300], [0, 0], [0, -200], [0, 0]), draws(1, 0, 0));
    const d = { x: 20 / Math.hypot(20, 620), y: 620 / Math.hypot(20, 620) };
    const s = 10 * d.x - 100 * d.y;
    const e = -10 * d.y - 100 * d.x;
    const va = (-73 - s) / 6;
    const vc = -e / 6;
    closeVec(c, fin((va * d.x - vc * d.y) / GAIN, (va * d.y + vc * d.x) / GAIN));
  });

  it('defender: otherwise stands 90 out on the line from its goal centre to the puck (no aim drawn)', () => {
    const rng = draws(1, -1);
    // puck (100, 0): direction (100, 400)/|…| from the goal centre (0, −400)
    const a = style('hockey-defender').act(obs([0, -330], [0, 0], [100, 0], [0, 0]), rng);
    const L = Math.hypot(100, 400);
    const spot = { x: (100 / L) * 90, y: -400 + (400 / L) * 90 };
    closeVec(a, fin(spot.x / 8 / GAIN, (spot.y + 330) / 8 / GAIN, 0.1, 1, -1));
    expect(rng.left()).toBe(0);
    // whatever the observation, the spot is at least 40 out of the goal line: a puck far to the
    // side (x = 2000, off the table) gives a line only 0.15 up, i.e. 13 out, lifted to 40
    const b = style('hockey-defender').act(obs([-100, -350], [0, 0], [2000, -100], [0, 20]), draws(0, 0));
    const Lb = Math.hypot(2000, 300);
    const sb = { x: (2000 / Lb) * 90, y: -360 };
    expect((300 / Lb) * 90).toBeLessThan(40);
    closeVec(b, fin((sb.x + 100) / 8 / GAIN, (sb.y + 350) / 8 / GAIN));
    // just above y = −180 the puck is not close: stand on the line
    const c = style('hockey-defender').act(obs([0, -330], [0, 0], [0, -170], [0, 0]), draws(0, 0));
    const sc = { x: 0, y: -400 + 90 };
    closeVec(c, fin(sc.x / 8 / GAIN, (sc.y + 330) / 8 / GAIN));
  });
});
