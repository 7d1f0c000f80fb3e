/**
 * lab/experiment.ts, exactly: the pure helpers against hand-computed values, and tiny physics runs
 * (2-unit networks, a handful of duel episodes, well under a second each) whose files, events,
 * training sets, games, stops and resumes are checked against the recipe's rules, with the
 * dataset, rollout and evaluation modules as the oracles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { epochsFor, METRICS, progressUnits, relabel, runPhysicsExperiment, scriptedEpisodes } from '../lab/experiment.ts';
import { MemoryStorage, type HumanGame, type LabEvent, type LabHost } from '../lab/host.ts';
import { getScenario } from '../lab/scenarios.ts';
import { loadTrajectories, provenanceShares, sampleCount, type StoredTrajectory, type Trajectory } from '../lab/dataset.ts';
import { playEpisodes, replayInSim, type Matchup } from '../lab/rollout.ts';
import { evalSeeds } from '../lab/evaluate.ts';
import { unseal } from '../lab/run-record.ts';
import { scriptedActor } from '../lab/actors.ts';
import type { MetricsRow } from '../lab/types.ts';
import type { EpisodeRecord } from '../sim/types.ts';
import { Rng } from '../sim/rng.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';

beforeAll(async () => {
  await initTf('wasm');
});

const duel = getScenario('duel');
const SCRIPTED = ['scripted:direct', 'scripted:lob', 'scripted:sloppy'];

/** A tiny duel experiment: 2-unit networks, one epoch, 8 D0 episodes, no held-out extras. */
function tiny(lineages: Record<string, unknown>[], extra: Record<string, unknown> = {}): PhysicsExperiment {
  return parseExperiment({
    name: 'exact',
    scenario: 'duel',
    seeds: [1],
    generations: 2,
    d0: { episodes: 8 },
    model: { hidden: [4], components: 1, worldHidden: [4] },
    training: { epochs: 1, batchSize: 64, worldG0Epochs: 1 },
    evaluation: { panelGames: 2, roundRobinGames: 1, selfPlayEpisodes: 2, heldOutEpisodes: 0, eloBootstrap: 10 },
    lineages,
    ...extra,
  }) as PhysicsExperiment;
}

interface Ran {
  rows: MetricsRow[];
  storage: MemoryStorage;
  events: LabEvent[];
  gates: number;
  stops: number;
}

/** Run with a host that counts gates and stop checks; `stopAt`: the stop check (1-based) that says stop. */
async function run(exp: PhysicsExperiment, opts: { stopAt?: number; resume?: boolean; storage?: MemoryStorage; human?: LabHost['humanGames'] } = {}): Promise<Ran> {
  const storage = opts.storage ?? new MemoryStorage();
  const events: LabEvent[] = [];
  const r = { gates: 0, stops: 0 };
  const host: LabHost = {
    storage,
    emit: (e) => events.push(e),
    gate: async () => {
      r.gates++;
    },
    shouldStop: () => ++r.stops === opts.stopAt,
    ...(opts.human ? { humanGames: opts.human } : {}),
  };
  const rows = await runPhysicsExperiment(exp, host, opts.resume ? { resume: true } : {});
  return { rows, storage, events, ...r };
}

async function samples(storage: MemoryStorage, path: string): Promise<Trajectory[]> {
  const text = await storage.read(path);
  expect(text, path).not.toBeNull();
  return loadTrajectories(JSON.parse(text!) as StoredTrajectory[], duel.def);
}

const hiddenOf = async (storage: MemoryStorage, path: string): Promise<{ policy: number[]; world: number[] }> => {
  const j = JSON.parse((await storage.read(path))!);
  return { policy: j.policy.config.hidden, world: j.world.config.hidden };
};

const progressOf = (events: LabEvent[]) =>
  events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? `${e.seed}/${e.lineage}/${e.generation}/${e.phase}/${e.done}/${e.total}` : ''));

