/**
 * Readers of the replay formats for the tests, written from the specifications and independent of
 * the encoders they check: GIF89a (block structure) and WebM (EBML elements).
 */

export interface GifInfo {
  version: string;
  width: number;
  height: number;
  /** image descriptors, in order, with their graphic-control delay (centiseconds) */
  frames: { left: number; top: number; width: number; height: number; delayCs: number }[];
  /** the NETSCAPE2.0 loop count (0 = forever), null when absent */
  loops: number | null;
}

/** Walk a GIF's blocks; throws on a malformed file. */
export function parseGif(b: Uint8Array): GifInfo {
  const ascii = (o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));
  const u16 = (o: number) => b[o] | (b[o + 1] << 8);
  if (ascii(0, 3) !== 'GIF') throw new Error('no GIF signature');
  const version = ascii(3, 3);
  const width = u16(6);
  const height = u16(8);
  let o = 13;
  if (b[10] & 0x80) o += 3 * (1 << ((b[10] & 7) + 1));
  const skipSubBlocks = () => {
    for (;;) {
      if (o >= b.length) throw new Error('truncated sub-blocks');
      const n = b[o++];
      if (n === 0) return;
      o += n;
    }
  };
  const frames: GifInfo['frames'] = [];
  let delay = 0;
  let loops: number | null = null;
  for (;;) {
    if (o >= b.length) throw new Error('no trailer');
    const t = b[o++];
    if (t === 0x3b) break;
    if (t === 0x21) {
      const label = b[o++];
      if (label === 0xf9) delay = u16(o + 2);
      if (label === 0xff && ascii(o + 1, 11) === 'NETSCAPE2.0') loops = u16(o + 14);
      skipSubBlocks();
    } else if (t === 0x2c) {
      const f = { left: u16(o), top: u16(o + 2), width: u16(o + 4), height: u16(o + 6), delayCs: delay };
      const packed = b[o + 8];
      o += 9;
      if (packed & 0x80) o += 3 * (1 << ((packed & 7) + 1));
      o++; // LZW minimum code size
      skipSubBlocks();
      frames.push(f);
    } else throw new Error(`unexpected block 0x${t.toString(16)} at ${o - 1}`);
  }
  return { version, width, height, frames, loops };
}

export interface EbmlElement {
  id: number;
  offset: number;
  size: number;
  data: Uint8Array;
}

function vint(b: Uint8Array, o: number, keepMarker: boolean): { value: number; length: number } {
  const first = b[o];
  let len = 1;
  while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
  if (len > 8) throw new Error(`bad EBML integer at ${o}`);
  let v = keepMarker ? first : first & (0xff >> len);
  for (let i = 1; i < len; i++) v = v * 256 + b[o + i];
  return { value: v, length: len };
}

/** The EBML elements of one level. */
export function ebmlChildren(b: Uint8Array): EbmlElement[] {
  const out: EbmlElement[] = [];
  for (let o = 0; o < b.length; ) {
    const id = vint(b, o, true);
    const size = vint(b, o + id.length, false);
    const start = o + id.length + size.length;
    if (start + size.value > b.length) throw new Error(`element 0x${id.value.toString(16)} at ${o} overruns its parent`);
    out.push({ id: id.value, offset: o, size: size.value, data: b.subarray(start, start + size.value) });
    o = start + size.value;
  }
  return out;
}

export interface WebmInfo {
  docType: string;
  codec: string;
  trackType: number;
  width: number;
  height: number;
  durationMs: number;
  /** SimpleBlocks in order: absolute time (ms), keyframe flag, the frame's bytes */
  blocks: { timeMs: number; keyframe: boolean; frame: Uint8Array }[];
}

const uintOf = (d: Uint8Array) => d.reduce((v, x) => v * 256 + x, 0);
const strOf = (d: Uint8Array) => String.fromCharCode(...d);

/** Read a WebM file with one video track; throws when an expected element is missing. */
export function parseWebm(b: Uint8Array): WebmInfo {
  const top = ebmlChildren(b);
  if (top[0]?.id !== 0x1a45dfa3) throw new Error('no EBML header');
  const find = (els: EbmlElement[], id: number) => {
    const e = els.find((x) => x.id === id);
    if (!e) throw new Error(`no element 0x${id.toString(16)}`);
    return e;
  };
  const docType = strOf(find(ebmlChildren(top[0].data), 0x4282).data);
  const segment = ebmlChildren(find(top, 0x18538067).data);
  const info = ebmlChildren(find(segment, 0x1549a966).data);
  const dur = find(info, 0x4489).data;
  const durationMs = new DataView(dur.buffer, dur.byteOffset, dur.byteLength).getFloat64(0) * (uintOf(find(info, 0x2ad7b1).data) / 1e6);
  const track = ebmlChildren(find(ebmlChildren(find(segment, 0x1654ae6b).data), 0xae).data);
  const video = ebmlChildren(find(track, 0xe0).data);
  const blocks: WebmInfo['blocks'] = [];
  for (const cluster of segment.filter((e) => e.id === 0x1f43b675)) {
    const kids = ebmlChildren(cluster.data);
    const base = uintOf(find(kids, 0xe7).data);
    for (const sb of kids.filter((e) => e.id === 0xa3)) {
      const tn = vint(sb.data, 0, false);
      const rel = (sb.data[tn.length] << 8) | sb.data[tn.length + 1];
      blocks.push({ timeMs: base + (rel > 0x7fff ? rel - 0x10000 : rel), keyframe: (sb.data[tn.length + 2] & 0x80) !== 0, frame: sb.data.subarray(tn.length + 3) });
    }
  }
  return {
    docType,
    codec: strOf(find(track, 0x86).data),
    trackType: uintOf(find(track, 0x83).data),
    width: uintOf(find(video, 0xb0).data),
    height: uintOf(find(video, 0xba).data),
    durationMs,
    blocks,
  };
}

/** A VP8 keyframe's frame tag: keyframe flag, start code 9d 01 2a, and its 14-bit size. */
export function vp8Keyframe(frame: Uint8Array): { keyframe: boolean; width: number; height: number } | null {
  if (frame.length < 10 || frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return null;
  return { keyframe: (frame[0] & 1) === 0, width: (frame[6] | (frame[7] << 8)) & 0x3fff, height: (frame[8] | (frame[9] << 8)) & 0x3fff };
}
