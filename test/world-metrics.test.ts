import { describe, expect, it } from 'vitest';
import { emptyWorldData } from '../lab/dataset.ts';
import { balancedOutcomes } from '../lab/world.ts';
import { DUEL_HIT_BAND, getScenario } from '../lab/scenarios.ts';
import { DUEL_OBS } from '../sim/duel.ts';
import { bootstrapBradleyTerry, fitBradleyTerry } from '../agents/rating.ts';
import { Rng } from '../sim/rng.ts';
import type { EpisodeRecord } from '../sim/types.ts';

describe('the outcome scoring set', () => {
  it('keeps every decisive transition and as many where the game goes on, at an even stride', () => {
    const O = 2;
    const A = 1;
    const d = emptyWorldData(12, O, A);
    const outcomes = [0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0];
    outcomes.forEach((y, i) => {
      d.outcome[i] = y;
      d.obs[i * O] = i; // row identity
    });
    const b = balancedOutcomes(d, O, A);
    expect(b.n).toBe(4);
    // decisive rows 2 and 8; of the 10 rows where the game goes on (0,1,3,4,5,6,7,9,10,11) every 5th: rows 0 and 6
    expect(Array.from({ length: b.n }, (_, r) => b.obs[r * O])).toEqual([0, 2, 6, 8]);
    expect(Array.from(b.outcome)).toEqual([0, 1, 0, 2]);
    expect(Math.max(...[0, 1, 2].map((c) => Array.from(b.outcome).filter((y) => y === c).length)) / b.n).toBe(0.5);
  });
  it('a set without decisive transitions scores nothing', () => {
    const d = emptyWorldData(5, 2, 1);
    expect(balancedOutcomes(d, 2, 1).n).toBe(0);
  });
});

describe('the games’ rules read from observations', () => {
  const duel = getScenario('duel');
  const hockey = getScenario('hockey');
  const O = duel.def.observationSpace.size;
  const obs = (myTurn: number) => {
    const o = new Array(O).fill(0);
    o[DUEL_OBS.myTurn] = myTurn;
    return o;
  };
  it('duel: the shooter’s new miss inside the tank’s half-width is a hit, for the shooter', () => {
    expect(DUEL_HIT_BAND).toBeCloseTo(24 / 600, 12);
    const next = new Array(O).fill(0.5);
    next[DUEL_OBS.myLastMiss] = 0.03;
    expect(duel.referee(obs(1), next)).toBe(1);
    expect(duel.referee(obs(-1), next)).toBe(0); // player 1 shot: its miss is enemyLastMiss (0.5)
    next[DUEL_OBS.enemyLastMiss] = -0.01;
    expect(duel.referee(obs(-1), next)).toBe(2);
    next[DUEL_OBS.myLastMiss] = 0.05;
    expect(duel.referee(obs(1), next)).toBe(0);
  });
  it('hockey: the puck past a goal line in the ego frame', () => {
    const o = new Array(12).fill(0);
    const n = new Array(12).fill(0);
    n[9] = 1.05;
    expect(hockey.referee(o, n)).toBe(1);
    n[9] = -1.02;
    expect(hockey.referee(o, n)).toBe(2);
    n[9] = 0.99;
    expect(hockey.referee(o, n)).toBe(0);
  });
  it('duel tail outcome: a game won by a lob (the winner’s last shot of 55° or more)', () => {
    const ep = (angleAction: number, winner: -1 | 0 | 1): EpisodeRecord => ({
      scenario: 'duel', seed: 1, obs: [], actions: [[[0, 0], [0, 0]], [[angleAction, 0], [0, 0]]], active: [], events: [], winner, terminated: winner !== -1, truncated: winner === -1,
    });
    expect(duel.tailOutcomes(ep(0.6, 0))).toBe(1); // 45 + 35·0.6 = 66°
    expect(duel.tailOutcomes(ep(0.0, 0))).toBe(0); // 45°
    expect(duel.tailOutcomes(ep(0.6, 1))).toBe(0); // player 1's last shot was 45°
    expect(duel.tailOutcomes(ep(0.6, -1))).toBe(0);
  });
});

describe('final Elo intervals', () => {
  it('bootstrap intervals bracket the fit, are deterministic, and shrink with more games', () => {
    const players = ['a', 'b', 'c'];
    const games = (k: number) => {
      const g = [];
      for (let i = 0; i < k; i++) {
        g.push({ a: 'a', b: 'b', score: i % 4 === 0 ? 0 : 1 }, { a: 'b', b: 'c', score: i % 3 === 0 ? 0 : 1 }, { a: 'a', b: 'c', score: 1 });
      }
      return g;
    };
    const opts = { anchor: 'b', anchorRating: 1000 };
    const fit = fitBradleyTerry(players, games(40), opts);
    const ci = bootstrapBradleyTerry(players, games(40), opts, 100, new Rng(3, 'boot'));
    expect(ci).toEqual(bootstrapBradleyTerry(players, games(40), opts, 100, new Rng(3, 'boot')));
    for (const p of players) expect(ci[p][0]).toBeLessThanOrEqual(fit[p] + 1e-9);
    for (const p of players) expect(ci[p][1]).toBeGreaterThanOrEqual(fit[p] - 1e-9);
    expect(ci.b).toEqual([1000, 1000]); // the anchor
    const wide = ci.a[1] - ci.a[0];
    const more = bootstrapBradleyTerry(players, games(400), opts, 100, new Rng(3, 'boot'));
    expect(more.a[1] - more.a[0]).toBeLessThan(wide);
  });
});
