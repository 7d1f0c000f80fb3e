import { ConfigError } from '../sim/errors.ts';

/**
 * The run folder's record: where its files live and the content hashes that let a reader trust
 * them. Pure (no Node built-ins, no DOM): the CLI, the app and tests share it.
 */

/**
 * The default run folder's name for an experiment name: a safe slug (lowercase letters, digits,
 * '.', '_' and '-'; never empty, never starting with '.'), so a name can never address a path
 * outside `runs/`.
 */
export function runFolderName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  return slug || 'run';
}

// ---------------------------------------------------------------------------------------------
// Content hashes (SHA-256, hex) — pure TypeScript, so the browser and worker threads agree.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 of a string (as UTF-8) or bytes, as 64 hex digits. */
export function sha256(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const n = bytes.length;
  const padded = new Uint8Array((((n + 9 + 63) >> 6) << 6));
  padded.set(bytes);
  padded[n] = 0x80;
  const view = new DataView(padded.buffer);
  // Stryker disable next-line BooleanLiteral: the high word is 0 below 512 MiB, the same in either byte order
  view.setUint32(padded.length - 8, Math.floor(n / 0x20000000), false);
  view.setUint32(padded.length - 4, (n << 3) >>> 0, false);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4, false);
    // Stryker disable next-line EqualityOperator: w[64] is past the typed array's end (the write is ignored)
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15];
      const b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  let out = '';
  for (let i = 0; i < 8; i++) out += h[i].toString(16).padStart(8, '0');
  return out;
}

/** SHA-256 hex of a file's content; Web Crypto where there is one (Node, browsers), else the code above. */
export async function contentHash(data: string | Uint8Array): Promise<string> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  // Stryker disable next-line ConditionalExpression: both ways give the same hash (the tests compare them)
  if (!subtle) return sha256(data);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}

// ---------------------------------------------------------------------------------------------
// The run folder's layout and its integrity record.

export const METRICS_FILE = 'metrics.jsonl';
export const statePath = (seed: number) => `state/s${seed}.json`;
export const CALIBRATION_STATE = 'state/calibration.json';
/** The folders holding one seed's files (checkpoints, samples). */
export const seedFolders = (seed: number) => [`checkpoints/s${seed}/`, `samples/s${seed}/`];

/** One seed's files: its sealed state, D0, generation 0, and each lineage's checkpoints, training samples and self-play by generation. */
export const seedFiles = {
  state: statePath,
  g0: (seed: number) => `checkpoints/s${seed}/g0.json`,
  ckpt: (seed: number, lineage: string, g: number) => `checkpoints/s${seed}/${lineage}/g${g}.json`,
  d0: (seed: number) => `samples/s${seed}/d0.json`,
  samples: (seed: number, lineage: string, g: number) => `samples/s${seed}/${lineage}/g${g}.json`,
  play: (seed: number, lineage: string, g: number) => `samples/s${seed}/${lineage}/g${g}-play.json`,
};

/** The checkpoint of a lineage's generation (generation 0 is shared by every lineage of the seed). */
export function checkpointPath(seed: number, lineage: string, generation: number): string {
  return generation === 0 ? seedFiles.g0(seed) : seedFiles.ckpt(seed, lineage, generation);
}

/** A run folder that is not as driftlab wrote it: names the file. (A ConfigError: exit 2.) */
export class CorruptRunError extends ConfigError {
  constructor(file: string, problem: string) {
    super(file, problem, 'the run folder as driftlab wrote it: restore the file or start the run again');
    this.name = 'CorruptRunError';
  }
}

export type FileHashes = Record<string, string>;

/** Count and hash of one seed's metrics lines (the exact lines, joined by '\n'). */
export interface RowsRecord {
  count: number;
  sha256: string;
}

export async function rowsRecord(lines: readonly string[]): Promise<RowsRecord> {
  return { count: lines.length, sha256: await contentHash(lines.join('\n')) };
}

/**
 * A sealed record (a seed's state, the calibration record): the object with a `sha256` of its
 * own JSON (without that field), so a damaged or hand-edited record is recognised.
 */
export async function seal<T extends object>(record: T): Promise<string> {
  const body = JSON.stringify(record);
  return JSON.stringify({ ...record, sha256: await contentHash(body) });
}

/** Parse a record written by `seal`; legacy records without `sha256` are returned as they are. */
export async function unseal<T extends object>(text: string, file: string): Promise<T & { sealed: boolean }> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new CorruptRunError(file, 'is not valid JSON (truncated or damaged)');
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new CorruptRunError(file, 'is not a JSON object');
  const { sha256: want, ...rest } = obj as Record<string, unknown>;
  if (want === undefined) return { ...(rest as T), sealed: false };
  // Stryker disable next-line ConditionalExpression: a non-string never equals a hex digest
  if (typeof want !== 'string' || (await contentHash(JSON.stringify(rest))) !== want) throw new CorruptRunError(file, 'does not match its own hash (damaged or edited)');
  return { ...(rest as T), sealed: true };
}

/** Minimal storage view (structurally a RunStorage). */
interface Store {
  read(path: string): Promise<string | null>;
  write(path: string, data: string | Uint8Array): Promise<void>;
  append(path: string, line: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}

/**
 * A storage that records the content hash of every file it writes and checks every file it reads
 * against a known hash (recorded here or loaded from a seed's state): a damaged, replaced or
 * missing checkpoint or sample set is refused by name instead of silently changing results.
 */
export class VerifiedStorage implements Store {
  readonly hashes = new Map<string, string>();
  constructor(private readonly inner: Store) {}

