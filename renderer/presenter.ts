/**
 * Presenter (classroom) mode: full screen when the browser allows it (a CSS class otherwise),
 * large type, and a step-by-step narration of what the audience is seeing: a short introduction,
 * then one step per stage of the run as the lab reports it (narration.ts), with the real numbers.
 */
import type { NarrationStep } from './narration.ts';

export const NARRATION: readonly string[] = [
  'Two lineages of agents grow from the same generation 0, trained on games played in a physics simulator.',
  'Left, grounded: each new generation learns from games its predecessor really played in the simulator.',
  "Right, recursive: each new generation learns only from games its predecessor imagined with its own world model. Reality is never consulted while it trains.",
  'Every generation of both lineages is judged the same way: by playing in the real simulator.',
  'The dashed ghost is what the recursive model believes will happen; the solid bodies are what physics does.',
  'The charts follow each generation: its real win rate, what its world model believes, and how well that world model still predicts real games.',
];

const INTRO: readonly NarrationStep[] = NARRATION.map((text, i) => ({ label: i === 0 ? 'Driftlab' : 'How it works', text }));

export class Presenter {
  private step = 0;
  private live: NarrationStep[] = [];
  private listeners: ((active: boolean) => void)[] = [];
  private stepListeners: ((step: NarrationStep) => void)[] = [];

  constructor(
    private readonly doc: Document,
    private readonly els: { toggle: HTMLButtonElement; panel: HTMLElement; stepLabel: HTMLElement; text: HTMLElement; prev: HTMLButtonElement; next: HTMLButtonElement; exit: HTMLButtonElement },
    private readonly intro: readonly NarrationStep[] = INTRO,
  ) {
    els.toggle.addEventListener('click', () => void this.toggle());
    els.exit.addEventListener('click', () => void this.toggle(false));
    els.prev.addEventListener('click', () => this.go(this.step - 1));
    els.next.addEventListener('click', () => this.go(this.step + 1));
    doc.addEventListener('keydown', (e) => {
      if (!this.active || this.doc.body.classList.contains('playing')) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') this.go(this.step + 1);
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') this.go(this.step - 1);
      else if (e.key === 'Escape') void this.toggle(false);
      else return;
      e.preventDefault();
    });
    this.render();
  }

  get active(): boolean {
    return this.doc.body.classList.contains('presenter');
  }

  get currentStep(): number {
    return this.step;
  }

  get steps(): readonly NarrationStep[] {
    return [...this.intro, ...this.live];
  }

  onChange(listener: (active: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** The step on screen changed (only while presenter mode is on). */
  onStep(listener: (step: NarrationStep) => void): void {
    this.stepListeners.push(listener);
  }

  /** Forget the live steps (a new run). */
  clearLive(): void {
    this.live = [];
    this.go(Math.min(this.step, this.intro.length - 1));
  }

  /**
   * Add a live step. When the audience is on the newest step (or still in the introduction of a
   * run that has started), the narration follows to the new one.
   */
  push(step: NarrationStep): void {
    const all = this.steps.length;
    const following = this.step === all - 1 || this.live.length === 0;
    this.live.push(step);
    if (following) this.go(this.steps.length - 1);
    else this.render();
  }

  /** Turn presenter mode on/off (toggle when `on` is omitted). */
  async toggle(on: boolean = !this.active): Promise<void> {
    if (on === this.active) return;
    this.doc.body.classList.toggle('presenter', on);
    this.els.toggle.setAttribute('aria-pressed', String(on));
    this.els.panel.hidden = !on;
    if (on) this.go(this.live.length > 0 ? this.steps.length - 1 : 0);
    this.listeners.forEach((l) => l(on));
    // full screen is a bonus: refused without a user gesture, or inside some embeddings
    const root = this.doc.documentElement;
    try {
      if (on && this.doc.fullscreenEnabled && !this.doc.fullscreenElement) await root.requestFullscreen();
      else if (!on && this.doc.fullscreenElement) await this.doc.exitFullscreen();
    } catch {
      /* the CSS class alone gives the presenter layout */
    }
  }

  go(i: number): void {
    const steps = this.steps;
    const before = this.step;
    this.step = Math.max(0, Math.min(steps.length - 1, i));
    this.render();
    if (this.active && (before !== this.step || i === this.step)) this.stepListeners.forEach((l) => l(steps[this.step]));
  }

  private render(): void {
    const steps = this.steps;
    const s = steps[this.step];
    this.els.stepLabel.textContent = `Step ${this.step + 1} of ${steps.length} · ${s.label}`;
    this.els.text.textContent = s.text;
    this.els.prev.disabled = this.step === 0;
    this.els.next.disabled = this.step === steps.length - 1;
  }
}
