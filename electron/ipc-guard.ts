/**
 * Who may call the main process, and what the app page may load: the IpcError every handler
 * throws (its code, message and field cross the IPC boundary as IpcErrorData), the sender check
 * (only the top-level frame of the app's own page — the packaged page or the dev server given at
 * start-up — may call the app API), and the page's Content-Security-Policy.
 */
import type { IpcErrorData } from '../shared/api.ts';

// ---------------------------------------------------------------------------------------------
// errors

export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorData['code'],
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
  toData(): IpcErrorData {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, field: this.field, message: this.message };
  }
}

// ---------------------------------------------------------------------------------------------
// sender validation

/** The parts of Electron's IpcMainInvokeEvent the handlers use. */
export interface IpcEventLike {
  senderFrame: { url: string; parent?: unknown } | null;
  sender: { id: number };
}

export interface SenderPolicy {
  /** URL of the app's page: driftlab://app/index.html (or a file:// URL, e.g. file:///opt/Driftlab/resources/app.asar/dist/renderer/index.html) */
  appPageUrl: string;
  /** dev server URL (development only), e.g. http://localhost:5173/ */
  devServerUrl?: string | null;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when `url` is the app's own page: the exact file:// page, or the dev server's origin. */
export function isAllowedSenderUrl(url: string, policy: SenderPolicy): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  const app = parseUrl(policy.appPageUrl);
  if (app && app.protocol === 'file:' && u.protocol === 'file:') {
    return u.host === app.host && decodeURIComponent(u.pathname) === decodeURIComponent(app.pathname);
  }
  // the app's own scheme (driftlab://app/index.html): same scheme, host and page
  if (app && app.protocol !== 'file:' && app.protocol !== 'http:' && app.protocol !== 'https:' && u.protocol === app.protocol) {
    return u.host === app.host && u.pathname === app.pathname;
  }
  if (policy.devServerUrl) {
    const dev = parseUrl(policy.devServerUrl);
    if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && u.origin === dev.origin) return true;
  }
  return false;
}

/** Throws IpcError('sender') unless the event comes from the app's own top-level page. */
export function checkSender(event: IpcEventLike, policy: SenderPolicy): void {
  const frame = event?.senderFrame;
  if (!frame || typeof frame.url !== 'string') throw new IpcError('sender', 'IPC refused: the sending frame is gone');
  if (frame.parent !== undefined && frame.parent !== null) {
    throw new IpcError('sender', `IPC refused: sub-frames may not call the app API (${frame.url})`);
  }
  if (!isAllowedSenderUrl(frame.url, policy)) {
    throw new IpcError('sender', `IPC refused: sender ${frame.url} is not the app page`);
  }
}

/** The Content-Security-Policy of the app page (also set as a meta tag in renderer/index.html). */
export function contentSecurityPolicy(devServerUrl?: string | null): string {
  const dev = devServerUrl ? parseUrl(devServerUrl) : null;
  const connect = ["'self'", 'data:', 'blob:'];
  if (dev) connect.push(dev.origin, `ws://${dev.host}`);
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
