/**
 * sim/hockey-shots.ts in closed form: the event-based ShotTracker, headsForGoal, the observation
 * decoders and the geometry helpers of the observation classifier (segment distance, contact time,
 * frame-skip estimate), each against hand-computed values.
 */
import { describe, expect, it } from 'vitest';
import {
  ShotTracker,
  contactTime,
  estimateFrameSkip,
  eventStyleCounts,
  headsForGoal,
  segMinDist,
  worldPos,
  worldVel,
} from '../sim/hockey-shots.ts';
import type { EpisodeRecord, Vec } from '../sim/types.ts';

function tracker(): { t: ShotTracker; out: string[] } {
  const out: string[] = [];
  return { t: new ShotTracker((e) => out.push(e)), out };
}

describe('ShotTracker', () => {
  it('a touch starts a shot; it is emitted only once it has crossed the centre line', () => {
    const { t, out } = tracker();
    expect(t.pending).toBeNull();
    t.hit(0);
    expect(t.pending).toEqual({ player: 0, crossed: false, bank: false });
    t.hit(1); // not crossed: nothing
    expect(out).toEqual([]);
    expect(t.pending).toEqual({ player: 1, crossed: false, bank: false });
    t.position(-5); // player 1 is ahead when the puck is below the centre (puckUp < 0)
    expect(t.pending).toEqual({ player: 1, crossed: true, bank: false });
    t.hit(0);
    expect(out).toEqual(['shot1:direct']);
    t.end();
    expect(out).toEqual(['shot1:direct']);
    expect(t.pending).toBeNull();
    t.end();
    expect(out).toEqual(['shot1:direct']);
  });

  it('position: ahead > 0 crosses, back behind the line (< 0) resolves a crossed shot, 0 does neither', () => {
    const { t, out } = tracker();
    t.position(10); // nothing pending: nothing happens
    expect(t.pending).toBeNull();
    t.hit(0);
    t.position(0);
    expect(t.pending!.crossed).toBe(false);
    t.position(-3); // not crossed: stays pending
    expect(t.pending).toEqual({ player: 0, crossed: false, bank: false });
    t.position(2);
    expect(t.pending!.crossed).toBe(true);
    t.position(0);
    expect(out).toEqual([]);
    expect(t.pending!.crossed).toBe(true);
    t.position(-1);
    expect(out).toEqual(['shot0:direct']);
    expect(t.pending).toBeNull();
    t.hit(1);
    t.position(3); // behind player 1's line, not crossed
    expect(t.pending).toEqual({ player: 1, crossed: false, bank: false });
    t.position(-3);
    t.position(4);
    expect(out).toEqual(['shot0:direct', 'shot1:direct']);
  });

  it('endWall resolves only the attacker\'s shot; end() resolves whatever is pending', () => {
    const { t, out } = tracker();
    t.endWall(1); // nothing pending
    t.hit(0);
    t.position(1);
    t.endWall(0); // the shooter's own end: no
    expect(t.pending).not.toBeNull();
    t.endWall(1);
    expect(out).toEqual(['shot0:direct']);
    expect(t.pending).toBeNull();
    t.hit(1);
    t.position(-1);
    t.endWall(1);
    expect(out).toEqual(['shot0:direct']);
    t.endWall(0);
    expect(out).toEqual(['shot0:direct', 'shot1:direct']);
    t.hit(1);
    t.position(-1);
    t.end();
    expect(out).toEqual(['shot0:direct', 'shot1:direct', 'shot1:direct']);
  });

  it('sideWall marks a bank only for a pending shot heading for the goal zone', () => {
    const { t, out } = tracker();
    t.sideWall(20, 200, 5, -10); // nothing pending: no effect
    expect(t.pending).toBeNull();
    t.hit(0);
    t.sideWall(20, 300, 5, 10); // heading away from player 1's end
    expect(t.pending!.bank).toBe(false);
    t.sideWall(20, 300, 5, -10); // x at y = 0: 20 + 150 = 170, within 130 of 250
    expect(t.pending!.bank).toBe(true);
    t.position(1);
    t.end();
    expect(out).toEqual(['shot0:bank']);
  });
});

