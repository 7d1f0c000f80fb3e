/**
 * One test per bug that once survived the whole suite (issue 11): each was placed by hand in the
 * source, and each of these tests fails with it. The oracles are independent of the code under
 * test: scripted players whose wins are checked from the episodes themselves, closed forms, hand
 * written tables.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { WorldModel } from '../agents/world-model.ts';
import { hockeyScripted } from '../agents/scripted/hockey.ts';
import { hockeyDef } from '../sim/hockey.ts';
import { validateDuelParams } from '../sim/duel.ts';
import { validateHockeyParams } from '../sim/hockey.ts';
import { ConfigError } from '../sim/errors.ts';
import { Rng } from '../sim/rng.ts';
import type { EpisodeRecord, Vec } from '../sim/types.ts';
import { gaussianTheory } from '../lab/calibration.ts';
import { evaluateExpectations } from '../lab/checks.ts';
import { parseExperiment, type Expectation } from '../lab/config.ts';
import { scores, versus } from '../lab/evaluate.ts';
import { scriptedActor, type Actor } from '../lab/actors.ts';
import { playEpisodes } from '../lab/rollout.ts';
import { imagineEpisodes } from '../lab/imagine.ts';
import { getScenario } from '../lab/scenarios.ts';
import { scriptedEpisodes } from '../lab/experiment.ts';
import { worldData } from '../lab/dataset.ts';
import type { MetricsRow } from '../lab/types.ts';
import { mergeRuns } from '../cli/merge.ts';
import { validateExperiment } from '../lab/run.ts';
import { buildConfig, knobsFromPreset } from '../renderer/recipe.ts';

beforeAll(async () => {
  await initTf('wasm');
});

const tmp = mkdtempSync(join(tmpdir(), 'driftlab-survivors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Euler–Mascheroni constant, for the closed forms of ψ at integers. */
const GAMMA = 0.5772156649015329;

describe('hockey: the HUD score names the seat that scored', () => {
  const direct = hockeyScripted.find((s) => s.name === 'hockey-direct')!.player;
  const idle = (): Vec => [0, 0];
  for (const scorer of [0, 1] as const) {
    it(`player ${scorer} scores → ${scorer === 0 ? '1 : 0' : '0 : 1'}`, () => {
      let won = false;
      for (let seed = 1; seed < 10 && !won; seed++) {
        const sim = hockeyDef.create();
        const rng = new Rng(seed);
        let obs = sim.reset(seed).observations;
        expect(sim.view().hud.score).toBe('0 : 0');
        for (;;) {
          const acts: [Vec, Vec] = scorer === 0 ? [direct.act(obs[0], rng), idle()] : [idle(), direct.act(obs[1], rng)];
          const r = sim.step(acts);
          obs = r.observations;
          if (r.terminated || r.truncated) {
            if (r.terminated) {
              // the winner is read from the rewards, not from the HUD code
              expect(r.rewards[scorer]).toBe(1);
              expect(sim.view().hud.score).toBe(scorer === 0 ? '1 : 0' : '0 : 1');
              won = true;
            } else {
              expect(sim.view().hud.score).toBe('0 : 0');
            }
            break;
          }
        }
      }
      expect(won).toBe(true);
    });
  }
});

describe('world model: outcome sampling at temperature T follows softmax(logits / T)', () => {
  it('matches p^(1/T) normalised for T = 0.5 and T = 2 (a fixed, hand-set outcome head)', () => {
    const wm = WorldModel.create({ obsSize: 2, actSize: 1, hidden: [4] }, new Rng(1));
    // zero the output layer's weights and put chosen logits in its bias: p = softmax([0, 0, ln 3]) = [.2, .2, .6]
    const w = wm.getWeights();
    w[w.length - 2].fill(0);
    const bias = w[w.length - 1];
    bias[4] = 0;
    bias[5] = 0;
    bias[6] = Math.log(3);
    wm.setWeights(w);
    const n = 4000;
    const obs = new Float32Array(2 * n);
    const a = new Float32Array(n);
    const p = Array.from(wm.predict(obs.subarray(0, 2), a.subarray(0, 1), a.subarray(0, 1), 1).outcome);
    expect(p[0]).toBeCloseTo(0.2, 5);
    expect(p[2]).toBeCloseTo(0.6, 5);
    for (const T of [0.5, 2]) {
      const { outcome } = wm.sample(obs, a, a, n, new Rng(7, 'T', T), T);
      const share2 = outcome.filter((y) => y === 2).length / n;
      const pw = [1, 1, 3].map((x) => Math.pow(x, 1 / T));
      const want = pw[2] / (pw[0] + pw[1] + pw[2]); // T = 0.5: 9/11 ≈ 0.818; T = 2: √3/(2+√3) ≈ 0.464
      expect(Math.abs(share2 - want)).toBeLessThan(0.035);
    }
    // T = 0: always the most likely class
    expect(Array.from(wm.sample(obs.subarray(0, 100), a.subarray(0, 50), a.subarray(0, 50), 50, new Rng(1), 0).outcome).every((y) => y === 2)).toBe(true);
    wm.dispose();
  });
});

