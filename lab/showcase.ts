/**
 * What the app's arenas show: one episode of a generation's policy in the real simulator (with
 * the physics frames of every decision step), and the same episode as the generation's world
 * model dreams it — same start, same actions, open loop (like evaluate.ts realityGap) — as
 * ObsPoints for the "dream" ghost. Also a live match where a person plays one seat.
 * Pure: no DOM, no clock; every random draw comes from the Rng passed in.
 */
import type { Rng } from '../sim/rng.ts';
import { clipToSpace } from '../sim/space.ts';
import type { EpisodeRecord, ObsPoint, Pair, PlayerIndex, Scenario, SceneView, Vec } from '../sim/types.ts';
import type { Policy } from '../agents/policy.ts';
import type { WorldModel } from '../agents/world-model.ts';
import { policyActor, type Actor } from './actors.ts';
import type { ScenarioEntry } from './scenarios.ts';
import { recordStep, startRecord } from './rollout.ts';
import type { OutcomeSource } from './world.ts';
import { pushAll } from '../sim/arrays.ts';

export interface DreamOutcome {
  /** the first step after which the world model believes the game is over (null: it never ends) */
  step: number | null;
  /** who the world model believes won: 0, 1, or -1 (nobody / not over) */
  winner: -1 | 0 | 1;
}

export interface Showcase {
  /** the real episode: the policy in seat 0, the opponent in seat 1 */
  episode: EpisodeRecord;
  /** the scene after reset, before the first step */
  start: SceneView;
  /** frames[t]: the physics frames of decision step t (frames.length = episode length) */
  frames: SceneView[][];
  /** the start observation's points (where the dream begins) */
  dreamStart: ObsPoint[];
  /** dream[t]: points of the observation the world model imagines after step t (dream.length = episode length) */
  dream: ObsPoint[][];
  /** real[t]: points of the real observation after step t, for comparison with the dream */
  real: ObsPoint[][];
  dreamOutcome: DreamOutcome;
}

/** One decision of both seats: an actor's batch-of-one call per active seat. */
function decide(entry: ScenarioEntry, obs: Pair<Vec>, active: Pair<boolean>, seats: Pair<Actor | null>, human: Vec | null, rng: Rng): Pair<Vec> {
  const A = entry.def.actionSpace.size;
  const out: Pair<Vec> = [new Array<number>(A).fill(0), new Array<number>(A).fill(0)];
  for (const seat of [0, 1] as const) {
    if (!active[seat]) continue;
    const actor = seats[seat];
    if (actor) out[seat] = Array.from(actor.act(Float32Array.from(obs[seat]), 1, rng));
    else if (human) out[seat] = human.slice(0, A);
  }
  return out;
}

/**
 * The world model's open-loop imagination of an episode: from the episode's real start, feed the
 * recorded actions and keep the predicted mean observation (clipped to the observation space).
 * Returns the imagined observation after every step, and when/who the model believes wins
 * (the first step whose predicted outcome is not "continues": the referee's verdict on the
 * predicted mean, or the outcome head's most likely class).
 */
export function dreamEpisode(entry: ScenarioEntry, world: WorldModel, ep: EpisodeRecord, outcomeSource: OutcomeSource = 'rule'): { obs: Vec[]; outcome: DreamOutcome } {
  const def = entry.def;
  const O = def.observationSpace.size;
  let cur: Vec = ep.obs[0][0].slice();
  const out: Vec[] = [];
  let outcome: DreamOutcome = { step: null, winner: -1 };
  for (let t = 0; t < ep.actions.length; t++) {
    const pred = world.predict(Float32Array.from(cur), Float32Array.from(ep.actions[t][0]), Float32Array.from(ep.actions[t][1]), 1);
    const next: Vec = clipToSpace(def.observationSpace, Array.from(pred.mean.subarray(0, O)));
    out.push(next);
    if (outcome.step === null) {
      if (outcomeSource === 'rule') {
        const oc = entry.referee(cur, next);
        if (oc !== 0) outcome = { step: t, winner: oc === 1 ? 0 : 1 };
      } else {
        const [pc, p0, p1] = [pred.outcome[0], pred.outcome[1], pred.outcome[2]];
        if (p0 > pc || p1 > pc) outcome = { step: t, winner: p0 >= p1 ? 0 : 1 };
      }
    }
    cur = next;
  }
  return { obs: out, outcome };
}

