/**
 * lab/replay-video.ts, exactly: a one-frame WebM byte for byte (written out by hand from the EBML
 * and Matroska element tables), the size and cluster edges, the WebP chunk walk on hand-built
 * files with every error, and which frames the GIF's one palette is taken from.
 */
import { describe, expect, it } from 'vitest';
import { encodeGif, muxWebm, vp8FromWebp } from '../lab/replay-video.ts';
import { ebmlChildren, parseGif, parseWebm } from './media.ts';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

describe('muxWebm', () => {
  it('one 40 ms frame of 2 × 1, byte for byte', () => {
    const got = muxWebm(2, 1, [{ vp8: Uint8Array.from([1, 2, 3]), durationMs: 40 }]);
    const want = [
      // EBML header (31 bytes of children)
      0x1a, 0x45, 0xdf, 0xa3, 0x9f,
      0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04, 0x42, 0xf3, 0x81, 0x08,
      0x42, 0x82, 0x84, ...ascii('webm'), 0x42, 0x87, 0x81, 0x02, 0x42, 0x85, 0x81, 0x02,
      // Segment: Info (45) + Tracks (35) + Cluster (17) = 97
      0x18, 0x53, 0x80, 0x67, 0xe1,
      // Info: TimecodeScale 1 000 000 ns, Duration 40.0 (float64), MuxingApp, WritingApp
      0x15, 0x49, 0xa9, 0x66, 0xa8,
      0x2a, 0xd7, 0xb1, 0x83, 0x0f, 0x42, 0x40,
      0x44, 0x89, 0x88, 0x40, 0x44, 0, 0, 0, 0, 0, 0,
      0x4d, 0x80, 0x88, ...ascii('driftlab'), 0x57, 0x41, 0x88, ...ascii('driftlab'),
      // Tracks / TrackEntry: number 1, UID 1, type 1 (video), no lacing, V_VP8, 2 × 1
      0x16, 0x54, 0xae, 0x6b, 0x9e, 0xae, 0x9c,
      0xd7, 0x81, 0x01, 0x73, 0xc5, 0x81, 0x01, 0x83, 0x81, 0x01, 0x9c, 0x81, 0x00,
      0x86, 0x85, ...ascii('V_VP8'), 0xe0, 0x86, 0xb0, 0x81, 0x02, 0xba, 0x81, 0x01,
      // Cluster at 0: SimpleBlock track 1, offset 0, keyframe, the VP8 bytes
      0x1f, 0x43, 0xb6, 0x75, 0x8c, 0xe7, 0x81, 0x00, 0xa3, 0x87, 0x81, 0x00, 0x00, 0x80, 1, 2, 3,
    ];
    expect(Array.from(got)).toEqual(want);
  });

  it('clusters start every 5 s; block offsets are 16-bit from their cluster; the duration is the sum', () => {
    const f = (durationMs: number, b: number) => ({ vp8: Uint8Array.from([b]), durationMs });
    const w = parseWebm(muxWebm(640, 480, [f(3000, 1), f(1999, 2), f(1, 3), f(300, 4), f(4700, 5), f(10, 6)]));
    expect([w.docType, w.codec, w.trackType, w.width, w.height]).toEqual(['webm', 'V_VP8', 1, 640, 480]);
    expect(w.durationMs).toBe(10_010);
    expect(w.blocks.map((b) => [b.timeMs, b.keyframe, b.frame[0]])).toEqual([
      [0, true, 1], [3000, true, 2], [4999, true, 3], [5000, true, 4], [5300, true, 5], [10_000, true, 6],
    ]);
    const bytes = muxWebm(640, 480, [f(3000, 1), f(1999, 2), f(1, 3), f(300, 4), f(4700, 5), f(10, 6)]);
    const segment = ebmlChildren(ebmlChildren(bytes)[1].data);
    const clusters = segment.filter((e) => e.id === 0x1f43b675).map((c) => ebmlChildren(c.data));
    // the cluster timecodes (0, 5000 = 0x1388, 10000 = 0x2710) and the offset 4999 = 0x1387 in the first
    expect(clusters.map((k) => Array.from(k[0].data))).toEqual([[0], [0x13, 0x88], [0x27, 0x10]]);
    expect(clusters.map((k) => k.length - 1)).toEqual([3, 2, 1]);
    expect(Array.from(clusters[0][3].data.subarray(0, 4))).toEqual([0x81, 0x13, 0x87, 0x80]);
    // width 640 = 0x0280 in two bytes
    const video = ebmlChildren(ebmlChildren(ebmlChildren(segment[1].data)[0].data).find((e) => e.id === 0xe0)!.data);
    expect(video.map((e) => Array.from(e.data))).toEqual([[0x02, 0x80], [0x01, 0xe0]]);
  });

  it('sizes: one byte up to 126, two from 127 (0x7f alone is reserved)', () => {
    const sb = (n: number) => {
      const bytes = muxWebm(1, 1, [{ vp8: new Uint8Array(n), durationMs: 1 }]);
      const cluster = ebmlChildren(ebmlChildren(bytes)[1].data)[2].data;
      const block = ebmlChildren(cluster)[1];
      return { size: block.size, head: Array.from(cluster.subarray(block.offset, block.offset + 3)) };
    };
    // SimpleBlock of 4 + 122 = 126 bytes: 0xa3 0xfe
    expect(sb(122)).toEqual({ size: 126, head: [0xa3, 0xfe, 0x81] });
    // 127: 0xa3 0x40 0x7f
    expect(sb(123)).toEqual({ size: 127, head: [0xa3, 0x40, 0x7f] });
    // 16382 = 0x3ffe: 0x7f 0xfe; 16383: three bytes 0x20 0x3f 0xff
    expect(sb(16_378).head).toEqual([0xa3, 0x7f, 0xfe]);
    expect(sb(16_379).head).toEqual([0xa3, 0x20, 0x3f]);
  });

  it('no frames: an error', () => {
    expect(() => muxWebm(1, 1, [])).toThrow('a WebM needs at least one frame');
  });
});

