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
import { formatHud } from '../lab/hud.ts';
import 'pixi.js/unsafe-eval';
import { Application, Container, Graphics, Text } from 'pixi.js';
import type { ObsPoint, SceneBody, SceneView } from '../sim/types.ts';
import { ARENA_BACKGROUND, DREAM_COLOR, DREAM_COLORS, DREAM_DEFAULT, IMPACT_COLOR, REAL_TRAIL, ROLE_COLORS } from './palette.ts';

export { ARENA_BACKGROUND, ROLE_COLORS };

/** 'overlay': the dream drawn over reality; 'split': reality and dream side by side (or stacked). */
export type DreamLayout = 'overlay' | 'split';

interface Trail {
  id: string;
  color: number;
  pts: { x: number; y: number }[];
  /** the body is gone: the last point is where it came down */
  done: boolean;
}

/** longest puck trail kept (physics frames) */
const PUCK_TRAIL = 150;

export interface ArenaOptions {
  /** shown top-left, e.g. "grounded · g3" */
  title: string;
  /** scene padding in CSS pixels */
  padding?: number;
  /** draw the title on the canvas (default true; it is the canvas's accessible name either way) */
  showTitle?: boolean;
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
  private readonly trailsG = new Graphics();
  private trails: Trail[] = [];
  private readonly aimG = new Graphics();
  /** split mode: a second view of the floor with the dream alone */
  private readonly dreamWorld = new Container();
  private readonly staticsMirror: Graphics;
  private dreamLayout: DreamLayout = 'overlay';
  /** where the legend goes: 'top' (right of the title), 'bottom' (right of the HUD), 'own' (a line above the HUD) */
  private legendPlace: 'top' | 'bottom' | 'own' = 'top';
  private readonly showTitle: boolean;
  private readonly legend = new Container();
  private readonly legendG = new Graphics();
  private readonly legendReal: Text;
  private readonly legendDream: Text;
  private readonly splitLabels: [Text, Text];
  private readonly bannerBox = new Graphics();
  /** clips the real trails to the arena (a shot may fly above its top) */
  private readonly trailMask = new Graphics();
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
    this.showTitle = options.showTitle ?? true;
    const label = { fontFamily: 'system-ui, sans-serif', fill: 0xe6e9ef };
    this.titleText = new Text({ text: options.title, style: { ...label, fontSize: 16, fontWeight: '600' } });
    this.hudText = new Text({ text: '', style: { ...label, fontSize: 13, fill: 0xaab3c5 } });
    this.bannerText = new Text({ text: '', style: { ...label, fontSize: 22, fontWeight: '700', fill: 0xffffff, align: 'center' } });
    this.bannerText.anchor.set(0.5, 0);
    this.legendReal = new Text({ text: 'real (physics)', style: { ...label, fontSize: 13, fontWeight: '600' } });
    this.legendDream = new Text({ text: 'dream (world model)', style: { ...label, fontSize: 13, fontWeight: '600', fill: DREAM_COLOR } });
    this.legend.addChild(this.legendG, this.legendReal, this.legendDream);
    const splitStyle = { ...label, fontSize: 13, fontWeight: '700', letterSpacing: 1 } as const;
    this.splitLabels = [new Text({ text: 'REALITY · physics', style: splitStyle }), new Text({ text: 'DREAM · world model', style: { ...splitStyle, fill: DREAM_COLOR } })];
    this.staticsMirror = new Graphics(this.statics.context);
    this.dreamWorld.addChild(this.staticsMirror);
    this.dreamWorld.visible = false;
    this.world.addChild(this.statics, this.trailMask, this.trailsG, this.bodies, this.dream, this.aimG);
    this.trailsG.mask = this.trailMask;
    this.overlay.addChild(this.titleText, this.hudText, this.legend, ...this.splitLabels, this.bannerBox, this.bannerText);
    app.stage.addChild(this.world, this.dreamWorld, this.overlay);
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

  /** A large message at the top of the scene, never over its centre ('' hides it). */
  set banner(t: string) {
    if (this.bannerText.text === t) return;
    this.bannerText.text = t;
    this.host.dataset.banner = t;
    this.drawBannerBox();
    this.dirty = true;
  }

  /** Reality and dream in one view (overlay) or in two views side by side / stacked (split). */
  setDreamLayout(mode: DreamLayout): void {
    if (this.dreamLayout === mode) return;
    this.dreamLayout = mode;
    this.host.dataset.dreamLayout = mode;
    this.layout();
  }

