/**
 * The renderer as a Vite web app: `npm run web` (dev server), `npm run build:web` (→ dist/renderer).
 * The same build is Electron's renderer (loaded from file://, hence `base: './'`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..');
const wasmSource = path.join(projectRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

/** Folder (relative to the page) that holds tfjs-backend-wasm's .wasm files; see lab-client.ts tfjsWasmBase(). */
export const TFJS_WASM_DIR = 'tfjs-wasm';

/** Serve tfjs-backend-wasm's .wasm files at ./tfjs-wasm/ in dev, and copy them into the build. */
function tfjsWasm(): Plugin {
  const files = () => readdirSync(wasmSource).filter((f) => f.endsWith('.wasm'));
  return {
    name: 'driftlab:tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        const m = new RegExp(`/${TFJS_WASM_DIR}/([\\w.-]+\\.wasm)$`).exec(url);
        if (!m || !files().includes(m[1])) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(path.join(wasmSource, m[1])));
      });
    },
    generateBundle() {
      for (const f of files()) {
        this.emitFile({ type: 'asset', fileName: `${TFJS_WASM_DIR}/${f}`, source: readFileSync(path.join(wasmSource, f)) });
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  plugins: [tfjsWasm()],
  build: {
    outDir: path.join(projectRoot, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    sourcemap: true,
  },
  worker: { format: 'es' },
  // pre-bundle the heavy dependencies up front, so the first page load does not trigger a re-optimise + reload
  // (the workers' dependencies too: a dependency discovered late makes Vite re-optimise, and pages
  // that loaded the old bundles fail with "Outdated Optimize Dep")
  optimizeDeps: {
    entries: ['index.html', 'lab-worker.ts', 'arena-worker.ts', 'render-worker.ts', 'chart-worker.ts'],
    include: [
      'pixi.js',
      'pixi.js/unsafe-eval',
      'matter-js',
      'vega',
      'vega-lite',
      'vega-interpreter',
      'zod',
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@preact/signals-core',
    ],
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [projectRoot] },
  },
  preview: { host: '127.0.0.1' },
});
