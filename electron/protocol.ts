/**
 * The app's pages over a custom protocol (`driftlab://app/index.html`) instead of file://.
 *
 * file:// gives every page the whole disk as its origin; a privileged custom scheme gives the page
 * one origin of its own ('self' in the CSP means exactly the app's files), lets module workers and
 * fetch() (tfjs's .wasm) work as on a web server, and serves nothing but files under the renderer
 * folder. Registered with protocol.registerSchemesAsPrivileged before `ready`, then answered by
 * protocol.handle (main.ts) with serveAppFile below.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';
import * as path from 'node:path';

export const APP_SCHEME = 'driftlab';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** For protocol.registerSchemesAsPrivileged (must run before the app is ready). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // corsEnabled: Vite's module scripts load in CORS mode (same-origin; no cross-origin read is ever allowed: no ACAO header is sent)
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that an app URL names, or null when the URL is not one of the app's
 * (another scheme or host, a path that would leave the folder, a NUL or backslash).
 */
export function appUrlToFile(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const segments = rel.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const file = path.join(root, ...segments);
  return file.startsWith(root.endsWith(path.sep) ? root : root + path.sep) ? file : null;
}

/** True when `p` lies inside an .asar archive (the packaged app's resources/app.asar). */
export function isInsideAsar(p: string): boolean {
  return p.split(/[\\/]/).some((seg) => seg.toLowerCase().endsWith('.asar'));
}

function isInside(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Answer a request for an app URL from `root` (the renderer folder). Open, then verify: the file
 * is opened first, and then its real path must lie inside the (real) root and be the very file
 * that was opened (same device and inode), so swapping a folder for a symlink cannot serve
 * anything outside.
 */
export async function serveAppFile(root: string, url: string, headers: Record<string, string> = {}): Promise<Response> {
  if (isInsideAsar(root)) {
    // the packaged app: an asar archive is read-only and holds no symlinks, so the path check is
    // the whole check (and Electron's asar support covers readFile, not file handles)
    const file = appUrlToFile(url, root);
    if (!file) return plain(404, 'not an app file');
    try {
      const body = await fsp.readFile(file);
      return new Response(new Uint8Array(body), { status: 200, headers: { ...headers, 'content-type': mimeType(file), 'x-content-type-options': 'nosniff' } });
    } catch {
      return plain(404, 'not found');
    }
  }
  let realRoot: string;
  try {
    realRoot = await fsp.realpath(root);
  } catch {
    return plain(404, 'the app is not built');
  }
  const file = appUrlToFile(url, realRoot);
  if (!file) return plain(404, 'not an app file');
  let fh;
  try {
    fh = await fsp.open(file, fsConstants.O_RDONLY);
  } catch {
    return plain(404, 'not found');
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return plain(404, 'not found');
    const real = await fsp.realpath(file).catch(() => null);
    if (!real || !isInside(real, realRoot)) return plain(403, 'outside the app');
    const again = await fsp.stat(real);
    if (again.ino !== st.ino || again.dev !== st.dev) return plain(403, 'changed while opened');
    const body = await fh.readFile();
    return new Response(new Uint8Array(body), { status: 200, headers: { ...headers, 'content-type': mimeType(file), 'x-content-type-options': 'nosniff' } });
  } finally {
    await fh.close();
  }
}
