import { describe, expect, it } from 'vitest';
import { decodeF32 } from '../agents/checkpoint.ts';
import {
  advantageWeights,
  emptyWorldData,
  linearBaseline,
  loadTrajectories,
  MAX_ADVANTAGE_WEIGHT,
  policyData,
  provenanceShares,
  round6,
  seatOutcome,
  storeTrajectories,
  worldData,
  type Trajectory,
} from '../lab/dataset.ts';
import type { EpisodeRecord, Pair, ScenarioDef, Vec } from '../sim/types.ts';

// Exact oracles for lab/dataset.ts: hand-computed values and closed forms, no experiment runs.

/** A toy scenario: 2 observation features, 1 action dimension (only the sizes and id are read). */
const toy = { id: 'duel', observationSpace: { size: 2 }, actionSpace: { size: 1 } } as unknown as ScenarioDef<any>;
/** The same with 2 action dimensions (so a sample's action offset k·A differs from k). */
const toy2 = { id: 'duel', observationSpace: { size: 2 }, actionSpace: { size: 2 } } as unknown as ScenarioDef<any>;

/** Ridge of the baseline as documented: 1e-3 per sample on every slope, plus 1e-9. */
const ridge = (n: number) => 1e-3 * n + 1e-9;

function traj(ep: Partial<EpisodeRecord> & Pick<EpisodeRecord, 'obs' | 'actions' | 'active'>, extra: Partial<Trajectory> = {}): Trajectory {
  return {
    ep: { scenario: 'duel', seed: 7, events: ep.actions.map(() => []), winner: -1, terminated: false, truncated: true, ...ep },
    source: 'sim',
    players: ['a', 'b'],
    lineage: null,
    generation: 0,
    seed: 1,
    judgedBy: 'sim',
    ...extra,
  };
}

/** Determinant of a 3×3 matrix given by rows. */
const det3 = (m: number[][]) =>
  m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);

/** Cramer's rule for M w = y (3×3): an oracle independent of the elimination in lab/dataset.ts. */
function cramer3(m: number[][], y: number[]): number[] {
  const d = det3(m);
  return [0, 1, 2].map((c) => det3(m.map((row, r) => row.map((v, j) => (j === c ? y[r] : v)))) / d);
}

describe('seatOutcome', () => {
  it('is +1 for the winner, −1 for the loser, 0 for both seats of a draw', () => {
    const ep = (winner: -1 | 0 | 1) => ({ winner }) as EpisodeRecord;
    expect([seatOutcome(ep(0), 0), seatOutcome(ep(0), 1)]).toEqual([1, -1]);
    expect([seatOutcome(ep(1), 0), seatOutcome(ep(1), 1)]).toEqual([-1, 1]);
    expect([seatOutcome(ep(-1), 0), seatOutcome(ep(-1), 1)]).toEqual([0, 0]);
  });
});

