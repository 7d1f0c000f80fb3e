/**
 * Electron cannot run on CI, so the bundles electron/build.ts makes are checked here: the preload
 * and the main process are loaded with a fake 'electron' module and their behaviour observed
 * (window options, navigation and window.open refusal, CSP header, permissions, menus, IPC).
 */
import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, type ElectronBuildResult } from '../electron/build.ts';

const nodeRequire = createRequire(import.meta.url);
let out: string;
let built: ElectronBuildResult;

beforeAll(async () => {
  out = await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-electron-build-'));
  built = await buildElectron(path.join(out, 'electron'));
  await fsp.mkdir(path.join(out, 'renderer'));
  await fsp.writeFile(path.join(out, 'renderer', 'index.html'), '<!doctype html>');
});
afterAll(async () => {
  await fsp.rm(out, { recursive: true, force: true });
});

function requiredModules(code: string): string[] {
  return [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
}

/** Run a CommonJS bundle with `electron` replaced by a fake. */
function load(file: string, code: string, electron: unknown): void {
  const module = { exports: {} };
  const fakeRequire = (name: string) => (name === 'electron' ? electron : nodeRequire(name));
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(fakeRequire, module, module.exports, path.dirname(file), file);
}

describe('bundles', () => {
  it('the preload requires nothing but electron (sandboxed preloads cannot load more)', async () => {
    expect(requiredModules(await fsp.readFile(built.preload, 'utf8'))).toEqual(['electron']);
  });

  it('the main process requires only electron and Node built-ins (everything else is bundled)', async () => {
    for (const m of requiredModules(await fsp.readFile(built.main, 'utf8'))) {
      expect(m === 'electron' || m.startsWith('node:'), m).toBe(true);
    }
  });
});

describe('preload', () => {
  it('exposes exactly the typed driftlab API and unwraps IPC results', async () => {
    const exposed = new Map<string, Record<string, unknown>>();
    const invoked: [string, unknown][] = [];
    const renderer = new EventEmitter();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: Object.assign(renderer, {
        invoke: async (channel: string, arg: unknown) => {
          invoked.push([channel, arg]);
          if (channel === 'driftlab:read-run-file') return { ok: false, error: { code: 'path', field: 'path', message: "path: '..' would leave the run folder" } };
          return { ok: true, value: channel === 'driftlab:run-file-exists' ? true : null };
        },
      }),
    };
    load(built.preload, await fsp.readFile(built.preload, 'utf8'), electron);

    expect([...exposed.keys()]).toEqual(['driftlab']);
    const api = exposed.get('driftlab')! as Record<string, (...a: unknown[]) => Promise<unknown>> & { isElectron: boolean };
    expect(Object.keys(api).sort()).toEqual(
      ['appInfo', 'appendRunFile', 'isElectron', 'listRunFiles', 'onMenuCommand', 'openRunFolder', 'readRunFile', 'readRunFileBytes', 'runFileExists', 'saveExport', 'writeRunFile'].sort(),
    );
    expect(api.isElectron).toBe(true);

    expect(await api.runFileExists('manifest.json')).toBe(true);
    await api.writeRunFile('a.txt', 'x');
    await expect(api.readRunFile('../x')).rejects.toThrow("[path:path] path: '..' would leave the run folder");
    expect(invoked).toEqual([
      ['driftlab:run-file-exists', { path: 'manifest.json' }],
      ['driftlab:write-run-file', { path: 'a.txt', data: 'x' }],
      ['driftlab:read-run-file', { path: '../x', encoding: 'utf8' }],
    ]);
    for (const [channel] of invoked) expect(channel.startsWith('driftlab:')).toBe(true);

    // menu commands: only known ones reach the listener; unsubscribe works
    const seen: string[] = [];
    const off = (api.onMenuCommand as unknown as (l: (c: string) => void) => () => void)((c) => seen.push(c));
    renderer.emit('driftlab:menu', {}, 'open-run');
    renderer.emit('driftlab:menu', {}, 'rm -rf');
    off();
    renderer.emit('driftlab:menu', {}, 'save-run');
    expect(seen).toEqual(['open-run']);
  });
});

