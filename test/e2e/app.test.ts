/**
 * The renderer in real Chromium (Vite dev server, as `npm run web` serves it), with `?quick=1`
 * (tiny presets) so a whole classroom run takes seconds on a 2-core box. Pixels are read from
 * screenshots, not only the DOM. Screenshots land in test-output/e2e/.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from 'playwright-core';
import { main as cliMain } from '../../cli/main.ts';
import { ARENA_BACKGROUND, ROLE_COLORS } from '../../renderer/palette.ts';
import { SHOTS_DIR, startApp, type AppHarness } from './harness.ts';
import { countColor, decodePng, diffShare, hexToRgb, type Image } from './png.ts';
import { parseWebm, vp8Keyframe } from '../media.ts';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp({ mode: 'dev' });
  await app.page.goto(`${app.url}?quick=1`);
  await app.page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
});

const page = () => app.page;
const arena = (id: string) => page().locator(`#arena-${id}`);
const shot = (id: string, name: string) => app.screenshot(name, arena(id));
const colour = (role: keyof typeof ROLE_COLORS) => hexToRgb(ROLE_COLORS[role]);
const state = () => page().locator('body').getAttribute('data-state');
const attr = async (sel: string, name: string) => page().locator(sel).getAttribute(name);
const num = async (sel: string, name: string) => Number(await attr(sel, name));

function expectNoProblems(): void {
  expect(app.problems, app.problems.join('\n')).toEqual([]);
}

/** Share of pixels that are not the arena background colour. */
function drawnShare(img: Image): number {
  return 1 - countColor(img, hexToRgb(ARENA_BACKGROUND), 3) / (img.width * img.height);
}

async function saveDownload(d: Download, name: string): Promise<string> {
  const file = path.join(SHOTS_DIR, name);
  await d.saveAs(file);
  return file;
}

/** points drawn (symbol marks) in a chart's SVG */
const svgPoints = (chart: string) => page().locator(`figure[data-chart="${chart}"] svg g.mark-symbol.role-mark path`).count();

let fpsDuringRun: number[] = [];

