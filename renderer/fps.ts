/**
 * Main-thread smoothness: counts requestAnimationFrame callbacks and reports frames per second
 * once a second. A main thread busy with heavy work shows up as a low count.
 */
export class FpsMeter {
  /** one value per elapsed second since start (or since the last reset) */
  readonly samples: number[] = [];
  current = 0;
  /** the longest time between two consecutive frames since start (or the last reset), in ms */
  maxGapMs = 0;
  private frames = 0;
  private last = 0;
  private since = 0;
  private running = false;
  private readonly listeners: ((fps: number) => void)[] = [];

  onUpdate(l: (fps: number) => void): void {
    this.listeners.push(l);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.since = performance.now();
    this.frames = 0;
    this.last = this.since;
    const tick = (now: number) => {
      if (!this.running) return;
      this.frames++;
      this.maxGapMs = Math.max(this.maxGapMs, now - this.last);
      this.last = now;
      const dt = now - this.since;
      if (dt >= 1000) {
        this.current = Math.round((this.frames * 1000) / dt);
        this.samples.push(this.current);
        if (this.samples.length > 600) this.samples.shift();
        this.frames = 0;
        this.since = now;
        this.listeners.forEach((l) => l(this.current));
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  stop(): void {
    this.running = false;
  }

  /** Forget the samples so far (e.g. at the start of a run). */
  reset(): void {
    this.samples.length = 0;
    this.maxGapMs = 0;
    if (this.running) this.last = performance.now();
  }
}
