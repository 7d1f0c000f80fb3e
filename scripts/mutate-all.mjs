// `npm run mutate`: mutation testing folder by folder, then the score of each folder.
//   node scripts/mutate-all.mjs [<folder>…]     (default: sim agents lab renderer)
// cli/ is not in the default list: its suite runs whole experiments in worker threads, so each of
// its mutants costs tens of seconds (`npm run mutate -- cli` runs it).
// Each folder runs against its own test set (vitest.mutate.config.ts) and keeps its own
// incremental file, reports/mutation/<folder>.incremental.json (committed): a fresh clone re-tests
// only the mutants whose code or covering tests changed since those files were written. The
// scores are read back from the incremental files, so they cover every mutant of the folder.
// Exit 1 when sim/, agents/ or lab/ is below the 80 % target (the other folders have none).
// Extra environment is passed through (MUTATE_CONCURRENCY, MUTATE_NO_TSC, MUTATE_TIMEOUT_MS).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const ALL = ['sim', 'agents', 'lab', 'renderer', 'cli'];
const TARGET = { sim: 80, agents: 80, lab: 80 };
const folders = process.argv.slice(2);
for (const f of folders) {
  if (!ALL.includes(f)) {
    console.error(`folder ${f}: expected one of ${ALL.join(', ')}`);
    process.exit(2);
  }
}
const run = folders.length ? folders : ALL.filter((f) => f !== 'cli');

/** Stryker's score: killed and timed-out mutants over the valid ones (not ignored, not errors). */
export function score(report) {
  const n = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const file of Object.values(report.files ?? {}))
    for (const m of file.mutants ?? []) {
      if (m.status === 'Killed') n.killed++;
      else if (m.status === 'Timeout') n.timeout++;
      else if (m.status === 'Survived') n.survived++;
      else if (m.status === 'NoCoverage') n.noCoverage++;
    }
  const valid = n.killed + n.timeout + n.survived + n.noCoverage;
  return { ...n, valid, percent: valid ? (100 * (n.killed + n.timeout)) / valid : NaN };
}

const failed = [];
for (const folder of run) {
  console.log(`\n=== mutation testing ${folder}/ ===`);
  const r = spawnSync('npx', ['stryker', 'run'], { stdio: 'inherit', env: { ...process.env, MUTATE_FOLDER: folder } });
  if (r.status !== 0) failed.push(`${folder}: stryker exited ${r.status}`);
}

console.log('\nfolder     valid  killed  timed out  survived  no coverage  score    target');
let below = false;
for (const folder of run) {
  const file = `reports/mutation/${folder}.incremental.json`;
  if (!existsSync(file)) {
    console.log(`${folder.padEnd(9)}  (no results: ${file} missing)`);
    below ||= folder in TARGET;
    continue;
  }
  const s = score(JSON.parse(readFileSync(file, 'utf8')));
  const target = TARGET[folder];
  const meets = target === undefined ? '' : s.percent >= target ? `>= ${target} % met` : `>= ${target} % NOT met`;
  if (target !== undefined && !(s.percent >= target)) below = true;
  console.log(
    `${folder.padEnd(9)}  ${String(s.valid).padStart(5)}  ${String(s.killed).padStart(6)}  ${String(s.timeout).padStart(9)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(11)}  ${s.percent.toFixed(1).padStart(5)} %  ${meets}`,
  );
}
for (const f of failed) console.error(f);
process.exit(failed.length || below ? 1 : 0);
