/**
 * A run folder held by the page (DESIGN.md §2: manifest.json, metrics.jsonl, checkpoints/,
 * samples/, state/): filled by the lab worker as it writes, saved as one JSON bundle (web) or as
 * files in a folder (Electron), opened again with validation. Pure: no DOM.
 */
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import type { MetricsRow } from '../lab/types.ts';
import { CorruptRunError, verifyPhysicsRun } from '../lab/run-record.ts';
import { BundleError, isSafeRunPath, parseRunBundle } from '../lab/bundle.ts';

export { isRunFile, toBundle, type RunBundle } from '../lab/bundle.ts';
export const METRICS_FILE = 'metrics.jsonl';
export const MANIFEST_FILE = 'manifest.json';

/** manifest.json as the app writes it (the CLI's shape: format, config, seeds, versions, platform). */
export interface AppManifest {
  format: 'driftlab-run';
  formatVersion: 1;
  name: string;
  createdAt: string;
  config: unknown;
  seeds: number[];
  versions: Record<string, string>;
  platform: Record<string, string | number>;
}

/** A run that cannot be opened: says which file and what is wrong. */
export class RunFormatError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'RunFormatError';
  }
}

export function checkpointPath(seed: number, lineage: string, generation: number): string {
  return generation === 0 ? `checkpoints/s${seed}/g0.json` : `checkpoints/s${seed}/${lineage}/g${generation}.json`;
}

const NUMERIC: (keyof MetricsRow)[] = ['generation', 'seed', 'elo', 'winRate', 'realNll', 'entropy', 'tailShare'];

/** Parse metrics.jsonl (generation rows of a physics run). */
export function parseMetrics(text: string): MetricsRow[] {
  const rows: MetricsRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new RunFormatError(METRICS_FILE, `line ${i + 1} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof r !== 'object' || r === null) throw new RunFormatError(METRICS_FILE, `line ${i + 1} is not an object`);
    const o = r as Record<string, unknown>;
    if (o.kind === 'calibration') throw new RunFormatError(METRICS_FILE, 'holds a calibration run; the app opens physics runs (use `driftlab report` for calibration)');
    if (o.kind !== 'generation') throw new RunFormatError(METRICS_FILE, `line ${i + 1} has kind ${JSON.stringify(o.kind)}, expected "generation"`);
    if (typeof o.lineage !== 'string' || !o.lineage) throw new RunFormatError(METRICS_FILE, `line ${i + 1} has no lineage name`);
    for (const k of NUMERIC) {
      if (typeof o[k] !== 'number' || !Number.isFinite(o[k] as number)) throw new RunFormatError(METRICS_FILE, `line ${i + 1}: ${k} is ${JSON.stringify(o[k])}, expected a number`);
    }
    if (!Number.isInteger(o.generation) || (o.generation as number) < 0) throw new RunFormatError(METRICS_FILE, `line ${i + 1}: generation must be a non-negative integer`);
    rows.push(o as unknown as MetricsRow);
  });
  return rows;
}

/** The experiment a run folder was made with, from its manifest. */
export function parseManifest(text: string | undefined): { manifest: Record<string, unknown>; experiment: PhysicsExperiment } {
  if (text === undefined) throw new RunFormatError(MANIFEST_FILE, 'is missing: this is not a Driftlab run folder');
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new RunFormatError(MANIFEST_FILE, `is not valid JSON (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new RunFormatError(MANIFEST_FILE, 'is not a JSON object');
  const o = m as Record<string, unknown>;
  if (o.format !== 'driftlab-run') throw new RunFormatError(MANIFEST_FILE, `has format ${JSON.stringify(o.format)}, expected "driftlab-run"`);
  let exp;
  try {
    exp = parseExperiment(o.config);
  } catch (e) {
    throw new RunFormatError(MANIFEST_FILE, `config is invalid: ${(e as Error).message}`);
  }
  if (exp.kind !== 'physics') throw new RunFormatError(MANIFEST_FILE, 'describes a calibration run; the app opens physics runs');
  return { manifest: o, experiment: exp };
}

export interface OpenedRun {
  experiment: PhysicsExperiment;
  rows: MetricsRow[];
  files: Map<string, string>;
}

/** Check a run folder's files: manifest, metrics, and a checkpoint for every row. */
export function validateRunFiles(files: Map<string, string>): OpenedRun {
  for (const p of files.keys()) if (!isSafeRunPath(p)) throw new RunFormatError(p, 'is not a relative path inside the run folder');
  const { experiment } = parseManifest(files.get(MANIFEST_FILE));
  const metrics = files.get(METRICS_FILE);
  if (metrics === undefined) throw new RunFormatError(METRICS_FILE, 'is missing');
  const rows = parseMetrics(metrics);
  const lineages = new Set(experiment.lineages.map((l) => l.name));
  for (const r of rows) {
    if (!lineages.has(r.lineage)) throw new RunFormatError(METRICS_FILE, `names lineage ${JSON.stringify(r.lineage)}, which the manifest does not have`);
    const ck = checkpointPath(r.seed, r.lineage, r.generation);
    if (!files.has(ck)) throw new RunFormatError(ck, `is missing (generation ${r.generation} of ${r.lineage}, seed ${r.seed})`);
  }
  return { experiment, rows, files };
}

/**
 * Check an opened run against the records its lab wrote (sealed states, content hashes of
 * checkpoints, samples and metrics rows; lab/run-record.ts): a damaged file is refused by name.
 */
export async function verifyOpenedRun(opened: OpenedRun): Promise<OpenedRun> {
  const read = async (p: string) => opened.files.get(p) ?? null;
  try {
    await verifyPhysicsRun({ read }, opened.experiment.seeds, opened.experiment.generations, opened.files.get(METRICS_FILE) ?? '');
  } catch (e) {
    if (e instanceof CorruptRunError) throw new RunFormatError(e.path, e.problem);
    throw e;
  }
  return opened;
}

/** Parse a saved bundle (the text of the uploaded file) with the lab's parser, then validate the run. */
export function fromBundle(text: string): OpenedRun {
  try {
    return validateRunFiles(parseRunBundle(text).files);
  } catch (e) {
    if (e instanceof BundleError) throw new RunFormatError(e.field, e.problem);
    throw e;
  }
}