describe('vp8FromWebp', () => {
  const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  const chunk = (tag: string, data: number[]) => [...ascii(tag), ...le32(data.length), ...data, ...(data.length & 1 ? [0] : [])];
  const webp = (...chunks: number[][]) => {
    const body = [...ascii('WEBP'), ...chunks.flat()];
    return Uint8Array.from([...ascii('RIFF'), ...le32(body.length), ...body]);
  };

  it('the VP8 chunk\'s bytes, after other chunks (odd sizes padded)', () => {
    expect(Array.from(vp8FromWebp(webp(chunk('VP8 ', [9, 8, 7, 6]))))).toEqual([9, 8, 7, 6]);
    expect(Array.from(vp8FromWebp(webp(chunk('VP8X', new Array(10).fill(0)), chunk('ICCP', [1, 2, 3]), chunk('VP8 ', [5, 4, 3]))))).toEqual([5, 4, 3]);
  });

  it('errors: not a WebP, truncated, lossless only', () => {
    expect(() => vp8FromWebp(Uint8Array.from(ascii('RIFF....WEBPVP8 ')))).toThrow('not a WebP file');
    const ok = webp(chunk('VP8 ', [1, 2, 3, 4]));
    const noRiff = ok.slice();
    noRiff[0] = 0x58;
    expect(() => vp8FromWebp(noRiff)).toThrow('not a WebP file');
    const noWebp = ok.slice();
    noWebp[11] = 0x58;
    expect(() => vp8FromWebp(noWebp)).toThrow('not a WebP file');
    // the chunk claims 5 bytes, the file holds 4
    const cut = webp([...ascii('VP8 '), ...le32(5), 1, 2, 3, 4]);
    expect(() => vp8FromWebp(cut)).toThrow('a truncated WebP file');
    // a size with the top bit set is a huge unsigned size, not a negative one
    const huge = webp([...ascii('VP8 '), 0, 0, 0, 0x80, 1, 2, 3, 4]);
    expect(() => vp8FromWebp(huge)).toThrow('a truncated WebP file');
    expect(() => vp8FromWebp(webp(chunk('VP8L', [1, 2, 3, 4])))).toThrow('the WebP file holds no lossy VP8 image');
    // exactly 20 bytes with no VP8 chunk left after the header
    expect(() => vp8FromWebp(webp(chunk('XY  ', [])))).toThrow('the WebP file holds no lossy VP8 image');
  });
});

describe('encodeGif', () => {
  /** ten solid 2 × 2 frames, each its own colour (exact in rgb565: multiples of 8, green of 4) */
  const colours = [[248, 0, 0], [0, 252, 0], [0, 0, 248], [248, 252, 0], [0, 252, 248], [248, 0, 248], [128, 128, 128], [64, 32, 8], [200, 100, 48], [16, 240, 176]];
  const frames = colours.map((c, i) => ({ rgba: Uint8Array.from(Array.from({ length: 4 }, () => [...c, 255]).flat()), durationMs: 100 + 10 * i }));

  it('one palette, from eight frames spread over the replay (10 frames: all but the 3rd and 8th)', () => {
    const bytes = encodeGif(2, 2, frames);
    const info = parseGif(bytes);
    expect([info.version, info.width, info.height, info.loops]).toEqual(['89a', 2, 2, 0]);
    expect(info.frames).toHaveLength(10);
    expect(info.frames.map((f) => f.delayCs)).toEqual(frames.map((f) => Math.round(f.durationMs / 10)));
    // the palette is the global colour table
    expect(bytes[10] & 0x80).toBe(0x80);
    const n = 1 << ((bytes[10] & 7) + 1);
    const table = Array.from({ length: n }, (_, i) => Array.from(bytes.subarray(13 + 3 * i, 16 + 3 * i)).join(','));
    const has = (c: number[]) => table.includes(c.join(','));
    // picks round(i·9/7), i = 0..7: frames 0, 1, 3, 4, 5, 6, 8, 9
    expect(colours.map(has)).toEqual([true, true, false, true, true, true, true, false, true, true]);
  });

  it('a few frames: every one sampled; one frame works; none is an error', () => {
    const three = encodeGif(2, 2, frames.slice(0, 3));
    const n = 1 << ((three[10] & 7) + 1);
    const table = Array.from({ length: n }, (_, i) => Array.from(three.subarray(13 + 3 * i, 16 + 3 * i)).join(','));
    expect(colours.slice(0, 3).every((c) => table.includes(c.join(',')))).toBe(true);
    expect(parseGif(three).frames).toHaveLength(3);
    const one = encodeGif(2, 2, [frames[7]]);
    const m = 1 << ((one[10] & 7) + 1);
    expect(Array.from({ length: m }, (_, i) => Array.from(one.subarray(13 + 3 * i, 16 + 3 * i)).join(','))).toContain('64,32,8');
    expect(parseGif(one).frames).toHaveLength(1);
    expect(() => encodeGif(2, 2, [])).toThrow('a GIF needs at least one frame');
  });
});
