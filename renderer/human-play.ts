/**
 * Human play: the person controls seat 0 (blue) against a model or a scripted player, in the
 * real simulator (the arena worker steps it one decision at a time).
 * - duel: ↑/↓ aim (angle), ←/→ power, or drag from the tank with the mouse; Space (or Fire) shoots
 * - hockey: arrow keys / WASD push the paddle, or the paddle is pulled towards the mouse pointer
 */
import { angleFromAction } from '../sim/duel.ts';
import type { EpisodeRecord, ScenarioId, SceneView, Vec } from '../sim/types.ts';
import type { Arena } from './arena.ts';
import type { ArenaClient, OpponentSpec, PlayUpdate } from './arena-client.ts';
import { unpackFrame } from './scene-pack.ts';

export interface PlayOptions {
  scenario: ScenarioId;
  params: Record<string, number>;
  opponent: OpponentSpec;
  /** who the opponent is, for provenance: e.g. "recursive/g3" or "scripted:direct" */
  opponentId: string;
  seed: number;
}

export interface FinishedGame {
  ep: EpisodeRecord;
  players: [string, string];
}

const clamp1 = (v: number) => (v < -1 ? -1 : v > 1 ? 1 : v);
const STEP = 0.04;

export class HumanPlay {
  private opts: PlayOptions | null = null;
  private scene: SceneView | null = null;
  private busy = false;
  private token = 0;
  private finishedGame: FinishedGame | null = null;
  /** duel aim: angle and power actions in [-1, 1] */
  private aim: [number, number] = [0, 0];
  private readonly keys = new Set<string>();
  private pointer: { x: number; y: number } | null = null;
  private dragging = false;
  private readonly listeners: ((g: FinishedGame) => void)[] = [];
  private readonly statusListeners: ((text: string) => void)[] = [];
  /** decisions taken in this game (observable by tests) */
  steps = 0;
  /** duel: shots the person fired in this game */
  shots = 0;
  private readonly waitListeners: ((waiting: boolean) => void)[] = [];

  /** Duel: the person must wait (a shell is flying or the opponent is shooting), or may fire. */
  onWait(l: (waiting: boolean) => void): void {
    this.waitListeners.push(l);
  }

  constructor(
    private readonly arena: Arena,
    private readonly client: ArenaClient,
  ) {
    const doc = arena.host.ownerDocument;
    doc.addEventListener('keydown', (e) => this.onKey(e, true));
    doc.addEventListener('keyup', (e) => this.onKey(e, false));
    const c = arena.canvas;
    c.addEventListener('pointerdown', (e) => {
      this.dragging = true;
      c.setPointerCapture?.(e.pointerId);
      this.onPointer(e);
    });
    c.addEventListener('pointermove', (e) => this.onPointer(e));
    c.addEventListener('pointerup', () => (this.dragging = false));
    c.addEventListener('pointerleave', () => {
      if (!this.dragging) this.pointer = null;
    });
  }

  get active(): boolean {
    return this.opts !== null;
  }

  get finished(): FinishedGame | null {
    return this.finishedGame;
  }

  /** the duel aim as [angle action, power action] */
  get aimActions(): [number, number] {
    return [this.aim[0], this.aim[1]];
  }

  onFinished(l: (g: FinishedGame) => void): void {
    this.listeners.push(l);
  }

  onStatus(l: (text: string) => void): void {
    this.statusListeners.push(l);
  }

  async start(opts: PlayOptions): Promise<void> {
    this.stop();
    const token = this.token;
    this.opts = opts;
    this.finishedGame = null;
    this.aim = [0, 0];
    this.steps = 0;
    this.keys.clear();
    this.arena.banner = '';
    this.arena.setDream(null);
    this.arena.clearTrails();
    this.shots = 0;
    this.arena.title = `You (blue) vs ${opts.opponentId}`;
    this.busy = true;
    const u = await this.client.playStart({ scenario: opts.scenario, params: opts.params, opponent: opts.opponent, seed: opts.seed });
    if (token !== this.token) return;
    this.scene = unpackFrame(u.packed, u.packed.start);
    this.arena.draw(this.scene);
    this.busy = false;
    this.status(opts.scenario === 'duel' ? 'Your turn: ↑/↓ aim, ←/→ power (or drag from your tank), Space fires.' : 'Push your paddle with the arrow keys / WASD, or move the mouse over the table.');
    if (opts.scenario === 'duel') {
      if (!u.humanActive) await this.advance([0, 0], token);
      this.drawAim();
    } else void this.hockeyLoop(token);
  }

  stop(): void {
    this.token++;
    if (this.opts) this.client.playEnd();
    this.opts = null;
    this.busy = false;
    this.arena.cancelPlayback();
    this.arena.setAim(null);
  }

  /** Duel: shoot with the current aim. */
  fire(): void {
    if (!this.opts || this.opts.scenario !== 'duel' || this.busy || this.finishedGame) return;
    this.shots++;
    void this.advance([this.aim[0], this.aim[1]], this.token);
  }

  private status(text: string): void {
    this.statusListeners.forEach((l) => l(text));
  }

