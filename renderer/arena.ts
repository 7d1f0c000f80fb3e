/**
 * A Pixi v8 arena: draws a SceneView (sim/types.ts) scaled to fit its element, can play the
 * physics frames of a step (`info.frames`), and draws a "dream" — a model's imagined trajectory
 * as ObsPoints — as a dashed, semi-transparent ghost over the real scene, and an aim marker for
 * human play.
 *
 * Rendering is on demand: all arenas share one requestAnimationFrame loop that advances playback
 * and renders an arena only when something in it changed, so idle arenas cost nothing.
 */
// Pixi generates shader sync code with `new Function` unless this is imported; the app's CSP has
// no 'unsafe-eval', so the CSP-safe implementations are required.
import 'pixi.js/unsafe-eval';
import { Application, Container, Graphics, Text } from 'pixi.js';
import type { ObsPoint, SceneBody, SceneView } from '../sim/types.ts';
import { ARENA_BACKGROUND, DREAM_COLORS, DREAM_DEFAULT, ROLE_COLORS } from './palette.ts';

export { ARENA_BACKGROUND, ROLE_COLORS };

export interface ArenaOptions {
  /** shown top-left, e.g. "grounded · g3" */
  title: string;
  /** scene padding in CSS pixels */
  padding?: number;
}

export interface PlayOptions {
  /** frames per second of playback (physics frames are 60 per simulated second) */
  fps?: number;
}

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

interface Playback {
  frames: SceneView[];
  index: number;
  acc: number;
  fps: number;
  resolve: () => void;
}

export class Arena {
  readonly app: Application;
  readonly host: HTMLElement;
  private readonly world = new Container();
  /** the floor and bodies that do not move (ground, hill, walls, goals): redrawn only when they change */
  private readonly statics = new Graphics();
  private lastStatics: SceneBody[] = [];
  private staticKey = '';
  private readonly bodies = new Graphics();
  private readonly dream = new Graphics();
  private readonly aimG = new Graphics();
  private aim: Aim | null = null;
  private dirty = true;
  private readonly overlay = new Container();
  private readonly titleText: Text;
  private readonly hudText: Text;
  private readonly bannerText: Text;
  private scene: SceneView | null = null;
  private dreamPoints: ObsPoint[][] | null = null;
  private playback: Playback | null = null;
  private readonly padding: number;
  private readonly resizeObserver: ResizeObserver;
  private scale = 1;
  private textScale = 1;
  /** freezes playback (the scene stays drawn) */
  paused = false;
  /** how many scenes were drawn (observable by tests through data-scenes-drawn) */
  scenesDrawn = 0;

  private constructor(host: HTMLElement, app: Application, options: ArenaOptions) {
    this.host = host;
    this.app = app;
    this.padding = options.padding ?? 10;
    const label = { fontFamily: 'system-ui, sans-serif', fill: 0xe6e9ef };
    this.titleText = new Text({ text: options.title, style: { ...label, fontSize: 16, fontWeight: '600' } });
    this.hudText = new Text({ text: '', style: { ...label, fontSize: 13, fill: 0xaab3c5 } });
    this.bannerText = new Text({ text: '', style: { ...label, fontSize: 28, fontWeight: '700', fill: 0xffffff } });
    this.bannerText.anchor.set(0.5);
    this.world.addChild(this.statics, this.bodies, this.dream, this.aimG);
    this.overlay.addChild(this.titleText, this.hudText, this.bannerText);
    app.stage.addChild(this.world, this.overlay);
    app.renderer.on('resize', () => this.layout());
    // Pixi's resizeTo follows window resizes only; follow the element itself (layout changes,
    // presenter mode) too
    this.resizeObserver = new ResizeObserver(() => app.resize());
    this.resizeObserver.observe(host);
    this.layout();
    live.add(this);
    startLoop();
  }

  /** Create an arena filling `host` (its size follows the element). */
  static async create(host: HTMLElement, options: ArenaOptions): Promise<Arena> {
    const app = new Application();
    await app.init({
      preference: 'webgl',
      background: ARENA_BACKGROUND,
      // multisampling is cheap on a GPU and costly in software rendering (SwiftShader, llvmpipe)
      antialias: !softwareRendering(),
      resizeTo: host,
      autoDensity: true,
      resolution: Math.min(2, globalThis.devicePixelRatio || 1),
      // rendered on demand by the shared loop below
      autoStart: false,
    });
    app.canvas.classList.add('arena-canvas');
    app.canvas.setAttribute('role', 'img');
    app.canvas.setAttribute('aria-label', options.title);
    host.appendChild(app.canvas);
    return new Arena(host, app, options);
  }

  set title(t: string) {
    if (this.titleText.text === t) return;
    this.titleText.text = t;
    this.app.canvas.setAttribute('aria-label', t);
    this.dirty = true;
  }

  /** A large centred message over the scene ('' hides it). */
  set banner(t: string) {
    if (this.bannerText.text === t) return;
    this.bannerText.text = t;
    this.host.dataset.banner = t;
    this.dirty = true;
  }

