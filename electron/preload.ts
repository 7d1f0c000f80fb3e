/**
 * Preload (sandboxed): exposes `window.driftlab` — a handful of typed functions, nothing else.
 * No ipcRenderer, no Node API and no arbitrary channel reach the page. Bundled by electron/build.ts
 * as CommonJS that requires only 'electron' (what a sandboxed preload may load).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { AutosaveChannels, Channels, MENU_COMMANDS, type AutosaveChannel, type DriftlabApi, type InvokeChannel, type IpcResult, type MenuCommand } from '../shared/api.ts';

async function call<T>(channel: InvokeChannel | AutosaveChannel, arg?: unknown): Promise<T> {
  const result = (await ipcRenderer.invoke(channel, arg)) as IpcResult<T>;
  if (result.ok) return result.value;
  const { code, field, message } = result.error;
  // only the message survives contextBridge reliably; keep code and field in it
  throw new Error(`[${code}${field ? `:${field}` : ''}] ${message}`);
}

const api: DriftlabApi = {
  isElectron: true,
  appInfo: () => call(Channels.appInfo),
  openRunFolder: (mode) => call(Channels.openRunFolder, { mode }),
  listRunFiles: (dir) => call(Channels.listRunFiles, dir === undefined ? {} : { dir }),
  readRunFile: (path) => call(Channels.readRunFile, { path, encoding: 'utf8' }),
  readRunFileBytes: (path) => call(Channels.readRunFile, { path, encoding: 'bytes' }),
  writeRunFile: (path, data) => call(Channels.writeRunFile, { path, data }),
  appendRunFile: (path, line) => call(Channels.appendRunFile, { path, line }),
  runFileExists: (path) => call(Channels.runFileExists, { path }),
  saveExport: (request) =>
    call(Channels.saveExport, { suggestedName: request.suggestedName, format: request.format, data: request.data }),
  autosave: {
    save: (run) => call(AutosaveChannels.save, { savedAt: run.savedAt, name: run.name, generations: run.generations, files: run.files }),
    load: () => call(AutosaveChannels.load),
    clear: () => call(AutosaveChannels.clear),
  },
  onMenuCommand(listener) {
    const handler = (_event: IpcRendererEvent, command: unknown) => {
      if (typeof command === 'string' && (MENU_COMMANDS as readonly string[]).includes(command)) listener(command as MenuCommand);
    };
    ipcRenderer.on(Channels.menu, handler);
    // the page listens now: the main process sends what it queued (a run given on the command line)
    ipcRenderer.send(Channels.menuReady);
    return () => void ipcRenderer.removeListener(Channels.menu, handler);
  },
};

contextBridge.exposeInMainWorld('driftlab', api);