describe('pure helpers', () => {
  it('epochsFor: the configured epochs, capped by maxUpdates over ceil(n / batch) updates per epoch, at least 1', () => {
    const t = (epochs: number, batchSize: number, maxUpdates?: number) => ({ epochs, batchSize, maxUpdates }) as PhysicsExperiment['training'];
    expect(epochsFor(t(30, 128), 1_000_000)).toBe(30);
    expect(epochsFor(t(30, 128, 0), 1000)).toBe(30);
    // 1000 samples / 128 → 8 updates an epoch; 40 updates → 5 epochs
    expect(epochsFor(t(30, 128, 40), 1000)).toBe(5);
    // 47 updates → floor(47 / 8) = 5
    expect(epochsFor(t(30, 128, 47), 1000)).toBe(5);
    // 1024 samples: exactly 8 an epoch; 1025: 9 → floor(40 / 9) = 4
    expect(epochsFor(t(30, 128, 40), 1024)).toBe(5);
    expect(epochsFor(t(30, 128, 40), 1025)).toBe(4);
    // never more than configured, never fewer than one
    expect(epochsFor(t(3, 128, 40), 1000)).toBe(3);
    expect(epochsFor(t(30, 128, 5), 1000)).toBe(1);
    expect(epochsFor(t(30, 128, 1), 10_000)).toBe(1);
    expect(epochsFor(t(30, 10, 60), 20)).toBe(30);
  });

  it('progressUnits: per seed 4 + G·(3L + 1); none without lineages', () => {
    expect(progressUnits(1, 1, 1)).toBe(8);
    expect(progressUnits(2, 3, 2)).toBe(2 * (4 + 3 * 7));
    expect(progressUnits(3, 0, 5)).toBe(12);
    expect(progressUnits(4, 10, 0)).toBe(0);
  });

  const ep = (steps: number, winner: -1 | 0 | 1, terminated: boolean): EpisodeRecord => ({
    scenario: 'duel',
    seed: 7,
    obs: Array.from({ length: steps + 1 }, (_, t) => [[t], [-t]] as [number[], number[]]),
    actions: Array.from({ length: steps }, (_, t) => [[t + 0.5], [t - 0.5]] as [number[], number[]]),
    active: Array.from({ length: steps }, (_, t) => [t % 2 === 0, t % 2 === 1] as [boolean, boolean]),
    events: Array.from({ length: steps }, (_, t) => [`e${t}`]),
    winner,
    terminated,
    truncated: !terminated,
  });

  it('relabel: reality ended the game earlier → cut there, with reality\'s winner', () => {
    const imagined = ep(5, 0, true);
    const out = relabel(imagined, ep(3, 1, true));
    expect(out.seed).toBe(7);
    expect(out.scenario).toBe('duel');
    expect(out.obs).toEqual(imagined.obs.slice(0, 4));
    expect(out.actions).toEqual(imagined.actions.slice(0, 3));
    expect(out.active).toEqual(imagined.active.slice(0, 3));
    expect(out.events).toEqual([['e0'], ['e1'], ['e2']]);
    expect([out.winner, out.terminated, out.truncated]).toEqual([1, true, false]);
    // a draw reality ended is kept as a draw
    const draw = relabel(imagined, ep(5, -1, true));
    expect([draw.winner, draw.terminated, draw.truncated, draw.actions.length, draw.obs.length]).toEqual([-1, true, false, 5, 6]);
  });

  it('relabel: reality did not end the game → the whole imagined episode, truncated, no winner', () => {
    const imagined = ep(4, 1, true);
    const out = relabel(imagined, { ...ep(2, 0, false), winner: 0 });
    expect(out.obs).toEqual(imagined.obs);
    expect(out.actions).toEqual(imagined.actions);
    expect(out.active).toEqual(imagined.active);
    expect(out.events).toEqual(imagined.events);
    expect([out.winner, out.terminated, out.truncated]).toEqual([-1, false, true]);
    // the imagined episode itself is left alone
    expect(imagined.actions).toHaveLength(4);
    expect(imagined.winner).toBe(1);
  });

  it('scriptedEpisodes: seat styles drawn by weight, seeds masked to 31 bits, then played on a forked stream', () => {
    const rng = new Rng(11, 'x');
    const got = scriptedEpisodes(duel, {}, 5, rng);
    // the oracle: the same draws by hand, played by the rollout module
    const o = new Rng(11, 'x');
    const weights = [0.7, 0.2, 0.1];
    const actors = duel.scripted.map((s) => scriptedActor(s, duel.def.observationSpace.size, duel.def.actionSpace.size));
    const ms: Matchup[] = [];
    for (let k = 0; k < 5; k++) {
      const a = actors[o.categorical(weights)];
      const b = actors[o.categorical(weights)];
      ms.push({ seed: o.nextUint32() & 0x7fffffff, actors: [a, b] });
    }
    const eps = playEpisodes(duel, {}, ms, o.fork('play'));
    expect(got).toHaveLength(5);
    expect(got.map((t) => t.ep)).toEqual(eps);
    expect(got.map((t) => t.players)).toEqual(ms.map((m) => [m.actors[0].id, m.actors[1].id]));
    for (const t of got) {
      expect(t.ep.seed).toBeGreaterThanOrEqual(0);
      expect(t.ep.seed).toBeLessThan(2 ** 31);
      expect({ ...t, ep: null }).toEqual({ ep: null, source: 'sim', players: t.players, lineage: null, generation: 0, seed: 0, judgedBy: 'sim' });
    }
    // the caller's stream advanced past the draws and the fork
    expect(rng.nextUint32()).toBe(o.nextUint32());
    expect(scriptedEpisodes(duel, {}, 0, new Rng(1))).toEqual([]);
  });

  it('scriptedEpisodes: a style of weight 0 never plays; styles come from the scenario', () => {
    const only = { ...duel, scripted: duel.scripted.map((s, i) => ({ ...s, weight: i === 1 ? 1 : 0 })) };
    const got = scriptedEpisodes(only, {}, 4, new Rng(3));
    expect(got.map((t) => t.players)).toEqual(Array.from({ length: 4 }, () => ['scripted:lob', 'scripted:lob']));
  });
});

