/**
 * e2e harness: the renderer served by Vite (dev server, or a production build + preview server)
 * on a free port, driven by Debian's Chromium through playwright-core with a fresh profile.
 * Nothing is skipped: without Chromium the suite fails and says how to install it.
 */
import { existsSync, mkdirSync, promises as fsp } from 'node:fs';
import { createServer as netServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { decodePng, type Image } from './png.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.DRIFTLAB_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS_DIR = path.join(projectRoot, 'test-output/e2e');
const VITE_CONFIG = path.join(projectRoot, 'renderer/vite.config.ts');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface AppHarness {
  url: string;
  page: Page;
  context: BrowserContext;
  /** console errors, page errors and CSP violations seen so far */
  problems: string[];
  /** Screenshot of the page (or one element) saved to test-output/e2e/<name>.png, decoded. */
  screenshot(name: string, target?: Locator): Promise<Image>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** 'dev': Vite dev server (what `npm run web` runs); 'preview': production build served statically */
  mode?: 'dev' | 'preview';
  viewport?: { width: number; height: number };
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The e2e suite runs in real Chromium and skips nothing: ` +
        `install it (Debian: apt-get install -y chromium; CI's .ci/run does) or point DRIFTLAB_CHROMIUM at a Chromium binary.`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(mode: 'dev' | 'preview'): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  if (mode === 'dev') {
    // no HMR and no file watching: other work in the tree must not reload the page mid-test
    const server: ViteDevServer = await createServer({
      configFile: VITE_CONFIG,
      logLevel: 'warn',
      clearScreen: false,
      server: { port, strictPort: true, host: '127.0.0.1', hmr: false, watch: null },
    });
    await server.listen();
    return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
  }
  const outDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-e2e-build-'));
  await build({ configFile: VITE_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
  const server: PreviewServer = await preview({
    configFile: VITE_CONFIG,
    logLevel: 'warn',
    build: { outDir },
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await server.close();
      await fsp.rm(outDir, { recursive: true, force: true });
    },
  };
}

export async function startApp(options: StartOptions = {}): Promise<AppHarness> {
  requireChromium();
  mkdirSync(SHOTS_DIR, { recursive: true });
  const server = await startServer(options.mode ?? 'dev');
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-e2e-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
  } catch (e) {
    await server.close();
    await fsp.rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const problems: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

  return {
    url: server.url,
    page,
    context,
    problems,
    async screenshot(name, target) {
      const file = path.join(SHOTS_DIR, `${name}.png`);
      const buf = target ? await target.screenshot({ path: file }) : await page.screenshot({ path: file });
      return decodePng(new Uint8Array(buf));
    },
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      await fsp.rm(userDataDir, { recursive: true, force: true });
    },
  };
}
