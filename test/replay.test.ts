/**
 * `driftlab replay`: one arena game of a run as an animated GIF or a WebM, rendered frame by frame.
 * The files are read back with the independent readers of test/media.ts; bad inputs are refused
 * in one line (exit 2) with nothing written.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../agents/tf.ts';
import { Policy } from '../agents/policy.ts';
import { WorldModel } from '../agents/world-model.ts';
import { parseExperiment, type PhysicsExperiment } from '../lab/config.ts';
import { DREAM_COLOR, IMPACT_COLOR, REAL_TRAIL } from '../lab/palette.ts';
import { arenaShowcase, replayFrames, type ReplayEpisode } from '../lab/replay-frames.ts';
import { getScenario } from '../lab/scenarios.ts';
import { svgToPixels } from '../cli/render.ts';
import { runCli, tinyDuel } from './cli-harness.ts';
import { parseGif, parseWebm, vp8Keyframe } from './media.ts';
import { tinyHockeyConfig } from './tiny.ts';

const tmp = mkdtempSync(join(tmpdir(), 'driftlab-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const duelDir = join(tmp, 'duel');
const hockeyDir = join(tmp, 'hockey');
const tinyHockey = tinyHockeyConfig('tiny-replay-hockey', [
  ['grounded', 'grounded'],
  ['recursive', 'recursive'],
]);

beforeAll(async () => {
  const duel = join(tmp, 'duel.json');
  writeFileSync(duel, JSON.stringify(tinyDuel('tiny-replay', 1, { seeds: [3, 4], expectations: [] })));
  const hockey = join(tmp, 'hockey.json');
  writeFileSync(hockey, JSON.stringify(tinyHockey));
  expect((await runCli('run', duel, '--out', duelDir, '--workers', '1')).code).toBe(0);
  expect((await runCli('run', hockey, '--out', hockeyDir, '--workers', '1')).code).toBe(0);
}, 240_000);

const out = (name: string) => join(tmp, name);
const replay = (...argv: string[]) => runCli('replay', ...argv);

describe('driftlab replay writes valid videos', () => {
  it('an animated GIF of at least 20 frames, looping, the last frame held', async () => {
    const r = await replay(duelDir, '--lineage', 'grounded', '--generation', '1', '--frames', '24', '--out', out('g1.gif'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^replay written: .*g1\.gif \(animated GIF, 24 frames, 800×\d+/);
    const gif = parseGif(readFileSync(out('g1.gif')));
    expect(gif.version).toBe('89a');
    expect(gif.width).toBe(800);
    expect(gif.frames.length).toBe(24);
    expect(gif.frames.every((f) => f.width === gif.width && f.height === gif.height)).toBe(true);
    expect(gif.loops).toBe(0);
    expect(gif.frames[gif.frames.length - 1].delayCs).toBe(200);
    expect(gif.frames[0].delayCs).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('a WebM: EBML header, DocType webm, one VP8 video track, every frame a keyframe SimpleBlock', async () => {
    const r = await replay(duelDir, '--lineage', 'recursive', '--generation', '1', '--frames', '24', '--out', out('g1.webm'));
    expect(r.code).toBe(0);
    const bytes = readFileSync(out('g1.webm'));
    expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    const w = parseWebm(bytes);
    expect(w.docType).toBe('webm');
    expect(w.codec).toBe('V_VP8');
    expect(w.trackType).toBe(1);
    expect(w.width).toBe(800);
    expect(w.blocks.length).toBe(24);
    for (const b of w.blocks) {
      expect(b.keyframe).toBe(true);
      expect(vp8Keyframe(b.frame)).toEqual({ keyframe: true, width: w.width, height: w.height });
    }
    // timestamps rise; the last frame is held two seconds
    expect(w.blocks.every((b, i) => i === 0 || b.timeMs > w.blocks[i - 1].timeMs)).toBe(true);
    expect(w.durationMs - w.blocks[w.blocks.length - 1].timeMs).toBe(2000);
  }, 120_000);

  it('is deterministic, and the dream is another video than reality', async () => {
    const a = await replay(duelDir, '--lineage', 'grounded', '--generation', '1', '--seed', '4', '--frames', '24', '--out', out('a.gif'));
    const b = await replay(duelDir, '--lineage', 'grounded', '--generation', '1', '--seed', '4', '--frames', '24', '--out', out('b.gif'));
    const d = await replay(duelDir, '--lineage', 'grounded', '--generation', '1', '--seed', '4', '--frames', '24', '--dream', '--out', out('d.gif'));
    expect([a.code, b.code, d.code]).toEqual([0, 0, 0]);
    expect(readFileSync(out('a.gif')).equals(readFileSync(out('b.gif')))).toBe(true);
    expect(readFileSync(out('a.gif')).equals(readFileSync(out('d.gif')))).toBe(false);
    expect(d.out).toContain('dream (world model)');
  }, 90_000);

  it('hockey too, and --force replaces an existing file', async () => {
    writeFileSync(out('h.gif'), 'old');
    const r = await replay(hockeyDir, '--lineage', 'recursive', '--generation', '1', '--dream', '--frames', '24', '--force', '--out', out('h.gif'));
    expect(r.code).toBe(0);
    const gif = parseGif(readFileSync(out('h.gif')));
    expect(gif.frames.length).toBe(24);
    expect(gif.height).toBeGreaterThan(gif.width); // the table stands upright
  }, 60_000);
});

describe('replay frames say which arcs are real', () => {
  /** pixels within a small distance of a colour */
  const count = (rgba: Uint8Array, color: number) => {
    const [r, g, b] = [color >> 16, (color >> 8) & 0xff, color & 0xff];
    let n = 0;
    for (let i = 0; i < rgba.length; i += 4) if (Math.abs(rgba[i] - r) + Math.abs(rgba[i + 1] - g) + Math.abs(rgba[i + 2] - b) < 24) n++;
    return n;
  };

  it('reality: solid trails in the shooters’ colours and impact markers; the dream: violet only', async () => {
    await initTf('wasm');
    const exp = parseExperiment(JSON.parse(readFileSync(join(duelDir, 'manifest.json'), 'utf8')).config) as PhysicsExperiment;
    const ck = JSON.parse(readFileSync(join(duelDir, 'checkpoints/s3/grounded/g1.json'), 'utf8'));
    const policy = Policy.fromJSON(ck.policy);
    const world = WorldModel.fromJSON(ck.world);
    const s = arenaShowcase(getScenario('duel'), exp.scenarioParams, policy, world, 'grounded', 1);
    policy.dispose();
    world.dispose();
    const ep: ReplayEpisode = { ...s, title: 'grounded · generation 1 · seed 3' };
    expect(s.episode.actions.length).toBeGreaterThan(0);
    const real = replayFrames(ep, { mode: 'real', maxFrames: 24 });
    const dream = replayFrames(ep, { mode: 'dream', maxFrames: 24 });
    expect(real.frames.length).toBe(24);
    expect(dream.frames.length).toBe(24);
    // the same input gives the same frames
    expect(replayFrames(ep, { mode: 'real', maxFrames: 24 }).frames.map((f) => f.svg)).toEqual(real.frames.map((f) => f.svg));
    const lastReal = svgToPixels(real.frames[23].svg).rgba;
    const lastDream = svgToPixels(dream.frames[23].svg).rgba;
    // both seats fired (the game has at least two shots) or one did: a real trail and an impact are drawn
    const trail = count(lastReal, REAL_TRAIL.player0) + count(lastReal, REAL_TRAIL.player1);
    expect(trail).toBeGreaterThan(200);
    expect(count(lastReal, IMPACT_COLOR)).toBeGreaterThan(20);
    expect(real.frames[23].svg).toContain('real (physics)');
    expect(real.frames[23].svg).not.toContain('stroke-dasharray="10 7"');
    // the dream: dashed violet, none of reality's trail colours
    expect(count(lastDream, DREAM_COLOR)).toBeGreaterThan(200);
    expect(count(lastDream, REAL_TRAIL.player0) + count(lastDream, REAL_TRAIL.player1)).toBe(0);
    expect(dream.frames[23].svg).toContain('dream (world model)');
    expect(dream.frames[23].svg).toContain('stroke-dasharray="10 7"');
  }, 60_000);
});

