/**
 * Electron main process: one window on the renderer, menus, and the IPC handlers of ipc.ts.
 *
 * Security (Electron's checklist): contextIsolation, sandbox, no nodeIntegration, webSecurity,
 * a CSP (header here + meta tag in the page), window.open denied, navigation blocked, webviews
 * refused, permissions denied except fullscreen, DevTools only in development, and every IPC
 * handler checks its sender frame and its arguments.
 *
 * Layouts it runs from:
 *  - `npm run dist` (electron/build.ts + electron-builder): dist/electron/main.cjs, dist/renderer/index.html
 *  - `npm start` (Electron Forge + Vite plugin): .vite/build/main.cjs, MAIN_WINDOW_VITE_* globals
 *  - development by hand: DRIFTLAB_DEV_SERVER_URL=http://localhost:5173/ electron dist/electron/main.cjs
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Channels, type MenuCommand } from './api.ts';
import { contentSecurityPolicy, createIpcHandlers, registerIpcHandlers, type IpcEventLike } from './ipc.ts';

// defined by Electron Forge's Vite plugin; absent in the electron-builder layout
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string | undefined;

const forgeDevUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL !== 'undefined' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const forgeName = typeof MAIN_WINDOW_VITE_NAME !== 'undefined' ? MAIN_WINDOW_VITE_NAME : undefined;

const development = !app.isPackaged;
/** the dev server is only trusted in development */
const devServerUrl = development ? (forgeDevUrl ?? process.env.DRIFTLAB_DEV_SERVER_URL ?? null) : null;

function rendererPagePath(): string {
  const candidates = [
    forgeName ? path.join(__dirname, `../renderer/${forgeName}/index.html`) : null,
    path.join(__dirname, '../renderer/index.html'),
  ].filter((p): p is string => p !== null);
  return candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1];
}

function preloadPath(): string {
  const candidates = ['preload.cjs', 'preload.js'].map((f) => path.join(__dirname, f));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

const pagePath = rendererPagePath();
const appPageUrl = pathToFileURL(pagePath).href;
const csp = contentSecurityPolicy(devServerUrl);

function sendMenu(win: BrowserWindow | null | undefined, command: MenuCommand): void {
  if (win && !win.isDestroyed()) win.webContents.send(Channels.menu, command);
}

function buildMenu(): Menu {
  const focused = () => BrowserWindow.getFocusedWindow();
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open run…', accelerator: 'CmdOrCtrl+O', click: () => sendMenu(focused(), 'open-run') },
        { label: 'Save run…', accelerator: 'CmdOrCtrl+S', click: () => sendMenu(focused(), 'save-run') },
        { type: 'separator' },
        { label: 'Export chart…', accelerator: 'CmdOrCtrl+E', click: () => sendMenu(focused(), 'export-chart') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&View',
      submenu: [
        {
          label: 'Presenter mode',
          accelerator: 'F11',
          click: () => {
            const win = focused();
            if (!win) return;
            win.setFullScreen(!win.isFullScreen());
            sendMenu(win, 'toggle-presenter');
          },
        },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        ...(development ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
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

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'Driftlab',
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
      devTools: development,
    },
  });
  win.once('ready-to-show', () => win.show());
  const id = win.webContents.id;
  win.webContents.once('destroyed', () => ipc.forget(id));
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(pagePath);
  return win;
}

const windowOf = (event: IpcEventLike) => BrowserWindow.fromWebContents(event.sender as WebContents);

const ipc = createIpcHandlers({
  policy: { appPageUrl, devServerUrl },
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
});

app.on('web-contents-created', (_event, contents) => harden(contents));

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'fullscreen'));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'fullscreen');

  registerIpcHandlers(ipcMain, ipc);
  Menu.setApplicationMenu(buildMenu());
  createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