describe('linearBaseline: exact ridge least squares', () => {
  it('one centred feature: V = x · Σxr / (Σx² + ridge), the closed form', () => {
    // n = 2, x = ±0.5, returns ±1: the intercept is 0 and the slope is 1 / (0.5 + ridge(2))
    const v = linearBaseline(new Float32Array([0.5, -0.5]), new Float64Array([1, -1]), 2, 1);
    const slope = 1 / (0.5 + ridge(2));
    expect(v.length).toBe(2);
    expect(Math.abs(v[0] - 0.5 * slope)).toBeLessThan(1e-14);
    expect(Math.abs(v[1] + 0.5 * slope)).toBeLessThan(1e-14);
    // the ridge (with its 1e-9) is visible: without it, or with a different one, V would be ±1
    expect(Math.abs(v[0] - 0.5 / (0.5 + 0.002 - 1e-9))).toBeGreaterThan(1e-10);
  });

  it('the intercept carries no ridge: a constant return is fitted exactly whatever the feature', () => {
    const v = linearBaseline(new Float32Array([0.25, 0.75, -0.5]), new Float64Array([0.5, 0.5, 0.5]), 3, 1);
    for (const x of v) expect(Math.abs(x - 0.5)).toBeLessThan(1e-14);
  });

  it('a 3×3 system that needs a row swap (Σx₁ > n) and has a zero in the last row: matches Cramer’s rule', () => {
    // column 0 of XᵀX is [n, Σx₁, Σx₂] = [4, 20, 0]: partial pivoting swaps rows 0 and 1;
    // a solver that took the last row as pivot would divide by Σx₂ = 0
    const x1 = [3, 5, 4, 8];
    const x2 = [1, -2, 0, 1];
    const r = [1, -1, 0.5, 0];
    const n = 4;
    const obs = new Float32Array(x1.flatMap((a, i) => [a, x2[i]]));
    const v = linearBaseline(obs, new Float64Array(r), n, 2);
    const s = (f: (i: number) => number) => [0, 1, 2, 3].reduce((acc, i) => acc + f(i), 0);
    const m = [
      [n, s((i) => x1[i]), s((i) => x2[i])],
      [s((i) => x1[i]), s((i) => x1[i] ** 2) + ridge(n), s((i) => x1[i] * x2[i])],
      [s((i) => x2[i]), s((i) => x1[i] * x2[i]), s((i) => x2[i] ** 2) + ridge(n)],
    ];
    expect(m[0]).toEqual([4, 20, 0]);
    const w = cramer3(m, [s((i) => r[i]), s((i) => x1[i] * r[i]), s((i) => x2[i] * r[i])]);
    for (let i = 0; i < n; i++) expect(Math.abs(v[i] - (w[0] + w[1] * x1[i] + w[2] * x2[i]))).toBeLessThan(1e-12);
  });

  it('a hand-solved 3×3: an exactly linear return with large features is fitted up to the (tiny) ridge', () => {
    // r = 2 − 0.5·x₁ + 0.25·x₂ with x₁ ≫ 1 (every column-0 pivot needs a swap); the ridge shrinks
    // slopes by about 1e-3·n / Σ(x − x̄)², here < 1e-5 relative
    const x1 = [10, 20, 30, 40, 50, 60];
    const x2 = [40, 10, 60, 20, 50, 30];
    const r = x1.map((a, i) => 2 - 0.5 * a + 0.25 * x2[i]);
    const obs = new Float32Array(x1.flatMap((a, i) => [a, x2[i]]));
    const v = linearBaseline(obs, new Float64Array(r), 6, 2);
    for (let i = 0; i < 6; i++) expect(Math.abs(v[i] - r[i])).toBeLessThan(1e-3);
    // and exactly the ridge solution (Cramer)
    const s = (f: (i: number) => number) => x1.reduce((acc, _, i) => acc + f(i), 0);
    const m = [
      [6, s((i) => x1[i]), s((i) => x2[i])],
      [s((i) => x1[i]), s((i) => x1[i] ** 2) + ridge(6), s((i) => x1[i] * x2[i])],
      [s((i) => x2[i]), s((i) => x1[i] * x2[i]), s((i) => x2[i] ** 2) + ridge(6)],
    ];
    const w = cramer3(m, [s((i) => r[i]), s((i) => x1[i] * r[i]), s((i) => x2[i] * r[i])]);
    for (let i = 0; i < 6; i++) expect(Math.abs(v[i] - (w[0] + w[1] * x1[i] + w[2] * x2[i]))).toBeLessThan(1e-10);
    expect(Math.abs(w[1] + 0.5)).toBeLessThan(1e-5);
    expect(Math.abs(w[2] - 0.25)).toBeLessThan(1e-5);
  });

  it('singular pivots (features that are exactly the intercept times 2³⁰) leave those coefficients 0: V is the mean return', () => {
    // XᵀX = n·[[1, c, c], [c, c², c²], [c, c², c²]] with c = 2³⁰: the ridge is lost below the
    // rounding of c², the eliminated rows are exactly 0, and the fit falls back to the mean
    const c = 2 ** 30;
    const r = [1, -1, 0.5, 0.25];
    const obs = new Float32Array(8).fill(c);
    const v = linearBaseline(obs, new Float64Array(r), 4, 2);
    for (const x of v) expect(x).toBe(0.1875);
    // one feature: the last pivot is the singular one
    const v1 = linearBaseline(new Float32Array(4).fill(c), new Float64Array(r), 4, 1);
    for (const x of v1) expect(x).toBe(0.1875);
  });

  it('no samples: an empty baseline', () => {
    expect(linearBaseline(new Float32Array(0), new Float64Array(0), 0, 3).length).toBe(0);
  });
});

