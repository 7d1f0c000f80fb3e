/** The replay encoders' pure parts (lab/replay-video.ts), read back with test/media.ts. */
import { describe, expect, it } from 'vitest';
import { encodeGif, muxWebm, vp8FromWebp } from '../lab/replay-video.ts';
import { ebmlChildren, parseGif, parseWebm } from './media.ts';

const riff = (chunks: [string, number[]][]) => {
  const body: number[] = [...'WEBP'].map((c) => c.charCodeAt(0));
  for (const [tag, data] of chunks) {
    const n = data.length;
    body.push(...[...tag].map((c) => c.charCodeAt(0)), n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...data);
    if (n & 1) body.push(0);
  }
  const n = body.length;
  return Uint8Array.from([...[...'RIFF'].map((c) => c.charCodeAt(0)), n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...body]);
};

describe('vp8FromWebp', () => {
  it("takes the 'VP8 ' chunk of a simple or an extended (VP8X + ALPH) file", () => {
    expect([...vp8FromWebp(riff([['VP8 ', [1, 2, 3]]]))]).toEqual([1, 2, 3]);
    expect([...vp8FromWebp(riff([['VP8X', new Array(10).fill(0)], ['ALPH', [9, 9, 9]], ['VP8 ', [4, 5, 6, 7]]]))]).toEqual([4, 5, 6, 7]);
  });
  it('refuses a lossless or a non-WebP file', () => {
    expect(() => vp8FromWebp(riff([['VP8L', [1, 2, 3, 4]]]))).toThrow(/no lossy VP8 image/);
    expect(() => vp8FromWebp(new Uint8Array(40))).toThrow(/not a WebP file/);
  });
});

describe('muxWebm', () => {
  it('puts every frame in a SimpleBlock at its time, a new cluster every 5 s, the duration in Info', () => {
    const frames = Array.from({ length: 30 }, (_, i) => ({ vp8: Uint8Array.from([i, 0x9d, 0x01, 0x2a]), durationMs: i === 29 ? 2000 : 400 }));
    const bytes = muxWebm(320, 200, frames);
    const w = parseWebm(bytes);
    expect(w).toMatchObject({ docType: 'webm', codec: 'V_VP8', trackType: 1, width: 320, height: 200, durationMs: 29 * 400 + 2000 });
    expect(w.blocks.map((b) => b.timeMs)).toEqual(frames.map((_, i) => i * 400));
    expect(w.blocks.map((b) => b.frame[0])).toEqual(frames.map((_, i) => i));
    expect(w.blocks.every((b) => b.keyframe)).toBe(true);
    const segment = ebmlChildren(ebmlChildren(bytes)[1].data);
    expect(segment.filter((e) => e.id === 0x1f43b675)).toHaveLength(3); // 0–4.8 s, 5.2–10 s, 10.4–11.6 s
  });
});

describe('encodeGif', () => {
  it('one frame per input, the delays in centiseconds, looping forever', () => {
    const frame = (v: number) => ({ rgba: new Uint8Array(4 * 6 * 4).fill(v), durationMs: 50 });
    const g = parseGif(encodeGif(6, 4, [frame(0), frame(128), { ...frame(255), durationMs: 2000 }]));
    expect(g).toMatchObject({ version: '89a', width: 6, height: 4, loops: 0 });
    expect(g.frames.map((f) => f.delayCs)).toEqual([5, 5, 200]);
  });
});
