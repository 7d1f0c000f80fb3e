/**
 * The classroom experience in Chromium (issue 9), with `?quick=1`: arenas a room can read (real
 * trails solid, dream dashed violet, a legend, equal arenas filling their panels, the banner away
 * from the centre) and presenter mode with its headline charts, at 1024×768, 1280×720 and
 * 1920×1080, by pixels; axe-core (WCAG 2 A/AA) on the first screen, after a run, during play and
 * in presenter mode; plain-word validation; lesson links; autosave and the confirm before a run
 * is discarded. Screenshots are kept in test-output/e2e/ (view-*.png).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DREAM_COLOR, REAL_TRAIL } from '../../renderer/palette.ts';
import { startApp, type AppHarness } from './harness.ts';
import { countColor, hexToRgb, type Image } from './png.ts';

// evaluated through the DevTools protocol: the page's CSP (script-src 'self') refuses a script tag
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

let app: AppHarness;
const page = () => app.page;
const attr = (sel: string, name: string) => page().locator(sel).getAttribute(name);
const num = async (sel: string, name: string) => Number(await attr(sel, name));

beforeAll(async () => {
  app = await startApp({ mode: 'dev', viewport: SIZES[1] });
  await page().goto(`${app.url}?quick=1`);
  await page().locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
});

/** WCAG 2 A and AA violations axe-core finds on the page now, as "rule: selector" lines. */
async function axeViolations(): Promise<string[]> {
  if (!(await page().evaluate(() => 'axe' in window))) await page().evaluate(AXE_SOURCE);
  const found = await page().evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}`));
  });
  return found;
}

const realPixels = (img: Image) => countColor(img, hexToRgb(REAL_TRAIL.player0), 12) + countColor(img, hexToRgb(REAL_TRAIL.player1), 12);
const dreamPixels = (img: Image) => countColor(img, hexToRgb(DREAM_COLOR), 14);

/** Both arenas: same size, canvas filling its host, banner (if any) in the upper third. */
async function checkArenaBoxes(): Promise<void> {
  const boxes = await page().evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#arenas .arena-host')].map((h) => {
      const r = h.getBoundingClientRect();
      const c = h.querySelector('canvas')!.getBoundingClientRect();
      return { w: r.width, h: r.height, cw: c.width, ch: c.height, banner: Number(h.dataset.bannerBottom ?? 0) };
    }),
  );
  expect(boxes).toHaveLength(2);
  expect(Math.abs(boxes[0].w - boxes[1].w)).toBeLessThanOrEqual(2);
  expect(Math.abs(boxes[0].h - boxes[1].h)).toBeLessThanOrEqual(2);
  for (const b of boxes) {
    expect(Math.abs(b.cw - b.w)).toBeLessThanOrEqual(1);
    expect(Math.abs(b.ch - b.h)).toBeLessThanOrEqual(1);
    expect(b.h).toBeGreaterThan(150);
    // no banner over the arena's centre
    expect(b.banner).toBeLessThan(b.h * 0.42);
  }
}

/** Wait until an arena shows real trails and a dream mid-episode; screenshot it. */
async function midReplay(lineage: string, name: string): Promise<Image> {
  await expect.poll(() => num(`#arena-${lineage}`, 'data-trails'), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(() => num(`#arena-${lineage}`, 'data-dream'), { timeout: 30_000 }).toBeGreaterThan(1);
  // a canvas drawn by the render worker is blank after a resize until a frame at the new size is drawn
  await expect
    .poll(() => page().evaluate((sel) => { const h = document.querySelector<HTMLElement>(sel)!; return h.dataset.renderedSize === `${h.clientWidth}x${h.clientHeight}`; }, `#arena-${lineage}`), { timeout: 30_000 })
    .toBe(true);
  return app.screenshot(name, page().locator(`#arena-${lineage}`));
}

