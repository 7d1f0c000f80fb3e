/**
 * Where the page's main thread spends its long tasks while the classroom preset trains: a Chromium
 * trace (CDP Tracing, 12 s, 20 s after ▶ Classroom) of the production build in headless Chromium,
 * summed by trace event name inside the tasks longer than 100 ms. Not part of `npm run bench`;
 * run it with `nice -n 10 npx tsx bench/trace.ts` (TRACE_MODE=dev names the functions).
 */
import { startApp } from '../test/e2e/harness.ts';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

// TRACE_MODE=dev: the dev server's unminified modules, so the profile names the app's functions
const app = await startApp({ mode: process.env.TRACE_MODE === 'dev' ? 'dev' : 'preview' });
try {
  const page = app.page;
  await page.goto(app.url);
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 120_000 });
  const cdp = await page.context().newCDPSession(page);
  await page.click('#classroom');
  await page.waitForTimeout(20_000);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'gpu', 'blink', 'v8', 'cc', 'viz'] },
  });
  await page.waitForTimeout(12_000);
  await cdp.send('Tracing.end');
  await complete;
  const thread = (e: TraceEvent) => `${e.pid}:${e.tid}`;
  const mainKey = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const main = events.filter((e): e is TraceEvent & { dur: number } => mainKey !== undefined && thread(e) === thread(mainKey) && e.ph === 'X' && typeof e.dur === 'number');
  const tasks = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const long = tasks.filter((t) => t.dur > 100_000);
  console.log(`main-thread tasks ${tasks.length}; longer than 100 ms: ${long.length}, ${Math.round(long.reduce((a, t) => a + t.dur, 0) / 1000)} ms in all`);
  const by = new Map<string, number>();
  for (const t of long) for (const e of main) if (e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur) by.set(e.name, (by.get(e.name) ?? 0) + e.dur);
  for (const [name, us] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${String(Math.round(us / 1000)).padStart(7)} ms  ${name}`);
  // then 12 s of the main thread's JavaScript (CDP Profiler): which of the page's functions the
  // time goes to, inclusive (a function's callees counted in it), the app's own modules only
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(12_000);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id)!.callFrame;
    const leafKey = `${leaf.functionName || '(anonymous)'} ${leaf.url.split('/').pop()}`;
    self.set(leafKey, (self.get(leafKey) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      if (!/\/(renderer|lab|agents|sim)\/|assets\/index/.test(f.url)) continue;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  console.log(`\nmain-thread JavaScript, 12 s: self time (top 15)`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${String(Math.round(us / 1000)).padStart(7)} ms  ${k}`);
  console.log(`the app's functions, inclusive (top 25 of ${Math.round(total / 1000)} ms sampled)`);
  for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(Math.round(us / 1000)).padStart(7)} ms  ${k}`);
} finally {
  await app.close();
}