describe('world data: the outcome label is the winner seen from each seat', () => {
  it('seat of the winner gets class 1 (I win), the other seat class 2 (the opponent wins)', () => {
    const entry = getScenario('duel');
    const trajs = scriptedEpisodes(entry, {}, 12, new Rng(1)).filter((t) => t.ep.terminated && t.ep.winner !== -1);
    const winners = new Set(trajs.map((t) => t.ep.winner));
    expect(winners).toEqual(new Set([0, 1])); // both seats win some episode
    for (const t of trajs) {
      const d = worldData([t], entry.def);
      const T = t.ep.actions.length;
      // every step before the last continues
      for (let k = 0; k < 2 * T - 2; k++) expect(d.outcome[k]).toBe(0);
      const seat0 = d.outcome[2 * T - 2];
      const seat1 = d.outcome[2 * T - 1];
      expect([seat0, seat1]).toEqual(t.ep.winner === 0 ? [1, 2] : [2, 1]);
    }
  });
});

describe('evaluation: scores() credits the seat `me` played', () => {
  it('a scripted player that always wins scores 1 from either seat, its opponent 0', () => {
    const entry = getScenario('duel');
    const O = entry.def.observationSpace.size;
    const A = entry.def.actionSpace.size;
    const strong = scriptedActor(entry.scripted.find((s) => s.name === 'direct')!, O, A);
    // fires flat at the lowest power every turn: never reaches the other tank
    const dud: Actor = { id: 'dud', actSize: A, act: (_o, n) => new Float32Array(n * A).fill(-1) };
    const ms = versus(strong, dud, [1, 2, 3, 4, 5, 6, 7, 8]);
    const eps = playEpisodes(entry, {}, ms, new Rng(3));
    // the oracle: who won, read from the episodes and the seat each actor sat in
    eps.forEach((ep, i) => {
      expect(ep.terminated).toBe(true);
      expect(ep.winner).toBe(ms[i].actors[0] === strong ? 0 : 1);
    });
    expect(ms.filter((m) => m.actors[1] === strong)).toHaveLength(4);
    expect(scores(eps, ms, strong)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(scores(eps, ms, dud)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('a draw is half a point for both seats; a hand-made table', () => {
    const a: Actor = { id: 'a', actSize: 1, act: () => new Float32Array(1) };
    const b: Actor = { id: 'b', actSize: 1, act: () => new Float32Array(1) };
    const ep = (winner: -1 | 0 | 1) => ({ winner }) as EpisodeRecord;
    const ms = [
      { seed: 1, actors: [a, b] as [Actor, Actor] },
      { seed: 2, actors: [b, a] as [Actor, Actor] },
      { seed: 3, actors: [a, b] as [Actor, Actor] },
      { seed: 4, actors: [b, a] as [Actor, Actor] },
    ];
    const eps = [ep(0), ep(0), ep(-1), ep(1)];
    expect(scores(eps, ms, a)).toEqual([1, 0, 0.5, 1]);
    expect(scores(eps, ms, b)).toEqual([0, 1, 0.5, 0]);
  });
});

describe('calibration theory: the geometric-mean drift E[log(χ²_{M−1}/k)] in closed form', () => {
  // ψ(1) = −γ, ψ(2) = 1 − γ, ψ(3/2) = 2 − γ − 2 ln 2
  const table: [fit: 'mle' | 'unbiased', M: number, drift: number][] = [
    ['unbiased', 3, -GAMMA + Math.LN2 - Math.log(2)],
    ['mle', 3, -GAMMA + Math.LN2 - Math.log(3)],
    ['unbiased', 5, 1 - GAMMA + Math.LN2 - Math.log(4)],
    ['mle', 5, 1 - GAMMA + Math.LN2 - Math.log(5)],
    ['mle', 4, 2 - GAMMA - 2 * Math.LN2 + Math.LN2 - Math.log(4)],
  ];
  it.each(table)('%s, M = %i', (fit, M, drift) => {
    const t = gaussianTheory(fit, 'replace', M, 4);
    for (let n = 0; n <= 4; n++) expect(t.geoMeanVariance[n]!).toBeCloseTo(Math.exp(n * drift), 12);
    expect(t.meanVariance[4]).toBeCloseTo(fit === 'mle' ? ((M - 1) / M) ** 4 : 1, 12);
    // from a start other than N(0, 1) the curves scale with σ0²
    const s = gaussianTheory(fit, 'replace', M, 2, 3, 4);
    expect(s.geoMeanVariance[2]!).toBeCloseTo(4 * Math.exp(2 * drift), 12);
  });
});

describe('expectations: exact boundary table for every kind and direction', () => {
  /** rows where `metric` goes from `a` at generation 0 to `b` at generation 2 (two seeds averaged) */
  const rows = (lineage: string, a: number, b: number): MetricsRow[] =>
    [
      { lineage, generation: 0, seed: 1, m: a - 1 },
      { lineage, generation: 0, seed: 2, m: a + 1 },
      { lineage, generation: 1, seed: 1, m: 1e9 },
      { lineage, generation: 2, seed: 1, m: b + 0.5 },
      { lineage, generation: 2, seed: 2, m: b - 0.5 },
    ] as unknown as MetricsRow[];
  const trend = (direction: 'up' | 'down' | 'flat-or-up' | 'flat-or-down', by: number): Expectation => ({ kind: 'trend', lineage: 'x', metric: 'm', direction, by });
  // change d = b − a; by = 2
  const table: [direction: 'up' | 'down' | 'flat-or-up' | 'flat-or-down', d: number, ok: boolean][] = [
    ['up', 3, true],
    ['up', 2, false], // strictly more than `by`
    ['up', 1, false],
    ['up', -3, false],
    ['down', -3, true],
    ['down', -2, false],
    ['down', -1, false],
    ['down', 3, false],
    ['flat-or-up', 5, true],
    ['flat-or-up', 0, true],
    ['flat-or-up', -2, true], // within the tolerance, inclusive
    ['flat-or-up', -3, false],
    ['flat-or-down', -5, true],
    ['flat-or-down', 0, true],
    ['flat-or-down', 2, true],
    ['flat-or-down', 3, false],
  ];
  it.each(table)('trend %s with change %d (by 2) → %s', (direction, d, ok) => {
    const [r] = evaluateExpectations([trend(direction, 2)], rows('x', 10, 10 + d));
    expect(r.ok).toBe(ok);
  });
  it('trend with by = 0: up and down are strict, flat-or-* accept no change', () => {
    const flat = rows('x', 4, 4);
    expect(evaluateExpectations([trend('up', 0), trend('down', 0), trend('flat-or-up', 0), trend('flat-or-down', 0)], flat).map((r) => r.ok)).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
  const order: [diff: number, by: number, ok: boolean][] = [
    [3, 2, true],
    [2, 2, false], // strictly more than `by`
    [0.5, 0, true],
    [0, 0, false],
    [-1, 0, false],
  ];
  it.each(order)('order: higher − lower = %d, by %d → %s', (diff, by, ok) => {
    const rs = [...rows('h', 0, 5 + diff), ...rows('l', 0, 5)];
    const [r] = evaluateExpectations([{ kind: 'order', metric: 'm', higher: 'h', lower: 'l', by }], rs);
    expect(r.ok).toBe(ok);
  });
  it('a missing metric fails the check and says so', () => {
    const [r] = evaluateExpectations([trend('flat-or-up', 0)], rows('other', 1, 1));
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('no m values for x');
  });
});

/** The smallest valid physics experiment, for the config tests. */
const small = (): Record<string, unknown> => ({
  name: 't',
  scenario: 'duel',
  seeds: [1],
  generations: 1,
  lineages: [{ name: 'g', recipe: 'grounded' }],
});

function configError(raw: unknown): ConfigError {
  try {
    parseExperiment(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('accepted: ' + JSON.stringify(raw));
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let o = obj as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === undefined) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]] = value;
  return obj;
}

describe('config: every numeric field rejects values just out of range, naming its path', () => {
  // [path, lowest accepted, highest accepted, values that must be rejected]
  const fields: [string, number, number, number[]][] = [
    ['seeds[0]', 0, 2 ** 31 - 1, [-1, 2 ** 31, 0.5]],
    ['generations', 1, 200, [0, 201, 1.5]],
    ['d0.episodes', 8, 100000, [7, 100001, 8.5]],
    ['d0.testFraction', 1e-9, 1 - 1e-9, [0, 1, -0.1, 1.5]],
    ['model.hidden[0]', 2, 512, [1, 513, 2.5]],
    ['model.components', 1, 8, [0, 9, 1.5]],
    ['model.worldHidden[0]', 2, 512, [1, 513]],
    ['training.epochs', 1, 500, [0, 501, 1.5]],
    ['training.batchSize', 8, 4096, [7, 4097]],
    ['training.lr', 1e-9, 1, [0, 1.0001, -1]],
    ['training.outcomeWeight', 0, 5, [-0.01, 5.01]],
    ['training.maxUpdates', 1, 1000000, [0, 1000001, 2.5]],
    ['evaluation.panelGames', 2, 2000, [1, 2001]],
    ['evaluation.roundRobinGames', 0, 200, [-1, 201]],
    ['evaluation.selfPlayEpisodes', 2, 5000, [1, 5001]],
    ['lineages[0].realFraction', 0, 1, [-0.01, 1.01]],
    ['lineages[0].temperature', 1e-9, 5, [0, 5.01, -1]],
    ['lineages[0].episodes', 4, 20000, [3, 20001, 4.5]],
    ['lineages[0].window', 0, 20, [-1, 21, 0.5]],
    ['lineages[0].hidden[0]', 2, 512, [1, 513]],
  ];
  it.each(fields)('%s accepts [%d, %d] and rejects the values beyond', (path, lo, hi, bad) => {
    const withValue = (v: unknown) => {
      const raw = small();
      if (path === 'lineages[0].hidden[0]') return setPath(raw, 'lineages[0].hidden', [v]);
      if (path === 'model.hidden[0]' || path === 'model.worldHidden[0]') return setPath(raw, path.replace('[0]', ''), [v]);
      return setPath(raw, path, v);
    };
    expect(() => parseExperiment(withValue(lo))).not.toThrow();
    expect(() => parseExperiment(withValue(hi))).not.toThrow();
    for (const v of [...bad, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '3']) {
      const e = configError(withValue(v));
      expect(e.path).toBe(path);
      expect(e.message).toContain(path);
    }
  });
  // the calibration preset's numeric fields (checked by validateExperiment before anything is written)
  const calibration: [string, number, number, number[]][] = [
    ['generations', 1, 10000, [0, 10001, 2.5]],
    ['seeds[0]', 0, 2 ** 31 - 1, [-1, 2 ** 31]],
    ['calibration.sampleSizes[0]', 2, 1_000_000, [1, 1_000_001, 2.5]],
    ['calibration.categorical.categories', 2, 100_000, [1, 100_001, 2.5]],
    ['calibration.categorical.zipf', 0, 10, [-0.01, 10.01]],
  ];
  it.each(calibration)('calibration %s accepts [%d, %d] and rejects the values beyond', (path, lo, hi, bad) => {
    const withValue = (v: unknown) => {
      const raw: Record<string, unknown> = { name: 'c', kind: 'calibration', seeds: [1], generations: 2, calibration: { categorical: { categories: 5 } } };
      if (path === 'calibration.sampleSizes[0]') return setPath(raw, 'calibration.sampleSizes', [v]);
      if (path === 'seeds[0]') return setPath(raw, 'seeds', [v]);
      return setPath(raw, path, v);
    };
    const check = (raw: unknown) => validateExperiment(parseExperiment(raw));
    expect(() => check(withValue(lo))).not.toThrow();
    expect(() => check(withValue(hi))).not.toThrow();
    for (const v of [...bad, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      let err: unknown;
      try {
        check(withValue(v));
      } catch (e) {
        err = e;
      }
      expect(err, `${path} = ${v}`).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).path).toBe(path);
    }
  });

  it('the expectation `by` must be >= 0', () => {
    const raw = small();
    raw.expectations = [{ kind: 'trend', lineage: 'g', metric: 'winRate', direction: 'up', by: -0.1 }];
    expect(configError(raw).path).toBe('expectations[0].by');
  });
});

describe('merge refuses an unfinished run', () => {
  const config = {
    name: 'm',
    scenario: 'duel',
    seeds: [1],
    generations: 2,
    lineages: [
      { name: 'a', recipe: 'grounded' },
      { name: 'b', recipe: 'recursive' },
    ],
  };
  function fakeRun(name: string, seed: number, rows: number): string {
    const dir = join(tmp, name);
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'driftlab-run', config: { ...config, seeds: [seed] }, seeds: [seed] }));
    // an unsealed state (as runs made before sealed records have): merge reads it without hashes
    writeFileSync(join(dir, 'state', `s${seed}.json`), JSON.stringify({ generation: 2, games: [] }));
    const lines: string[] = [];
    for (let g = 0; g <= 2; g++) for (const l of ['a', 'b']) lines.push(JSON.stringify({ kind: 'generation', experiment: 'm', seed, lineage: l, generation: g }));
    writeFileSync(join(dir, 'metrics.jsonl'), lines.slice(0, rows).join('\n') + '\n');
    return dir;
  }
  it('merges two finished runs and names the unfinished one', async () => {
    const a = fakeRun('fin1', 1, 6);
    const b = fakeRun('fin2', 2, 6);
    expect(await mergeRuns(join(tmp, 'out-ok'), [a, b])).toEqual({ seeds: [1, 2], rows: 12 });
    const c = fakeRun('unfinished', 3, 5);
    const err = await mergeRuns(join(tmp, 'out-bad'), [a, c]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).path).toBe('runDirs[1]');
    expect((err as ConfigError).message).toContain('unfinished (5 of 6 rows)');
  });
});

