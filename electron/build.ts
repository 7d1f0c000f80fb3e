/**
 * Bundle the main process and the preload with esbuild (Vite's bundler) into dist/electron/ (CommonJS: the preload
 * must be, since sandboxed preloads cannot be ES modules; main follows for one format).
 * Usage: `npm run build:electron` (tsx electron/build.ts [outDir]).
 */
import { build, type BuildOptions } from 'esbuild';
import { copyFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ElectronBuildResult {
  main: string;
  preload: string;
  /** the window and About box icon (build/icon.png), beside main.cjs */
  icon: string;
}

export async function buildElectron(outDir = path.join(projectRoot, 'dist/electron'), options: { minify?: boolean } = {}): Promise<ElectronBuildResult> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    sourcemap: true,
    minify: options.minify ?? false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  const main = path.join(outDir, 'main.cjs');
  const preload = path.join(outDir, 'preload.cjs');
  await build({ ...common, entryPoints: [path.join(projectRoot, 'electron/main.ts')], outfile: main });
  await build({ ...common, entryPoints: [path.join(projectRoot, 'electron/preload.ts')], outfile: preload });
  const icon = path.join(outDir, 'icon.png');
  await copyFile(path.join(projectRoot, 'build/icon.png'), icon);
  return { main, preload, icon };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  buildElectron(out).then(
    (r) => console.log(`built ${path.relative(process.cwd(), r.main)} and ${path.relative(process.cwd(), r.preload)}`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
