/**
 * Electron cannot run on CI, so the bundles electron/build.ts makes are checked here: the preload
 * and the main process are loaded with a fake 'electron' module and their behaviour observed
 * (window options, navigation and window.open refusal, CSP header, permissions, menus, IPC).
 */
import { EventEmitter } from 'node:events';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, type ElectronBuildResult } from '../electron/build.ts';
import { fakeElectron, loadBundle, menuItem, type FakeWorld } from './fake-electron.ts';

let out: string;
let built: ElectronBuildResult;

beforeAll(async () => {
  out = await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-electron-build-'));
  built = await buildElectron(path.join(out, 'electron'));
  await fsp.mkdir(path.join(out, 'renderer'));
  await fsp.writeFile(path.join(out, 'renderer', 'index.html'), '<!doctype html><title>Driftlab</title>');
});
afterAll(async () => {
  await fsp.rm(out, { recursive: true, force: true });
});

function requiredModules(code: string): string[] {
  return [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
}

function load(file: string, code: string, electron: unknown): void {
  loadBundle(file, code, electron);
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
    const sentToMain: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: Object.assign(renderer, {
        send: (channel: string) => void sentToMain.push(channel),
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
      ['appInfo', 'appendRunFile', 'autosave', 'isElectron', 'listRunFiles', 'onMenuCommand', 'openRunFolder', 'readRunFile', 'readRunFileBytes', 'runFileExists', 'saveExport', 'writeRunFile'].sort(),
    );
    expect(api.isElectron).toBe(true);

    expect(await api.runFileExists('manifest.json')).toBe(true);
    await api.writeRunFile('a.txt', 'x');
    await expect(api.readRunFile('../x')).rejects.toThrow("[path:path] path: '..' would leave the run folder");
    const autosave = api.autosave as unknown as Record<'save' | 'load' | 'clear', (...a: unknown[]) => Promise<unknown>>;
    expect(Object.keys(autosave).sort()).toEqual(['clear', 'load', 'save']);
    const run = { savedAt: '2026-01-01T00:00:00.000Z', name: 'classroom', generations: 2, files: [['metrics.jsonl', '{}\n']] };
    await autosave.save({ ...run, extra: 'not sent' });
    expect(await autosave.load()).toBe(null);
    await autosave.clear();
    expect(invoked).toEqual([
      ['driftlab:run-file-exists', { path: 'manifest.json' }],
      ['driftlab:write-run-file', { path: 'a.txt', data: 'x' }],
      ['driftlab:read-run-file', { path: '../x', encoding: 'utf8' }],
      ['driftlab:autosave-save', run],
      ['driftlab:autosave-load', undefined],
      ['driftlab:autosave-clear', undefined],
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
    // subscribing tells the main process the page listens (it then sends what it queued)
    expect(sentToMain).toEqual(['driftlab:menu-ready']);
  });
});

const APP_PAGE = 'driftlab://app/index.html';
const fromPage = (id: number, sent: [string, unknown][] = []) => ({ senderFrame: { url: APP_PAGE, parent: null }, sender: { id, send: (c: string, a: unknown) => sent.push([c, a]) } });

/** Boot the built main process in a fresh fake Electron. */
async function boot(opts: { userData?: string; singleInstance?: boolean; argv?: string[]; displays?: { x: number; y: number; width: number; height: number }[]; main?: string } = {}): Promise<FakeWorld> {
  const userData = opts.userData ?? (await fsp.mkdtemp(path.join(out, 'user-')));
  const world = fakeElectron({ userData, singleInstance: opts.singleInstance, displays: opts.displays });
  const main = opts.main ?? built.main;
  loadBundle(main, await fsp.readFile(main, 'utf8'), world.electron, { argv: opts.argv, cwd: out });
  await world.settle();
  return world;
}

/** the page starts listening for menu commands (what the preload does on subscribe) */
function pageListens(world: FakeWorld, index = 0): [string, unknown][] {
  const sent: [string, unknown][] = [];
  world.listeners.get('driftlab:menu-ready')!(fromPage(world.windows[index].webContents.id, sent));
  return sent;
}

describe('main process (with a fake electron)', () => {
  let world: FakeWorld;
  beforeAll(async () => {
    world = await boot();
  });

  it('opens one hardened window on driftlab://app/index.html (not file://), Auxclick disabled, with the app icon', () => {
    expect(world.windows).toHaveLength(1);
    const prefs = world.windows[0].options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false, disableBlinkFeatures: 'Auxclick' });
    expect(prefs.preload).toBe(path.join(out, 'electron', 'preload.cjs'));
    expect(world.windows[0].loaded).toEqual([APP_PAGE]);
    expect(world.windows[0].options.icon).toBe(built.icon);
    expect(existsSync(built.icon)).toBe(true);
  });

  it('serves the page over its privileged scheme, with the CSP, and nothing outside the renderer folder', async () => {
    expect(world.privileged).toEqual([{ scheme: 'driftlab', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }]);
    const serve = world.protocolHandlers.get('driftlab')!;
    const page = await serve({ url: APP_PAGE });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Driftlab</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect((await serve({ url: 'driftlab://app/../electron/main.cjs' })).status).toBe(404);
    expect((await serve({ url: 'driftlab://app/%2e%2e/electron/main.cjs' })).status).toBe(404);
  });

  it('denies window.open and blocks navigation and webviews', () => {
    const c = world.windows[0].webContents;
    expect(c.openHandler!({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      c.emit(ev, { preventDefault: () => (prevented = true) }, 'https://evil.example');
      expect(prevented, ev).toBe(true);
    }
  });

  it('adds the CSP header and grants only fullscreen', () => {
    let headers: Record<string, string[]> = {};
    world.headersHook!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders));
    expect(headers['X-Other']).toEqual(['1']);
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const asked = (p: string) => {
      let granted: boolean | undefined;
      world.permissionHook!({}, p, (ok) => (granted = ok));
      return granted;
    };
    expect(asked('fullscreen')).toBe(true);
    expect(asked('media')).toBe(false);
  });

  it('registers the IPC handlers, which answer only the app page', async () => {
    expect([...world.handlers.keys()].sort()).toEqual(
      ['app-info', 'append-run-file', 'autosave-clear', 'autosave-load', 'autosave-save', 'list-run-files', 'open-run-folder', 'read-run-file', 'run-file-exists', 'save-export', 'write-run-file'].map((c) => `driftlab:${c}`),
    );
    const ok = await world.handlers.get('driftlab:app-info')!(fromPage(1));
    expect(ok).toMatchObject({ ok: true, value: { name: 'Driftlab', version: '0.1.0', development: false } });
    for (const url of ['http://localhost:5173/', 'file:///index.html', 'driftlab://evil/index.html']) {
      const no = await world.handlers.get('driftlab:app-info')!({ senderFrame: { url, parent: null }, sender: { id: 1 } });
      expect(no, url).toMatchObject({ ok: false, error: { code: 'sender' } });
    }
  });

  it("has native menus with shortcuts for the page's actions; they reach the page once it listens", () => {
    const m = world.menu();
    expect(menuItem(m, '&File').submenu!.map((i) => i.label).filter(Boolean)).toEqual(['Open run…', 'Open recent', 'Save run…', 'Export chart…']);
    const shortcuts = Object.fromEntries(
      [
        ['&File', 'Open run…'],
        ['&File', 'Save run…'],
        ['&File', 'Export chart…'],
        ['&Run', 'Run'],
        ['&Run', 'Pause / Resume'],
        ['&View', 'Presenter mode'],
      ].map(([a, b]) => [b, menuItem(m, a, b).accelerator]),
    );
    expect(shortcuts).toEqual({ 'Open run…': 'CmdOrCtrl+O', 'Save run…': 'CmdOrCtrl+S', 'Export chart…': 'CmdOrCtrl+E', Run: 'CmdOrCtrl+Return', 'Pause / Resume': 'CmdOrCtrl+P', 'Presenter mode': 'F11' });
    expect(menuItem(m, '&View').submenu!.some((i) => i.role === 'toggleDevTools')).toBe(false);

    // before the page listens, commands wait; then they arrive in order
    menuItem(m, '&Run', 'Run').click!();
    expect(world.windows[0].webContents.sent).toEqual([]);
    expect(pageListens(world)).toEqual([['driftlab:menu', 'run']]);
    menuItem(m, '&Run', 'Pause / Resume').click!();
    menuItem(m, '&File', 'Open run…').click!();
    menuItem(m, '&File', 'Save run…').click!();
    menuItem(m, '&File', 'Export chart…').click!();
    menuItem(m, '&View', 'Presenter mode').click!();
    expect(world.windows[0].webContents.sent.map(([, c]) => c)).toEqual(['pause', 'open-run', 'save-run', 'export-chart', 'toggle-presenter']);
    expect(world.windows[0].fullScreen).toBe(true);
    // a frame that is not the app page cannot claim to listen
    world.listeners.get('driftlab:menu-ready')!({ senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 99, send: () => undefined } });
  });

  it('About shows the app version and what it runs on', async () => {
    menuItem(world.menu(), '&Help', 'About Driftlab').click!();
    await world.settle();
    const box = world.messageBoxes.at(-1)!;
    expect(box.message).toBe('Driftlab 0.1.0');
    expect(box.detail).toContain(`Node ${process.versions.node}`);
    expect(box.detail).toMatch(/Electron .*\nChromium /);
  });
});

