/**
 * The desktop bridge: `window.driftlab` when running inside Electron (the preload's typed API;
 * only its *type* comes from electron/), web fallbacks otherwise.
 */
import type { DriftlabApi, MenuCommand } from '../electron/api.ts';

export function desktopApi(): DriftlabApi | null {
  const api = (globalThis as { driftlab?: DriftlabApi }).driftlab;
  return api && api.isElectron === true ? api : null;
}

export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return desktopApi()?.onMenuCommand(listener) ?? (() => undefined);
}

/** Save bytes or text: the save dialog in Electron, a download in the web page. */
export async function saveFile(name: string, format: 'png' | 'svg', data: Uint8Array | string): Promise<boolean> {
  const api = desktopApi();
  if (api) return (await api.saveExport({ suggestedName: name, format, data })).saved;
  const type = format === 'png' ? 'image/png' : 'image/svg+xml';
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
