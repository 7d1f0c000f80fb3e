/** renderer/fps.ts with a hand-driven requestAnimationFrame: frames per second and the longest frame gap. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FpsMeter } from '../renderer/fps.ts';

let queue: FrameRequestCallback[] = [];
let clock = 0;

function install(): void {
  queue = [];
  clock = 0;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => queue.push(cb));
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
}

/** Run the pending frame callback at time t (ms). */
function frameAt(t: number): void {
  clock = t;
  const cbs = queue;
  queue = [];
  cbs.forEach((cb) => cb(t));
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('FpsMeter', () => {
  it('counts frames per second and keeps the longest gap between two frames until reset', () => {
    install();
    const m = new FpsMeter();
    m.start();
    for (let t = 20; t <= 1000; t += 20) frameAt(t); // 50 frames in the first second
    expect(m.samples).toEqual([50]);
    expect(m.maxGapMs).toBe(20);
    frameAt(1300); // a 300 ms stall
    frameAt(1320);
    expect(m.maxGapMs).toBe(300);
    clock = 1400;
    m.reset();
    expect(m.maxGapMs).toBe(0);
    expect(m.samples).toEqual([]);
    frameAt(1410);
    frameAt(1530); // measured from the reset: 10 ms, then 120 ms
    expect(m.maxGapMs).toBe(120);
    m.stop();
    frameAt(2400);
    expect(m.maxGapMs).toBe(120);
    expect(queue).toEqual([]);
  });
});
