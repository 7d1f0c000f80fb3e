/**
 * Compact transport of physics frames from the arena worker to the page: bodies that never move
 * in an episode (walls, ground, hill, and in the duel the tanks) are sent once, each frame carries
 * only the moving ones. A hockey episode shrinks from ~2 MB of SceneViews to a few hundred kB,
 * so the page never spends a frame deserialising. Pure: no DOM.
 */
import type { SceneBody, SceneView } from '../sim/types.ts';

export interface PackedFrame {
  bodies: SceneBody[];
  hud: SceneView['hud'];
}

export interface PackedFrames {
  width: number;
  height: number;
  /** bodies identical in every frame (drawn first, in their original order) */
  statics: SceneBody[];
  /** frames[t][k]: the moving bodies and HUD of physics frame k of decision step t */
  frames: PackedFrame[][];
  start: PackedFrame;
}

function key(b: SceneBody): string {
  return JSON.stringify(b);
}

/** Pack an episode's start scene and frames (frames[t] = physics frames of step t). */
export function packFrames(start: SceneView, frames: SceneView[][]): PackedFrames {
  const all = [start, ...frames.flat()];
  // a body is static when it has the same id and content in every frame
  const candidates = new Map(start.bodies.map((b) => [b.id, key(b)]));
  for (const f of all) {
    const seen = new Set<string>();
    for (const b of f.bodies) {
      seen.add(b.id);
      const k = candidates.get(b.id);
      if (k !== undefined && k !== key(b)) candidates.delete(b.id);
    }
    for (const id of [...candidates.keys()]) if (!seen.has(id)) candidates.delete(id);
  }
  // statics keep their draw order only while they lead the body list (walls before paddles)
  const statics: SceneBody[] = [];
  for (const b of start.bodies) {
    if (!candidates.has(b.id)) break;
    statics.push(b);
  }
  const staticIds = new Set(statics.map((b) => b.id));
  const pack = (v: SceneView): PackedFrame => ({ bodies: v.bodies.filter((b) => !staticIds.has(b.id)), hud: v.hud });
  return { width: start.width, height: start.height, statics, start: pack(start), frames: frames.map((step) => step.map(pack)) };
}

/** The SceneView of a packed frame. */
export function unpackFrame(p: PackedFrames, f: PackedFrame): SceneView {
  return { width: p.width, height: p.height, bodies: p.statics.concat(f.bodies), hud: f.hud };
}
