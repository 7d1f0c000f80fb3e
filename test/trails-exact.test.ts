/** lab/trails.ts at its boundaries: the half field, the 120-unit jump, the half-unit step, the puck-only cap. */
import { describe, expect, it } from 'vitest';
import { REAL_TRAIL } from '../lab/palette.ts';
import { PUCK_TRAIL, recordTrails, type Trail } from '../lab/trails.ts';
import type { SceneBody, SceneView } from '../sim/types.ts';

const ball = (id: string, x: number, y: number): SceneBody => ({ id, role: 'projectile', shape: 'circle', x, y, angle: 0, radius: 3 });
const scene = (...bodies: SceneBody[]): SceneView => ({ width: 400, height: 200, bodies, hud: {} });

describe('recordTrails boundaries', () => {
  it('a shot from exactly half the field is the right-hand shooter’s', () => {
    const trails: Trail[] = [];
    recordTrails(trails, scene(ball('p', 200, 50)));
    recordTrails(trails, scene(ball('p', 199.5, 50), ball('q', 199.75, 60)), 400);
    expect(trails.map((t) => [t.id, t.color])).toEqual([
      ['p', REAL_TRAIL.player1],
      ['q', REAL_TRAIL.player0],
    ]);
  });

  it('a move of exactly 120 units continues the shot; exactly half a unit adds no point', () => {
    const trails: Trail[] = [];
    recordTrails(trails, scene(ball('p', 10, 100)));
    recordTrails(trails, scene(ball('p', 130, 100))); // exactly 120: the same shot
    recordTrails(trails, scene(ball('p', 130.5, 100))); // exactly 0.5: no new point
    recordTrails(trails, scene(ball('p', 131.25, 100)));
    expect(trails).toEqual([{ id: 'p', color: REAL_TRAIL.player0, pts: [{ x: 10, y: 100 }, { x: 130, y: 100 }, { x: 131.25, y: 100 }], done: false }]);
  });

  it('only the puck’s trail is capped: a long shot keeps every point', () => {
    const trails: Trail[] = [];
    for (let i = 0; i < PUCK_TRAIL + 10; i++) recordTrails(trails, scene(ball('p', 10 + i, 100)), 10000);
    expect(trails).toHaveLength(1);
    expect(trails[0].pts).toHaveLength(PUCK_TRAIL + 10);
    expect(trails[0].pts[0]).toEqual({ x: 10, y: 100 });
  });
});