describe('a tiny run of every recipe', () => {
  it('writes exactly its files and events, and each lineage\'s data follows its recipe', async () => {
    const human: HumanGame[] = scriptedEpisodes(duel, {}, 1, new Rng(99)).map((t) => ({ ep: t.ep, players: ['human', 'g0'] }));
    const asked: string[] = [];
    const exp = tiny([
      { name: 'g', recipe: 'grounded', episodes: 4 },
      { name: 'r', recipe: 'recursive', episodes: 4 },
      { name: 'f', recipe: 'fresh-mix', realFraction: 0.5, episodes: 4 },
      { name: 'v', recipe: 'verified', episodes: 4 },
      { name: 'q', recipe: 'recursive', verify: 'filter', retain: 'accumulate', episodes: 4 },
      { name: 'd', recipe: 'distilled', teacher: 'g', hidden: [3], episodes: 4 },
    ]);
    const L = 6;
    const { rows, storage, events, gates, stops } = await run(exp, {
      human: (l, g) => {
        asked.push(`${l}/${g}`);
        return l === 'g' && g === 1 ? human : [];
      },
    });
    // the files, exactly
    const lineageFiles = (l: string) => [1, 2].flatMap((g) => [`samples/s1/${l}/g${g}.json`, `checkpoints/s1/${l}/g${g}.json`, `samples/s1/${l}/g${g}-play.json`]);
    expect([...storage.files.keys()].sort()).toEqual(
      [METRICS, 'samples/s1/d0.json', 'checkpoints/s1/g0.json', 'samples/s1/g0/g0-play.json', 'state/s1.json', ...['g', 'r', 'f', 'v', 'q', 'd'].flatMap(lineageFiles)].sort(),
    );
    // the rows: generation 0 and two more for each lineage, in metrics.jsonl as returned
    expect(rows).toHaveLength(3 * L);
    expect(rows.map((r) => `${r.lineage}/${r.generation}`)).toEqual(
      [0, 1, 2].flatMap((g) => ['g', 'r', 'f', 'v', 'q', 'd'].map((l) => `${l}/${g}`)).sort((a, b) => Number(a.slice(-1)) - Number(b.slice(-1))),
    );
    expect(await storage.read(METRICS)).toBe(rows.map((r) => JSON.stringify(r) + '\n').join(''));
    expect(rows.every((r) => r.seed === 1 && r.experiment === 'exact')).toBe(true);
    // events: start, progress in order, provisional rows, the final rows, done
    expect(events[0]).toEqual({ type: 'start', experiment: 'exact', scenario: 'duel', lineages: ['g', 'r', 'f', 'v', 'q', 'd'], generations: 2, seeds: [1], resumedFrom: undefined });
    const names = ['g', 'r', 'f', 'v', 'q', 'd'];
    const perGen = (g: number) => [...names.flatMap((l) => [`1/${l}/${g}/data/0/1`, `1/${l}/${g}/train/0/1`]), ...names.map((l) => `1/${l}/${g}/evaluate/0/1`), `1/all/${g}/rate/0/1`];
    expect(progressOf(events)).toEqual(['1/d0/0/data/0/1', '1/g0/0/train/0/1', '1/g0/0/evaluate/0/1', '1/all/0/rate/0/1', ...perGen(1), ...perGen(2)]);
    expect(progressOf(events)).toHaveLength(progressUnits(1, 2, L));
    const rowEvents = events.filter((e) => e.type === 'row');
    expect(rowEvents.filter((e) => e.type === 'row' && !e.final)).toHaveLength(3 * L);
    const finals = rowEvents.filter((e) => e.type === 'row' && e.final === true);
    expect(finals.map((e) => (e.type === 'row' ? e.row : null))).toEqual(rows);
    expect(events[events.length - 1]).toEqual({ type: 'done', rows: 3 * L });
    // one gate and one stop check per unit of work
    expect(gates).toBe(3 + 2 * (2 * L + 1));
    expect(stops).toBe(3 + 2 * (2 * L + 2));
    expect(asked).toEqual([1, 2].flatMap((g) => names.map((l) => `${l}/${g}`)));

    // D0: 8 scripted episodes, provenance of the seed
    const d0 = await samples(storage, 'samples/s1/d0.json');
    expect(d0).toHaveLength(8);
    for (const t of d0) {
      expect([t.source, t.lineage, t.generation, t.seed, t.judgedBy]).toEqual(['sim', null, 0, 1, 'sim']);
      expect(SCRIPTED).toContain(t.players[0]);
      expect(SCRIPTED).toContain(t.players[1]);
    }
    // ...which is scripted play drawn on the seed's 'd0' stream
    expect(d0.map((t) => t.players)).toEqual(scriptedEpisodes(duel, {}, 8, new Rng(1, 'd0')).map((t) => t.players));

    const meta = (ts: Trajectory[]) => ts.map((t) => `${t.source}|${t.players.join(',')}|${t.lineage}|${t.generation}|${t.seed}|${t.judgedBy}`);
    // grounded: self-play of the newest model and the window of past ones, seats alternating
    const g1 = await samples(storage, 'samples/s1/g/g1.json');
    expect(meta(g1)).toEqual([
      ...Array.from({ length: 4 }, () => 'sim|g0,g0|g|1|1|sim'),
      'human|human,g0|g|1|1|sim',
    ]);
    expect(g1[4].ep.actions).toEqual(human[0].ep.actions.map((a) => a.map((v) => v.map((x) => Math.fround(x)))));
    const g2 = await samples(storage, 'samples/s1/g/g2.json');
    expect(meta(g2)).toEqual(['sim|g/g1,g/g1|g|2|1|sim', 'sim|g0,g/g1|g|2|1|sim', 'sim|g/g1,g/g1|g|2|1|sim', 'sim|g0,g/g1|g|2|1|sim']);
    // the episodes are real: replaying their actions reproduces them
    for (const t of g2) expect(replayInSim(duel, {}, t.ep).winner).toBe(t.ep.winner);
    // distilled: the teacher's previous generation plays itself (window 0), the student's own models never do
    expect(meta(await samples(storage, 'samples/s1/d/g1.json'))).toEqual(Array.from({ length: 4 }, () => 'sim|g0,g0|d|1|1|sim'));
    expect(meta(await samples(storage, 'samples/s1/d/g2.json'))).toEqual(Array.from({ length: 4 }, () => 'sim|g/g1,g/g1|d|2|1|sim'));
    // recursive: the newest model imagines every episode
    expect(meta(await samples(storage, 'samples/s1/r/g1.json'))).toEqual(Array.from({ length: 4 }, () => 'imagined|g0,g0|r|1|1|world-model'));
    expect(meta(await samples(storage, 'samples/s1/r/g2.json'))).toEqual(Array.from({ length: 4 }, () => 'imagined|r/g1,r/g1|r|2|1|world-model'));
    // fresh-mix at 0.5: two imagined, then two scripted episodes of the lineage
    for (const g of [1, 2]) {
      const f = await samples(storage, `samples/s1/f/g${g}.json`);
      const me = g === 1 ? 'g0' : 'f/g1';
      expect(meta(f.slice(0, 2))).toEqual([`imagined|${me},${me}|f|${g}|1|world-model`, `imagined|${me},${me}|f|${g}|1|world-model`]);
      expect(f).toHaveLength(4);
      for (const t of f.slice(2)) {
        expect([t.source, t.lineage, t.generation, t.seed, t.judgedBy]).toEqual(['sim', 'f', g, 1, 'sim']);
        expect(SCRIPTED).toContain(t.players[0]);
      }
    }
    // verified (relabel): every imagined episode kept, with reality's outcome
    for (const g of [1, 2]) {
      const v = await samples(storage, `samples/s1/v/g${g}.json`);
      const me = g === 1 ? 'g0' : 'v/g1';
      expect(meta(v)).toEqual(Array.from({ length: 4 }, () => `imagined|${me},${me}|v|${g}|1|sim-replay`));
      for (const t of v) {
        const real = replayInSim(duel, {}, t.ep);
        expect(t.ep.terminated).toBe(real.terminated);
        expect(t.ep.winner).toBe(real.terminated ? real.winner : -1);
      }
    }
    // filter: only the imagined episodes reality agrees with; accumulate trains on all of them
    const q1 = await samples(storage, 'samples/s1/q/g1.json');
    const q2 = await samples(storage, 'samples/s1/q/g2.json');
    for (const [g, q] of [[1, q1], [2, q2]] as const) {
      expect(q.length).toBeLessThanOrEqual(4);
      for (const t of q) {
        expect([t.source, t.lineage, t.generation, t.judgedBy]).toEqual(['imagined', 'q', g, 'sim-replay']);
        expect(replayInSim(duel, {}, t.ep).winner).toBe(t.ep.winner);
      }
    }
    // training-set facts in the rows: replace trains on the newest data, accumulate on all so far
    const row = (l: string, g: number) => rows.find((r) => r.lineage === l && r.generation === g)!;
    expect(row('g', 1).trainSamples).toBe(sampleCount(g1));
    expect(row('g', 1).provenance).toEqual(provenanceShares(g1));
    expect(row('g', 1).provenance['human:human']).toBeGreaterThan(0);
    expect(row('g', 2).trainSamples).toBe(sampleCount(g2));
    expect(row('g', 2).provenance).toEqual(provenanceShares(g2));
    // D0's training split: the seed's 'd0-split' shuffle, the first round(0.25 · 8) = 2 held out
    const order = new Rng(1, 'd0-split').shuffle([0, 1, 2, 3, 4, 5, 6, 7]);
    const d0Train = d0.filter((_, i) => !order.slice(0, 2).includes(i));
    expect(d0Train).toHaveLength(6);
    expect(row('q', 1).trainSamples).toBe(sampleCount([...d0Train, ...q1]));
    expect(row('q', 2).trainSamples).toBe(sampleCount([...d0Train, ...q1, ...q2]));
    expect(row('q', 2).provenance).toEqual(provenanceShares([...d0Train, ...q1, ...q2]));
    for (const l of names) {
      expect(row(l, 0).trainSamples).toBe(sampleCount(d0Train));
      expect(row(l, 0).provenance).toEqual(provenanceShares(d0Train));
    }
    expect(row('r', 2).provenance).toEqual({ 'imagined:r/g1': 1 });

    // the student's models have its own size; everyone else's the experiment's
    expect(await hiddenOf(storage, 'checkpoints/s1/d/g1.json')).toEqual({ policy: [3], world: [3] });
    expect(await hiddenOf(storage, 'checkpoints/s1/d/g2.json')).toEqual({ policy: [3], world: [3] });
    expect(await hiddenOf(storage, 'checkpoints/s1/g/g2.json')).toEqual({ policy: [4], world: [4] });
    expect(await hiddenOf(storage, 'checkpoints/s1/g0.json')).toEqual({ policy: [4], world: [4] });
    expect(JSON.parse((await storage.read('checkpoints/s1/r/g2.json'))!).id).toBe('r/g2');

    // self-play samples for replay: the model against itself, real
    for (const [path, id, lineage, g] of [['samples/s1/g0/g0-play.json', 'g0', null, 0], ['samples/s1/r/g2-play.json', 'r/g2', 'r', 2]] as const) {
      const play = await samples(storage, path);
      expect(play).toHaveLength(2);
      expect(meta(play)).toEqual(Array.from({ length: 2 }, () => `sim|${id},${id}|${lineage}|${g}|1|sim`));
    }

    // the games recorded: the scripted round robin, the panel games, and each generation's round robin
    const state = await unseal<{ generation: number; games: { a: string; b: string; score: number }[] }>((await storage.read('state/s1.json'))!, 'state');
    expect(state.generation).toBe(2);
    const games = state.games;
    const count = (pred: (g: { a: string; b: string }) => boolean) => games.filter(pred).length;
    // each pair of scripted styles plays panelGames games, the first style as `a`
    expect(games.filter((g) => SCRIPTED.includes(g.a) && SCRIPTED.includes(g.b)).map((g) => `${g.a}>${g.b}`)).toEqual([
      'scripted:direct>scripted:lob', 'scripted:direct>scripted:lob',
      'scripted:direct>scripted:sloppy', 'scripted:direct>scripted:sloppy',
      'scripted:lob>scripted:sloppy', 'scripted:lob>scripted:sloppy',
    ]);
    // generation 0's panel games, less its games against itself
    expect(count((g) => g.a === 'g0' && g.b === 'g0')).toBe(0);
    expect(count((g) => g.a === 'g0')).toBe(3 * 2);
    // generation 1: no round robin pool yet, only peers: lineage i plays the L-1-i after it once
    for (const [i, l] of names.entries()) {
      const peers = names.slice(i + 1).map((p) => `${p}/g1`);
      expect(games.filter((g) => g.a === `${l}/g1` && g.b !== 'g0' && !SCRIPTED.includes(g.b)).map((g) => g.b)).toEqual(peers);
    }
    // generation 2: every lineage's generation 1, then its later peers
    for (const [i, l] of names.entries()) {
      const opp = [...names.map((p) => `${p}/g1`), ...names.slice(i + 1).map((p) => `${p}/g2`)];
      expect(games.filter((g) => g.a === `${l}/g2` && g.b !== 'g0' && !SCRIPTED.includes(g.b)).map((g) => g.b)).toEqual(opp);
    }
    expect(games.every((g) => g.score === 0 || g.score === 0.5 || g.score === 1)).toBe(true);
  }, 30_000);
});