  private async advance(action: Vec, token: number): Promise<PlayUpdate | null> {
    this.busy = true;
    if (this.opts?.scenario === 'duel') {
      this.arena.setAim(null);
      this.arena.host.dataset.waiting = 'true';
      this.waitListeners.forEach((l) => l(true));
      this.status('Wait: the shell is flying, then your opponent shoots. The yellow cross marks where each shot came down.');
    }
    let u: PlayUpdate;
    try {
      u = await this.client.playStep(action);
    } catch (e) {
      this.busy = false;
      this.status(`The game stopped: ${(e as Error).message}`);
      return null;
    }
    if (token !== this.token) return null;
    this.steps++;
    const p = u.packed;
    const frames = p.frames.flat().map((f) => unpackFrame(p, f));
    if (frames.length) {
      await this.arena.play(frames);
      this.scene = frames[frames.length - 1];
    }
    if (token !== this.token) return null;
    this.busy = false;
    if (this.opts?.scenario === 'duel') {
      this.arena.host.dataset.waiting = 'false';
      this.waitListeners.forEach((l) => l(false));
    }
    if (u.done && u.episode) this.finish(u.episode);
    else if (this.opts?.scenario === 'duel') this.drawAim();
    return u;
  }

  private finish(ep: EpisodeRecord): void {
    const opts = this.opts!;
    const g: FinishedGame = { ep, players: ['human', opts.opponentId] };
    this.finishedGame = g;
    this.arena.setAim(null);
    this.arena.banner = ep.winner === 0 ? 'You win!' : ep.winner === 1 ? `${opts.opponentId} wins` : 'Draw';
    const length = opts.scenario === 'duel' ? `${this.shots} shot${this.shots === 1 ? '' : 's'} of yours` : `${ep.actions.length} decisions`;
    this.status(`Game over after ${length}. You can add it to a lineage's training data as fresh real play.`);
    this.listeners.forEach((l) => l(g));
  }

  private async hockeyLoop(token: number): Promise<void> {
    while (token === this.token && !this.finishedGame) {
      const a = this.hockeyAction();
      const u = await this.advance(a, token);
      if (!u) return;
    }
  }

  private paddle(): { x: number; y: number } | null {
    const b = this.scene?.bodies.find((x) => x.role === 'paddle0');
    return b ? { x: b.x, y: b.y } : null;
  }

  private hockeyAction(): Vec {
    const k = this.keys;
    const kx = (k.has('ArrowRight') || k.has('d') ? 1 : 0) - (k.has('ArrowLeft') || k.has('a') ? 1 : 0);
    const ky = (k.has('ArrowUp') || k.has('w') ? 1 : 0) - (k.has('ArrowDown') || k.has('s') ? 1 : 0);
    let f: Vec = [0, 0];
    if (kx !== 0 || ky !== 0) f = [kx, ky];
    else if (this.pointer) {
      const p = this.paddle();
      // pulled towards the pointer: ego frame of player 0 is (x, -y)
      if (p) f = [clamp1((this.pointer.x - p.x) / 40), clamp1(-(this.pointer.y - p.y) / 40)];
    }
    const p = this.paddle();
    const mag = Math.hypot(f[0], f[1]);
    this.arena.setAim(p && mag > 0.05 ? { x: p.x, y: p.y, angleDeg: (Math.atan2(f[1], f[0]) * 180) / Math.PI, length: 45 + 45 * Math.min(1, mag) } : null);
    return f;
  }

  private launchPoint(): { x: number; y: number } | null {
    const b = this.scene?.bodies.find((x) => x.role === 'player0');
    return b ? { x: b.x, y: b.y - 25 } : null;
  }

  private drawAim(): void {
    const lp = this.launchPoint();
    if (!lp || this.finishedGame || !this.opts) return this.arena.setAim(null);
    const deg = angleFromAction(this.aim[0]);
    this.arena.setAim({ x: lp.x, y: lp.y, angleDeg: deg, length: 40 + 60 * (this.aim[1] + 1) });
    this.status(`Aim ${deg.toFixed(0)}°, power ${Math.round(50 * (this.aim[1] + 1))}%: Space fires.`);
  }

  private onKey(e: KeyboardEvent, down: boolean): void {
    if (!this.opts) return;
    // typing in a form control is not playing
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const handled = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', ' ', 'w', 'a', 's', 'd'].includes(key);
    if (!handled) return;
    e.preventDefault();
    if (this.opts.scenario === 'hockey') {
      if (down) this.keys.add(key);
      else this.keys.delete(key);
      return;
    }
    if (!down || this.busy || this.finishedGame) return;
    if (key === ' ') return this.fire();
    if (key === 'ArrowUp' || key === 'w') this.aim[0] = clamp1(this.aim[0] + STEP);
    if (key === 'ArrowDown' || key === 's') this.aim[0] = clamp1(this.aim[0] - STEP);
    if (key === 'ArrowRight' || key === 'd') this.aim[1] = clamp1(this.aim[1] + STEP);
    if (key === 'ArrowLeft' || key === 'a') this.aim[1] = clamp1(this.aim[1] - STEP);
    this.drawAim();
  }

  private onPointer(e: PointerEvent): void {
    if (!this.opts) return;
    const w = this.arena.toWorld(e.clientX, e.clientY);
    this.pointer = w;
    if (this.opts.scenario !== 'duel' || !this.dragging || this.busy || this.finishedGame) return;
    const lp = this.launchPoint();
    if (!lp) return;
    const dx = w.x - lp.x;
    const dy = lp.y - w.y;
    const deg = Math.max(10, Math.min(80, (Math.atan2(dy, dx) * 180) / Math.PI));
    this.aim[0] = clamp1((deg - 45) / 35);
    this.aim[1] = clamp1((2 * Math.min(1, Math.hypot(dx, dy) / 250)) - 1);
    this.drawAim();
  }
}
