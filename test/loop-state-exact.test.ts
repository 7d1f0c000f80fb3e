/**
 * lab/loop-state.ts, exactly: model storage, the loop state loaded from stored files, the
 * round-robin pool, the rating helpers against agents/rating.ts, and a generation's rows and the
 * final Elo built field by field from fake evaluations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { bootstrapBradleyTerry, fitBradleyTerry } from '../agents/rating.ts';
import {
  disposeModel,
  generationRows,
  loadSeedLoop,
  modelFromJson,
  modelJson,
  poolBefore,
  provisionalRatings,
  ratingOptions,
  ratingPlayers,
  seedRecord,
  withFinalElo,
  type Model,
  type SeedLoop,
} from '../lab/loop-state.ts';
import { getScenario } from '../lab/scenarios.ts';
import { rowsRecord, seedFiles, VerifiedStorage } from '../lab/run-record.ts';
import { MemoryStorage } from '../lab/host.ts';
import { provenanceShares, sampleCount, storeTrajectories, type Trajectory } from '../lab/dataset.ts';
import type { ModelEval } from '../lab/evaluate.ts';
import type { PhysicsExperiment, ResolvedLineage } from '../lab/config.ts';
import type { MetricsRow } from '../lab/types.ts';
import type { EpisodeRecord } from '../sim/types.ts';
import { Rng } from '../sim/rng.ts';

beforeAll(async () => {
  await initTf('wasm');
});

const duel = getScenario('duel');
const O = duel.def.observationSpace.size;
const A = duel.def.actionSpace.size;
const tinyModel = (id: string, seed: number): Model => ({
  id,
  policy: Policy.create({ obsSize: O, actSize: A, hidden: [2], components: 1 }, new Rng(seed, 'p')),
  world: WorldModel.create({ obsSize: O, actSize: A, hidden: [2] }, new Rng(seed, 'w')),
});
const lineages = (...names: string[]) => names.map((name) => ({ name, recipe: {} }) as ResolvedLineage);
const traj = (players: [string, string], steps: number, source: Trajectory['source'] = 'sim'): Trajectory => ({
  ep: {
    scenario: 'duel',
    seed: 1,
    obs: Array.from({ length: steps + 1 }, () => [new Array(O).fill(0.5), new Array(O).fill(-0.5)]),
    actions: Array.from({ length: steps }, () => [[0.25, -0.25], [0, 0]]),
    active: Array.from({ length: steps }, (_, t) => [true, t === 0]),
    events: Array.from({ length: steps }, () => []),
    winner: 0,
    terminated: true,
    truncated: false,
  } as EpisodeRecord,
  source,
  players,
  lineage: null,
  generation: 0,
  seed: 1,
  judgedBy: 'sim',
});

describe('models', () => {
  it('modelJson / modelFromJson: id, policy and world model round-trip', () => {
    const m = tinyModel('a/g1', 1);
    const text = modelJson(m);
    const j = JSON.parse(text);
    expect(Object.keys(j)).toEqual(['id', 'policy', 'world']);
    expect(j.id).toBe('a/g1');
    expect(j.policy).toEqual(JSON.parse(JSON.stringify(m.policy.toJSON())));
    const back = modelFromJson(text);
    expect(back.id).toBe('a/g1');
    expect(modelJson(back)).toBe(text);
    disposeModel(back);
    disposeModel(m);
  });

  it('disposeModel disposes both networks', () => {
    const calls: string[] = [];
    disposeModel({ id: 'x', policy: { dispose: () => calls.push('policy') }, world: { dispose: () => calls.push('world') } } as unknown as Model);
    expect(calls).toEqual(['policy', 'world']);
  });
});

describe('the loop state', () => {
  it('seedRecord: generation, games, file hashes and the rows record', async () => {
    const loop = { seed: 3, generation: 2, games: [{ a: 'x', b: 'y', score: 1 }], history: new Map(), trainSets: new Map() } as SeedLoop;
    expect(await seedRecord(loop, { f: 'h' }, ['l1', 'l2'])).toEqual({ generation: 2, games: loop.games, files: { f: 'h' }, rows: await rowsRecord(['l1', 'l2']) });
  });

  it('loadSeedLoop: generation 0 and D0 for every lineage, then each finished generation\'s checkpoint and samples', async () => {
    const storage = new MemoryStorage();
    const st = new VerifiedStorage(storage);
    const g0 = tinyModel('g0', 0);
    const d0Train = [traj(['scripted:direct', 'scripted:lob'], 2)];
    const written: Record<string, Trajectory[]> = {};
    for (const l of ['a', 'b'])
      for (const g of [1, 2, 3]) {
        const m = tinyModel(`${l}/g${g}`, g * 10 + l.length);
        await st.write(seedFiles.ckpt(7, l, g), modelJson(m));
        disposeModel(m);
        written[`${l}${g}`] = [traj([`${l}/g${g - 1}`, `${l}/g${g - 1}`], g)];
        await st.write(seedFiles.samples(7, l, g), JSON.stringify(storeTrajectories(written[`${l}${g}`])));
      }
    const games = [{ a: 'a/g1', b: 'g0', score: 0.5 }];
    const loop = await loadSeedLoop(st, duel, lineages('a', 'b'), 7, { generation: 2, games }, g0, d0Train);
    expect(loop.seed).toBe(7);
    expect(loop.generation).toBe(2);
    expect(loop.games).toBe(games);
    expect([...loop.history.keys()]).toEqual(['a', 'b']);
    expect(loop.history.get('a')!.map((m) => m.id)).toEqual(['g0', 'a/g1', 'a/g2']);
    expect(loop.history.get('b')!.map((m) => m.id)).toEqual(['g0', 'b/g1', 'b/g2']);
    expect(loop.history.get('a')![0]).toBe(g0);
    expect(loop.trainSets.get('b')![0]).toBe(d0Train);
    expect(loop.trainSets.get('b')!.slice(1).map((s) => s.map((t) => t.players))).toEqual([[['b/g0', 'b/g0']], [['b/g1', 'b/g1']]]);
    expect(loop.trainSets.get('a')![2][0].ep.actions).toHaveLength(2);
    // a fresh seed: generation 0 only
    const fresh = await loadSeedLoop(st, duel, lineages('a'), 7, { generation: -1, games: [] }, g0, d0Train);
    expect(fresh.history.get('a')).toEqual([g0]);
    expect(fresh.trainSets.get('a')).toEqual([d0Train]);
    expect(fresh.generation).toBe(-1);
    for (const models of loop.history.values()) models.slice(1).forEach(disposeModel);
    disposeModel(g0);
  });

  it('poolBefore: every lineage\'s previous generation, none before generation 2', () => {
    const m = (id: string) => ({ id, policy: {} }) as unknown as Model;
    const history = new Map([
      ['a', [m('g0'), m('a/g1'), m('a/g2')]],
      ['b', [m('g0'), m('b/g1'), m('b/g2')]],
    ]);
    const loop = { seed: 1, generation: 2, games: [], history, trainSets: new Map() } as SeedLoop;
    expect(poolBefore(loop, lineages('a', 'b'), 1, A)).toEqual([]);
    expect(poolBefore(loop, lineages('a', 'b'), 2, A).map((p) => [p.id, p.actSize])).toEqual([['a/g1', A], ['b/g1', A]]);
    expect(poolBefore(loop, lineages('b'), 3, A).map((p) => p.id)).toEqual(['b/g2']);
  });
});

describe('ratings and rows', () => {
  const games = [
    { a: 'scripted:direct', b: 'scripted:lob', score: 1 },
    { a: 'scripted:direct', b: 'scripted:lob', score: 0.5 },
    { a: 'g0', b: 'scripted:direct', score: 0 },
    { a: 'g0', b: 'scripted:lob', score: 1 },
    { a: 'a/g1', b: 'g0', score: 1 },
    { a: 'a/g1', b: 'scripted:direct', score: 0.5 },
    { a: 'scripted:lob', b: 'a/g1', score: 0 },
  ];

  it('the scripted baseline anchors at 1000; players sorted, once each', () => {
    expect(ratingOptions(duel)).toEqual({ anchor: 'scripted:direct', anchorRating: 1000 });
    expect(ratingOptions(getScenario('hockey'))).toEqual({ anchor: 'scripted:hockey-direct', anchorRating: 1000 });
    expect(ratingPlayers(games)).toEqual(['a/g1', 'g0', 'scripted:direct', 'scripted:lob']);
    expect(ratingPlayers([])).toEqual([]);
    const r = provisionalRatings(duel, games);
    expect(r).toEqual(fitBradleyTerry(['a/g1', 'g0', 'scripted:direct', 'scripted:lob'], games, { anchor: 'scripted:direct', anchorRating: 1000 }));
    expect(r['scripted:direct']).toBeCloseTo(1000, 6);
  });

  const ev = (k: number): ModelEval => ({
    winRate: 0.1 * k, winRateSe: 0.01 * k, believedWinRate: 0.2 * k, selfDeception: 0.1, selfDeceptionSe: 0.02, worldNll: 3 + k,
    worldOutcomeAccuracy: 0.5, worldOutcomeBaseline: 0.4, worldOutcomeRecall: [0.1, 0.2, 0.3], worldTailCoverage: k === 1 ? null : 0.7,
    realNll: 1.5, entropy: 0.9, actionStd: 0.3, tailShare: 0.25 * k, realityGap: 0.6, outcomeDisagreement: 0.05, w1: 0.8,
    actionHistogram: { names: ['angle'], edges: [-1, 1], counts: [[k]] }, games: [], selfPlay: [],
  });

  it('generationRows: one row per lineage, every field from its evaluation, ratings and training facts', () => {
    const exp = { name: 'e', scenario: 'duel' } as PhysicsExperiment;
    const m = (id: string) => ({ id }) as unknown as Model;
    const history = new Map([
      ['a', [m('g0'), m('a/g1')]],
      ['b', [m('g0'), m('b/g1')]],
    ]);
    const loop = { seed: 4, generation: 1, games: [], history, trainSets: new Map() } as SeedLoop;
    const d0Train = [traj(['scripted:direct', 'scripted:lob'], 3), traj(['human', 'g0'], 1, 'human')];
    const evals = new Map([['g0', ev(1)], ['a/g1', ev(2)], ['b/g1', ev(3)]]);
    const ratings = { g0: 1012.3456789, 'a/g1': 987.6543211 };
    const training = new Map([['a', { provenance: { 'sim:a/g1': 1 }, samples: 42 }]]);
    const rows = generationRows(exp, lineages('a', 'b'), loop, 1, evals, ratings, training, d0Train, 0.123);
    const common = (k: number) => {
      const e = ev(k);
      return {
        winRate: e.winRate, winRateSe: e.winRateSe, believedWinRate: e.believedWinRate, selfDeception: e.selfDeception, selfDeceptionSe: e.selfDeceptionSe,
        worldNll: e.worldNll, worldOutcomeAccuracy: e.worldOutcomeAccuracy, worldOutcomeBaseline: e.worldOutcomeBaseline, worldOutcomeRecall: e.worldOutcomeRecall,
        worldTailCoverage: e.worldTailCoverage, realNll: e.realNll, entropy: e.entropy, actionStd: e.actionStd, tailShare: e.tailShare, d0TailShare: 0.123,
        realityGap: e.realityGap, outcomeDisagreement: e.outcomeDisagreement, w1: e.w1, actionHistogram: e.actionHistogram,
      };
    };
    expect(rows).toEqual([
      { kind: 'generation', experiment: 'e', scenario: 'duel', lineage: 'a', generation: 1, seed: 4, elo: 987.654321, eloLow: null, eloHigh: null, eloProvisional: 987.654321, ...common(2), provenance: { 'sim:a/g1': 1 }, trainSamples: 42 },
      // no rating yet: 1000; no training facts: empty
      { kind: 'generation', experiment: 'e', scenario: 'duel', lineage: 'b', generation: 1, seed: 4, elo: 1000, eloLow: null, eloHigh: null, eloProvisional: 1000, ...common(3), provenance: {}, trainSamples: 0 },
    ]);
    // generation 0: every lineage's row is generation 0's, its training set D0's split
    const r0 = generationRows(exp, lineages('a', 'b'), loop, 0, evals, ratings, training, d0Train, 0.123);
    expect(r0.map((r) => [r.lineage, r.generation, r.elo, r.winRate, r.trainSamples])).toEqual([
      ['a', 0, 1012.345679, 0.1, sampleCount(d0Train)],
      ['b', 0, 1012.345679, 0.1, sampleCount(d0Train)],
    ]);
    expect(sampleCount(d0Train)).toBe(6);
    expect(r0[0].provenance).toEqual(provenanceShares(d0Train));
    expect(r0[0].provenance).toEqual({ 'human:g0': 0.166667, 'human:human': 0.166667, 'sim:scripted': 0.666667 });
  });

  it('withFinalElo: one fit over every game with bootstrap intervals, for this seed\'s generation rows only', () => {
    const exp = { evaluation: { eloBootstrap: 20 } } as PhysicsExperiment;
    const row = (lineage: string, generation: number, seed: number) => ({ kind: 'generation', lineage, generation, seed, elo: 0, eloLow: null, eloHigh: null }) as unknown as MetricsRow;
    const rows = [row('a', 0, 5), row('a', 0, 6), row('a', 1, 5), { kind: 'calibration', seed: 5 } as unknown as MetricsRow, row('b', 0, 5)];
    const out = withFinalElo(exp, duel, 5, games, rows);
    const players = ['a/g1', 'g0', 'scripted:direct', 'scripted:lob'];
    const opts = { anchor: 'scripted:direct', anchorRating: 1000 };
    const fit = fitBradleyTerry(players, games, opts);
    const ci = bootstrapBradleyTerry(players, games, opts, 20, new Rng(5, 'elo-bootstrap'));
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    expect(out.map((o) => o.index)).toEqual([0, 2, 4]);
    expect(out[0].row).toEqual({ ...rows[0], elo: r6(fit.g0), eloLow: r6(ci.g0[0]), eloHigh: r6(ci.g0[1]) });
    expect(out[1].row).toEqual({ ...rows[2], elo: r6(fit['a/g1']), eloLow: r6(ci['a/g1'][0]), eloHigh: r6(ci['a/g1'][1]) });
    expect(out[2].row.elo).toBe(r6(fit.g0));
    expect(ci.g0[0]).toBeLessThan(ci.g0[1]);
    // the rows themselves are not changed
    expect(rows[0].elo).toBe(0);
  });
});