  get banner(): string {
    return this.bannerText.text;
  }

  /** Enlarge the in-canvas title, HUD and banner (presenter mode uses 1.6). */
  setTextScale(k: number): void {
    this.textScale = k;
    this.dirty = true;
    this.titleText.style.fontSize = Math.round(16 * k);
    this.hudText.style.fontSize = Math.round(13 * k);
    this.bannerText.style.fontSize = Math.round(28 * k);
    this.layout();
  }

  get current(): SceneView | null {
    return this.scene;
  }

  get playing(): boolean {
    return this.playback !== null;
  }

  /** Draw one scene now (cancels nothing: a running playback will draw over it). */
  draw(scene: SceneView): void {
    const sizeChanged = !this.scene || this.scene.width !== scene.width || this.scene.height !== scene.height;
    this.scene = scene;
    if (sizeChanged) this.layout();
    else this.redraw();
  }

  /** Play physics frames in order; resolves when the last one is drawn (or playback is cancelled). */
  play(frames: SceneView[], options: PlayOptions = {}): Promise<void> {
    this.cancelPlayback();
    if (frames.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.playback = { frames, index: 0, acc: 0, fps: options.fps ?? 60, resolve };
      this.draw(frames[0]);
    });
  }

  cancelPlayback(): void {
    const p = this.playback;
    this.playback = null;
    p?.resolve();
  }

  /**
   * The dream overlay: `steps[t]` are the ObsPoints (def.observationPoints) of the imagined
   * observation at step t; each label becomes one dashed ghost polyline. null clears it.
   */
  setDream(steps: ObsPoint[][] | null): void {
    this.dreamPoints = steps && steps.length ? steps : null;
    this.drawDream();
  }

  /** Human play's aim arrow (null hides it). */
  setAim(aim: Aim | null): void {
    this.aim = aim;
    this.drawAim();
  }

  /** A point on the page (client pixels) in world units of the scene. */
  toWorld(clientX: number, clientY: number): { x: number; y: number } {
    const r = this.app.canvas.getBoundingClientRect();
    const sx = ((clientX - r.left) / Math.max(1, r.width)) * this.app.screen.width;
    const sy = ((clientY - r.top) / Math.max(1, r.height)) * this.app.screen.height;
    return { x: (sx - this.world.position.x) / this.scale, y: (sy - this.world.position.y) / this.scale };
  }

  /** A world point in client pixels. */
  toClient(x: number, y: number): { x: number; y: number } {
    const r = this.app.canvas.getBoundingClientRect();
    const sx = this.world.position.x + x * this.scale;
    const sy = this.world.position.y + y * this.scale;
    return { x: r.left + (sx / Math.max(1, this.app.screen.width)) * r.width, y: r.top + (sy / Math.max(1, this.app.screen.height)) * r.height };
  }

  destroy(): void {
    this.cancelPlayback();
    live.delete(this);
    this.resizeObserver.disconnect();
    this.app.destroy({ removeView: true }, { children: true });
  }

  /** Called by the shared loop every animation frame. */
  frame(deltaMS: number): void {
    this.tick(deltaMS);
    if (this.dirty) {
      this.dirty = false;
      this.app.render();
    }
  }

  // -------------------------------------------------------------------------------------------

  private tick(deltaMS: number): void {
    const p = this.playback;
    if (!p) return;
    if (this.paused) return;
    const frameMs = 1000 / p.fps;
    // advance by elapsed time, at most 4 frames per tick: a slow machine plays slower, never jumps
    p.acc = Math.min(p.acc + deltaMS, frameMs * 4);
    let advanced = false;
    while (p.acc >= frameMs && p.index < p.frames.length - 1) {
      p.acc -= frameMs;
      p.index++;
      advanced = true;
    }
    if (advanced) this.draw(p.frames[p.index]);
    if (p.index >= p.frames.length - 1) {
      this.playback = null;
      p.resolve();
    }
  }

  private layout(): void {
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    const top = Math.round(24 * this.textScale); // room for the title line
    const bottom = Math.round(16 * this.textScale); // and the HUD line
    this.titleText.position.set(10, 5);
    this.hudText.position.set(10, h - bottom - 4);
    this.bannerText.position.set(w / 2, h / 2);
    this.bannerText.style.wordWrap = true;
    this.bannerText.style.wordWrapWidth = Math.max(100, w - 40);
    this.bannerText.style.align = 'center';
    this.dirty = true;
    this.staticKey = '';
    if (this.scene) {
      const availW = Math.max(1, w - 2 * this.padding);
      const availH = Math.max(1, h - 2 * this.padding - top - bottom);
      this.scale = Math.min(availW / this.scene.width, availH / this.scene.height);
      const sw = this.scene.width * this.scale;
      const sh = this.scene.height * this.scale;
      this.world.scale.set(this.scale);
      this.world.position.set((w - sw) / 2, top + this.padding + (availH - sh) / 2);
    }
    this.redraw();
    this.drawDream();
    this.drawAim();
  }

  private redraw(): void {
    const g = this.bodies;
    g.clear();
    const scene = this.scene;
    if (!scene) {
      this.statics.clear();
      this.staticKey = '';
      return;
    }
    const px = 1 / this.scale; // one screen pixel in world units
    const fixed = scene.bodies.filter((b) => STATIC_ROLES.has(b.role));
    const sameRefs = fixed.length === this.lastStatics.length && fixed.every((b, i) => b === this.lastStatics[i]);
    if (!sameRefs || this.staticKey === '') {
      const key = `${scene.width}x${scene.height}@${this.scale}|${JSON.stringify(fixed)}`;
      if (key !== this.staticKey) {
        const sg = this.statics;
        sg.clear();
        // arena floor
        sg.rect(0, 0, scene.width, scene.height).fill({ color: 0x1c2230 });
        sg.rect(0, 0, scene.width, scene.height).stroke({ width: px, color: 0x2c3446 });
        for (const b of fixed) drawBody(sg, b, px);
        this.staticKey = key;
      }
      this.lastStatics = fixed;
    }
    for (const b of scene.bodies) if (!STATIC_ROLES.has(b.role)) drawBody(g, b, px);
    const hud = formatHud(scene.hud);
    if (this.hudText.text !== hud) this.hudText.text = hud;
    this.scenesDrawn++;
    this.host.dataset.scenesDrawn = String(this.scenesDrawn);
    this.dirty = true;
  }

  private drawAim(): void {
    const g = this.aimG;
    g.clear();
    this.dirty = true;
    const a = this.aim;
    this.host.dataset.aim = a ? `${a.angleDeg.toFixed(1)},${a.length.toFixed(1)}` : '';
    if (!a) return;
    const px = 1 / this.scale;
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

  private drawDream(): void {
    const g = this.dream;
    g.clear();
    this.dirty = true;
    const steps = this.dreamPoints;
    this.host.dataset.dream = steps ? String(steps.length) : '0';
    if (!steps) return;
    const px = 1 / this.scale;
    // dreamt points can lie beyond the arena (a wild imagined miss): draw them at its edge
    const W = this.scene?.width ?? Infinity;
    const H = this.scene?.height ?? Infinity;
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
        dashedPolyline(g, flightArc(p.from, p), 9 * px, 6 * px);
        g.stroke({ width: 2 * px, color, alpha: 0.6 });
      }
    }
    for (const [label, track] of tracks) {
      const color = DREAM_COLORS[label] ?? DREAM_DEFAULT;
      dashedPolyline(g, track, 9 * px, 6 * px);
      g.stroke({ width: 2.5 * px, color, alpha: 0.75 });
      // a faint dot per dreamt step, so points that jump (a predicted landing) stay visible
      for (const p of track.slice(0, -1)) g.circle(p.x, p.y, 2.5 * px).fill({ color, alpha: 0.45 });
      // a hollow ring where the dream ends
      const last = track[track.length - 1];
      g.circle(last.x, last.y, 6 * px).stroke({ width: 2 * px, color, alpha: 0.9 });
      g.circle(last.x, last.y, 6 * px).fill({ color, alpha: 0.25 });
    }
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

