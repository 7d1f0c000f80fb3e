import { describe, expect, it } from 'vitest';
import { parseExperiment, parseSeeds, resolveLineages, recipePresets } from '../lab/config.ts';
import { presets, presetNames } from '../lab/presets.ts';
import { ConfigError } from '../sim/errors.ts';
import { evaluateExpectations } from '../lab/checks.ts';
import type { MetricsRow } from '../lab/types.ts';

const base = {
  name: 't',
  scenario: 'duel',
  seeds: [1],
  generations: 2,
  lineages: [{ name: 'grounded', recipe: 'grounded' }],
};

function errorOf(input: unknown): ConfigError {
  try {
    parseExperiment(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('experiment config', () => {
  it('every shipped preset is valid', () => {
    expect(presetNames).toEqual(expect.arrayContaining(['classroom', 'hockey', 'curse', 'tails', 'calibration']));
    for (const name of presetNames) expect(() => parseExperiment(presets[name])).not.toThrow();
  });

  it('the tails preset compares the sources of data: own real play, own dreams, and each with 30 % fresh scripted play', () => {
    const exp = parseExperiment(presets.tails);
    if (exp.kind !== 'physics') throw new Error('physics expected');
    expect(exp.scenario).toBe('duel');
    const by = Object.fromEntries(resolveLineages(exp).map((l) => [l.name, l.recipe]));
    expect(Object.keys(by)).toEqual(['grounded', 'recursive', 'fresh-mix', 'grounded-mix']);
    expect([by.grounded.source, by.grounded.realFraction]).toEqual(['simulator', 0]);
    expect([by.recursive.source, by.recursive.realFraction]).toEqual(['imagination', 0]);
    expect([by['fresh-mix'].source, by['fresh-mix'].realFraction]).toEqual(['imagination', 0.3]);
    expect([by['grounded-mix'].source, by['grounded-mix'].realFraction]).toEqual(['simulator', 0.3]);
    // every lineage learns from the same number of games per generation, with the same learner
    expect(new Set(Object.values(by).map((r) => r.episodes))).toEqual(new Set([128]));
    expect(new Set(Object.values(by).map((r) => `${r.retain} ${r.verify} ${r.temperature}`))).toEqual(new Set(['replace none 1']));
  });

  it('fills defaults and resolves named recipes with overrides', () => {
    const exp = parseExperiment({ ...base, lineages: [{ name: 'r', recipe: 'recursive', episodes: 16, temperature: 0.5 }] });
    if (exp.kind !== 'physics') throw new Error('physics expected');
    expect(exp.training.epochs).toBeGreaterThan(0);
    const [l] = resolveLineages(exp);
    expect(l.recipe).toEqual({ ...recipePresets.recursive, episodes: 16, temperature: 0.5 });
  });

  it('names the field and the allowed values', () => {
    const e1 = errorOf({ ...base, scenario: 'tennis' });
    expect(e1.path).toBe('scenario');
    expect(e1.message).toContain('"duel"');
    expect(e1.message).toContain('"hockey"');
    const e2 = errorOf({ ...base, lineages: [{ name: 'x', recipe: 'grounded', realFraction: 1.5 }] });
    expect(e2.path).toBe('lineages[0].realFraction');
    expect(e2.message).toContain('<= 1');
    const e3 = errorOf({ ...base, generations: 0 });
    expect(e3.path).toBe('generations');
    const e4 = errorOf({ ...base, lineages: [{ name: 'x', recipe: 'nope' }] });
    expect(e4.path).toBe('lineages[0].recipe');
    expect(e4.message).toContain('"recursive"');
    const e5 = errorOf({ ...base, bogus: 1 });
    expect(e5.path).toBe('bogus');
    const e6 = errorOf({ ...base, lineages: [{ name: 'a', recipe: 'grounded' }, { name: 'a', recipe: 'recursive' }] });
    expect(e6.path).toBe('lineages[1].name');
    const e7 = errorOf({ ...base, expectations: [{ kind: 'trend', lineage: 'zzz', metric: 'elo', direction: 'up' }] });
    expect(e7.path).toBe('expectations[0].lineage');
    const e8 = errorOf({ ...base, lineages: [{ name: 'student', recipe: 'distilled' }] });
    expect(e8.path).toBe('lineages[0].teacher');
    expect(e8.message).toContain('unknown lineage "grounded"');
    const e9 = errorOf({ ...base, lineages: [{ name: 'a', recipe: 'grounded' }, { name: 'b', recipe: 'distilled', teacher: 'b' }] });
    expect(e9.path).toBe('lineages[1].teacher');
    expect(e9.message).toContain('the lineage itself');
    expect(e9.message).toContain('allowed: a');
    expect(errorOf([1, 2]).path).toBe('(root)');
    expect(errorOf({ ...base, seeds: [-1] }).path).toBe('seeds[0]');
  });

  it('parses seed lists', () => {
    expect(parseSeeds('3')).toEqual([3]);
    expect(parseSeeds('2..5')).toEqual([2, 3, 4, 5]);
    expect(parseSeeds('1,7,9')).toEqual([1, 7, 9]);
    expect(() => parseSeeds('5..2')).toThrow(ConfigError);
    expect(() => parseSeeds('a')).toThrow(/--seeds/);
  });
});

describe('expectations', () => {
  const row = (lineage: string, generation: number, seed: number, winRate: number): MetricsRow =>
    ({ kind: 'generation', lineage, generation, seed, winRate }) as MetricsRow;
  const rows = [
    row('g', 0, 1, 0.5),
    row('g', 0, 2, 0.5),
    row('g', 3, 1, 0.6),
    row('g', 3, 2, 0.7),
    row('r', 0, 1, 0.5),
    row('r', 0, 2, 0.5),
    row('r', 3, 1, 0.2),
    row('r', 3, 2, 0.3),
  ];
  it('compares the last generation with generation 0 and lineages with each other', () => {
    const res = evaluateExpectations(
      [
        { kind: 'trend', lineage: 'g', metric: 'winRate', direction: 'up', by: 0.1 },
        { kind: 'trend', lineage: 'r', metric: 'winRate', direction: 'up', by: 0 },
        { kind: 'trend', lineage: 'r', metric: 'winRate', direction: 'flat-or-down', by: 0 },
        { kind: 'order', metric: 'winRate', higher: 'g', lower: 'r', by: 0.3 },
        { kind: 'order', metric: 'winRate', higher: 'r', lower: 'g', by: 0 },
      ],
      rows,
    );
    expect(res.map((r) => r.ok)).toEqual([true, false, true, true, false]);
    expect(res[0].detail).toContain('0.650');
  });
});
