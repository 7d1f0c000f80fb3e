/**
 * Replay videos from rasterised frames, shared by the CLI (`driftlab replay`) and the app
 * ("Export replay"): an animated GIF (gifenc, pure JS) and a WebM whose video track is VP8, each
 * frame a keyframe taken from a lossy WebP image (a WebP file is a VP8 keyframe in a RIFF box),
 * muxed here with a small EBML writer. Pure: no DOM, no Node built-ins, no clock — the same frames
 * give the same bytes.
 */
import * as gifenc from 'gifenc';

/** A rasterised frame: RGBA pixels, row by row, and how long it shows (ms). */
export interface RgbaFrame {
  rgba: Uint8Array | Uint8ClampedArray;
  durationMs: number;
}

// gifenc is CommonJS in Node (its exports under `default`) and an ES module in the browser build
const gif: typeof gifenc = (gifenc as { GIFEncoder?: unknown }).GIFEncoder ? gifenc : (gifenc as unknown as { default: typeof gifenc }).default;

/**
 * An animated GIF, looping forever. One 256-colour palette for the whole replay (quantised from a
 * few frames spread over it), so colours do not flicker between frames.
 */
export function encodeGif(width: number, height: number, frames: RgbaFrame[]): Uint8Array {
  if (frames.length === 0) throw new Error('a GIF needs at least one frame');
  const picks = [...new Set(Array.from({ length: Math.min(8, frames.length) }, (_, i) => Math.round((i * (frames.length - 1)) / Math.max(1, Math.min(8, frames.length) - 1))))];
  const sample = new Uint8Array(picks.length * width * height * 4);
  picks.forEach((f, i) => sample.set(frames[f].rgba.subarray(0, width * height * 4), i * width * height * 4));
  const palette = gif.quantize(sample, 256, { format: 'rgb565' });
  const enc = gif.GIFEncoder();
  frames.forEach((f, i) => {
    const index = gif.applyPalette(f.rgba, palette, 'rgb565');
    enc.writeFrame(index, width, height, i === 0 ? { palette, delay: f.durationMs, repeat: 0 } : { delay: f.durationMs });
  });
  enc.finish();
  return enc.bytes();
}

/**
 * The VP8 bitstream of a lossy WebP file (its 'VP8 ' chunk, also inside an extended 'VP8X' file).
 * Throws on a lossless ('VP8L') or malformed file.
 */
export function vp8FromWebp(webp: Uint8Array): Uint8Array {
  const tag = (o: number) => String.fromCharCode(webp[o], webp[o + 1], webp[o + 2], webp[o + 3]);
  const u32 = (o: number) => webp[o] | (webp[o + 1] << 8) | (webp[o + 2] << 16) | (webp[o + 3] << 24 >>> 0);
  if (webp.length < 20 || tag(0) !== 'RIFF' || tag(8) !== 'WEBP') throw new Error('not a WebP file');
  for (let o = 12; o + 8 <= webp.length; ) {
    const size = u32(o + 4) >>> 0;
    if (tag(o) === 'VP8 ') {
      if (o + 8 + size > webp.length) throw new Error('a truncated WebP file');
      return webp.slice(o + 8, o + 8 + size);
    }
    o += 8 + size + (size & 1);
  }
  throw new Error('the WebP file holds no lossy VP8 image');
}

// ---------------------------------------------------------------------------------------------
// A minimal EBML writer for WebM

type Bytes = Uint8Array;

function concat(parts: Bytes[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** An element ID: its bytes as written (the marker bits included). */
function idBytes(id: number): Bytes {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.from(out);
}

/** An EBML variable-size integer for an element's data size (the shortest that fits). */
function sizeBytes(n: number): Bytes {
  for (let len = 1; len <= 8; len++) {
    if (n < 2 ** (7 * len) - 1) {
      const out = new Uint8Array(len);
      let v = n;
      for (let i = len - 1; i >= 0; i--) {
        out[i] = v % 256;
        v = Math.floor(v / 256);
      }
      out[0] |= 1 << (8 - len);
      return out;
    }
  }
  throw new Error(`an EBML element of ${n} bytes is too large`);
}

function uintBytes(v: number): Bytes {
  const out: number[] = [];
  for (let x = v; x > 0 || out.length === 0; x = Math.floor(x / 256)) out.unshift(x % 256);
  return Uint8Array.from(out);
}

const el = (id: number, data: Bytes | Bytes[]): Bytes => {
  const body = Array.isArray(data) ? concat(data) : data;
  return concat([idBytes(id), sizeBytes(body.length), body]);
};
const uint = (id: number, v: number) => el(id, uintBytes(v));
const str = (id: number, s: string) => el(id, Uint8Array.from(s, (c) => c.charCodeAt(0) & 0x7f));
function float64(id: number, v: number): Bytes {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v);
  return el(id, b);
}

const ID = {
  EBML: 0x1a45dfa3,
  EBMLVersion: 0x4286,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  FlagLacing: 0x9c,
  CodecID: 0x86,
  DefaultDuration: 0x23e383,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
} as const;

/** A cluster holds at most this much time (block timecodes are 16-bit offsets from it). */
const CLUSTER_MS = 5000;

/**
 * A WebM file with one VP8 video track: every frame a keyframe in a SimpleBlock, timecodes in ms.
 * `frames[i].vp8` is a VP8 keyframe (e.g. from vp8FromWebp) of `width` × `height`.
 */
export function muxWebm(width: number, height: number, frames: { vp8: Uint8Array; durationMs: number }[]): Uint8Array {
  if (frames.length === 0) throw new Error('a WebM needs at least one frame');
  const total = frames.reduce((s, f) => s + f.durationMs, 0);
  const header = el(ID.EBML, [
    uint(ID.EBMLVersion, 1),
    uint(ID.EBMLReadVersion, 1),
    uint(ID.EBMLMaxIDLength, 4),
    uint(ID.EBMLMaxSizeLength, 8),
    str(ID.DocType, 'webm'),
    uint(ID.DocTypeVersion, 2),
    uint(ID.DocTypeReadVersion, 2),
  ]);
  const info = el(ID.Info, [uint(ID.TimecodeScale, 1_000_000), float64(ID.Duration, total), str(ID.MuxingApp, 'driftlab'), str(ID.WritingApp, 'driftlab')]);
  const tracks = el(ID.Tracks, [
    el(ID.TrackEntry, [
      uint(ID.TrackNumber, 1),
      uint(ID.TrackUID, 1),
      uint(ID.TrackType, 1),
      uint(ID.FlagLacing, 0),
      str(ID.CodecID, 'V_VP8'),
      el(ID.Video, [uint(ID.PixelWidth, width), uint(ID.PixelHeight, height)]),
    ]),
  ]);
  const clusters: Bytes[] = [];
  let t = 0;
  let clusterStart = -1;
  let blocks: Bytes[] = [];
  const flush = () => {
    if (blocks.length) clusters.push(el(ID.Cluster, [uint(ID.Timecode, clusterStart), ...blocks]));
    blocks = [];
  };
  for (const f of frames) {
    if (clusterStart < 0 || t - clusterStart >= CLUSTER_MS) {
      flush();
      clusterStart = t;
    }
    const rel = t - clusterStart;
    // track number 1 (a 1-byte vint), the 16-bit relative timecode, flags: keyframe
    const head = Uint8Array.from([0x81, (rel >> 8) & 0xff, rel & 0xff, 0x80]);
    blocks.push(el(ID.SimpleBlock, [head, f.vp8]));
    t += f.durationMs;
  }
  flush();
  return concat([header, el(ID.Segment, [info, tracks, ...clusters])]);
}
