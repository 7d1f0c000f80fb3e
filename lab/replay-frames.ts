/**
 * Replay frames: one arena episode (lab/showcase.ts) drawn frame by frame as standalone SVG
 * images, for the replay videos of `driftlab replay` and the app's "Export replay". Pure: no DOM,
 * no clock — the same episode gives the same SVG strings, so the same GIF / WebM bytes.
 *
 * The conventions are the app arenas' (renderer/arena.ts, lab/palette.ts, lab/trails.ts):
 * - reality ('real'): what physics did, SOLID — each shot's flight as a thick trail in its
 *   shooter's colour with a filled impact marker (a cross in a yellow disc) where it came down,
 *   the puck's path in white;
 * - the dream ('dream'): what the generation's world model imagines for the same start and the
 *   same actions, DASHED violet, with hollow rings (the dreamt shell, paddles and puck);
 * - an on-frame legend that names the line style shown, the lineage, generation and seed in the
 *   title, the HUD at the bottom, and the result at the end in a banner at the top (never over
 *   the arena's centre).
 */
import type { EpisodeRecord, ObsPoint, SceneBody, SceneView } from '../sim/types.ts';
import { formatHud } from './hud.ts';
import { ARENA_BACKGROUND, DREAM_COLOR, IMPACT_COLOR, REAL_TRAIL, ROLE_COLORS } from './palette.ts';
import { Rng } from '../sim/rng.ts';
import type { Policy } from '../agents/policy.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { policyActor } from './actors.ts';
import type { ScenarioEntry } from './scenarios.ts';
import { showcaseEpisode, type Showcase } from './showcase.ts';
import { landShots, recordTrails, type Trail } from './trails.ts';

/** One arena episode: the real game with its physics frames and the world model's dream of it. */
export interface ReplayEpisode {
  /** e.g. "grounded · generation 3 · seed 1" */
  title: string;
  episode: EpisodeRecord;
  /** the scene after reset */
  start: SceneView;
  /** frames[t]: physics frames of decision step t */
  frames: SceneView[][];
  /** the start observation's points */
  dreamStart: ObsPoint[];
  /** dream[t]: points of the observation the world model imagines after step t */
  dream: ObsPoint[][];
  /** who the world model believes won (-1: nobody) */
  dreamOutcome: { step: number | null; winner: -1 | 0 | 1 };
}

export type ReplayMode = 'real' | 'dream';

export interface ReplayOptions {
  mode: ReplayMode;
  /** at most this many frames, the held last one included (default 160); never fewer than 24 */
  maxFrames?: number;
}

export interface ReplayFrame {
  svg: string;
  /** how long the frame shows, ms (a multiple of 10: GIF delays are centiseconds) */
  durationMs: number;
}

export interface ReplayFrames {
  width: number;
  height: number;
  frames: ReplayFrame[];
}

/** frames of a replay at least (a short game is slowed down to this many) */
export const MIN_REPLAY_FRAMES = 24;
const DEFAULT_MAX_FRAMES = 160;
/** the last frame (the result) is held this long */
const HOLD_MS = 2000;
const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";
const PAD = 12;
const HEADER = 40;
const FOOTER = 32;

const hex = (c: number) => `#${c.toString(16).padStart(6, '0')}`;
const num = (v: number) => (Math.round(v * 10) / 10).toString();
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Pt {
  x: number;
  y: number;
}

/** Where the scene sits in the frame: pixel = offset + world × scale. */
interface Layout {
  width: number;
  height: number;
  scale: number;
  ox: number;
  oy: number;
}

function layoutFor(scene: SceneView): Layout {
  const scale = Math.min((800 - 2 * PAD) / scene.width, 560 / scene.height);
  const sw = scene.width * scale;
  const sh = scene.height * scale;
  const width = 2 * Math.ceil(Math.max(640, sw + 2 * PAD) / 2);
  const height = 2 * Math.ceil((HEADER + sh + FOOTER + PAD) / 2);
  return { width, height, scale, ox: (width - sw) / 2, oy: HEADER };
}

/** The timeline: every physics frame of the episode, as (step, index in the step). */
interface Tick {
  step: number;
  k: number;
  n: number;
}

/**
 * The SVG frames of a replay. Frames sample the physics frames evenly (trails follow every physics
 * frame); the last frame shows the result and is held for two seconds.
 */
