/**
 * Part of `npm run bench`: the classroom in the browser vs the CLI, side by side in one run.
 *  1. the app (production build) in headless Chromium: main-thread frames on the first screen
 *     (lab idle), then the full `classroom` preset (its one-click button) run to the end in the
 *     page's lab worker — frames per second (median of one-second samples), the longest gap
 *     between two frames, and the run's wall time from the click to "done" — then the arenas
 *     replaying the finished run with the lab idle (what drawing alone costs);
 *  2. the same preset in the CLI (in this process, the browser closed), wall time.
 * Written to bench/results.json (pageFpsMedianTraining, pageMaxFrameGapMs, browserOverCliTime,
 * with the targets and the machine's load, since the numbers depend on what else is running).
 * Here WebGL is rendered in software (--disable-gpu) on whatever cores the machine has.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../cli/main.ts';
import { projectRoot, startApp } from '../test/e2e/harness.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const say = (k: string, v: string | number) => console.log(`${k.padEnd(52)} ${v}`);
const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));
const TARGETS = { pageFpsMedianTraining: 50, pageMaxFrameGapMs: 150, browserOverCliTime: 1.3 } as const;

const loadBefore = load();
const app = await startApp({ mode: process.env.BENCH_MODE === 'dev' ? 'dev' : 'preview' });
let idle: number[] = [];
let busy: number[] = [];
let replay: number[] = [];
let maxGapMs = 0;
let browserSeconds = 0;
let loadDuringBrowser: number[] = [];
try {
  const page = app.page;
  // BENCH_QUERY (diagnosis only): extra URL parameters, e.g. hide=charts to see what the charts cost
  await page.goto(process.env.BENCH_QUERY ? `${app.url}?${process.env.BENCH_QUERY}` : app.url);
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 120_000 });
  await page.evaluate(() => window.driftlabPage!.fps.reset());
  await page.waitForTimeout(8000);
  idle = await page.evaluate(() => window.driftlabPage!.fps.samples.slice());
  const t0 = Date.now();
  await page.click('#classroom'); // the run resets the meter as it starts
  // polled from here once a second: waitForFunction's default polling would add frame work
  for (;;) {
    const state = await page.locator('body').getAttribute('data-state');
    if (state === 'done') break;
    if (state === 'failed' || state === 'stopped' || Date.now() - t0 > 3_600_000) throw new Error(`the classroom run in the browser did not finish (state ${state})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  browserSeconds = (Date.now() - t0) / 1000;
  loadDuringBrowser = load();
  ({ busy, maxGapMs } = await page.evaluate(() => ({ busy: window.driftlabPage!.fps.samples.slice(), maxGapMs: window.driftlabPage!.fps.maxGapMs })));
  // the same arenas replaying the finished run with the lab idle: what drawing alone costs
  await page.evaluate(() => window.driftlabPage!.fps.reset());
  await page.waitForTimeout(10_000);
  replay = await page.evaluate(() => window.driftlabPage!.fps.samples.slice());
  const rows = await page.evaluate(() => window.driftlabPage!.rows().length);
  const preset = JSON.parse(readFileSync(join(projectRoot, 'presets', 'classroom.json'), 'utf8')) as { seeds: number[]; generations: number; lineages: unknown[] };
  const expected = preset.seeds.length * (preset.generations + 1) * preset.lineages.length;
  if (rows !== expected) throw new Error(`the browser's classroom run has ${rows} rows, expected ${expected}`);
  if (app.problems.length) throw new Error(`the page reported problems:\n${app.problems.join('\n')}`);
} finally {
  await app.close();
}

if (process.env.BENCH_QUERY) {
  // a diagnosis run: the browser's numbers only, results.json left as it was
  console.log(`BENCH_QUERY=${process.env.BENCH_QUERY}: browser ${browserSeconds.toFixed(1)} s, fps median ${median(busy)}, longest gap ${Math.round(maxGapMs)} ms, load ${load()[0]}`);
  process.exit(0);
}
const dir = mkdtempSync(join(os.tmpdir(), 'driftlab-bench-'));
let cliSeconds = 0;
try {
  const quiet = new Writable({ write: (_c, _e, cb) => cb() });
  const t0 = Date.now();
  const code = await main(['run', 'classroom', '--out', join(dir, 'run')], quiet, quiet);
  cliSeconds = (Date.now() - t0) / 1000;
  if (code !== 0) throw new Error(`driftlab run classroom exited ${code}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const loadAfter = load();

const fpsIdle = median(idle);
const fields = {
  pageFpsMedianTraining: median(busy),
  pageMaxFrameGapMs: Math.round(maxGapMs),
  browserOverCliTime: Number((browserSeconds / cliSeconds).toFixed(2)),
};
say(`page fps, lab idle (median of ${idle.length} s)`, fpsIdle);
say(`page fps, classroom training (median of ${busy.length} s)`, fields.pageFpsMedianTraining);
say(`page fps, arenas replaying, lab idle (median of ${replay.length} s)`, median(replay));
say('longest frame gap while training (ms)', fields.pageMaxFrameGapMs);
say('classroom run: browser (s)', browserSeconds.toFixed(1));
say('classroom run: CLI (s)', cliSeconds.toFixed(1));
say('browser time over CLI time', `${fields.browserOverCliTime}×`);
say('load average before / after the browser run / at the end', `${loadBefore[0]} / ${loadDuringBrowser[0]} / ${loadAfter[0]} on ${os.cpus().length} cores`);

const file = join(projectRoot, 'bench/results.json');
let previous: Record<string, unknown> = {};
try {
  previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
} catch {
  /* first run */
}
const meets = Object.fromEntries(
  (Object.keys(TARGETS) as (keyof typeof TARGETS)[]).map((k) => [k, k === 'pageFpsMedianTraining' ? fields[k] >= TARGETS[k] : fields[k] <= TARGETS[k]]),
);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      ...previous,
      ...fields,
      classroom: {
        measuredAt: new Date().toISOString(),
        targets: TARGETS,
        meets,
        pageFpsMedianIdle: fpsIdle,
        pageFpsMedianReplayLabIdle: median(replay),
        pageFpsSamplesTraining: busy,
        browserSeconds: Number(browserSeconds.toFixed(1)),
        cliSeconds: Number(cliSeconds.toFixed(1)),
        machine: { cores: os.cpus().length, loadAverage1mBefore: loadBefore[0], loadAverage1mAfterBrowser: loadDuringBrowser[0], loadAverage1mAfterCli: loadAfter[0] },
        note: 'headless Chromium, WebGL in software (--disable-gpu); the load averages say how busy the machine was with other work',
      },
    },
    null,
    2,
  )}\n`,
);
console.log(`written to ${file}`);
