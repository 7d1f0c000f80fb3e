/**
 * What an arena paints into its Pixi Graphics, as plain functions of the data (split from
 * renderer/arena.ts, which owns the Graphics and decides when to call these): the floor and the
 * bodies of a SceneView, the real trails (lab/trails.ts records them) as solid lines with a filled
 * impact disc, the dream — a model's imagined trajectory as ObsPoints — as dashed ghost tracks and
 * flight arcs with hollow ends, and human play's aim arrow.
 *
 * `px` is one screen pixel in world units (1 / the arena's scale): line widths and the minimum
 * sizes of small bodies are given in screen pixels so they stay readable at any zoom.
 */
import type { Graphics } from 'pixi.js';
import type { ObsPoint, SceneBody, SceneView } from '../sim/types.ts';
import type { Trail } from '../lab/trails.ts';
import { DREAM_COLORS, DREAM_DEFAULT, IMPACT_COLOR, ROLE_COLORS } from './palette.ts';

/** Human play's aim marker: an arrow from (x, y) in world units. */
export interface Aim {
  x: number;
  y: number;
  /** direction in degrees, counter-clockwise from +x (screen up is positive) */
  angleDeg: number;
  /** arrow length in world units */
  length: number;
  color?: number;
}

/** Roles of bodies that never move within an episode (the duel's tanks do not move either, but they are few). */
export const STATIC_ROLES = new Set<SceneBody['role']>(['ground', 'hill', 'wall', 'goal']);

/** The arena floor and the bodies that do not move (the caller clears `g` and caches the result). */
export function paintStatics(g: Graphics, scene: SceneView, fixed: SceneBody[], px: number): void {
  g.rect(0, 0, scene.width, scene.height).fill({ color: 0x1c2230 });
  g.rect(0, 0, scene.width, scene.height).stroke({ width: px, color: 0x2c3446 });
  for (const b of fixed) drawBody(g, b, px);
}

export function drawBody(g: Graphics, b: SceneBody, px: number): void {
  const color = ROLE_COLORS[b.role] ?? 0xffffff;
  if (b.shape === 'circle') {
    // small moving bodies get a readable minimum size on screen
    const min = b.role === 'projectile' ? 6 * px : b.role === 'marker' ? 5 * px : b.role === 'puck' ? 7 * px : 1.5 * px;
    const r = Math.max(b.radius ?? 4, min);
    g.circle(b.x, b.y, r).fill({ color });
    // a spoke shows rotation
    if (b.role !== 'projectile') {
      g.moveTo(b.x, b.y).lineTo(b.x + Math.cos(b.angle) * r, b.y + Math.sin(b.angle) * r).stroke({ width: 1.5 * px, color: 0x10131a, alpha: 0.6 });
    }
  } else if (b.vertices && b.vertices.length >= 3) {
    const pts = b.vertices.flatMap((v) => [v.x, v.y]);
    g.poly(pts, true).fill({ color, alpha: b.role === 'marker' ? 0.5 : 1 });
    if (b.role === 'player0' || b.role === 'player1' || b.role === 'goal') g.poly(pts, true).stroke({ width: 1.5 * px, color: 0xffffff, alpha: 0.35 });
  }
}

/** The real trails into `g` (cleared by the caller), clipped by `mask` to the scene's rectangle; the newest two in full colour. */
export function paintTrails(g: Graphics, mask: Graphics, trails: Trail[], scene: SceneView, px: number): void {
  mask.clear().rect(0, 0, scene.width, scene.height).fill({ color: 0xffffff });
  const n = trails.length;
  trails.forEach((t, i) => {
    if (t.pts.length < 2 && !t.done) return;
    const alpha = i >= n - 2 ? 1 : 0.5; // the newest shots in full colour
    if (t.pts.length >= 2) {
      g.moveTo(t.pts[0].x, t.pts[0].y);
      for (const p of t.pts.slice(1)) g.lineTo(p.x, p.y);
      g.stroke({ width: 4 * px, color: t.color, alpha, cap: 'round', join: 'round' });
    }
    if (t.done && t.id !== 'puck' && t.pts.length) {
      // impact: a filled disc with a dark cross where the shot came down
      const p = t.pts[t.pts.length - 1];
      const r = 8 * px;
      g.circle(p.x, p.y, r).fill({ color: IMPACT_COLOR, alpha });
      g.moveTo(p.x - r * 0.6, p.y - r * 0.6).lineTo(p.x + r * 0.6, p.y + r * 0.6).moveTo(p.x + r * 0.6, p.y - r * 0.6).lineTo(p.x - r * 0.6, p.y + r * 0.6);
      g.stroke({ width: 2 * px, color: 0x10131a, alpha });
    }
  });
}

