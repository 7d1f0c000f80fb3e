import { ConfigError } from '../sim/errors.ts';
import { calibrationManifestLineages, runCalibration, type CalibrationConfig } from './calibration.ts';
import { calibrationConfigOf, parseExperiment, resolveLineages, type CalibrationExperiment, type Experiment } from './config.ts';
import { getScenario } from './scenarios.ts';
import { checkPlanner } from './plan.ts';
import { CALIBRATION_STATE, rowsRecord, seal } from './run-record.ts';
import { runPhysicsExperiment, METRICS, type RunOptions } from './experiment.ts';
import type { LabHost } from './host.ts';
import { defaultPreset, presets, presetNames } from './presets.ts';
import type { AnyRow } from './types.ts';

export { METRICS };

/** A preset by name; throws ConfigError listing the known ones. */
export function presetByName(name: string): Experiment {
  const p = presets[name];
  if (!p) throw new ConfigError('preset', `${JSON.stringify(name)} is not a known preset`, presetNames.join(', '));
  return parseExperiment(p);
}

export function defaultExperiment(): Experiment {
  return presetByName(defaultPreset);
}

export function calibrationConfig(exp: CalibrationExperiment): CalibrationConfig {
  return calibrationConfigOf(exp);
}

/** Check everything that can be checked before anything is written. */
export function validateExperiment(exp: Experiment): void {
  if (exp.kind === 'calibration') {
    calibrationConfig(exp);
    return;
  }
  resolveLineages(exp);
  checkPlanner(getScenario(exp.scenario), exp.training.planCandidates ?? 1);
  try {
    getScenario(exp.scenario).def.create(exp.scenarioParams);
  } catch (e) {
    if (e instanceof ConfigError && !e.path.startsWith('scenarioParams')) throw new ConfigError(`scenarioParams.${e.path}`, e.problem, e.allowed);
    throw e;
  }
}

/** What the report needs to describe a run. */
export function manifestLike(exp: Experiment) {
  return {
    name: exp.name,
    scenario: exp.kind === 'calibration' ? 'calibration' : exp.scenario,
    description: exp.description,
    lineages: exp.kind === 'calibration' ? calibrationManifestLineages(calibrationConfig(exp)) : resolveLineages(exp).map((l) => ({ name: l.name, recipe: l.recipe as unknown as Record<string, unknown> })),
    seeds: exp.seeds,
    generations: exp.generations,
  };
}

/** Run any experiment; rows are appended to metrics.jsonl as they are made. */
export async function runExperiment(exp: Experiment, host: LabHost, opts: RunOptions = {}): Promise<AnyRow[]> {
  if (exp.kind === 'physics') return runPhysicsExperiment(exp, host, opts);
  const cfg = calibrationConfig(exp);
  host.emit({ type: 'start', experiment: exp.name, scenario: 'calibration', lineages: [], generations: exp.generations, seeds: exp.seeds });
  const rows = runCalibration(cfg, { experiment: exp.name });
  const lines = rows.map((r) => JSON.stringify(r));
  await host.storage.write(METRICS, lines.map((l) => l + '\n').join(''));
  // the record that lets report/check/merge trust metrics.jsonl
  await host.storage.write(CALIBRATION_STATE, await seal({ rows: await rowsRecord(lines) }));
  for (const r of rows) host.emit({ type: 'row', row: r });
  host.emit({ type: 'done', rows: rows.length });
  return rows;
}
