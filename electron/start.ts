/**
 * `npm start`: build the app and launch the `electron` package's binary on it. Needs only what
 * `npm ci` installs (Electron Forge stays optional: forge.config.ts).
 *
 *   1. the renderer with Vite (renderer/vite.config.ts)      → dist/renderer/
 *   2. main process and preload with esbuild (electron/build.ts) → dist/electron/
 *   3. dist/package.json naming the app (name, productName, version, main), so Electron reports
 *      the app's own name and version and keeps its settings under the app's name
 *   4. `electron dist [args…]`: the binary of the `electron` package, which downloads it on first
 *      use (once, into its cache) on a machine with internet
 *
 * Usage: `npm start [-- run-folder-or-bundle]`, `tsx electron/start.ts --build-only [outDir]`.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppBuild {
  /** the folder Electron is launched on (holds package.json) */
  dir: string;
  main: string;
  preload: string;
  /** the renderer's index.html */
  page: string;
}

/** What dist/package.json says: the app's identity for Electron, the main process entry. */
export function appPackageJson(root = projectRoot): Record<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, string>;
  return {
    name: pkg.name,
    productName: 'Driftlab',
    version: pkg.version,
    description: pkg.description,
    main: 'electron/main.cjs',
  };
}

/** Steps 1–3: the bundles `npm start` launches, in `outDir` (default dist/). */
export async function buildApp(
  outDir = path.join(projectRoot, 'dist'),
  log: (line: string) => void = () => undefined,
  options: { sourcemap?: boolean } = {},
): Promise<AppBuild> {
  const { build } = await import('vite');
  log('building the renderer (Vite)…');
  await build({
    configFile: path.join(projectRoot, 'renderer/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: path.join(outDir, 'renderer'), emptyOutDir: true, ...(options.sourcemap === false ? { sourcemap: false } : {}) },
  });
  log('building the main process and preload (esbuild)…');
  const { main, preload } = await buildElectron(path.join(outDir, 'electron'));
  await fsp.writeFile(path.join(outDir, 'package.json'), JSON.stringify(appPackageJson(), null, 2) + '\n');
  return { dir: outDir, main, preload, page: path.join(outDir, 'renderer', 'index.html') };
}

/**
 * The path of Electron's binary from the `electron` package. Its index.js downloads the binary
 * when it is missing (first start); when that fails, the message says what to do.
 */
export function electronBinary(): string {
  const require = createRequire(import.meta.url);
  try {
    return require('electron') as string;
  } catch (e) {
    throw new Error(
      `Electron's binary is not installed and could not be downloaded (${(e as Error).message.split('\n')[0]}). ` +
        'Check the internet connection and run `npm start` again, or `npx install-electron` first.',
    );
  }
}

/** Step 4: launch Electron on the build; resolves with Electron's exit code. */
export function launch(build: AppBuild, args: string[], binary = electronBinary()): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // set by some terminals and IDEs: it would start Node instead of the app
    const child = spawn(binary, [build.dir, ...args], { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  });
}

async function cli(argv: string[]): Promise<number> {
  const buildOnly = argv[0] === '--build-only';
  const rest = buildOnly ? argv.slice(1) : argv;
  const out = buildOnly && rest[0] ? path.resolve(rest[0]) : undefined;
  const log = (line: string) => console.log(`driftlab: ${line}`);
  const build = await buildApp(out, log);
  if (buildOnly) {
    log(`built ${path.relative(process.cwd(), build.dir) || '.'} (main, preload, renderer)`);
    return 0;
  }
  log('starting Electron…');
  // a run folder or bundle given as `npm start -- runs/x`: relative to where npm was called
  const from = process.env.INIT_CWD ?? process.cwd();
  const args = rest.map((a) => (!a.startsWith('-') && existsSync(path.resolve(from, a)) ? path.resolve(from, a) : a));
  return launch(build, args);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`driftlab: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
