/**
 * lab/evaluate.ts, exactly: the small helpers against hand-computed values and fake scenarios, and
 * evaluateModel's every field against the modules it composes (rollout, imagination, world and
 * dream scores, the policy's own statistics, sliced W1, histograms) called on the same streams.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { evalSeeds, evaluateModel, mean, obsActionPairs, scores, standardError, tailShare, versus, type EvalContext } from '../lab/evaluate.ts';
import { policyActor, scriptedActor, type Actor } from '../lab/actors.ts';
import { getScenario, type ScenarioEntry } from '../lab/scenarios.ts';
import { scriptedEpisodes } from '../lab/experiment.ts';
import { policyData, worldData } from '../lab/dataset.ts';
import { balancedOutcomes, worldScores } from '../lab/world.ts';
import { playEpisodes } from '../lab/rollout.ts';
import { imagineEpisodes } from '../lab/imagine.ts';
import { dreamFidelity, dreamReplay } from '../lab/dream.ts';
import { histogram, slicedW1 } from '../lab/stats.ts';
import { Rng } from '../sim/rng.ts';
import type { EpisodeRecord } from '../sim/types.ts';

beforeAll(async () => {
  await initTf('wasm');
});

const actor = (id: string): Actor => ({ id, actSize: 1, act: () => new Float32Array(1) });
const ep = (winner: -1 | 0 | 1): EpisodeRecord => ({ scenario: 'duel', seed: 0, obs: [], actions: [], active: [], events: [], winner, terminated: winner !== -1, truncated: winner === -1 });

describe('helpers', () => {
  it('evalSeeds: the purpose\'s stream of 31-bit seeds, the same every time', () => {
    const r = new Rng(4, 'eval-seeds', 'panel');
    const raw = Array.from({ length: 40 }, () => r.nextUint32());
    expect(evalSeeds(4, 'panel', 40)).toEqual(raw.map((x) => x & 0x7fffffff));
    // some raw draws have the top bit, which the mask clears
    expect(raw.some((x) => x >= 2 ** 31)).toBe(true);
    expect(evalSeeds(4, 'panel', 40).every((s) => s >= 0 && s < 2 ** 31)).toBe(true);
    expect(evalSeeds(4, 'other', 3)).not.toEqual(evalSeeds(4, 'panel', 3));
    expect(evalSeeds(4, 'panel', 0)).toEqual([]);
  });

  it('versus alternates seats; scores are 1, ½, 0 from the seat of `me`', () => {
    const me = actor('me');
    const op = actor('op');
    const ms = versus(me, op, [7, 8, 9]);
    expect(ms.map((m) => [m.seed, m.actors[0].id, m.actors[1].id])).toEqual([[7, 'me', 'op'], [8, 'op', 'me'], [9, 'me', 'op']]);
    expect(scores([ep(0), ep(0), ep(-1)], ms, me)).toEqual([1, 0, 0.5]);
    expect(scores([ep(1), ep(1), ep(1)], ms, me)).toEqual([0, 1, 0]);
    expect(scores([ep(1), ep(-1), ep(0)], ms, op)).toEqual([1, 0.5, 0]);
  });

  it('mean and standard error (sample sd / √n; 0 below two values)', () => {
    expect(mean([])).toBe(0);
    expect(mean([1, 2, 6])).toBe(3);
    expect(standardError([])).toBe(0);
    expect(standardError([5])).toBe(0);
    expect(standardError([1, 3])).toBe(1);
    // mean 2.5, squares 5: √(5 / 3 / 4)
    expect(standardError([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 12), 15);
    expect(standardError([2, 2, 2])).toBe(0);
  });

  it('tailShare: the rare styles\' share of every style count, both seats', () => {
    const fake = {
      def: {
        style: { rare: ['lob', 'bank'] },
        styleCounts: (e: EpisodeRecord, seat: 0 | 1) => (e.seed === 1 ? (seat === 0 ? { direct: 3, lob: 1 } : { bank: 2 }) : seat === 0 ? { direct: 2 } : {}),
      },
    } as unknown as ScenarioEntry;
    const one = { ...ep(0), seed: 1 };
    const two = { ...ep(0), seed: 2 };
    expect(tailShare(fake, [one])).toBe(3 / 6);
    expect(tailShare(fake, [one, two])).toBe(3 / 8);
    expect(tailShare(fake, [two])).toBe(0);
    expect(tailShare(fake, [])).toBe(0);
  });

  it('obsActionPairs: observation then action of each active seat, in time order', () => {
    const e: EpisodeRecord = {
      ...ep(0),
      obs: [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 9], [9, 9]]],
      actions: [[[0.1], [0.2]], [[0.3], [0.4]]],
      active: [[true, false], [true, true]],
    };
    const got = obsActionPairs([e, { ...e, active: [[false, true], [false, false]] }]);
    expect(Array.from(got)).toEqual(Array.from(new Float32Array([1, 2, 0.1, 5, 6, 0.3, 7, 8, 0.4, 3, 4, 0.2])));
    expect(obsActionPairs([])).toHaveLength(0);
  });
});

describe('evaluateModel', () => {
  it('every field from its module, on the model\'s own streams', () => {
    const entry = getScenario('duel');
    const O = entry.def.observationSpace.size;
    const A = entry.def.actionSpace.size;
    const d0 = scriptedEpisodes(entry, {}, 6, new Rng(3, 'd0'));
    const test = d0.slice(0, 2);
    const heldWorld = worldData(test, entry.def);
    const policy = Policy.create({ obsSize: O, actSize: A, hidden: [4], components: 2 }, new Rng(5));
    const world = WorldModel.create({ obsSize: O, actSize: A, hidden: [4] }, new Rng(6));
    const panel = [scriptedActor(entry.scripted[0], O, A), scriptedActor(entry.scripted[1], O, A)];
    const ctx: EvalContext = {
      entry,
      params: {},
      seed: 9,
      panel,
      panelGames: 3,
      selfPlayEpisodes: 2,
      d0Test: policyData(test, entry.def, 0),
      d0Pairs: obsActionPairs(d0.slice(2).map((t) => t.ep)),
      heldOut: { eps: test.map((t) => t.ep), world: heldWorld, decisive: balancedOutcomes(heldWorld, O, A) },
      outcome: 'learned',
    };
    const e = evaluateModel(ctx, 'm1', policy, world);

    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    const me = policyActor('m1', policy, A, 1);
    const seeds = evalSeeds(9, 'panel', 3);
    const ms = panel.flatMap((o) => versus(me, o, seeds));
    const real = scores(playEpisodes(entry, {}, ms, new Rng(9, 'panel-play', 'm1')), ms, me);
    const believed = scores(imagineEpisodes(entry, world, ms, new Rng(9, 'panel-imagine', 'm1'), { params: {}, temperature: 1, outcome: 'learned' }), ms, me);
    expect(e.games).toEqual(ms.map((m, i) => ({ a: 'm1', b: m.actors[0] === me ? m.actors[1].id : m.actors[0].id, score: real[i] })));
    expect(e.games.map((g) => g.b)).toEqual(['scripted:direct', 'scripted:direct', 'scripted:direct', 'scripted:lob', 'scripted:lob', 'scripted:lob']);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const se = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - avg(xs)) ** 2, 0) / (xs.length - 1) / xs.length);
    expect(e.winRate).toBe(r6(avg(real)));
    expect(e.winRateSe).toBe(r6(se(real)));
    expect(e.believedWinRate).toBe(r6(avg(believed)));
    expect(e.selfDeception).toBe(r6(avg(believed) - avg(real)));
    expect(e.selfDeceptionSe).toBe(r6(se(believed.map((b, i) => b - real[i]))));

    const sp = playEpisodes(entry, {}, evalSeeds(9, 'self-play', 2).map((s) => ({ seed: s, actors: [me, me] })), new Rng(9, 'self-play', 'm1'));
    expect(e.selfPlay).toEqual(sp);
    expect(e.tailShare).toBe(r6(tailShare(entry, sp)));

    const lp = policy.logProb(ctx.d0Test.obs, ctx.d0Test.act, ctx.d0Test.n);
    expect(ctx.d0Test.n).toBeGreaterThan(1);
    expect(e.realNll).toBe(r6(-Array.from(lp).reduce((a, b) => a + b, 0) / ctx.d0Test.n));
    const statRng = new Rng(9, 'policy-stats', 'm1');
    expect(e.entropy).toBe(r6(policy.entropy(ctx.d0Test.obs, ctx.d0Test.n, statRng)));
    expect(e.actionStd).toBe(r6(policy.actionStd(ctx.d0Test.obs, ctx.d0Test.n, statRng)));

    const wm = worldScores(entry, world, 'learned', heldWorld, ctx.heldOut.decisive);
    expect(e.worldNll).toBe(r6(wm.nll));
    expect(e.worldOutcomeAccuracy).toBe(r6(wm.accuracy));
    expect(e.worldOutcomeBaseline).toBe(r6(wm.baseline));
    expect(e.worldOutcomeRecall).toEqual(wm.recall.map((r) => (Number.isFinite(r) ? r6(r) : 0)));
    const gap = dreamFidelity(entry, ctx.heldOut.eps, dreamReplay(entry, world, 'learned', ctx.heldOut.eps, new Rng(9, 'reality-gap', 'm1')));
    expect(e.realityGap).toBe(r6(gap.finalError));
    expect(e.outcomeDisagreement).toBe(r6(gap.disagreement));
    expect(e.worldTailCoverage).toBe(Number.isFinite(gap.tailCoverage) ? r6(gap.tailCoverage) : null);

    const pairs = obsActionPairs(sp);
    expect(e.w1).toBe(r6(slicedW1(pairs, ctx.d0Pairs, O + A, 64, new Rng(9, 'w1'))));
    const edges = [-1, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
    expect(e.actionHistogram.edges).toEqual(edges);
    expect(e.actionHistogram.names).toEqual(['angle', 'power']);
    const rows = pairs.length / (O + A);
    expect(rows).toBeGreaterThan(0);
    const col = (j: number) => Array.from({ length: rows }, (_, r) => pairs[r * (O + A) + O + j]);
    expect(e.actionHistogram.counts).toEqual([histogram(col(0), edges), histogram(col(1), edges)]);
    expect(e.actionHistogram.counts[0].reduce((a, b) => a + b, 0)).toBe(rows);
    // values really are rounded to 6 places
    for (const k of ['winRateSe', 'worldNll', 'entropy', 'actionStd', 'realNll', 'w1', 'realityGap'] as const) expect(e[k]).toBe(r6(e[k]));
    policy.dispose();
    world.dispose();
  }, 30_000);
});
