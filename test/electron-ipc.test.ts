import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Channels, type InvokeChannel, type IpcResult, type RunFolderInfo } from '../shared/api.ts';
import { createIpcHandlers, registerIpcHandlers, toIpcResult, type IpcDeps, type OpenDialogRequest, type SaveDialogRequest } from '../electron/ipc.ts';
import { checkSender, contentSecurityPolicy, IpcError, isAllowedSenderUrl, type IpcEventLike } from '../electron/ipc-guard.ts';
import { atomicWriteFile, checkRelativePath, RunFolderAccess } from '../electron/run-folder.ts';

const APP_PAGE = pathToFileURL('/opt/Driftlab/resources/app.asar/dist/renderer/index.html').href;
const DEV = 'http://localhost:5173/';
const policy = { appPageUrl: APP_PAGE, devServerUrl: DEV };

function event(url: string, id = 1, parent: unknown = null): IpcEventLike {
  return { senderFrame: { url, parent }, sender: { id } };
}
const fromApp = (id = 1) => event(APP_PAGE + '#/lab', id);

let tmp: string;
let runDir: string;
let outside: string;

beforeEach(async () => {
  tmp = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-ipc-')));
  runDir = path.join(tmp, 'run');
  outside = path.join(tmp, 'outside');
  await fsp.mkdir(runDir);
  await fsp.mkdir(outside);
  await fsp.writeFile(path.join(outside, 'secret.txt'), 'top secret');
});
afterEach(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

interface Harness {
  call(channel: InvokeChannel, arg?: unknown, ev?: IpcEventLike): Promise<unknown>;
  openDialogs: OpenDialogRequest[];
  saveDialogs: SaveDialogRequest[];
  ipc: ReturnType<typeof createIpcHandlers>;
}

function harness(over: Partial<IpcDeps> & { pick?: string | null; saveTo?: string | null } = {}): Harness {
  const openDialogs: OpenDialogRequest[] = [];
  const saveDialogs: SaveDialogRequest[] = [];
  const deps: IpcDeps = {
    policy,
    showOpenDialog: async (_e, req) => {
      openDialogs.push(req);
      const pick = over.pick === undefined ? runDir : over.pick;
      return pick === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [pick] };
    },
    showSaveDialog: async (_e, req) => {
      saveDialogs.push(req);
      const to = over.saveTo === undefined ? path.join(tmp, 'export') : over.saveTo;
      return to === null ? { canceled: true } : { canceled: false, filePath: to };
    },
    appInfo: () => ({ name: 'driftlab', version: '0.1.0', electron: '45', chrome: '140', node: '22', platform: 'linux', arch: 'x64', development: false }),
    ...over,
  };
  const ipc = createIpcHandlers(deps);
  return { ipc, openDialogs, saveDialogs, call: (channel, arg, ev = fromApp()) => ipc.handlers[channel](ev, arg) };
}

async function rejection(p: Promise<unknown>): Promise<IpcError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(IpcError);
    return e as IpcError;
  }
  throw new Error('expected the call to be rejected');
}