describe('main process (with a fake electron)', () => {
  interface FakeContents extends EventEmitter {
    id: number;
    sent: [string, unknown][];
    openHandler?: (d: unknown) => unknown;
  }
  const windows: { options: { webPreferences: Record<string, unknown> }; loaded: string[]; contents: FakeContents; fullScreen: boolean }[] = [];
  const handlers = new Map<string, (event: unknown, arg?: unknown) => Promise<unknown>>();
  let menu: { label?: string; role?: string; submenu?: { label?: string; accelerator?: string; click?: () => void }[] }[] = [];
  let headersHook: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
  let permissionHook: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    getName: () => 'Driftlab',
    getVersion: () => '0.1.0',
    getPath: () => '/home/user/Pictures',
    whenReady: () => Promise.resolve(),
    quit: () => undefined,
  });

  beforeAll(async () => {
    let nextId = 1;
    class BrowserWindow extends EventEmitter {
      static all: BrowserWindow[] = [];
      static getAllWindows = () => BrowserWindow.all;
      static getFocusedWindow = () => BrowserWindow.all[0] ?? null;
      static fromWebContents = () => BrowserWindow.all[0] ?? null;
      webContents: FakeContents;
      record: (typeof windows)[number];
      constructor(options: { webPreferences: Record<string, unknown> }) {
        super();
        const contents = Object.assign(new EventEmitter(), {
          id: nextId++,
          sent: [] as [string, unknown][],
          setWindowOpenHandler(h: (d: unknown) => unknown) {
            contents.openHandler = h;
          },
          send(channel: string, arg: unknown) {
            contents.sent.push([channel, arg]);
          },
          closeDevTools() {},
        }) as unknown as FakeContents;
        this.webContents = contents;
        this.record = { options, loaded: [], contents, fullScreen: false };
        windows.push(this.record);
        BrowserWindow.all.push(this);
        app.emit('web-contents-created', {}, contents);
      }
      loadFile(p: string) {
        this.record.loaded.push(p);
        return Promise.resolve();
      }
      loadURL(u: string) {
        this.record.loaded.push(u);
        return Promise.resolve();
      }
      isDestroyed = () => false;
      isFullScreen = () => this.record.fullScreen;
      setFullScreen = (v: boolean) => void (this.record.fullScreen = v);
      show() {}
    }
    const electron = {
      app,
      BrowserWindow,
      dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }) },
      ipcMain: { handle: (c: string, l: (e: unknown, a?: unknown) => Promise<unknown>) => handlers.set(c, l), removeHandler: (c: string) => handlers.delete(c) },
      Menu: { buildFromTemplate: (t: typeof menu) => t, setApplicationMenu: (m: typeof menu) => void (menu = m) },
      session: {
        defaultSession: {
          webRequest: { onHeadersReceived: (h: typeof headersHook) => void (headersHook = h) },
          setPermissionRequestHandler: (h: typeof permissionHook) => void (permissionHook = h),
          setPermissionCheckHandler: () => undefined,
        },
      },
    };
    load(built.main, await fsp.readFile(built.main, 'utf8'), electron);
    await new Promise((r) => setTimeout(r, 0)); // let whenReady().then run
  });

  it('opens one hardened window on the packaged page', () => {
    expect(windows).toHaveLength(1);
    const prefs = windows[0].options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
    expect(prefs.preload).toBe(path.join(out, 'electron', 'preload.cjs'));
    expect(windows[0].loaded).toEqual([path.join(out, 'renderer', 'index.html')]);
  });

  it('denies window.open and blocks navigation and webviews', () => {
    const c = windows[0].contents;
    expect(c.openHandler!({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      c.emit(ev, { preventDefault: () => (prevented = true) }, 'https://evil.example');
      expect(prevented, ev).toBe(true);
    }
  });

  it('adds the CSP header and grants only fullscreen', () => {
    let headers: Record<string, string[]> = {};
    headersHook!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders));
    expect(headers['X-Other']).toEqual(['1']);
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const asked = (p: string) => {
      let granted: boolean | undefined;
      permissionHook!({}, p, (ok) => (granted = ok));
      return granted;
    };
    expect(asked('fullscreen')).toBe(true);
    expect(asked('media')).toBe(false);
    expect(asked('geolocation')).toBe(false);
  });

  it('registers the IPC handlers, which answer only the app page', async () => {
    expect([...handlers.keys()].sort()).toEqual(
      ['app-info', 'append-run-file', 'list-run-files', 'open-run-folder', 'read-run-file', 'run-file-exists', 'save-export', 'write-run-file'].map((c) => `driftlab:${c}`),
    );
    const page = pathToFileURL(path.join(out, 'renderer', 'index.html')).href;
    const ok = await handlers.get('driftlab:app-info')!({ senderFrame: { url: page, parent: null }, sender: { id: 1 } });
    expect(ok).toMatchObject({ ok: true, value: { name: 'Driftlab', version: '0.1.0', development: false } });
    const no = await handlers.get('driftlab:app-info')!({ senderFrame: { url: 'http://localhost:5173/', parent: null }, sender: { id: 1 } });
    expect(no).toMatchObject({ ok: false, error: { code: 'sender' } });
  });

  it('has File (Open run…, Save run…, Export chart…) and View (Presenter mode, F11) menus that reach the page', () => {
    const file = menu.find((m) => m.label === '&File')!;
    const view = menu.find((m) => m.label === '&View')!;
    const labels = file.submenu!.map((i) => i.label).filter(Boolean);
    expect(labels).toEqual(['Open run…', 'Save run…', 'Export chart…']);
    const presenter = view.submenu!.find((i) => i.label === 'Presenter mode')!;
    expect(presenter.accelerator).toBe('F11');
    // no DevTools item in a packaged app
    expect(view.submenu!.some((i) => (i as { role?: string }).role === 'toggleDevTools')).toBe(false);

    file.submenu!.find((i) => i.label === 'Open run…')!.click!();
    presenter.click!();
    expect(windows[0].contents.sent).toEqual([
      ['driftlab:menu', 'open-run'],
      ['driftlab:menu', 'toggle-presenter'],
    ]);
    expect(windows[0].fullScreen).toBe(true);
  });
});
