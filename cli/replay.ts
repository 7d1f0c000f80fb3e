/**
 * `driftlab replay <runDir> --lineage L --generation N [--seed S] [--dream] --out file.gif|.webm [--force]`:
 * one arena replay of a run — the game the app's arena shows first for that lineage, generation
 * and seed — rendered frame by frame (lab/replay-frames.ts → SVG → resvg → RGBA) and encoded as
 * an animated GIF or a VP8 WebM (lab/replay-video.ts). Deterministic: the same run and options
 * give the same bytes. `--dream` shows the world model's imagination of the same game instead.
 *
 * Everything is checked before anything is computed or written: a bad input is one line naming
 * the option and the allowed values, exit 2, nothing written. The file is written atomically.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname, resolve } from 'node:path';
import { Policy } from '../agents/policy.ts';
import { initTf } from '../agents/tf.ts';
import { WorldModel } from '../agents/world-model.ts';
import type { PhysicsExperiment } from '../lab/config.ts';
import { arenaShowcase, replayFrames, type ReplayEpisode, type ReplayMode } from '../lab/replay-frames.ts';
import { encodeGif, muxWebm, vp8FromWebp, type RgbaFrame } from '../lab/replay-video.ts';
import { checkpointPath } from '../lab/run-record.ts';
import { getScenario } from '../lab/scenarios.ts';
import type { MetricsRow } from '../lab/types.ts';
import { ConfigError } from '../sim/errors.ts';
import { writeAtomic } from './fs-storage.ts';
import { svgToPixels } from './render.ts';
import { readVerifiedRun } from './report.ts';

export interface ReplayArgs {
  runDir: string;
  lineage: string;
  generation: number;
  seed?: number;
  dream: boolean;
  out: string;
  force: boolean;
  /** at most this many frames (the last one held); default 160 */
  frames?: number;
}

const OPTIONS = '--lineage, --generation, --seed, --dream, --out, --force, --frames';
export const FRAMES_RANGE = { min: 24, max: 600 };

export function parseReplayArgs(argv: string[]): ReplayArgs {
  let runDir: string | undefined;
  let lineage: string | undefined;
  let generation: number | undefined;
  let seed: number | undefined;
  let out: string | undefined;
  let dream = false;
  let force = false;
  let frames: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ConfigError(arg, 'needs a value');
      return v;
    };
    const int = (name: string, v: string) => {
      if (!/^\d{1,9}$/.test(v)) throw new ConfigError(name, `${JSON.stringify(v)} is not a whole number`, 'an integer >= 0');
      return Number(v);
    };
    if (arg === '--lineage') lineage = value();
    else if (arg === '--generation') generation = int('--generation', value());
    else if (arg === '--seed') seed = int('--seed', value());
    else if (arg === '--out') out = value();
    else if (arg === '--frames') {
      const v = value();
      if (!/^\d{1,4}$/.test(v) || Number(v) < FRAMES_RANGE.min || Number(v) > FRAMES_RANGE.max) throw new ConfigError('--frames', `${JSON.stringify(v)} is not an integer in range`, `${FRAMES_RANGE.min}..${FRAMES_RANGE.max}`);
      frames = Number(v);
    } else if (arg === '--dream') dream = true;
    else if (arg === '--force') force = true;
    else if (arg.startsWith('--')) throw new ConfigError(arg, 'is not an option of replay', OPTIONS);
    else if (runDir === undefined) runDir = arg;
    else throw new ConfigError(arg, 'unexpected argument', 'one run folder');
  }
  if (runDir === undefined) throw new ConfigError('runDir', 'replay needs a run folder: driftlab replay runs/classroom --lineage grounded --generation 3 --out g3.gif');
  if (lineage === undefined) throw new ConfigError('--lineage', 'is required', 'a lineage of the run');
  if (generation === undefined) throw new ConfigError('--generation', 'is required', 'a finished generation of the run');
  if (out === undefined) throw new ConfigError('--out', 'is required', 'a file name ending in .gif or .webm');
  return { runDir, lineage, generation, seed, dream, out, force, frames };
}

/** The output format from the file name. */
function formatOf(out: string): 'gif' | 'webm' {
  const ext = extname(out).toLowerCase();
  if (ext === '.gif') return 'gif';
  if (ext === '.webm') return 'webm';
  throw new ConfigError('--out', `${JSON.stringify(basename(out))} has ${ext ? `the extension ${ext}` : 'no extension'}`, '.gif or .webm');
}

export interface ReplayResult {
  out: string;
  format: 'gif' | 'webm';
  frames: number;
  width: number;
  height: number;
  bytes: number;
  title: string;
}

