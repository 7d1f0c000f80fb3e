/** lab/scenarios.ts at its boundaries: the referees' edges, who acts, the duel's lob wins, unknown ids. */
import { describe, expect, it } from 'vitest';
import { DUEL_HIT_BAND, getScenario, scenarioIds, scenarios } from '../lab/scenarios.ts';
import { ConfigError } from '../sim/errors.ts';
import { DUEL_OBS } from '../sim/duel.ts';
import type { EpisodeRecord, Pair, Vec } from '../sim/types.ts';

// the table's entries directly: a getScenario that failed at collection time would report no test at all
const duel = scenarios.duel;
const hockey = scenarios.hockey;
const O = duel.def.observationSpace.size;

describe('referees at their edges', () => {
  const obs = (myTurn: number) => Object.assign(new Array(O).fill(0), { [DUEL_OBS.myTurn]: myTurn });
  const next = (mine: number, enemy: number) => Object.assign(new Array(O).fill(0), { [DUEL_OBS.myLastMiss]: mine, [DUEL_OBS.enemyLastMiss]: enemy });

  it('duel: a miss of exactly the hit band is no hit, just inside is; a turn of 0 is player 1’s', () => {
    expect(duel.referee(obs(1), next(DUEL_HIT_BAND, 1))).toBe(0);
    expect(duel.referee(obs(1), next(-DUEL_HIT_BAND, 1))).toBe(0);
    expect(duel.referee(obs(1), next(DUEL_HIT_BAND * 0.999, 1))).toBe(1);
    expect(duel.referee(obs(1), next(-DUEL_HIT_BAND * 0.999, 1))).toBe(1);
    expect(duel.referee(obs(0), next(1, -DUEL_HIT_BAND * 0.999))).toBe(2);
    expect(duel.referee(obs(0), next(0, 1))).toBe(0);
  });

  it('hockey: exactly on a goal line is no goal', () => {
    const y = hockey.def.observationSpace.names.indexOf('puck.y');
    const at = (v: number) => Object.assign(new Array(hockey.def.observationSpace.size).fill(0), { [y]: v });
    expect(hockey.referee(at(0), at(1))).toBe(0);
    expect(hockey.referee(at(0), at(-1))).toBe(0);
    expect(hockey.referee(at(0), at(1.001))).toBe(1);
    expect(hockey.referee(at(0), at(-1.001))).toBe(2);
  });
});

describe('who acts', () => {
  it('duel: player 0 when myTurn is positive, else player 1; hockey: both', () => {
    expect(duel.activePlayers([1])).toEqual([true, false]);
    expect(duel.activePlayers([-1])).toEqual([false, true]);
    expect(duel.activePlayers([0])).toEqual([false, true]);
    expect(hockey.activePlayers([0])).toEqual([true, true]);
  });
});

describe('the duel’s rare outcome: a game won by a lob', () => {
  const ep = (actions: Pair<Vec>[], winner: -1 | 0 | 1, terminated: boolean): EpisodeRecord => ({
    scenario: 'duel', seed: 0, obs: [], actions, active: [], events: [], winner, terminated, truncated: !terminated,
  });
  const lob: Vec = [0.6, 0];
  const direct: Vec = [-0.5, 0];
  it('counts only a finished, decided game whose winner’s last shot was a lob', () => {
    expect(duel.tailOutcomes(ep([[direct, direct], [lob, direct]], 0, true))).toBe(1);
    expect(duel.tailOutcomes(ep([[direct, direct], [direct, lob]], 1, true))).toBe(1);
    expect(duel.tailOutcomes(ep([[direct, direct], [lob, direct]], 1, true))).toBe(0);
    expect(duel.tailOutcomes(ep([[lob, lob]], 0, false))).toBe(0); // unfinished
    expect(duel.tailOutcomes(ep([[lob, lob]], -1, true))).toBe(0); // a draw
    expect(duel.tailOutcomes(ep([], 0, true))).toBe(0); // no shot at all
    expect(hockey.tailOutcomes(ep([], -1, false))).toBe(0);
  });
});

describe('the scenario table', () => {
  it('every scenario’s Elo anchor is one of its scripted players; ids are the table’s keys', () => {
    expect(scenarioIds).toEqual(['duel', 'hockey']);
    for (const id of scenarioIds) {
      expect(scenarios[id].def.id).toBe(id);
      expect(scenarios[id].scripted.map((s) => s.name)).toContain(scenarios[id].baseline);
    }
  });

  it('getScenario returns the table’s entry for a known id', () => {
    expect(getScenario('duel')).toBe(scenarios.duel);
    expect(getScenario('hockey')).toBe(scenarios.hockey);
  });

  it('an unknown id names the field and the known scenarios', () => {
    expect(() => getScenario('chess')).toThrow(ConfigError);
    expect(() => getScenario('chess')).toThrow('scenario: "chess" is not a known scenario (allowed: duel, hockey)');
    // a name an object inherits is not a scenario either
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(() => getScenario(name)).toThrow(`scenario: "${name}" is not a known scenario (allowed: duel, hockey)`);
  });
});
