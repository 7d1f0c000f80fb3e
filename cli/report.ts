import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../sim/errors.ts';
import { parseExperiment, type Experiment } from '../lab/config.ts';
import { evaluateExpectations, type CheckResult } from '../lab/checks.ts';
import { reportCharts } from '../lab/charts.ts';
import { renderReportHtml, renderSummaryMarkdown } from '../lab/report.ts';
import { manifestLike, METRICS } from '../lab/run.ts';
import type { AnyRow, MetricsRow } from '../lab/types.ts';
import { specToSvg, svgToPng } from './render.ts';
import { ensureDir, FsStorage, writeAtomic } from './fs-storage.ts';
import { CorruptRunError, metricsLines, verifyCalibrationRun, verifyPhysicsRun } from '../lab/run-record.ts';

export interface RunData {
  exp: Experiment;
  rows: AnyRow[];
  /** metrics.jsonl as read */
  text?: string;
}

/** Read a run folder; ConfigError when it is not one. */
export function readRun(dir: string): RunData {
  const mf = join(dir, 'manifest.json');
  if (!existsSync(mf)) throw new ConfigError('runDir', `${dir} is not a run folder (no manifest.json)`);
  let manifest: { config?: unknown };
  try {
    manifest = JSON.parse(readFileSync(mf, 'utf8'));
  } catch (e) {
    throw new ConfigError('manifest.json', `is not valid JSON: ${(e as Error).message}`);
  }
  if (!manifest || typeof manifest !== 'object' || (manifest as { format?: unknown }).format !== 'driftlab-run') {
    throw new ConfigError(mf, 'is not a Driftlab run manifest', '"format": "driftlab-run"');
  }
  let exp: Experiment;
  try {
    exp = parseExperiment(manifest.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${mf}: config.${e.path}`, e.problem, e.allowed);
    throw e;
  }
  const text = existsSync(join(dir, METRICS)) ? readFileSync(join(dir, METRICS), 'utf8') : '';
  const parsed = metricsLines(text, join(dir, METRICS));
  const rows = parsed.rows.map((row, i) => {
    const why = rowProblem(row, exp.kind === 'physics' ? 'generation' : 'calibration');
    if (why) throw new ConfigError(`${join(dir, METRICS)} (row ${i + 1})`, why);
    return row as AnyRow;
  });
  return { exp, rows, text };
}

/**
 * Read a run folder and check it against its records (sealed states, file hashes, row hashes):
 * CorruptRunError (exit 2) naming the damaged file.
 */
export async function readVerifiedRun(dir: string): Promise<RunData> {
  const data = readRun(dir);
  const store = new FsStorage(dir);
  try {
    if (data.exp.kind === 'physics') await verifyPhysicsRun(store, data.exp.seeds, data.exp.generations, data.text ?? '');
    else await verifyCalibrationRun(store, data.text ?? '');
  } catch (e) {
    if (e instanceof CorruptRunError) throw new CorruptRunError(join(dir, e.path), e.problem);
    throw e;
  }
  return data;
}

/** Why a parsed metrics line is not a row of this kind of run (null when it is one). */
export function rowProblem(row: unknown, kind: 'generation' | 'calibration'): string | null {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return 'is not a metrics row (a JSON object)';
  const r = row as Record<string, unknown>;
  if (r.kind !== kind) return `has kind ${JSON.stringify(r.kind)}, not ${JSON.stringify(kind)}`;
  if (typeof r.lineage !== 'string') return 'has no lineage';
  if (!Number.isInteger(r.generation) || (r.generation as number) < 0) return 'has no generation (an integer >= 0)';
  if (!Number.isInteger(r.seed) || (r.seed as number) < 0) return 'has no seed (an integer >= 0)';
  return null;
}

export async function checkRun(dir: string): Promise<CheckResult[]> {
  const { exp, rows } = await readVerifiedRun(dir);
  return evaluateExpectations(exp.expectations, rows as MetricsRow[]);
}

/** charts/*.svg + *.png, report.html and summary.md from the run's metrics. */
export async function writeReport(dir: string): Promise<{ checks: CheckResult[] }> {
  const { exp, rows } = await readVerifiedRun(dir);
  const checks = evaluateExpectations(exp.expectations, rows as MetricsRow[]);
  const charts = reportCharts(rows);
  ensureDir(join(dir, 'charts'));
  const svgs: { id: string; title: string; svg: string }[] = [];
  for (const c of charts) {
    const svg = await specToSvg(c.spec);
    writeAtomic(join(dir, 'charts', `${c.id}.svg`), svg);
    writeAtomic(join(dir, 'charts', `${c.id}.png`), svgToPng(svg));
    svgs.push({ id: c.id, title: c.title, svg });
  }
  const m = manifestLike(exp);
  writeAtomic(join(dir, 'report.html'), renderReportHtml(m, rows as never, svgs, checks));
  writeAtomic(join(dir, 'summary.md'), renderSummaryMarkdown(m, rows as never, checks));
  return { checks };
}
