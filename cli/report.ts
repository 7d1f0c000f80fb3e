import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../sim/errors.ts';
import { parseExperiment, type Experiment } from '../lab/config.ts';
import { evaluateExpectations, type CheckResult } from '../lab/checks.ts';
import { reportCharts } from '../lab/charts.ts';
import { renderReportHtml, renderSummaryMarkdown } from '../lab/report.ts';
import { manifestLike, METRICS } from '../lab/run.ts';
import type { AnyRow, MetricsRow } from '../lab/types.ts';
import { specToSvg, svgToPng } from './render.ts';
import { writeAtomic } from './fs-storage.ts';

export interface RunData {
  exp: Experiment;
  rows: AnyRow[];
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
  const exp = parseExperiment(manifest.config);
  const text = existsSync(join(dir, METRICS)) ? readFileSync(join(dir, METRICS), 'utf8') : '';
  const rows = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as AnyRow;
      } catch {
        throw new ConfigError(`${METRICS}:${i + 1}`, 'is not valid JSON');
      }
    });
  return { exp, rows };
}

export function checkRun(dir: string): CheckResult[] {
  const { exp, rows } = readRun(dir);
  return evaluateExpectations(exp.expectations, rows as MetricsRow[]);
}

/** charts/*.svg + *.png, report.html and summary.md from the run's metrics. */
export async function writeReport(dir: string): Promise<{ checks: CheckResult[] }> {
  const { exp, rows } = readRun(dir);
  const checks = checkRun(dir);
  const charts = reportCharts(rows);
  mkdirSync(join(dir, 'charts'), { recursive: true });
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