  /** Forget the real trails (a new episode or game). */
  clearTrails(): void {
    this.trails = [];
    this.trailsG.clear();
    this.host.dataset.trails = '0';
    this.dirty = true;
  }

  get banner(): string {
    return this.bannerText.text;
  }

  /** Enlarge the in-canvas title, HUD and banner (presenter mode uses 1.6). */
  setTextScale(k: number): void {
    this.requestedTextScale = k;
    this.applyTextScale();
  }

  private requestedTextScale = 1;

  /** The requested text scale, smaller in a narrow arena (large type must not eat the scene). */
  private applyTextScale(): void {
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    const k = Math.max(0.85, Math.min(this.requestedTextScale, w / 520, h / 300));
    if (Math.abs(k - this.textScale) < 0.01 && this.titleText.style.fontSize === Math.round(16 * k)) return;
    this.textScale = k;
    this.dirty = true;
    this.titleText.style.fontSize = Math.round(16 * k);
    this.hudText.style.fontSize = Math.round(13 * k);
    this.bannerText.style.fontSize = Math.round(22 * k);
    for (const t of [this.legendReal, this.legendDream, ...this.splitLabels]) t.style.fontSize = Math.round(13 * k);
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
    this.recordTrails(scene);
    if (sizeChanged) this.layout();
    else this.redraw();
  }

  /** Play physics frames in order; resolves when the last one is drawn (or playback is cancelled). */
  play(frames: SceneView[], options: PlayOptions = {}): Promise<void> {
    this.cancelPlayback();
    if (frames.length === 0) return Promise.resolve();
    // a decision step is a new shot: the previous flight has landed
    for (const t of this.trails) if (t.id !== 'puck') t.done = true;
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
    const had = this.dreamPoints !== null;
    this.dreamPoints = steps && steps.length ? steps : null;
    if (had !== (this.dreamPoints !== null)) this.drawLegend();
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
    this.applyTextScale();
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    const k = this.textScale;
    const line = Math.round(20 * k);
    // the legend goes right of the title, or right of the HUD, or (narrow arena) on its own line
    const legendW = 330 * k;
    this.legendPlace = !this.showTitle || this.titleText.width + legendW + 30 < w ? 'top' : w > 640 * k ? 'bottom' : 'own';
    const top = line + 4;
    const bottom = this.legendPlace === 'own' ? 2 * line : line;
    this.titleText.visible = this.showTitle;
    this.titleText.position.set(10, 5);
    this.hudText.position.set(10, h - line - 1);
    this.dirty = true;
    this.staticKey = '';
    const split = this.dreamLayout === 'split';
    this.dreamWorld.visible = split;
    if (split) this.dreamWorld.addChild(this.dream);
    else this.world.addChildAt(this.dream, this.world.getChildIndex(this.aimG));
    for (const t of this.splitLabels) t.visible = split && !!this.scene;
    if (this.scene) {
      const pad = this.padding;
      const availW = Math.max(1, w - 2 * pad);
      const availH = Math.max(1, h - 2 * pad - top - bottom);
      const S = this.scene;
      const labelH = split ? Math.round(18 * k) : 0;
      if (!split) {
        this.scale = Math.min(availW / S.width, availH / S.height);
        const sw = S.width * this.scale;
        const sh = S.height * this.scale;
        this.world.position.set((w - sw) / 2, top + pad + (availH - sh) / 2);
      } else {
        // two views of the scene: stacked or side by side, whichever shows it larger
        const stacked = Math.min(availW / S.width, (availH / 2 - labelH - pad / 2) / S.height);
        const beside = Math.min((availW - pad) / 2 / S.width, (availH - labelH) / S.height);
        this.scale = Math.max(0.01, Math.max(stacked, beside));
        const sw = S.width * this.scale;
        const sh = S.height * this.scale;
        if (stacked >= beside) {
          const gap = (availH - 2 * (sh + labelH)) / 3;
          const x = (w - sw) / 2;
          const y0 = top + pad + gap + labelH;
          const y1 = y0 + sh + gap + labelH;
          this.world.position.set(x, y0);
          this.dreamWorld.position.set(x, y1);
        } else {
          const gap = (availW - 2 * sw) / 3;
          const y = top + pad + labelH + (availH - labelH - sh) / 2;
          this.world.position.set(pad + gap, y);
          this.dreamWorld.position.set(pad + 2 * gap + sw, y);
        }
        this.splitLabels[0].position.set(this.world.position.x, this.world.position.y - labelH);
        this.splitLabels[1].position.set(this.dreamWorld.position.x, this.dreamWorld.position.y - labelH);
      }
      this.world.scale.set(this.scale);
      this.dreamWorld.scale.set(this.scale);
    }
    this.drawLegend();
    this.drawBannerBox();
    this.redraw();
    this.drawTrails();
    this.drawDream();
    this.drawAim();
  }

