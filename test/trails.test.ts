/**
 * lab/trails.ts, the real trails' rules shared by the app's arenas and the replay frames: a trail
 * per moving body in its shooter's colour, ended when the body leaves or a new decision step
 * starts (the puck's excepted), a jump of more than 120 units starting a new shot, the puck's
 * trail and the list both capped.
 */
import { describe, expect, it } from 'vitest';
import { REAL_TRAIL } from '../lab/palette.ts';
import { landShots, PUCK_TRAIL, recordTrails, TRAILS_KEPT, type Trail } from '../lab/trails.ts';
import type { SceneBody, SceneView } from '../sim/types.ts';

const ball = (id: string, x: number, y: number, role: SceneBody['role'] = 'projectile'): SceneBody => ({ id, role, shape: 'circle', x, y, angle: 0, radius: 3 });
const scene = (...bodies: SceneBody[]): SceneView => ({ width: 400, height: 200, bodies: [{ id: 'g', role: 'ground', shape: 'polygon', x: 0, y: 0, angle: 0 }, ...bodies], hud: {} });

describe('recordTrails', () => {
  it('follows a shot in its shooter’s colour and ends it when the body leaves the scene', () => {
    const trails: Trail[] = [];
    recordTrails(trails, scene(ball('p', 10, 100)));
    recordTrails(trails, scene(ball('p', 10.2, 100))); // under half a unit: no new point
    recordTrails(trails, scene(ball('p', 20, 90)));
    recordTrails(trails, scene(ball('q', 390, 90)));
    expect(trails).toEqual([
      { id: 'p', color: REAL_TRAIL.player0, pts: [{ x: 10, y: 100 }, { x: 20, y: 90 }], done: true },
      { id: 'q', color: REAL_TRAIL.player1, pts: [{ x: 390, y: 90 }], done: false },
    ]);
  });

  it('a jump of more than 120 units is a new shot with the same id; a field width splits the seats', () => {
    const trails: Trail[] = [];
    recordTrails(trails, scene(ball('p', 10, 100)), 1000);
    recordTrails(trails, scene(ball('p', 131, 100)), 1000);
    expect(trails.map((t) => [t.done, t.pts.length, t.color])).toEqual([
      [true, 1, REAL_TRAIL.player0],
      [false, 1, REAL_TRAIL.player0], // x 131 < 1000 / 2
    ]);
  });

  it('the puck is white, never jumps, keeps its last PUCK_TRAIL points and survives landShots', () => {
    const trails: Trail[] = [];
    for (let i = 0; i < PUCK_TRAIL + 5; i++) recordTrails(trails, scene(ball('puck', i * 200, 50, 'puck'), ball('s', 300, 20)));
    expect(trails).toHaveLength(2);
    const puck = trails[0];
    expect(puck.color).toBe(REAL_TRAIL.puck);
    expect(puck.pts).toHaveLength(PUCK_TRAIL);
    expect(puck.pts[0].x).toBe(5 * 200);
    landShots(trails);
    expect(trails.map((t) => t.done)).toEqual([false, true]);
  });

  it('keeps the last TRAILS_KEPT trails', () => {
    const trails: Trail[] = [];
    for (let i = 0; i < TRAILS_KEPT + 3; i++) recordTrails(trails, scene(ball(`s${i}`, 10, 10)));
    expect(trails.map((t) => t.id)).toEqual(Array.from({ length: TRAILS_KEPT }, (_, i) => `s${i + 3}`));
  });
});
