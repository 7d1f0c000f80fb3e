/**
 * The renderer in real Chromium (Vite dev server, as `npm run web` serves it). Pixels are read
 * from screenshots, not only the DOM. Screenshots land in test-output/e2e/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hockeyScripted } from '../../agents/scripted/hockey.ts';
import { ARENA_BACKGROUND, DREAM_COLORS, ROLE_COLORS } from '../../renderer/palette.ts';
import { hockeyDef } from '../../sim/hockey.ts';
import { Rng } from '../../sim/rng.ts';
import type { ObsPoint } from '../../sim/types.ts';
import { startApp, type AppHarness } from './harness.ts';
import { countColor, diffShare, hexToRgb, type Image } from './png.ts';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp({ mode: 'dev' });
  await app.page.goto(app.url);
  await app.page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
});

const arena = (lineage: 'grounded' | 'recursive') => app.page.locator(`#arena-${lineage}`);
const shotArena = (lineage: 'grounded' | 'recursive', name: string) => app.screenshot(name, arena(lineage));
const colour = (role: keyof typeof ROLE_COLORS) => hexToRgb(ROLE_COLORS[role]);

function expectNoProblems(): void {
  expect(app.problems, app.problems.join('\n')).toEqual([]);
}

/** Share of pixels that are not the arena background colour. */
function drawnShare(img: Image): number {
  return 1 - countColor(img, hexToRgb(ARENA_BACKGROUND), 3) / (img.width * img.height);
}

let startGrounded: Image;
let hockeyGrounded: Image;

