/**
 * Autosave of the current run: the run's files after every finished generation, so a reload or a
 * crash loses at most the generation in progress. One slot ("current"); the page offers to
 * restore it after a reload. On the web the slot is in the browser's IndexedDB; in the desktop app
 * it is a run folder in the app's user data (electron/autosave.ts, through the preload's API).
 *
 * On the web each file is its own record ("file:<path>") beside the slot's list of paths, and a
 * save writes only the files that changed since this page's last save: a run's files grow to
 * megabytes (checkpoints), and copying all of them for IndexedDB after every generation held the
 * main thread for ~100 ms while the run trained.
 */
import type { AutosavedRun } from '../shared/api.ts';
import { desktopApi } from './bridge.ts';

export type { AutosavedRun };

const DB = 'driftlab';
const STORE = 'autosave';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB cannot be opened'));
  });
}

/**
 * One transaction on the store: `f` makes its requests and returns what to read once the
 * transaction has completed.
 */
async function withTransaction<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => () => T): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result());
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** One transaction whose result is that of the request `f` returns. */
function withStore<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return withTransaction(mode, (s) => {
    const req = f(s);
    return () => req.result;
  });
}

/** What the slot holds besides the files: their paths (the files are records of their own). */
interface SlotIndex {
  savedAt: string;
  name: string;
  generations: number;
  paths: string[];
}
const fileKey = (path: string) => `file:${path}`;
/** the files as this page last saved them (same string: unchanged); empty after a reload or clear */
const saved = new Map<string, string>();

export function saveCurrentRun(run: AutosavedRun): Promise<unknown> {
  const api = desktopApi();
  if (api) return api.autosave.save(run);
  const changed = run.files.filter(([path, text]) => saved.get(path) !== text);
  const paths = run.files.map(([path]) => path);
  const now = new Set(paths);
  const gone = [...saved.keys()].filter((path) => !now.has(path));
  const index: SlotIndex = { savedAt: run.savedAt, name: run.name, generations: run.generations, paths };
  // this page's first save: whatever an earlier page left in the slot goes (no orphaned files)
  const fresh = saved.size === 0;
  return withStore('readwrite', (s) => {
    if (fresh) s.clear();
    for (const [path, text] of changed) s.put(text, fileKey(path));
    for (const path of gone) s.delete(fileKey(path));
    return s.put(index, KEY);
  }).then((r) => {
    for (const [path, text] of changed) saved.set(path, text);
    for (const path of gone) saved.delete(path);
    return r;
  });
}

export async function loadCurrentRun(): Promise<AutosavedRun | null> {
  const api = desktopApi();
  if (api) {
    const r = await api.autosave.load();
    return r && Array.isArray(r.files) ? r : null;
  }
  const index = await withStore<SlotIndex | AutosavedRun | undefined>('readonly', (s) => s.get(KEY) as IDBRequest<SlotIndex | AutosavedRun | undefined>);
  if (!index) return null;
  // a slot from before files were records of their own
  if ('files' in index) return Array.isArray(index.files) ? index : null;
  if (!Array.isArray(index.paths)) return null;
  const texts = await withTransaction('readonly', (s) => {
    const reqs = index.paths.map((p) => s.get(fileKey(p)) as IDBRequest<unknown>);
    return () => reqs.map((r) => r.result);
  });
  // a file missing from the slot (a save cut off): the run cannot be restored whole
  if (!texts.every((t): t is string => typeof t === 'string')) return null;
  const files = index.paths.map((p, i): [string, string] => [p, texts[i]]);
  return { savedAt: index.savedAt, name: index.name, generations: index.generations, files };
}

export function clearCurrentRun(): Promise<unknown> {
  const api = desktopApi();
  if (api) return api.autosave.clear();
  saved.clear();
  return withStore('readwrite', (s) => s.clear());
}
