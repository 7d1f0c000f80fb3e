/**
 * Phase-1 arena content: scripted players from agents/scripted playing the real scenario, so the
 * arenas show real physics before the lab is wired in. Phase 2 replaces the players with the
 * selected generation of each lineage (and the dream overlay with its world model's imagination).
 */
import type { ScriptedStyle } from '../agents/scripted/types.ts';
import { getScenario } from '../lab/scenarios.ts';
import { Rng } from '../sim/rng.ts';
import type { ScenarioId } from '../sim/types.ts';
import type { Arena } from './arena.ts';

export type DemoState = 'idle' | 'running' | 'paused' | 'stopped';

export interface DemoSlot {
  arena: Arena;
  /** index into the scenario's scripted styles, one per player */
  styles: [number, number];
  seed: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Scripted matches, one per arena, looping episode after episode. */
export class ScriptedDemo {
  private stateValue: DemoState = 'idle';
  private generationToken = 0;
  private resumeWaiters: (() => void)[] = [];
  private listeners: ((s: DemoState) => void)[] = [];
  /** episodes finished, summed over arenas */
  episodes = 0;

  constructor(
    private readonly slots: DemoSlot[],
    private scenario: ScenarioId,
  ) {}

  get state(): DemoState {
    return this.stateValue;
  }

  onState(listener: (s: DemoState) => void): void {
    this.listeners.push(listener);
  }

  /** Show each arena's start position without playing. */
  showStart(scenario: ScenarioId = this.scenario): void {
    this.scenario = scenario;
    const { def, scripted } = getScenario(scenario);
    for (const slot of this.slots) {
      const sim = def.create({}, { recordFrames: true });
      sim.reset(slot.seed);
      slot.arena.cancelPlayback();
      slot.arena.setDream(null);
      slot.arena.banner = '';
      slot.arena.title = `${def.title} · scripted ${styleName(scripted, slot.styles[0])} vs ${styleName(scripted, slot.styles[1])}`;
      slot.arena.draw(sim.view());
    }
  }

  start(scenario: ScenarioId = this.scenario): void {
    this.stopLoops();
    this.showStart(scenario);
    const token = ++this.generationToken;
    this.setState('running');
    for (const slot of this.slots) void this.loop(slot, token);
  }

  pause(): void {
    if (this.stateValue !== 'running') return;
    for (const s of this.slots) s.arena.paused = true;
    this.setState('paused');
  }

  resume(): void {
    if (this.stateValue !== 'paused') return;
    for (const s of this.slots) s.arena.paused = false;
    this.setState('running');
    const w = this.resumeWaiters;
    this.resumeWaiters = [];
    w.forEach((f) => f());
  }

  stop(): void {
    this.stopLoops();
    this.showStart();
    this.setState('stopped');
  }

  private stopLoops(): void {
    this.generationToken++;
    for (const s of this.slots) {
      s.arena.paused = false;
      s.arena.cancelPlayback();
    }
    const w = this.resumeWaiters;
    this.resumeWaiters = [];
    w.forEach((f) => f());
  }

  private setState(s: DemoState): void {
    this.stateValue = s;
    this.listeners.forEach((l) => l(s));
  }

  private async whilePaused(): Promise<void> {
    while (this.stateValue === 'paused') await new Promise<void>((r) => this.resumeWaiters.push(r));
  }

  private async loop(slot: DemoSlot, token: number): Promise<void> {
    const { def, scripted } = getScenario(this.scenario);
    const alive = () => token === this.generationToken;
    const p0 = scripted[slot.styles[0] % scripted.length].player;
    const p1 = scripted[slot.styles[1] % scripted.length].player;
    let seed = slot.seed;
    while (alive()) {
      const sim = def.create({}, { recordFrames: true });
      let obs = sim.reset(seed).observations;
      const rng = new Rng(seed, 'renderer-demo');
      slot.arena.draw(sim.view());
      for (;;) {
        await this.whilePaused();
        if (!alive()) return;
        const res = sim.step([p0.act(obs[0], rng), p1.act(obs[1], rng)]);
        obs = res.observations;
        const frames = res.info.frames ?? [];
        if (frames.length) await slot.arena.play(frames);
        if (!alive()) return;
        slot.arena.draw(sim.view());
        if (res.terminated || res.truncated) {
          const w = res.info.winner;
          slot.arena.banner = w === 0 ? 'blue wins' : w === 1 ? 'red wins' : 'draw';
          break;
        }
        if (def.id === 'duel') await sleep(250); // a beat between shots
      }
      this.episodes++;
      await sleep(1200);
      await this.whilePaused();
      if (!alive()) return;
      slot.arena.banner = '';
      seed += 1000;
    }
  }
}

function styleName(styles: ScriptedStyle[], i: number): string {
  return styles[i % styles.length].name.replace(/^(duel|hockey)-/, '');
}
