/**
 * The arenas' shared animation loop and the renderer probe (split from renderer/arena.ts).
 *
 * All live arenas share one requestAnimationFrame loop: each frame calls `frame(dt)` on every
 * registered arena, which advances its playback and renders only if something changed, so idle
 * arenas cost nothing; the loop stops by itself when no arena is left. `softwareRendering` tells
 * whether WebGL would be drawn without a GPU; `arenaRenderer` then picks Pixi's 2D canvas renderer.
 */

/** What the loop drives: an arena's per-frame step (playback, then a render if dirty). */
export interface LoopClient {
  frame(deltaMS: number): void;
}

const live = new Set<LoopClient>();
let loopRunning = false;
let lastTime = 0;

/** Drive `client` every animation frame from now on (starts the loop if it is idle). */
export function joinLoop(client: LoopClient): void {
  live.add(client);
  startLoop();
}

/** Stop driving `client`; the loop ends after its next frame when no client is left. */
export function leaveLoop(client: LoopClient): void {
  live.delete(client);
}

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

/**
 * Which Pixi renderer draws the arenas: a 2D canvas where WebGL would run in software (no GPU:
 * SwiftShader's WebGL costs a core's half in Chromium's GPU process while arenas play, and its
 * output is composited on top), WebGL where a GPU draws it. `?arenas=webgl|canvas` overrides it.
 */
export function arenaRenderer(): 'webgl' | 'canvas' {
  const forced = pageParam('arenas');
  if (forced === 'webgl' || forced === 'canvas') return forced;
  return softwareRendering() ? 'canvas' : 'webgl';
}

/** A parameter of the page's URL (`?render=page`, `?arenas=canvas`), null where there is none or no page. */
export function pageParam(name: string): string | null {
  return new URLSearchParams(globalThis.location?.search ?? '').get(name);
}

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
