/**
 * Checkpoint JSON: a model's config plus its weights, each tensor as base64 of a little-endian
 * Float32Array. Plain data: no tfjs, no fs (the CLI / app decide where the JSON goes).
 *
 * {
 *   "format": "driftlab-checkpoint", "version": 1, "kind": "policy" | "world-model",
 *   "config": { ...the model's resolved config... },
 *   "tensors": [ { "name": "w0", "shape": [3, 32], "data": "<base64 f32 LE>" }, ... ],
 *   "meta": { ...optional free-form provenance (lineage, generation, seed)... }
 * }
 */

export const CHECKPOINT_FORMAT = 'driftlab-checkpoint';
export const CHECKPOINT_VERSION = 1;

export type CheckpointKind = 'policy' | 'world-model';

export interface TensorRecord {
  name: string;
  shape: number[];
  /** base64 of the little-endian float32 bytes, row-major */
  data: string;
}

export interface Checkpoint<K extends CheckpointKind = CheckpointKind, C = unknown> {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  kind: K;
  config: C;
  tensors: TensorRecord[];
  meta?: Record<string, unknown>;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Standard base64 (with '=' padding) of bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += B64[(v >> 18) & 63] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: chunking only bounds string building; the joined text is the same
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = n - i;
  if (rest === 1) {
    const v = bytes[i] << 16;
    chunk += B64[(v >> 18) & 63] + B64[(v >> 12) & 63] + '==';
  } else if (rest === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    chunk += B64[(v >> 18) & 63] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

export function base64ToBytes(s: string): Uint8Array {
  if (s.length % 4 !== 0) throw new Error(`base64: length ${s.length} is not a multiple of 4`);
  let pad = 0;
  if (s.endsWith('==')) pad = 2;
  else if (s.endsWith('=')) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  const digit = (k: number): number => {
    const ch = s.charCodeAt(k);
    // Stryker disable next-line ConditionalExpression: the last `pad` characters are '=' by the definition of pad
    if (ch === 61 /* '=' */ && k >= s.length - pad) return 0;
    const v = ch < 128 ? B64_INDEX[ch] : -1;
    if (v < 0) throw new Error(`base64: invalid character at ${k}`);
    return v;
  };
  for (let i = 0; i < s.length; i += 4) {
    const v = (digit(i) << 18) | (digit(i + 1) << 12) | (digit(i + 2) << 6) | digit(i + 3);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a typed array ignores writes past its end
    if (o < out.length) out[o++] = (v >> 16) & 255;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: as above
    if (o < out.length) out[o++] = (v >> 8) & 255;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: as above
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

/** base64 of the little-endian float32 bytes (independent of the platform's byte order). */
export function encodeF32(a: ArrayLike<number>): string {
  const buf = new ArrayBuffer(a.length * 4);
  const dv = new DataView(buf);
  for (let i = 0; i < a.length; i++) dv.setFloat32(i * 4, a[i], true);
  return bytesToBase64(new Uint8Array(buf));
}

export function decodeF32(s: string): Float32Array {
  const bytes = base64ToBytes(s);
  if (bytes.length % 4 !== 0) throw new Error(`decodeF32: ${bytes.length} bytes is not a whole number of float32`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function makeCheckpoint<K extends CheckpointKind, C>(
  kind: K,
  config: C,
  tensors: { name: string; shape: number[]; values: Float32Array }[],
  meta?: Record<string, unknown>,
): Checkpoint<K, C> {
  const out: Checkpoint<K, C> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    kind,
    config: JSON.parse(JSON.stringify(config)) as C,
    tensors: tensors.map((t) => {
      if (t.values.length !== shapeSize(t.shape)) {
        throw new Error(`checkpoint tensor ${t.name}: ${t.values.length} values for shape [${t.shape}]`);
      }
      return { name: t.name, shape: [...t.shape], data: encodeF32(t.values) };
    }),
  };
  if (meta !== undefined) out.meta = meta;
  return out;
}

/**
 * Check a parsed JSON value is a checkpoint of the given kind and decode its tensors, checking
 * names and shapes against `expectedFor(config)` when given (it may throw on a bad config). Throws an Error naming what is wrong.
 */
export function readCheckpoint<C>(
  json: unknown,
  kind: CheckpointKind,
  expectedFor?: (config: C) => { name: string; shape: number[] }[],
): { config: C; tensors: Float32Array[]; meta?: Record<string, unknown> } {
  if (typeof json === 'string') json = JSON.parse(json);
  if (json === null || typeof json !== 'object') throw new Error('checkpoint: not an object');
  const j = json as Partial<Checkpoint>;
  if (j.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint: format is ${String(j.format)}, expected ${CHECKPOINT_FORMAT}`);
  if (j.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint: version ${String(j.version)} is not supported (expected ${CHECKPOINT_VERSION})`);
  if (j.kind !== kind) throw new Error(`checkpoint: kind is ${String(j.kind)}, expected ${kind}`);
  if (!Array.isArray(j.tensors)) throw new Error('checkpoint: tensors missing');
  if (j.config === null || typeof j.config !== 'object') throw new Error('checkpoint: config missing');
  const expected = expectedFor?.(j.config as C);
  if (expected && expected.length !== j.tensors.length) {
    throw new Error(`checkpoint: ${j.tensors.length} tensors, expected ${expected.length}`);
  }
  const tensors = j.tensors.map((t, i) => {
    if (!t || typeof t.data !== 'string' || !Array.isArray(t.shape)) throw new Error(`checkpoint: tensor ${i} is malformed`);
    const values = decodeF32(t.data);
    if (values.length !== shapeSize(t.shape)) throw new Error(`checkpoint: tensor ${t.name} has ${values.length} values for shape [${t.shape}]`);
    const e = expected?.[i];
    if (e && (e.name !== t.name || e.shape.length !== t.shape.length || e.shape.some((d, k) => d !== t.shape[k]))) {
      throw new Error(`checkpoint: tensor ${i} is ${t.name} [${t.shape}], expected ${e.name} [${e.shape}]`);
    }
    return values;
  });
  return { config: j.config as C, tensors, meta: j.meta };
}