describe("app knobs: switching scenario drops the old scenario's params", () => {
  for (const quick of [true, false]) {
    it(`classroom (duel) ↔ curse (hockey), quick = ${quick}`, () => {
      for (const [preset, to] of [
        ['classroom', 'hockey'],
        ['curse', 'duel'],
      ] as const) {
        const k = { ...knobsFromPreset(preset, quick), scenario: to };
        expect(k.scenario).toBe(to);
        const built = buildConfig(k, quick);
        if (!built.ok) throw new Error(built.error.message);
        expect(built.config.scenario).toBe(to);
        // the run can start: the params are valid for the new scenario
        const validate = to === 'duel' ? validateDuelParams : validateHockeyParams;
        expect(() => validate(built.config.scenarioParams)).not.toThrow();
        expect(built.config.scenarioParams).toEqual(quick && to === 'hockey' ? { maxSteps: 120 } : {});
      }
      // and back to the preset's own scenario keeps its own params
      const same = buildConfig(knobsFromPreset('curse', quick), quick);
      if (!same.ok) throw new Error(same.error.message);
      expect(same.config.scenarioParams).toEqual(quick ? { maxSteps: 120 } : {});
    });
  }
});

describe("imagination: episodes end at the scenario's own episode length", () => {
  // found while fixing the vacuous filter test: imagined games ran to the default maxSteps
  for (const [id, params, steps] of [
    ['hockey', { maxSteps: 11 }, 11],
    ['duel', { shotsPerPlayer: 3 }, 6],
  ] as const) {
    it(`${id} ${JSON.stringify(params)} → ${steps} steps, truncated`, () => {
      const entry = getScenario(id);
      const O = entry.def.observationSpace.size;
      const A = entry.def.actionSpace.size;
      const wm = WorldModel.create({ obsSize: O, actSize: A, hidden: [4] }, new Rng(1));
      // a world model that always says "the game goes on"
      const w = wm.getWeights();
      w[w.length - 2].fill(0);
      const bias = w[w.length - 1];
      bias[2 * O] = 20;
      wm.setWeights(w);
      const me = scriptedActor(entry.scripted[0], O, A);
      const eps = imagineEpisodes(entry, wm, [1, 2, 3].map((seed) => ({ seed, actors: [me, me] })), new Rng(2), { params, temperature: 1, outcome: 'learned' });
      for (const ep of eps) {
        expect(ep.actions).toHaveLength(steps);
        expect(ep.truncated).toBe(true);
        expect(ep.terminated).toBe(false);
        expect(ep.winner).toBe(-1);
      }
      wm.dispose();
    });
  }
});
