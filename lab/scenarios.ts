import { duelDef } from '../sim/duel.ts';
import { hockeyDef } from '../sim/hockey.ts';
import type { Pair, ScenarioDef, ScenarioId, Vec } from '../sim/types.ts';
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
}

export const scenarios: Record<ScenarioId, ScenarioEntry> = {
  duel: {
    def: duelDef,
    scripted: duelScripted,
    baseline: 'direct',
    // observation[0] is "myTurn": +1 when player 0 fires next
    activePlayers: (obs0) => [obs0[0] > 0, !(obs0[0] > 0)],
  },
  hockey: {
    def: hockeyDef,
    scripted: hockeyScripted,
    baseline: 'hockey-direct',
    activePlayers: () => [true, true],
  },
};

export const scenarioIds = Object.keys(scenarios) as ScenarioId[];

export function getScenario(id: string): ScenarioEntry {
  const s = (scenarios as Record<string, ScenarioEntry | undefined>)[id];
  if (!s) throw new ConfigError('scenario', `${JSON.stringify(id)} is not a known scenario`, scenarioIds.join(', '));
  return s;
}
