/**
 * Where things go in an arena (split from renderer/arena.ts): the scene's scale and position —
 * one view, or reality and dream side by side / stacked in split mode — and where the on-canvas
 * legend goes, as a pure function of the canvas size, the text scale and the scene; and the
 * legend itself (a solid sample for reality, a dashed one for the dream).
 */
import type { Graphics, Text } from 'pixi.js';
import { dashedPolyline } from './arena-paint.ts';
import { DREAM_COLOR, REAL_TRAIL } from './palette.ts';

/** 'overlay': the dream drawn over reality; 'split': reality and dream side by side (or stacked). */
export type DreamLayout = 'overlay' | 'split';

/** Where the legend goes: 'top' (right of the title), 'bottom' (right of the HUD), 'own' (a line above the HUD). */
export type LegendPlace = 'top' | 'bottom' | 'own';

export interface LayoutInput {
  /** canvas size, CSS pixels */
  w: number;
  h: number;
  /** text scale */
  k: number;
  /** scene padding, CSS pixels */
  padding: number;
  showTitle: boolean;
  titleWidth: number;
  split: boolean;
  /** the scene's size in world units (null: nothing drawn yet) */
  scene: { width: number; height: number } | null;
}

interface Pos {
  x: number;
  y: number;
}

export interface ArenaPlacement {
  legendPlace: LegendPlace;
  /** the HUD line's top */
  hudY: number;
  /** the scene's views (null when there is no scene: the previous ones stay) */
  views: {
    scale: number;
    world: Pos;
    /** split mode only: the dream's view and the two views' labels */
    dream?: Pos;
    labels?: [Pos, Pos];
  } | null;
}

export function arenaLayout(i: LayoutInput): ArenaPlacement {
  const { w, h, k, split } = i;
  const line = Math.round(20 * k);
  // the legend goes right of the title, or right of the HUD, or (narrow arena) on its own line
  const legendW = 330 * k;
  const legendPlace: LegendPlace = !i.showTitle || i.titleWidth + legendW + 30 < w ? 'top' : w > 640 * k ? 'bottom' : 'own';
  const top = line + 4;
  const bottom = legendPlace === 'own' ? 2 * line : line;
  const out: ArenaPlacement = { legendPlace, hudY: h - line - 1, views: null };
  if (!i.scene) return out;
  const pad = i.padding;
  const availW = Math.max(1, w - 2 * pad);
  const availH = Math.max(1, h - 2 * pad - top - bottom);
  const S = i.scene;
  const labelH = split ? Math.round(18 * k) : 0;
  if (!split) {
    const scale = Math.min(availW / S.width, availH / S.height);
    const sw = S.width * scale;
    const sh = S.height * scale;
    out.views = { scale, world: { x: (w - sw) / 2, y: top + pad + (availH - sh) / 2 } };
    return out;
  }
  // two views of the scene: stacked or side by side, whichever shows it larger
  const stacked = Math.min(availW / S.width, (availH / 2 - labelH - pad / 2) / S.height);
  const beside = Math.min((availW - pad) / 2 / S.width, (availH - labelH) / S.height);
  const scale = Math.max(0.01, Math.max(stacked, beside));
  const sw = S.width * scale;
  const sh = S.height * scale;
  let world: Pos;
  let dream: Pos;
  if (stacked >= beside) {
    const gap = (availH - 2 * (sh + labelH)) / 3;
    const x = (w - sw) / 2;
    const y0 = top + pad + gap + labelH;
    const y1 = y0 + sh + gap + labelH;
    world = { x, y: y0 };
    dream = { x, y: y1 };
  } else {
    const gap = (availW - 2 * sw) / 3;
    const y = top + pad + labelH + (availH - labelH - sh) / 2;
    world = { x: pad + gap, y };
    dream = { x: pad + 2 * gap + sw, y };
  }
  out.views = { scale, world, dream, labels: [{ x: world.x, y: world.y - labelH }, { x: dream.x, y: dream.y - labelH }] };
  return out;
}

/**
 * The on-canvas key, right-aligned at `place`: a solid line for reality, then (when `dream` is
 * given) a dashed one for the dream. Positions the texts and paints the samples into `g`.
 */
export function paintLegend(g: Graphics, real: Text, dream: Text | null, place: LegendPlace, w: number, h: number, k: number): void {
  const sample = Math.round(26 * k);
  const gap = Math.round(8 * k);
  const items: [Text, boolean][] = [[real, false]];
  if (dream) items.push([dream, true]);
  let x = w - 10;
  const line = Math.round(20 * k);
  const y = place === 'top' ? 5 + line / 2 : h - line / 2 - 1 - (place === 'own' ? line : 0);
  for (const [t, dashed] of [...items].reverse()) {
    x -= t.width;
    t.position.set(x, y - t.height / 2);
    x -= gap + sample;
    if (dashed) {
      dashedPolyline(g, [{ x, y }, { x: x + sample, y }], 6 * k, 4 * k);
      g.stroke({ width: 2.5 * k, color: DREAM_COLOR });
    } else g.moveTo(x, y).lineTo(x + sample, y).stroke({ width: 4 * k, color: REAL_TRAIL.player0 });
    x -= 2 * gap;
  }
}
