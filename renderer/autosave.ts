/**
 * Autosave of the current run: the run's files after every finished generation, so a reload or a
 * crash loses at most the generation in progress. One slot ("current"); the page offers to
 * restore it after a reload. On the web the slot is in the browser's IndexedDB; in the desktop app
 * it is a run folder in the app's user data (electron/autosave.ts, through the preload's API).
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

async function withStore<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

export function saveCurrentRun(run: AutosavedRun): Promise<unknown> {
  const api = desktopApi();
  if (api) return api.autosave.save(run);
  return withStore('readwrite', (s) => s.put(run, KEY));
}

export async function loadCurrentRun(): Promise<AutosavedRun | null> {
  const api = desktopApi();
  const r = api ? await api.autosave.load() : await withStore<AutosavedRun | undefined>('readonly', (s) => s.get(KEY) as IDBRequest<AutosavedRun | undefined>);
  return r && Array.isArray(r.files) ? r : null;
}

export function clearCurrentRun(): Promise<unknown> {
  const api = desktopApi();
  if (api) return api.autosave.clear();
  return withStore('readwrite', (s) => s.delete(KEY));
}