describe('the Driftlab page in Chromium', () => {
  it('loads: the arenas draw the duel scene (pixels), the knobs show the classroom preset', async () => {
    await expect.poll(() => page().locator('#arenas figure.arena').count()).toBe(2);
    expect(await page().locator('#arenas figure.arena .arena-name').allInnerTexts()).toEqual(['grounded', 'recursive']);
    expect(await page().inputValue('#preset')).toBe('classroom');
    expect(await page().inputValue('#knob-generations')).toBe('3'); // ?quick=1
    expect(await page().isChecked('#lineage-grounded')).toBe(true);
    expect(await page().isChecked('#lineage-verified')).toBe(false);
    await app.screenshot('page-start');
    for (const lineage of ['grounded', 'recursive']) {
      // the render worker draws on its own schedule: wait for the scene's hill on the canvas
      await expect.poll(async () => countColor(await shot(lineage, `arena-${lineage}-start`), colour('hill'), 10), { timeout: 30_000 }).toBeGreaterThan(500);
      const img = await shot(lineage, `arena-${lineage}-start`);
      expect(countColor(img, colour('player0'), 20), `${lineage}: blue tank`).toBeGreaterThan(40);
      expect(countColor(img, colour('player1'), 20), `${lineage}: red tank`).toBeGreaterThan(40);
      expect(countColor(img, colour('hill'), 10), `${lineage}: hill`).toBeGreaterThan(500);
      expect(drawnShare(img)).toBeGreaterThan(0.2);
    }
    expect(await state()).toBe('idle');
    expect(await page().locator('#generation').isDisabled()).toBe(true);
    expectNoProblems();
  });

  it('an invalid knob shows what is wrong and what is allowed, in plain words, next to it and disables Run', async () => {
    const cases: [string, string, string, RegExp][] = [
      ['#knob-generations', '0', '#error-generations', /^Generations: type a whole number from 1 to 200 \(you typed “0”\)\.$/],
      ['#knob-generations', '999', '#error-generations', /^Generations: type a whole number from 1 to 200 \(you typed “999”\)\.$/],
      ['#knob-episodes', '2', '#error-episodes', /^Episodes per generation: type a whole number from 4 to 20000 \(you typed “2”\)\.$/],
      ['#knob-seeds', 'x', '#error-seeds', /^Seeds: type one seed \(1\), a range \(1\.\.5\) or a list \(1,4,9\)/],
    ];
    for (const [input, value, error, message] of cases) {
      const old = await page().inputValue(input);
      await page().fill(input, value);
      await expect.poll(() => page().locator(error).innerText()).toMatch(message);
      expect(await page().locator('#run').isDisabled()).toBe(true);
      await page().fill(input, old);
      await expect.poll(() => page().locator(error).innerText()).toBe('');
      expect(await page().locator('#run').isDisabled()).toBe(false);
    }
    // no lineage at all
    await page().uncheck('#lineage-grounded');
    await page().uncheck('#lineage-recursive');
    await expect.poll(() => page().locator('#error-lineages').innerText()).toMatch(/^Lineages: tick at least one lineage/);
    expect(await page().locator('#run').isDisabled()).toBe(true);
    await app.screenshot('page-invalid-knob');
    await page().check('#lineage-grounded');
    await page().check('#lineage-recursive');
    // an edited recipe is a custom one
    await page().fill('#knob-generations', '4');
    expect(await page().inputValue('#preset')).toBe('custom');
    await page().selectOption('#preset', 'classroom');
    expect(await page().inputValue('#knob-generations')).toBe('3');
    expect(await page().locator('#run').isDisabled()).toBe(false);
    expectNoProblems();
  });

  it('one click on Classroom runs the lab in the worker; charts gain a point per generation; the page stays smooth', async () => {
    await page().evaluate(() => window.driftlabPage!.fps.reset());
    await page().click('#classroom');
    await expect.poll(state).toMatch(/running|done/);
    await expect.poll(state, { timeout: 90_000 }).toBe('done');
    // keep measuring while the arenas replay generations and the charts settle
    await page().waitForTimeout(4000);
    fpsDuringRun = await page().evaluate(() => window.driftlabPage!.fps.samples.slice());
    const rows = await page().evaluate(() => window.driftlabPage!.rows().map((r) => [r.lineage, r.generation]));
    expect(rows).toEqual([
      ['grounded', 0],
      ['recursive', 0],
      ['grounded', 1],
      ['recursive', 1],
      ['grounded', 2],
      ['recursive', 2],
      ['grounded', 3],
      ['recursive', 3],
    ]);
    // every render of the Elo chart drew one point per lineage and generation it had rows for
    const log = await page().evaluate(() => window.driftlabPage!.charts.log.filter((l) => l.id === 'elo'));
    expect(log.length).toBeGreaterThan(0);
    for (const l of log) expect(l.points).toBe(2 * l.generations);
    // while the run trained the chart worker drew them (the main thread only inserts SVG text);
    // once it ended they were drawn again as live views on the page
    expect(log.some((l) => l.by === 'worker' && l.points > 0)).toBe(true);
    expect(log.at(-1)).toEqual({ id: 'elo', points: 8, generations: 4, by: 'page' });
    // and the SVG holds them: one symbol mark per point, per line chart
    await expect.poll(() => svgPoints('elo')).toBe(8);
    await expect.poll(() => svgPoints('realnll')).toBe(8);
    await expect.poll(() => svgPoints('winrate')).toBe(16); // real and believed, per lineage
    for (const id of ['entropy', 'tailshare', 'realitygap']) expect(await num(`figure[data-chart="${id}"]`, 'data-points')).toBe(8);
    expect(await page().locator('figure[data-chart="actions-recursive"] svg g.mark-rect.role-mark path').count()).toBeGreaterThan(40);
    // the run folder is in the page: manifest, metrics, checkpoints, samples
    const files = await page().evaluate(() => [...window.driftlabPage!.files().keys()]);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'metrics.jsonl', 'checkpoints/s1/g0.json', 'checkpoints/s1/recursive/g3.json', 'samples/s1/grounded/g3-play.json']));
    await app.screenshot('page-run-done');
    await page().locator('#charts').scrollIntoViewIfNeeded();
    await app.screenshot('charts-after-run', page().locator('#charts'));
    await page().evaluate(() => window.scrollTo(0, 0));
    console.log(`main-thread fps during the quick classroom run and replay: ${fpsDuringRun.join(' ')}`);
    // the page's fps counter reports while the lab runs (speed itself is not a test's business:
    // tests do not time things; the numbers are printed above for a human to read)
    expect(fpsDuringRun.length).toBeGreaterThan(0);
    for (const f of fpsDuringRun) expect(f).toBeGreaterThan(0);
    expectNoProblems();
  });

  it('the arenas play the selected generation in the simulator, with the dream as a ghost', async () => {
    expect(await page().locator('#generation').isDisabled()).toBe(false);
    expect(await attr('#generation', 'max')).toBe('3');
    await expect.poll(() => page().locator('#arenas figure.arena').first().getAttribute('data-episode-steps'), { timeout: 30_000 }).not.toBeNull();
    // select generation 1: both arenas switch to it and play an episode
    await page().locator('#generation').fill('1');
    await expect.poll(() => page().locator('#generation-label').innerText()).toBe('1 / 3');
    for (const lineage of ['grounded', 'recursive']) {
      await expect.poll(() => page().locator(`#arena-${lineage} canvas`).getAttribute('aria-label')).toBe(`${lineage} · generation 1 vs itself`);
    }
    // Chromium draws the arenas in the render worker, on OffscreenCanvases (renderer/render-worker.ts)
    for (const lineage of ['grounded', 'recursive', 'play']) expect(await attr(`#arena-${lineage}`, 'data-renderer')).toBe('worker');
    // WebGL runs in software here (SwiftShader), so Pixi draws the arenas on 2D canvases (renderer/arena-loop.ts)
    await expect.poll(() => attr('#arena-recursive', 'data-pixi')).toBe('canvas');
    const drawn = await num('#arena-recursive', 'data-scenes-drawn');
    await expect.poll(() => num('#arena-recursive', 'data-scenes-drawn'), { timeout: 30_000 }).toBeGreaterThan(drawn + 20);
    const a = await shot('recursive', 'arena-recursive-g1-a');
    await expect.poll(async () => diffShare(a, await shot('recursive', 'arena-recursive-g1-b')), { timeout: 20_000, interval: 150 }).toBeGreaterThan(0);
    expect(countColor(a, colour('player0'), 20)).toBeGreaterThan(40);
    // the dream: world-model points drawn step by step as the episode plays
    await expect.poll(() => num('#arena-recursive', 'data-dream'), { timeout: 30_000 }).toBeGreaterThan(1);
    await app.screenshot('page-generation-1-dream');
    await page().uncheck('#dream');
    await expect.poll(() => attr('#arena-recursive', 'data-dream')).toBe('0');
    await page().check('#dream');
    // the readout shows that generation's numbers
    expect(await page().locator('figure[data-lineage="recursive"] .arena-readout').innerText()).toMatch(/^g1: really wins \d+%, believes \d+% · Elo \d+/);
    // another opponent: a scripted player
    await page().selectOption('#opponent', 'scripted:lob');
    await expect.poll(() => page().locator('#arena-grounded canvas').getAttribute('aria-label')).toBe('grounded · generation 1 vs scripted lob');
    await page().selectOption('#opponent', 'same');
    expectNoProblems();
  });

  it('presenter mode narrates the run with its real numbers, in large type', async () => {
    await page().click('#presenter-toggle');
    await expect.poll(() => page().locator('body').getAttribute('class')).toMatch(/presenter/);
    await expect.poll(() => page().locator('#narration').isVisible()).toBe(true);
    // it opens on the newest step: the result of the run
    await expect.poll(() => page().locator('#narration-step').textContent()).toMatch(/^Step \d+ of \d+ · Result$/);
    expect(await page().locator('#narration-text').innerText()).toMatch(/After 3 generations, real win rates: grounded went from \d+% to \d+% and recursive went from \d+% to \d+%/);
    const fontPx = await page().locator('#narration-text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(30);
    await page().keyboard.press('ArrowLeft');
    await expect.poll(() => page().locator('#narration-step').textContent()).toMatch(/· Generation 3$/);
    // the arenas follow the narration to the generation it talks about
    await expect.poll(() => page().locator('#generation-label').innerText()).toBe('3 / 3');
    await expect.poll(() => page().locator('#arena-recursive canvas').getAttribute('aria-label')).toBe('recursive · generation 3 vs itself');
    expect(await page().locator('#narration-text').innerText()).toMatch(/^Generation 3: the grounded model believes it wins \d+%(?: but really wins \d+%: it (?:over|under)rates itself|; it really wins \d+% \(within the margin of error\))\. The recursive model believes it wins \d+%(?: but really wins \d+%: it (?:over|under)rates itself|; it really wins \d+% \(within the margin of error\))\. Rare high lob shots: grounded \d+% and recursive \d+% of play \(the real data had \d+%\)\.$/);
    await page().waitForTimeout(150);
    await app.screenshot('page-presenter');
    await expect.poll(() => page().locator('#charts').isHidden()).toBe(true);
    await page().click('#presenter-exit');
    await expect.poll(() => page().locator('#narration').isHidden()).toBe(true);
    await expect.poll(() => page().locator('#charts').isVisible()).toBe(true);
    expectNoProblems();
  });

  it('exports a chart as SVG and PNG (downloads)', async () => {
    const [svgDl] = await Promise.all([page().waitForEvent('download'), page().click('figure[data-chart="winrate"] button[data-export="svg"]')]);
    expect(svgDl.suggestedFilename()).toBe('classroom-winrate.svg');
    const svg = readFileSync(await saveDownload(svgDl, 'export-winrate.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('Believed vs real win rate');
    const [pngDl] = await Promise.all([page().waitForEvent('download'), page().click('figure[data-chart="elo"] button[data-export="png"]')]);
    expect(pngDl.suggestedFilename()).toBe('classroom-elo.png');
    const png = decodePng(new Uint8Array(readFileSync(await saveDownload(pngDl, 'export-elo.png'))));
    expect(png.width).toBeGreaterThan(600); // 2× the chart
    // the lines are there: grounded blue and recursive red pixels
    expect(countColor(png, [0x1f, 0x77, 0xb4], 30)).toBeGreaterThan(100);
    expect(countColor(png, [0xd6, 0x27, 0x28], 30)).toBeGreaterThan(100);
    expectNoProblems();
  });

  it('exports an arena replay as a WebM rendered frame by frame (a download Chromium plays)', async () => {
    await page().click('figure.arena[data-lineage="recursive"] .replay-export');
    await expect.poll(() => page().locator('#replay-dialog').isVisible()).toBe(true);
    await page().check('input[name=replay-format][value=webm]');
    await page().check('input[name=replay-mode][value=dream]');
    await app.screenshot('replay-export-dialog');
    const [dl] = await Promise.all([page().waitForEvent('download', { timeout: 240_000 }), page().click('#replay-export-go')]);
    expect(dl.suggestedFilename()).toMatch(/^classroom-recursive-g\d+-s\d+-dream\.webm$/);
    const bytes = readFileSync(await saveDownload(dl, 'export-replay-dream.webm'));
    const webm = parseWebm(bytes);
    expect(webm).toMatchObject({ docType: 'webm', codec: 'V_VP8', trackType: 1 });
    expect(webm.blocks.length).toBeGreaterThanOrEqual(20);
    expect(webm.blocks.every((b) => vp8Keyframe(b.frame)?.width === webm.width)).toBe(true);
    // Chromium itself decodes it (in a blank page: the app's CSP allows no blob: media)
    const blank = await app.context.newPage();
    const video = await blank.evaluate(async (b64) => {
      const v = document.createElement('video');
      v.muted = true;
      v.src = URL.createObjectURL(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'video/webm' }));
      await new Promise((ok, fail) => {
        v.onloadeddata = ok;
        v.onerror = () => fail(new Error(v.error?.message ?? 'cannot decode'));
      });
      return { width: v.videoWidth, height: v.videoHeight, seconds: v.duration };
    }, bytes.toString('base64'));
    await blank.close();
    expect(video).toMatchObject({ width: webm.width, height: webm.height });
    expect(video.seconds).toBeGreaterThan(2);
    await page().click('#replay-dialog button:has-text("Close")');
    expectNoProblems();
  }, 300_000);

  it('human play (duel): the keys change the aim (pixels), Space fires, the game can be added to a lineage', async () => {
    await page().click('#play-toggle');
    await expect.poll(() => page().locator('#play').isVisible()).toBe(true);
    expect(await page().locator('#arenas').isHidden()).toBe(true);
    expect(await page().inputValue('#play-opponent')).toBe('model:recursive:3');
    await expect.poll(() => attr('#arena-play', 'data-aim'), { timeout: 30_000 }).toMatch(/^45\.0,/);
    const before = await shot('play', 'play-duel-aim-before');
    for (let i = 0; i < 6; i++) await page().keyboard.press('ArrowUp');
    for (let i = 0; i < 4; i++) await page().keyboard.press('ArrowRight');
    await expect.poll(() => attr('#arena-play', 'data-aim')).toMatch(/^53\.4,/);
    const after = await shot('play', 'play-duel-aim-after');
    expect(diffShare(before, after) * before.width * before.height).toBeGreaterThan(30);
    // the aim arrow is drawn in its colour
    expect(countColor(after, [0xff, 0xe0, 0x66], 30)).toBeGreaterThan(30);
    // Space fires: the shell flies (frames drawn), then the model answers and it is our turn again
    const drawn = await num('#arena-play', 'data-scenes-drawn');
    await page().keyboard.press(' ');
    await expect.poll(() => num('#arena-play', 'data-scenes-drawn'), { timeout: 20_000 }).toBeGreaterThan(drawn + 10);
    await app.screenshot('play-duel-firing', arena('play'));
    // play a whole game against a quick scripted shooter: keep firing until it ends
    await page().selectOption('#play-opponent', 'scripted:direct');
    await expect.poll(() => attr('#arena-play', 'data-aim'), { timeout: 30_000 }).toMatch(/^45\.0,/);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(await attr('#arena-play', 'data-banner'))) {
      if (await attr('#arena-play', 'data-aim')) await page().keyboard.press(' ');
      await page().waitForTimeout(200);
    }
    expect(await attr('#arena-play', 'data-banner')).toMatch(/^(You win!|scripted:direct wins|Draw)$/);
    await app.screenshot('play-duel-over', arena('play'));
    // add it to recursive: queued, shown as a count
    expect(await page().locator('#play-add').isDisabled()).toBe(false);
    await page().selectOption('#play-lineage', 'recursive');
    await page().click('#play-add');
    await expect.poll(() => attr('#human-count', 'data-queued')).toBe('1');
    expect(await page().locator('#human-count').innerText()).toMatch(/recursive: 1 queued/);
    // Continue is disabled until Generations goes beyond the run's last one: the count says so
    expect(await page().locator('#continue').isDisabled()).toBe(true);
    expect(await page().locator('#human-count').innerText()).toMatch(/raise Generations above 3 and Continue this run\.$/);
    expect(await page().locator('#play-add').isDisabled()).toBe(true);
    await page().click('#play-toggle');
    await expect.poll(() => page().locator('#arenas').isVisible()).toBe(true);
    expectNoProblems();
  });

  it('Continue trains more generations; the human game joins recursive’s next generation', async () => {
    await page().fill('#knob-generations', '4');
    await expect.poll(() => page().locator('#continue').isEnabled()).toBe(true);
    expect(await page().locator('#human-count').innerText()).toMatch(/\(Run, or Continue this run\)\.$/);
    await page().click('#continue');
    await expect.poll(state, { timeout: 60_000 }).toBe('done');
    await expect.poll(() => attr('#human-count', 'data-used')).toBe('1');
    expect(await attr('#human-count', 'data-queued')).toBe('0');
    const rows = await page().evaluate(() => window.driftlabPage!.rows().map((r) => `${r.lineage}/${r.generation}`));
    expect(rows.slice(-2)).toEqual(['grounded/4', 'recursive/4']);
    expect(rows).toHaveLength(10);
    // the human game is in recursive's generation-4 training data, with human provenance
    const samples = await page().evaluate(() => JSON.parse(window.driftlabPage!.files().get('samples/s1/recursive/g4.json')!) as { source: string; players: string[] }[]);
    expect(samples.filter((s) => s.source === 'human').map((s) => s.players)).toEqual([['human', 'scripted:direct']]);
    const grounded = await page().evaluate(() => JSON.parse(window.driftlabPage!.files().get('samples/s1/grounded/g4.json')!) as { source: string }[]);
    expect(grounded.some((s) => s.source === 'human')).toBe(false);
    const metrics = await page().evaluate(() => window.driftlabPage!.files().get('metrics.jsonl')!.trim().split('\n').length);
    expect(metrics).toBe(10);
    // the manifest records the run as it now is
    const manifest = await page().evaluate(() => JSON.parse(window.driftlabPage!.files().get('manifest.json')!));
    expect(manifest).toMatchObject({ format: 'driftlab-run', name: 'classroom', config: { generations: 4, scenario: 'duel' } });
    expect(await attr('#generation', 'max')).toBe('4');
    await expect.poll(() => svgPoints('elo')).toBe(10);
    expectNoProblems();
  });

  it('Save run downloads a bundle; Open run loads it back (charts, scrubber, arenas); bad files are refused clearly', async () => {
    const [dl] = await Promise.all([page().waitForEvent('download'), page().click('#save-run')]);
    expect(dl.suggestedFilename()).toBe('classroom-run.json');
    const file = await saveDownload(dl, 'saved-run.json');
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundle.format).toBe('driftlab-run-bundle');
    expect(Object.keys(bundle.files)).toEqual(expect.arrayContaining(['manifest.json', 'metrics.jsonl', 'checkpoints/s1/g0.json', 'samples/s1/recursive/g4.json', 'state/s1.json']));
    const savedRows = await page().evaluate(() => JSON.stringify(window.driftlabPage!.rows()));

    // the CLI reads what the app saved: `driftlab import`, then report and check accept it
    const runDir = path.join(SHOTS_DIR, 'imported-run');
    rmSync(runDir, { recursive: true, force: true });
    let cliErr = '';
    const quiet = new Writable({ write: (_c, _e, cb) => cb() });
    const errs = new Writable({ write: (c, _e, cb) => ((cliErr += String(c)), cb()) });
    expect(await cliMain(['import', file, runDir], quiet, errs), cliErr).toBe(0);
    expect(await cliMain(['report', runDir], quiet, errs), cliErr).toBe(0);
    expect(readFileSync(path.join(runDir, 'summary.md'), 'utf8')).toContain('classroom');
    expect([0, 1], cliErr).toContain(await cliMain(['check', runDir], quiet, errs)); // 1: an unmet expectation of the quick run, not bad input

    // refused: not JSON, not a bundle, a bundle without a checkpoint
    const bad = (n: number, text: string) => {
      const f = path.join(SHOTS_DIR, `bad-run-${n}.json`);
      writeFileSync(f, text);
      return f;
    };
    await page().setInputFiles('#open-run-file', bad(1, '{"format": "driftlab-run-bundle", "formatVersion": 1, "files": '));
    await expect.poll(() => page().locator('#notice').innerText()).toMatch(/Could not open bad-run-1\.json: bundle: is not valid JSON/);
    await page().setInputFiles('#open-run-file', bad(2, JSON.stringify({ hello: 1 })));
    await expect.poll(() => page().locator('#notice').innerText()).toMatch(/bundle: has format undefined, expected "driftlab-run-bundle"/);
    const broken = { ...bundle, files: { ...bundle.files } };
    delete broken.files['checkpoints/s1/recursive/g2.json'];
    await page().setInputFiles('#open-run-file', bad(3, JSON.stringify(broken)));
    await expect.poll(() => page().locator('#notice').innerText()).toMatch(/checkpoints\/s1\/recursive\/g2\.json: is missing \(generation 2 of recursive, seed 1\)/);
    await app.screenshot('page-open-refused');
    expect(await state()).toBe('done'); // nothing replaced

    // a fresh page opens the saved run
    const p2 = await app.context.newPage();
    const problems: string[] = [];
    p2.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    p2.on('pageerror', (e) => problems.push(e.message));
    await p2.goto(`${app.url}?quick=1`);
    await p2.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    await p2.setInputFiles('#open-run-file', file);
    await expect.poll(() => p2.locator('body').getAttribute('data-state')).toBe('opened');
    expect(await p2.evaluate(() => JSON.stringify(window.driftlabPage!.rows()))).toBe(savedRows);
    expect(await p2.locator('#notice').innerText()).toMatch(/Opened saved-run\.json: classroom, 10 rows, generations 0–4/);
    await expect.poll(() => p2.locator('figure[data-chart="elo"] svg g.mark-symbol.role-mark path').count()).toBe(10);
    expect(await p2.locator('#generation').getAttribute('max')).toBe('4');
    expect(await p2.inputValue('#knob-generations')).toBe('4');
    // the scrubber replays an opened generation in the arenas
    await p2.locator('#generation').fill('2');
    await expect.poll(() => p2.locator('#arena-recursive canvas').getAttribute('aria-label')).toBe('recursive · generation 2 vs itself');
    const drawn = Number(await p2.locator('#arena-recursive').getAttribute('data-scenes-drawn'));
    await expect.poll(async () => Number(await p2.locator('#arena-recursive').getAttribute('data-scenes-drawn')), { timeout: 30_000 }).toBeGreaterThan(drawn + 20);
    await p2.screenshot({ path: path.join(SHOTS_DIR, 'page-opened-run.png') });
    // and saving it again gives the same files
    const [dl2] = await Promise.all([p2.waitForEvent('download'), p2.click('#save-run')]);
    const again = JSON.parse(readFileSync(await saveDownload(dl2, 'saved-run-again.json'), 'utf8'));
    expect(again.files).toEqual(bundle.files);
    expect(problems).toEqual([]);
    await p2.close();
    expectNoProblems();
  });

  it('Pause holds the lab at its next step, Resume goes on, Stop ends the run cleanly', async () => {
    await page().fill('#knob-generations', '40');
    // the Run action's shortcut (renderer/actions.ts): the same path as the button
    await page().keyboard.press('Control+Enter');
    await expect.poll(() => num('body', 'data-rows'), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    await page().click('#pause');
    await expect.poll(state).toBe('paused');
    expect(await page().locator('#pause').innerText()).toBe('Resume');
    await page().waitForTimeout(600); // the generation in progress may finish; nothing after it
    const held = await num('body', 'data-rows');
    await page().waitForTimeout(1500);
    expect(await num('body', 'data-rows')).toBe(held);
    await page().click('#pause');
    await expect.poll(state).toBe('running');
    await expect.poll(() => num('body', 'data-rows'), { timeout: 30_000 }).toBeGreaterThan(held);
    await page().click('#stop');
    await expect.poll(state, { timeout: 30_000 }).toBe('stopped');
    const rows = await num('body', 'data-rows');
    expect(rows).toBeLessThan(2 * 41);
    await page().waitForTimeout(800);
    expect(await num('body', 'data-rows')).toBe(rows);
    expect(await page().locator('#run').isEnabled()).toBe(true);
    await page().fill('#knob-generations', '3');
    expectNoProblems();
  });

  it('human play (hockey): the arrow keys push the paddle', async () => {
    const p3 = await app.context.newPage();
    const problems: string[] = [];
    p3.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    p3.on('pageerror', (e) => problems.push(e.message));
    await p3.goto(`${app.url}?quick=1`);
    await p3.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    await p3.selectOption('#scenario', 'hockey');
    await p3.click('#play-toggle');
    // no run yet: scripted opponents
    await expect.poll(() => p3.inputValue('#play-opponent')).toBe('scripted:hockey-direct');
    await p3.selectOption('#play-opponent', 'scripted:hockey-defender');
    await expect.poll(async () => Number(await p3.locator('#arena-play').getAttribute('data-scenes-drawn')), { timeout: 30_000 }).toBeGreaterThan(8);
    const paddleX = () => p3.evaluate(() => window.driftlabPage!.playArena.current!.bodies.find((b) => b.id === 'paddle0')!.x);
    const x0 = await paddleX();
    const before = decodePng(new Uint8Array(await p3.locator('#arena-play').screenshot({ path: path.join(SHOTS_DIR, 'play-hockey-before.png') })));
    await p3.keyboard.down('ArrowLeft');
    await expect.poll(paddleX, { timeout: 10_000 }).toBeLessThan(x0 - 60);
    await expect.poll(() => p3.locator('#arena-play').getAttribute('data-aim')).toMatch(/^180\.0,/);
    const after = decodePng(new Uint8Array(await p3.locator('#arena-play').screenshot({ path: path.join(SHOTS_DIR, 'play-hockey-after.png') })));
    await p3.keyboard.up('ArrowLeft');
    expect(diffShare(before, after) * before.width * before.height).toBeGreaterThan(200);
    expect(countColor(after, colour('paddle0'), 20)).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    await p3.close();
  });

  it('draws the arenas on the page where a worker cannot draw (?render=page), with WebGL when asked (?arenas=webgl)', async () => {
    const p4 = await app.context.newPage();
    const problems: string[] = [];
    p4.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    p4.on('pageerror', (e) => problems.push(e.message));
    await p4.goto(`${app.url}?quick=1&render=page&arenas=webgl`);
    await p4.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    for (const id of ['grounded', 'recursive', 'play']) expect(await p4.locator(`#arena-${id}`).getAttribute('data-renderer')).toBe('page');
    expect(await p4.locator('#arena-grounded').getAttribute('data-pixi')).toBe('webgl');
    const sized = () => p4.evaluate(() => { const h = document.querySelector<HTMLElement>('#arena-grounded')!; return h.dataset.renderedSize === `${h.clientWidth}x${h.clientHeight}`; });
    await expect.poll(sized, { timeout: 30_000 }).toBe(true);
    const img = decodePng(new Uint8Array(await p4.locator('#arena-grounded').screenshot({ path: path.join(SHOTS_DIR, 'arena-grounded-start-on-page.png') })));
    expect(countColor(img, colour('player0'), 20)).toBeGreaterThan(40);
    expect(countColor(img, colour('hill'), 10)).toBeGreaterThan(500);
    expect(problems).toEqual([]);
    await p4.close();
  });

  it('serves the tfjs wasm binaries for setWasmPaths', async () => {
    const head = await page().evaluate(async () => {
      const r = await fetch(new URL('tfjs-wasm/tfjs-backend-wasm-simd.wasm', document.baseURI));
      return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer()).slice(0, 4)] };
    });
    expect(head).toEqual({ status: 200, type: 'application/wasm', bytes: [0, 0x61, 0x73, 0x6d] });
    expectNoProblems();
  });
});
