/**
 * The headline charts panel of presenter mode (headline-charts.ts draws them): it shows the rows
 * up to the generation the narration is on, so the lines grow as the presenter steps through.
 */
import { METRIC_WORDS } from '../lab/metric-words.ts';
import type { MetricsRow } from '../lab/types.ts';
import { headlineCharts, headlineSvg } from './headline-charts.ts';

export class HeadlinePanel {
  private rows: readonly MetricsRow[] = [];
  private upTo = Infinity;
  private readonly observer: ResizeObserver;
  private frame = 0;

  constructor(private readonly container: HTMLElement) {
    // each chart's body is watched: a caption that wraps differently changes a body, not the panel
    this.observer = new ResizeObserver(() => this.schedule());
    this.observer.observe(container);
  }

  /** The run's rows and the newest generation to show (Infinity: all). */
  update(rows: readonly MetricsRow[], upTo: number): void {
    this.rows = rows;
    this.upTo = upTo;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    if (this.container.offsetParent === null) return; // hidden: drawn when shown
    const charts = headlineCharts(this.rows, this.upTo);
    const maxGeneration = Math.max(1, ...this.rows.map((r) => r.generation));
    this.container.dataset.charts = String(charts.length);
    this.container.dataset.upTo = Number.isFinite(this.upTo) ? String(this.upTo) : 'all';
    if (!charts.length) {
      this.container.replaceChildren(Object.assign(document.createElement('p'), { className: 'headline-empty', textContent: 'The charts grow here, one point per generation, once the run has its first generation.' }));
      return;
    }
    const keep = new Map([...this.container.querySelectorAll<HTMLElement>('figure.headline-chart')].map((f) => [f.dataset.chart!, f]));
    const figs = charts.map((c) => {
      let fig = keep.get(c.id);
      if (!fig) {
        fig = document.createElement('figure');
        fig.className = 'headline-chart';
        fig.dataset.chart = c.id;
        const cap = document.createElement('figcaption');
        const body = document.createElement('div');
        body.className = 'headline-body';
        fig.append(cap, body);
        this.observer.observe(body);
      }
      const cap = fig.querySelector('figcaption')!;
      cap.textContent = c.title;
      const words = METRIC_WORDS[c.key]?.plain;
      if (words) cap.title = words;
      const body = fig.querySelector<HTMLElement>('.headline-body')!;
      fig.dataset.points = String(c.series.reduce((n, s) => n + s.points.length, 0));
      return { fig, body, c };
    });
    for (const fig of keep.values()) if (!figs.some((f) => f.fig === fig)) this.observer.unobserve(fig.querySelector('.headline-body')!);
    this.container.replaceChildren(...figs.map((f) => f.fig));
    for (const { body, c } of figs) {
      // exactly the body's size: the svg is out of the flow (style.css), so it can neither
      // overflow the body nor hold the body at the size it had when the window was larger
      const w = Math.floor(body.clientWidth);
      const h = Math.floor(body.clientHeight);
      if (w < 1 || h < 1) continue;
      body.innerHTML = headlineSvg(c, w, h, maxGeneration);
    }
  }
}
