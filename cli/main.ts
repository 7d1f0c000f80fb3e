import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, parse, resolve, sep } from 'node:path';
import { CorruptRunError, runFolderName } from '../lab/run-record.ts';
import { ConfigError } from '../sim/errors.ts';
import { cmdImport } from './import.ts';
import { cmdReplay } from './replay.ts';
import { initTf } from '../agents/tf.ts';
import { MAX_PHYSICS_GENERATIONS, parseExperiment, parseSeeds, type Experiment } from '../lab/config.ts';
import { CALIBRATION_LIMITS } from '../lab/calibration.ts';
import { presets, presetNames, defaultPreset } from '../lab/presets.ts';
import { runExperiment, validateExperiment, METRICS } from '../lab/run.ts';
import { scenarios } from '../lab/scenarios.ts';
import type { LabEvent } from '../lab/host.ts';
import { FsStorage } from './fs-storage.ts';
import { writeReport, readRun, checkRun } from './report.ts';
import { makeManifest } from './manifest.ts';
import { mergeRuns } from './merge.ts';
import { ProgressPrinter } from './progress.ts';
import { consolidateParts, defaultWorkers } from '../lab/seed-parts.ts';
import { runSeedsInWorkers } from './parallel.ts';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

const USAGE = `driftlab — model collapse in a physics sandbox

Usage:
  driftlab run [preset|file.json] [--seeds a..b] [--generations N] [--out DIR]
               [--workers N] [--resume] [--force] [--json]
  driftlab report <runDir>     re-render charts, report.html and summary.md
  driftlab check <runDir>      check the preset's expectations (exit 1 when unmet)
  driftlab merge <outDir> <runDir> <runDir>...
                               join runs of one experiment that ran different seeds
  driftlab import <bundle.json> <runDir>
                               a run saved by the web page → a run folder
  driftlab replay <runDir> --lineage L --generation N [--seed S] [--dream] --out file.gif|.webm
                  [--frames N] [--force]
                               one arena game of a run as an animated GIF or a WebM video
  driftlab scenarios           list scenarios with their spaces
  driftlab presets             list presets

With no preset, 'run' uses '${defaultPreset}'. Exit codes: 0 ok, 1 unmet check or failure, 2 bad input.`;

export class UsageError extends Error {}

/** Between units of work: let signal handlers and worker messages run (a macrotask, not a microtask). */
export const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

interface RunArgs {
  target: string;
  seeds?: number[];
  generations?: number;
  out?: string;
  resume: boolean;
  force: boolean;
  json: boolean;
  /** worker threads; undefined: defaultWorkers for the machine's cores and the run's seeds */
  workers?: number;
}

const RUN_OPTIONS = {
  seeds: { type: 'string' },
  generations: { type: 'string' },
  out: { type: 'string' },
  workers: { type: 'string' },
  resume: { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;
const RUN_OPTION_NAMES = Object.keys(RUN_OPTIONS).map((o) => `--${o}`).join(', ');

/** A whole number from `lo` to `hi` given as a flag's value, else a ConfigError naming the flag. */
function wholeFlag(flag: string, v: string, lo: number, hi: number, allowed = `${lo}..${hi}`): number {
  if (!/^\d{1,9}$/.test(v) || Number(v) < lo || Number(v) > hi) throw new ConfigError(flag, `${JSON.stringify(v)} is not an integer in range`, allowed);
  return Number(v);
}

function parseRunArgs(argv: string[]): RunArgs {
  checkArgs(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // node:util's own words name the option; say it in ours: the flag, the problem, what is allowed
    const code = (e as { code?: string }).code;
    const flag = /'(-[^' ]*)/.exec((e as Error).message)?.[1] ?? 'option';
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new ConfigError(flag, /does not take an argument/.test((e as Error).message) ? 'takes no value' : 'needs a value');
    throw new ConfigError(flag, 'is not a known option', RUN_OPTION_NAMES);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) throw new ConfigError(positionals[1], 'unexpected argument', 'one preset name or preset file');
  const a: RunArgs = {
    target: positionals[0] ?? defaultPreset,
    resume: v.resume ?? false,
    force: v.force ?? false,
    json: v.json ?? false,
  };
  if (v.workers !== undefined) a.workers = wholeFlag('--workers', v.workers, 1, 64);
  if (v.seeds !== undefined) a.seeds = parseSeeds(v.seeds);
  // the experiment's schema has the last word; the flag takes what either kind of experiment may have
  const maxGenerations = Math.max(MAX_PHYSICS_GENERATIONS, CALIBRATION_LIMITS.generations.max);
  if (v.generations !== undefined) {
    a.generations = wholeFlag('--generations', v.generations, 1, maxGenerations, `1..${MAX_PHYSICS_GENERATIONS} (physics), 1..${CALIBRATION_LIMITS.generations.max} (calibration)`);
  }
  if (v.out !== undefined) a.out = v.out;
  if (a.resume && a.force) throw new ConfigError('--resume', 'cannot be combined with --force', 'one of them');
  return a;
}

