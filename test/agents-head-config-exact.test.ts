/** agents/head-config.ts and agents/interrupt.ts, exactly: each check's message, defaults and edges; the interrupt switch. */
import { describe, expect, it } from 'vitest';
import { mlpShape, positiveInt, stdBounds } from '../agents/head-config.ts';
import { checkInterrupt, Interrupted, setInterruptCheck } from '../agents/interrupt.ts';
import { ConfigError } from '../sim/errors.ts';

describe('head config', () => {
  it('positiveInt: integers from 1 up; anything else names section.field', () => {
    expect(positiveInt('policy', 1, 'obsSize')).toBe(1);
    expect(positiveInt('policy', 7, 'obsSize')).toBe(7);
    expect(() => positiveInt('policy', 0, 'obsSize')).toThrow('policy.obsSize: is 0 (allowed: an integer >= 1)');
    expect(() => positiveInt('policy', -3, 'obsSize')).toThrow(ConfigError);
    expect(() => positiveInt('world', 1.5, 'actSize')).toThrow('world.actSize: is 1.5 (allowed: an integer >= 1)');
    expect(() => positiveInt('world', '2', 'actSize')).toThrow('world.actSize: is 2 (allowed: an integer >= 1)');
    expect(() => positiveInt('world', undefined, 'actSize')).toThrow('world.actSize: is undefined');
  });

  it('mlpShape: hidden [64, 64] and tanh by default; each width and the activation checked; a copy of hidden', () => {
    expect(mlpShape('p', {})).toEqual({ hidden: [64, 64], activation: 'tanh' });
    const hidden = [3, 5];
    const s = mlpShape('p', { hidden, activation: 'relu' });
    expect(s).toEqual({ hidden: [3, 5], activation: 'relu' });
    expect(s.hidden).not.toBe(hidden);
    expect(mlpShape('p', { hidden: [] , activation: 'elu' })).toEqual({ hidden: [], activation: 'elu' });
    expect(() => mlpShape('policy', { hidden: [4, 0] })).toThrow('policy.hidden[1]: is 0 (allowed: an integer >= 1)');
    expect(() => mlpShape('policy', { hidden: [2.5] })).toThrow('policy.hidden[0]: is 2.5');
    expect(() => mlpShape('world', { activation: 'sigmoid' as never })).toThrow('world.activation: is sigmoid (allowed: tanh, relu, elu)');
  });

  it('stdBounds: defaults, initStd between or the geometric mean, and every bound checked', () => {
    const d = { minStd: 0.02, initStd: 0.5 };
    expect(stdBounds('p', {}, d)).toEqual({ minStd: 0.02, maxStd: 1, initStd: 0.5 });
    expect(stdBounds('p', { minStd: 0.1, maxStd: 2, initStd: 1.5 }, d)).toEqual({ minStd: 0.1, maxStd: 2, initStd: 1.5 });
    // the default initStd outside the bounds: the geometric mean
    expect(stdBounds('p', { minStd: 0.6, maxStd: 2.4 }, d)).toEqual({ minStd: 0.6, maxStd: 2.4, initStd: Math.sqrt(0.6 * 2.4) });
    expect(stdBounds('p', { maxStd: 0.08 }, d)).toEqual({ minStd: 0.02, maxStd: 0.08, initStd: 0.04 });
    // on a bound counts as outside
    expect(stdBounds('p', { minStd: 0.5, maxStd: 2 }, d).initStd).toBe(1);
    expect(stdBounds('p', { minStd: 0.125, maxStd: 0.5 }, d).initStd).toBe(0.25);
    expect(() => stdBounds('world', { minStd: 0 }, d)).toThrow('world.minStd: is 0 (allowed: a finite number > 0)');
    expect(() => stdBounds('world', { minStd: -1 }, d)).toThrow('world.minStd: is -1');
    expect(() => stdBounds('world', { minStd: NaN }, d)).toThrow('world.minStd: is NaN');
    expect(() => stdBounds('world', { minStd: Infinity }, d)).toThrow('world.minStd: is Infinity');
    expect(() => stdBounds('world', { minStd: 0.5, maxStd: 0.5 }, d)).toThrow('world.maxStd: is 0.5 (allowed: a finite number > minStd (0.5))');
    expect(() => stdBounds('world', { maxStd: Infinity }, d)).toThrow('world.maxStd: is Infinity');
    expect(() => stdBounds('world', { maxStd: NaN }, d)).toThrow('world.maxStd: is NaN');
    expect(() => stdBounds('world', { initStd: 1 }, d)).toThrow('world.initStd: is 1 (allowed: strictly between minStd (0.02) and maxStd (1))');
    expect(() => stdBounds('world', { initStd: 0.02 }, d)).toThrow('world.initStd: is 0.02');
    expect(() => stdBounds('world', { initStd: NaN }, d)).toThrow('world.initStd: is NaN');
  });
});

describe('interrupt', () => {
  it('before any check is installed: never interrupted', () => {
    expect(() => checkInterrupt()).not.toThrow();
  });

  it('throws Interrupted only while the installed check says so; null removes the check', () => {
    let flag = false;
    setInterruptCheck(() => flag);
    try {
      expect(() => checkInterrupt()).not.toThrow();
      flag = true;
      expect(() => checkInterrupt()).toThrow(Interrupted);
      try {
        checkInterrupt();
      } catch (e) {
        expect((e as Error).name).toBe('Interrupted');
        expect((e as Error).message).toBe('interrupted');
      }
      setInterruptCheck(null);
      expect(() => checkInterrupt()).not.toThrow();
    } finally {
      setInterruptCheck(null);
    }
  });
});