describe('recent runs', () => {
  it('a folder opened or saved through the dialog joins Open recent (and the OS list); choosing it opens it without a dialog', async () => {
    const world = await boot();
    const sent = pageListens(world);
    const runA = await fsp.mkdtemp(path.join(out, 'runA-'));
    await fsp.writeFile(path.join(runA, 'manifest.json'), '{}');
    world.openDialogResult = { canceled: false, filePaths: [runA] };
    const opened = (await world.handlers.get('driftlab:open-run-folder')!(fromPage(world.windows[0].webContents.id), { mode: 'open' })) as { ok: boolean };
    expect(opened.ok).toBe(true);
    await world.settle();
    const recent = () => menuItem(world.menu(), '&File', 'Open recent').submenu!;
    expect(recent().map((i) => i.label)).toEqual([runA, undefined, 'Clear recent runs']);
    expect(world.app.recentDocs).toEqual([runA]);
    expect(JSON.parse(await fsp.readFile(path.join(world.app.getPath('userData'), 'recent-runs.json'), 'utf8'))).toEqual([runA]);

    // choosing it: the page is told to open, and its Open run takes the folder without a dialog
    const dialogsBefore = world.openDialogs;
    recent()[0].click!();
    await world.settle();
    expect(world.windows[0].webContents.sent.at(-1)).toEqual(['driftlab:menu', 'open-run']);
    const again = (await world.handlers.get('driftlab:open-run-folder')!(fromPage(world.windows[0].webContents.id), { mode: 'open' })) as { ok: true; value: { path: string; files: { path: string }[] } };
    expect(again.value.path).toBe(runA);
    expect(again.value.files.map((f) => f.path)).toEqual(['manifest.json']);
    expect(world.openDialogs).toBe(dialogsBefore);
    expect(sent).toEqual([]);

    // a later start remembers the list; a run that is gone is dropped with a message
    const second = await boot({ userData: world.app.getPath('userData') });
    const items = menuItem(second.menu(), '&File', 'Open recent').submenu!;
    expect(items[0].label).toBe(runA);
    await fsp.rm(runA, { recursive: true });
    items[0].click!();
    await second.settle();
    expect(second.messageBoxes.at(-1)!.message).toBe(`${runA} is no longer there`);
    expect(menuItem(second.menu(), '&File', 'Open recent').submenu!.map((i) => i.label)).toEqual(['No recent runs']);

    // Clear recent runs
    world.openDialogResult = { canceled: false, filePaths: [out] };
    await world.handlers.get('driftlab:open-run-folder')!(fromPage(world.windows[0].webContents.id), { mode: 'open' });
    await world.settle();
    menuItem(world.menu(), '&File', 'Open recent', 'Clear recent runs').click!();
    await world.settle();
    expect(menuItem(world.menu(), '&File', 'Open recent').submenu!.map((i) => i.label)).toEqual(['No recent runs']);
    expect(world.app.recentDocs).toEqual([]);
  });
});

