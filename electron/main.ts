/**
 * Electron main process: one window on the renderer, native menus, the IPC handlers of ipc.ts,
 * and what a desktop app does besides (desktop.ts): recent runs, remembered window bounds, a
 * single instance that opens the run folder or bundle it is given, an About box, and a clear
 * page instead of a blank window when the renderer cannot load.
 *
 * Security (Electron's checklist): contextIsolation, sandbox, no nodeIntegration, webSecurity,
 * the page served over its own scheme (driftlab://app/, protocol.ts) rather than file://, a CSP
 * (header + meta tag), window.open denied, navigation blocked, webviews refused, middle-click
 * (Auxclick) disabled, permissions denied except fullscreen, DevTools only in development, and
 * every IPC handler checks its sender frame and its arguments.
 *
 * Layouts it runs from (`__dirname` holds main.cjs and preload.cjs; the renderer is beside it):
 *  - `npm start` (electron/start.ts): dist/electron/main.cjs, dist/renderer/index.html
 *  - `npm run dist` (electron-builder): the same dist/ inside app.asar
 *  - Electron Forge + Vite plugin (optional): .vite/build/main.cjs, MAIN_WINDOW_VITE_* globals
 *  - development by hand: DRIFTLAB_DEV_SERVER_URL=http://127.0.0.1:5173/ npm start
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseRunBundle } from '../lab/bundle.ts';
import { Channels, type MenuCommand } from '../shared/api.ts';
import {
  aboutText,
  failurePageUrl,
  loadWindowState,
  menuTemplate,
  RecentRuns,
  runFromArgv,
  saveWindowState,
  classifyRunPath,
  type RunTarget,
  type WindowState,
} from './desktop.ts';
import { AutosaveFolder, createAutosaveHandlers, registerAutosaveHandlers } from './autosave.ts';
import { createIpcHandlers, registerIpcHandlers, safeFileName } from './ipc.ts';
import { checkSender, contentSecurityPolicy, type IpcEventLike } from './ipc-guard.ts';
import { RunFolderAccess } from './run-folder.ts';
import { APP_PAGE_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppFile } from './protocol.ts';

// defined by Electron Forge's Vite plugin; absent in the other layouts
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string | undefined;

const forgeDevUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL !== 'undefined' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const forgeName = typeof MAIN_WINDOW_VITE_NAME !== 'undefined' ? MAIN_WINDOW_VITE_NAME : undefined;

const development = !app.isPackaged;
/** the dev server is only trusted in development */
const devServerUrl = development ? (forgeDevUrl ?? process.env.DRIFTLAB_DEV_SERVER_URL ?? null) : null;
/** Electron's own leading arguments: the binary, and unpackaged also the app folder */
const ARGV_SKIP = app.isPackaged ? 1 : 2;
/** a bundle larger than this is not opened (a bundle of the curse preset is ~100 MB) */
const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024;

function rendererRoot(): string {
  const candidates = [forgeName ? path.join(__dirname, `../renderer/${forgeName}`) : null, path.join(__dirname, '../renderer')].filter((p): p is string => p !== null);
  return candidates.find((p) => existsSync(path.join(p, 'index.html'))) ?? candidates[candidates.length - 1];
}

