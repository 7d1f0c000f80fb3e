/** agents/tf.ts, exactly: the messages of a backend that fails, the fallback and its warning, re-initialising after a switch. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { activeBackend, initTf, tf } from '../agents/tf.ts';

afterAll(async () => {
  await initTf('wasm');
});

describe('initTf, exactly', () => {
  it('wasm without threads: single-threaded binary', async () => {
    expect(await initTf('wasm')).toBe('wasm');
    expect(tf.env().get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(activeBackend()).toBe('wasm');
  });

  it('an unregistered backend: the reason, and how to fall back; no browser hint for webgl', async () => {
    const err = await initTf('webgl').then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message.startsWith("tfjs backend 'webgl' is unavailable: ")).toBe(true);
    expect(err!.message.endsWith(". Pass { fallbackToCpu: true } to run on the slower 'cpu' backend.")).toBe(true);
    expect(err!.message).not.toContain('In a browser');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a backend whose setup fails: setBackend\'s false is reported; the fallback warns through console.warn by default', async () => {
    tf.registerBackend('broken-exact', () => {
      throw new Error('no device');
    });
    const name = 'broken-exact' as never;
    await expect(initTf(name)).rejects.toThrow(
      "tfjs backend 'broken-exact' is unavailable: tf.setBackend('broken-exact') returned false (the backend failed to initialise). Pass { fallbackToCpu: true } to run on the slower 'cpu' backend.",
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await initTf(name, { fallbackToCpu: true })).toBe('cpu');
      // (tfjs warns about the failed backend too)
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('tfjs backend'))).toEqual([
        "tfjs backend 'broken-exact' is unavailable: tf.setBackend('broken-exact') returned false (the backend failed to initialise). Falling back to 'cpu'.",
      ]);
    } finally {
      warn.mockRestore();
      tf.removeBackend('broken-exact');
    }
    expect(tf.getBackend()).toBe('cpu');
  });

  it('cpu itself: no fallback and no fallback hint; asking again after a switch re-initialises', async () => {
    expect(await initTf('cpu')).toBe('cpu');
    const p = initTf('cpu');
    expect(await p).toBe('cpu');
    // someone switched the backend behind initTf's back: the same request switches it back
    await tf.setBackend('wasm');
    expect(await initTf('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
    // a failed request is not cached: the next one tries again
    await expect(initTf('webgl')).rejects.toThrow('unavailable');
    const warnings: string[] = [];
    expect(await initTf('webgl', { fallbackToCpu: true, onWarning: (m) => warnings.push(m) })).toBe('cpu');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].endsWith(" Falling back to 'cpu'.")).toBe(true);
    expect(await initTf('wasm')).toBe('wasm');
  });
});