  /** The on-canvas key: a solid line for reality, a dashed one for the dream (bottom right). */
  private drawLegend(): void {
    const g = this.legendG;
    g.clear();
    const k = this.textScale;
    const w = this.app.screen.width;
    const h = this.app.screen.height;
    const dreamShown = this.dreamPoints !== null || this.dreamLayout === 'split';
    this.legendDream.visible = dreamShown;
    const sample = Math.round(26 * k);
    const gap = Math.round(8 * k);
    const items: [Text, boolean][] = [[this.legendReal, false]];
    if (dreamShown) items.push([this.legendDream, true]);
    let x = w - 10;
    const line = Math.round(20 * k);
    const y = this.legendPlace === 'top' ? 5 + line / 2 : h - line / 2 - 1 - (this.legendPlace === 'own' ? line : 0);
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
    this.dirty = true;
  }

  private drawBannerBox(): void {
    const g = this.bannerBox;
    g.clear();
    const t = this.bannerText;
    const w = this.app.screen.width;
    // at the top of the scene (the duel's sky, the far end of the table), never over its centre
    const y = Math.round(28 * this.textScale);
    t.visible = t.text !== '';
    this.host.dataset.bannerBottom = '0';
    if (!t.visible) return;
    // one line, shrunk to fit the arena's width
    t.style.fontSize = Math.round(22 * this.textScale);
    while (t.width > w - 40 && Number(t.style.fontSize) > 11) t.style.fontSize = Number(t.style.fontSize) - 1;
    t.position.set(w / 2, y + 6);
    const bw = t.width + 28;
    const bh = t.height + 12;
    g.roundRect(w / 2 - bw / 2, y, bw, bh, 8).fill({ color: 0x0b0e13, alpha: 0.78 });
    g.roundRect(w / 2 - bw / 2, y, bw, bh, 8).stroke({ width: 1, color: 0x5f6a80 });
    // for the e2e checks: the banner's lower edge and the canvas height, CSS pixels
    this.host.dataset.bannerBottom = String(Math.round(y + bh));
    this.host.dataset.canvasHeight = String(Math.round(this.app.screen.height));
    this.dirty = true;
  }

  /** Follow the moving projectile / puck of each drawn scene: its path is what physics really did. */
  private recordTrails(scene: SceneView): void {
    const movers = scene.bodies.filter((b) => b.role === 'projectile' || b.role === 'puck');
    for (const t of this.trails) if (!t.done && !movers.some((b) => b.id === t.id)) t.done = true;
    for (const b of movers) {
      let t = this.trails.find((x) => x.id === b.id && !x.done);
      if (!t) {
        const color = b.role === 'puck' ? REAL_TRAIL.puck : b.x < scene.width / 2 ? REAL_TRAIL.player0 : REAL_TRAIL.player1;
        t = { id: b.id, color, pts: [], done: false };
        this.trails.push(t);
      }
      let last: { x: number; y: number } | undefined = t.pts[t.pts.length - 1];
      if (last && b.role !== 'puck' && Math.hypot(last.x - b.x, last.y - b.y) > 120) {
        // a jump: a new shot reusing the body's id
        t.done = true;
        const color = b.x < scene.width / 2 ? REAL_TRAIL.player0 : REAL_TRAIL.player1;
        t = { id: b.id, color, pts: [], done: false };
        this.trails.push(t);
        last = undefined;
      }
      if (!last || Math.hypot(last.x - b.x, last.y - b.y) > 0.5) t.pts.push({ x: b.x, y: b.y });
      if (b.role === 'puck' && t.pts.length > PUCK_TRAIL) t.pts.splice(0, t.pts.length - PUCK_TRAIL);
    }
    // the duel keeps its last few shots; older ones fade out of the list
    if (this.trails.length > 8) this.trails.splice(0, this.trails.length - 8);
    this.drawTrails();
  }

  private drawTrails(): void {
    const g = this.trailsG;
    g.clear();
    this.dirty = true;
    this.host.dataset.trails = String(this.trails.length);
    if (!this.scene) return;
    const px = 1 / this.scale;
    this.trailMask.clear().rect(0, 0, this.scene.width, this.scene.height).fill({ color: 0xffffff });
    const n = this.trails.length;
    this.trails.forEach((t, i) => {
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

/** The HUD line in plain words: one wording for the arenas and the replay frames (lab/hud.ts). */
export { formatHud };
