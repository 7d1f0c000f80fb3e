/**
 * The real trails: the path each moving projectile or puck really took, recorded scene by scene
 * in play order. One set of rules for the app's arenas (renderer/arena-trails.ts paints them) and
 * the replay frames (lab/replay-frames.ts draws them as SVG). Pure: no DOM, no clock.
 *
 * - a trail ends (`done`) when its body leaves the scene, and at each new decision step
 *   (`landShots`: the previous flight has landed) except the puck's;
 * - a projectile that jumps more than 120 world units is a new shot reusing its body's id;
 * - a shot takes its shooter's colour (the left or right half of the field), the puck white;
 * - a puck keeps its last PUCK_TRAIL points; the list keeps its last 8 trails.
 */
import type { SceneView } from '../sim/types.ts';
import { REAL_TRAIL } from './palette.ts';

export interface Trail {
  id: string;
  color: number;
  pts: { x: number; y: number }[];
  /** the body is gone: the last point is where it came down */
  done: boolean;
}

/** longest puck trail kept (physics frames) */
export const PUCK_TRAIL = 150;
/** trails kept (the duel's last few shots; older ones drop out of the list) */
export const TRAILS_KEPT = 8;

/**
 * Follow the moving projectiles / puck of `scene` into `trails` (updated in place). `fieldWidth`
 * splits the field between the two shooters (default: the scene's width).
 */
export function recordTrails(trails: Trail[], scene: SceneView, fieldWidth = scene.width): void {
  const movers = scene.bodies.filter((b) => b.role === 'projectile' || b.role === 'puck');
  for (const t of trails) if (!t.done && !movers.some((b) => b.id === t.id)) t.done = true;
  const shooterColor = (x: number) => (x < fieldWidth / 2 ? REAL_TRAIL.player0 : REAL_TRAIL.player1);
  for (const b of movers) {
    let t = trails.find((x) => x.id === b.id && !x.done);
    if (!t) {
      t = { id: b.id, color: b.role === 'puck' ? REAL_TRAIL.puck : shooterColor(b.x), pts: [], done: false };
      trails.push(t);
    }
    let last: { x: number; y: number } | undefined = t.pts[t.pts.length - 1];
    if (last && b.role !== 'puck' && Math.hypot(last.x - b.x, last.y - b.y) > 120) {
      // a jump: a new shot reusing the body's id
      t.done = true;
      t = { id: b.id, color: shooterColor(b.x), pts: [], done: false };
      trails.push(t);
      last = undefined;
    }
    if (!last || Math.hypot(last.x - b.x, last.y - b.y) > 0.5) t.pts.push({ x: b.x, y: b.y });
    if (b.role === 'puck' && t.pts.length > PUCK_TRAIL) t.pts.splice(0, t.pts.length - PUCK_TRAIL);
  }
  if (trails.length > TRAILS_KEPT) trails.splice(0, trails.length - TRAILS_KEPT);
}

/** A decision step is a new shot: every flight but the puck's has landed. */
export function landShots(trails: Trail[]): void {
  for (const t of trails) if (t.id !== 'puck') t.done = true;
}