// ---------------------------------------------------------------------------------------------
// The shared animation loop

const live = new Set<Arena>();
let loopRunning = false;
let lastTime = 0;

function startLoop(): void {
  if (loopRunning) return;
  loopRunning = true;
  lastTime = performance.now();
  const step = (now: number) => {
    const dt = Math.max(0, Math.min(100, now - lastTime));
    lastTime = now;
    for (const a of live) a.frame(dt);
    if (live.size > 0) requestAnimationFrame(step);
    else loopRunning = false;
  };
  requestAnimationFrame(step);
}

let software: boolean | null = null;

/** Is WebGL rendered in software here (no GPU, e.g. headless Chromium's SwiftShader)? */
export function softwareRendering(): boolean {
  if (software !== null) return software;
  software = false;
  try {
    const gl = document.createElement('canvas').getContext('webgl');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      software = /swiftshader|llvmpipe|softpipe|software/i.test(name);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    /* keep the default */
  }
  return software;
}

/** Roles of bodies that never move within an episode (the duel's tanks do not move either, but they are few). */
const STATIC_ROLES = new Set<SceneBody['role']>(['ground', 'hill', 'wall', 'goal']);

function drawBody(g: Graphics, b: SceneBody, px: number): void {
  const color = ROLE_COLORS[b.role] ?? 0xffffff;
  if (b.shape === 'circle') {
    const r = Math.max(b.radius ?? 4, 1.5 * px);
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

/** moveTo/lineTo segments of a dashed polyline; the caller strokes. */
function dashedPolyline(g: Graphics, pts: { x: number; y: number }[], dash: number, gap: number): void {
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

function formatHud(hud: Record<string, number | string>): string {
  return Object.entries(hud)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : v}`)
    .join('   ');
}
