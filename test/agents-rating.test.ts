import { describe, expect, it } from 'vitest';
import { bootstrapBradleyTerry, ELO_SCALE, eloExpected, fitBradleyTerry, type RatedGame } from '../agents/rating.ts';
import { Rng } from '../sim/rng.ts';
import { ConfigError } from '../sim/errors.ts';
import { configErrorMessage } from './errors.ts';

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

describe('fitBradleyTerry: closed forms and exact errors', () => {
  it('two players: the MAP rating difference d solves s − n·σ(d) = τ·d/2 (the root found here by bisection)', () => {
    for (const [wins, losses, draws, prior] of [
      [3, 1, 0, 400],
      [7, 2, 2, 200],
      [0, 5, 1, 400],
      [40, 0, 0, 100],
      [1, 1, 0, 50],
    ]) {
      const games: RatedGame[] = [];
      for (let k = 0; k < wins; k++) games.push({ a: 'x', b: 'y', score: 1 });
      for (let k = 0; k < losses; k++) games.push({ a: 'y', b: 'x', score: 1 });
      for (let k = 0; k < draws; k++) games.push({ a: k % 2 ? 'x' : 'y', b: k % 2 ? 'y' : 'x', score: 0.5 });
      const n = wins + losses + draws;
      const s = wins + draws / 2;
      const tau = (ELO_SCALE / prior) ** 2;
      // gradient for r_x: s − n σ(r_x − r_y) − τ r_x = 0 and for r_y: −(s − nσ) − τ r_y = 0 ⇒ r_y = −r_x, d = 2 r_x:
      // s − n σ(d) − τ d / 2 = 0, decreasing in d
      const h = (d: number) => s - n / (1 + Math.exp(-d)) - (tau * d) / 2;
      let lo = -50;
      let hi = 50;
      for (let it = 0; it < 200; it++) {
        const mid = (lo + hi) / 2;
        if (h(mid) > 0) lo = mid;
        else hi = mid;
      }
      const expected = 1000 + ((lo + hi) / 2) * ELO_SCALE;
      const r = fitBradleyTerry(['x', 'y'], games, { anchor: 'y', prior });
      expect(r.y).toBe(1000);
      expect(r.x).toBeCloseTo(expected, 6);
      // and from the other anchor, at another rating
      const r2 = fitBradleyTerry(['x', 'y'], games, { anchor: 'x', anchorRating: -250, prior });
      expect(r2.x).toBe(-250);
      expect(r2.y).toBeCloseTo(-250 - (expected - 1000), 6);
    }
  });

  it('a lopsided record still converges (the Newton step is damped, not divergent)', () => {
    const games: RatedGame[] = [];
    for (let k = 0; k < 500; k++) games.push({ a: 'x', b: 'y', score: 1 });
    const r = fitBradleyTerry(['x', 'y'], games, { anchor: 'y', prior: 4000 });
    // stationarity s − nσ(d) = τd/2 at the returned d, in natural units
    const d = (r.x - 1000) / ELO_SCALE;
    const tau = (ELO_SCALE / 4000) ** 2;
    expect(Math.abs(500 - 500 / (1 + Math.exp(-d)) - (tau * d) / 2)).toBeLessThan(1e-8);
    expect(r.x).toBeGreaterThan(2000);
  });

  it('with one iteration allowed the fit stops early (the cap is used)', () => {
    const games: RatedGame[] = [];
    for (let k = 0; k < 30; k++) games.push({ a: 'x', b: 'y', score: 1 });
    const full = fitBradleyTerry(['x', 'y'], games, { anchor: 'y' });
    const one = fitBradleyTerry(['x', 'y'], games, { anchor: 'y', maxIterations: 1 });
    const none = fitBradleyTerry(['x', 'y'], games, { anchor: 'y', maxIterations: 0 });
    expect(none.x).toBe(1000);
    expect(one.x).toBeGreaterThan(1000);
    expect(Math.abs(one.x - full.x)).toBeGreaterThan(1);
  });

  it('names the offending field and value', () => {
    const err = configErrorMessage;
    expect(err(() => fitBradleyTerry(['a', 'b', 'a'], [], { anchor: 'a' }))).toBe('players[2]: a is listed twice');
    expect(err(() => fitBradleyTerry(['a', 'b'], [], { anchor: 'z' }))).toBe('anchor: z is not among the players (allowed: a, b)');
    expect(err(() => fitBradleyTerry(['a', 'b'], [], { anchor: 'a', anchorRating: Infinity }))).toBe('anchorRating: is Infinity (allowed: a finite number)');
    for (const prior of [0, -1, NaN, Infinity]) {
      expect(err(() => fitBradleyTerry(['a', 'b'], [], { anchor: 'a', prior }))).toBe(`prior: is ${prior} (allowed: a finite number > 0 (Elo points))`);
    }
    const g = (a: string, b: string, score: number) => [{ a: 'a', b: 'b', score: 1 }, { a, b, score }];
    expect(err(() => fitBradleyTerry(['a', 'b'], g('q', 'b', 1), { anchor: 'a' }))).toBe('games[1].a: q is not among the players');
    expect(err(() => fitBradleyTerry(['a', 'b'], g('a', 'q', 1), { anchor: 'a' }))).toBe('games[1].b: q is not among the players');
    expect(err(() => fitBradleyTerry(['a', 'b'], g('b', 'b', 1), { anchor: 'a' }))).toBe('games[1]: b plays itself');
    for (const score of [-0.01, 1.01, NaN]) {
      expect(err(() => fitBradleyTerry(['a', 'b'], g('a', 'b', score), { anchor: 'a' }))).toBe(`games[1].score: is ${score} (allowed: [0, 1]: 1 a wins, 0.5 draw, 0 b wins)`);
    }
    // the bounds themselves are accepted
    expect(fitBradleyTerry(['a', 'b'], g('b', 'a', 0), { anchor: 'a' }).b).toBeLessThan(1000);
    expect(fitBradleyTerry(['a', 'b'], [{ a: 'b', b: 'a', score: 1 }], { anchor: 'a' }).b).toBeGreaterThan(1000);
  });
});

