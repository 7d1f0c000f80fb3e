import { describe, expect, it } from 'vitest';
import { activeBackend, initTf, tf } from '../agents/tf.ts';

describe('initTf', () => {
  it('starts the wasm backend and is idempotent', async () => {
    expect(await initTf()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(activeBackend()).toBe('wasm');
    const again = await Promise.all([initTf('wasm'), initTf()]);
    expect(again).toEqual(['wasm', 'wasm']);
    // the backend computes
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2])));
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    y.dispose();
  });

  it('reports an unavailable backend clearly and falls back to cpu only when asked', async () => {
    // webgl is not registered in Node
    await expect(initTf('webgl')).rejects.toThrow(/'webgl' is unavailable.*fallbackToCpu/);
    expect(tf.getBackend()).toBe('wasm');
    const warnings: string[] = [];
    expect(await initTf('webgl', { fallbackToCpu: true, onWarning: (m) => warnings.push(m) })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/'webgl' is unavailable.*Falling back to 'cpu'/);
    // asking for wasm again switches back
    expect(await initTf('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