describe('sender validation', () => {
  it('accepts the app page (with hash/query) and the dev server origin', () => {
    expect(isAllowedSenderUrl(APP_PAGE, policy)).toBe(true);
    expect(isAllowedSenderUrl(APP_PAGE + '?x=1#g3', policy)).toBe(true);
    expect(isAllowedSenderUrl('http://localhost:5173/index.html?preset=classroom', policy)).toBe(true);
  });

  it.each([
    ['another web origin', 'https://evil.example/index.html'],
    ['same host, other port', 'http://localhost:5174/'],
    ['dev server host spelled differently', 'http://127.0.0.1:5173/'],
    ['another file on disk', pathToFileURL('/tmp/evil/index.html').href],
    ['a sibling file of the app page', APP_PAGE.replace('index.html', 'other.html')],
    ['a data: URL', 'data:text/html,<script>1</script>'],
    ['about:blank', 'about:blank'],
    ['garbage', 'not a url'],
  ])('rejects %s', (_label, url) => {
    expect(isAllowedSenderUrl(url, policy)).toBe(false);
    expect(() => checkSender(event(url), policy)).toThrow(/not the app page/);
  });

  it('trusts no dev server when none is configured (production)', () => {
    expect(isAllowedSenderUrl(DEV, { appPageUrl: APP_PAGE })).toBe(false);
    expect(isAllowedSenderUrl(DEV, { appPageUrl: APP_PAGE, devServerUrl: null })).toBe(false);
  });

  it('rejects sub-frames and vanished frames', () => {
    expect(() => checkSender(event(APP_PAGE, 1, { url: APP_PAGE }), policy)).toThrow(/sub-frames/);
    expect(() => checkSender({ senderFrame: null, sender: { id: 1 } }, policy)).toThrow(/frame is gone/);
  });

  it('every handler refuses a foreign sender before doing anything', async () => {
    const h = harness();
    const foreign = event('https://evil.example/');
    const args: Record<InvokeChannel, unknown> = {
      [Channels.appInfo]: undefined,
      [Channels.openRunFolder]: { mode: 'open' },
      [Channels.listRunFiles]: {},
      [Channels.readRunFile]: { path: 'a.txt', encoding: 'utf8' },
      [Channels.writeRunFile]: { path: 'a.txt', data: 'x' },
      [Channels.appendRunFile]: { path: 'a.txt', line: 'x' },
      [Channels.runFileExists]: { path: 'a.txt' },
      [Channels.saveExport]: { suggestedName: 'a', format: 'svg', data: '<svg></svg>' },
    };
    for (const channel of Object.keys(h.ipc.handlers) as InvokeChannel[]) {
      const err = await rejection(h.call(channel, args[channel], foreign));
      expect(err.code, channel).toBe('sender');
    }
    expect(h.openDialogs).toHaveLength(0);
    expect(h.saveDialogs).toHaveLength(0);
    expect(await fsp.readdir(runDir)).toEqual([]);
  });
});

describe('argument validation names the field', () => {
  it.each([
    [Channels.openRunFolder, { mode: 'delete' }, 'mode'],
    [Channels.openRunFolder, {}, 'mode'],
    [Channels.readRunFile, { path: 'a.txt' }, 'encoding'],
    [Channels.readRunFile, { path: 42, encoding: 'utf8' }, 'path'],
    [Channels.writeRunFile, { path: 'a.txt', data: { evil: true } }, 'data'],
    [Channels.writeRunFile, { path: 'a.txt', data: 'x', extra: 1 }, '(argument)'],
    [Channels.appendRunFile, { path: 'metrics.jsonl', line: 'a\nb' }, 'line'],
    [Channels.saveExport, { suggestedName: 'a\u0000b', format: 'png', data: new Uint8Array(8) }, 'suggestedName'],
    [Channels.saveExport, { suggestedName: 'elo', format: 'png', data: new Uint8Array([1, 2, 3]) }, 'data'],
    [Channels.saveExport, { suggestedName: 'elo', format: 'svg', data: 'hello' }, 'data'],
    [Channels.saveExport, { suggestedName: 'elo', format: 'gif', data: 'x' }, 'data'],
    [Channels.saveExport, { suggestedName: 'g3', format: 'webm', data: new Uint8Array([0x47, 0x49, 0x46, 0x38]) }, 'data'],
    [Channels.saveExport, { suggestedName: 'elo', format: 'mp4', data: new Uint8Array(8) }, 'format'],
  ] as [InvokeChannel, unknown, string][])('%s %j → %s', async (channel, arg, field) => {
    const h = harness();
    await h.call(Channels.openRunFolder, { mode: 'open' });
    const err = await rejection(h.call(channel, arg));
    expect(err.code).toBe('args');
    expect(err.field).toBe(field);
    expect(err.message).toContain(`${field}:`);
  });

  it('a non-object argument is rejected', async () => {
    const h = harness();
    const err = await rejection(h.call(Channels.listRunFiles, 'metrics.jsonl'));
    expect(err.code).toBe('args');
  });
});