describe('advantageWeights: closed forms', () => {
  it('with zero observations the baseline is the mean: weights exp(β(r − r̄)/sd)', () => {
    // returns [1, 0, 0, 0]: mean 1/4, sd √3/4, standardised advantages √3 and −1/√3
    const w = advantageWeights(new Float32Array(8), new Float64Array([1, 0, 0, 0]), 4, 2, 1);
    expect(w[0]).toBeCloseTo(Math.exp(Math.sqrt(3)), 5);
    for (let i = 1; i < 4; i++) expect(w[i]).toBeCloseTo(Math.exp(-1 / Math.sqrt(3)), 6);
    // β = 0.5 halves the exponent
    const half = advantageWeights(new Float32Array(8), new Float64Array([1, 0, 0, 0]), 4, 2, 0.5);
    expect(half[0]).toBeCloseTo(Math.exp(Math.sqrt(3) / 2), 5);
    expect(half[3]).toBeCloseTo(Math.exp(-0.5 / Math.sqrt(3)), 6);
  });

  it('caps the weight at MAX_ADVANTAGE_WEIGHT exactly, and only above it', () => {
    // one win among 9 draws: standardised advantage of the win 3, of a draw −1/3
    const ret = new Float64Array(10);
    ret[0] = 1;
    const w1 = advantageWeights(new Float32Array(10), ret, 10, 1, 1);
    expect(Math.exp(3)).toBeGreaterThan(MAX_ADVANTAGE_WEIGHT); // e³ = 20.09: capped at 20
    expect(w1[0]).toBeCloseTo(MAX_ADVANTAGE_WEIGHT, 4);
    expect(w1[1]).toBeCloseTo(Math.exp(-1 / 3), 6);
    const w = advantageWeights(new Float32Array(10), ret, 10, 1, 0.9);
    expect(w[0]).toBeCloseTo(Math.exp(2.7), 4); // e^2.7 ≈ 14.88: below the cap
    expect(w[1]).toBeCloseTo(Math.exp(-0.3), 6);
  });

  it('weight 1 when the returns spread by at most 1e-9 (no decided game), even just at the bound', () => {
    // returns ±1e-9: mean 0 and sd exactly 1e-9
    const w = advantageWeights(new Float32Array(2), new Float64Array([1e-9, -1e-9]), 2, 1, 1);
    expect([...w]).toEqual([1, 1]);
    // just above the bound the weights are exp(±1)
    const w2 = advantageWeights(new Float32Array(2), new Float64Array([2e-9, -2e-9]), 2, 1, 1);
    expect(w2[0]).toBeCloseTo(Math.E, 5);
    expect(w2[1]).toBeCloseTo(1 / Math.E, 6);
  });

  it('outcomeWeight 0 gives weight 1 without looking at the observations (even non-finite ones)', () => {
    const obs = new Float32Array([Infinity, NaN, 1, 2]);
    const w = advantageWeights(obs, new Float64Array([1, -1]), 2, 2, 0);
    expect([...w]).toEqual([1, 1]);
    expect(advantageWeights(new Float32Array(0), new Float64Array(0), 0, 2, 1).length).toBe(0);
  });
});