describe('the Driftlab page in Chromium', () => {
  it('loads with two arenas that draw the real duel scene (pixels)', async () => {
    await expect.poll(() => app.page.locator('figure.arena figcaption').count()).toBe(2);
    expect(await app.page.locator('figure.arena figcaption').allInnerTexts()).toEqual([
      expect.stringMatching(/^grounded/),
      expect.stringMatching(/^recursive/),
    ]);
    await app.screenshot('page-start');
    for (const lineage of ['grounded', 'recursive'] as const) {
      const img = await shotArena(lineage, `arena-${lineage}-start`);
      expect(img.width).toBeGreaterThan(300);
      // the tanks (blue and red), the hill and the ground are on screen
      expect(countColor(img, colour('player0'), 20), `${lineage}: blue tank pixels`).toBeGreaterThan(40);
      expect(countColor(img, colour('player1'), 20), `${lineage}: red tank pixels`).toBeGreaterThan(40);
      expect(countColor(img, colour('hill'), 10), `${lineage}: hill pixels`).toBeGreaterThan(500);
      expect(countColor(img, colour('ground'), 10), `${lineage}: ground pixels`).toBeGreaterThan(500);
      expect(drawnShare(img)).toBeGreaterThan(0.2);
      if (lineage === 'grounded') startGrounded = img;
    }
    expect(await app.page.locator('#status').innerText()).toBe('idle');
    expectNoProblems();
  });

  it('Run plays real physics: arena pixels change while the simulator steps', async () => {
    const before = await shotArena('grounded', 'arena-grounded-before-run');
    const drawnBefore = Number(await arena('grounded').getAttribute('data-scenes-drawn'));
    await app.page.click('#run');
    await expect.poll(() => app.page.locator('body').getAttribute('data-state')).toBe('running');
    await expect.poll(() => app.page.locator('#pause').isEnabled()).toBe(true);
    // frames are being drawn: the counter grows and the picture changes (a shell flies)
    await expect.poll(async () => Number(await arena('grounded').getAttribute('data-scenes-drawn')), { timeout: 30_000 }).toBeGreaterThan(drawnBefore + 20);
    await expect
      .poll(async () => diffShare(before, await shotArena('grounded', 'arena-grounded-running')), { timeout: 30_000, interval: 200 })
      .toBeGreaterThan(0);
    await app.screenshot('page-running');
    expectNoProblems();
  });

  it('Pause freezes the arenas; Stop shows the start position again', async () => {
    await app.page.click('#pause');
    await expect.poll(() => app.page.locator('body').getAttribute('data-state')).toBe('paused');
    await expect.poll(() => app.page.locator('#run').innerText()).toBe('Resume');
    const a = await shotArena('recursive', 'arena-recursive-paused-1');
    const drawn = await arena('recursive').getAttribute('data-scenes-drawn');
    await app.page.waitForTimeout(600); // wait a while, then check that nothing moved
    const b = await shotArena('recursive', 'arena-recursive-paused-2');
    expect(await arena('recursive').getAttribute('data-scenes-drawn')).toBe(drawn);
    expect(diffShare(a, b, 0)).toBe(0);

    await app.page.click('#stop');
    await expect.poll(() => app.page.locator('body').getAttribute('data-state')).toBe('stopped');
    const stopped = await shotArena('grounded', 'arena-grounded-stopped');
    expect(diffShare(startGrounded, stopped, 2)).toBe(0);
    expectNoProblems();
  });

  it('switching the scenario to air hockey draws the table, paddles and puck', async () => {
    await app.page.selectOption('#scenario', 'hockey');
    await app.page.click('#run');
    await expect.poll(() => app.page.locator('body').getAttribute('data-state')).toBe('running');
    await expect.poll(async () => Number(await arena('recursive').getAttribute('data-scenes-drawn')), { timeout: 30_000 }).toBeGreaterThan(30);
    await app.page.click('#pause');
    await app.screenshot('page-hockey');
    for (const lineage of ['grounded', 'recursive'] as const) {
      const img = await shotArena(lineage, `arena-${lineage}-hockey`);
      expect(countColor(img, colour('paddle0'), 20), `${lineage}: blue paddle`).toBeGreaterThan(100);
      expect(countColor(img, colour('paddle1'), 20), `${lineage}: red paddle`).toBeGreaterThan(100);
      expect(countColor(img, colour('puck'), 20), `${lineage}: puck`).toBeGreaterThan(40);
      expect(countColor(img, colour('goal'), 20), `${lineage}: goals`).toBeGreaterThan(40);
      expect(countColor(img, colour('wall'), 10), `${lineage}: walls`).toBeGreaterThan(500);
      if (lineage === 'grounded') hockeyGrounded = img;
    }
    expectNoProblems();
  });

  it('the dream overlay draws a dashed ghost of ObsPoints over the real scene, and clears', async () => {
    await app.page.click('#stop');
    await expect.poll(() => app.page.locator('body').getAttribute('data-state')).toBe('stopped');
    // an episode's observation points, computed here in Node from the real scenario
    const sim = hockeyDef.create();
    let obs = sim.reset(2).observations;
    const rng = new Rng(7);
    const steps: ObsPoint[][] = [hockeyDef.observationPoints(obs[0])];
    for (let t = 0; t < 60; t++) {
      const r = sim.step([hockeyScripted[1].player.act(obs[0], rng), hockeyScripted[0].player.act(obs[1], rng)]);
      obs = r.observations;
      steps.push(hockeyDef.observationPoints(obs[0]));
      if (r.terminated || r.truncated) break;
    }
    const plain = await shotArena('recursive', 'arena-recursive-no-dream');
    await app.page.evaluate((s) => window.driftlabPage!.arenas.recursive.setDream(s), steps);
    await expect.poll(() => arena('recursive').getAttribute('data-dream')).toBe(String(steps.length));
    const dreamed = await shotArena('recursive', 'arena-recursive-dream');
    const changed = diffShare(plain, dreamed) * plain.width * plain.height;
    expect(changed).toBeGreaterThan(300);
    // a ghost, not paint: semi-transparent, so no pixel takes the pure ghost colour of the puck track
    expect(countColor(dreamed, hexToRgb(DREAM_COLORS.puck), 2)).toBeLessThan(changed / 4);
    await app.page.evaluate(() => window.driftlabPage!.arenas.recursive.setDream(null));
    await expect.poll(() => arena('recursive').getAttribute('data-dream')).toBe('0');
    expect(diffShare(plain, await shotArena('recursive', 'arena-recursive-dream-cleared'), 2)).toBe(0);
    expectNoProblems();
  });

  it('presenter mode toggles: large narration, arenas grow, charts step aside', async () => {
    const arenaBox = (await arena('grounded').boundingBox())!;
    await expect.poll(() => app.page.locator('#narration').isHidden()).toBe(true);
    await app.page.click('#presenter-toggle');
    await expect.poll(() => app.page.locator('body').getAttribute('class')).toMatch(/presenter/);
    await expect.poll(() => app.page.locator('#presenter-toggle').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => app.page.locator('#narration').isVisible()).toBe(true);
    await expect.poll(() => app.page.locator('#charts').isHidden()).toBe(true);
    const fontPx = await app.page.locator('#narration-text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(30);
    await expect.poll(() => app.page.locator('#narration-step').textContent()).toBe('Step 1 of 6');
    await app.page.keyboard.press('ArrowRight');
    await expect.poll(() => app.page.locator('#narration-step').textContent()).toBe('Step 2 of 6');
    await expect.poll(() => app.page.locator('#narration-text').innerText()).toContain('grounded');
    await expect.poll(async () => (await arena('grounded').boundingBox())!.height).toBeGreaterThan(arenaBox.height + 50);
    // the arena canvas follows its (larger) element, and the scene is drawn larger
    const canvasHeight = () => app.page.locator('#arena-grounded canvas').evaluate((c) => c.getBoundingClientRect().height);
    await expect.poll(async () => Math.abs((await canvasHeight()) - (await arena('grounded').boundingBox())!.height)).toBeLessThan(2);
    await app.page.waitForTimeout(100); // let the next frame render at the new size
    await app.screenshot('page-presenter');
    const big = await shotArena('grounded', 'arena-grounded-presenter');
    expect(countColor(big, colour('paddle0'), 20)).toBeGreaterThan(1.5 * countColor(hockeyGrounded, colour('paddle0'), 20));

    await app.page.click('#presenter-toggle');
    await expect.poll(() => app.page.locator('body').getAttribute('class')).not.toMatch(/presenter/);
    await expect.poll(() => app.page.locator('#narration').isHidden()).toBe(true);
    await expect.poll(() => app.page.locator('#charts').isVisible()).toBe(true);
    expect(await app.page.evaluate(() => document.fullscreenElement)).toBeNull();
    await app.screenshot('page-after-presenter');
    expectNoProblems();
  });

  it('serves the tfjs wasm binaries for setWasmPaths', async () => {
    const head = await app.page.evaluate(async () => {
      const r = await fetch(new URL('tfjs-wasm/tfjs-backend-wasm-simd.wasm', document.baseURI));
      return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer()).slice(0, 4)] };
    });
    expect(head).toEqual({ status: 200, type: 'application/wasm', bytes: [0, 0x61, 0x73, 0x6d] });
    expectNoProblems();
  });
});