describe('verification against reality', () => {
  it('relabel keeps every imagined episode with reality\'s outcome; filter keeps those reality agrees with', async () => {
    // the same lineage name on the same seed imagines the same episodes, whatever its verifier
    const one = (verify: string) => tiny([{ name: 'v', recipe: 'recursive', verify, episodes: 12 }], { generations: 1, evaluation: { panelGames: 2, roundRobinGames: 0, selfPlayEpisodes: 2, heldOutEpisodes: 0, eloBootstrap: 10 } });
    const none = await samples((await run(one('none'))).storage, 'samples/s1/v/g1.json');
    const relabelled = await samples((await run(one('relabel'))).storage, 'samples/s1/v/g1.json');
    const filtered = await samples((await run(one('filter'))).storage, 'samples/s1/v/g1.json');
    expect(none).toHaveLength(12);
    expect(none.every((t) => t.judgedBy === 'world-model' && t.source === 'imagined')).toBe(true);
    const real = none.map((t) => replayInSim(duel, {}, t.ep));
    expect(relabelled.map((t) => t.ep)).toEqual(none.map((t, i) => relabel(t.ep, real[i])));
    expect(relabelled.every((t) => t.judgedBy === 'sim-replay' && t.source === 'imagined' && t.lineage === 'v')).toBe(true);
    const agree = none.filter((t, i) => real[i].winner === t.ep.winner);
    expect(filtered.map((t) => t.ep)).toEqual(agree.map((t) => t.ep));
    expect(filtered.every((t) => t.judgedBy === 'sim-replay')).toBe(true);
    // the case is not trivial: reality confirms one imagined outcome of the twelve
    expect(agree).toHaveLength(1);
  }, 30_000);
});

