/**
 * A chart's Vega-Lite spec → SVG text, with no DOM: what the chart worker (chart-worker.ts) runs
 * while a run trains, so rendering charts never blocks the page's main thread. No eval (the app's
 * CSP): the spec is parsed with `{ ast: true }` and evaluated by vega-interpreter.
 */
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VegaLiteSpec } from '../lab/charts.ts';

/** A Vega-Lite spec compiled and parsed for a View, without eval (for the worker and the page's live views). */
export function vegaRuntime(spec: VegaLiteSpec): ReturnType<typeof parse> {
  return parse(compile(spec as unknown as TopLevelSpec).spec, undefined, { ast: true });
}

export async function specToSvg(spec: VegaLiteSpec): Promise<string> {
  const view = new View(vegaRuntime(spec), { expr: expressionInterpreter, renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A request to the chart worker, and its reply. */
export interface ChartRequest {
  seq: number;
  spec: VegaLiteSpec;
}
export type ChartReply = { seq: number; svg: string } | { seq: number; error: string };
