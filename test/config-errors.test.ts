/**
 * lab/config.ts: the exact one-line error for every kind of bad field (each zod issue kind, each
 * cross-field rule), the calibration size bounds at their edges, and the seed-list parser.
 * Pure and fast (no runs), so the mutation run of lab/config.ts stays cheap.
 */
import { describe, expect, it } from 'vitest';
import {
  calibrationConfigOf,
  MAX_CALIBRATION_ROWS,
  MAX_CALIBRATION_VALUES,
  parseExperiment,
  parseSeeds,
  type CalibrationExperiment,
} from '../lab/config.ts';
import { defaultCalibrationConfig } from '../lab/calibration.ts';
import { ConfigError } from '../sim/errors.ts';

const physics = (over: Record<string, unknown> = {}) => ({
  name: 't',
  scenario: 'duel',
  seeds: [1],
  generations: 2,
  lineages: [{ name: 'grounded', recipe: 'grounded' }, { name: 'recursive', recipe: 'recursive' }],
  ...over,
});
const calibration = (over: Record<string, unknown> = {}) => ({ name: 'c', kind: 'calibration', seeds: [1], generations: 3, ...over });

/** the ConfigError's message, failing the test on anything else */
function refusal(input: unknown): string {
  try {
    parseExperiment(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseExperiment: one line naming the field and what is allowed', () => {
  it('each kind of schema issue', () => {
    expect(refusal(physics({ seeds: [] }))).toBe('seeds: has too few items (allowed: at least 1 items)');
    expect(refusal(physics({ seeds: Array.from({ length: 65 }, (_, i) => i) }))).toBe('seeds: has too many items (allowed: at most 64 items)');
    expect(refusal(physics({ generations: 0 }))).toBe('generations: is too small (allowed: >= 1)');
    expect(refusal(physics({ generations: 201 }))).toBe('generations: is too large (allowed: <= 200)');
    expect(refusal(physics({ d0: { testFraction: 0 } }))).toBe('d0.testFraction: is too small (allowed: > 0)');
    expect(refusal(physics({ d0: { testFraction: 1 } }))).toBe('d0.testFraction: is too large (allowed: < 1)');
    expect(refusal(physics({ generations: '3' }))).toBe('generations: is string (allowed: number)');
    expect(refusal(physics({ seeds: [1, 'x'] }))).toBe('seeds[1]: is string (allowed: number)');
    expect(refusal(physics({ extra: 1 }))).toBe('extra: is not a known field');
    expect(refusal(physics({ d0: { episodes: 10, extra: 1 } }))).toBe('d0.extra: is not a known field');
    expect(refusal(physics({ scenario: 'golf' }))).toBe('scenario: is "golf" (allowed: "duel", "hockey")');
    expect(refusal(physics({ kind: 'other' }))).toBe('kind: is "other" (allowed: "physics")');
    expect(refusal(physics({ expectations: [{ kind: 'nope' }] }))).toBe('expectations[0].kind: is not a known kind (allowed: "trend", "order", "level")');
    expect(refusal(physics({ name: 'a/b' }))).toBe('name: must hold a letter or digit and no "/", "\\", ".." or control characters');
    expect(refusal(physics({ training: { worldLrFinal: 0 } }))).toBe('training.worldLrFinal: is too small (allowed: > 0)');
    expect(refusal(physics({ training: { worldLrFinal: 2 } }))).toBe('training.worldLrFinal: is too large (allowed: <= 1)');
    expect(refusal(physics({ training: { worldG0LrFinal: 0 } }))).toBe('training.worldG0LrFinal: is too small (allowed: > 0)');
    expect(refusal(physics({ training: { worldG0LrFinal: 2 } }))).toBe('training.worldG0LrFinal: is too large (allowed: <= 1)');
  });

  it('the experiment name: a letter or digit, no separator, no "..", no control character', () => {
    for (const name of ['a/b', 'a\\b', 'a..b', '---', ' ', 'a\u0000b', 'a\u007fb', 'x\ny']) {
      expect(refusal(physics({ name }))).toMatch(/^name: must hold a letter or digit/);
    }
    for (const name of ['a', 'My run 3', 'x.y', '-1-', 'Ω9']) expect(parseExperiment(physics({ name })).name).toBe(name);
  });

  it('the input must be an object', () => {
    for (const input of [null, [], 'x', 3, undefined]) expect(refusal(input)).toBe('(root): must be a JSON object');
  });

  it('lineages: unique names, a recipe or a source, a teacher that is another lineage', () => {
    expect(refusal(physics({ lineages: [{ name: 'a', recipe: 'grounded' }, { name: 'a', recipe: 'recursive' }] }))).toBe('lineages[1].name: duplicates "a" (allowed: unique names)');
    expect(refusal(physics({ lineages: [{ name: 'a', recipe: 'grounded' }, { name: 'b' }] }))).toBe(
      'lineages[1].recipe: is missing (give a named recipe or a source) (allowed: grounded, recursive, accumulate, fresh-mix, verified, distilled)',
    );
    // a source alone is enough
    expect(parseExperiment(physics({ lineages: [{ name: 'b', source: 'simulator' }] })).kind).toBe('physics');
    expect(refusal(physics({ lineages: [{ name: 'a', recipe: 'grounded' }, { name: 'b', recipe: 'grounded', teacher: 'b' }] }))).toBe('lineages[1].teacher: names the lineage itself (allowed: a)');
    expect(refusal(physics({ lineages: [{ name: 'a', recipe: 'grounded' }, { name: 'b', recipe: 'grounded', teacher: 'zz' }] }))).toBe('lineages[1].teacher: names unknown lineage "zz" (allowed: a)');
    expect(refusal(physics({ lineages: [{ name: 'b', recipe: 'distilled' }] }))).toBe('lineages[0].teacher: names unknown lineage "grounded" (allowed: another lineage of this experiment)');
    expect(parseExperiment(physics({ lineages: [{ name: 'grounded', recipe: 'grounded' }, { name: 'small', recipe: 'distilled' }] })).kind).toBe('physics');
  });

  it('expectations name metrics of the experiment and its lineages', () => {
    const metricsList = /\(allowed: elo, eloLow, .*trainSamples\)$/;
    const m = refusal(physics({ expectations: [{ kind: 'trend', lineage: 'grounded', metric: 'nope', direction: 'up' }] }));
    expect(m.startsWith('expectations[0].metric: is "nope", not a metric of this experiment (allowed: elo, ')).toBe(true);
    expect(m).toMatch(metricsList);
    const minus = refusal(physics({ expectations: [{ kind: 'level', lineage: 'grounded', metric: 'winRate', minus: 'nope', direction: 'above', value: 0 }] }));
    expect(minus.startsWith('expectations[0].minus: is "nope", not a metric of this experiment (allowed: elo, ')).toBe(true);
    const ok = { kind: 'trend', lineage: 'grounded', metric: 'winRate', direction: 'up' };
    expect(refusal(physics({ expectations: [ok, { kind: 'order', metric: 'winRate', higher: 'x', lower: 'grounded' }] }))).toBe('expectations[1].higher: names unknown lineage "x" (allowed: grounded, recursive)');
    expect(refusal(physics({ expectations: [{ kind: 'order', metric: 'winRate', higher: 'grounded', lower: 'y' }] }))).toBe('expectations[0].lower: names unknown lineage "y" (allowed: grounded, recursive)');
    expect(refusal(physics({ expectations: [{ ...ok, lineage: 'z' }] }))).toBe('expectations[0].lineage: names unknown lineage "z" (allowed: grounded, recursive)');
    expect(refusal(physics({ expectations: [{ kind: 'level', lineage: 'z', metric: 'winRate', direction: 'above', value: 0 }] }))).toBe('expectations[0].lineage: names unknown lineage "z" (allowed: grounded, recursive)');
    // a level expectation with a known minus, and a calibration expectation on a calibration metric
    expect(parseExperiment(physics({ expectations: [{ kind: 'level', lineage: 'grounded', metric: 'worldOutcomeAccuracy', minus: 'worldOutcomeBaseline', direction: 'above', value: 0 }] })).kind).toBe('physics');
    const cal = parseExperiment(calibration({ calibration: { families: ['gaussian'], fits: ['mle'], retain: ['replace'], sampleSizes: [10] } })) as CalibrationExperiment;
    const lineage = refusal(calibration({ calibration: cal.calibration, expectations: [{ kind: 'trend', lineage: 'zz', metric: 'variance', direction: 'down' }] }));
    expect(lineage).toMatch(/^expectations\[0\]\.lineage: names unknown lineage "zz" \(allowed: .+\)$/);
    expect(refusal(calibration({ expectations: [{ kind: 'trend', lineage: 'zz', metric: 'winRate', direction: 'down' }] }))).toBe(
      'expectations[0].metric: is "winRate", not a metric of this experiment (allowed: mean, variance, theoryVariance, theoryGeoMeanVariance, support, theorySupport, distance)',
    );
  });
});

describe('calibration experiments', () => {
  it('fills the calibration defaults field by field', () => {
    const exp = parseExperiment(calibration()) as CalibrationExperiment;
    expect(calibrationConfigOf(exp)).toEqual({ ...defaultCalibrationConfig, seeds: [1], generations: 3 });
    const some = parseExperiment(calibration({ calibration: { sampleSizes: [5], fits: ['mle'], retain: ['accumulate'], families: ['categorical'], categorical: { categories: 7 } } })) as CalibrationExperiment;
    expect(calibrationConfigOf(some)).toEqual({
      ...defaultCalibrationConfig,
      sampleSizes: [5],
      fits: ['mle'],
      retain: ['accumulate'],
      families: ['categorical'],
      categorical: { ...defaultCalibrationConfig.categorical, categories: 7 },
      seeds: [1],
      generations: 3,
    });
  });

  it('bounds the rows and the values at exactly the documented limits', () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => i);
    // one Gaussian lineage: one row and one value per seed and generation
    const one = { families: ['gaussian'], fits: ['mle'], retain: ['replace'], sampleSizes: [10] };
    const rowsAt = (generations: number) => calibration({ seeds: thousand, generations, calibration: one });
    expect(1000 * 1500).toBe(MAX_CALIBRATION_ROWS);
    expect(parseExperiment(rowsAt(1499)).generations).toBe(1499); // 1000 × 1500 rows: the limit itself
    expect(refusal(rowsAt(1500))).toBe(
      `generations: 1500 with 1000 seed(s) and 1 lineage(s) makes 1501000 rows holding 1501000 values (allowed: at most ${MAX_CALIBRATION_ROWS} rows and ${MAX_CALIBRATION_VALUES} values (fewer seeds, generations, sample sizes or categories))`,
    );
    // two Gaussian lineages: two rows per seed and generation
    const two = { ...one, fits: ['mle', 'unbiased'] };
    expect(parseExperiment(calibration({ seeds: thousand, generations: 749, calibration: two })).generations).toBe(749);
    expect(refusal(calibration({ seeds: thousand, generations: 750, calibration: two }))).toMatch(/^generations: 750 with 1000 seed\(s\) and 2 lineage\(s\) makes 1502000 rows holding 1502000 values/);
    // a calibration experiment's own fields are checked by its schema
    expect(refusal(calibration({ generations: 0 }))).toBe('generations: is too small (allowed: >= 1)');
    expect(refusal(calibration({ calibration: { fits: ['median'] } }))).toBe('calibration.fits[0]: is "median" (allowed: "unbiased", "mle")');
    // one categorical lineage of 12 000 categories: 12 000 values per row
    const cat = { families: ['categorical'], retain: ['replace'], sampleSizes: [10], categorical: { categories: 12_000 } };
    expect(parseExperiment(calibration({ seeds: [1], generations: 999, calibration: cat })).generations).toBe(999); // 1000 × 12 000 values
    expect(refusal(calibration({ seeds: [1], generations: 1000, calibration: cat }))).toBe(
      `generations: 1000 with 1 seed(s) and 1 lineage(s) makes 1001 rows holding 12012000 values (allowed: at most ${MAX_CALIBRATION_ROWS} rows and ${MAX_CALIBRATION_VALUES} values (fewer seeds, generations, sample sizes or categories))`,
    );
    // both families: values add up over lineages (1 Gaussian value + 12 000 categorical)
    const both = { ...cat, families: ['gaussian', 'categorical'], fits: ['mle'] };
    expect(refusal(calibration({ seeds: [1], generations: 999, calibration: both }))).toBe(
      `generations: 999 with 1 seed(s) and 2 lineage(s) makes 2000 rows holding 12001000 values (allowed: at most ${MAX_CALIBRATION_ROWS} rows and ${MAX_CALIBRATION_VALUES} values (fewer seeds, generations, sample sizes or categories))`,
    );
  });
});