describe('RunFolderAccess: paths stay inside the run folder', () => {
  it.each([
    ['..', '../outside/secret.txt'],
    ['.. in the middle', 'samples/../../outside/secret.txt'],
    ['absolute posix', '/etc/passwd'],
    ['absolute windows', 'C:/Windows/win.ini'],
    ['backslashes', '..\\outside\\secret.txt'],
    ['empty segment', 'samples//a.json'],
    ['dot segment', './metrics.jsonl'],
    ['empty', ''],
    ['NUL', 'a\0b'],
  ])('refuses %s', (_label, rel) => {
    const err = (() => {
      try {
        checkRelativePath(rel);
      } catch (e) {
        return e as IpcError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(IpcError);
    expect(err!.code).toBe('path');
    expect(err!.field).toBe('path');
  });

  it('refuses traversal through the handlers and leaves the outside untouched', async () => {
    const h = harness();
    await h.call(Channels.openRunFolder, { mode: 'open' });
    for (const p of ['../outside/secret.txt', '/tmp/x', 'a/../../outside/secret.txt']) {
      expect((await rejection(h.call(Channels.readRunFile, { path: p, encoding: 'utf8' }))).code).toBe('path');
      expect((await rejection(h.call(Channels.writeRunFile, { path: p, data: 'pwned' }))).code).toBe('path');
    }
    expect(await fsp.readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('refuses symlinks that lead out of the folder, follows those that stay in', async () => {
    await fsp.symlink(outside, path.join(runDir, 'escape'));
    await fsp.symlink(path.join(outside, 'secret.txt'), path.join(runDir, 'secret-link.txt'));
    await fsp.mkdir(path.join(runDir, 'samples'));
    await fsp.writeFile(path.join(runDir, 'samples', 'g0.json'), '{"ok":true}');
    await fsp.symlink(path.join(runDir, 'samples'), path.join(runDir, 'latest'));
    const f = await RunFolderAccess.open(runDir);

    await expect(f.readText('escape/secret.txt')).rejects.toThrow(/outside the run folder through a symlink/);
    await expect(f.readText('secret-link.txt')).rejects.toThrow(/symlink/);
    await expect(f.write('escape/new.txt', 'x')).rejects.toThrow(/symlink/);
    await expect(f.append('escape/new.txt', 'x')).rejects.toThrow(/symlink/);
    await expect(f.exists('escape/secret.txt')).rejects.toThrow(/symlink/);
    expect(await fsp.readdir(outside)).toEqual(['secret.txt']);

    expect(await f.readText('latest/g0.json')).toBe('{"ok":true}');
    // listings never include symlinks
    expect((await f.list()).map((e) => e.path)).toEqual(['samples/g0.json']);
  });

  it('a run folder reached through a symlink is used by its real path', async () => {
    const alias = path.join(tmp, 'alias');
    await fsp.symlink(runDir, alias);
    const f = await RunFolderAccess.open(alias);
    expect(f.root).toBe(runDir);
    await f.write('a.txt', 'x');
    expect(await fsp.readFile(path.join(runDir, 'a.txt'), 'utf8')).toBe('x');
  });

  it('refuses a run folder that is not an existing absolute folder', async () => {
    await expect(RunFolderAccess.open('relative/run')).rejects.toThrow(/absolute/);
    await expect(RunFolderAccess.open(path.join(tmp, 'nope'))).rejects.toThrow(/does not exist/);
    await expect(RunFolderAccess.open(path.join(outside, 'secret.txt'))).rejects.toThrow(/not a folder/);
  });
});

describe('atomic writes', () => {
  it('replaces the file whole and leaves no temp file', async () => {
    const file = path.join(runDir, 'manifest.json');
    await fsp.writeFile(file, 'old');
    await atomicWriteFile(file, JSON.stringify({ seed: 1 }));
    expect(JSON.parse(await fsp.readFile(file, 'utf8'))).toEqual({ seed: 1 });
    expect(await fsp.readdir(runDir)).toEqual(['manifest.json']);
  });

  it('keeps the old contents when the write fails (target is a folder)', async () => {
    await fsp.mkdir(path.join(runDir, 'checkpoints'));
    await expect(atomicWriteFile(path.join(runDir, 'checkpoints'), 'x')).rejects.toThrow();
    expect((await fsp.stat(path.join(runDir, 'checkpoints'))).isDirectory()).toBe(true);
    expect(await fsp.readdir(runDir)).toEqual(['checkpoints']);
  });

  it('writes through a rename: a reader holding the old file never sees a mix', async () => {
    const file = path.join(runDir, 'metrics.json');
    await fsp.writeFile(file, 'A'.repeat(100_000));
    const before = await fsp.open(file, 'r');
    const inoBefore = (await before.stat()).ino;
    await atomicWriteFile(file, 'B'.repeat(50_000));
    // the open handle still reads the complete old file: the new one is a different inode
    const old = await before.readFile('utf8');
    await before.close();
    expect(old).toBe('A'.repeat(100_000));
    expect((await fsp.stat(file)).ino).not.toBe(inoBefore);
    expect(await fsp.readFile(file, 'utf8')).toBe('B'.repeat(50_000));
  });
});

describe('run folder handlers', () => {
  it('open → write (text and bytes, nested) → list → read → append → exists', async () => {
    const h = harness();
    await fsp.writeFile(path.join(runDir, 'summary.md'), '# run');
    const info = (await h.call(Channels.openRunFolder, { mode: 'open' })) as RunFolderInfo;
    expect(info).toEqual({ name: 'run', path: runDir, files: [{ path: 'summary.md', size: 5 }] });
    expect(h.openDialogs[0].properties).toEqual(['openDirectory']);

    await h.call(Channels.writeRunFile, { path: 'manifest.json', data: '{"seed":7}' });
    await h.call(Channels.writeRunFile, { path: 'checkpoints/g1/weights.bin', data: new Uint8Array([1, 2, 3, 250]) });
    await h.call(Channels.appendRunFile, { path: 'metrics.jsonl', line: '{"generation":0}' });
    await h.call(Channels.appendRunFile, { path: 'metrics.jsonl', line: '{"generation":1}' });

    expect(await h.call(Channels.listRunFiles, {})).toEqual([
      { path: 'checkpoints/g1/weights.bin', size: 4 },
      { path: 'manifest.json', size: 10 },
      { path: 'metrics.jsonl', size: 34 },
      { path: 'summary.md', size: 5 },
    ]);
    expect(await h.call(Channels.listRunFiles, { dir: 'checkpoints' })).toEqual([{ path: 'checkpoints/g1/weights.bin', size: 4 }]);
    expect(await h.call(Channels.readRunFile, { path: 'manifest.json', encoding: 'utf8' })).toBe('{"seed":7}');
    expect(await h.call(Channels.readRunFile, { path: 'checkpoints/g1/weights.bin', encoding: 'bytes' })).toEqual(new Uint8Array([1, 2, 3, 250]));
    expect(await h.call(Channels.readRunFile, { path: 'metrics.jsonl', encoding: 'utf8' })).toBe('{"generation":0}\n{"generation":1}\n');
    expect(await h.call(Channels.readRunFile, { path: 'missing.json', encoding: 'utf8' })).toBeNull();
    expect(await h.call(Channels.runFileExists, { path: 'manifest.json' })).toBe(true);
    expect(await h.call(Channels.runFileExists, { path: 'nope.json' })).toBe(false);
  });

  it('file calls before a folder is chosen, or after cancel, say so', async () => {
    const h = harness({ pick: null });
    expect(await h.call(Channels.openRunFolder, { mode: 'open' })).toBeNull();
    const err = await rejection(h.call(Channels.readRunFile, { path: 'manifest.json', encoding: 'utf8' }));
    expect(err.code).toBe('no-folder');
  });

  it('each window has its own folder; forget() drops it', async () => {
    const h = harness();
    await h.call(Channels.openRunFolder, { mode: 'open' }, fromApp(1));
    expect((await rejection(h.call(Channels.listRunFiles, {}, fromApp(2)))).code).toBe('no-folder');
    await h.call(Channels.listRunFiles, {}, fromApp(1));
    h.ipc.forget(1);
    expect((await rejection(h.call(Channels.listRunFiles, {}, fromApp(1)))).code).toBe('no-folder');
  });

  it("'create' mode offers folder creation and creates the chosen folder", async () => {
    const fresh = path.join(tmp, 'new-run');
    const h = harness({ pick: fresh });
    const info = (await h.call(Channels.openRunFolder, { mode: 'create' })) as RunFolderInfo;
    expect(h.openDialogs[0].properties).toContain('createDirectory');
    expect(info.path).toBe(fresh);
    expect((await fsp.stat(fresh)).isDirectory()).toBe(true);
  });
});

describe('saveExport and appInfo', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

  it('writes PNG bytes where the dialog says, adding the extension', async () => {
    const h = harness({ saveTo: path.join(tmp, 'elo-chart') });
    const r = await h.call(Channels.saveExport, { suggestedName: 'elo', format: 'png', data: png });
    expect(r).toEqual({ saved: true, path: path.join(tmp, 'elo-chart.png') });
    expect(new Uint8Array(await fsp.readFile(path.join(tmp, 'elo-chart.png')))).toEqual(png);
    expect(h.saveDialogs[0].defaultPath).toBe('elo.png');
    expect(h.saveDialogs[0].filters).toEqual([{ name: 'PNG image', extensions: ['png'] }]);
  });

  it('writes a replay as GIF or WebM bytes (renderer/replay-export.ts), with its own filter', async () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b]);
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80]);
    const h = harness({ saveTo: path.join(tmp, 'g3') });
    expect(await h.call(Channels.saveExport, { suggestedName: 'classroom-grounded-g3-s1.gif', format: 'gif', data: gif })).toEqual({ saved: true, path: path.join(tmp, 'g3.gif') });
    expect(new Uint8Array(await fsp.readFile(path.join(tmp, 'g3.gif')))).toEqual(gif);
    expect(h.saveDialogs[0]).toMatchObject({ title: 'Export replay', defaultPath: 'classroom-grounded-g3-s1.gif', filters: [{ name: 'Animated GIF', extensions: ['gif'] }] });
    expect(await h.call(Channels.saveExport, { suggestedName: 'g3', format: 'webm', data: webm })).toEqual({ saved: true, path: path.join(tmp, 'g3.webm') });
    expect(h.saveDialogs[1].filters).toEqual([{ name: 'WebM video', extensions: ['webm'] }]);
  });

  it('writes SVG text; a cancelled dialog writes nothing', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    const h = harness({ saveTo: path.join(tmp, 'tails.svg'), exportDir: '/home/u/Pictures' });
    expect(await h.call(Channels.saveExport, { suggestedName: 'tails.svg', format: 'svg', data: svg })).toEqual({ saved: true, path: path.join(tmp, 'tails.svg') });
    expect(await fsp.readFile(path.join(tmp, 'tails.svg'), 'utf8')).toBe(svg);
    expect(h.saveDialogs[0].defaultPath).toBe('/home/u/Pictures/tails.svg');

    const c = harness({ saveTo: null });
    expect(await c.call(Channels.saveExport, { suggestedName: 'x', format: 'svg', data: svg })).toEqual({ saved: false });
  });

  it('app info answers the app page only', async () => {
    const h = harness();
    expect(await h.call(Channels.appInfo)).toMatchObject({ name: 'driftlab', version: '0.1.0' });
    expect((await rejection(h.call(Channels.appInfo, undefined, event('https://evil.example/')))).code).toBe('sender');
  });
});

