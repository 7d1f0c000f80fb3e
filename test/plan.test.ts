import { describe, expect, it } from 'vitest';
import { hockeyDef } from '../sim/hockey.ts';
import { hockeyScripted } from '../agents/scripted/hockey.ts';
import { ConfigError } from '../sim/errors.ts';
import { Rng } from '../sim/rng.ts';
import type { Pair, Scenario, Vec } from '../sim/types.ts';
import type { WorldModel } from '../agents/world-model.ts';
import type { Actor } from '../lab/actors.ts';
import { HOCKEY_PLAN_REACH, getScenario, hockeyPlanValue } from '../lab/scenarios.ts';
import { checkPlanner, PLAN_WIN, planMoves, planRows, planScore, simJudge, worldJudge, type Judge, type PlanRow } from '../lab/plan.ts';
import { parseExperiment } from '../lab/config.ts';
import { validateExperiment } from '../lab/run.ts';
import { tinyHockeyConfig } from './tiny.ts';

const hockey = getScenario('hockey');
const duel = getScenario('duel');
const direct = hockeyScripted.find((s) => s.name === 'hockey-direct')!.player;

/** Step a scenario with both players' actions from `act` until it ends or `limit` steps; the steps' results. */
function playOut(sc: Scenario, act: (obs: Pair<Vec>, t: number) => Pair<Vec>, limit: number) {
  let obs = sc.reset(7).observations;
  const out = [];
  for (let t = 0; t < limit; t++) {
    const r = sc.step(act(obs, t));
    out.push(r);
    obs = r.observations;
    if (r.terminated || r.truncated) break;
  }
  return out;
}

describe('hockey lookahead (Scenario.lookahead)', () => {
  it('from a fresh reset foresees exactly what stepping the game brings, goal included', () => {
    // both paddles idle: the puck drifts, bounces and (for some reset seeds) ends in a goal
    let checked = 0;
    for (let seed = 1; seed <= 30 && checked < 2; seed++) {
      const real = hockeyDef.create({ maxSteps: 400 });
      const r0 = real.reset(seed);
      const look = hockeyDef.create({ maxSteps: 400 });
      look.reset(seed);
      const zero: Pair<Vec> = [[0, 0], [0, 0]];
      const steps: { observations: Pair<Vec>; winner: number }[] = [];
      for (let t = 0; t < 400; t++) {
        const r = real.step(zero);
        steps.push({ observations: r.observations, winner: r.terminated ? r.info.winner ?? -1 : -1 });
        if (r.terminated || r.truncated) break;
      }
      const last = steps[steps.length - 1];
      if (last.winner === -1) continue;
      checked++;
      expect(r0.observations).toEqual(look.reset(seed).observations);
      // one decision ahead, and all the way to the goal
      expect(look.lookahead!(zero, 1)).toEqual({ observations: steps[0].observations, winner: -1 });
      // both players' forces, each in its own frame (player 1's is rotated by 180°)
      const push: Pair<Vec> = [[0.5, -0.3], [-0.7, 0.4]];
      const pushed = hockeyDef.create({ maxSteps: 400 });
      pushed.reset(seed);
      expect(look.lookahead!(push, 2)).toEqual({ observations: (pushed.step(push), pushed.step(push)).observations, winner: -1 });
      expect(look.lookahead!(zero, steps.length + 5)).toEqual({ observations: last.observations, winner: last.winner });
      expect(look.lookahead!(zero, steps.length - 1).winner).toBe(-1);
    }
    expect(checked).toBe(2);
  });

  it('leaves the game untouched and answers the same whatever was looked at before', () => {
    const sc = hockeyDef.create();
    const ref = hockeyDef.create();
    const rng = new Rng(3, 'look');
    const moves = (obs: Pair<Vec>): Pair<Vec> => [direct.act(obs[0], rng), direct.act(obs[1], rng)];
    // a played-in position with contacts (the scripted players strike the puck)
    const played = playOut(sc, moves, 60);
    expect(played[played.length - 1].terminated || played[played.length - 1].truncated).toBe(false);
    const snap = JSON.stringify(sc.snapshot());
    const a: Pair<Vec> = [[0.7, -0.2], [-0.4, 0.9]];
    const first = sc.lookahead!(a, 4);
    sc.lookahead!([[1, 1], [-1, -1]], 9);
    sc.lookahead!([[-1, 0.5], [0, 0]], 2);
    expect(sc.lookahead!(a, 4)).toEqual(first);
    expect(JSON.stringify(sc.snapshot())).toBe(snap);
    // the real game goes on exactly as a copy that never looked ahead
    ref.restore(JSON.parse(snap));
    expect(sc.step(a)).toEqual(ref.step(a));
    // different moves foresee different positions
    expect(sc.lookahead!([[1, 0], [0, 0]], 3).observations).not.toEqual(sc.lookahead!([[-1, 0], [0, 0]], 3).observations);
  });

  it('rejects what step rejects: NaN moves and a missing player', () => {
    const sc = hockeyDef.create();
    expect(() => sc.lookahead!([[NaN, 0], [0, 0]], 1)).toThrow(ConfigError);
    expect(() => sc.lookahead!([[0, 0]] as unknown as Pair<Vec>, 1)).toThrow(/actions/);
  });
});