describe('parseSeeds', () => {
  it('a count, a range or a list', () => {
    expect(parseSeeds('7')).toEqual([7]);
    expect(parseSeeds('3..6')).toEqual([3, 4, 5, 6]);
    expect(parseSeeds('5..5')).toEqual([5]);
    expect(parseSeeds('10..12')).toEqual([10, 11, 12]);
    expect(parseSeeds('10,2,33')).toEqual([10, 2, 33]);
    expect(parseSeeds('0..999')).toHaveLength(1000);
    expect(parseSeeds(String(2 ** 31 - 1))).toEqual([2 ** 31 - 1]);
  });
  it('names what is wrong', () => {
    const err = (t: string) => {
      try {
        parseSeeds(t);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(err('6..3')).toBe('--seeds: 6..3 is not an increasing range of at most 1000 seeds (allowed: a..b with a <= b)');
    expect(err('0..1000')).toBe('--seeds: 0..1000 is not an increasing range of at most 1000 seeds (allowed: a..b with a <= b)');
    expect(err('5..1005')).toMatch(/^--seeds: 5\.\.1005 is not/);
    expect(parseSeeds('5..1004')).toHaveLength(1000);
    for (const t of ['', 'x', '1,', ',1', '1,,2', '-1', '1.5', 'a1..3', '1..3b', '1,2x', 'x1,2', '12..', '..3']) {
      expect(err(t)).toBe(`--seeds: ${JSON.stringify(t)} is not a seed list (allowed: N, a..b or a,b,c (non-negative integers))`);
    }
    expect(err(String(2 ** 31))).toBe(`--seeds: seed too large (allowed: 0..${2 ** 31 - 1})`);
    expect(err(`1,${2 ** 31}`)).toBe(`--seeds: seed too large (allowed: 0..${2 ** 31 - 1})`);
  });
});