/**
 * One episode of `policy` (seat 0, temperature 1) against `opponent` (seat 1) in the real
 * simulator from reset seed `seed`, with its frames, and the world model's dream of it.
 */
export function showcaseEpisode(
  entry: ScenarioEntry,
  params: Record<string, number>,
  policy: Policy,
  world: WorldModel,
  opponent: Actor,
  seed: number,
  rng: Rng,
): Showcase {
  const def = entry.def;
  const A = def.actionSpace.size;
  const me = policyActor('showcase', policy, A, 1);
  const sim = def.create(params, { recordFrames: true });
  const r = sim.reset(seed);
  const start = sim.view();
  const ep = startRecord(entry.def.id, seed, r.observations);
  const frames: SceneView[][] = [];
  let active = r.info.active;
  for (let t = 0; t < def.maxSteps * 4 + 1; t++) {
    const acts = decide(entry, ep.obs[ep.obs.length - 1], active, [me, opponent], null, rng);
    const res = sim.step(acts);
    recordStep(entry.def, ep, acts, active, res);
    frames.push(res.info.frames ?? [sim.view()]);
    active = res.info.active;
    if (res.terminated || res.truncated) break;
  }
  const dream = dreamEpisode(entry, world, ep);
  return {
    episode: ep,
    start,
    frames,
    dreamStart: def.observationPoints(ep.obs[0][0]),
    dream: dream.obs.map((o) => def.observationPoints(o)),
    real: ep.obs.slice(1).map((o) => def.observationPoints(o[0])),
    dreamOutcome: dream.outcome,
  };
}

export interface LiveStep {
  /** physics frames of every decision step taken (the opponent's turns included) */
  frames: SceneView[];
  events: string[];
  done: boolean;
}

/**
 * A game where a person plays one seat against an actor, stepped one decision at a time.
 * In turn-based scenarios the opponent's turns are taken automatically after the person's.
 */
export class LiveMatch {
  readonly episode: EpisodeRecord;
  readonly humanSeat: PlayerIndex;
  private readonly sim: Scenario;
  private active: Pair<boolean>;
  private finished = false;
  private readonly startView: SceneView;

  constructor(
    private readonly entry: ScenarioEntry,
    params: Record<string, number>,
    seed: number,
    private readonly opponent: Actor,
    private readonly rng: Rng,
    humanSeat: PlayerIndex = 0,
  ) {
    this.humanSeat = humanSeat;
    this.sim = entry.def.create(params, { recordFrames: true });
    const r = this.sim.reset(seed);
    this.active = r.info.active;
    this.episode = startRecord(entry.def.id, seed, r.observations);
    this.startView = this.sim.view();
  }

  get start(): SceneView {
    return this.startView;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Does the person act at the next step? */
  get humanActive(): boolean {
    return !this.finished && this.active[this.humanSeat];
  }

  /** The latest observation of the person's seat. */
  get observation(): Vec {
    return this.episode.obs[this.episode.obs.length - 1][this.humanSeat];
  }

  /**
   * Take the person's action (ignored when it is not their turn), then the opponent's turns until
   * the person acts again or the game ends.
   */
  step(human: Vec): LiveStep {
    if (this.finished) return { frames: [], events: [], done: true };
    const frames: SceneView[] = [];
    const events: string[] = [];
    const seats: Pair<Actor | null> = this.humanSeat === 0 ? [null, this.opponent] : [this.opponent, null];
    let first = true;
    while (!this.finished && (first || !this.active[this.humanSeat])) {
      first = false;
      const acts = decide(this.entry, this.episode.obs[this.episode.obs.length - 1], this.active, seats, human, this.rng);
      const res = this.sim.step(acts);
      recordStep(this.entry.def, this.episode, acts, this.active, res);
      pushAll(frames, res.info.frames ?? [this.sim.view()]);
      pushAll(events, res.info.events);
      this.active = res.info.active;
      if (res.terminated || res.truncated) this.finished = true;
    }
    return { frames, events, done: this.finished };
  }
}