describe('policyData: samples of active players, discounted returns', () => {
  // three steps; seat 1 alone at step 1, seat 0 alone at step 2
  const ep = {
    obs: [0, 1, 2, 3].map((t) => [[10 * t + 1, 10 * t + 2], [10 * t + 3, 10 * t + 4]] as Pair<Vec>),
    actions: [0, 1, 2].map((t) => [[100 + t, 300 + t], [200 + t, 400 + t]] as Pair<Vec>),
    active: [[true, true], [false, true], [true, false]] as Pair<boolean>[],
  };

  it('takes (observation, action) of every active seat, in order of steps then seats', () => {
    const d = policyData([traj({ ...ep, winner: 0, terminated: true, truncated: false })], toy2, 1);
    expect(d.n).toBe(4);
    expect([...d.obs]).toEqual([1, 2, 3, 4, 13, 14, 21, 22]);
    expect([...d.act]).toEqual([100, 300, 200, 400, 201, 401, 102, 302]);
  });

  it('return of a sample k decisions before the end is discount^k × outcome (weights with zero observations)', () => {
    const zeros = { ...ep, obs: ep.obs.map(() => [[0, 0], [0, 0]] as Pair<Vec>) };
    const d = policyData([traj({ ...zeros, winner: 0, terminated: true, truncated: false })], toy2, 1, 0.5);
    // samples: (step 0, seat 0) +0.25, (step 0, seat 1) −0.25, (step 1, seat 1) −0.5, (step 2, seat 0) +1
    const r = [0.25, -0.25, -0.5, 1];
    const mean = r.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    r.forEach((x, i) => expect(d.weight[i]).toBeCloseTo(Math.min(MAX_ADVANTAGE_WEIGHT, Math.exp((x - mean) / sd)), 5));
  });
});

describe('worldData: both seats in player 0’s frame', () => {
  it('pairs each observation with the next, own action first, outcome only at a terminal last step', () => {
    const obs = [0, 1, 2].map((t) => [[10 * t + 1, 10 * t + 2], [10 * t + 3, 10 * t + 4]] as Pair<Vec>);
    const actions = [0, 1].map((t) => [[100 + t, 300 + t], [200 + t, 400 + t]] as Pair<Vec>);
    const active = [[true, true], [true, true]] as Pair<boolean>[];
    const trajs = [
      traj({ obs, actions, active, winner: 1, terminated: true, truncated: false }),
      traj({ obs, actions, active, winner: 0, terminated: true, truncated: false }),
      // a truncated game: no outcome even if a winner is recorded
      traj({ obs, actions, active, winner: 0, terminated: false, truncated: true }),
      traj({ obs, actions, active, winner: -1, terminated: true, truncated: false }),
    ];
    const d = worldData(trajs, toy2);
    expect(d.n).toBe(16);
    const one = [1, 2, 3, 4, 11, 12, 13, 14];
    expect([...d.obs]).toEqual([...one, ...one, ...one, ...one]);
    const nextOne = [11, 12, 13, 14, 21, 22, 23, 24];
    expect([...d.next]).toEqual([...nextOne, ...nextOne, ...nextOne, ...nextOne]);
    expect([...d.a0]).toEqual(Array(4).fill([100, 300, 200, 400, 101, 301, 201, 401]).flat());
    expect([...d.a1]).toEqual(Array(4).fill([200, 400, 100, 300, 201, 401, 101, 301]).flat());
    // 0 undecided, 1 this seat won, 2 this seat lost
    expect([...d.outcome]).toEqual([0, 0, 2, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...d.weight]).toEqual(Array(16).fill(1));
  });

  it('emptyWorldData: zeroed arrays of the right sizes, weights 1', () => {
    const d = emptyWorldData(3, 5, 2);
    expect(d.n).toBe(3);
    expect([d.obs.length, d.a0.length, d.a1.length, d.next.length, d.outcome.length, d.weight.length]).toEqual([15, 6, 6, 15, 3, 3]);
    expect([...d.obs, ...d.a0, ...d.a1, ...d.next, ...d.outcome].every((x) => x === 0)).toBe(true);
    expect([...d.weight]).toEqual([1, 1, 1]);
  });
});

