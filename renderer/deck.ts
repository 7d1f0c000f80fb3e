/**
 * The arenas side by side, one per shown lineage: each plays episodes of the selected generation's
 * policy in the real simulator (computed by the arena worker), with the world model's dream of the
 * same episode as a ghost that grows step by step with what physics really does.
 */
import { getScenario } from '../lab/scenarios.ts';
import { METRIC_WORDS } from '../lab/metric-words.ts';
import type { MetricsRow } from '../lab/types.ts';
import type { ScenarioId } from '../sim/types.ts';
import { Arena, type DreamLayout } from './arena.ts';
import type { ArenaClient, OpponentSpec, ShowcaseResult } from './arena-client.ts';
import { checkpointPath } from './run-files.ts';
import { unpackFrame } from './scene-pack.ts';

/** 'same': the same generation; 'g0': generation 0; 'scripted:<style>': a scripted player. */
export type OpponentChoice = string;

export interface DeckSelection {
  scenario: ScenarioId;
  params: Record<string, number>;
  /** experiment seed whose checkpoints are shown */
  seed: number;
  generation: number;
  opponent: OpponentChoice;
  dream: boolean;
}

const HINTS: Record<string, string> = {
  grounded: 'learns from games played in the simulator',
  recursive: "learns from its predecessor's imagination",
  accumulate: 'imagination, keeping all data since D0',
  'fresh-mix': 'imagination plus 30% fresh real games',
  verified: 'imagination checked against the simulator',
  distilled: "a small student learning from the grounded teacher's games",
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Slot {
  lineage: string;
  fig: HTMLElement;
  readout: HTMLElement;
  arena: Arena;
}

export class ArenaDeck {
  private readonly slots = new Map<string, Slot>();
  private token = 0;
  private selection: DeckSelection | null = null;
  private rows: readonly MetricsRow[] = [];
  /** episodes shown so far (the k-th episode has the same reset seed in every arena) */
  private episode = 0;
  private textScale = 1;
  private dreamLayout: DreamLayout = 'overlay';
  private readonly errors: ((message: string) => void)[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly client: ArenaClient,
    private readonly fileText: (path: string) => string | undefined,
  ) {}

  get arenas(): Record<string, Arena> {
    return Object.fromEntries([...this.slots].map(([k, s]) => [k, s.arena]));
  }

  get lineages(): string[] {
    return [...this.slots.keys()];
  }

  onError(l: (message: string) => void): void {
    this.errors.push(l);
  }

  private layoutQueue: Promise<void> = Promise.resolve();

  /** Make one arena per lineage (in this order), reusing existing ones. Calls run one after another. */
  setLineages(names: string[]): Promise<void> {
    const next = this.layoutQueue.then(() => this.applyLineages(names));
    this.layoutQueue = next.catch(() => undefined);
    return next;
  }

  private async applyLineages(names: string[]): Promise<void> {
    for (const [name, s] of this.slots) {
      if (!names.includes(name)) {
        s.arena.destroy();
        s.fig.remove();
        this.slots.delete(name);
      }
    }
    for (const name of names) {
      if (this.slots.has(name)) continue;
      const fig = document.createElement('figure');
      fig.className = 'arena';
      fig.dataset.lineage = name;
      const cap = document.createElement('figcaption');
      const title = document.createElement('span');
      title.className = 'arena-name';
      title.textContent = name;
      const hint = document.createElement('span');
      hint.className = 'hint';
      hint.textContent = HINTS[name] ?? '';
      const readout = document.createElement('span');
      readout.className = 'arena-readout';
      cap.append(title, hint, readout);
      const host = document.createElement('div');
      host.className = 'arena-host';
      host.id = `arena-${name}`;
      fig.append(cap, host);
      this.container.appendChild(fig);
      const arena = await Arena.create(host, { title: name, showTitle: false });
      arena.setTextScale(this.textScale);
      arena.setDreamLayout(this.dreamLayout);
      this.slots.set(name, { lineage: name, fig, readout, arena });
    }
    // keep DOM order = names order
    for (const name of names) this.container.appendChild(this.slots.get(name)!.fig);
    this.container.style.setProperty('--arenas', String(Math.max(1, Math.min(names.length, 3))));
  }

  setTextScale(k: number): void {
    this.textScale = k;
    for (const s of this.slots.values()) s.arena.setTextScale(k);
  }

  /** Dream over reality, or reality and dream side by side, in every arena. */
  setDreamLayout(mode: DreamLayout): void {
    this.dreamLayout = mode;
    for (const s of this.slots.values()) s.arena.setDreamLayout(mode);
  }

  setRows(rows: readonly MetricsRow[]): void {
    this.rows = rows;
    this.updateReadouts();
  }

  /** Show the scenario's start position (no run yet). */
  idle(scenario: ScenarioId, message: string): void {
    this.stop();
    const { def } = getScenario(scenario);
    for (const s of this.slots.values()) {
      const sim = def.create({}, { recordFrames: true });
      sim.reset(1);
      s.arena.setDream(null);
      s.arena.clearTrails();
      s.arena.title = `${s.lineage} · ${def.title}`;
      s.arena.draw(sim.view());
      s.arena.banner = message;
      s.readout.title = `Really wins: ${METRIC_WORDS.winRate.plain} Believes: ${METRIC_WORDS.believedWinRate.plain} Elo: ${METRIC_WORDS.elo.plain}`;
      s.readout.textContent = '';
    }
  }

  /** Play the selected generation in every arena, episode after episode, until stopped or changed. */
  show(sel: DeckSelection): void {
    const same = this.selection && JSON.stringify(this.selection) === JSON.stringify(sel);
    if (same && this.token > 0) return;
    this.stop();
    this.selection = sel;
    const token = this.token;
    this.updateReadouts();
    void this.run(token, sel);
  }

  /** Change only the dream toggle (keeps the episode playing). */
  setDreamVisible(on: boolean): void {
    if (this.selection) this.selection = { ...this.selection, dream: on };
    if (!on)
      for (const s of this.slots.values()) {
        s.arena.setDream(null);
        // the banner's "its dream" half goes with the dream
        s.arena.banner = s.arena.banner.split(' · its dream')[0];
      }
  }

  stop(): void {
    this.token++;
    for (const s of this.slots.values()) {
      s.arena.paused = false;
      s.arena.cancelPlayback();
    }
  }

  /** Stop and forget the selection (e.g. a new run). */
  reset(): void {
    this.stop();
    this.selection = null;
    this.episode = 0;
  }

  private updateReadouts(): void {
    const sel = this.selection;
    for (const s of this.slots.values()) {
      const r = sel && this.rows.find((x) => x.lineage === s.lineage && x.generation === sel.generation && x.seed === sel.seed);
      if (!r) {
        s.readout.title = `Really wins: ${METRIC_WORDS.winRate.plain} Believes: ${METRIC_WORDS.believedWinRate.plain} Elo: ${METRIC_WORDS.elo.plain}`;
      s.readout.textContent = '';
        continue;
      }
      const pct = (x: number) => `${Math.round(100 * x)}%`;
      s.readout.title = `Seed ${sel.seed}, generation ${sel.generation}. Really wins: ${METRIC_WORDS.winRate.plain} Believes: ${METRIC_WORDS.believedWinRate.plain} Elo: ${METRIC_WORDS.elo.plain}`;
      s.readout.textContent =
        `g${r.generation}: really wins ${pct(r.winRate)}` + (typeof r.believedWinRate === 'number' ? `, believes ${pct(r.believedWinRate)}` : '') + ` · Elo ${Math.round(r.elo)}`;
    }
  }

  private opponentSpec(sel: DeckSelection, lineage: string): { spec: OpponentSpec; label: string } {
    if (sel.opponent.startsWith('scripted:')) {
      const style = sel.opponent.slice('scripted:'.length);
      return { spec: { kind: 'scripted', style }, label: `scripted ${style}` };
    }
    const gen = sel.opponent === 'g0' ? 0 : sel.generation;
    return { spec: { kind: 'model', key: this.ensureModel(sel.seed, lineage, gen) }, label: gen === sel.generation ? 'itself' : `g${gen}` };
  }

  private ensureModel(seed: number, lineage: string, generation: number): string {
    const key = checkpointPath(seed, lineage, generation);
    if (!this.client.hasModel(key)) {
      const text = this.fileText(key);
      if (text === undefined) throw new Error(`${key} is not in this run yet`);
      this.client.model(key, text);
    }
    return key;
  }

  private async run(token: number, sel: DeckSelection): Promise<void> {
    const alive = () => token === this.token;
    while (alive()) {
      const k = this.episode++;
      const seed = 7001 + k;
      const jobs = [...this.slots.values()].map(async (s) => {
        try {
          const model = this.ensureModel(sel.seed, s.lineage, sel.generation);
          const opp = this.opponentSpec(sel, s.lineage);
          const result = await this.client.showcase({
            scenario: sel.scenario,
            params: sel.params,
            model,
            opponent: opp.spec,
            seed,
            rngLabels: [s.lineage, sel.generation, k],
          });
          if (!alive()) return;
          s.arena.title = `${s.lineage} · generation ${sel.generation} vs ${opp.label}`;
          await this.play(s, result, alive);
        } catch (e) {
          if (!alive()) return;
          s.arena.banner = 'cannot play this generation';
          this.errors.forEach((l) => l(e instanceof Error ? e.message : String(e)));
          throw e;
        }
      });
      const settled = await Promise.allSettled(jobs);
      if (settled.some((r) => r.status === 'rejected')) return;
      if (!alive()) return;
      await sleep(1200);
    }
  }

  private async play(s: Slot, r: ShowcaseResult, alive: () => boolean): Promise<void> {
    const a = s.arena;
    const p = r.packed;
    a.banner = '';
    a.clearTrails();
    a.draw(unpackFrame(p, p.start));
    const dreamOn = () => this.selection?.dream === true;
    a.setDream(dreamOn() ? [r.dreamStart] : null);
    s.fig.dataset.episodeSteps = String(r.episode.actions.length);
    for (let t = 0; t < p.frames.length; t++) {
      if (!alive()) return;
      await a.play(p.frames[t].map((f) => unpackFrame(p, f)));
      if (!alive()) return;
      if (dreamOn()) a.setDream([r.dreamStart, ...r.dream.slice(0, t + 1)]);
    }
    const w = r.episode.winner;
    // the last physics frame was recorded before the step ended: show the finished game's HUD
    const lastStep = p.frames[p.frames.length - 1];
    const last = lastStep?.[lastStep.length - 1] ?? p.start;
    const end = unpackFrame(p, last);
    if ('maxShots' in end.hud) a.draw({ ...end, hud: { ...end.hud, shots: r.episode.actions.length, winner: w === 0 || w === 1 ? w : 'draw' } });
    const who = w === 0 ? 'blue wins' : w === 1 ? 'red wins' : 'draw';
    const believed = r.dreamOutcome.winner === -1 ? 'nobody wins' : r.dreamOutcome.winner === 0 ? 'blue wins' : 'red wins';
    a.banner = dreamOn() ? `${who} · its dream: ${believed}` : who;
    s.fig.dataset.episodes = String(Number(s.fig.dataset.episodes ?? '0') + 1);
  }
}