export function replayFrames(ep: ReplayEpisode, opts: ReplayOptions): ReplayFrames {
  const L = layoutFor(ep.start);
  const ticks: Tick[] = [];
  ep.frames.forEach((fs, step) => fs.forEach((_, k) => ticks.push({ step, k, n: fs.length })));
  const total = ticks.length; // physics frames after the start scene
  const maxFrames = Math.max(MIN_REPLAY_FRAMES, Math.floor(opts.maxFrames ?? DEFAULT_MAX_FRAMES));
  const count = Math.max(MIN_REPLAY_FRAMES, Math.min(maxFrames, total + 1));
  // output frame i shows physics position round(i × total / (count − 1)) (0 = the start scene)
  const positions = Array.from({ length: count }, (_, i) => Math.round((i * total) / (count - 1)));
  const msPerFrame = Math.max(20, Math.min(100, 10 * Math.round(((total / (count - 1)) * (1000 / 60)) / 10)));
  const real = new RealTrails(ep.start);
  const frames: ReplayFrame[] = [];
  let done = 0; // physics frames folded into the trails
  positions.forEach((pos, i) => {
    while (done < pos) real.advance(ticks[done++], ep.frames);
    const last = i === count - 1;
    const scene = pos === 0 ? ep.start : ep.frames[ticks[pos - 1].step][ticks[pos - 1].k];
    const svg = opts.mode === 'real' ? realFrame(ep, L, scene, real, last) : dreamFrame(ep, L, scene, pos === 0 ? null : ticks[pos - 1], last);
    frames.push({ svg, durationMs: last ? HOLD_MS : msPerFrame });
  });
  return { width: L.width, height: L.height, frames };
}

/** The real trails, fed every physics frame in order (the arenas' rules: lab/trails.ts). */
class RealTrails {
  trails: Trail[] = [];
  private lastStep = -1;

  constructor(private readonly start: SceneView) {}

