// Mutation testing (issue 11): `npm run mutate` (scripts/mutate-all.mjs: every folder in turn, then
// the scores) or `npm run mutate:<folder>`. Not part of `npm test` or CI. Run it before a release,
// after a change to the tests, or per folder after changing that folder; results are incremental
// (only mutants whose code or covering tests changed are run again), one incremental file per
// folder in reports/mutation/ (committed, so a fresh clone starts from the last measured state).
// With no MUTATE_FOLDER, one run over every folder against every suite (hours: not what
// `npm run mutate` does).
const folder = process.env.MUTATE_FOLDER ?? 'all';

/** What is mutated. Left out, on purpose:
 *  - lab/charts*.ts, lab/report*.ts: chart specs and report prose (labels, colours, wording) — a
 *    mutant there changes text, not results; their structure is checked by test/report.test.ts;
 *  - renderer/ modules that need the DOM, Pixi or a Worker (tested in real Chromium by test/e2e);
 *  - cli/seed-worker.ts: a worker_threads entry point (covered through the CLI in test/cli.test.ts,
 *    which runs it in a separate thread that Stryker's coverage cannot see). */
const byFolder = {
  sim: ['sim/**/*.ts'],
  agents: ['agents/**/*.ts'],
  lab: ['lab/**/*.ts', '!lab/charts*.ts', '!lab/report*.ts'],
  cli: ['cli/**/*.ts', '!cli/seed-worker.ts'],
  renderer: ['renderer/{fps,narration,palette,recipe,run-files,scene-pack}.ts'],
};
const mutate = folder === 'all' ? Object.values(byFolder).flat() : byFolder[folder];
if (!mutate) throw new Error(`MUTATE_FOLDER=${folder}: expected one of all, ${Object.keys(byFolder).join(', ')}`);

export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  checkers: process.env.MUTATE_NO_TSC ? [] : ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // module-level constants would need every test per mutant: too slow on 2 cores
  ignoreStatic: true,
  mutate,
  incremental: true,
  incrementalFile: `reports/mutation/${folder}.incremental.json`,
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  // a mutant that loops forever costs this much: lower it (MUTATE_TIMEOUT_MS=5000) for a file whose tests take milliseconds
  timeoutMS: Number(process.env.MUTATE_TIMEOUT_MS ?? 60_000),
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  // MUTATE_REPORT: another report name (scripts/mutate-files.mjs names it after the files)
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATE_REPORT ?? folder}.json` },
  htmlReporter: { fileName: `reports/mutation/${process.env.MUTATE_REPORT ?? folder}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 80, low: 60, break: null },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'test/e2e', 'dist', 'out', '.vite', 'bench/results'],
};
