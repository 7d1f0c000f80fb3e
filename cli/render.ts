/**
 * Chart rendering for the headless CLI: Vega-Lite spec → SVG (vega, no canvas needed) and
 * SVG → PNG (resvg). Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartDef, VegaLiteSpec } from '../lab/charts.ts';
import { reportCharts } from '../lab/charts.ts';
import type { AnyRow } from '../lab/types.ts';

/** Compile a Vega-Lite spec and render it to a standalone SVG string (no canvas, no DOM). */
export async function specToSvg(spec: VegaLiteSpec): Promise<string> {
  installTextMetrics();
  const vg = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Render every chart of `charts` (default: `reportCharts(rows)`) to SVG. */
export async function renderChartSvgs(charts: ChartDef[]): Promise<{ id: string; title: string; svg: string }[]> {
  const out: { id: string; title: string; svg: string }[] = [];
  for (const c of charts) out.push({ id: c.id, title: c.title, svg: await specToSvg(c.spec) });
  return out;
}

/** Convenience: SVGs for every chart the rows support. */
export function renderReportSvgs(rows: readonly AnyRow[]): Promise<{ id: string; title: string; svg: string }[]> {
  return renderChartSvgs(reportCharts(rows));
}

/** Font files tried first (fast, predictable); the family name is what resvg should fall back to. */
const KNOWN_FONTS: { family: string; files: string[] }[] = [
  {
    family: 'DejaVu Sans',
    files: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'],
  },
  {
    family: 'Liberation Sans',
    files: ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf', '/usr/share/fonts/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/liberation/LiberationSans-Bold.ttf'],
  },
  { family: 'Arial', files: ['C:\\Windows\\Fonts\\arial.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf', '/System/Library/Fonts/Supplemental/Arial.ttf', '/System/Library/Fonts/Supplemental/Arial Bold.ttf', '/Library/Fonts/Arial.ttf'] },
  { family: 'Helvetica', files: ['/System/Library/Fonts/Helvetica.ttc'] },
];

let fontOptions: ResvgRenderOptions['font'] | undefined;

/**
 * Fonts for resvg: known sans-serif files when present (no slow scan of every system font);
 * otherwise all system fonts. Text needs at least one font to show at all.
 */
function fonts(): NonNullable<ResvgRenderOptions['font']> {
  if (fontOptions) return fontOptions;
  const files: string[] = [];
  let family: string | undefined;
  for (const f of KNOWN_FONTS) {
    const found = f.files.filter((p) => existsSync(p));
    if (found.length > 0) {
      files.push(...found);
      family ??= f.family;
    }
  }
  fontOptions = family
    ? { loadSystemFonts: false, fontFiles: files, defaultFontFamily: family, sansSerifFamily: family }
    : { loadSystemFonts: true };
  return fontOptions;
}

function renderSvg(svg: string, scale: number) {
  return new Resvg(svg, {
    font: fonts(),
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    textRendering: 1,
    shapeRendering: 2,
    logLevel: 'off',
  }).render();
}

/** Rasterise an SVG to PNG bytes on a white background; `scale` 2 gives crisp text. */
export function svgToPng(svg: string, opts: { scale?: number } = {}): Uint8Array {
  return new Uint8Array(renderSvg(svg, opts.scale ?? 2).asPng());
}

/** Rasterise an SVG to raw RGBA pixels (for checks such as "the text was drawn"). */
export function svgToPixels(svg: string, opts: { scale?: number } = {}): { width: number; height: number; rgba: Uint8Array } {
  const img = renderSvg(svg, opts.scale ?? 1);
  return { width: img.width, height: img.height, rgba: new Uint8Array(img.pixels) };
}

/** Which fonts resvg was given (for diagnostics and tests). */
export function renderFonts(): { family: string | null; files: string[] } {
  const f = fonts();
  return { family: f.defaultFontFamily ?? null, files: f.fontFiles ?? [] };
}

// ---------------------------------------------------------------------------------------------
// Text measurement. Without a canvas, vega guesses every character is 0.8 em wide, which makes
// layouts too wide and truncates legend labels early. We measure with the advance widths of the
// font resvg will draw with (read from the TrueType file), or 0.58 em per character without one.

interface FontWidths {
  unitsPerEm: number;
  advance: (codePoint: number) => number;
}

/** Advance widths from a TrueType/OpenType (glyf or CFF) file: head, hhea, hmtx and a format-4 cmap. */
export function parseFontWidths(bytes: Uint8Array): FontWidths | null {
  try {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sig = v.getUint32(0);
    if (sig !== 0x00010000 && sig !== 0x4f54544f /* OTTO */ && sig !== 0x74727565 /* true */) return null;
    const numTables = v.getUint16(4);
    const tables = new Map<string, number>();
    for (let i = 0; i < numTables; i++) {
      const rec = 12 + 16 * i;
      const tag = String.fromCharCode(v.getUint8(rec), v.getUint8(rec + 1), v.getUint8(rec + 2), v.getUint8(rec + 3));
      tables.set(tag, v.getUint32(rec + 8));
    }
    const head = tables.get('head');
    const hhea = tables.get('hhea');
    const hmtx = tables.get('hmtx');
    const cmap = tables.get('cmap');
    if (head === undefined || hhea === undefined || hmtx === undefined || cmap === undefined) return null;
    const unitsPerEm = v.getUint16(head + 18);
    const nMetrics = v.getUint16(hhea + 34);
    const advanceOf = (glyph: number) => v.getUint16(hmtx + 4 * Math.min(glyph, nMetrics - 1));
    let sub = -1;
    const nSub = v.getUint16(cmap + 2);
    for (let i = 0; i < nSub; i++) {
      const rec = cmap + 4 + 8 * i;
      const platform = v.getUint16(rec);
      const encoding = v.getUint16(rec + 2);
      const off = cmap + v.getUint32(rec + 4);
      if (v.getUint16(off) !== 4) continue;
      if ((platform === 3 && encoding === 1) || platform === 0) {
        sub = off;
        if (platform === 3) break;
      }
    }
    if (sub < 0) return null;
    const segX2 = v.getUint16(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    const cache = new Map<number, number>();
    const glyphOf = (c: number): number => {
      if (c > 0xffff) return 0;
      for (let i = 0; i < segX2; i += 2) {
        if (v.getUint16(ends + i) < c) continue;
        const start = v.getUint16(starts + i);
        if (start > c) return 0;
        const delta = v.getUint16(deltas + i);
        const ro = v.getUint16(ranges + i);
        if (ro === 0) return (c + delta) & 0xffff;
        const g = v.getUint16(ranges + i + ro + 2 * (c - start));
        return g === 0 ? 0 : (g + delta) & 0xffff;
      }
      return 0;
    };
    const notdef = advanceOf(0);
    return {
      unitsPerEm,
      advance: (c) => {
        let a = cache.get(c);
        if (a === undefined) {
          const g = glyphOf(c);
          a = g === 0 ? notdef : advanceOf(g);
          cache.set(c, a);
        }
        return a;
      },
    };
  } catch {
    return null;
  }
}

let metricsInstalled = false;

function installTextMetrics(): void {
  if (metricsInstalled) return;
  metricsInstalled = true;
  const f = fonts();
  const files = f.fontFiles ?? [];
  const load = (pick: (p: string) => boolean): FontWidths | null => {
    for (const p of files.filter(pick)) {
      const w = /\.(ttf|otf)$/i.test(p) ? parseFontWidths(new Uint8Array(readFileSync(p))) : null;
      if (w) return w;
    }
    return null;
  };
  const regular = load((p) => !/bold|bd\./i.test(p));
  const bold = load((p) => /bold|bd\./i.test(p));
  const measure = (text: string, size: number, isBold: boolean): number => {
    const font = isBold ? (bold ?? regular) : regular;
    if (!font) return 0.58 * size * [...text].length * (isBold ? 1.08 : 1);
    let units = 0;
    for (const ch of text) units += font.advance(ch.codePointAt(0)!);
    return (units / font.unitsPerEm) * size * (isBold && !bold ? 1.08 : 1);
  };
  type Item = { fontSize?: number; fontWeight?: string | number; limit?: number };
  const tm = (vega as unknown as { textMetrics: { width: (item: Item, text?: unknown) => number } }).textMetrics;
  tm.width = (item, text) => {
    const s = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const w = item.fontWeight;
    const isBold = w === 'bold' || w === 'bolder' || (typeof w === 'number' && w >= 600) || (typeof w === 'string' && +w >= 600);
    const width = measure(s, size, isBold);
    // vega truncates to item.limit itself (by calling back here on slices); never report more.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}