  advance(tick: Tick, frames: SceneView[][]): void {
    if (tick.step !== this.lastStep) {
      // a decision step is a new shot: the previous flight has landed
      landShots(this.trails);
      this.lastStep = tick.step;
    }
    recordTrails(this.trails, frames[tick.step][tick.k], this.start.width);
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing

const STATIC_ROLES = new Set<SceneBody['role']>(['ground', 'hill', 'wall', 'goal']);

function px(L: Layout, p: Pt): Pt {
  return { x: L.ox + p.x * L.scale, y: L.oy + p.y * L.scale };
}

function pathOf(L: Layout, pts: Pt[]): string {
  return pts.map((p, i) => `${i ? 'L' : 'M'}${num(L.ox + p.x * L.scale)} ${num(L.oy + p.y * L.scale)}`).join(' ');
}

function body(L: Layout, b: SceneBody, ghost = false): string {
  const color = hex(ROLE_COLORS[b.role] ?? 0xffffff);
  if (b.shape === 'circle') {
    const min = b.role === 'projectile' ? 6 : b.role === 'marker' ? 5 : b.role === 'puck' ? 7 : 1.5;
    const r = Math.max((b.radius ?? 4) * L.scale, min);
    const c = px(L, b);
    if (ghost) return `<circle cx="${num(c.x)}" cy="${num(c.y)}" r="${num(r)}" fill="none" stroke="${color}" stroke-width="1.5" stroke-opacity="0.45"/>`;
    let s = `<circle cx="${num(c.x)}" cy="${num(c.y)}" r="${num(r)}" fill="${color}"/>`;
    if (b.role !== 'projectile') s += `<path d="M${num(c.x)} ${num(c.y)} L${num(c.x + Math.cos(b.angle) * r)} ${num(c.y + Math.sin(b.angle) * r)}" stroke="#10131a" stroke-opacity="0.6" stroke-width="1.5"/>`;
    return s;
  }
  if (!b.vertices || b.vertices.length < 3) return '';
  const pts = b.vertices.map((v) => px(L, v)).map((p) => `${num(p.x)},${num(p.y)}`).join(' ');
  const outline = b.role === 'player0' || b.role === 'player1' || b.role === 'goal';
  return `<polygon points="${pts}" fill="${color}" fill-opacity="${b.role === 'marker' ? 0.5 : 1}"${outline ? ' stroke="#ffffff" stroke-opacity="0.35" stroke-width="1.5"' : ''}/>`;
}

function floor(L: Layout, scene: SceneView): string {
  const w = scene.width * L.scale;
  const h = scene.height * L.scale;
  return `<rect x="${num(L.ox)}" y="${num(L.oy)}" width="${num(w)}" height="${num(h)}" fill="#1c2230" stroke="#2c3446" stroke-width="1"/>`;
}

function text(x: number, y: number, s: string, size: number, fill: string, extra = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" font-family="${FONT}" font-size="${size}" fill="${fill}"${extra}>${esc(s)}</text>`;
}

/** Generous text width (DejaVu Sans averages ~0.6 em per character, its bold ~0.7). */
const textWidth = (s: string, size: number, bold = false) => s.length * size * (bold ? 0.72 : 0.62);

/**
 * The key (top right). Reality: solid lines in the trails' colours (the duel's two shooters, the
 * puck's white) and, in the duel, the impact marker; the dream: a dashed violet line.
 */
function legend(L: Layout, mode: ReplayMode, duel: boolean): string {
  const y = 22;
  const size = 14;
  const seg = (x: number, w: number, color: number) => `<path d="M${num(x)} ${y - 5} L${num(x + w)} ${y - 5}" stroke="${hex(color)}" stroke-width="4" stroke-linecap="round"/>`;
  if (mode === 'dream') {
    const label = 'dream (world model)';
    const x1 = L.width - PAD - textWidth(label, size, true);
    const x0 = x1 - 40;
    return `<path d="M${num(x0)} ${y - 5} L${num(x0 + 30)} ${y - 5}" stroke="${hex(DREAM_COLOR)}" stroke-width="2.5" stroke-dasharray="7 5"/>` + text(x1, y, label, size, hex(DREAM_COLOR), ' font-weight="bold"');
  }
  let s = '';
  let x = L.width - PAD;
  if (duel) {
    const landed = 'landed';
    x -= textWidth(landed, size);
    s += text(x, y, landed, size, '#e6e9ef');
    x -= 14;
    const d = 8 * 0.6;
    s += `<circle cx="${num(x)}" cy="${y - 5}" r="8" fill="${hex(IMPACT_COLOR)}"/><path d="M${num(x - d)} ${num(y - 5 - d)} L${num(x + d)} ${num(y - 5 + d)} M${num(x + d)} ${num(y - 5 - d)} L${num(x - d)} ${num(y - 5 + d)}" stroke="#10131a" stroke-width="2"/>`;
    x -= 24;
  }
  const label = 'real (physics)';
  x -= textWidth(label, size, true);
  s += text(x, y, label, size, '#e6e9ef', ' font-weight="bold"');
  x -= 10;
  if (duel) s += seg(x - 14, 12, REAL_TRAIL.player1) + seg(x - 32, 12, REAL_TRAIL.player0);
  else s += seg(x - 30, 28, REAL_TRAIL.puck);
  return s;
}

function header(L: Layout, ep: ReplayEpisode, mode: ReplayMode): string {
  const kind = mode === 'real' ? 'REALITY' : 'DREAM';
  const fill = mode === 'real' ? '#e6e9ef' : hex(DREAM_COLOR);
  return text(PAD, 24, kind, 16, fill, ' font-weight="bold" letter-spacing="1"') + text(PAD + textWidth(kind, 16, true) + kind.length + 14, 24, ep.title, 14, '#aab3c5') + legend(L, mode, ep.episode.scenario === 'duel');
}

function footer(L: Layout, s: string): string {
  return text(PAD, L.height - 11, s, 13, '#aab3c5');
}

/** A message at the top of the scene (the duel's sky, the far end of the table). */
function banner(L: Layout, s: string, color = '#ffffff'): string {
  const size = 20;
  const w = s.length * size * 0.62 + 28;
  const x = L.width / 2 - w / 2;
  const y = L.oy + 10;
  return (
    `<rect x="${num(x)}" y="${y}" width="${num(w)}" height="${size + 14}" rx="8" fill="#0b0e13" fill-opacity="0.8" stroke="#5f6a80" stroke-width="1"/>` +
    text(L.width / 2, y + size + 2, s, size, color, ' font-weight="bold" text-anchor="middle"')
  );
}

function svgOpen(L: Layout): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}"><rect width="${L.width}" height="${L.height}" fill="${hex(ARENA_BACKGROUND)}"/>`;
}

const sideWords = (w: number) => (w === 0 ? 'blue wins' : w === 1 ? 'red wins' : 'draw');

