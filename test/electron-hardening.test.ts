/**
 * The main process's file access under attack: a folder swapped for a symlink between the path
 * check and the use (open-then-verify), chart export names that hold : * ? " < > | /, and the
 * app:// protocol that serves the pages.
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Channels, type RunFolderInfo } from '../shared/api.ts';
import { createIpcHandlers, safeFileName } from '../electron/ipc.ts';
import { IpcError, isAllowedSenderUrl, type IpcEventLike } from '../electron/ipc-guard.ts';
import { RunFolderAccess } from '../electron/run-folder.ts';
import { APP_PAGE_URL, appUrlToFile, isInsideAsar, mimeType, serveAppFile } from '../electron/protocol.ts';

let tmp: string;
let runDir: string;
let outside: string;

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-hard-')));
  runDir = path.join(tmp, 'run');
  outside = path.join(tmp, 'outside');
  await fsp.mkdir(path.join(runDir, 'sub'), { recursive: true });
  await fsp.mkdir(outside);
  await fsp.writeFile(path.join(runDir, 'sub', 'secret.txt'), 'inside');
  await fsp.writeFile(path.join(outside, 'secret.txt'), 'top secret');
});
afterEach(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** Between the check and the use, run/sub becomes a symlink to the outside folder. */
function swapAfterCheck(): { afterResolve(): Promise<void>; swaps: number } {
  const state = {
    swaps: 0,
    async afterResolve() {
      state.swaps++;
      await fsp.rm(path.join(runDir, 'sub'), { recursive: true, force: true });
      await fsp.symlink(outside, path.join(runDir, 'sub'));
    },
  };
  return state;
}