/** Render and write a replay; ConfigError (exit 2) before anything is written when an input is bad. */
export async function writeReplay(args: ReplayArgs): Promise<ReplayResult> {
  const format = formatOf(args.out);
  const out = resolve(args.out);
  if (existsSync(out)) {
    if (statSync(out).isDirectory()) throw new ConfigError('--out', `${args.out} is a folder`, 'a file name ending in .gif or .webm');
    if (!args.force) throw new ConfigError('--out', `${args.out} already exists; it is not overwritten`, '--force to replace it, or another --out');
  }
  const dir = resolve(args.runDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError('runDir', `${args.runDir} is not a run folder (no such folder)`);
  const { exp, rows } = await readVerifiedRun(dir);
  if (exp.kind !== 'physics') throw new ConfigError('runDir', `${args.runDir} is a calibration run: it has no games to replay`, 'a run of the duel or hockey');
  const names = exp.lineages.map((l) => l.name);
  if (!names.includes(args.lineage)) throw new ConfigError('--lineage', `${JSON.stringify(args.lineage)} is not a lineage of this run`, names.join(', '));
  const seed = args.seed ?? exp.seeds[0];
  if (!exp.seeds.includes(seed)) throw new ConfigError('--seed', `${seed} is not a seed of this run`, exp.seeds.join(', '));
  const gens = (rows as MetricsRow[]).filter((r) => r.lineage === args.lineage && r.seed === seed).map((r) => r.generation);
  if (gens.length === 0) throw new ConfigError('--generation', `seed ${seed} of ${args.lineage} has no finished generation yet`);
  const last = Math.max(...gens);
  if (args.generation > last) throw new ConfigError('--generation', `${args.generation} is not a finished generation of ${args.lineage} (seed ${seed})`, `0..${last}`);
  const ckpt = checkpointPath(seed, args.lineage, args.generation);
  const ckptFile = resolve(dir, ckpt);
  if (!existsSync(ckptFile)) throw new ConfigError(ckptFile, 'is missing', 'a complete run folder');
  const json = JSON.parse(readFileSync(ckptFile, 'utf8')) as { policy?: unknown; world?: unknown };

  await initTf('wasm');
  const entry = getScenario(exp.scenario);
  const policy = Policy.fromJSON(json.policy);
  const world = WorldModel.fromJSON(json.world);
  let episode: ReplayEpisode;
  try {
    const s = arenaShowcase(entry, (exp as PhysicsExperiment).scenarioParams, policy, world, args.lineage, args.generation);
    episode = { ...s, title: `${args.lineage} · generation ${args.generation} · seed ${seed}` };
  } finally {
    policy.dispose();
    world.dispose();
  }
  const mode: ReplayMode = args.dream ? 'dream' : 'real';
  const { width, height, frames } = replayFrames(episode, { mode, maxFrames: args.frames });
  const rgba: RgbaFrame[] = frames.map((f) => {
    const px = svgToPixels(f.svg, { scale: 1 });
    if (px.width !== width || px.height !== height) throw new Error(`a replay frame rendered at ${px.width}×${px.height}, not ${width}×${height}`);
    return { rgba: px.rgba, durationMs: f.durationMs };
  });
  const bytes = format === 'gif' ? encodeGif(width, height, rgba) : muxWebm(width, height, await Promise.all(rgba.map(async (f) => ({ vp8: vp8FromWebp(await encodeWebp(f.rgba, width, height)), durationMs: f.durationMs }))));
  writeAtomic(out, bytes);
  return { out, format, frames: frames.length, width, height, bytes: bytes.length, title: `${episode.title} · ${args.dream ? 'dream (world model)' : 'reality (physics)'}` };
}

// ---------------------------------------------------------------------------------------------
// Lossy WebP in Node: @jsquash/webp's WebAssembly encoder, its module compiled from the file

let webpReady: Promise<(data: { data: Uint8ClampedArray; width: number; height: number }, opts: { quality: number }) => Promise<ArrayBuffer>> | null = null;

function webpEncoder() {
  webpReady ??= (async () => {
    const req = createRequire(import.meta.url);
    const { init, default: encode } = await import('@jsquash/webp/encode.js');
    // every supported Node (20+) has WebAssembly SIMD, so @jsquash picks its SIMD build
    const wasm = await WebAssembly.compile(readFileSync(req.resolve('@jsquash/webp/codec/enc/webp_enc_simd.wasm')));
    await init(wasm);
    return encode as never;
  })();
  return webpReady;
}

/** One frame as a lossy WebP (quality 90: sharp lines and text). */
async function encodeWebp(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Uint8Array> {
  const encode = await webpEncoder();
  const data = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Uint8Array(await encode({ data, width, height }, { quality: 90 }));
}

/** The `replay` command: argv after the command name. */
export async function cmdReplay(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const r = await writeReplay(parseReplayArgs(argv));
  out.write(`replay written: ${r.out} (${r.format === 'gif' ? 'animated GIF' : 'WebM, VP8'}, ${r.frames} frames, ${r.width}×${r.height}, ${(r.bytes / 1024).toFixed(0)} kB; ${r.title})\n`);
  return 0;
}
