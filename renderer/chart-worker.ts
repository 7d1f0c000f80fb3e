/// <reference lib="webworker" />
/**
 * The charts' worker: renders a chart's Vega-Lite spec to SVG text (chart-svg.ts) off the main
 * thread; the page only inserts the text. Speaks ChartRequest / ChartReply.
 *
 * Vega measures label widths on a canvas it makes once, when it loads, with
 * document.createElement('canvas'). A worker has no document, and Vega would then estimate widths
 * (0.8 × font size a character): titles, legends and truncated labels would be laid out unlike the
 * page's. So while Vega loads, `document.createElement('canvas')` makes an OffscreenCanvas, and the
 * stand-in document is removed again once it has loaded.
 */
import type { ChartReply, ChartRequest } from './chart-svg.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const g = globalThis as { document?: unknown };
let ready: Promise<typeof import('./chart-svg.ts')> | null = null;

function load(): Promise<typeof import('./chart-svg.ts')> {
  if (!ready) {
    g.document = { createElement: (tag: string) => (tag === 'canvas' ? new OffscreenCanvas(1, 1) : null) };
    ready = import('./chart-svg.ts').finally(() => {
      delete g.document;
    });
  }
  return ready;
}

scope.onmessage = async (e: MessageEvent<ChartRequest>) => {
  const { seq, spec } = e.data;
  let reply: ChartReply;
  try {
    const { specToSvg } = await load();
    reply = { seq, svg: await specToSvg(spec) };
  } catch (err) {
    reply = { seq, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(reply);
};