/** Arguments are text: a NUL or another control character is refused before any is used as a path. */
function checkArgs(argv: string[]): void {
  argv.forEach((a, i) => {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(a)) throw new ConfigError(`argument ${i + 1}`, `${JSON.stringify(a)} holds a control character`, 'printable text');
    if (a.length > 4096) throw new ConfigError(`argument ${i + 1}`, `is ${a.length} characters long`, 'at most 4096');
  });
}

/** Largest preset file read (presets are a few kB; this bounds /dev/zero and friends). */
export const MAX_PRESET_BYTES = 1 << 20;

function readPresetFile(target: string): unknown {
  let st;
  try {
    st = statSync(target);
  } catch {
    throw new ConfigError('preset', `file ${target} does not exist`);
  }
  if (!st.isFile()) throw new ConfigError('preset', `${target} is not a regular file`, 'a preset name or a .json file');
  if (st.size > MAX_PRESET_BYTES) throw new ConfigError('preset', `${target} is ${st.size} bytes`, `at most ${MAX_PRESET_BYTES} bytes`);
  let text: string;
  try {
    text = readFileSync(target, 'utf8');
  } catch (e) {
    throw new ConfigError('preset', `${target} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.length > MAX_PRESET_BYTES) throw new ConfigError('preset', `${target} is longer than ${MAX_PRESET_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(target, `is not valid JSON: ${(e as Error).message}`);
  }
}

/** A preset name or a JSON file; validated with overrides applied. */
export function loadExperiment(target: string, overrides: { seeds?: number[]; generations?: number }): Experiment {
  let raw: unknown;
  if (Object.hasOwn(presets, target)) raw = structuredClone(presets[target]);
  else if (target.endsWith('.json') || existsSync(target)) raw = readPresetFile(target);
  else throw new ConfigError('preset', `${JSON.stringify(target)} is neither a preset nor a .json file`, presetNames.join(', '));
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    if (overrides.seeds) (raw as Record<string, unknown>).seeds = overrides.seeds;
    if (overrides.generations) (raw as Record<string, unknown>).generations = overrides.generations;
  }
  const exp = parseExperiment(raw);
  validateExperiment(exp);
  return exp;
}

/** True when `a` is `b` or one of its ancestors. */
function isSameOrAncestor(a: string, b: string): boolean {
  return a === b || b.startsWith(a.endsWith(sep) ? a : a + sep);
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * `--force` replaces only a folder that holds a Driftlab run manifest, and never the root, the
 * home folder, the current folder or one of its ancestors (whatever the manifest says).
 */
export function assertReplaceable(dir: string): void {
  const refuse = (why: string) => {
    throw new ConfigError('--force', `will not replace ${dir}: ${why}`, 'a run folder made by driftlab run');
  };
  if (lstatSync(dir).isSymbolicLink()) refuse('it is a symbolic link');
  const target = real(dir);
  if (parse(target).root === target) refuse('it is the root of the file system');
  if (target === real(homedir())) refuse('it is the home folder');
  if (isSameOrAncestor(target, real(process.cwd()))) refuse('it is the current folder or one of its ancestors');
  if (!statSync(target).isDirectory()) refuse('it is not a folder');
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
  } catch {
    refuse('it holds no Driftlab run manifest (manifest.json)');
  }
  if ((manifest as { format?: unknown } | null)?.format !== 'driftlab-run') refuse('its manifest.json is not a Driftlab run manifest');
}

async function cmdRun(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const args = parseRunArgs(argv);
  const exp = loadExperiment(args.target, args);
  const dir = resolve(args.out ?? join('runs', runFolderName(exp.name)));
  const manifestPath = join(dir, 'manifest.json');
  if (args.resume) {
    if (!existsSync(manifestPath)) throw new ConfigError('--resume', `${dir} holds no run to resume (no manifest.json)`);
    const old = readRun(dir).exp;
    if (JSON.stringify(old) !== JSON.stringify(exp)) {
      throw new ConfigError('--resume', `the run in ${dir} was made with a different configuration`, 'the same preset, seeds and generations');
    }
  } else if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    if (!args.force) throw new ConfigError('--out', `${dir} already exists and is not empty; it is never overwritten`, '--force to replace it, --resume to continue it, or another --out');
    assertReplaceable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  const storage = new FsStorage(dir);
  if (!args.resume) await storage.write('manifest.json', JSON.stringify(makeManifest(exp), null, 2) + '\n');
  // tfjs holds the models' weights; their forward passes and training run in plain JavaScript
  await initTf('wasm');
  const printer = new ProgressPrinter(args.json ? 'json' : process.env.CI === 'true' || !(err as NodeJS.WriteStream).isTTY ? 'plain' : 'tty', args.json ? out : err);
  printer.line(`driftlab: running ${exp.name} (${exp.kind === 'physics' ? exp.scenario : 'calibration'}) → ${dir}`);
  let stopping = false;
  const onSig = () => {
    stopping = true;
    // Without a listener Node restores the default action, so a second Ctrl-C ends the process at
    // once, even in the middle of a long computation. Files are written atomically and a torn
    // metrics line is dropped on resume, so --resume still continues from the last generation.
    process.off('SIGINT', onSig);
    printer.line('stopping after the current step… (Ctrl-C again to stop at once; run again with --resume to continue from the last finished generation)');
  };
  // calibration is one short computation written at once: Ctrl-C keeps its default (end now)
  if (exp.kind === 'physics') process.on('SIGINT', onSig);
  try {
    const emit = (e: LabEvent) => printer.event(e);
    const shouldStop = () => stopping;
    if (args.resume) await consolidateParts(storage, exp.seeds);
    // physics seeds always run in worker threads (one at a time with --workers 1): the main
    // thread stays free to see Ctrl-C and to raise the flag the workers check mid-computation
    if (exp.kind === 'physics') {
      await runSeedsInWorkers(exp, dir, storage, args.workers ?? defaultWorkers(availableParallelism(), exp.seeds.length), { resume: args.resume, emit, shouldStop });
    } else {
      await runExperiment(exp, { storage, emit, shouldStop, gate: yieldToEventLoop }, { resume: args.resume });
    }
  } catch (e) {
    // name the damaged file with its full path
    if (e instanceof CorruptRunError && !isAbsolute(e.path)) throw new CorruptRunError(join(dir, e.path), e.problem);
    throw e;
  } finally {
    process.off('SIGINT', onSig);
  }
  if (stopping) return 130;
  const { checks } = await writeReport(dir);
  printer.done(dir, checks);
  return 0;
}

async function cmdReport(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  if (argv.length !== 1) throw new ConfigError('runDir', 'report needs exactly one run folder');
  const dir = resolve(argv[0]);
  readRun(dir);
  const { checks } = await writeReport(dir);
  out.write(`report written: ${join(dir, 'report.html')}, ${join(dir, 'summary.md')}, charts/ (${checks.filter((c) => c.ok).length}/${checks.length} expectations met)\n`);
  return 0;
}

async function cmdCheck(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  if (argv.length !== 1) throw new ConfigError('runDir', 'check needs exactly one run folder');
  const checks = await checkRun(resolve(argv[0]));
  for (const c of checks) out.write(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name} — ${c.detail}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  out.write(checks.length === 0 ? 'no expectations in this preset\n' : `${checks.length - failed}/${checks.length} expectations met\n`);
  return failed > 0 ? 1 : 0;
}

async function cmdMerge(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const [dest, ...inputs] = argv;
  if (!dest) throw new ConfigError('outDir', 'merge needs an output folder and at least two run folders');
  const { seeds, rows } = await mergeRuns(dest, inputs);
  const { checks } = await writeReport(resolve(dest));
  out.write(`merged seeds ${seeds.join(',')} (${rows} rows) into ${resolve(dest)}; ${checks.filter((c) => c.ok).length}/${checks.length} expectations met\n`);
  return 0;
}

function cmdScenarios(out: NodeJS.WritableStream): number {
  for (const [id, s] of Object.entries(scenarios)) {
    const d = s.def;
    out.write(`${id} — ${d.title}\n  ${d.description}\n`);
    const fmt = (sp: typeof d.actionSpace) => sp.names.map((n, i) => `${n} [${sp.low[i]}, ${sp.high[i]}]`).join(', ');
    out.write(`  actions: ${fmt(d.actionSpace)}${d.actionSpace.clip ? ' (clipped)' : ''}\n`);
    out.write(`  observations (${d.observationSpace.size}): ${d.observationSpace.names.join(', ')}\n`);
    out.write(`  styles: ${d.style.styles.join(', ')} (rare: ${d.style.rare.join(', ')}); max steps ${d.maxSteps}\n`);
    out.write(`  scripted players: ${s.scripted.map((p) => `${p.name} (${Math.round(p.weight * 100)}%)`).join(', ')}\n\n`);
  }
  return 0;
}

function cmdPresets(out: NodeJS.WritableStream): number {
  for (const name of presetNames) {
    const e = parseExperiment(presets[name]);
    const what = e.kind === 'physics' ? `${e.scenario}; lineages ${e.lineages.map((l) => l.name).join(', ')}` : 'calibration';
    out.write(`${name}${name === defaultPreset ? ' (default)' : ''} — ${what}; ${e.seeds.length} seed(s), ${e.generations} generations\n  ${e.description}\n\n`);
  }
  return 0;
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [cmd, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    out.write(USAGE + '\n');
    return 0;
  }
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest, out, err);
      case 'report':
        return await cmdReport(rest, out);
      case 'check':
        return await cmdCheck(rest, out);
      case 'merge':
        return await cmdMerge(rest, out);
      case 'import':
        return cmdImport(rest, out);
      case 'replay':
        return await cmdReplay(rest, out);
      case 'scenarios':
        return cmdScenarios(out);
      case 'presets':
        return cmdPresets(out);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out.write(USAGE + '\n');
        return cmd === undefined ? 2 : 0;
      default:
        throw new ConfigError('command', `${JSON.stringify(cmd)} is not a command`, 'run, report, check, merge, import, replay, scenarios, presets');
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      err.write(`driftlab: error: ${oneLine(e.message)}\n`);
      return 2;
    }
    const io = ioErrorLine(e);
    if (io) {
      err.write(`driftlab: error: ${io}\n`);
      return 1;
    }
    // an internal failure: one line; the stack only on request
    err.write(`driftlab: failed: ${oneLine(e instanceof Error ? e.message : String(e))}${process.env.DRIFTLAB_DEBUG ? `\n${(e as Error).stack}` : ' (DRIFTLAB_DEBUG=1 shows the stack)'}\n`);
    return 1;
  }
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

const IO_REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
  EBUSY: 'the resource is busy',
  EINVAL: 'invalid argument',
};

/** An operating-system I/O error as one line naming the path; null for other errors. */
export function ioErrorLine(e: unknown): string | null {
  const x = e as { code?: unknown; path?: unknown; dest?: unknown; syscall?: unknown };
  if (!x || typeof x !== 'object' || typeof x.code !== 'string' || !/^E[A-Z]+$/.test(x.code)) return null;
  const verb = x.syscall === 'open' || x.syscall === 'read' || x.syscall === 'scandir' || x.syscall === 'stat' ? 'cannot access' : 'cannot write';
  const path = typeof x.path === 'string' ? x.path.replace(/\.tmp-\d+-\d+$/, '') : '(unknown path)';
  return `${verb} ${path}: ${IO_REASONS[x.code] ?? 'I/O error'} (${x.code})`;
}