/** An actor whose draws are given: row i of a call gets draws[call][i]. */
function scriptedDraws(draws: number[][][]): Actor & { calls: Float32Array[] } {
  const calls: Float32Array[] = [];
  return {
    id: 'me',
    actSize: 2,
    calls,
    act(obs, n) {
      calls.push(obs.slice());
      const d = draws[calls.length - 1];
      expect(d.length).toBe(n);
      return Float32Array.from(d.flat());
    },
  };
}

describe('planMoves: the best of the policy move and more draws', () => {
  const O = 12;
  const obsA = Array.from({ length: O }, (_, i) => i / 10);
  const obsB = Array.from({ length: O }, (_, i) => -i / 10);
  const rows: PlanRow[] = [{ ep: 0, seat: 0 }, { ep: 1, seat: 1 }];
  const obsOf = (r: PlanRow) => (r.ep === 0 ? obsA : obsB);

  it('draws candidates − 1 moves per row from the actor, judges every candidate against the other seat’s move and keeps the best', () => {
    // 3 candidates: the policy's move plus two draws per row
    const actor = scriptedDraws([[[0.5, 0], [0.9, 0], [0.2, 0], [-0.8, 0]]]);
    const acts = new Map<number, Pair<Vec>>([[0, [[0.1, 0], [0.3, 0.3]]], [1, [[-0.6, -0.6], [0.4, 0]]]]);
    const seen: { row: PlanRow; move: Pair<Vec> }[] = [];
    // score: the planning seat's first coordinate (ep 0) or minus it (ep 1)
    const judge: Judge = (rs, ms) => rs.map((r, i) => {
      seen.push({ row: r, move: ms[i] });
      return r.ep === 0 ? ms[i][r.seat][0] : -ms[i][r.seat][0];
    });
    planMoves({ actor, candidates: 3, horizon: 1 }, O, rows, obsOf, acts, judge, new Rng(1));
    // the actor saw each row's observation twice, in row order
    expect(actor.calls).toHaveLength(1);
    expect(Array.from(actor.calls[0])).toEqual([...obsA, ...obsA, ...obsB, ...obsB].map((v) => Math.fround(v)));
    // row 0 (seat 0): candidates 0.1 (own), 0.5, 0.9 → 0.9; row 1 (seat 1): 0.4 (own), 0.2, −0.8 → −0.8
    const f = Math.fround;
    expect(acts.get(0)).toEqual([[f(0.9), 0], [0.3, 0.3]]);
    expect(acts.get(1)).toEqual([[-0.6, -0.6], [f(-0.8), 0]]);
    // every candidate was judged with the other seat's own move held
    expect(seen).toHaveLength(6);
    for (const s of seen) expect(s.move[1 - s.row.seat]).toEqual(s.row.ep === 0 ? [0.3, 0.3] : [-0.6, -0.6]);
  });

  it('picks each row’s own best among many candidates (scores laid out candidate by candidate)', () => {
    // 4 candidates, 3 rows: draws give each row three more moves; the judge prefers moves near a row's target
    const three: PlanRow[] = [{ ep: 0, seat: 0 }, { ep: 1, seat: 0 }, { ep: 2, seat: 1 }];
    const draws = [[0.1, 0], [0.2, 0], [0.3, 0], [0.4, 0], [0.5, 0], [0.6, 0], [0.7, 0], [0.8, 0], [0.9, 0]];
    const actor = scriptedDraws([draws]);
    const acts = new Map<number, Pair<Vec>>([[0, [[0, 0], [0, 0]]], [1, [[0, 0], [0, 0]]], [2, [[0, 0], [0, 0]]]]);
    const target = [0.2, 0.6, 0.0];
    const judge: Judge = (rs, ms) => rs.map((r, i) => -Math.abs(ms[i][r.seat][0] - target[r.ep]));
    planMoves({ actor, candidates: 4, horizon: 1 }, O, three, obsOf, acts, judge, new Rng(1));
    const f = Math.fround;
    // row 0 draws 0.1 0.2 0.3 → 0.2; row 1 draws 0.4 0.5 0.6 → 0.6; row 2 keeps its own 0 (its draws 0.7–0.9 are farther)
    expect([acts.get(0)![0][0], acts.get(1)![0][0], acts.get(2)![1][0]]).toEqual([f(0.2), f(0.6), 0]);
  });

  it('keeps the policy’s own move on a tie, and does nothing with one candidate or no rows', () => {
    const actor = scriptedDraws([[[0.5, 0], [0.9, 0], [0.2, 0], [-0.8, 0]]]);
    const acts = new Map<number, Pair<Vec>>([[0, [[0.1, 0], [0, 0]]], [1, [[0, 0], [0.4, 0]]]]);
    planMoves({ actor, candidates: 3, horizon: 1 }, O, rows, obsOf, acts, (rs) => rs.map(() => 1), new Rng(1));
    expect(acts.get(0)![0]).toEqual([0.1, 0]);
    expect(acts.get(1)![1]).toEqual([0.4, 0]);
    const none = scriptedDraws([]);
    planMoves({ actor: none, candidates: 1, horizon: 1 }, O, rows, obsOf, acts, () => [], new Rng(1));
    planMoves({ actor: none, candidates: 4, horizon: 1 }, O, [], obsOf, acts, () => [], new Rng(1));
    expect(none.calls).toHaveLength(0);
  });

  it('scores a lookahead: ±PLAN_WIN for a goal for or against the planning seat, else the position’s value', () => {
    const o = [0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.3, 0.1, -0.05];
    expect(planScore(hockey, 1, o, 1)).toBe(PLAN_WIN);
    expect(planScore(hockey, 0, o, 1)).toBe(-PLAN_WIN);
    // own paddle at the centre, puck at (0.2, 0.3): 0.3 − 0.05 − 0.3 × |(0.2, 0.3)|
    const reach = Math.hypot(0.2, 0.3);
    expect(planScore(hockey, -1, o, 0)).toBeCloseTo(0.3 - 0.05 - 0.3 * reach, 12);
    // hockey's value: the puck's height toward the opponent's goal plus its velocity toward it,
    // minus HOCKEY_PLAN_REACH × the own paddle's distance to the puck
    expect(HOCKEY_PLAN_REACH).toBe(0.3);
    expect(hockeyPlanValue(o)).toBeCloseTo(0.25 - 0.3 * reach, 12);
    // the same puck, the own paddle on it: only the puck's terms
    const on = [0.2, 0.3, 0.5, 0.5, 0.9, 0.9, 0, 0, 0.2, 0.3, 0.1, -0.05];
    expect(hockeyPlanValue(on)).toBeCloseTo(0.25, 12);
    // x and y of the gap count alike; the opponent's paddle does not count
    const right = [0.5, 0.3, 0, 0, -0.7, 0.2, 0, 0, 0.2, 0.3, 0.1, -0.05];
    const below = [0.2, 0, 0, 0, 0.7, -0.2, 0, 0, 0.2, 0.3, 0.1, -0.05];
    expect(hockeyPlanValue(right)).toBeCloseTo(0.25 - 0.09, 12);
    expect(hockeyPlanValue(below)).toBeCloseTo(0.25 - 0.09, 12);
    // a lookahead that only closes in on the puck breaks a tie; one that drives the puck forward still wins
    expect(hockeyPlanValue(on)).toBeGreaterThan(hockeyPlanValue(o));
    const shot = [0.2, 0.3, 0, 0, 0, 0, 0, 0, 0.2, 0.5, 0.1, 0.6];
    expect(hockeyPlanValue(o.map((v, i) => (i >= 8 ? shot[i] : v)))).toBeGreaterThan(hockeyPlanValue(on));
  });
});