describe('registration and results', () => {
  it('registers every channel with the driftlab: prefix and answers with IpcResult', async () => {
    const h = harness();
    const registered = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    const unregister = registerIpcHandlers({ handle: (c, l) => void registered.set(c, l), removeHandler: (c) => void registered.delete(c) }, h.ipc);
    expect([...registered.keys()].sort()).toEqual(Object.keys(h.ipc.handlers).sort());
    for (const c of registered.keys()) expect(c.startsWith('driftlab:')).toBe(true);

    const ok = (await registered.get(Channels.appInfo)!(fromApp(), undefined)) as IpcResult<{ name: string }>;
    expect(ok).toMatchObject({ ok: true, value: { name: 'driftlab' } });
    const bad = (await registered.get(Channels.readRunFile)!(fromApp(), { path: '../x', encoding: 'utf8' })) as IpcResult<unknown>;
    expect(bad.ok).toBe(false);
    unregister();
    expect(registered.size).toBe(0);
  });

  it('unexpected errors become io errors with their message', async () => {
    const r = await toIpcResult(async () => {
      throw new Error('disk full');
    }, fromApp(), undefined);
    expect(r).toEqual({ ok: false, error: { code: 'io', message: 'disk full' } });
  });

  it('the CSP allows only the app itself (and the dev server in development)', () => {
    const prod = contentSecurityPolicy();
    expect(prod).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(prod).not.toMatch(/\s'unsafe-eval'/);
    expect(prod).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(prod).toContain("object-src 'none'");
    expect(contentSecurityPolicy('http://localhost:5173/')).toContain('ws://localhost:5173');
  });
});