describe('headsForGoal', () => {
  it('extrapolates to the target line (y = 0 for player 0, 800 for player 1) and checks |x - 250| < 130', () => {
    expect(headsForGoal(0, 120, 300, 0, -5)).toBe(false); // exactly 130 off
    expect(headsForGoal(0, 121, 300, 0, -5)).toBe(true);
    expect(headsForGoal(0, 380, 300, 0, -5)).toBe(false);
    expect(headsForGoal(0, 379, 300, 0, -5)).toBe(true);
    expect(headsForGoal(0, 20, 300, 5, -10)).toBe(true); // 170
    expect(headsForGoal(0, 20, 300, 2, -10)).toBe(false); // 80
    expect(headsForGoal(0, 20, 300, 9, -10)).toBe(true); // 290
    expect(headsForGoal(0, 20, 300, 12, -10)).toBe(false); // 380
    expect(headsForGoal(0, 250, 300, 0, 5)).toBe(false); // moving away
    expect(headsForGoal(0, 250, 300, 3, 0)).toBe(false); // not moving along y
    expect(headsForGoal(1, 250, 500, 0, 5)).toBe(true);
    expect(headsForGoal(1, 250, 500, 0, -5)).toBe(false);
    expect(headsForGoal(1, 480, 500, -4, 10)).toBe(true); // 480 - 120 = 360
    expect(headsForGoal(1, 480, 500, -2, 10)).toBe(false); // 420
    expect(headsForGoal(1, 480, 800, -2, 10)).toBe(false); // on the line
  });
});

describe('observation decoders', () => {
  it('worldPos and worldVel undo the observation encoding (player 0 frame)', () => {
    const o = [0.2, -0.5, 0.3, -0.4, -0.4, 0.25, 1, -1, 0.5, 1.1, 0.5, -0.25];
    expect(worldPos(o, 0)).toEqual({ x: 300, y: 600 });
    expect(worldPos(o, 4)).toEqual({ x: 150, y: 300 });
    expect(worldPos(o, 8).x).toBe(375);
    expect(worldPos(o, 8).y).toBeCloseTo(-40, 9);
    expect(worldVel(o, 0, 10)).toEqual({ x: 3, y: 4 });
    expect(worldVel(o, 4, 10)).toEqual({ x: 10, y: 10 });
    expect(worldVel(o, 8, 22)).toEqual({ x: 11, y: 5.5 });
  });
});

