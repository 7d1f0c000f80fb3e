/**
 * Part of `npm run bench`: the app's main-thread frame rate in Chromium, side by side in one run —
 * with the arenas animating and the lab idle, then while the real classroom preset trains in the
 * lab worker. The ratio shows what the lab costs the page (the goal is ≥ 55 fps on a desktop;
 * here WebGL is rendered in software on 2 cores).
 */
import { startApp } from '../test/e2e/harness.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const app = await startApp({ mode: 'dev' });
try {
  const page = app.page;
  await page.goto(app.url);
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
  await page.evaluate(() => window.driftlabPage!.fps.reset());
  await page.waitForTimeout(8000);
  const idle = await page.evaluate(() => window.driftlabPage!.fps.samples.slice());
  await page.evaluate(() => window.driftlabPage!.fps.reset());
  await page.click('#classroom');
  await page.waitForTimeout(15000);
  const busy = await page.evaluate(() => window.driftlabPage!.fps.samples.slice());
  const a = median(idle);
  const b = median(busy);
  console.log(`${`page fps, lab idle (median of ${idle.length} s)`.padEnd(52)} ${a}`);
  console.log(`${`page fps, classroom training (median of ${busy.length} s)`.padEnd(52)} ${b}`);
  console.log(`${'fps kept while the lab trains'.padEnd(52)} ${a ? Math.round((100 * b) / a) : 0}%`);
} finally {
  await app.close();
}
