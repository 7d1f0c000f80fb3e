/**
 * A Pixi v8 arena's drawing, free of the DOM so that it runs on the page or in the render worker
 * (renderer/render-worker.ts, on an OffscreenCanvas): draws a SceneView (sim/types.ts) scaled to
 * fit its view, can play the physics frames of a step, and draws a "dream" — a model's imagined
 * trajectory as ObsPoints — as a dashed, semi-transparent ghost over the real scene, and an aim
 * marker for human play. What the e2e tests read (data-* attributes) goes to an ArenaSink.
 *
 * This file owns the arena's state (scene, trails, dream, aim, playback) and its Pixi objects and
 * decides what to redraw when; the painting is in renderer/arena-paint.ts, the placement of the
 * views and the legend in renderer/arena-layout.ts, the trails' rules in lab/trails.ts; the page's
 * side (the element, pointer mapping, the worker or not) is renderer/arena.ts.
 *
 * Rendering is on demand: all arenas of a thread share one requestAnimationFrame loop
 * (renderer/arena-loop.ts) that advances playback and renders an arena only when something in it
 * changed, so idle arenas cost nothing.
 */
// Pixi generates shader sync code with `new Function` unless this is imported; the app's CSP has
// no 'unsafe-eval', so the CSP-safe implementations are required.
import { formatHud } from '../lab/hud.ts';
import 'pixi.js/unsafe-eval';
import { Application, Container, Graphics, Text } from 'pixi.js';
import { landShots, recordTrails, type Trail } from '../lab/trails.ts';
import type { ObsPoint, SceneBody, SceneView } from '../sim/types.ts';
import { arenaLayout, paintLegend, type DreamLayout, type LegendPlace } from './arena-layout.ts';
import { joinLoop, leaveLoop } from './arena-loop.ts';
import { paintAim, paintDream, paintStatics, paintTrails, drawBody, STATIC_ROLES, type Aim } from './arena-paint.ts';
import { DREAM_COLOR } from './palette.ts';


/** The shortest time between two renders of an arena drawn without a GPU (at most ~30 per second, with a frame's slack). */
const SOFTWARE_FRAME_MS = 1000 / 30 - 2;
export type { Aim, DreamLayout };

/** Where the arena reports what it drew (the host element's data-* attributes; the render worker posts them). */
export interface ArenaSink {
  attr(key: string, value: string): void;
  /** the view's layout changed (for pointer mapping): world offset and scale, the screen size */
  layout?(l: ArenaGeometry): void;
}

export interface ArenaGeometry {
  x: number;
  y: number;
  scale: number;
  width: number;
  height: number;
}

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

interface Playback {
  frames: SceneView[];
  index: number;
  acc: number;
  fps: number;
  resolve: () => void;
}

export class ArenaCore {
  readonly app: Application;
  private readonly sink: ArenaSink;
  private renderedSize = '';
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
  private legendPlace: LegendPlace = 'top';
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
  /** time since the last render, ms */
  private sinceRender = Number.POSITIVE_INFINITY;
  /** render at most every SOFTWARE_FRAME_MS (WebGL in software) */
  private readonly softwareCap: boolean;
  private readonly overlay = new Container();
  private readonly titleText: Text;
  private readonly hudText: Text;
  private readonly bannerText: Text;
  private scene: SceneView | null = null;
  private dreamPoints: ObsPoint[][] | null = null;
  private playback: Playback | null = null;
  private readonly padding: number;
  private scale = 1;
  private textScale = 1;
  /** freezes playback (the scene stays drawn) */
  paused = false;
  /** how many scenes were drawn (observable by tests through data-scenes-drawn) */
  scenesDrawn = 0;

  constructor(app: Application, options: ArenaOptions, sink: ArenaSink, software: boolean) {
    this.sink = sink;
    this.softwareCap = software;
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
    this.layout();
    joinLoop(this);
  }

  set title(t: string) {
    if (this.titleText.text === t) return;
    this.titleText.text = t;
    this.dirty = true;
  }

  /** A large message at the top of the scene, never over its centre ('' hides it). */
  set banner(t: string) {
    if (this.bannerText.text === t) return;
    this.bannerText.text = t;
    this.sink.attr('banner', t);
    this.drawBannerBox();
    this.dirty = true;
  }

  /** Reality and dream in one view (overlay) or in two views side by side / stacked (split). */
  setDreamLayout(mode: DreamLayout): void {
    if (this.dreamLayout === mode) return;
    this.dreamLayout = mode;
    this.sink.attr('dreamLayout', mode);
    this.layout();
  }

