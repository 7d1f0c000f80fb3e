/** lab/run.ts: presets by name, checks before anything is written, the manifest, a calibration run's files and events. */
import { describe, expect, it } from 'vitest';
import { defaultExperiment, manifestLike, METRICS, presetByName, runExperiment, validateExperiment } from '../lab/run.ts';
import { MemoryStorage, type LabHost } from '../lab/host.ts';
import { CALIBRATION_STATE, rowsRecord } from '../lab/run-record.ts';
import { ConfigError } from '../sim/errors.ts';

describe('presets and checks', () => {
  it('a preset by name; an unknown name lists the known ones; classroom is the default', () => {
    expect(presetByName('hockey').name).toBe('hockey');
    expect(defaultExperiment()).toEqual(presetByName('classroom'));
    expect(() => presetByName('nope')).toThrow(ConfigError);
    expect(() => presetByName('nope')).toThrow('preset: "nope" is not a known preset (allowed: classroom, hockey, curse, tails, calibration)');
  });

  it('a scenario parameter the game rejects is reported under scenarioParams', () => {
    const exp = presetByName('classroom');
    expect(() => validateExperiment(exp)).not.toThrow();
    expect(() => validateExperiment({ ...exp, scenarioParams: { nonsense: 1 } } as never)).toThrow(
      'scenarioParams.nonsense: is not a duel parameter (allowed: shotsPerPlayer, windMax, hillMin, hillMax)',
    );
    expect(() => validateExperiment(presetByName('calibration'))).not.toThrow();
  });

  it('the manifest: physics lineages with their recipes, calibration as its own scenario', () => {
    const exp = presetByName('classroom');
    const m = manifestLike(exp);
    expect([m.name, m.scenario, m.seeds, m.generations]).toEqual(['classroom', 'duel', exp.seeds, exp.generations]);
    expect(m.lineages.map((l) => l.name)).toEqual(['grounded', 'recursive']);
    expect(m.lineages.every((l) => typeof l.recipe === 'object' && l.recipe !== null)).toBe(true);
    const c = manifestLike(presetByName('calibration'));
    expect(c.scenario).toBe('calibration');
    expect(c.lineages[0].name).toBe('gaussian/unbiased/replace/M=10');
  });
});

describe('a calibration run', () => {
  it('writes every row to metrics.jsonl, seals them, and emits start, each row, done', async () => {
    const exp = { ...presetByName('calibration'), name: 'cal-3', seeds: [1], generations: 3 } as never;
    const storage = new MemoryStorage();
    const events: { type: string }[] = [];
    const host: LabHost = { storage, emit: (e) => events.push(e) };
    const rows = await runExperiment(exp, host);
    expect(rows.length).toBeGreaterThan(0);
    expect(await storage.read(METRICS)).toBe(rows.map((r) => JSON.stringify(r) + '\n').join(''));
    // every row names its experiment; the sealed state records how many rows and their hash
    expect(rows.every((r) => (r as { experiment?: string }).experiment === 'cal-3')).toBe(true);
    const state = JSON.parse((await storage.read(CALIBRATION_STATE))!);
    expect(state.rows).toEqual(await rowsRecord(rows.map((r) => JSON.stringify(r))));
    expect(state.rows.count).toBe(rows.length);
    expect(events[0]).toEqual({ type: 'start', experiment: 'cal-3', scenario: 'calibration', lineages: [], generations: 3, seeds: [1] });
    expect(events.slice(1, -1)).toEqual(rows.map((row) => ({ type: 'row', row })));
    expect(events[events.length - 1]).toEqual({ type: 'done', rows: rows.length });
  });
});