describe('autosave', () => {
  it('the current run is autosaved as a run folder in the user data and read back by the next start', async () => {
    const world = await boot();
    const id = world.windows[0].webContents.id;
    const run = { savedAt: '2026-01-01T00:00:00.000Z', name: 'classroom', generations: 1, files: [['manifest.json', '{"name":"classroom"}\n'], ['metrics.jsonl', '{"generation":0}\n']] };
    expect(await world.handlers.get('driftlab:autosave-save')!(fromPage(id), run)).toEqual({ ok: true, value: undefined });
    const folder = path.join(world.app.getPath('userData'), 'autosave', 'current');
    expect(await fsp.readFile(path.join(folder, 'metrics.jsonl'), 'utf8')).toBe('{"generation":0}\n');
    const again = await boot({ userData: world.app.getPath('userData') });
    expect(await again.handlers.get('driftlab:autosave-load')!(fromPage(again.windows[0].webContents.id))).toEqual({ ok: true, value: run });
    // another page may not read or replace it
    const stranger = { senderFrame: { url: 'https://example.com/', parent: null }, sender: { id } };
    expect(await again.handlers.get('driftlab:autosave-load')!(stranger)).toMatchObject({ ok: false, error: { code: 'sender' } });
    expect(await again.handlers.get('driftlab:autosave-save')!(stranger, run)).toMatchObject({ ok: false, error: { code: 'sender' } });
  });
});