describe('classifier geometry in closed form', () => {
  it('segMinDist: distance of the segment p + u·s (s in [0, k]) from the origin', () => {
    expect(segMinDist({ x: 3, y: 4 }, { x: 0, y: 0 }, 5)).toBe(5);
    expect(segMinDist({ x: -10, y: 5 }, { x: 1, y: 0 }, 20)).toBe(5);
    expect(segMinDist({ x: -10, y: 5 }, { x: 1, y: 0 }, 4)).toBeCloseTo(Math.sqrt(61), 12);
    expect(segMinDist({ x: 10, y: 5 }, { x: 1, y: 0 }, 4)).toBeCloseTo(Math.sqrt(125), 12);
    expect(segMinDist({ x: -6, y: -8 }, { x: 3, y: 4 }, 10)).toBe(0);
    expect(segMinDist({ x: -6, y: -8 }, { x: 3, y: 4 }, 1)).toBe(5);
    expect(segMinDist({ x: 5, y: -10 }, { x: 0, y: 2 }, 10)).toBe(5);
    expect(segMinDist({ x: 5, y: -10 }, { x: 0, y: 2 }, 2)).toBeCloseTo(Math.hypot(5, 6), 12);
    expect(segMinDist({ x: 0, y: 0 }, { x: 0, y: 0 }, 3)).toBe(0);
  });

  it('contactTime: first s with |p + u·s| < c, else the closest approach, clipped to [0, k]', () => {
    expect(contactTime({ x: 3, y: 4 }, { x: 1, y: 0 }, 10, 5)).toBe(0); // on the circle already
    expect(contactTime({ x: 3, y: 4 }, { x: 1, y: 0 }, 10, 6)).toBe(0); // inside
    expect(contactTime({ x: 10, y: 0 }, { x: -1, y: 0 }, 20, 4)).toBe(6);
    expect(contactTime({ x: 10, y: 0 }, { x: -1, y: 0 }, 5, 4)).toBe(5);
    expect(contactTime({ x: 10, y: 0 }, { x: -2, y: 0 }, 20, 4)).toBe(3);
    expect(contactTime({ x: 0, y: 10 }, { x: 0, y: -2 }, 20, 6)).toBe(2);
    expect(contactTime({ x: -10, y: 0 }, { x: 2, y: 0 }, 20, 4)).toBe(3);
    // misses the circle: the closest approach, s = -p·u / |u|²
    expect(contactTime({ x: 10, y: 5 }, { x: -1, y: 0 }, 20, 4)).toBe(10);
    expect(contactTime({ x: 10, y: 5 }, { x: -2, y: 0 }, 20, 4)).toBe(5);
    expect(contactTime({ x: 10, y: 5 }, { x: -1, y: 0 }, 3, 4)).toBe(3);
    // tangent: disc = 0 → the touching point
    expect(contactTime({ x: 10, y: 4 }, { x: -1, y: 0 }, 20, 4)).toBe(10);
    // moving away, or not moving
    expect(contactTime({ x: 10, y: 0 }, { x: 1, y: 0 }, 20, 4)).toBe(0);
    expect(contactTime({ x: 10, y: 0 }, { x: 0, y: 0 }, 20, 4)).toBe(0);
  });

  /** puck-only observations of a free flight: position p0 + k·v per decision */
  function flight(k: number, v: [number, number], n: number, speedUp = 1): Vec[] {
    const obs: Vec[] = [];
    let x = 100;
    let y = 700;
    let [vx, vy] = v;
    for (let t = 0; t < n; t++) {
      obs.push([0, 0, 0, 0, 0, 0, 0, 0, (x - 250) / 250, (400 - y) / 400, vx / 22, -vy / 22]);
      const nvx = vx * speedUp;
      const nvy = vy * speedUp;
      x += (k * (vx + nvx)) / 2;
      y += (k * (vy + nvy)) / 2;
      vx = nvx;
      vy = nvy;
    }
    return obs;
  }

  it('estimateFrameSkip: the median of distance / mean speed over free-flight intervals', () => {
    expect(estimateFrameSkip(flight(3, [6, -8], 5))).toBe(3);
    expect(estimateFrameSkip(flight(2, [6, -8], 4))).toBe(2); // exactly 3 intervals
    expect(estimateFrameSkip(flight(2, [6, -8], 3))).toBe(4); // 2 intervals: the default
    expect(estimateFrameSkip([])).toBe(4);
    expect(estimateFrameSkip(flight(1, [-3, 4], 6))).toBe(1);
    expect(estimateFrameSkip(flight(7, [0, -4], 6))).toBe(7);
    // slow pucks (speed < 3) are not used
    expect(estimateFrameSkip(flight(2, [0, -2.9], 8))).toBe(4);
    expect(estimateFrameSkip(flight(2, [0, 3.5], 8))).toBe(2);
    expect(estimateFrameSkip(flight(2, [0, -3], 8))).toBe(2); // exactly 3 is fast enough
    // a speed change of 1 % per interval is free flight (mean speed used), 3 % is not
    expect(estimateFrameSkip(flight(5, [6, -8], 6, 1.01))).toBe(5);
    expect(estimateFrameSkip(flight(5, [6, -8], 6, 1.03))).toBe(4);
    expect(estimateFrameSkip(flight(5, [6, -8], 6, 0.97))).toBe(4);
    // clipped to [1, 16]
    expect(estimateFrameSkip(flight(40, [0, -4], 5))).toBe(16);
    expect(estimateFrameSkip(flight(0.3, [0, -4], 5))).toBe(1);
    // rounding: 2.4 → 2, 2.6 → 3
    expect(estimateFrameSkip(flight(2.4, [0, -4], 5))).toBe(2);
    expect(estimateFrameSkip(flight(2.6, [0, -4], 5))).toBe(3);
  });

  it('estimateFrameSkip takes the median, not the mean or an extreme', () => {
    const mk = (ks: number[]): Vec[] => {
      const obs: Vec[] = [];
      let y = 100;
      for (const k of [...ks, 0]) {
        obs.push([0, 0, 0, 0, 0, 0, 0, 0, 0, (400 - y) / 400, 0, -5 / 22]);
        y += 5 * k;
      }
      return obs;
    };
    expect(estimateFrameSkip(mk([2, 9, 3, 2, 16]))).toBe(3);
    expect(estimateFrameSkip(mk([5, 1, 5, 5]))).toBe(5); // sorted 1 5 5 5: index 2
    expect(estimateFrameSkip(mk([1, 1, 6, 6]))).toBe(6); // sorted 1 1 6 6: index 2 (upper middle)
    expect(estimateFrameSkip(mk([3, 1, 2]))).toBe(2);
  });
});

describe('eventStyleCounts', () => {
  it('counts shot events of the player by style and ignores the rest', () => {
    const ep = {
      events: [['hit0'], ['shot0:direct', 'wall'], [], ['shot1:bank', 'shot0:bank'], ['shot0:direct', 'goal0'], ['shot1:direct']],
    } as unknown as EpisodeRecord;
    expect(eventStyleCounts(ep, 0)).toEqual({ direct: 2, bank: 1 });
    expect(eventStyleCounts(ep, 1)).toEqual({ direct: 1, bank: 1 });
    expect(eventStyleCounts({ events: [] } as unknown as EpisodeRecord, 0)).toEqual({ direct: 0, bank: 0 });
  });
});
