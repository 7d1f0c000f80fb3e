/** The experiment a LabRunRequest asks for (the lab worker and the pool read it the same way). */
import { parseExperiment, type Experiment } from '../lab/config.ts';
import { presetByName } from '../lab/run.ts';
import type { LabRunRequest } from './lab-client.ts';

export function experimentOf(req: LabRunRequest): Experiment {
  if (req.config !== undefined) return parseExperiment(req.config);
  const base = presetByName(req.preset) as unknown as Record<string, unknown>;
  return parseExperiment({ ...base, ...(req.scenario ? { scenario: req.scenario } : {}), ...(req.overrides ?? {}) });
}
