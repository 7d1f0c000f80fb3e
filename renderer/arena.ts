/**
 * An arena on the page: the element, its canvas, pointer mapping, and who draws it. The drawing
 * itself (Pixi v8: the scene, trails, dream, aim, HUD, banner, legend) is renderer/arena-core.ts.
 *
 * Where the browser can (OffscreenCanvas with WebGL in a worker), the canvas is transferred to the
 * render worker (renderer/render-worker.ts), which draws every arena with its own animation loop:
 * the page's main thread then only posts scenes and playback and receives small status messages
 * (the data-* attributes of what was drawn, the view's geometry, the end of a playback). With WebGL
 * drawn in software, Chromium read every re-rendered WebGL canvas of the page back on the main
 * thread (88–92 % of its long-task time in bench/trace.ts); a worker's canvas is not. Elsewhere the
 * arena is drawn on the main thread as before (same ArenaCore, same attributes). Without a GPU,
 * either way, Pixi draws on a 2D canvas instead of software WebGL (arenaRenderer in arena-loop.ts).
 *
 * data-renderer on the host says which ("worker" or "page"), data-pixi with which Pixi renderer
 * ("webgl" or "canvas"); data-rendered-size ("WxH", CSS
 * pixels) is set once a frame at the element's current size is drawn — a worker-drawn canvas is
 * blank after a resize until then.
 */
import { Application } from 'pixi.js';
import type { SceneView } from '../sim/types.ts';
import { ArenaCore, type Aim, type ArenaGeometry, type ArenaOptions, type DreamLayout, type PlayOptions } from './arena-core.ts';
import { arenaRenderer, pageParam, softwareRendering } from './arena-loop.ts';
import { ARENA_BACKGROUND, ROLE_COLORS } from './palette.ts';
import type { RenderCommand, RenderReply } from './render-protocol.ts';

export { ARENA_BACKGROUND, ROLE_COLORS, softwareRendering };
export type { Aim, ArenaOptions, DreamLayout, PlayOptions };
/** The HUD line in plain words: one wording for the arenas and the replay frames (lab/hud.ts). */
export { formatHud } from '../lab/hud.ts';

/** What draws an arena: an ArenaCore on this thread, or its stand-in for one in the render worker. */
interface Drawer {
  title: string;
  banner: string;
  paused: boolean;
  draw(scene: SceneView): void;
  play(frames: SceneView[], options?: PlayOptions): Promise<void>;
  cancelPlayback(): void;
  setDream(steps: ObsPointsOrNull): void;
  setAim(aim: Aim | null): void;
  clearTrails(): void;
  setDreamLayout(mode: DreamLayout): void;
  setTextScale(k: number): void;
  destroy(): void;
}
type ObsPointsOrNull = Parameters<ArenaCore['setDream']>[0];

const resolution = () => Math.min(2, globalThis.devicePixelRatio || 1);

// ---------------------------------------------------------------------------------------------
// the render worker

let worker: Worker | null = null;
let nextId = 1;
const remotes = new Map<number, RemoteDrawer>();

function renderWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./render-worker.ts', import.meta.url), { type: 'module', name: 'driftlab-render' });
  w.addEventListener('message', (e: MessageEvent<RenderReply>) => remotes.get(e.data.id)?.receive(e.data));
  w.addEventListener('error', (e: ErrorEvent) => {
    for (const r of remotes.values()) r.fail(`render worker: ${e.message}`);
  });
  worker = w;
  return w;
}

/** Can this browser draw on a canvas transferred to a worker? (The renderer itself is tried in the worker.) */
function offscreenSupported(): boolean {
  if (pageParam('render') === 'page') return false;
  return typeof OffscreenCanvas === 'function' && typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function' && typeof Worker === 'function';
}

class RemoteDrawer implements Drawer {
  readonly id = nextId++;
  private titleV = '';
  private bannerV = '';
  private pausedV = false;
  private playN = 0;
  private pending: { n: number; resolve: () => void } | null = null;
  private createdResolve!: () => void;
  private createdReject!: (e: Error) => void;
  readonly created = new Promise<void>((res, rej) => {
    this.createdResolve = res;
    this.createdReject = rej;
  });