describe('planRows', () => {
  it('lists the live episodes’ seats where the planner’s actor is to move, in the order of live, seat 0 before seat 1', () => {
    const me = scriptedDraws([]);
    const other = scriptedDraws([]);
    const planner = { actor: me, candidates: 3, horizon: 1 };
    const actors: Record<number, Pair<Actor>> = { 0: [me, other], 1: [me, me], 2: [other, me], 3: [other, other] };
    const active: Record<number, Pair<boolean>> = { 0: [true, true], 1: [true, true], 2: [true, false], 3: [true, true] };
    expect(planRows(planner, [3, 0, 2, 1], (ep) => active[ep], (ep) => actors[ep])).toEqual([{ ep: 0, seat: 0 }, { ep: 1, seat: 0 }, { ep: 1, seat: 1 }]);
    // episode 2's planner seat sits out; an episode that is not live is not asked
    expect(planRows(planner, [2], (ep) => active[ep], (ep) => actors[ep])).toEqual([]);
  });
});

describe('judges', () => {
  it('simJudge scores each move by its scenario’s lookahead from the planning seat’s side', () => {
    const sc = hockeyDef.create();
    sc.reset(5);
    const moves: Pair<Vec>[] = [[[0.3, 1], [0, 0]], [[0, 0], [-1, 0.2]]];
    const rows: PlanRow[] = [{ ep: 0, seat: 0 }, { ep: 0, seat: 1 }];
    const got = simJudge(hockey, () => sc, 3)(rows, moves);
    const l0 = sc.lookahead!(moves[0], 3);
    const l1 = sc.lookahead!(moves[1], 3);
    expect(got).toEqual([hockeyPlanValue(l0.observations[0]), hockeyPlanValue(l1.observations[1])]);
    const noLook = { ...sc, lookahead: undefined } as unknown as Scenario;
    expect(() => simJudge(hockey, () => noLook, 1)(rows, moves)).toThrow('training.planCandidates: hockey cannot look ahead (allowed: 1 (no planning))');
  });

  it('worldJudge adds the goals the model expects while the game goes on and the value of where it ends', () => {
    const O = 12;
    const calls: { obs: number[]; a0: number[]; a1: number[]; n: number }[] = [];
    // a fake world model: the puck moves up 0.1 per step; a goal for player 0 with chance 0.2, for player 1 with 0.1
    const world = {
      predict(obs: Float32Array, a0: Float32Array, a1: Float32Array, n: number) {
        calls.push({ obs: Array.from(obs), a0: Array.from(a0), a1: Array.from(a1), n });
        const mean = obs.slice();
        // (a puck moving down, vy < 0, moves down instead)
        for (let i = 0; i < n; i++) mean[i * O + 9] += obs[i * O + 11] < 0 ? -0.1 : 0.1;
        const outcome = new Float32Array(n * 3);
        for (let i = 0; i < n; i++) outcome.set([0.7, 0.2, 0.1], i * 3);
        return { mean, std: new Float32Array(n * O), outcome };
      },
    } as unknown as WorldModel;
    const start = new Array(O).fill(0);
    const other = new Array(O).fill(0);
    other[9] = 0.4;
    const judge = worldJudge(hockey, world, 'learned', (ep) => (ep === 0 ? start : other), 2);
    // moves beyond the action space are clipped before the model sees them
    const scores = judge([{ ep: 0, seat: 0 }, { ep: 0, seat: 1 }, { ep: 1, seat: 0 }], [[[2, 0], [0, 0]], [[0, 0], [0, -3]], [[0, 0], [0, 0]]]);
    expect(calls).toHaveLength(2);
    expect(calls[0].a0).toEqual([1, 0, 0, 0, 0, 0]);
    expect(calls[0].a1).toEqual([0, 0, 0, -1, 0, 0]);
    // the second step starts where the first one's mean ended
    expect(calls[1].obs[9]).toBeCloseTo(0.1, 6);
    expect(calls[1].obs[2 * O + 9]).toBeCloseTo(0.5, 6);
    // player 0: goals 10·(0.2 − 0.1) + 0.7·10·(0.2 − 0.1) = 1.7; alive 0.49; the puck at y 0.2, 0.2 from
    // the own paddle at the centre → value 0.2 − 0.3·0.2
    expect(scores[0]).toBeCloseTo(1.7 + 0.49 * (0.2 - 0.06), 5);
    // player 1 sees the goals the other way and the mirrored puck (y −0.2, as far from its paddle)
    expect(scores[1]).toBeCloseTo(-1.7 + 0.49 * (-0.2 - 0.06), 5);
    // episode 1 started higher: the puck ends at y 0.6
    expect(scores[2]).toBeCloseTo(1.7 + 0.49 * (0.6 - 0.18), 5);
    // with the game's rule, a predicted puck past the goal line ends the lookahead as a goal
    const far = new Array(O).fill(0);
    far[9] = 0.95;
    const mid = new Array(O).fill(0);
    mid[9] = 0.5;
    mid[11] = 0.2;
    const low = new Array(O).fill(0);
    low[9] = -0.95;
    low[11] = -0.5;
    const starts = [far, mid, far, low];
    const byRule = worldJudge(hockey, world, 'rule', (ep) => starts[ep], 3)(
      [{ ep: 0, seat: 1 }, { ep: 1, seat: 0 }, { ep: 2, seat: 0 }, { ep: 3, seat: 0 }],
      [[[0, 0], [0, 0]], [[0, 0], [0, 0]], [[0, 0], [0, 0]], [[0, 0], [0, 0]]],
    );
    // episode 3: the puck crosses player 0's own goal line (a goal for player 1)
    expect(byRule[3]).toBe(-PLAN_WIN);
    // episodes 0 and 2: the puck crosses player 1's goal line at once (a goal for player 0); episode 1 goes on,
    // its puck 3 steps up (y 0.8, vy 0.2, 0.8 from the own paddle → value 1.0 − 0.24)
    expect(byRule[0]).toBe(-PLAN_WIN);
    expect(byRule[2]).toBe(PLAN_WIN);
    expect(byRule[1]).toBeCloseTo(1.0 - 0.24, 5);
  });
});

