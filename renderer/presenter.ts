/**
 * Presenter (classroom) mode: full screen when the browser allows it (a CSS class otherwise),
 * large type, and a step-by-step narration of what the audience is seeing.
 */

export const NARRATION: readonly string[] = [
  'Two lineages of agents grow from the same generation 0, trained on games played in a physics simulator.',
  'Left, grounded: each new generation learns from games its predecessor really played in the simulator.',
  "Right, recursive: each new generation learns only from games its predecessor imagined with its own world model. Reality is never consulted while it trains.",
  'Every generation of both lineages is judged the same way: by playing in the real simulator.',
  'The dashed ghost is what the recursive model believes will happen; the solid bodies are what physics does.',
  'Watch the rare styles of play, the tails: they are the first thing a model trained on its own output forgets.',
];

export class Presenter {
  private step = 0;
  private listeners: ((active: boolean) => void)[] = [];

  constructor(
    private readonly doc: Document,
    private readonly els: { toggle: HTMLButtonElement; panel: HTMLElement; stepLabel: HTMLElement; text: HTMLElement; prev: HTMLButtonElement; next: HTMLButtonElement; exit: HTMLButtonElement },
    private readonly steps: readonly string[] = NARRATION,
  ) {
    els.toggle.addEventListener('click', () => void this.toggle());
    els.exit.addEventListener('click', () => void this.toggle(false));
    els.prev.addEventListener('click', () => this.go(this.step - 1));
    els.next.addEventListener('click', () => this.go(this.step + 1));
    doc.addEventListener('keydown', (e) => {
      if (!this.active) return;
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

  onChange(listener: (active: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Turn presenter mode on/off (toggle when `on` is omitted). */
  async toggle(on: boolean = !this.active): Promise<void> {
    if (on === this.active) return;
    this.doc.body.classList.toggle('presenter', on);
    this.els.toggle.setAttribute('aria-pressed', String(on));
    this.els.panel.hidden = !on;
    if (on) this.go(0);
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
    this.step = Math.max(0, Math.min(this.steps.length - 1, i));
    this.render();
  }

  private render(): void {
    this.els.stepLabel.textContent = `Step ${this.step + 1} of ${this.steps.length}`;
    this.els.text.textContent = this.steps[this.step];
    this.els.prev.disabled = this.step === 0;
    this.els.next.disabled = this.step === this.steps.length - 1;
  }
}