  constructor(
    private readonly host: HTMLElement,
    private readonly onGeometry: (g: ArenaGeometry) => void,
  ) {
    remotes.set(this.id, this);
  }

  private post(c: RenderCommand, transfer: Transferable[] = []): void {
    renderWorker().postMessage(c, transfer);
  }

  start(canvas: OffscreenCanvas, options: ArenaOptions, size: { width: number; height: number }): void {
    this.titleV = options.title;
    this.post({ type: 'create', id: this.id, canvas, software: softwareRendering(), preference: arenaRenderer(), options, background: ARENA_BACKGROUND, ...size, resolution: resolution() }, [canvas]);
  }

  resize(width: number, height: number): void {
    this.post({ type: 'resize', id: this.id, width, height, resolution: resolution() });
  }

  receive(r: RenderReply): void {
    switch (r.type) {
      case 'created':
        this.createdResolve();
        return;
      case 'failed':
        this.fail(r.message);
        return;
      case 'attrs': {
        // the page sets these itself, at once: a late echo from the worker must not undo a newer value
        const { banner: _b, aim: _a, dreamLayout: _d, ...rest } = r.attrs;
        Object.assign(this.host.dataset, rest);
        return;
      }
      case 'layout':
        this.onGeometry(r.geometry);
        return;
      case 'played':
        if (this.pending?.n === r.play) {
          const p = this.pending;
          this.pending = null;
          p.resolve();
        }
        return;
    }
  }

  fail(message: string): void {
    this.createdReject(new Error(message));
    remotes.delete(this.id);
  }

  get title(): string {
    return this.titleV;
  }
  set title(t: string) {
    if (t === this.titleV) return;
    this.titleV = t;
    this.post({ type: 'set', id: this.id, key: 'title', value: t });
  }
  get banner(): string {
    return this.bannerV;
  }
  set banner(t: string) {
    if (t === this.bannerV) return;
    this.bannerV = t;
    // at once, as on the page (the worker sets it too)
    this.host.dataset.banner = t;
    this.post({ type: 'set', id: this.id, key: 'banner', value: t });
  }
  get paused(): boolean {
    return this.pausedV;
  }
  set paused(p: boolean) {
    if (p === this.pausedV) return;
    this.pausedV = p;
    this.post({ type: 'set', id: this.id, key: 'paused', value: p });
  }
  draw(scene: SceneView): void {
    this.post({ type: 'call', id: this.id, method: 'draw', args: [scene] });
  }
  play(frames: SceneView[], options: PlayOptions = {}): Promise<void> {
    this.resolvePending();
    if (frames.length === 0) return Promise.resolve();
    const n = ++this.playN;
    return new Promise((resolve) => {
      this.pending = { n, resolve };
      this.post({ type: 'play', id: this.id, play: n, frames, options });
    });
  }
  cancelPlayback(): void {
    this.resolvePending();
    this.post({ type: 'call', id: this.id, method: 'cancelPlayback', args: [] });
  }
  setDream(steps: ObsPointsOrNull): void {
    this.post({ type: 'call', id: this.id, method: 'setDream', args: [steps] });
  }
  setAim(aim: Aim | null): void {
    // at once, as on the page (human play's tests read it right after a key press)
    this.host.dataset.aim = aim ? `${aim.angleDeg.toFixed(1)},${aim.length.toFixed(1)}` : '';
    this.post({ type: 'call', id: this.id, method: 'setAim', args: [aim] });
  }
  clearTrails(): void {
    this.post({ type: 'call', id: this.id, method: 'clearTrails', args: [] });
  }
  setDreamLayout(mode: DreamLayout): void {
    this.host.dataset.dreamLayout = mode;
    this.post({ type: 'call', id: this.id, method: 'setDreamLayout', args: [mode] });
  }
  setTextScale(k: number): void {
    this.post({ type: 'call', id: this.id, method: 'setTextScale', args: [k] });
  }
  destroy(): void {
    this.resolvePending();
    this.post({ type: 'destroy', id: this.id });
    remotes.delete(this.id);
  }
  private resolvePending(): void {
    const p = this.pending;
    this.pending = null;
    p?.resolve();
  }
}

