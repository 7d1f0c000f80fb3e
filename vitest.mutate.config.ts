import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against the mutants (`npm run mutate:<folder>`), chosen per folder
 * (MUTATE_FOLDER) so that a run is feasible on 2 cores: the suites that test that folder's code
 * directly, plus the cross-cutting survivor, property and golden tests. Always left out:
 * test/e2e (real Chromium, builds), the electron-* suites (electron/ is not mutated) and the
 * layering check (it reads source text). The slow CLI suite (~45 s, worker threads) only runs
 * for cli/.
 */
/** the lab's fast, exact suites (no experiment runs): in both the lab set and the unit set */
const labExact = [
  'test/dataset-exact.test.ts',
  'test/world-exact.test.ts',
  'test/dream-exact.test.ts',
  'test/imagine-exact.test.ts',
  'test/hud.test.ts',
  'test/trails.test.ts',
  'test/trails-exact.test.ts',
  'test/rollout-exact.test.ts',
  'test/scenarios-exact.test.ts',
  'test/run-exact.test.ts',
  'test/host-memory.test.ts',
  'test/metric-words.test.ts',
  'test/calibration-exact.test.ts',
  'test/evaluate-exact.test.ts',
  'test/metrics-exact.test.ts',
  'test/loop-state-exact.test.ts',
  'test/showcase-exact.test.ts',
  'test/replay-frames-exact.test.ts',
  'test/replay-frames-arena-exact.test.ts',
  'test/replay-video-exact.test.ts',
  'test/seed-parts-exact.test.ts',
  'test/checks-exact.test.ts',
];
/** the agents' fast, exact suites that the `agents-*` glob does not name: in both the agents set and the unit set */
const agentsExact = ['test/scripted-hockey-exact.test.ts', 'test/scripted-duel-exact.test.ts'];
const common = ['test/survivors.test.ts', 'test/properties.test.ts', 'test/units.test.ts'];
/** sim's fast, exact suites (a few seconds together): in both the sim set and the unit set */
const simExact = [
  'test/sim-arrays.test.ts',
  'test/duel-spec-exact.test.ts',
  'test/duel-exact.test.ts',
  'test/hockey-spec-exact.test.ts',
  'test/hockey-exact.test.ts',
  'test/hockey-shots-exact.test.ts',
  'test/hockey-shots-paths.test.ts',
];
const byFolder: Record<string, string[]> = {
  /** sim: the fast suites. Left out: duel.test.ts and hockey.test.ts (whole episodes, ~3 s each,
   * in every covered mutant's run); the exact suites kill what they killed (per-file runs, issue 11). */
  sim: ['test/rng-space.test.ts', 'test/renderer.test.ts', 'test/hockey-params-own-keys.test.ts', ...simExact, ...common],
  /** agents: the fast suites only (~2 s together). Left out: agents-world-model.test.ts,
   * agents-policy.test.ts (learning runs, ~10 s and ~5 s) and calibration.test.ts (~6 s, tests lab/):
   * with them every covered mutant cost ~4 s and a whole-folder run ~2.5 h on one core. Every
   * agents mutant they killed is also killed by an exact suite (per-file runs, issue 11). */
  agents: [
    'test/agents-*-exact.test.ts',
    'test/agents-checkpoint.test.ts',
    'test/agents-rating.test.ts',
    'test/agents-mlp.test.ts',
    'test/agents-tf.test.ts',
    'test/exact-math.test.ts',
    ...agentsExact,
    ...common,
  ],
  /** lab: the fast suites only (~7 s together, the tiny physics runs of experiment-*-exact
   * included). Left out: lab.test.ts, resume.test.ts, golden.test.ts, showcase.test.ts,
   * report.test.ts, replay*.test.ts and calibration.test.ts (whole experiment runs, 5-60 s each):
   * they cover nearly every lab/ mutant, so a whole-folder run with them takes many hours on 2
   * cores. They still run in `npm test`. */
  lab: [
    'test/config.test.ts',
    'test/config-errors.test.ts',
    'test/claims.test.ts',
    'test/stats.test.ts',
    'test/bundle.test.ts',
    'test/run-record.test.ts',
    'test/advantage.test.ts',
    'test/world-metrics.test.ts',
    'test/experiment-exact.test.ts',
    'test/experiment-training-exact.test.ts',
    ...labExact,
    ...common,
  ],
  cli: ['test/cli.test.ts', 'test/report.test.ts', 'test/replay.test.ts', ...common],
  renderer: ['test/renderer.test.ts', 'test/renderer-menu.test.ts', 'test/classroom-view.test.ts', 'test/fps-meter.test.ts', 'test/claims.test.ts', ...common],
  /** MUTATE_TESTS=unit: the fast suites only (no experiment runs), for a quick lower bound */
  unit: [
    'test/config.test.ts',
    'test/config-errors.test.ts',
    'test/bundle.test.ts',
    'test/agents-world-model-exact.test.ts',
    'test/stats.test.ts',
    'test/claims.test.ts',
    'test/calibration.test.ts',
    'test/agents-rating.test.ts',
    'test/rng-space.test.ts',
    'test/duel.test.ts',
    'test/hockey.test.ts',
    'test/renderer.test.ts',
    'test/advantage.test.ts',
    'test/agents-head-config-exact.test.ts',
    'test/agents-mlp-model-exact.test.ts',
    'test/agents-policy-exact.test.ts',
    ...agentsExact,
    ...labExact,
    ...simExact,
    ...common,
  ],
};
const folder = process.env.MUTATE_TESTS ?? process.env.MUTATE_FOLDER ?? 'all';
/** MUTATE_TESTS may also list test files (comma-separated paths or globs), for a run on one file */
const listed = folder.includes('/') ? folder.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
const include = listed ?? (folder === 'all' ? ['test/**/*.test.ts'] : byFolder[folder]);
if (!include) throw new Error(`MUTATE_FOLDER=${folder}: expected one of all, ${Object.keys(byFolder).join(', ')}`);

export default defineConfig({
  test: {
    include,
    exclude: ['test/e2e/**', 'test/electron-*.test.ts', 'test/layering.test.ts', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
