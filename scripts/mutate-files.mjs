// Mutation-test some files of one folder and keep that folder's other results:
//   node scripts/mutate-files.mjs <folder> <file> [<file>…]   (npm run mutate:files -- agents agents/rating.ts)
// Stryker's incremental file only keeps the files of the last run, so a `--mutate <file>` run on
// the folder's own incremental file would drop every other file's results. Here the run reads a
// copy of reports/mutation/<folder>.incremental.json (so it reuses what is known about these
// files) and its results are merged back into it, file by file (the test files too).
// Extra environment is passed through (MUTATE_TESTS, MUTATE_CONCURRENCY, MUTATE_NO_TSC).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const [folder, ...files] = process.argv.slice(2);
const folders = ['sim', 'agents', 'lab', 'cli', 'renderer'];
if (!folders.includes(folder) || files.length === 0) {
  console.error(`usage: node scripts/mutate-files.mjs <folder: ${folders.join(', ')}> <file> [<file>…]`);
  process.exit(2);
}
for (const f of files) {
  if (!f.startsWith(`${folder}/`) || !existsSync(f)) {
    console.error(`${f}: expected an existing file under ${folder}/`);
    process.exit(2);
  }
}
const whole = `reports/mutation/${folder}.incremental.json`;
// one part file per run, so runs on different files of a folder can go side by side
const part = `reports/mutation/${folder}.part-${process.pid}.incremental.json`;
if (existsSync(whole)) copyFileSync(whole, part);
else rmSync(part, { force: true });

// one --mutate with a comma-separated list: with the flag repeated, Stryker keeps only the last
const args = ['stryker', 'run', '--incrementalFile', part, '--mutate', files.join(',')];
const report = `${folder}-${files.map((f) => f.slice(folder.length + 1).replace(/\.ts$/, '').replace(/\W+/g, '-')).join('+')}`;
const run = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, MUTATE_FOLDER: folder, MUTATE_REPORT: report } });
if (run.status !== 0 || !existsSync(part)) {
  console.error(`stryker failed (exit ${run.status}); ${whole} left as it was`);
  process.exit(run.status || 1);
}
/**
 * Stryker numbers the tests afresh in every report ("0", "1", …), so numbered ids copied from one
 * run's report next to another run's would point at the wrong tests. Give every test a stable id,
 * `<test file>::<test name>` (with `#2`, `#3`… for a name repeated in one file), and rewrite the
 * mutants' coveredBy/killedBy to match. Ids that already have that form are kept; an id that names
 * no test of the report is dropped. Returns the report, rewritten in place.
 */
function stableTestIds(report) {
  const byOld = new Map();
  for (const [file, testFile] of Object.entries(report.testFiles ?? {})) {
    const seen = new Map();
    for (const test of testFile.tests ?? []) {
      let key = test.id;
      if (!String(key).includes('::')) {
        const base = `${file}::${test.name}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        key = n === 1 ? base : `${base}#${n}`;
      }
      byOld.set(test.id, key);
      test.id = key;
    }
  }
  const remap = (ids) => ids?.map((id) => byOld.get(id) ?? (String(id).includes('::') ? id : undefined)).filter((id) => id !== undefined);
  for (const file of Object.values(report.files ?? {})) {
    for (const mutant of file.mutants ?? []) {
      if (mutant.coveredBy) mutant.coveredBy = remap(mutant.coveredBy);
      if (mutant.killedBy) mutant.killedBy = remap(mutant.killedBy);
    }
  }
  return report;
}

// read the incremental files only now: another run may have merged into them meanwhile
const fresh = stableTestIds(JSON.parse(readFileSync(part, 'utf8')));
/** Merge this run's files into an incremental file (created when missing). */
function mergeInto(target) {
  const merged = existsSync(target) ? stableTestIds(JSON.parse(readFileSync(target, 'utf8'))) : { ...fresh, files: {} };
  // only the files this run mutated: Stryker's report also lists the other files of the copy it
  // started from, which another run may have measured again since
  for (const f of files) if (fresh.files[f]) merged.files[f] = fresh.files[f];
  merged.testFiles = { ...(merged.testFiles ?? {}), ...(fresh.testFiles ?? {}) };
  writeFileSync(target, JSON.stringify(merged));
  console.log(`${target}: ${Object.keys(merged.files).sort().join(', ')}`);
}
mergeInto(whole);
rmSync(part);
