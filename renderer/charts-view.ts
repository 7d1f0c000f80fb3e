/**
 * Live charts: the CLI report's Vega-Lite specs (lab/charts.ts) rendered with vega as SVG under
 * the app's CSP — no eval: the specs are parsed with `{ ast: true }` and evaluated by
 * vega-interpreter. One chart is (re)rendered per task. While a run trains, charts are rendered to
 * SVG text in a worker (chart-worker.ts) and the page only inserts it, so its main thread stays
 * free; when the run stops or ends they are drawn again as live views (hover, tooltips). Charts
 * export as SVG (view.toSVG, or the worker's text) or PNG (view.toCanvas, or the text drawn on a
 * canvas).
 */
import { View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { actionHistogramChart, believedVsRealChart, metricChart, type VegaLiteSpec } from '../lab/charts.ts';
import { METRIC_WORDS, explainMetric } from '../lab/metric-words.ts';
import type { MetricsRow } from '../lab/types.ts';
import { vegaRuntime, type ChartReply, type ChartRequest } from './chart-svg.ts';

interface ChartDefinition {
  id: string;
  label: string;
  /** the metrics key it shows (its plain explanation: METRIC_WORDS) */
  key?: string;
  wide?: boolean;
  build(rows: readonly MetricsRow[], width: number): VegaLiteSpec | null;
}

interface Chart extends ChartDefinition {
  fig: HTMLElement;
  body: HTMLElement;
  view: View | null;
  /** the SVG text the worker drew (when the chart has no live view) */
  svg: string | null;
  dirty: boolean;
}

const LINE_HEIGHT = 170;
/** while a run trains: at most one pass over the charts per this many ms */
const PASS_MS = 2000;
/** total height of a line chart card's drawing (title, axes and legend included) */
const CHART_HEIGHT = 300;

function lineCharts(): ChartDefinition[] {
  const metric = (id: string, label: string, key: keyof MetricsRow): ChartDefinition => ({
    id,
    label,
    key,
    build: (rows, width) => (rows.some((r) => typeof r[key] === 'number') ? metricChart(rows, key, { width, height: LINE_HEIGHT }) : null),
  });
  return [
    metric('elo', 'Elo', 'elo'),
    {
      id: 'winrate',
      label: 'Believed vs real win rate',
      key: 'selfDeception',
      build: (rows, width) => believedVsRealChart(rows, { width, height: LINE_HEIGHT }) ?? metricChart(rows, 'winRate', { width, height: LINE_HEIGHT }),
    },
    metric('realnll', 'NLL of real data', 'realNll'),
    metric('entropy', 'Policy entropy', 'entropy'),
    metric('tailshare', 'Rare-style share (tails)', 'tailShare'),
    metric('realitygap', 'Reality gap', 'realityGap'),
  ];
}

/** Points drawn by a line chart's spec (lineage × generation [× series]), for tests and readouts. */
function pointCount(spec: VegaLiteSpec): number {
  const values = (spec.data as { values?: unknown[] } | undefined)?.values;
  return Array.isArray(values) ? values.length : 0;
}

export class ChartBoard {
  private readonly charts = new Map<string, Chart>();
  private rows: readonly MetricsRow[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private rendering = false;
  private readonly listeners: ((id: string) => void)[] = [];
  /** every render: chart id, points drawn, generations in the data, where it was drawn (tests read it) */
  readonly log: { id: string; points: number; generations: number; by: 'page' | 'worker' }[] = [];
  /** live views on the page (true), or SVG text from the worker (while a run trains) */
  private interactive = true;
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, (r: ChartReply) => void>();
  /** the charts this pass still has to draw, and when the pass started */
  private queue: Chart[] = [];
  private passStarted = -Infinity;

  constructor(
    private readonly container: HTMLElement,
    private readonly onExport: (id: string, format: 'svg' | 'png') => void,
    private makeWorker: (() => Worker) | null = null,
  ) {
    for (const d of lineCharts()) this.add(d);
    // shown again after being hidden (its size leaves 0): draw what changed meanwhile
    new ResizeObserver(() => {
      if (this.container.offsetParent !== null && [...this.charts.values()].some((c) => c.dirty)) this.schedule();
    }).observe(container);
  }

  /** Called after each chart render (tests, status). */
  onRender(listener: (id: string) => void): void {
    this.listeners.push(listener);
  }

  get ids(): string[] {
    return [...this.charts.keys()];
  }

  /** Replace the rows (all of a run so far); the charts follow, one per task. */
  setRows(rows: readonly MetricsRow[]): void {
    this.rows = rows;
    const lineages = [...new Set(rows.map((r) => r.lineage))];
    for (const l of lineages) {
      const id = `actions-${l}`;
      if (!this.charts.has(id)) this.add({ id, label: `Actions by generation: ${l}`, wide: true, build: (rs, width) => actionHistogramChart(rs, l, { width }) });
    }
    for (const [id, c] of this.charts) {
      if (id.startsWith('actions-') && !lineages.includes(id.slice('actions-'.length))) {
        c.view?.finalize();
        c.fig.remove();
        this.charts.delete(id);
      } else c.dirty = true;
    }
    if (rows.length === 0) for (const c of this.charts.values()) this.clear(c);
    this.schedule();
  }

  /**
   * Live views on the page (true) or SVG text drawn by the worker (false: while a run trains).
   * Back to live, every chart is drawn again as a live view.
   */
  setInteractive(on: boolean): void {
    if (on === this.interactive) return;
    this.interactive = on;
    if (on) for (const c of this.charts.values()) if (c.svg !== null) c.dirty = true;
    this.schedule();
  }

  /** Re-render everything (after a layout change). */
  refresh(): void {
    for (const c of this.charts.values()) c.dirty = true;
    this.schedule();
  }

  async exportSvg(id: string): Promise<string> {
    const c = this.drawn(id);
    return c.view ? c.view.toSVG() : (c.svg ?? '');
  }

  async exportPng(id: string, scale = 2): Promise<Uint8Array> {
    const c = this.drawn(id);
    const canvas = c.view ? await c.view.toCanvas(scale) : await svgToCanvas(c.svg ?? '', scale);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the browser could not encode the chart as PNG');
    return new Uint8Array(await blob.arrayBuffer());
  }

  private drawn(id: string): Chart {
    const c = this.charts.get(id);
    if (!c?.view && !c?.svg) throw new Error(`chart ${id} has nothing to export yet`);
    return c;
  }

  /** The worker's SVG text for a spec; null when there is no worker (or it failed: the page draws). */
  private async workerSvg(spec: VegaLiteSpec): Promise<string | null> {
    if (!this.makeWorker) return null;
    if (!this.worker) {
      try {
        this.worker = this.makeWorker();
      } catch (e) {
        console.warn('charts are drawn on the page: no chart worker', e);
        this.makeWorker = null;
        return null;
      }
      this.worker.onmessage = (e: MessageEvent<ChartReply>) => {
        const done = this.waiting.get(e.data.seq);
        this.waiting.delete(e.data.seq);
        done?.(e.data);
      };
      this.worker.onerror = (e) => {
        // the worker could not start (or crashed): every waiting chart is drawn on the page
        console.warn('the chart worker failed; charts are drawn on the page', e.message);
        this.worker?.terminate();
        this.worker = null;
        this.makeWorker = null;
        for (const [seq, done] of this.waiting) done({ seq, error: 'the chart worker failed' });
        this.waiting.clear();
      };
    }
    const seq = ++this.seq;
    const reply = await new Promise<ChartReply>((resolve) => {
      this.waiting.set(seq, resolve);
      this.worker!.postMessage({ seq, spec } satisfies ChartRequest);
    });
    if ('error' in reply) {
      console.warn(`chart drawn on the page: the worker said ${reply.error}`);
      return null;
    }
    return reply.svg;
  }

  private add(d: ChartDefinition): void {
    const fig = document.createElement('figure');
    fig.className = d.wide ? 'chart wide' : 'chart';
    fig.dataset.chart = d.id;
    fig.dataset.points = '0';
    const cap = document.createElement('figcaption');
    const title = document.createElement('span');
    title.textContent = d.label;
    const tools = document.createElement('span');
    tools.className = 'chart-tools';
    const words = d.key === 'selfDeception' ? `${METRIC_WORDS.winRate.plain} ${METRIC_WORDS.believedWinRate.plain}` : d.key ? explainMetric(d.key) : '';
    let explain: HTMLParagraphElement | null = null;
    const text = words || (d.id.startsWith('actions-') ? explainMetric('actionHistogram') : '');
    if (text) {
      // hover shows it (title); a tap or click on ? shows it in the card
      cap.title = text;
      explain = document.createElement('p');
      explain.className = 'chart-explain';
      explain.id = `explain-${d.id}`;
      explain.textContent = text;
      explain.hidden = true;
      const info = document.createElement('button');
      info.type = 'button';
      info.className = 'info';
      info.textContent = '?';
      info.setAttribute('aria-label', `What does “${d.label}” mean?`);
      info.setAttribute('aria-expanded', 'false');
      info.setAttribute('aria-controls', explain.id);
      const ex = explain;
      info.addEventListener('click', () => {
        ex.hidden = !ex.hidden;
        info.setAttribute('aria-expanded', String(!ex.hidden));
      });
      tools.appendChild(info);
    }
    for (const format of ['svg', 'png'] as const) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = format.toUpperCase();
      b.title = `Export this chart as ${format.toUpperCase()}`;
      b.dataset.export = format;
      b.disabled = true;
      b.addEventListener('click', () => this.onExport(d.id, format));
      tools.appendChild(b);
    }
    cap.append(title, tools);
    const body = document.createElement('div');
    body.className = 'chart-body';
    fig.append(cap, ...(explain ? [explain] : []), body);
    this.container.appendChild(fig);
    this.charts.set(d.id, { ...d, fig, body, view: null, svg: null, dirty: true });
  }

  private clear(c: Chart): void {
    c.view?.finalize();
    c.view = null;
    c.svg = null;
    c.body.replaceChildren();
    c.fig.dataset.points = '0';
    c.fig.dataset.generations = '0';
    c.dirty = false;
    c.fig.querySelectorAll<HTMLButtonElement>('button[data-export]').forEach((b) => (b.disabled = true));
  }

  private schedule(): void {
    if (this.timer !== null || this.rendering) return;
    // while a run trains, a new pass over the charts starts at most every PASS_MS: rows arrive
    // about once a second, and redrawing eight charts for each would take CPU from the training
    // (the next chart of a pass under way goes at once, after a yield to the page)
    const wait = this.queue.length > 0 ? 0 : this.interactive ? 30 : Math.max(30, this.passStarted + PASS_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump();
    }, wait);
  }

  /**
   * Render the next chart of this pass (the charts that were dirty when it started, each once),
   * then yield to the page before the next one.
   */
  private async pump(): Promise<void> {
    // hidden (presenter mode, or a lesson without charts): nothing is drawn; the charts stay dirty
    // and are drawn by refresh() when shown again, not re-rendered unseen for every generation
    if (this.container.offsetParent === null) return;
    if (this.queue.length === 0) {
      this.queue = [...this.charts.values()].filter((x) => x.dirty);
      if (this.queue.length === 0) return;
      this.passStarted = performance.now();
    }
    const c = this.queue.shift()!;
    if (this.charts.get(c.id) === c && c.dirty) {
      this.rendering = true;
      try {
        c.dirty = false;
        await this.render(c);
      } catch (e) {
        c.body.textContent = `chart failed: ${e instanceof Error ? e.message : String(e)}`;
        console.warn(e);
      } finally {
        this.rendering = false;
      }
      this.log.push({ id: c.id, points: Number(c.fig.dataset.points ?? 0), generations: Number(c.fig.dataset.generations ?? 0), by: c.svg !== null ? 'worker' : 'page' });
      this.listeners.forEach((l) => l(c.id));
    }
    if (this.queue.length > 0 || [...this.charts.values()].some((x) => x.dirty)) this.schedule();
  }

  private async render(c: Chart): Promise<void> {
    // the rows this render draws (more may arrive while the worker draws: the chart is then dirty again)
    const rows = this.rows;
    if (rows.length === 0) return this.clear(c);
    const avail = Math.max(240, c.body.clientWidth - 16);
    const spec = c.build(rows, c.wide ? Math.max(200, avail - 40) : avail);
    if (!spec) return this.clear(c);
    // line charts fill their card exactly (axes, legend and title included); faceted ones keep their size
    if (!('facet' in spec)) spec.autosize = { type: 'fit', contains: 'padding' };
    // one more legend row per three more lineages (the winrate chart lists them in one column)
    const lineages = new Set(rows.map((r) => r.lineage)).size;
    const legendRows = c.id === 'winrate' ? Math.max(0, lineages - 2) : Math.max(0, Math.ceil(lineages / 3) - 1);
    if (!('facet' in spec)) spec.height = CHART_HEIGHT + 20 * legendRows;
    // long report titles wrap onto more lines rather than being cut or widening the chart
    const config = (spec.config ?? {}) as Record<string, Record<string, unknown>>;
    // (about 9.5 px a character in the 16 px bold title, 6 px in the 11 px subtitle)
    const perLine = Math.max(20, Math.floor((avail - 30) / 9.5));
    const subPerLine = Math.max(20, Math.floor((avail - 30) / 6));
    const t = spec.title as { text?: string | string[]; subtitle?: string | string[] } | string | undefined;
    if (t && typeof t === 'object') spec.title = { ...t, ...(t.text ? { text: wrapLines(t.text, perLine) } : {}), ...(t.subtitle ? { subtitle: wrapLines(t.subtitle, subPerLine) } : {}) };
    spec.config = {
      ...config,
      title: { ...(config.title ?? {}), subtitleFontSize: 11 },
      // a vertical axis title no longer than the plot is high (the `height` signal, after the
      // card's fit), in a smaller type: a longer one reached above the plot and pushed the
      // chart's own title out of the top of the card
      axisY: { ...(config.axisY ?? {}), titleLimit: { expr: 'height' }, titleFontSize: 12 },
      // two legends side by side (believed vs real) fit a card when listed vertically
      legend: { ...(config.legend ?? {}), ...(c.id === 'winrate' ? { columns: 1 } : {}) },
    };
    const host = document.createElement('div');
    host.className = 'chart-view';
    const text = this.interactive ? null : await this.workerSvg(spec);
    if (text !== null) {
      // parsed into the page: the one piece of the work left on the main thread
      host.innerHTML = text;
      c.view?.finalize();
      c.view = null;
      c.svg = text;
    } else {
      const view = new View(vegaRuntime(spec), { expr: expressionInterpreter, renderer: 'svg', container: host, hover: true });
      await view.runAsync();
      c.view?.finalize();
      c.view = view;
      c.svg = null;
    }
    c.body.replaceChildren(host);
    // the chart's accessible name: its title
    const svg = host.querySelector('svg');
    if (svg) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', `${c.label}: chart, one line per lineage by generation`);
    }
    c.fig.dataset.points = String(pointCount(spec));
    c.fig.dataset.generations = String(new Set(rows.map((r) => r.generation)).size);
    c.fig.querySelectorAll<HTMLButtonElement>('button[data-export]').forEach((b) => (b.disabled = false));
  }
}

/** SVG text drawn on a canvas, `scale` times its size (a chart the worker drew, exported as PNG). */
async function svgToCanvas(svg: string, scale: number): Promise<HTMLCanvasElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(img.naturalWidth * scale);
    canvas.height = Math.ceil(img.naturalHeight * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('the browser has no 2D canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Lines of at most `n` characters (words kept whole). */
function wrapLines(text: string | string[], n: number): string[] {
  const out: string[] = [];
  for (const para of Array.isArray(text) ? text : [text]) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      if (line && line.length + 1 + word.length > n) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
  }
  return out;
}