  /** Forget the real trails (a new episode or game). */
  clearTrails(): void {
    this.trails = [];
    this.trailsG.clear();
    this.sink.attr('trails', '0');
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
    landShots(this.trails);
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

  /** Follow a new view size, CSS pixels (the render worker's arenas: the page measures the element). */
  resize(width: number, height: number, resolution: number): void {
    if (this.app.renderer.resolution !== resolution) this.app.renderer.resolution = resolution;
    this.app.renderer.resize(width, height);
  }

  destroy(): void {
    this.cancelPlayback();
    leaveLoop(this);
    this.app.destroy({ removeView: true }, { children: true });
  }

  /**
   * Called by the shared loop every animation frame. Without a GPU, an arena renders at most every
   * SOFTWARE_FRAME_MS: every frame is rasterised on the CPU (and with software WebGL, the compositor
   * read every re-rendered canvas back on the main thread, which bench/trace.ts measured at 88–92 %
   * of its long-task time during a run). Playback still advances by elapsed time, so it keeps its speed.
   */
  frame(deltaMS: number): void {
    this.tick(deltaMS);
    this.sinceRender += deltaMS;
    if (this.dirty && (!this.softwareCap || this.sinceRender >= SOFTWARE_FRAME_MS)) {
      this.dirty = false;
      this.sinceRender = 0;
      this.app.render();
      // a frame at this size is on screen (after a resize a worker-drawn canvas is blank until then)
      const size = `${Math.round(this.app.screen.width)}x${Math.round(this.app.screen.height)}`;
      if (size !== this.renderedSize) {
        this.renderedSize = size;
        this.sink.attr('renderedSize', size);
      }
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
    const split = this.dreamLayout === 'split';
    const at = arenaLayout({ w, h, k: this.textScale, padding: this.padding, showTitle: this.showTitle, titleWidth: this.titleText.width, split, scene: this.scene });
    this.legendPlace = at.legendPlace;
    this.titleText.visible = this.showTitle;
    this.titleText.position.set(10, 5);
    this.hudText.position.set(10, at.hudY);
    this.dirty = true;
    this.staticKey = '';
    this.dreamWorld.visible = split;
    if (split) this.dreamWorld.addChild(this.dream);
    else this.world.addChildAt(this.dream, this.world.getChildIndex(this.aimG));
    for (const t of this.splitLabels) t.visible = split && !!this.scene;
    const v = at.views;
    if (v) {
      this.scale = v.scale;
      this.world.position.set(v.world.x, v.world.y);
      if (v.dream) this.dreamWorld.position.set(v.dream.x, v.dream.y);
      if (v.labels) v.labels.forEach((p, i) => this.splitLabels[i].position.set(p.x, p.y));
      this.world.scale.set(this.scale);
      this.dreamWorld.scale.set(this.scale);
    }
    this.sink.layout?.({ x: this.world.position.x, y: this.world.position.y, scale: this.scale, width: w, height: h });
    this.drawLegend();
    this.drawBannerBox();
    this.redraw();
    this.drawTrails();
    this.drawDream();
    this.drawAim();
  }

  /** The on-canvas key: a solid line for reality, a dashed one for the dream (bottom right). */
  private drawLegend(): void {
    this.legendG.clear();
    const dreamShown = this.dreamPoints !== null || this.dreamLayout === 'split';
    this.legendDream.visible = dreamShown;
    paintLegend(this.legendG, this.legendReal, dreamShown ? this.legendDream : null, this.legendPlace, this.app.screen.width, this.app.screen.height, this.textScale);
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
    this.sink.attr('bannerBottom', '0');
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
    this.sink.attr('bannerBottom', String(Math.round(y + bh)));
    this.sink.attr('canvasHeight', String(Math.round(this.app.screen.height)));
    this.dirty = true;
  }

  /** Follow the moving projectile / puck of each drawn scene: its path is what physics really did. */
  private recordTrails(scene: SceneView): void {
    recordTrails(this.trails, scene);
    this.drawTrails();
  }

  private drawTrails(): void {
    const g = this.trailsG;
    g.clear();
    this.dirty = true;
    this.sink.attr('trails', String(this.trails.length));
    if (!this.scene) return;
    paintTrails(g, this.trailMask, this.trails, this.scene, 1 / this.scale);
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
        this.statics.clear();
        paintStatics(this.statics, scene, fixed, px);
        this.staticKey = key;
      }
      this.lastStatics = fixed;
    }
    for (const b of scene.bodies) if (!STATIC_ROLES.has(b.role)) drawBody(g, b, px);
    const hud = formatHud(scene.hud);
    if (this.hudText.text !== hud) this.hudText.text = hud;
    this.scenesDrawn++;
    this.sink.attr('scenesDrawn', String(this.scenesDrawn));
    this.dirty = true;
  }

  private drawAim(): void {
    const g = this.aimG;
    g.clear();
    this.dirty = true;
    const a = this.aim;
    this.sink.attr('aim', a ? `${a.angleDeg.toFixed(1)},${a.length.toFixed(1)}` : '');
    if (!a) return;
    paintAim(g, a, 1 / this.scale);
  }

  private drawDream(): void {
    const g = this.dream;
    g.clear();
    this.dirty = true;
    const steps = this.dreamPoints;
    this.sink.attr('dream', steps ? String(steps.length) : '0');
    if (!steps) return;
    paintDream(g, steps, this.scene, 1 / this.scale);
  }
}

