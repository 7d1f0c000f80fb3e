import { describe, expect, it } from 'vitest';
import { eloExpected, fitBradleyTerry, type RatedGame } from '../agents/rating.ts';
import { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';

const truth: Record<string, number> = { scripted: 1000, g1: 1200, g2: 800, g3: 1400, g4: 1050 };
const players = Object.keys(truth);

function simulate(gamesPerPair: number, rng: Rng, drawShare = 0): RatedGame[] {
  const games: RatedGame[] = [];
  for (let i = 0; i < players.length; i++) {
    for (let j = i + 1; j < players.length; j++) {
      const [a, b] = [players[i], players[j]];
      const e = eloExpected(truth[a], truth[b]);
      for (let k = 0; k < gamesPerPair; k++) {
        // draws with probability d = drawShare · 2·min(e, 1 − e), wins with e − d/2: the expected score stays e
        const d = drawShare * 2 * Math.min(e, 1 - e);
        const u = rng.float();
        const score = u < d ? 0.5 : u < d + (e - d / 2) ? 1 : 0;
        games.push(k % 2 === 0 ? { a, b, score } : { a: b, b: a, score: 1 - score });
      }
    }
  }
  return games;
}

describe('fitBradleyTerry', () => {
  it('recovers known ratings from simulated games', () => {
    const games = simulate(600, new Rng(1));
    const r = fitBradleyTerry(players, games, { anchor: 'scripted' });
    expect(r.scripted).toBe(1000);
    for (const p of players) expect(Math.abs(r[p] - truth[p])).toBeLessThan(40);
    // order is right
    expect([...players].sort((x, y) => r[y] - r[x])).toEqual(['g3', 'g1', 'g4', 'scripted', 'g2']);
  });

  it('recovers ratings when many games are draws', () => {
    const games = simulate(600, new Rng(2), 0.6);
    expect(games.filter((g) => g.score === 0.5).length).toBeGreaterThan(0.2 * games.length);
    const r = fitBradleyTerry(players, games, { anchor: 'scripted' });
    for (const p of players) expect(Math.abs(r[p] - truth[p])).toBeLessThan(40);
  });

  it('anchors exactly; the anchor choice only shifts the ratings', () => {
    const games = simulate(50, new Rng(3));
    const a = fitBradleyTerry(players, games, { anchor: 'scripted' });
    const b = fitBradleyTerry(players, games, { anchor: 'g2', anchorRating: 1500 });
    expect(b.g2).toBe(1500);
    for (const p of players) expect(b[p] - b.g2).toBeCloseTo(a[p] - a.g2, 9);
  });

  it('treats a draw as half a win each', () => {
    const draws = fitBradleyTerry(['x', 'y'], [{ a: 'x', b: 'y', score: 0.5 }, { a: 'y', b: 'x', score: 0.5 }], { anchor: 'x' });
    expect(draws).toEqual({ x: 1000, y: 1000 });
    const split = fitBradleyTerry(['x', 'y'], [{ a: 'x', b: 'y', score: 1 }, { a: 'x', b: 'y', score: 0 }], { anchor: 'x' });
    expect(split.y).toBeCloseTo(1000, 9);
    // one win and one draw: above the opponent, below a clean two wins
    const winDraw = fitBradleyTerry(['x', 'y'], [{ a: 'x', b: 'y', score: 1 }, { a: 'x', b: 'y', score: 0.5 }], { anchor: 'y' });
    const twoWins = fitBradleyTerry(['x', 'y'], [{ a: 'x', b: 'y', score: 1 }, { a: 'y', b: 'x', score: 0 }], { anchor: 'y' });
    expect(winDraw.x).toBeGreaterThan(1000);
    expect(twoWins.x).toBeGreaterThan(winDraw.x);
  });

  it('keeps undefeated, winless and isolated players finite', () => {
    const games: RatedGame[] = [];
    for (let k = 0; k < 20; k++) {
      games.push({ a: 'champ', b: 'base', score: 1 });
      games.push({ a: 'mid', b: 'champ', score: 0 });
      games.push({ a: 'base', b: 'mid', score: k % 2 });
      games.push({ a: 'base', b: 'loser', score: 1 });
    }
    const r = fitBradleyTerry(['base', 'champ', 'mid', 'loser', 'idle'], games, { anchor: 'base' });
    for (const v of Object.values(r)) expect(Number.isFinite(v)).toBe(true);
    expect(r.champ).toBeGreaterThan(r.mid + 200);
    expect(r.loser).toBeLessThan(r.base - 200);
    // a stronger prior pulls the undefeated player in
    const tight = fitBradleyTerry(['base', 'champ', 'mid', 'loser', 'idle'], games, { anchor: 'base', prior: 100 });
    expect(tight.champ).toBeLessThan(r.champ);
    expect(Number.isFinite(r.idle)).toBe(true);
  });

  it('is deterministic and independent of game order', () => {
    const games = simulate(40, new Rng(4));
    const a = fitBradleyTerry(players, games, { anchor: 'scripted' });
    expect(fitBradleyTerry(players, games, { anchor: 'scripted' })).toEqual(a);
    const shuffled = new Rng(5).shuffle([...games]);
    const b = fitBradleyTerry(players, shuffled, { anchor: 'scripted' });
    for (const p of players) expect(b[p]).toBeCloseTo(a[p], 8);
  });

  it('rejects bad input', () => {
    expect(() => fitBradleyTerry(['a'], [], { anchor: 'z' })).toThrow(ConfigError);
    expect(() => fitBradleyTerry(['a', 'b'], [{ a: 'a', b: 'c', score: 1 }], { anchor: 'a' })).toThrow(/games\[0\]\.b/);
    expect(() => fitBradleyTerry(['a', 'b'], [{ a: 'a', b: 'b', score: 2 }], { anchor: 'a' })).toThrow(/score/);
    expect(() => fitBradleyTerry(['a', 'a'], [], { anchor: 'a' })).toThrow(/twice/);
  });
});
