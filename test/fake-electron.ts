/**
 * A fake `electron` module for running the main-process bundle (dist/electron/main.cjs) in Node:
 * records windows, loads, menus, IPC handlers, protocol handlers, dialogs and app calls, so tests
 * observe what the main process does without Electron's binary.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const nodeRequire = createRequire(import.meta.url);

/** Run a CommonJS bundle with `electron` replaced by a fake (and, optionally, its own argv/cwd). */
export function loadBundle(file: string, code: string, electron: unknown, proc?: { argv?: string[]; cwd?: string }): void {
  const module = { exports: {} };
  const fakeRequire = (name: string) => (name === 'electron' ? electron : nodeRequire(name));
  const argv = proc?.argv ?? ['/opt/Driftlab/driftlab'];
  const cwd = proc?.cwd ?? process.cwd();
  const fakeProcess = new Proxy(process, {
    get(target, key) {
      if (key === 'argv') return argv;
      if (key === 'cwd') return () => cwd;
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  new Function('require', 'module', 'exports', '__dirname', '__filename', 'process', code)(fakeRequire, module, module.exports, path.dirname(file), file, fakeProcess);
}

export interface MenuItem {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItem[];
}

export interface FakeContents extends EventEmitter {
  id: number;
  sent: [string, unknown][];
  openHandler?: (d: unknown) => unknown;
}

export interface FakeWindow extends EventEmitter {
  options: { webPreferences: Record<string, unknown>; x?: number; y?: number; width?: number; height?: number; icon?: string };
  loaded: string[];
  webContents: FakeContents;
  fullScreen: boolean;
  maximized: boolean;
  focused: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export interface FakeWorld {
  electron: Record<string, unknown>;
  app: EventEmitter & { quitCalls: number; recentDocs: string[]; isPackaged: boolean; getPath(name: string): string };
  windows: FakeWindow[];
  handlers: Map<string, (event: unknown, arg?: unknown) => Promise<unknown>>;
  listeners: Map<string, (event: unknown, ...args: unknown[]) => void>;
  protocolHandlers: Map<string, (req: { url: string }) => Promise<Response>>;
  privileged: unknown[];
  menu: () => MenuItem[];
  messageBoxes: { type?: string; title?: string; message: string; detail?: string }[];
  openDialogResult: { canceled: boolean; filePaths: string[] };
  openDialogs: number;
  headersHook?: (d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void;
  permissionHook?: (c: unknown, p: string, cb: (ok: boolean) => void) => void;
  /** settle the main process's promises */
  settle(): Promise<void>;
}

export function fakeElectron(opts: { userData: string; singleInstance?: boolean; displays?: { x: number; y: number; width: number; height: number }[] }): FakeWorld {
  let nextId = 1;
  let menu: MenuItem[] = [];
  const windows: FakeWindow[] = [];
  const world = {} as FakeWorld;
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    quitCalls: 0,
    recentDocs: [] as string[],
    getName: () => 'Driftlab',
    getVersion: () => '0.1.0',
    getPath: (name: string) => (name === 'userData' ? opts.userData : path.join(opts.userData, `fake-${name}`)),
    whenReady: () => Promise.resolve(),
    quit: () => void app.quitCalls++,
    requestSingleInstanceLock: () => opts.singleInstance !== false,
    addRecentDocument: (p: string) => void app.recentDocs.push(p),
    clearRecentDocuments: () => void (app.recentDocs = []),
    setAboutPanelOptions: () => undefined,
  });

  class BrowserWindow extends EventEmitter {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    static getFocusedWindow = () => BrowserWindow.all[0] ?? null;
    static fromWebContents = () => BrowserWindow.all[0] ?? null;
    webContents: FakeContents;
    record: FakeWindow;
    constructor(options: FakeWindow['options']) {
      super();
      const contents = Object.assign(new EventEmitter(), {
        id: nextId++,
        sent: [] as [string, unknown][],
        setWindowOpenHandler(h: (d: unknown) => unknown) {
          contents.openHandler = h;
        },
        send(channel: string, arg: unknown) {
          contents.sent.push([channel, arg]);
        },
        closeDevTools() {},
      }) as unknown as FakeContents;
      this.webContents = contents;
      this.record = Object.assign(this as unknown as FakeWindow, {
        options,
        loaded: [] as string[],
        fullScreen: false,
        maximized: false,
        focused: 0,
        bounds: { x: options.x ?? 10, y: options.y ?? 10, width: options.width ?? 800, height: options.height ?? 600 },
      });
      windows.push(this.record);
      BrowserWindow.all.push(this);
      app.emit('web-contents-created', {}, contents);
    }
    loadFile(p: string) {
      this.record.loaded.push(p);
      return Promise.resolve();
    }
    loadURL(u: string) {
      this.record.loaded.push(u);
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isFullScreen = () => this.record.fullScreen;
    setFullScreen = (v: boolean) => void (this.record.fullScreen = v);
    isMaximized = () => this.record.maximized;
    maximize = () => void (this.record.maximized = true);
    isMinimized = () => false;
    restore() {}
    focus() {
      this.record.focused++;
    }
    getNormalBounds = () => ({ ...this.record.bounds });
    show() {}
  }

  const handlers = new Map<string, (event: unknown, arg?: unknown) => Promise<unknown>>();
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const protocolHandlers = new Map<string, (req: { url: string }) => Promise<Response>>();
  const privileged: unknown[] = [];
  const messageBoxes: FakeWorld['messageBoxes'] = [];

  const electron = {
    app,
    BrowserWindow,
    dialog: {
      showOpenDialog: async () => {
        world.openDialogs++;
        return world.openDialogResult;
      },
      showSaveDialog: async () => ({ canceled: true }),
      showMessageBox: async (...args: unknown[]) => {
        messageBoxes.push(args[args.length - 1] as FakeWorld['messageBoxes'][number]);
        return { response: 0 };
      },
    },
    ipcMain: {
      handle: (c: string, l: (e: unknown, a?: unknown) => Promise<unknown>) => handlers.set(c, l),
      removeHandler: (c: string) => handlers.delete(c),
      on: (c: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.set(c, l),
    },
    Menu: { buildFromTemplate: (t: MenuItem[]) => t, setApplicationMenu: (m: MenuItem[]) => void (menu = m) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void privileged.push(...s),
      handle: (scheme: string, h: (req: { url: string }) => Promise<Response>) => void protocolHandlers.set(scheme, h),
    },
    screen: { getAllDisplays: () => (opts.displays ?? [{ x: 0, y: 0, width: 1920, height: 1080 }]).map((workArea) => ({ workArea })) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: FakeWorld['headersHook']) => void (world.headersHook = h) },
        setPermissionRequestHandler: (h: FakeWorld['permissionHook']) => void (world.permissionHook = h),
        setPermissionCheckHandler: () => undefined,
      },
    },
  };

  Object.assign(world, {
    electron,
    app,
    windows,
    handlers,
    listeners,
    protocolHandlers,
    privileged,
    menu: () => menu,
    messageBoxes,
    openDialogResult: { canceled: true, filePaths: [] },
    openDialogs: 0,
    settle: async () => {
      // the main process does real file I/O: give it time even on a loaded machine (about 1 s)
      for (let i = 0; i < 40; i++) await new Promise((r) => setTimeout(r, 25));
    },
  });
  return world;
}

/** Find a menu item by labels along its path, e.g. ['&File', 'Open run…']. */
export function menuItem(menu: MenuItem[], ...labels: string[]): MenuItem {
  let items = menu;
  let found: MenuItem | undefined;
  for (const l of labels) {
    found = items.find((i) => i.label === l || i.role === l);
    if (!found) throw new Error(`no menu item ${labels.join(' → ')} (at ${l}: ${items.map((i) => i.label ?? i.role).join(', ')})`);
    items = found.submenu ?? [];
  }
  return found!;
}