describe('fitBradleyTerry: the first Newton step by hand', () => {
  it('one iteration from 0 is the solution of (τI + Σ n/4 (eᵢ−eⱼ)(eᵢ−eⱼ)ᵀ) x = Σ (s − n/2)(eᵢ−eⱼ), solved here by Gaussian elimination', () => {
    const players = ['a', 'b', 'c', 'd'];
    const games: RatedGame[] = [
      { a: 'a', b: 'b', score: 1 }, { a: 'a', b: 'b', score: 0.5 }, { a: 'b', b: 'c', score: 1 }, { a: 'c', b: 'b', score: 1 }, { a: 'c', b: 'b', score: 1 },
      { a: 'c', b: 'd', score: 0 }, { a: 'b', b: 'd', score: 1 }, { a: 'd', b: 'b', score: 0.5 }, { a: 'a', b: 'd', score: 1 }, { a: 'c', b: 'a', score: 0 },
    ];
    for (const prior of [400, 150]) {
      const tau = (ELO_SCALE / prior) ** 2;
      const P = 4;
      const M = Array.from({ length: P }, (_, i) => Array.from({ length: P + 1 }, (_, j) => (i === j ? tau : 0)));
      for (const g of games) {
        const i = players.indexOf(g.a);
        const j = players.indexOf(g.b);
        const r = g.score - 0.5; // gradient of a's log-likelihood at equal ratings
        M[i][P] += r;
        M[j][P] -= r;
        M[i][i] += 0.25;
        M[j][j] += 0.25;
        M[i][j] -= 0.25;
        M[j][i] -= 0.25;
      }
      // Gaussian elimination with partial pivoting on the augmented matrix
      for (let c = 0; c < P; c++) {
        let piv = c;
        for (let r = c + 1; r < P; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
        [M[c], M[piv]] = [M[piv], M[c]];
        for (let r = 0; r < P; r++) {
          if (r === c) continue;
          const f = M[r][c] / M[c][c];
          for (let k = c; k <= P; k++) M[r][k] -= f * M[c][k];
        }
      }
      const x = M.map((row, i) => row[P] / row[i]);
      const one = fitBradleyTerry(players, games, { anchor: 'b', anchorRating: 1200, prior, maxIterations: 1 });
      players.forEach((p, i) => expect(one[p]).toBeCloseTo(1200 + (x[i] - x[1]) * ELO_SCALE, 8));
      // and the converged fit moves on from there
      const full = fitBradleyTerry(players, games, { anchor: 'b', anchorRating: 1200, prior });
      expect(Math.abs(full.a - one.a)).toBeGreaterThan(1);
    }
  });
});

describe('bootstrapBradleyTerry', () => {
  const players = ['p', 'q', 'r'];
  const games: RatedGame[] = [];
  for (let k = 0; k < 12; k++) {
    games.push({ a: 'p', b: 'q', score: k % 3 === 0 ? 0 : 1 });
    games.push({ a: 'r', b: 'q', score: k % 4 === 0 ? 1 : k % 4 === 1 ? 0.5 : 0 });
    games.push({ a: 'p', b: 'r', score: k % 2 });
  }

  it('takes the 2.5th and 97.5th percentile of fits on resamples drawn with replacement from the rng', () => {
    const rounds = 40;
    const got = bootstrapBradleyTerry(players, games, { anchor: 'q' }, rounds, new Rng(21));
    // the oracle: draw the same resamples (one rng.float() per game, index ⌊u·n⌋), fit each, sort, pick ranks 1 and 38
    const rng = new Rng(21);
    const fits: Record<string, number>[] = [];
    for (let b = 0; b < rounds; b++) {
      const resample = games.map(() => games[Math.floor(rng.float() * games.length)]);
      fits.push(fitBradleyTerry(players, resample, { anchor: 'q' }));
    }
    for (const p of players) {
      const xs = fits.map((f) => f[p]).sort((x, y) => x - y);
      // 0.025 · 39 = 0.975 → rank 1; 0.975 · 39 = 38.025 → rank 38
      expect(got[p]).toEqual([xs[1], xs[38]]);
      expect(xs[1]).toBeLessThanOrEqual(xs[38]);
    }
    expect(got.q).toEqual([1000, 1000]);
    expect(got.p[0]).toBeLessThan(got.p[1]);
    // the point fit lies inside its interval
    const point = fitBradleyTerry(players, games, { anchor: 'q' });
    for (const p of ['p', 'r']) {
      expect(point[p]).toBeGreaterThan(got[p][0]);
      expect(point[p]).toBeLessThan(got[p][1]);
    }
  });

  it('with one round both ends are that one refit; with identical games every refit is the point fit', () => {
    const one = bootstrapBradleyTerry(players, games, { anchor: 'p', anchorRating: 1500 }, 1, new Rng(3));
    const rng = new Rng(3);
    const refit = fitBradleyTerry(players, games.map(() => games[Math.floor(rng.float() * games.length)]), { anchor: 'p', anchorRating: 1500 });
    for (const p of players) expect(one[p]).toEqual([refit[p], refit[p]]);
    const same: RatedGame[] = Array.from({ length: 5 }, () => ({ a: 'p', b: 'q', score: 1 }));
    const point = fitBradleyTerry(['p', 'q'], same, { anchor: 'q' });
    const ci = bootstrapBradleyTerry(['p', 'q'], same, { anchor: 'q' }, 7, new Rng(4));
    expect(ci).toEqual({ p: [point.p, point.p], q: [1000, 1000] });
  });
});