// ---------------------------------------------------------------------------------------------

export class Arena {
  readonly host: HTMLElement;
  /** the canvas on the page (drawn by the render worker or on this thread) */
  readonly canvas: HTMLCanvasElement;
  private readonly drawer: Drawer;
  private readonly resizeObserver: ResizeObserver;
  /** the view's placement, as last reported by the drawer */
  private readonly geo: { current: ArenaGeometry };
  private scene: SceneView | null = null;

  private constructor(host: HTMLElement, canvas: HTMLCanvasElement, drawer: Drawer, resizeObserver: ResizeObserver, geo: { current: ArenaGeometry }) {
    this.geo = geo;
    this.host = host;
    this.canvas = canvas;
    this.drawer = drawer;
    this.resizeObserver = resizeObserver;
  }

  /** Create an arena filling `host` (its size follows the element). */
  static async create(host: HTMLElement, options: ArenaOptions): Promise<Arena> {
    if (offscreenSupported()) {
      try {
        return await Arena.createInWorker(host, options);
      } catch (e) {
        console.warn(`Drawing the arena on the page: ${(e as Error).message}`);
      }
    }
    return Arena.createOnPage(host, options);
  }

  private static makeCanvas(host: HTMLElement, options: ArenaOptions): HTMLCanvasElement {
    const canvas = host.ownerDocument.createElement('canvas');
    canvas.classList.add('arena-canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', options.title);
    return canvas;
  }

  private static async createInWorker(host: HTMLElement, options: ArenaOptions): Promise<Arena> {
    const canvas = Arena.makeCanvas(host, options);
    const size = () => ({ width: Math.max(1, host.clientWidth), height: Math.max(1, host.clientHeight) });
    const fit = (s: { width: number; height: number }) => {
      canvas.style.width = `${s.width}px`;
      canvas.style.height = `${s.height}px`;
    };
    const s0 = size();
    fit(s0);
    canvas.width = Math.round(s0.width * resolution());
    canvas.height = Math.round(s0.height * resolution());
    host.appendChild(canvas);
    const geo = { current: { x: 0, y: 0, scale: 1, width: s0.width, height: s0.height } };
    const drawer = new RemoteDrawer(host, (g) => (geo.current = g));
    const offscreen = canvas.transferControlToOffscreen();
    drawer.start(offscreen, options, s0);
    try {
      await drawer.created;
    } catch (e) {
      canvas.remove();
      throw e;
    }
    let last = `${s0.width}x${s0.height}`;
    const ro = new ResizeObserver(() => {
      const s = size();
      const key = `${s.width}x${s.height}`;
      if (key === last) return;
      last = key;
      fit(s);
      drawer.resize(s.width, s.height);
    });
    ro.observe(host);
    host.dataset.renderer = 'worker';
    return new Arena(host, canvas, drawer, ro, geo);
  }

  private static async createOnPage(host: HTMLElement, options: ArenaOptions): Promise<Arena> {
    const canvas = Arena.makeCanvas(host, options);
    const app = new Application();
    await app.init({
      canvas,
      preference: arenaRenderer(),
      background: ARENA_BACKGROUND,
      // multisampling is cheap on a GPU and costly in software rendering (SwiftShader, llvmpipe)
      antialias: !softwareRendering(),
      resizeTo: host,
      autoDensity: true,
      resolution: resolution(),
      // rendered on demand by the shared loop (renderer/arena-loop.ts)
      autoStart: false,
    });
    host.appendChild(canvas);
    const geo = { current: { x: 0, y: 0, scale: 1, width: app.screen.width, height: app.screen.height } };
    const core = new ArenaCore(
      app,
      options,
      {
        attr: (k, v) => (host.dataset[k] = v),
        layout: (g) => (geo.current = g),
      },
      softwareRendering(),
    );
    // Pixi's resizeTo follows window resizes only; follow the element itself (layout changes,
    // presenter mode) too
    const ro = new ResizeObserver(() => app.resize());
    ro.observe(host);
    host.dataset.renderer = 'page';
    host.dataset.pixi = app.renderer.name;
    let title = options.title;
    let banner = '';
    const drawer: Drawer = {
      get title() {
        return title;
      },
      set title(t: string) {
        title = t;
        core.title = t;
      },
      get banner() {
        return banner;
      },
      set banner(t: string) {
        banner = t;
        core.banner = t;
      },
      get paused() {
        return core.paused;
      },
      set paused(p: boolean) {
        core.paused = p;
      },
      draw: (s) => core.draw(s),
      play: (f, o) => core.play(f, o),
      cancelPlayback: () => core.cancelPlayback(),
      setDream: (d) => core.setDream(d),
      setAim: (a) => core.setAim(a),
      clearTrails: () => core.clearTrails(),
      setDreamLayout: (m) => core.setDreamLayout(m),
      setTextScale: (k) => core.setTextScale(k),
      destroy: () => core.destroy(),
    };
    return new Arena(host, canvas, drawer, ro, geo);
  }