describe('provenanceShares and round6', () => {
  it('counts active samples by source and player (scripted players pooled), as sorted rounded shares', () => {
    const obs = [0, 1, 2, 3].map(() => [[0, 0], [0, 0]] as Pair<Vec>);
    const actions = [0, 1, 2].map(() => [[0], [0]] as Pair<Vec>);
    const trajs = [
      traj({ obs: obs.slice(0, 3), actions: actions.slice(0, 2), active: [[true, true], [true, true]] }, { players: ['scripted:direct', 'grounded/g3'] }),
      traj(
        { obs, actions, active: [[true, false], [true, true], [false, false]] },
        { source: 'imagined', players: ['grounded/g3', 'human'] },
      ),
    ];
    const shares = provenanceShares(trajs);
    expect(Object.keys(shares)).toEqual(['imagined:grounded/g3', 'imagined:human', 'sim:grounded/g3', 'sim:scripted']);
    expect(shares).toEqual({ 'imagined:grounded/g3': 0.285714, 'imagined:human': 0.142857, 'sim:grounded/g3': 0.285714, 'sim:scripted': 0.285714 });
    // a player whose name only contains "scripted:" is not a scripted player
    const named = provenanceShares([traj({ obs: obs.slice(0, 2), actions: actions.slice(0, 1), active: [[true, true]] }, { players: ['my-scripted:x', 'scripted:aim'] })]);
    expect(named).toEqual({ 'sim:my-scripted:x': 0.5, 'sim:scripted': 0.5 });
    expect(provenanceShares([])).toEqual({});
  });

  it('round6 rounds to the nearest 1e-6', () => {
    expect(round6(1 / 3)).toBe(0.333333);
    expect(round6(2 / 3)).toBe(0.666667);
    expect(round6(-1 / 3)).toBe(-0.333333);
    expect(round6(12.5)).toBe(12.5);
  });
});

describe('storeTrajectories / loadTrajectories', () => {
  it('stores seats interleaved per step as float32 and reads back the same trajectories', () => {
    const obs = [0, 1, 2].map((t) => [[t + 0.5, 1 - t], [t * 0.25, 3]] as Pair<Vec>);
    const actions = [0, 1].map((t) => [[t - 0.75], [t + 0.125]] as Pair<Vec>);
    const t0: Trajectory = {
      ep: { scenario: 'duel', seed: 42, obs, actions, active: [[true, false], [false, true]], events: [['hit'], []], winner: 1, terminated: true, truncated: false },
      source: 'imagined',
      players: ['grounded/g2', 'scripted:aim'],
      lineage: 'recursive',
      generation: 3,
      seed: 9,
      judgedBy: 'world-model',
    };
    const [s] = storeTrajectories([t0]);
    expect(s.scenario).toBe('duel');
    expect(s.epSeed).toBe(42);
    expect(s.steps).toBe(2);
    expect(s.active).toBe('1001');
    expect([...decodeF32(s.obs)]).toEqual([0.5, 1, 0, 3, 1.5, 0, 0.25, 3, 2.5, -1, 0.5, 3]);
    expect([...decodeF32(s.actions)]).toEqual([-0.75, 0.125, 0.25, 1.125]);
    expect([s.winner, s.terminated, s.truncated, s.events]).toEqual([1, true, false, [['hit'], []]]);
    expect([s.source, s.players, s.lineage, s.generation, s.seed, s.judgedBy]).toEqual(['imagined', ['grounded/g2', 'scripted:aim'], 'recursive', 3, 9, 'world-model']);
    const [back] = loadTrajectories(JSON.parse(JSON.stringify([s])), toy);
    expect(back).toEqual(t0);
  });
});
