/**
 * A run bundle: the single-file form of a run folder that the web page's "Save run" downloads
 * (`{ format: "driftlab-run-bundle", formatVersion: 1, name, files: { path: text } }`). Parsed
 * here once for everything that turns a bundle back into a folder: `driftlab import` and the
 * desktop app opening a double-clicked bundle. Pure: no Node, no DOM.
 */

export const RUN_BUNDLE_FORMAT = 'driftlab-run-bundle';

export class BundleError extends Error {
  constructor(
    /** the offending part: "bundle", "files", or a file's path */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'BundleError';
  }
}

/** The single-file form of a run folder (what "Save run" downloads in the web page). */
export interface RunBundle {
  format: typeof RUN_BUNDLE_FORMAT;
  formatVersion: 1;
  name: string;
  /** every file of the run folder by relative path ('/'-separated) */
  files: Record<string, string>;
}

/** A run folder's files as one bundle, sorted by path. */
export function toBundle(name: string, files: ReadonlyMap<string, string>): RunBundle {
  const sorted = [...files.keys()].sort();
  return { format: RUN_BUNDLE_FORMAT, formatVersion: 1, name, files: Object.fromEntries(sorted.map((k) => [k, files.get(k)!])) };
}

export interface ParsedBundle {
  name: string;
  /** relative path ('/'-separated) → text, sorted by path */
  files: Map<string, string>;
}

/** Files a run folder may hold (what the CLI and the app write). */
const RUN_FILE = /^(manifest\.json|metrics\.jsonl|(checkpoints|samples|state)\/[A-Za-z0-9._/-]+\.json)$/;

/** Whether a relative path names a file a run folder may hold (what the app reads back). */
export function isRunFile(p: string): boolean {
  return RUN_FILE.test(p);
}

/** A relative path that stays inside the folder: no '..', '.', empty segment, '\', NUL or drive. */
export function isSafeRunPath(p: string): boolean {
  return (
    typeof p === 'string' &&
    // Stryker disable next-line ConditionalExpression,EqualityOperator: '' also fails the segment rule below
    p.length > 0 &&
    p.length < 512 &&
    // Stryker disable next-line MethodExpression: a leading (or trailing) '/' also makes an empty segment
    !p.startsWith('/') &&
    !p.includes('\\') &&
    !p.includes('\0') &&
    !/^[A-Za-z]:/.test(p) &&
    p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && s.length <= 255)
  );
}

/**
 * Parse a bundle's text. Refuses (BundleError naming the part) anything that is not a Driftlab
 * bundle, a file path that could leave the folder or is not a run file, non-text contents, and a
 * bundle without manifest.json or metrics.jsonl. The run's content itself is checked by whoever
 * reads the folder (`driftlab report` / `check`, the app).
 */
export function parseRunBundle(text: string): ParsedBundle {
  let b: unknown;
  try {
    b = JSON.parse(text);
  } catch (e) {
    throw new BundleError('bundle', `is not valid JSON (${(e as Error).message})`);
  }
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new BundleError('bundle', 'is not a JSON object');
  const o = b as Record<string, unknown>;
  if (o.format !== RUN_BUNDLE_FORMAT) {
    throw new BundleError('bundle', `has format ${JSON.stringify(o.format) ?? 'undefined'}, expected "${RUN_BUNDLE_FORMAT}" (a file saved with "Save run")`);
  }
  if (o.formatVersion !== 1) throw new BundleError('bundle', `has formatVersion ${JSON.stringify(o.formatVersion) ?? 'undefined'}, expected 1`);
  if (typeof o.files !== 'object' || o.files === null || Array.isArray(o.files)) throw new BundleError('files', 'is missing or not an object of path → text');
  const entries = Object.entries(o.files as Record<string, unknown>);
  const files = new Map<string, string>();
  // Stryker disable next-line EqualityOperator,ConditionalExpression: object keys are unique, and sort only tells < 0 from >= 0
  for (const [p, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!isSafeRunPath(p)) throw new BundleError(p, 'is not a relative path inside a run folder');
    if (!RUN_FILE.test(p)) throw new BundleError(p, 'is not a run file (allowed: manifest.json, metrics.jsonl, checkpoints/…, samples/…, state/… .json)');
    if (typeof v !== 'string') throw new BundleError(p, 'is not text');
    files.set(p, v);
  }
  for (const required of ['manifest.json', 'metrics.jsonl']) {
    if (!files.has(required)) throw new BundleError(required, 'is missing from the bundle');
  }
  const name = typeof o.name === 'string' && o.name.trim() ? o.name : 'run';
  return { name, files };
}