function realFrame(ep: ReplayEpisode, L: Layout, scene: SceneView, real: RealTrails, last: boolean): string {
  let s = svgOpen(L) + header(L, ep, 'real');
  s += `<clipPath id="arena"><rect x="${num(L.ox)}" y="${num(L.oy)}" width="${num(ep.start.width * L.scale)}" height="${num(ep.start.height * L.scale)}"/></clipPath>`;
  s += floor(L, scene);
  for (const b of scene.bodies) if (STATIC_ROLES.has(b.role)) s += body(L, b);
  s += '<g clip-path="url(#arena)">';
  const n = real.trails.length;
  real.trails.forEach((t, i) => {
    const alpha = i >= n - 2 ? 1 : 0.5;
    if (t.pts.length >= 2) s += `<path d="${pathOf(L, t.pts)}" fill="none" stroke="${hex(t.color)}" stroke-opacity="${alpha}" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>`;
    // the game is over in the last frame: the last shot has come down too
    if ((t.done || last) && t.id !== 'puck' && t.pts.length) {
      const p = px(L, t.pts[t.pts.length - 1]);
      const r = 8;
      const d = r * 0.6;
      s += `<g opacity="${alpha}"><circle cx="${num(p.x)}" cy="${num(p.y)}" r="${r}" fill="${hex(IMPACT_COLOR)}"/><path d="M${num(p.x - d)} ${num(p.y - d)} L${num(p.x + d)} ${num(p.y + d)} M${num(p.x + d)} ${num(p.y - d)} L${num(p.x - d)} ${num(p.y + d)}" stroke="#10131a" stroke-width="2"/></g>`;
    }
  });
  s += '</g>';
  for (const b of scene.bodies) if (!STATIC_ROLES.has(b.role)) s += body(L, b);
  let hud = scene.hud;
  if (last && 'maxShots' in hud) {
    const w = ep.episode.winner;
    hud = { ...hud, shots: ep.episode.actions.length, winner: w === 0 || w === 1 ? w : 'draw' };
  }
  s += footer(L, formatHud(hud));
  if (last) s += banner(L, sideWords(ep.episode.winner));
  return s + '</svg>';
}

/** A point between a and b (t in 0..1). */
const lerp = (a: Pt, b: Pt, t: number): Pt => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });

/** Points of a ballistic-looking arc from a to b (apex a third of the span above the higher end), as in the arenas. */
function flightArc(a: Pt, b: Pt, upTo = 1, n = 24): Pt[] {
  const apexY = Math.min(a.y, b.y) - Math.abs(b.x - a.x) / 3;
  const cx = (a.x + b.x) / 2;
  const cy = 2 * apexY - (a.y + b.y) / 2;
  const m = Math.max(1, Math.round(n * upTo));
  return Array.from({ length: m + 1 }, (_, i) => {
    const t = (i / m) * upTo;
    return { x: (1 - t) ** 2 * a.x + 2 * (1 - t) * t * cx + t * t * b.x, y: (1 - t) ** 2 * a.y + 2 * (1 - t) * t * cy + t * t * b.y };
  });
}

const DREAM_TRACK = 40;