describe('driftlab replay refuses bad input in one line, exit 2, nothing written', () => {
  const base = (o: string) => [duelDir, '--lineage', 'grounded', '--generation', '1', '--out', out(o)];
  const cases: [string, string[], RegExp][] = [
    ['a missing run', [join(tmp, 'nope'), '--lineage', 'grounded', '--generation', '1', '--out', out('x1.gif')], /runDir: .*nope is not a run folder/],
    ['a folder without a run', [tmp, '--lineage', 'grounded', '--generation', '1', '--out', out('x2.gif')], /runDir: .* is not a run folder \(no manifest\.json\)/],
    ['an unknown lineage', [duelDir, '--lineage', 'nobody', '--generation', '1', '--out', out('x3.gif')], /--lineage: "nobody" is not a lineage of this run \(allowed: grounded, recursive\)/],
    ['a generation out of range', [duelDir, '--lineage', 'grounded', '--generation', '2', '--out', out('x4.gif')], /--generation: 2 is not a finished generation of grounded \(seed 3\) \(allowed: 0\.\.1\)/],
    ['a negative generation', [duelDir, '--lineage', 'grounded', '--generation', '-1', '--out', out('x5.gif')], /--generation: needs a value|--generation: "-1" is not a whole number/],
    ['a seed not in the run', [...base('x6.gif'), '--seed', '9'], /--seed: 9 is not a seed of this run \(allowed: 3, 4\)/],
    ['another extension', base('x7.mp4'), /--out: "x7\.mp4" has the extension \.mp4 \(allowed: \.gif or \.webm\)/],
    ['no extension', base('x8'), /--out: "x8" has no extension \(allowed: \.gif or \.webm\)/],
    ['no --out', [duelDir, '--lineage', 'grounded', '--generation', '1'], /--out: is required \(allowed: a file name ending in \.gif or \.webm\)/],
    ['no --lineage', [duelDir, '--generation', '1', '--out', out('x9.gif')], /--lineage: is required/],
    ['an unknown option', [...base('x10.gif'), '--fps', '30'], /--fps: is not an option of replay \(allowed: --lineage, --generation, --seed, --dream, --out, --force, --frames\)/],
    ['too few frames', [...base('x11.gif'), '--frames', '5'], /--frames: "5" is not an integer in range \(allowed: 24\.\.600\)/],
    ['a calibration run', [join(tmp, 'cal'), '--lineage', 'grounded', '--generation', '1', '--out', out('x12.gif')], /runDir: .* is a calibration run/],
  ];

  beforeAll(async () => {
    const cal = join(tmp, 'cal.json');
    writeFileSync(cal, JSON.stringify({ name: 'cal', kind: 'calibration', seeds: [1], generations: 2, calibration: {} }));
    const r = await runCli('run', cal, '--out', join(tmp, 'cal'));
    expect(r.code, r.err).toBe(0);
  }, 60_000);

  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const before = readdirSync(tmp).sort();
      const r = await replay(...argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^driftlab: error: /);
      expect(r.err).toMatch(message);
      expect(readdirSync(tmp).sort()).toEqual(before);
    });
  }

  it('an existing file without --force (left as it was)', async () => {
    writeFileSync(out('keep.gif'), 'mine');
    const r = await replay(...base('keep.gif'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: .*keep\.gif already exists; it is not overwritten \(allowed: --force to replace it, or another --out\)/);
    expect(readFileSync(out('keep.gif'), 'utf8')).toBe('mine');
  });

  it('a folder as --out, even with --force', async () => {
    mkdirSync(out('folder.gif'));
    const r = await replay(...base('folder.gif'), '--force');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: .*folder\.gif is a folder \(allowed: a file name ending in \.gif or \.webm\)/);
    expect(readdirSync(out('folder.gif'))).toEqual([]);
  });
});