async function refusal(p: Promise<unknown>): Promise<IpcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof IpcError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('open-then-verify: a folder swapped for a symlink after the check leads nowhere', () => {
  it('read refuses and returns nothing of the outside file', async () => {
    const hooks = swapAfterCheck();
    const access = await RunFolderAccess.open(runDir, hooks);
    const err = await refusal(access.readText('sub/secret.txt'));
    expect(hooks.swaps).toBe(1);
    expect(err.code).toBe('path');
    expect(err.message).toMatch(/sub\/secret\.txt leads outside the run folder/);
  });

  it('exists refuses rather than telling whether an outside file exists', async () => {
    const access = await RunFolderAccess.open(runDir, swapAfterCheck());
    expect((await refusal(access.exists('sub/secret.txt'))).code).toBe('path');
  });

  it('append refuses before writing a byte outside', async () => {
    const access = await RunFolderAccess.open(runDir, swapAfterCheck());
    expect((await refusal(access.append('sub/secret.txt', 'pwned'))).code).toBe('path');
    expect(await fsp.readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('write refuses before writing data outside and leaves no file there', async () => {
    const access = await RunFolderAccess.open(runDir, swapAfterCheck());
    expect((await refusal(access.write('sub/new.json', '{"pwned":true}'))).code).toBe('path');
    expect(await fsp.readdir(outside)).toEqual(['secret.txt']);
  });

  it('listing a swapped sub-folder is refused', async () => {
    const access = await RunFolderAccess.open(runDir, swapAfterCheck());
    expect((await refusal(access.list('sub'))).code).toBe('path');
  });

  it('without a swap the same calls work (the check is not a blanket refusal)', async () => {
    const access = await RunFolderAccess.open(runDir);
    expect(await access.readText('sub/secret.txt')).toBe('inside');
    expect(await access.exists('sub/secret.txt')).toBe(true);
    expect(await access.exists('sub/none.txt')).toBe(false);
    await access.append('sub/log.jsonl', '{"a":1}');
    await access.write('sub/new.json', '{}');
    expect((await access.list()).map((f) => f.path)).toEqual(['sub/log.jsonl', 'sub/new.json', 'sub/secret.txt']);
  });
});

describe('chart export names', () => {
  it.each([
    ['curse: 3 seeds', 'curse- 3 seeds'],
    ['a*b?c"d<e>f|g', 'a-b-c-d-e-f-g'],
    ['runs/../../etc/passwd-elo.png', 'runs-..-..-etc-passwd-elo.png'],
    ['back\\slash', 'back-slash'],
    ['..', 'chart'],
    [' .hidden. ', 'hidden'],
    ['CON', '_CON'],
    ['nul.png', '_nul.png'],
    ['tab\there', 'tab-here'],
  ])('%j → %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });

  it('long names are cut to 120 characters, keeping the extension', () => {
    const s = safeFileName('x'.repeat(300) + '.png');
    expect(s).toHaveLength(120);
    expect(s.endsWith('.png')).toBe(true);
  });

  it('an experiment named with :*?"<>|/ exports to a plain file in the chosen folder', async () => {
    const saved: string[] = [];
    const ipc = createIpcHandlers({
      policy: { appPageUrl: APP_PAGE_URL },
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async (_e, req) => {
        saved.push(req.defaultPath);
        return { canceled: false, filePath: path.join(tmp, path.basename(req.defaultPath)) };
      },
      appInfo: () => ({ name: 'd', version: '0', electron: '', chrome: '', node: '', platform: '', arch: '', development: false }),
      exportDir: tmp,
    });
    const ev: IpcEventLike = { senderFrame: { url: APP_PAGE_URL, parent: null }, sender: { id: 1 } };
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    const r = (await ipc.handlers[Channels.saveExport](ev, { suggestedName: 'my: "best"/run?-elo.svg', format: 'svg', data: svg })) as { saved: boolean; path: string };
    expect(saved).toEqual([path.join(tmp, 'my- -best-run--elo.svg')]);
    expect(r).toEqual({ saved: true, path: path.join(tmp, 'my- -best-run--elo.svg') });
    expect(await fsp.readFile(r.path, 'utf8')).toBe(svg);
  });
});

describe('a folder offered by the main process (command line, double-click, recent runs)', () => {
  it("is taken by the window's next Open run without a dialog, once; recent runs hear of it", async () => {
    const dialogs: string[] = [];
    const opened: [string, string][] = [];
    const ipc = createIpcHandlers({
      policy: { appPageUrl: APP_PAGE_URL },
      showOpenDialog: async (_e, req) => {
        dialogs.push(req.title);
        return { canceled: true, filePaths: [] };
      },
      showSaveDialog: async () => ({ canceled: true }),
      appInfo: () => ({ name: 'd', version: '0', electron: '', chrome: '', node: '', platform: '', arch: '', development: false }),
      onFolderOpened: (_e, folder, mode) => opened.push([folder, mode]),
    });
    const ev = (id: number): IpcEventLike => ({ senderFrame: { url: APP_PAGE_URL, parent: null }, sender: { id } });
    ipc.offerFolder(7, await RunFolderAccess.open(runDir));
    // another window does not get it
    expect(await ipc.handlers[Channels.openRunFolder](ev(8), { mode: 'open' })).toBeNull();
    const info = (await ipc.handlers[Channels.openRunFolder](ev(7), { mode: 'open' })) as RunFolderInfo;
    expect(info).toMatchObject({ name: 'run', path: runDir, files: [{ path: 'sub/secret.txt', size: 6 }] });
    expect(await ipc.handlers[Channels.readRunFile](ev(7), { path: 'sub/secret.txt', encoding: 'utf8' })).toBe('inside');
    expect(opened).toEqual([[runDir, 'open']]);
    // taken once: the next Open run shows the dialog again
    expect(await ipc.handlers[Channels.openRunFolder](ev(7), { mode: 'open' })).toBeNull();
    expect(dialogs).toHaveLength(2);
  });
});

describe('the driftlab:// protocol', () => {
  it('maps app URLs to files under the renderer folder and nothing else', () => {
    const root = '/opt/Driftlab/renderer';
    expect(appUrlToFile('driftlab://app/index.html', root)).toBe('/opt/Driftlab/renderer/index.html');
    expect(appUrlToFile('driftlab://app/', root)).toBe('/opt/Driftlab/renderer/index.html');
    expect(appUrlToFile('driftlab://app/assets/lab-worker-x.js?worker_file&type=module', root)).toBe('/opt/Driftlab/renderer/assets/lab-worker-x.js');
    expect(appUrlToFile('driftlab://app/tfjs-wasm/tfjs-backend-wasm.wasm', root)).toBe('/opt/Driftlab/renderer/tfjs-wasm/tfjs-backend-wasm.wasm');
    // dot segments are resolved by the URL parser itself: they stay at the root
    expect(appUrlToFile('driftlab://app/%2e%2e/%2e%2e/etc/passwd', root)).toBe('/opt/Driftlab/renderer/etc/passwd');
    for (const bad of [
      'driftlab://app/assets/..%2f..%2fsecret',
      'driftlab://app/a%5cb',
      'driftlab://app/a%00b',
      'driftlab://other/index.html',
      'file:///opt/Driftlab/renderer/index.html',
      'https://app/index.html',
      'not a url',
    ]) {
      expect(appUrlToFile(bad, root), bad).toBeNull();
    }
  });

  it('serves files with their MIME types (module workers, wasm) and refuses escapes', async () => {
    const root = path.join(tmp, 'renderer');
    await fsp.mkdir(path.join(root, 'assets'), { recursive: true });
    await fsp.writeFile(path.join(root, 'index.html'), '<!doctype html><title>Driftlab</title>');
    await fsp.writeFile(path.join(root, 'assets', 'w.js'), 'postMessage(1)');
    await fsp.writeFile(path.join(root, 'm.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]));
    await fsp.symlink(outside, path.join(root, 'link'));

    const page = await serveAppFile(root, 'driftlab://app/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Driftlab</title>');
    expect((await serveAppFile(root, 'driftlab://app/assets/w.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await serveAppFile(root, 'driftlab://app/m.wasm')).headers.get('content-type')).toBe('application/wasm');
    expect((await serveAppFile(root, 'driftlab://app/missing.js')).status).toBe(404);
    expect((await serveAppFile(root, 'driftlab://app/assets')).status).toBe(404);
    const escaped = await serveAppFile(root, 'driftlab://app/link/secret.txt');
    expect(escaped.status).toBe(403);
    expect(await escaped.text()).not.toContain('top secret');
    expect(mimeType('x.css')).toBe('text/css; charset=utf-8');
  });

  it('in the packaged layout (inside app.asar) it serves by path alone, still confined to the renderer folder', async () => {
    const root = path.join(tmp, 'resources', 'app.asar', 'dist', 'renderer');
    await fsp.mkdir(path.join(root, 'assets'), { recursive: true });
    await fsp.writeFile(path.join(root, 'index.html'), '<!doctype html><title>packaged</title>');
    await fsp.writeFile(path.join(tmp, 'resources', 'app.asar', 'dist', 'secret.txt'), 'no');
    expect(isInsideAsar(root)).toBe(true);
    expect(isInsideAsar(path.join(tmp, 'renderer'))).toBe(false);
    const page = await serveAppFile(root, 'driftlab://app/index.html', { 'content-security-policy': "default-src 'self'" });
    expect(await page.text()).toContain('packaged');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect((await serveAppFile(root, 'driftlab://app/%2e%2e/secret.txt')).status).toBe(404);
    expect((await serveAppFile(root, 'driftlab://app/assets')).status).toBe(404);
  });

  it('IPC answers the driftlab://app/index.html page only', () => {
    const policy = { appPageUrl: APP_PAGE_URL };
    expect(isAllowedSenderUrl('driftlab://app/index.html', policy)).toBe(true);
    expect(isAllowedSenderUrl('driftlab://app/index.html?quick=1#x', policy)).toBe(true);
    expect(isAllowedSenderUrl('driftlab://app/assets/x.html', policy)).toBe(false);
    expect(isAllowedSenderUrl('driftlab://evil/index.html', policy)).toBe(false);
    expect(isAllowedSenderUrl('file:///index.html', policy)).toBe(false);
    expect(isAllowedSenderUrl('https://app/index.html', policy)).toBe(false);
  });
});