describe('a generation with nothing to learn from', () => {
  // six imagined episodes of lineage 'v' on seed 1, none of which reality confirms (see above): the
  // filter leaves no data, so generation 1 is exactly where its training started
  const filterOnly = (training: Record<string, unknown>) =>
    tiny([{ name: 'v', recipe: 'recursive', verify: 'filter', episodes: 6 }], {
      generations: 1,
      training: { epochs: 1, batchSize: 64, worldG0Epochs: 1, ...training },
      evaluation: { panelGames: 2, roundRobinGames: 0, selfPlayEpisodes: 2, heldOutEpisodes: 0, eloBootstrap: 10 },
    });
  const O = duel.def.observationSpace.size;
  const A = duel.def.actionSpace.size;
  const ckpt = async (s: MemoryStorage, path: string) => JSON.parse((await s.read(path))!) as { id: string; policy: unknown; world: unknown };

  it('warm start: a copy of generation 0, policy and world model', async () => {
    const { storage, rows } = await run(filterOnly({}));
    expect(await samples(storage, 'samples/s1/v/g1.json')).toEqual([]);
    expect(rows[1].trainSamples).toBe(0);
    expect(rows[1].provenance).toEqual({});
    const g0 = await ckpt(storage, 'checkpoints/s1/g0.json');
    const g1 = await ckpt(storage, 'checkpoints/s1/v/g1.json');
    expect(g1.id).toBe('v/g1');
    expect(g1.policy).toEqual(g0.policy);
    expect(g1.world).toEqual(g0.world);
  }, 30_000);

  it('no warm start: both freshly initialised on the generation\'s training stream', async () => {
    const { storage } = await run(filterOnly({ warmStart: false }));
    const r = new Rng(1, 'train', 'v', 1);
    const policy = Policy.create({ obsSize: O, actSize: A, hidden: [4], components: 1 }, r.fork('policy-init'));
    const world = WorldModel.create({ obsSize: O, actSize: A, hidden: [4], minStd: 0.01 }, r.fork('world-init'));
    const g1 = await ckpt(storage, 'checkpoints/s1/v/g1.json');
    expect(g1.policy).toEqual(JSON.parse(JSON.stringify(policy.toJSON())));
    expect(g1.world).toEqual(JSON.parse(JSON.stringify(world.toJSON())));
    policy.dispose();
    world.dispose();
  }, 30_000);

  it('worldStart fresh: the policy warm, the world model new', async () => {
    const { storage } = await run(filterOnly({ worldStart: 'fresh' }));
    const world = WorldModel.create({ obsSize: O, actSize: A, hidden: [4], minStd: 0.01 }, new Rng(1, 'train', 'v', 1).fork('world-init'));
    const g0 = await ckpt(storage, 'checkpoints/s1/g0.json');
    const g1 = await ckpt(storage, 'checkpoints/s1/v/g1.json');
    expect(g1.policy).toEqual(g0.policy);
    expect(g1.world).toEqual(JSON.parse(JSON.stringify(world.toJSON())));
    expect(g1.world).not.toEqual(g0.world);
    world.dispose();
  }, 30_000);
});

