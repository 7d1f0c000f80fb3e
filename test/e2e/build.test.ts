/**
 * The production build (what Electron loads from file:// and `npm run build:web` ships), served
 * statically and loaded in Chromium: relative asset URLs, the CSP meta tag in force with no
 * violation, the lab and arena workers (tfjs wasm) running, charts rendered without eval, tfjs
 * wasm files copied into the build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_COLORS } from '../../renderer/palette.ts';
import { startApp, type AppHarness } from './harness.ts';
import { countColor, hexToRgb } from './png.ts';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp({ mode: 'preview', viewport: { width: 1280, height: 800 } });
  await app.page.goto(`${app.url}?quick=1`);
  await app.page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
});

describe('the production build in Chromium', () => {
  it('loads with relative asset URLs under the strict CSP, without errors', async () => {
    const page = await app.page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      scripts: [...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')),
      styles: [...document.querySelectorAll('link[rel="stylesheet"]')].map((s) => s.getAttribute('href')),
    }));
    expect(page.csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(page.csp).not.toMatch(/\s'unsafe-eval'/);
    for (const src of [...page.scripts, ...page.styles]) expect(src).toMatch(/^\.\/assets\//);
    expect(app.problems, app.problems.join('\n')).toEqual([]);
  });

  it('the arenas draw; a (quick) classroom run works: workers, charts and replays under the CSP', async () => {
    // drawn by the render worker (bundled as its own chunk), under the CSP
    expect(await app.page.locator('#arena-grounded').getAttribute('data-renderer')).toBe('worker');
    await expect.poll(async () => countColor(await app.screenshot('build-start', app.page.locator('#arena-grounded')), hexToRgb(ROLE_COLORS.hill), 10), { timeout: 30_000 }).toBeGreaterThan(500);
    const shot = await app.screenshot('build-start', app.page.locator('#arena-grounded'));
    expect(countColor(shot, hexToRgb(ROLE_COLORS.player0), 20)).toBeGreaterThan(40);
    expect(countColor(shot, hexToRgb(ROLE_COLORS.hill), 10)).toBeGreaterThan(500);
    await app.page.click('#classroom');
    await expect.poll(() => app.page.locator('body').getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    await expect.poll(() => app.page.locator('figure[data-chart="elo"] svg g.mark-symbol.role-mark path').count()).toBe(8);
    const drawn = Number(await app.page.locator('#arena-recursive').getAttribute('data-scenes-drawn'));
    await expect.poll(async () => Number(await app.page.locator('#arena-recursive').getAttribute('data-scenes-drawn')), { timeout: 30_000 }).toBeGreaterThan(drawn + 20);
    await app.screenshot('build-run-done');
    expect(app.problems, app.problems.join('\n')).toEqual([]);
  });

  it('ships the tfjs wasm binaries next to the page', async () => {
    const files = await app.page.evaluate(async () =>
      Promise.all(
        ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map(async (f) => {
          const r = await fetch(new URL(`tfjs-wasm/${f}`, document.baseURI));
          const b = new Uint8Array(await r.arrayBuffer());
          return { f, status: r.status, magic: [...b.slice(0, 4)], size: b.length };
        }),
      ),
    );
    for (const x of files) {
      expect(x.status, x.f).toBe(200);
      expect(x.magic, x.f).toEqual([0, 0x61, 0x73, 0x6d]);
      expect(x.size, x.f).toBeGreaterThan(100_000);
    }
  });
});
