/// <reference lib="webworker" />
/**
 * The render worker: draws the arenas (renderer/arena-core.ts) with Pixi v8 on the
 * OffscreenCanvases the page transferred to it (renderer/arena.ts), with its own animation loop.
 * Speaks RenderCommand / RenderReply (renderer/render-protocol.ts).
 */
// CSP-safe shader sync code (the app's CSP has no 'unsafe-eval')
import 'pixi.js/unsafe-eval';
import { Application, DOMAdapter, WebWorkerAdapter } from 'pixi.js';
import { ArenaCore } from './arena-core.ts';
import type { RenderCommand, RenderReply } from './render-protocol.ts';

DOMAdapter.set(WebWorkerAdapter);

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (r: RenderReply) => scope.postMessage(r);

const arenas = new Map<number, ArenaCore>();
/** commands that came while their arena was still being created */
const waiting = new Map<number, RenderCommand[]>();
/** data-* changes, posted once per task */
const attrs = new Map<number, Record<string, string>>();
let flushQueued = false;

function flush(): void {
  flushQueued = false;
  for (const [id, a] of attrs) post({ type: 'attrs', id, attrs: a });
  attrs.clear();
}

function setAttr(id: number, key: string, value: string): void {
  let a = attrs.get(id);
  if (!a) attrs.set(id, (a = {}));
  a[key] = value;
  if (!flushQueued) {
    flushQueued = true;
    setTimeout(flush, 0);
  }
}

async function create(cmd: Extract<RenderCommand, { type: 'create' }>): Promise<void> {
  waiting.set(cmd.id, []);
  try {
    const app = new Application();
    await app.init({
      canvas: cmd.canvas,
      preference: cmd.preference,
      background: cmd.background,
      antialias: !cmd.software,
      width: cmd.width,
      height: cmd.height,
      resolution: cmd.resolution,
      autoDensity: false,
      autoStart: false,
    });
    const id = cmd.id;
    const core = new ArenaCore(app, cmd.options, { attr: (k, v) => setAttr(id, k, v), layout: (geometry) => post({ type: 'layout', id, geometry }) }, cmd.software);
    arenas.set(id, core);
    setAttr(id, 'pixi', app.renderer.name);
    post({ type: 'created', id });
    const queued = waiting.get(id) ?? [];
    waiting.delete(id);
    for (const c of queued) handle(c);
  } catch (e) {
    waiting.delete(cmd.id);
    post({ type: 'failed', id: cmd.id, message: e instanceof Error ? e.message : String(e) });
  }
}

function handle(cmd: RenderCommand): void {
  if (cmd.type === 'create') {
    void create(cmd);
    return;
  }
  const queued = waiting.get(cmd.id);
  if (queued) {
    queued.push(cmd);
    return;
  }
  const a = arenas.get(cmd.id);
  if (!a) return;
  switch (cmd.type) {
    case 'resize':
      a.resize(cmd.width, cmd.height, cmd.resolution);
      return;
    case 'call':
      (a[cmd.method] as (...args: unknown[]) => void)(...cmd.args);
      return;
    case 'set':
      if (cmd.key === 'paused') a.paused = cmd.value;
      else a[cmd.key] = cmd.value;
      return;
    case 'play': {
      const id = cmd.id;
      const n = cmd.play;
      void a.play(cmd.frames, cmd.options).then(() => {
        flush();
        post({ type: 'played', id, play: n });
      });
      return;
    }
    case 'destroy':
      a.destroy();
      arenas.delete(cmd.id);
      return;
  }
}

scope.addEventListener('message', (e: MessageEvent<RenderCommand>) => handle(e.data));