  set title(t: string) {
    if (this.drawer.title === t) return;
    this.drawer.title = t;
    this.canvas.setAttribute('aria-label', t);
  }

  /** A large message at the top of the scene, never over its centre ('' hides it). */
  set banner(t: string) {
    this.drawer.banner = t;
  }

  get banner(): string {
    return this.drawer.banner;
  }

  /** freezes playback (the scene stays drawn) */
  get paused(): boolean {
    return this.drawer.paused;
  }
  set paused(p: boolean) {
    this.drawer.paused = p;
  }

  /** Reality and dream in one view (overlay) or in two views side by side / stacked (split). */
  setDreamLayout(mode: DreamLayout): void {
    this.drawer.setDreamLayout(mode);
  }

  /** Forget the real trails (a new episode or game). */
  clearTrails(): void {
    this.drawer.clearTrails();
  }

  /** Enlarge the in-canvas title, HUD and banner (presenter mode uses 1.6). */
  setTextScale(k: number): void {
    this.drawer.setTextScale(k);
  }

  /** Draw one scene now (cancels nothing: a running playback will draw over it). */
  draw(scene: SceneView): void {
    this.scene = scene;
    this.drawer.draw(scene);
  }

  /** The last scene handed over (drawn, or the last frame of a finished playback). */
  get current(): SceneView | null {
    return this.scene;
  }

  /** Play physics frames in order; resolves when the last one is drawn (or playback is cancelled). */
  async play(frames: SceneView[], options: PlayOptions = {}): Promise<void> {
    if (frames.length) this.scene = frames[0];
    const last = frames[frames.length - 1];
    await this.drawer.play(frames, options);
    if (last && this.scene === frames[0]) this.scene = last;
  }

  cancelPlayback(): void {
    this.drawer.cancelPlayback();
  }

  /**
   * The dream overlay: `steps[t]` are the ObsPoints (def.observationPoints) of the imagined
   * observation at step t; each label becomes one dashed ghost polyline. null clears it.
   */
  setDream(steps: ObsPointsOrNull): void {
    this.drawer.setDream(steps);
  }

  /** Human play's aim arrow (null hides it). */
  setAim(aim: Aim | null): void {
    this.drawer.setAim(aim);
  }

  /** A point on the page (client pixels) in world units of the scene. */
  toWorld(clientX: number, clientY: number): { x: number; y: number } {
    const g = this.geo.current;
    const r = this.canvas.getBoundingClientRect();
    const sx = ((clientX - r.left) / Math.max(1, r.width)) * g.width;
    const sy = ((clientY - r.top) / Math.max(1, r.height)) * g.height;
    return { x: (sx - g.x) / g.scale, y: (sy - g.y) / g.scale };
  }

  /** A world point in client pixels. */
  toClient(x: number, y: number): { x: number; y: number } {
    const g = this.geo.current;
    const r = this.canvas.getBoundingClientRect();
    const sx = g.x + x * g.scale;
    const sy = g.y + y * g.scale;
    return { x: r.left + (sx / Math.max(1, g.width)) * r.width, y: r.top + (sy / Math.max(1, g.height)) * r.height };
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.drawer.destroy();
    this.canvas.remove();
  }
}
