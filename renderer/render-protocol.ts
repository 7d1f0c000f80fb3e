/**
 * The messages between the page (renderer/arena.ts) and the render worker
 * (renderer/render-worker.ts), which draws the arenas with Pixi on OffscreenCanvases so that the
 * page's main thread never renders — nor, with WebGL in software, reads back — a WebGL canvas.
 * The page posts scenes, playback and settings; the worker answers with small status messages:
 * the data-* attributes of what it drew, the view's geometry, the end of a playback.
 */
import type { SceneView } from '../sim/types.ts';
import type { Aim, ArenaGeometry, ArenaOptions, DreamLayout, PlayOptions } from './arena-core.ts';
import type { ObsPoint } from '../sim/types.ts';

export interface RenderSize {
  width: number;
  height: number;
  resolution: number;
}

export type RenderCall =
  | { method: 'draw'; args: [SceneView] }
  | { method: 'setDream'; args: [ObsPoint[][] | null] }
  | { method: 'setAim'; args: [Aim | null] }
  | { method: 'clearTrails'; args: [] }
  | { method: 'setDreamLayout'; args: [DreamLayout] }
  | { method: 'setTextScale'; args: [number] }
  | { method: 'cancelPlayback'; args: [] };

export type RenderCommand =
  | ({ type: 'create'; id: number; canvas: OffscreenCanvas; software: boolean; preference: 'webgl' | 'canvas'; options: ArenaOptions; background: number } & RenderSize)
  | ({ type: 'resize'; id: number } & RenderSize)
  | ({ type: 'call'; id: number } & RenderCall)
  | { type: 'set'; id: number; key: 'title' | 'banner'; value: string }
  | { type: 'set'; id: number; key: 'paused'; value: boolean }
  | { type: 'play'; id: number; play: number; frames: SceneView[]; options: PlayOptions }
  | { type: 'destroy'; id: number };

export type RenderReply =
  | { type: 'created'; id: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'attrs'; id: number; attrs: Record<string, string> }
  | { type: 'layout'; id: number; geometry: ArenaGeometry }
  | { type: 'played'; id: number; play: number };