describe('window size and position', () => {
  it('are saved on close and restored at the next start; a position off every display is dropped', async () => {
    const world = await boot();
    const userData = world.app.getPath('userData');
    Object.assign(world.windows[0].bounds, { x: 200, y: 120, width: 1300, height: 800 });
    world.windows[0].emit('close');
    await world.settle();
    const again = await boot({ userData });
    expect(again.windows[0].options).toMatchObject({ x: 200, y: 120, width: 1300, height: 800 });

    // the monitor it was on is gone: same size, the system places it
    const moved = await boot({ userData, displays: [{ x: 0, y: 0, width: 180, height: 1080 }, { x: 5000, y: 0, width: 1400, height: 900 }] });
    expect(moved.windows[0].options).toMatchObject({ width: 1300, height: 800 });
    expect(moved.windows[0].options.x).toBeUndefined();

    // a damaged file: the default size
    await fsp.writeFile(path.join(userData, 'window-state.json'), '{"bounds": ');
    expect((await boot({ userData })).windows[0].options).toMatchObject({ width: 1440, height: 900 });
  });
});

describe('single instance and runs given on the command line', () => {
  it('a second start quits at once (it hands its arguments to the first)', async () => {
    const world = await boot({ singleInstance: false });
    expect(world.app.quitCalls).toBe(1);
    expect(world.windows).toHaveLength(0);
  });

  it('a run folder on the command line opens when the page is ready', async () => {
    const run = await fsp.mkdtemp(path.join(out, 'argv-run-'));
    await fsp.writeFile(path.join(run, 'metrics.jsonl'), '');
    const world = await boot({ argv: ['/opt/Driftlab/driftlab', '--no-sandbox', path.basename(run)] });
    expect(world.windows[0].webContents.sent).toEqual([]);
    expect(pageListens(world)).toEqual([['driftlab:menu', 'open-run']]);
    const r = (await world.handlers.get('driftlab:open-run-folder')!(fromPage(world.windows[0].webContents.id), { mode: 'open' })) as { value: { path: string } };
    expect(r.value.path).toBe(await fsp.realpath(run));
  });

  it('a second instance with a bundle: the first window comes forward and opens it, imported as a run folder', async () => {
    const world = await boot();
    pageListens(world);
    const files = { 'manifest.json': '{"format":"driftlab-run"}', 'metrics.jsonl': '{"kind":"generation"}\n', 'checkpoints/s1/g0.json': '{}' };
    const bundle = path.join(out, 'my: run.driftlab');
    await fsp.writeFile(bundle, JSON.stringify({ format: 'driftlab-run-bundle', formatVersion: 1, name: 'my: run', files }));
    const focusedBefore = world.windows[0].focused;
    world.app.emit('second-instance', {}, ['/opt/Driftlab/driftlab', bundle], '/');
    await world.settle();
    expect(world.windows).toHaveLength(1);
    expect(world.windows[0].focused).toBe(focusedBefore + 1);
    expect(world.windows[0].webContents.sent.at(-1)).toEqual(['driftlab:menu', 'open-run']);
    const r = (await world.handlers.get('driftlab:open-run-folder')!(fromPage(world.windows[0].webContents.id), { mode: 'open' })) as { value: { path: string; files: { path: string }[] } };
    expect(r.value.path).toBe(path.join(await fsp.realpath(world.app.getPath('userData')), 'imported', 'my- run'));
    expect(r.value.files.map((f) => f.path)).toEqual(['checkpoints/s1/g0.json', 'manifest.json', 'metrics.jsonl']);

    // a bad bundle: a message naming the file and the problem, nothing opened
    const bad = path.join(out, 'bad.driftlab');
    await fsp.writeFile(bad, JSON.stringify({ format: 'driftlab-run-bundle', formatVersion: 1, files: { '../x.json': '{}' } }));
    const sentBefore = world.windows[0].webContents.sent.length;
    world.app.emit('second-instance', {}, ['/opt/Driftlab/driftlab', bad], '/');
    await world.settle();
    expect(world.messageBoxes.at(-1)).toMatchObject({ type: 'error', message: `Driftlab could not open ${bad}`, detail: expect.stringMatching(/\.\.\/x\.json: is not a relative path/) });
    expect(world.windows[0].webContents.sent.length).toBe(sentBefore);

    // arguments that are no run just bring the window forward
    world.app.emit('second-instance', {}, ['/opt/Driftlab/driftlab', '--flag', '/no/such/thing'], '/');
    await world.settle();
    expect(world.windows[0].focused).toBe(focusedBefore + 3);
  });

  it('macOS open-file (double-click) opens the folder too', async () => {
    const world = await boot();
    pageListens(world);
    let prevented = false;
    world.app.emit('open-file', { preventDefault: () => (prevented = true) }, out);
    await world.settle();
    expect(prevented).toBe(true);
    expect(world.windows[0].webContents.sent.at(-1)).toEqual(['driftlab:menu', 'open-run']);
  });
});

