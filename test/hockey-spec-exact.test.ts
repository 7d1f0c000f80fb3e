import { describe, expect, it } from 'vitest';
import { thrownConfigError } from './errors.ts';
import { ConfigError } from '../sim/errors.ts';
import {
  HOCKEY_PARAM_RULES,
  actionSpace,
  hockeyDefaultParams,
  mirrorHockeyObservation,
  observationSpace,
  validateHockeyParams,
} from '../sim/hockey-spec.ts';


describe('hockey-spec: parameters (exact)', () => {
  it('defaults; given values replace them; undefined keeps the default', () => {
    expect(hockeyDefaultParams).toEqual({ frameSkip: 4, maxSteps: 300, goalWidth: 180 });
    expect(validateHockeyParams()).toEqual({ frameSkip: 4, maxSteps: 300, goalWidth: 180 });
    expect(validateHockeyParams({ frameSkip: 2, maxSteps: 50, goalWidth: 120.5 })).toEqual({ frameSkip: 2, maxSteps: 50, goalWidth: 120.5 });
    expect(validateHockeyParams({ frameSkip: undefined, goalWidth: 200 })).toEqual({ frameSkip: 4, maxSteps: 300, goalWidth: 200 });
    const p = validateHockeyParams();
    expect(p).not.toBe(hockeyDefaultParams);
  });

  it('inclusive limits: boundary table', () => {
    expect(validateHockeyParams({ frameSkip: 1 }).frameSkip).toBe(1);
    expect(validateHockeyParams({ frameSkip: 16 }).frameSkip).toBe(16);
    expect(validateHockeyParams({ maxSteps: 10 }).maxSteps).toBe(10);
    expect(validateHockeyParams({ maxSteps: 100_000 }).maxSteps).toBe(100_000);
    expect(validateHockeyParams({ goalWidth: 80 }).goalWidth).toBe(80);
    expect(validateHockeyParams({ goalWidth: 400 }).goalWidth).toBe(400);
    const bad: [Record<string, unknown>, string][] = [
      [{ frameSkip: 0 }, 'frameSkip: is 0, out of range (allowed: integer [1, 16])'],
      [{ frameSkip: 17 }, 'frameSkip: is 17, out of range (allowed: integer [1, 16])'],
      [{ frameSkip: 2.5 }, 'frameSkip: is 2.5, not an integer (allowed: integer [1, 16])'],
      [{ maxSteps: 9 }, 'maxSteps: is 9, out of range (allowed: integer [10, 100000])'],
      [{ maxSteps: 100_001 }, 'maxSteps: is 100001, out of range (allowed: integer [10, 100000])'],
      [{ goalWidth: 79.9 }, 'goalWidth: is 79.9, out of range (allowed: [80, 400])'],
      [{ goalWidth: 400.1 }, 'goalWidth: is 400.1, out of range (allowed: [80, 400])'],
      [{ goalWidth: NaN }, 'goalWidth: is NaN, not a finite number (allowed: [80, 400])'],
      [{ frameSkip: -Infinity }, 'frameSkip: is -Infinity, not a finite number (allowed: integer [1, 16])'],
      [{ maxSteps: '20' }, 'maxSteps: is 20, not a finite number (allowed: integer [10, 100000])'],
      [{ maxSteps: null }, 'maxSteps: is null, not a finite number (allowed: integer [10, 100000])'],
    ];
    for (const [p, msg] of bad) {
      const e = thrownConfigError(() => validateHockeyParams(p as never));
      expect(e.message).toBe(msg);
      expect(e.path).toBe(Object.keys(p)[0]);
    }
    // a non-integer goal width is fine
    expect(validateHockeyParams({ goalWidth: 99.25 }).goalWidth).toBe(99.25);
  });

  it('unknown keys and non-objects name their field and list the parameters', () => {
    const e = thrownConfigError(() => validateHockeyParams({ speed: 3 } as never));
    expect(e.path).toBe('speed');
    expect(e.message).toBe('speed: is not a hockey parameter (allowed: frameSkip, maxSteps, goalWidth)');
    expect(thrownConfigError(() => validateHockeyParams(null as never)).message).toBe('params: must be an object (allowed: frameSkip, maxSteps, goalWidth)');
    expect(thrownConfigError(() => validateHockeyParams(3 as never)).path).toBe('params');
    expect(thrownConfigError(() => validateHockeyParams('x' as never)).path).toBe('params');
    expect(Object.keys(HOCKEY_PARAM_RULES)).toEqual(['frameSkip', 'maxSteps', 'goalWidth']);
  });
});

describe('hockey-spec: spaces and mirror (exact)', () => {
  it('observation space: 12 names, positions to ±1 (x) and ±1.1 (y), velocities to ±1, not clipped', () => {
    expect(observationSpace.names).toEqual([
      'own.x', 'own.y', 'own.vx', 'own.vy', 'opp.x', 'opp.y', 'opp.vx', 'opp.vy', 'puck.x', 'puck.y', 'puck.vx', 'puck.vy',
    ]);
    expect(observationSpace.high).toEqual([1, 1.1, 1, 1, 1, 1.1, 1, 1, 1, 1.1, 1, 1]);
    expect(observationSpace.low).toEqual([-1, -1.1, -1, -1, -1, -1.1, -1, -1, -1, -1.1, -1, -1]);
    expect(observationSpace.clip).toBe(false);
    expect(actionSpace).toEqual({ size: 2, names: ['fx', 'fy'], low: [-1, -1], high: [1, 1], clip: true });
  });

  it('mirror negates everything and swaps own/opponent; a wrong length names the observation', () => {
    const o = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    expect(mirrorHockeyObservation(o)).toEqual([-5, -6, -7, -8, -1, -2, -3, -4, -9, -10, -11, -12]);
    const e = thrownConfigError(() => mirrorHockeyObservation([1, 2, 3]));
    expect(e.message).toBe(
      'observation: has 3 values, expected 12 (allowed: own.x, own.y, own.vx, own.vy, opp.x, opp.y, opp.vx, opp.vy, puck.x, puck.y, puck.vx, puck.vy)',
    );
    expect(thrownConfigError(() => mirrorHockeyObservation(new Array(13).fill(0))).path).toBe('observation');
  });
});