  know(files: FileHashes | undefined): void {
    for (const [p, h] of Object.entries(files ?? {})) this.hashes.set(p, h);
  }

  /** The recorded hashes of files under the given folders, sorted by path. */
  filesUnder(prefixes: string[]): FileHashes {
    const out: FileHashes = {};
    for (const p of [...this.hashes.keys()].filter((k) => prefixes.some((x) => k.startsWith(x))).sort()) out[p] = this.hashes.get(p)!;
    return out;
  }

  async read(path: string): Promise<string | null> {
    const text = await this.inner.read(path);
    const want = this.hashes.get(path);
    if (want !== undefined) {
      if (text === null) throw new CorruptRunError(path, 'is missing');
      if ((await contentHash(text)) !== want) throw new CorruptRunError(path, 'does not match its recorded hash (damaged or replaced)');
    }
    return text;
  }

  async write(path: string, data: string | Uint8Array): Promise<void> {
    this.hashes.set(path, await contentHash(data));
    await this.inner.write(path, data);
  }

  append(path: string, line: string): Promise<void> {
    return this.inner.append(path, line);
  }

  exists(path: string): Promise<boolean> {
    return this.inner.exists(path);
  }
}

/**
 * The lines of a metrics file. A last line without its newline that is not valid JSON was torn by
 * a crash mid-append: it is dropped (`torn`). Any other line that is not JSON is corruption.
 */
export function metricsLines(text: string, file = METRICS_FILE): { lines: string[]; rows: unknown[]; torn: boolean } {
  const raw = text.split('\n');
  const lines: string[] = [];
  const rows: unknown[] = [];
  let torn = false;
  raw.forEach((l, i) => {
    if (!l.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(l);
    } catch {
      if (i === raw.length - 1 && !text.endsWith('\n')) torn = true;
      else throw new CorruptRunError(`${file}:${i + 1}`, 'is not valid JSON');
      return;
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new CorruptRunError(`${file}:${i + 1}`, 'is not a metrics row (a JSON object)');
    rows.push(row);
    lines.push(l);
  });
  return { lines, rows, torn };
}

/** The lines (and parsed rows) of one seed. */
export function seedLines(lines: readonly string[], rows: readonly unknown[], seed: number): string[] {
  const out: string[] = [];
  rows.forEach((r, i) => {
    if ((r as { seed?: unknown } | null)?.seed === seed) out.push(lines[i]);
  });
  return out;
}

export interface SeedRecord {
  generation: number;
  files?: FileHashes;
  rows?: RowsRecord;
}

/**
 * Check a finished or interrupted physics run folder against its records: every seed's sealed
 * state, the files it lists and its metrics rows. Throws CorruptRunError naming the file.
 */
export async function verifyPhysicsRun(store: Pick<Store, 'read'>, seeds: readonly number[], generations: number, metricsText: string): Promise<void> {
  const { lines, rows } = metricsLines(metricsText);
  for (const seed of seeds) {
    const mine = seedLines(lines, rows, seed);
    const text = await store.read(statePath(seed));
    if (text === null) {
      if (mine.length > 0) throw new CorruptRunError(statePath(seed), `is missing although ${METRICS_FILE} has ${mine.length} rows of seed ${seed}`);
      continue;
    }
    const state = await unseal<SeedRecord>(text, statePath(seed));
    if (!state.sealed) continue; // a run made before records were sealed
    checkStateGeneration(state, generations, statePath(seed));
    // Stryker disable next-line ArrowFunction,BooleanLiteral: a read-only check: write, append and exists are never called
    const v = new VerifiedStorage({ read: (p) => store.read(p), write: async () => {}, append: async () => {}, exists: async () => false });
    v.know(state.files);
    for (const p of Object.keys(state.files ?? {})) await v.read(p);
    await checkRows(mine, state.rows, seed);
  }
}

export function checkStateGeneration(state: { generation?: unknown }, generations: number, file: string): void {
  if (!Number.isInteger(state.generation) || (state.generation as number) < -1 || (state.generation as number) > generations) {
    throw new CorruptRunError(file, `claims generation ${JSON.stringify(state.generation)}, outside -1..${generations}`);
  }
}

/** A seed's metrics lines against its state's record. */
export async function checkRows(mine: readonly string[], want: RowsRecord | undefined, seed: number, file = METRICS_FILE): Promise<void> {
  if (!want) return;
  if (mine.length !== want.count) throw new CorruptRunError(file, `has ${mine.length} rows of seed ${seed}, its state records ${want.count}`);
  if ((await rowsRecord(mine)).sha256 !== want.sha256) throw new CorruptRunError(file, `rows of seed ${seed} do not match the hash its state records (damaged or edited)`);
}

/** Check a calibration run's metrics against `state/calibration.json` (absent in older runs). */
export async function verifyCalibrationRun(store: Pick<Store, 'read'>, metricsText: string): Promise<void> {
  const text = await store.read(CALIBRATION_STATE);
  const { lines } = metricsLines(metricsText);
  if (text === null) return;
  const rec = await unseal<{ rows?: RowsRecord }>(text, CALIBRATION_STATE);
  if (!rec.sealed || !rec.rows) return;
  if (lines.length !== rec.rows.count) throw new CorruptRunError(METRICS_FILE, `has ${lines.length} rows, ${CALIBRATION_STATE} records ${rec.rows.count}`);
  if ((await rowsRecord(lines)).sha256 !== rec.rows.sha256) throw new CorruptRunError(METRICS_FILE, `does not match the hash ${CALIBRATION_STATE} records (damaged or edited)`);
}
