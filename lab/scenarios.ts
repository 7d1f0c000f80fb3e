import { DUEL, DUEL_OBS, duelDef, duelShotStyle } from '../sim/duel.ts';
import { HOCKEY_OBS, hockeyDef } from '../sim/hockey.ts';
import type { EpisodeRecord, Pair, ScenarioDef, ScenarioId, Vec } from '../sim/types.ts';
import { ConfigError } from '../sim/errors.ts';
import { duelScripted } from '../agents/scripted/duel.ts';
import { hockeyScripted } from '../agents/scripted/hockey.ts';
import type { ScriptedStyle } from '../agents/scripted/types.ts';

export interface ScenarioEntry {
  def: ScenarioDef<any>;
  scripted: ScriptedStyle[];
  /** The scripted player whose rating anchors the Elo scale at 1000. */
  baseline: string;
  /** Which players act, read from player 0's observation (for imagined episodes). */
  activePlayers(obs0: Vec): Pair<boolean>;
  /**
   * Reality's rare outcomes in an episode, read so that a real and an imagined episode are judged
   * alike (worldTailCoverage): duel — a game won by a lob; hockey — bank shots (classified from
   * the observations).
   */
  tailOutcomes(ep: EpisodeRecord): number;
  /**
   * The game's rule read from an observation and the next one (player 0's frame): 0 the game
   * continues, 1 player 0 won, 2 player 1 won. Applied to a world model's predicted next
   * observation it turns learned physics into an outcome (model.outcome = 'rule').
   */
  referee(obs0: ArrayLike<number>, next0: ArrayLike<number>): 0 | 1 | 2;
  /**
   * For planning (training.planCandidates): how good a position looks to the player whose ego
   * observation it is, when a lookahead ends before the game does. Absent: the scenario cannot be
   * planned in.
   */
  planValue?(obs: ArrayLike<number>): number;
}

/** Half-width of the duel's hit zone in miss units: a shell within the tank's half-width plus its radius. */
export const DUEL_HIT_BAND = (DUEL.tankW / 2 + DUEL.projectileR) / DUEL.missScale;

/** Duel: the shooter's new landing error within the hit band is a hit. */
function duelReferee(obs0: ArrayLike<number>, next0: ArrayLike<number>): 0 | 1 | 2 {
  const myTurn = obs0[DUEL_OBS.myTurn] > 0;
  const miss = next0[myTurn ? DUEL_OBS.myLastMiss : DUEL_OBS.enemyLastMiss];
  return Math.abs(miss) < DUEL_HIT_BAND ? (myTurn ? 1 : 2) : 0;
}

/** Hockey: the puck past the opponent's goal line (y > 1 in the ego frame) is a goal for player 0, past its own (y < −1) for player 1. */
function hockeyReferee(_obs0: ArrayLike<number>, next0: ArrayLike<number>): 0 | 1 | 2 {
  const y = next0[HOCKEY_OBS['puck.y']];
  return y > 1 ? 1 : y < -1 ? 2 : 0;
}

/**
 * Weight of the own paddle's distance to the puck in hockey's position value. Without it most
 * lookaheads of a few decisions never reach the puck (all candidates tied in 92 % of 2-decision
 * plans, README), so the plan teaches nothing; with it a tie goes to the move that closes in on
 * the puck (1 % tied). Small beside the puck's own terms (a shot changes them by up to about 2),
 * so a move that drives the puck forward still wins over one that only approaches it.
 */
export const HOCKEY_PLAN_REACH = 0.3;

/**
 * Hockey's position value for planning, a fixed hand-written heuristic (the same for every
 * lineage, whatever model it plans in): the puck's height toward the opponent's goal plus where
 * its velocity carries it (about 20 physics steps of flight), minus HOCKEY_PLAN_REACH × the own
 * paddle's distance to the puck, all in the ego frame's observation units.
 */
export function hockeyPlanValue(obs: ArrayLike<number>): number {
  const O = HOCKEY_OBS;
  const reach = Math.hypot(obs[O['own.x']] - obs[O['puck.x']], obs[O['own.y']] - obs[O['puck.y']]);
  return obs[O['puck.y']] + obs[O['puck.vy']] - HOCKEY_PLAN_REACH * reach;
}

/** 1 when the game was won by a lob (the winner's last shot), else 0. */
function duelLobWins(ep: EpisodeRecord): number {
  if (!ep.terminated || ep.winner === -1 || ep.actions.length === 0) return 0;
  const last = ep.actions[ep.actions.length - 1][ep.winner];
  return duelShotStyle(last[0]) === 'lob' ? 1 : 0;
}

/** Rare-style shots of both seats. */
function rareShots(def: ScenarioDef<any>, ep: EpisodeRecord): number {
  let n = 0;
  for (const seat of [0, 1] as const) {
    for (const [style, c] of Object.entries(def.styleCounts(ep, seat))) if (def.style.rare.includes(style)) n += c;
  }
  return n;
}

export const scenarios: Record<ScenarioId, ScenarioEntry> = {
  duel: {
    def: duelDef,
    scripted: duelScripted,
    baseline: 'direct',
    // observation[0] is "myTurn": +1 when player 0 fires next
    activePlayers: (obs0) => [obs0[0] > 0, !(obs0[0] > 0)],
    tailOutcomes: duelLobWins,
    referee: duelReferee,
  },
  hockey: {
    def: hockeyDef,
    scripted: hockeyScripted,
    baseline: 'hockey-direct',
    activePlayers: () => [true, true],
    tailOutcomes: (ep) => rareShots(hockeyDef, ep),
    planValue: hockeyPlanValue,
    referee: hockeyReferee,
  },
};

export const scenarioIds = Object.keys(scenarios) as ScenarioId[];

export function getScenario(id: string): ScenarioEntry {
  // own keys only: 'toString' or 'constructor' are not scenarios
  const s = Object.hasOwn(scenarios, id) ? (scenarios as Record<string, ScenarioEntry | undefined>)[id] : undefined;
  if (!s) throw new ConfigError('scenario', `${JSON.stringify(id)} is not a known scenario`, scenarioIds.join(', '));
  return s;
}