describe('a clear message instead of a blank window', () => {
  const failurePage = (url: string) => decodeURIComponent(url.replace(/^data:text\/html;charset=utf-8,/, ''));

  it('when the page is not built', async () => {
    const bare = await fsp.mkdtemp(path.join(out, 'bare-'));
    const b = await buildElectron(path.join(bare, 'electron'));
    const world = await boot({ main: b.main });
    const loaded = world.windows[0].loaded;
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatch(/^data:text\/html/);
    expect(failurePage(loaded[0])).toContain('Driftlab is not built');
    expect(failurePage(loaded[0])).toContain(path.join(bare, 'renderer', 'index.html'));
  });

  it('when the page fails to load or its process dies', async () => {
    const world = await boot();
    const c = world.windows[0].webContents;
    c.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', APP_PAGE, true);
    expect(failurePage(world.windows[0].loaded.at(-1)!)).toMatch(/could not load its page[\s\S]*ERR_FILE_NOT_FOUND \(-6\)/);
    c.emit('did-fail-load', {}, -3, 'ERR_ABORTED', APP_PAGE, true); // an aborted load is no failure
    c.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'driftlab://app/x.png', false); // nor a sub-frame's
    expect(world.windows[0].loaded).toHaveLength(2);
    c.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(failurePage(world.windows[0].loaded.at(-1)!)).toMatch(/The Driftlab page stopped[\s\S]*crashed \(exit code 11\)/);
    // the page escapes what it shows
    c.emit('did-fail-load', {}, -2, '<script>alert(1)</script>', APP_PAGE, true);
    expect(failurePage(world.windows[0].loaded.at(-1)!)).not.toContain('<script>alert');
  });
});