describe('training.planCandidates', () => {
  it('a scenario without a position value cannot be planned in: one error naming the field', () => {
    expect(() => checkPlanner(duel, 4)).toThrow(ConfigError);
    expect(() => checkPlanner(duel, 4)).toThrow('training.planCandidates: is 4, but duel has no position value to plan with (allowed: 1 (no planning))');
    expect(() => checkPlanner(duel, 1)).not.toThrow();
    expect(() => checkPlanner(hockey, 4)).not.toThrow();
    const duelExp = parseExperiment({
      name: 'p', scenario: 'duel', seeds: [1], generations: 1, training: { planCandidates: 3 },
      lineages: [{ name: 'g', recipe: 'grounded' }],
    });
    expect(() => validateExperiment(duelExp)).toThrow(/training\.planCandidates.*duel/);
    expect(() => parseExperiment({ ...tinyHockeyConfig('p', [['g', 'grounded']]), training: { planCandidates: 0 } })).toThrow(/training\.planCandidates/);
    expect(() => parseExperiment({ ...tinyHockeyConfig('p', [['g', 'grounded']]), training: { planHorizon: 0 } })).toThrow(/training\.planHorizon/);
  });
});

describe('planning inside playEpisodes', () => {
  it('plays the planning actor’s best-looking moves: its positions look better than unplanned play, and the run repeats exactly', async () => {
    const { playEpisodes } = await import('../lab/rollout.ts');
    // a random player (uniform forces), planned or not, against the scripted direct player
    const random: Actor = {
      id: 'random',
      actSize: 2,
      act(_obs, n, rng) {
        const out = new Float32Array(n * 2);
        for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-1, 1);
        return out;
      },
    };
    const opp: Actor = {
      id: 'direct',
      actSize: 2,
      act(obs, n, rng) {
        const out = new Float32Array(n * 2);
        for (let i = 0; i < n; i++) out.set(direct.act(Array.from(obs.subarray(i * 12, (i + 1) * 12)), rng), i * 2);
        return out;
      },
    };
    const ms = [1, 2, 3, 4, 5, 6].map((seed) => ({ seed, actors: (seed % 2 ? [random, opp] : [opp, random]) as Pair<Actor> }));
    const params = { maxSteps: 60 };
    const planner = { actor: random, candidates: 6, horizon: 2 };
    const planned = playEpisodes(hockey, params, ms, new Rng(4), undefined, planner);
    const again = playEpisodes(hockey, params, ms, new Rng(4), undefined, planner);
    const plain = playEpisodes(hockey, params, ms, new Rng(4));
    expect(again).toEqual(planned);
    // the mean position value the random player reaches after its moves
    const meanValue = (eps: typeof planned) => {
      let s = 0;
      let n = 0;
      eps.forEach((ep, k) => {
        const seat = ms[k].actors[0] === random ? 0 : 1;
        for (const o of ep.obs.slice(1)) {
          s += hockeyPlanValue(o[seat]);
          n++;
        }
      });
      return s / n;
    };
    expect(meanValue(planned)).toBeGreaterThan(meanValue(plain) + 0.15);
  });
});