function dreamFrame(ep: ReplayEpisode, L: Layout, scene: SceneView, tick: Tick | null, last: boolean): string {
  const violet = hex(DREAM_COLOR);
  const W = ep.start.width;
  const H = ep.start.height;
  const inside = (p: ObsPoint): ObsPoint => ({ ...p, x: Math.max(0, Math.min(W, p.x)), y: Math.max(0, Math.min(H, p.y)) });
  // the dream's steps shown so far: the start, the finished steps, and the step under way
  const step = tick ? tick.step : -1;
  const progress = tick ? (tick.k + 1) / tick.n : 1;
  const steps: ObsPoint[][] = [ep.dreamStart, ...ep.dream.slice(0, Math.max(0, step))].map((ps) => ps.map(inside));
  const current = step >= 0 && step < ep.dream.length ? ep.dream[step].map(inside) : null;
  let s = svgOpen(L) + header(L, ep, 'dream');
  s += floor(L, ep.start);
  // the real table / ground and hill as the game started: the stage the dream plays on, dimmed
  s += '<g opacity="0.55">';
  for (const b of ep.start.bodies) if (STATIC_ROLES.has(b.role) || b.role === 'player0' || b.role === 'player1') s += body(L, b);
  s += '</g>';
  const dashed = (pts: Pt[], width = 2.5, opacity = 0.9) =>
    pts.length >= 2 ? `<path d="${pathOf(L, pts)}" fill="none" stroke="${violet}" stroke-opacity="${opacity}" stroke-width="${width}" stroke-dasharray="10 7" stroke-linecap="round"/>` : '';
  const ring = (p: Pt, r: number, opacity = 0.95, width = 2.5) => {
    const c = px(L, p);
    return `<circle cx="${num(c.x)}" cy="${num(c.y)}" r="${num(r)}" fill="none" stroke="${violet}" stroke-opacity="${opacity}" stroke-width="${width}"/>`;
  };
  // imagined flights: a dashed arc for each new landing the model dreamt (the one under way grows)
  // (a landing counts at a step only when its shooter — left seat 0, right seat 1 — fired then:
  // the model re-imagines every landing at every step, and its wobble is not a new shot)
  const lastLanding = new Map<string, string>();
  const arcs: { from: Pt; to: Pt; upTo: number }[] = [];
  const flights = (ps: ObsPoint[], upTo: number, t: number) => {
    const active = t >= 0 ? ep.episode.active[t] : undefined;
    for (const p of ps) {
      if (!p.from) continue;
      if (active && !active[p.from.x < W / 2 ? 0 : 1]) continue;
      const key = `${p.x.toFixed(3)},${p.y.toFixed(3)}`;
      if (lastLanding.get(p.label) === key) continue;
      lastLanding.set(p.label, key);
      arcs.push({ from: p.from, to: p, upTo });
    }
  };
  steps.forEach((ps, i) => flights(ps, 1, i - 1));
  if (current) flights(current, progress, step);
  // the newest two in full colour, the six before them faint (as the arenas keep 8 real trails)
  arcs.slice(-8).forEach((a, i, shown) => {
    const newest = i >= shown.length - 2;
    const pts = flightArc(a.from, a.to, a.upTo);
    s += dashed(pts, 2.5, newest ? 0.95 : 0.4);
    const head = pts[pts.length - 1];
    // a hollow ring: the dreamt shell in flight, or where the dream says it came down
    s += ring(head, a.upTo < 1 ? 6 : 8, newest ? 0.95 : 0.4);
  });
  // moving points (paddles, puck): dashed tracks that grow step by step, hollow bodies at the head
  const radius = (label: string) => {
    const b = ep.start.bodies.find((x) => x.id === label || x.role === label);
    return b?.shape === 'circle' ? Math.max((b.radius ?? 6) * L.scale, 7) : 0;
  };
  const labels = [...new Set(steps.flatMap((ps) => ps.filter((p) => !p.from).map((p) => p.label)))];
  for (const label of labels) {
    const r = radius(label);
    if (r === 0) continue; // tanks and hill: drawn with the stage
    const track = steps.map((ps) => ps.find((p) => p.label === label)).filter((p): p is ObsPoint => !!p);
    const prev = track[track.length - 1];
    const next = current?.find((p) => p.label === label);
    if (prev && next) track.push({ ...next, ...lerp(prev, next, progress) });
    const shown = track.slice(-DREAM_TRACK);
    s += dashed(shown, label === 'puck' ? 3 : 2, label === 'puck' ? 0.95 : 0.6);
    const head = shown[shown.length - 1];
    if (head) s += ring(head, r, 0.95, 3);
  }
  const stepWords = `dreamt step ${Math.max(0, step + 1)} of ${ep.dream.length}`;
  // the wind is the real game's (the scene's HUD); the dream knows it only through the observation
  const w = scene.hud.wind;
  const wind = typeof w === 'number' ? `  ·  wind (real) ${w > 0 ? '→' : w < 0 ? '←' : ''} ${Math.abs(w).toFixed(2)}` : '';
  s += footer(L, `${stepWords}  ·  the same start and moves as the real game${wind}`);
  if (last) {
    const w = ep.dreamOutcome.winner;
    const believed = w === -1 ? 'nobody wins' : sideWords(w);
    s += banner(L, `its dream: ${believed} · really: ${sideWords(ep.episode.winner)}`, violet);
  }
  return s + '</svg>';
}

// ---------------------------------------------------------------------------------------------
// The episode a replay shows

/** The reset seed of the first episode the app's arenas play (renderer/deck.ts: 7001 + k). */
export const ARENA_EPISODE_SEED = 7001;

/**
 * Episode k of `lineage`'s generation `generation` as the app's arena plays it against the same
 * generation (renderer/deck.ts + renderer/arena-worker.ts): the policy in seat 0, the same policy
 * as the opponent in seat 1, reset seed 7001 + k, the same random stream — so
 * `driftlab replay` shows the very game the app shows first.
 */
export function arenaShowcase(entry: ScenarioEntry, params: Record<string, number>, policy: Policy, world: WorldModel, lineage: string, generation: number, k = 0): Showcase {
  const seed = ARENA_EPISODE_SEED + k;
  const opponent = policyActor('opponent', policy, entry.def.actionSpace.size, 1);
  return showcaseEpisode(entry, params, policy, world, opponent, seed, new Rng(seed, 'showcase', lineage, generation, k));
}