/** Human play's aim: a shaft, a two-stroke head and a dot at the origin. */
export function paintAim(g: Graphics, a: Aim, px: number): void {
  const color = a.color ?? 0xffe066;
  const rad = (a.angleDeg * Math.PI) / 180;
  const ex = a.x + Math.cos(rad) * a.length;
  const ey = a.y - Math.sin(rad) * a.length;
  g.moveTo(a.x, a.y).lineTo(ex, ey).stroke({ width: 3 * px, color, alpha: 0.95 });
  const head = 12 * px;
  for (const side of [-1, 1]) {
    const hr = rad + Math.PI + side * 0.45;
    g.moveTo(ex, ey).lineTo(ex + Math.cos(hr) * head, ey - Math.sin(hr) * head).stroke({ width: 3 * px, color, alpha: 0.95 });
  }
  g.circle(a.x, a.y, 4 * px).fill({ color, alpha: 0.95 });
}

/**
 * The dream: `steps[t]` are the ObsPoints of the imagined observation at step t; each label
 * becomes one dashed ghost polyline with a dot per step and a hollow ring where it ends, and each
 * new imagined landing (a point with `from`) a dashed flight arc. `scene` bounds the points.
 */
export function paintDream(g: Graphics, steps: ObsPoint[][], scene: SceneView | null, px: number): void {
  // dreamt points can lie beyond the arena (a wild imagined miss): draw them at its edge
  const W = scene?.width ?? Infinity;
  const H = scene?.height ?? Infinity;
  const inside = (p: ObsPoint): ObsPoint => ({ ...p, x: Math.max(0, Math.min(W, p.x)), y: Math.max(0, Math.min(H, p.y)) });
  const tracks = new Map<string, { x: number; y: number }[]>();
  for (const raw of steps) {
    for (const p of raw.map(inside)) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      let t = tracks.get(p.label);
      if (!t) tracks.set(p.label, (t = []));
      t.push({ x: p.x, y: p.y });
    }
  }
  // imagined flights (points with `from`): a dashed ghost arc for each new landing the model dreamt
  const lastLanding = new Map<string, string>();
  for (const raw of steps) {
    for (const p of raw.map(inside)) {
      if (!p.from || !Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      const key = `${p.x.toFixed(3)},${p.y.toFixed(3)}`;
      if (lastLanding.get(p.label) === key) continue;
      lastLanding.set(p.label, key);
      const color = DREAM_COLORS[p.label] ?? DREAM_DEFAULT;
      dashedPolyline(g, flightArc(p.from, p), 10 * px, 7 * px);
      g.stroke({ width: 2.5 * px, color, alpha: 0.85 });
    }
  }
  for (const [label, track] of tracks) {
    const color = DREAM_COLORS[label] ?? DREAM_DEFAULT;
    dashedPolyline(g, track, 10 * px, 7 * px);
    g.stroke({ width: 2.5 * px, color, alpha: 0.85 });
    // a faint dot per dreamt step, so points that jump (a predicted landing) stay visible
    for (const p of track.slice(0, -1)) g.circle(p.x, p.y, 2.5 * px).fill({ color, alpha: 0.45 });
    // a hollow ring where the dream ends (real impacts are filled: the dream's are hollow)
    const last = track[track.length - 1];
    g.circle(last.x, last.y, 8 * px).stroke({ width: 2.5 * px, color, alpha: 0.95 });
  }
}

/** Points of a ballistic-looking arc from `a` to `b` (apex a third of the span above the higher end). */
function flightArc(a: { x: number; y: number }, b: { x: number; y: number }, n = 24): { x: number; y: number }[] {
  const apexY = Math.min(a.y, b.y) - Math.abs(b.x - a.x) / 3;
  const cx = (a.x + b.x) / 2;
  const cy = 2 * apexY - (a.y + b.y) / 2;
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = i / n;
    return { x: (1 - t) ** 2 * a.x + 2 * (1 - t) * t * cx + t * t * b.x, y: (1 - t) ** 2 * a.y + 2 * (1 - t) * t * cy + t * t * b.y };
  });
}

/** moveTo/lineTo segments of a dashed polyline; the caller strokes. */
export function dashedPolyline(g: Graphics, pts: { x: number; y: number }[], dash: number, gap: number): void {
  if (pts.length === 1) {
    g.circle(pts[0].x, pts[0].y, dash / 3);
    return;
  }
  let on = true;
  let left = dash;
  for (let i = 1; i < pts.length; i++) {
    let ax = pts[i - 1].x;
    let ay = pts[i - 1].y;
    const bx = pts[i].x;
    const by = pts[i].y;
    let seg = Math.hypot(bx - ax, by - ay);
    while (seg > 1e-9) {
      const step = Math.min(left, seg);
      const t = step / seg;
      const nx = ax + (bx - ax) * t;
      const ny = ay + (by - ay) * t;
      if (on) g.moveTo(ax, ay).lineTo(nx, ny);
      ax = nx;
      ay = ny;
      seg -= step;
      left -= step;
      if (left <= 1e-9) {
        on = !on;
        left = on ? dash : gap;
      }
    }
  }
}