describe('stops and resumes', () => {
  // one grounded lineage, two generations: 11 stop checks (seed, g0 training, after g0; per
  // generation: the loop, the lineage's data, its evaluation, the round robin)
  const small = () => tiny([{ name: 'g', recipe: 'grounded', episodes: 4 }]);

  it('a stop before anything leaves an empty metrics file and no done event; resume starts over', async () => {
    const full = await run(small());
    expect(full.stops).toBe(11);
    expect(full.gates).toBe(9);
    const stopped = await run(small(), { stopAt: 1 });
    expect(stopped.rows).toEqual([]);
    expect([...stopped.storage.files.keys()]).toEqual([METRICS]);
    expect(await stopped.storage.read(METRICS)).toBe('');
    expect(stopped.events).toEqual([{ type: 'start', experiment: 'exact', scenario: 'duel', lineages: ['g'], generations: 2, seeds: [1], resumedFrom: undefined }]);
    expect([stopped.gates, stopped.stops]).toEqual([1, 1]);
    const resumed = await run(small(), { resume: true, storage: stopped.storage });
    expect(resumed.events[0]).toEqual({ type: 'start', experiment: 'exact', scenario: 'duel', lineages: ['g'], generations: 2, seeds: [1], resumedFrom: -1 });
    expect(resumed.rows).toEqual(full.rows);
    expect(await resumed.storage.read(METRICS)).toBe(await full.storage.read(METRICS));
    expect(progressOf(resumed.events)).toEqual(progressOf(full.events));
  }, 30_000);

  it('stops before and after generation 0\'s training write D0, then the checkpoint, and nothing else', async () => {
    const a = await run(small(), { stopAt: 2 });
    expect([...a.storage.files.keys()].sort()).toEqual([METRICS, 'samples/s1/d0.json']);
    expect(progressOf(a.events)).toEqual(['1/d0/0/data/0/1', '1/g0/0/train/0/1']);
    expect(a.events.some((e) => e.type === 'done')).toBe(false);
    expect(a.gates).toBe(2);
    const b = await run(small(), { stopAt: 3 });
    expect([...b.storage.files.keys()].sort()).toEqual(['checkpoints/s1/g0.json', METRICS, 'samples/s1/d0.json']);
    expect(b.rows).toEqual([]);
    expect(b.events.some((e) => e.type === 'done')).toBe(false);
  }, 30_000);

  it('stopped after generation 1, or in the middle of generation 2, a resume ends with the fresh run\'s rows', async () => {
    const full = await run(small());
    const at8 = await run(small(), { stopAt: 8 });
    expect(at8.rows.map((r) => r.generation)).toEqual([0, 1]);
    expect(at8.storage.files.has('samples/s1/g/g2.json')).toBe(false);
    expect(at8.events.some((e) => e.type === 'done')).toBe(false);
    expect(at8.events.some((e) => e.type === 'row' && e.final)).toBe(false);
    const state = await unseal<{ generation: number }>((await at8.storage.read('state/s1.json'))!, 'state');
    expect(state.generation).toBe(1);
    const r8 = await run(small(), { resume: true, storage: at8.storage });
    expect(r8.events[0]).toMatchObject({ type: 'start', resumedFrom: 1 });
    // on resume D0 and generation 0 are loaded, not made again
    expect(progressOf(r8.events)).toEqual(['1/d0/0/data/0/1', '1/g/2/data/0/1', '1/g/2/train/0/1', '1/g/2/evaluate/0/1', '1/all/2/rate/0/1']);
    expect(r8.rows).toEqual(full.rows);
    expect(await r8.storage.read(METRICS)).toBe(await full.storage.read(METRICS));
    expect(r8.events[r8.events.length - 1]).toEqual({ type: 'done', rows: 3 });

    // stopped after generation 2's training: its files are there, its rows are not
    const at10 = await run(small(), { stopAt: 10 });
    expect(at10.storage.files.has('checkpoints/s1/g/g2.json')).toBe(true);
    expect(at10.storage.files.has('samples/s1/g/g2-play.json')).toBe(false);
    expect(at10.rows).toHaveLength(2);
    // a torn row of the unfinished generation (as a crash might leave) is dropped on resume
    const torn = { ...at10.rows[1], generation: 2 };
    await at10.storage.append(METRICS, JSON.stringify(torn));
    const r10 = await run(small(), { resume: true, storage: at10.storage });
    expect(r10.rows).toEqual(full.rows);
    expect(await r10.storage.read(METRICS)).toBe(await full.storage.read(METRICS));

    // resuming a finished run does nothing but say so
    const again = await run(small(), { resume: true, storage: r10.storage });
    expect(again.rows).toEqual(full.rows);
    expect(again.events).toEqual([
      { type: 'start', experiment: 'exact', scenario: 'duel', lineages: ['g'], generations: 2, seeds: [1], resumedFrom: 2 },
      { type: 'done', rows: 3 },
    ]);
    expect([again.gates, again.stops]).toEqual([0, 0]);
  }, 30_000);

  it('two seeds: a stop in the first seed leaves the second untouched; the rows come seed by seed', async () => {
    const two = () => tiny([{ name: 'g', recipe: 'grounded', episodes: 4 }], { seeds: [1, 2], generations: 1 });
    const full = await run(two());
    expect(full.rows.map((r) => `${r.seed}/${r.generation}`)).toEqual(['1/0', '1/1', '2/0', '2/1']);
    expect(full.stops).toBe(2 * 7);
    const stopped = await run(two(), { stopAt: 4 });
    expect(stopped.rows.map((r) => `${r.seed}/${r.generation}`)).toEqual(['1/0']);
    expect([...stopped.storage.files.keys()].some((k) => k.includes('s2'))).toBe(false);
    const resumed = await run(two(), { resume: true, storage: stopped.storage });
    expect(resumed.events[0]).toMatchObject({ resumedFrom: -1 });
    expect(resumed.rows).toEqual(full.rows);
  }, 30_000);
});