function preloadPath(): string {
  const candidates = ['preload.cjs', 'preload.js'].map((f) => path.join(__dirname, f));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

function iconPath(): string | undefined {
  const p = path.join(__dirname, 'icon.png');
  return existsSync(p) ? p : undefined;
}

const root = rendererRoot();
const csp = contentSecurityPolicy(devServerUrl);
const userFile = (name: string) => path.join(app.getPath('userData'), name);

// the app's scheme must be privileged before `ready`
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

// ------------------------------------------------------------------------------------------
// windows and menu commands

let mainWindow: BrowserWindow | null = null;
/** menu commands waiting until the page listens (a run given on the command line at start) */
const queued = new Map<number, MenuCommand[]>();
const listening = new Set<number>();

function sendMenu(win: BrowserWindow | null | undefined, command: MenuCommand): void {
  if (!win || win.isDestroyed()) return;
  const id = win.webContents.id;
  if (listening.has(id)) win.webContents.send(Channels.menu, command);
  else queued.set(id, [...(queued.get(id) ?? []), command]);
}

function targetWindow(): BrowserWindow | null {
  return BrowserWindow.getFocusedWindow() ?? mainWindow;
}

function pageCommand(command: MenuCommand): void {
  const win = targetWindow();
  if (!win) return;
  if (command === 'toggle-presenter') win.setFullScreen(!win.isFullScreen());
  sendMenu(win, command);
}

const recent = new RecentRuns(userFile('recent-runs.json'));

function refreshMenu(): void {
  const template = menuTemplate(
    {
      command: pageCommand,
      openRecent: (file) => void openTarget(classifyRunPath(file, '/'), file),
      clearRecent: () => {
        app.clearRecentDocuments();
        void recent.clear().then(refreshMenu, () => undefined);
      },
      about: () => void showAbout(),
    },
    { platform: process.platform, development, recent: recent.list, appName: app.getName() },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
}

function rememberRecent(p: string): void {
  app.addRecentDocument(p);
  void recent.add(p).then(refreshMenu, () => undefined);
}

async function showAbout(): Promise<void> {
  const { message, detail } = aboutText({
    name: app.getName(),
    version: app.getVersion(),
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
  });
  const win = targetWindow();
  const options = { type: 'info' as const, title: `About ${app.getName()}`, message, detail, buttons: ['OK'] };
  await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

/** Applied to every webContents the app creates. */
function harden(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (!development) {
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

function showFailure(win: BrowserWindow, title: string, detail: string): void {
  if (win.isDestroyed()) return;
  const hint = development
    ? 'Run `npm start` again (it rebuilds the app), or `npm run build:web` and restart. The terminal shows the build output.'
    : 'Reinstall Driftlab; if this persists, report it with the text above.';
  void win.loadURL(failurePageUrl(title, detail, hint));
  win.show();
}

async function createWindow(): Promise<BrowserWindow> {
  let state: WindowState;
  try {
    state = await loadWindowState(userFile('window-state.json'), screen.getAllDisplays().map((d) => d.workArea));
  } catch {
    state = { bounds: { width: 1440, height: 900 }, maximized: false };
  }
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: 960,
    minHeight: 640,
    title: 'Driftlab',
    icon: iconPath(),
    backgroundColor: '#10131a',
    show: false,
    webPreferences: {
      preload: preloadPath(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // middle-click would open links in new windows (auxclick); the app has no use for it
      disableBlinkFeatures: 'Auxclick',
      devTools: development,
    },
  });
  mainWindow = win;
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const id = win.webContents.id;
  win.webContents.once('destroyed', () => {
    ipc.forget(id);
    queued.delete(id);
    listening.delete(id);
  });
  win.webContents.on('did-start-loading', () => listening.delete(id));
  win.on('close', () => {
    const s: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    void saveWindowState(userFile('window-state.json'), s).catch(() => undefined);
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });

  // a clear message instead of a blank window
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (isMainFrame && code !== -3 /* aborted */ && !url.startsWith('data:')) showFailure(win, 'Driftlab could not load its page', `${description} (${code})\n${url}`);
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') showFailure(win, 'The Driftlab page stopped', `reason: ${details.reason} (exit code ${details.exitCode})`);
  });

  if (devServerUrl) void win.loadURL(devServerUrl);
  else if (!existsSync(path.join(root, 'index.html'))) showFailure(win, 'Driftlab is not built', `The page ${path.join(root, 'index.html')} does not exist.`);
  else void win.loadURL(APP_PAGE_URL);
  return win;
}

// ------------------------------------------------------------------------------------------
// opening runs given on the command line, double-clicked, or from the recent list

async function importBundle(file: string): Promise<RunFolderAccess> {
  const st = await fsp.stat(file);
  if (st.size > MAX_BUNDLE_BYTES) throw new Error(`${file} is larger than ${MAX_BUNDLE_BYTES} bytes`);
  const bundle = parseRunBundle(await fsp.readFile(file, 'utf8'));
  // the bundle becomes a run folder under the app's data (like `driftlab import`)
  const base = path.join(app.getPath('userData'), 'imported');
  await fsp.mkdir(base, { recursive: true });
  const stem = safeFileName(bundle.name, 'run');
  let dir = path.join(base, stem);
  for (let n = 2; existsSync(dir); n++) dir = path.join(base, `${stem}-${n}`);
  await fsp.mkdir(dir);
  const access = await RunFolderAccess.open(dir);
  for (const [rel, text] of bundle.files) await access.write(rel, text);
  return access;
}

async function openTarget(target: RunTarget | null, asked?: string): Promise<void> {
  const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : await createWindow();
  if (win.isMinimized()) win.restore();
  win.focus();
  if (!target) {
    if (asked) {
      await recent.remove(asked).catch(() => undefined);
      refreshMenu();
      void dialog.showMessageBox(win, { type: 'warning', title: 'Open run', message: `${asked} is no longer there`, detail: 'It was removed from the recent runs.' });
    }
    return;
  }
  try {
    const access = target.kind === 'folder' ? await RunFolderAccess.open(target.path) : await importBundle(target.path);
    // the page's next Open run takes this folder (and adds it to the recent runs)
    ipc.offerFolder(win.webContents.id, access);
    sendMenu(win, 'open-run');
  } catch (e) {
    void dialog.showMessageBox(win, {
      type: 'error',
      title: 'Open run',
      message: `Driftlab could not open ${target.path}`,
      detail: e instanceof Error ? e.message : String(e),
    });
  }
}

// ------------------------------------------------------------------------------------------
// IPC

const windowOf = (event: IpcEventLike) => BrowserWindow.fromWebContents(event.sender as WebContents);
const policy = { appPageUrl: APP_PAGE_URL, devServerUrl };

const ipc = createIpcHandlers({
  policy,
  showOpenDialog: (event, request) => {
    const win = windowOf(event);
    return win ? dialog.showOpenDialog(win, request) : dialog.showOpenDialog(request);
  },
  showSaveDialog: (event, request) => {
    const win = windowOf(event);
    return win ? dialog.showSaveDialog(win, request) : dialog.showSaveDialog(request);
  },
  appInfo: () => ({
    name: app.getName(),
    version: app.getVersion(),
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    development,
  }),
  exportDir: app.getPath('pictures'),
  onFolderOpened: (_event, folder) => rememberRecent(folder),
});
// the current run, autosaved as a run folder in the user data (the web page uses IndexedDB)
const autosave = createAutosaveHandlers(new AutosaveFolder(userFile('autosave')), policy);

// ------------------------------------------------------------------------------------------
// start: one instance; a second start hands its run to the first and quits

/** runs asked for before the app was ready (macOS open-file at launch) */
const early: string[] = [];
let ready = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    void openTarget(runFromArgv(argv, workingDirectory, ARGV_SKIP));
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (ready) void openTarget(classifyRunPath(file, '/'), file);
    else early.push(file);
  });
  app.on('web-contents-created', (_event, contents) => harden(contents));

  app.whenReady().then(async () => {
    protocol.handle(APP_SCHEME, (request) => serveAppFile(root, request.url, { 'content-security-policy': csp }));
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'fullscreen'));
    session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'fullscreen');

    registerIpcHandlers(ipcMain, ipc);
    registerAutosaveHandlers(ipcMain, autosave);
    ipcMain.on(Channels.menuReady, (event) => {
      try {
        checkSender(event, policy);
      } catch {
        return;
      }
      const id = event.sender.id;
      listening.add(id);
      const pending = queued.get(id) ?? [];
      queued.delete(id);
      for (const c of pending) event.sender.send(Channels.menu, c);
    });

    app.setAboutPanelOptions({ applicationName: app.getName(), applicationVersion: app.getVersion(), iconPath: iconPath() });
    await recent.load().catch(() => undefined);
    refreshMenu();
    await createWindow();
    ready = true;

    const fromArgv = runFromArgv(process.argv, process.cwd(), ARGV_SKIP);
    if (fromArgv) await openTarget(fromArgv);
    for (const file of early.splice(0)) await openTarget(classifyRunPath(file, '/'), file);

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
