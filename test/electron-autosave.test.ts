/**
 * electron/autosave.ts in a temp folder: the desktop app's autosave is a run folder that a save
 * replaces whole or not at all; a crash between the steps of a save leaves the last complete one
 * readable; bad requests are refused by field before anything is written.
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutosaveFolder, createAutosaveHandlers, parseAutosave } from '../electron/autosave.ts';
import type { AutosavedRun } from '../shared/api.ts';

let root: string;
beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'driftlab-autosave-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fsp.rm(root, { recursive: true, force: true });
});

const run = (generations: number, extra: [string, string][] = []): AutosavedRun => ({
  savedAt: `2026-01-0${generations + 1}T00:00:00.000Z`,
  name: 'classroom',
  generations,
  files: [['manifest.json', '{"name":"classroom"}\n'], ['metrics.jsonl', '{"generation":0}\n'.repeat(generations)], ...extra],
});

const listing = async (dir: string): Promise<string[]> => ((await fsp.readdir(dir, { recursive: true })) as string[]).map((p) => p.split(path.sep).join('/')).sort();

describe('AutosaveFolder', () => {
  it('nothing saved: load gives null; a save writes a run folder that load returns exactly', async () => {
    const a = new AutosaveFolder(path.join(root, 'autosave'));
    expect(await a.load()).toBe(null);
    const r = run(2, [['seed-1/grounded/gen-1/policy.json', '[1,2]']]);
    await a.save(r);
    expect(await a.load()).toEqual(r);
    expect(await listing(a.current)).toEqual(['autosave.json', 'manifest.json', 'metrics.jsonl', 'seed-1', 'seed-1/grounded', 'seed-1/grounded/gen-1', 'seed-1/grounded/gen-1/policy.json']);
    expect(await fsp.readFile(path.join(a.current, 'seed-1/grounded/gen-1/policy.json'), 'utf8')).toBe('[1,2]');
    // only the current folder remains after a save
    expect(await fsp.readdir(a.root)).toEqual(['current']);
  });

  it('a newer save replaces the older one whole (files it no longer has are gone); clear forgets it', async () => {
    const a = new AutosaveFolder(root);
    await a.save(run(1, [['old-only.txt', 'x']]));
    await a.save(run(3));
    expect(await a.load()).toEqual(run(3));
    expect(existsSync(path.join(a.current, 'old-only.txt'))).toBe(false);
    await a.clear();
    expect(await a.load()).toBe(null);
    expect(await fsp.readdir(root)).toEqual([]);
  });

  it('saves that overlap are applied in order', async () => {
    const a = new AutosaveFolder(root);
    await Promise.all([a.save(run(1)), a.save(run(2)), a.save(run(3))]);
    expect((await a.load())?.generations).toBe(3);
  });

  it('a crash while the new folder is written keeps the last complete autosave', async () => {
    const a = new AutosaveFolder(root);
    await a.save(run(1));
    // the half-written next/ of an interrupted save: no record yet
    await fsp.mkdir(path.join(root, 'next'));
    await fsp.writeFile(path.join(root, 'next', 'metrics.jsonl'), '{"gen');
    expect(await a.load()).toEqual(run(1));
    await a.save(run(2));
    expect(await a.load()).toEqual(run(2));
    expect(await fsp.readdir(root)).toEqual(['current']);
  });

  it('a crash between the two renames (only previous/ is left) still loads it, and the next save keeps it until replaced', async () => {
    const a = new AutosaveFolder(root);
    await a.save(run(1));
    await fsp.rename(a.current, path.join(root, 'previous'));
    expect(await a.load()).toEqual(run(1));
    // the next save fails half-way: the old autosave is still there
    const write = vi.spyOn(fsp, 'open').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    await expect(a.save(run(2))).rejects.toThrow(/ENOSPC/);
    write.mockRestore();
    expect(await a.load()).toEqual(run(1));
    await a.save(run(2));
    expect(await a.load()).toEqual(run(2));
  });

  it('a folder with a listed file missing or the record damaged is not offered', async () => {
    const a = new AutosaveFolder(root);
    await a.save(run(2));
    await fsp.rm(path.join(a.current, 'metrics.jsonl'));
    expect(await a.load()).toBe(null);
    await a.save(run(2));
    await fsp.writeFile(path.join(a.current, 'autosave.json'), '{"format":"driftlab-autosave"');
    expect(await a.load()).toBe(null);
  });
});

describe('parseAutosave', () => {
  const refused = (files: unknown, message: RegExp) => expect(() => parseAutosave({ ...run(1), files })).toThrow(message);

  it('accepts a run; refuses paths that leave the folder, duplicates, the record name, and wrong shapes, naming the field', () => {
    expect(parseAutosave(run(1))).toEqual(run(1));
    refused([['../outside.txt', 'x']], /files\.0\.0: .*'\.\.'/);
    refused([['/etc/passwd', 'x']], /files\.0\.0/);
    refused([['a\\b.txt', 'x']], /files\.0\.0/);
    refused([['a.txt', 'x'], ['a.txt', 'y']], /files\.1\.0: a\.txt appears twice/);
    refused([['autosave.json', '{}']], /files\.0\.0: autosave\.json is the autosave's own record/);
    refused([['a.txt', 3]], /files\.0\.1/);
    expect(() => parseAutosave({ ...run(1), generations: -1 })).toThrow(/generations/);
    expect(() => parseAutosave({ ...run(1), extra: 1 })).toThrow(/\(argument\)|extra/);
  });
});

describe('the autosave IPC handlers', () => {
  const policy = { appPageUrl: 'driftlab://app/index.html' };
  const page = { senderFrame: { url: 'driftlab://app/index.html', parent: null }, sender: { id: 1 } };

  it('answer the app page only, check the argument before anything is written', async () => {
    const a = new AutosaveFolder(root);
    const h = createAutosaveHandlers(a, policy);
    await h['driftlab:autosave-save'](page, run(1));
    expect(await h['driftlab:autosave-load'](page)).toEqual(run(1));
    const other = { senderFrame: { url: 'https://example.com/', parent: null }, sender: { id: 1 } };
    await expect(h['driftlab:autosave-load'](other)).rejects.toMatchObject({ code: 'sender' });
    await expect(h['driftlab:autosave-save'](page, { ...run(2), files: [['../x', 'y']] })).rejects.toMatchObject({ code: 'path', field: 'files.0.0' });
    await expect(h['driftlab:autosave-clear'](page, 'everything')).rejects.toMatchObject({ code: 'args' });
    expect(await a.load()).toEqual(run(1));
    await h['driftlab:autosave-clear'](page);
    expect(await a.load()).toBe(null);
  });
});
