/**
 * `npm start` with what `npm ci` installs: the start script's build step (electron/start.ts) makes
 * the bundles it launches — main, preload, the renderer with its workers, tfjs wasm and presets —
 * and the main process, run on that very build with a fake electron, serves all of it over
 * driftlab://. Electron's binary cannot run here; launching is checked with a stand-in binary.
 */
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPackageJson, buildApp, launch, type AppBuild } from '../electron/start.ts';
import { fakeElectron, loadBundle, type FakeWorld } from './fake-electron.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
let tmp: string;
let build: AppBuild;
let world: FakeWorld;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-start-'));
  build = await buildApp(path.join(tmp, 'dist'), () => undefined, { sourcemap: false });
  world = fakeElectron({ userData: path.join(tmp, 'user') });
  loadBundle(build.main, await fsp.readFile(build.main, 'utf8'), world.electron);
  await world.settle();
}, 300_000);
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

const serve = async (url: string) => world.protocolHandlers.get('driftlab')!({ url });

describe('npm start', () => {
  it('is the start script, needing only installed packages (no Electron Forge)', () => {
    expect(pkg.scripts.start).toBe('tsx electron/start.ts');
    expect(pkg.scripts.dist).toBe('tsx electron/start.ts --build-only && electron-builder');
    const installed = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const dep of ['tsx', 'vite', 'electron', 'electron-builder']) expect(installed[dep], dep).toBeDefined();
    expect(Object.keys(installed).some((d) => d.startsWith('@electron-forge/'))).toBe(false);
  });

  it('builds the app folder Electron is launched on: its package.json names the app and its main process', async () => {
    const appPkg = JSON.parse(await fsp.readFile(path.join(build.dir, 'package.json'), 'utf8'));
    expect(appPkg).toEqual(appPackageJson());
    expect(appPkg).toMatchObject({ name: 'driftlab', productName: 'Driftlab', version: pkg.version, main: 'electron/main.cjs' });
    expect(path.join(build.dir, appPkg.main)).toBe(build.main);
    for (const f of [build.main, build.preload, path.join(build.dir, 'electron', 'icon.png'), build.page]) expect((await fsp.stat(f)).size, f).toBeGreaterThan(0);
  });

  it('the main process on this build opens the page over driftlab:// and serves its scripts, workers, styles and wasm', async () => {
    expect(world.windows).toHaveLength(1);
    expect(world.windows[0].loaded).toEqual(['driftlab://app/index.html']);
    expect(world.windows[0].options.webPreferences.preload).toBe(build.preload);

    const page = await serve('driftlab://app/index.html');
    expect(page.status).toBe(200);
    const html = await page.text();
    const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.some((r) => r.endsWith('.js'))).toBe(true);
    expect(refs.some((r) => r.endsWith('.css'))).toBe(true);
    for (const r of refs) {
      const res = await serve(`driftlab://app/${r}`);
      expect(res.status, r).toBe(200);
      expect(res.headers.get('content-type'), r).toMatch(r.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }

    // the lab and arena workers (module workers) are in the build and served as JavaScript
    const assets = await fsp.readdir(path.join(build.dir, 'renderer', 'assets'));
    for (const w of ['lab-worker', 'arena-worker']) {
      const file = assets.find((a) => a.startsWith(`${w}-`) && a.endsWith('.js'));
      expect(file, w).toBeDefined();
      const res = await serve(`driftlab://app/assets/${file}`);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    }
    // tfjs's wasm binaries, as the lab worker fetches them
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      const res = await serve(`driftlab://app/tfjs-wasm/${f}`);
      expect(res.headers.get('content-type'), f).toBe('application/wasm');
      expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 4)], f).toEqual([0, 0x61, 0x73, 0x6d]);
    }
  });

  it('the presets travel inside the lab worker bundle', async () => {
    const assets = await fsp.readdir(path.join(build.dir, 'renderer', 'assets'));
    const worker = await fsp.readFile(path.join(build.dir, 'renderer', 'assets', assets.find((a) => a.startsWith('lab-worker-'))!), 'utf8');
    for (const name of ['classroom', 'curse', 'calibration']) {
      const preset = JSON.parse(await fsp.readFile(path.join(root, 'presets', `${name}.json`), 'utf8')) as { description: string };
      expect(worker.includes(JSON.stringify(preset.description).slice(1, 40)), name).toBe(true);
    }
  });

  it('launches the electron binary on the app folder with the arguments given, without ELECTRON_RUN_AS_NODE', async () => {
    const fake = path.join(tmp, 'fake-electron.sh');
    const log = path.join(tmp, 'launched.txt');
    await fsp.writeFile(fake, `#!/bin/sh\nprintf '%s\\n' "$@" "run-as-node=$ELECTRON_RUN_AS_NODE" > '${log}'\nexit 3\n`, { mode: 0o755 });
    process.env.ELECTRON_RUN_AS_NODE = '1';
    try {
      expect(await launch(build, ['runs/classroom'], fake)).toBe(3);
    } finally {
      delete process.env.ELECTRON_RUN_AS_NODE;
    }
    expect((await fsp.readFile(log, 'utf8')).trim().split('\n')).toEqual([build.dir, 'runs/classroom', 'run-as-node=']);
  });
});