describe('the classroom experience in Chromium', () => {
  it('first screen: "what you are seeing" is there, and axe finds no WCAG 2 A/AA violation', async () => {
    await expect.poll(() => page().locator('#welcome').isVisible()).toBe(true);
    expect(await page().locator('#welcome').innerText()).toMatch(/solid bright lines[\s\S]*dashed violet lines/);
    await app.screenshot('view-first-screen');
    expect(await axeViolations()).toEqual([]);
    await page().click('#welcome-close');
    expect(await page().locator('#welcome').isHidden()).toBe(true);
  });

  it('shows every knob problem at once, in plain words; Run is disabled meanwhile', async () => {
    await page().fill('#knob-generations', '2.5');
    await page().fill('#knob-episodes', '20001');
    await expect.poll(() => page().locator('#error-generations').innerText()).toBe('Generations: type a whole number from 1 to 200 (you typed “2.5”).');
    expect(await page().locator('#error-episodes').innerText()).toBe('Episodes per generation: type a whole number from 4 to 20000 (you typed “20001”).');
    expect(await page().locator('#run').isDisabled()).toBe(true);
    await page().selectOption('#preset', 'classroom');
    await expect.poll(() => attr('body', 'data-knob-errors')).toBe('0');
    expect(await page().locator('#run').isEnabled()).toBe(true);
  });

  it('arenas mid-replay at 1024×768, 1280×720, 1920×1080: real trails solid, dream dashed, equal arenas, no banner over the centre', async () => {
    await page().click('#classroom');
    await expect.poll(() => attr('body', 'data-state'), { timeout: 90_000 }).toBe('done');
    expect(await axeViolations()).toEqual([]);
    // every report chart drawn, and no text of it outside its card (long vertical axis titles once
    // pushed the chart titles out of the top)
    await expect
      .poll(
        () =>
          page().evaluate(() =>
            [...document.querySelectorAll<HTMLElement>('#charts figure')].flatMap((f) => {
              const body = f.querySelector('.chart-body')!.getBoundingClientRect();
              const texts = [...f.querySelectorAll('svg text')];
              if (!texts.length) return [`${f.dataset.chart}: not drawn`];
              return texts
                .filter((t) => {
                  const r = t.getBoundingClientRect();
                  return r.top < body.top - 1 || r.bottom > body.bottom + 1 || r.left < body.left - 1 || r.right > body.right + 1;
                })
                .map((t) => `${f.dataset.chart}: “${t.textContent}” outside its card`);
            }),
          ),
        { timeout: 30_000 },
      )
      .toEqual([]);
    for (const size of SIZES) {
      await page().setViewportSize(size);
      await page().locator('#generation').fill('2');
      const tag = `${size.width}x${size.height}`;
      for (const lineage of ['grounded', 'recursive']) {
        const img = await midReplay(lineage, `view-arena-${lineage}-${tag}`);
        expect(realPixels(img), `${lineage} ${tag}: real trail pixels`).toBeGreaterThan(60);
        expect(dreamPixels(img), `${lineage} ${tag}: dream pixels`).toBeGreaterThan(30);
      }
      await checkArenaBoxes();
      await app.screenshot(`view-page-${tag}`);
    }
    // reality | dream side by side
    await page().click('#dream-split');
    expect(await attr('#arena-recursive', 'data-dream-layout')).toBe('split');
    const split = await midReplay('recursive', 'view-arena-split-1920x1080');
    expect(realPixels(split)).toBeGreaterThan(60);
    expect(dreamPixels(split)).toBeGreaterThan(30);
    await page().click('#dream-overlay');
    expect(app.problems, app.problems.join('\n')).toEqual([]);
  });

  it('presenter mode at the three sizes: headline charts drawn beside the arenas, nothing over the arena centre', async () => {
    // opened at the largest size, then the window shrinks: charts drawn for a wide window must
    // shrink with it (they once kept their width and pushed the second and third chart off screen)
    await page().setViewportSize(SIZES[2]);
    await page().click('#presenter-toggle');
    await expect.poll(() => page().locator('#headline').isVisible()).toBe(true);
    await expect.poll(() => page().locator('#headline svg path.headline-line').count()).toBeGreaterThanOrEqual(4);
    for (const size of [SIZES[0], SIZES[1], SIZES[2]]) {
      await page().setViewportSize(size);
      const tag = `${size.width}x${size.height}`;
      await expect.poll(() => num('#headline', 'data-charts')).toBeGreaterThanOrEqual(2);
      await expect.poll(() => page().locator('#headline svg path.headline-line').count()).toBeGreaterThanOrEqual(4);
      await midReplay('recursive', `view-presenter-arena-${tag}`);
      // every chart inside the window, its drawing inside its panel, drawn at the panel's size
      await expect
        .poll(() =>
          page().evaluate(() => {
            const bad: string[] = [];
            for (const f of document.querySelectorAll<HTMLElement>('#headline figure')) {
              const r = f.getBoundingClientRect();
              const s = f.querySelector('svg')?.getBoundingClientRect();
              const b = f.querySelector('.headline-body')!.getBoundingClientRect();
              if (r.left < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) bad.push(`${f.dataset.chart} outside the window`);
              if (!s || Math.abs(s.width - b.width) > 2 || Math.abs(s.height - b.height) > 2) bad.push(`${f.dataset.chart} not drawn at its panel's size`);
            }
            return bad;
          }),
        )
        .toEqual([]);
      const figures = page().locator('#headline figure');
      expect(await figures.count()).toBe(await num('#headline', 'data-charts'));
      for (let i = 0; i < (await figures.count()); i++) {
        const chart = await app.screenshot(`view-presenter-chart-${i + 1}-${tag}`, figures.nth(i));
        // the lineage lines: grounded blue and recursive red, in every chart
        expect(countColor(chart, [0x1f, 0x77, 0xb4], 30), `${tag} chart ${i + 1}: grounded line`).toBeGreaterThan(60);
        expect(countColor(chart, [0xd6, 0x27, 0x28], 30), `${tag} chart ${i + 1}: recursive line`).toBeGreaterThan(60);
      }
      await checkArenaBoxes();
      // the arenas, charts and narration do not overlap, and all fit the window
      const r = await page().evaluate(() => {
        const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
        const a = box('#arenas');
        const h = box('#headline');
        const n = box('#narration');
        return { arenasBottom: a.bottom, headlineTop: h.top, headlineBottom: h.bottom, narrationTop: n.top, narrationBottom: n.bottom };
      });
      expect(r.arenasBottom).toBeLessThanOrEqual(r.headlineTop + 1);
      expect(r.headlineBottom).toBeLessThanOrEqual(r.narrationTop + 1);
      expect(r.narrationBottom).toBeLessThanOrEqual(size.height + 1);
      await app.screenshot(`view-presenter-${tag}`);
    }
    // stepping back shrinks the charts to the generation narrated
    await page().click('#narration-prev');
    await expect.poll(() => page().locator('#narration-step').textContent()).toMatch(/· Generation 3$/);
    await expect.poll(() => attr('#headline', 'data-up-to')).toBe('3');
    await page().click('#narration-prev');
    await page().click('#narration-prev');
    await expect.poll(() => page().locator('#narration-step').textContent()).toMatch(/· Generation 2$/);
    await expect.poll(() => attr('#headline', 'data-up-to')).toBe('2');
    await app.screenshot('view-presenter-generation-2');
    expect(await axeViolations()).toEqual([]);
    // the hidden report charts are not re-rendered for new rows while presenter mode is on…
    const renders = () => page().evaluate(() => window.driftlabPage!.charts.log.length);
    const before = await renders();
    await page().evaluate(() => window.driftlabPage!.charts.setRows(window.driftlabPage!.rows()));
    await page().evaluate(() => new Promise((r) => setTimeout(r, 500)));
    expect(await renders()).toBe(before);
    await page().click('#presenter-exit');
    // …and are drawn when it ends, every one of them
    await expect.poll(renders, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 8);
  });

  it('play: axe finds nothing while a human game waits for a shot', async () => {
    await page().setViewportSize(SIZES[1]);
    await page().click('#play-toggle');
    await expect.poll(() => attr('#arena-play', 'data-aim'), { timeout: 30_000 }).toMatch(/^45\.0,/);
    expect(await axeViolations()).toEqual([]);
    await page().keyboard.press(' ');
    await expect.poll(() => page().locator('#play-fire').innerText()).toBe('Wait…');
    await expect.poll(() => attr('#arena-play', 'data-trails'), { timeout: 20_000 }).not.toBe('0');
    await app.screenshot('view-play-shot', page().locator('#arena-play'));
    await page().click('#play-toggle');
  });

  it('asks before an unsaved run is replaced; a reload offers the autosaved run back', async () => {
    let asked = '';
    page().once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page().click('#run');
    await expect.poll(() => asked).toMatch(/is not saved/);
    expect(await attr('body', 'data-state')).toBe('done');
    const rows = await page().evaluate(() => JSON.stringify(window.driftlabPage!.rows()));
    const count = await page().evaluate(() => window.driftlabPage!.rows().length);
    await expect.poll(() => attr('body', 'data-autosaved')).toBe('4');
    // the seeds train side by side: wait for the save of the whole run, not one made when the first seed finished
    await expect.poll(() => attr('body', 'data-autosaved-rows')).toBe(String(count));
    await page().reload();
    await page().locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    await expect.poll(() => page().locator('#restore').isVisible()).toBe(true);
    await page().click('#restore-run');
    await expect.poll(() => attr('body', 'data-state')).toBe('opened');
    expect(await page().evaluate(() => JSON.stringify(window.driftlabPage!.rows()))).toBe(rows);
  });

  it('a lesson link opened in a fresh page shows its knobs and hides the chosen controls', async () => {
    const p2 = await app.context.newPage();
    await p2.goto(`${app.url}?quick=1&preset=classroom&generations=2&seeds=4&lineages=grounded,recursive,verified&dream=split&hide=recipe,charts,play`);
    await p2.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    expect(await p2.inputValue('#knob-generations')).toBe('2');
    expect(await p2.inputValue('#knob-seeds')).toBe('4');
    expect(await p2.isChecked('#lineage-verified')).toBe(true);
    expect(await p2.inputValue('#preset')).toBe('custom');
    expect(await p2.locator('#recipe').isHidden()).toBe(true);
    expect(await p2.locator('#charts').isHidden()).toBe(true);
    expect(await p2.locator('#play-toggle').isHidden()).toBe(true);
    expect(await p2.locator('#dream-split').getAttribute('aria-pressed')).toBe('true');
    // the page's URL keeps the lesson
    expect(new URL(p2.url()).searchParams.get('lineages')).toBe('grounded,recursive,verified');
    await p2.screenshot({ path: `${process.cwd()}/test-output/e2e/view-lesson-link.png` });
    await p2.close();
  });
});
