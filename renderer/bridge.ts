/**
 * The desktop bridge: `window.driftlab` when running inside Electron (the preload's typed API;
 * only its *type* comes from electron/), web fallbacks otherwise.
 */
import type { DriftlabApi, MenuCommand } from '../shared/api.ts';

export function desktopApi(): DriftlabApi | null {
  const api = (globalThis as { driftlab?: DriftlabApi }).driftlab;
  return api && api.isElectron === true ? api : null;
}

export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return desktopApi()?.onMenuCommand(listener) ?? (() => undefined);
}

/** Save bytes or text: the save dialog in Electron, a download in the web page. */
export async function saveFile(name: string, format: 'png' | 'svg' | 'gif' | 'webm', data: Uint8Array | string): Promise<boolean> {
  const api = desktopApi();
  if (api) return (await api.saveExport({ suggestedName: name, format, data })).saved;
  const type = { png: 'image/png', svg: 'image/svg+xml', gif: 'image/gif', webm: 'video/webm' }[format];
  const blob = new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type });
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name.endsWith(`.${format}`) ? name : `${name}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return true;
}

/** Download text as a file (web page). */
export function downloadText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** Electron: write a run folder's files into a folder the user picks; false when cancelled. */
export async function saveRunFolder(api: DriftlabApi, files: ReadonlyMap<string, string>): Promise<string | null> {
  const folder = await api.openRunFolder('create');
  if (!folder) return null;
  for (const [path, data] of files) await api.writeRunFile(path, data);
  return folder.path;
}

/** Electron: read the run files of a folder the user picks; null when cancelled. */
export async function openRunFolder(api: DriftlabApi, wanted: (path: string) => boolean): Promise<{ path: string; files: Map<string, string> } | null> {
  const folder = await api.openRunFolder('open');
  if (!folder) return null;
  const list = folder.files.length ? folder.files : await api.listRunFiles();
  const files = new Map<string, string>();
  for (const f of list) {
    if (!wanted(f.path)) continue;
    const text = await api.readRunFile(f.path);
    if (text !== null) files.set(f.path, text);
  }
  return { path: folder.path, files };
}
