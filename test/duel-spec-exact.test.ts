import { describe, expect, it } from 'vitest';
import { thrownConfigError } from './errors.ts';
import {
  DUEL_OBS_NAMES,
  LOB_MIN_ANGLE,
  OBS,
  actionFromAngle,
  actionFromSpeed,
  angleFromAction,
  clamp1,
  duelActionSpace,
  duelObservationPoints,
  duelObservationSpace,
  duelShotStyle,
  duelStyleCounts,
  mirrorDuelObservation,
  speedFromAction,
  validateDuelParams,
} from '../sim/duel-spec.ts';
import { ConfigError } from '../sim/errors.ts';
import type { EpisodeRecord, Pair, Vec } from '../sim/types.ts';


describe('duel-spec: action maps (hand-computed)', () => {
  it('angle: -1 → 10°, 0 → 45°, 1 → 80°, 0.5 → 62.5°; and back', () => {
    expect(angleFromAction(-1)).toBe(10);
    expect(angleFromAction(0)).toBe(45);
    expect(angleFromAction(1)).toBe(80);
    expect(angleFromAction(0.5)).toBe(62.5);
    expect(actionFromAngle(10)).toBe(-1);
    expect(actionFromAngle(45)).toBe(0);
    expect(actionFromAngle(80)).toBe(1);
    expect(actionFromAngle(62.5)).toBe(0.5);
  });

  it('speed: -1 → 8, 0 → 17, 1 → 26, 0.5 → 21.5 units/step; and back', () => {
    expect(speedFromAction(-1)).toBe(8);
    expect(speedFromAction(0)).toBe(17);
    expect(speedFromAction(1)).toBe(26);
    expect(speedFromAction(0.5)).toBe(21.5);
    expect(actionFromSpeed(8)).toBe(-1);
    expect(actionFromSpeed(17)).toBe(0);
    expect(actionFromSpeed(26)).toBe(1);
    expect(actionFromSpeed(21.5)).toBe(0.5);
  });

  it('clamp1 clips to [-1, 1] and never returns -0', () => {
    expect(clamp1(-3)).toBe(-1);
    expect(clamp1(3)).toBe(1);
    expect(clamp1(0.25)).toBe(0.25);
    expect(clamp1(-0.25)).toBe(-0.25);
    expect(clamp1(1)).toBe(1);
    expect(clamp1(-1)).toBe(-1);
    expect(Object.is(clamp1(-0), 0)).toBe(true);
    expect(clamp1(1.0000001)).toBe(1);
    expect(clamp1(-1.0000001)).toBe(-1);
  });
});

describe('duel-spec: parameters', () => {
  it('defaults, and a complete valid set is returned as given', () => {
    expect(validateDuelParams()).toEqual({ shotsPerPlayer: 10, windMax: 1, hillMin: 40, hillMax: 150 });
    expect(validateDuelParams({})).toEqual({ shotsPerPlayer: 10, windMax: 1, hillMin: 40, hillMax: 150 });
    expect(validateDuelParams({ shotsPerPlayer: 3, windMax: 0.5, hillMin: 20, hillMax: 30 })).toEqual({
      shotsPerPlayer: 3, windMax: 0.5, hillMin: 20, hillMax: 30,
    });
    // undefined keeps the default
    expect(validateDuelParams({ windMax: undefined, hillMax: 200 })).toEqual({ shotsPerPlayer: 10, windMax: 1, hillMin: 40, hillMax: 200 });
  });

  it('the limits are inclusive: exact boundary table', () => {
    const ok: [string, number][] = [
      ['shotsPerPlayer', 1], ['shotsPerPlayer', 50], ['windMax', 0], ['windMax', 1],
      ['hillMin', 10], ['hillMax', 250],
    ];
    for (const [k, v] of ok) {
      const p = k === 'hillMin' ? { hillMin: v } : k === 'hillMax' ? { hillMax: v } : { [k]: v };
      expect(validateDuelParams(p)[k as 'windMax']).toBe(v);
    }
    expect(validateDuelParams({ hillMin: 250, hillMax: 250 }).hillMin).toBe(250);
    expect(validateDuelParams({ hillMin: 10, hillMax: 10 }).hillMax).toBe(10);
    const bad: [Record<string, number>, string][] = [
      [{ shotsPerPlayer: 0 }, 'shotsPerPlayer: is 0, out of range (allowed: integer in [1, 50])'],
      [{ shotsPerPlayer: 51 }, 'shotsPerPlayer: is 51, out of range (allowed: integer in [1, 50])'],
      [{ shotsPerPlayer: 2.5 }, 'shotsPerPlayer: is 2.5, not an integer (allowed: integer in [1, 50])'],
      [{ windMax: -0.01 }, 'windMax: is -0.01, out of range (allowed: number in [0, 1])'],
      [{ windMax: 1.01 }, 'windMax: is 1.01, out of range (allowed: number in [0, 1])'],
      [{ hillMin: 9.5 }, 'hillMin: is 9.5, out of range (allowed: number in [10, 250])'],
      [{ hillMax: 250.5 }, 'hillMax: is 250.5, out of range (allowed: number in [10, 250])'],
      [{ hillMin: 100, hillMax: 99 }, 'hillMin: is 100, above hillMax (99) (allowed: ≤ hillMax)'],
    ];
    for (const [p, msg] of bad) expect(thrownConfigError(() => validateDuelParams(p)).message).toBe(msg);
  });

  it('non-finite and non-number values, unknown keys and a non-object name their field', () => {
    expect(thrownConfigError(() => validateDuelParams({ windMax: NaN })).message).toBe('windMax: is NaN, not a finite number (allowed: number in [0, 1])');
    expect(thrownConfigError(() => validateDuelParams({ hillMax: Infinity })).message).toBe('hillMax: is Infinity, not a finite number (allowed: number in [10, 250])');
    expect(thrownConfigError(() => validateDuelParams({ shotsPerPlayer: '3' as unknown as number })).message).toBe(
      'shotsPerPlayer: is 3, not a finite number (allowed: integer in [1, 50])',
    );
    const e = thrownConfigError(() => validateDuelParams({ gravity: 2 } as never));
    expect(e.path).toBe('gravity');
    expect(e.message).toBe('gravity: is not a duel parameter (allowed: shotsPerPlayer, windMax, hillMin, hillMax)');
    expect(thrownConfigError(() => validateDuelParams(null as never)).message).toBe('params: must be an object (allowed: DuelParams)');
    expect(thrownConfigError(() => validateDuelParams(7 as never)).path).toBe('params');
    // fields are checked in order: the first bad one is named
    expect(thrownConfigError(() => validateDuelParams({ shotsPerPlayer: 0, windMax: 9 })).path).toBe('shotsPerPlayer');
    expect(thrownConfigError(() => validateDuelParams({ windMax: 9, hillMin: 0 })).path).toBe('windMax');
    expect(thrownConfigError(() => validateDuelParams({ hillMin: 0, hillMax: 999 })).path).toBe('hillMin');
  });
});

describe('duel-spec: spaces and mirror', () => {
  it('observation and action spaces, OBS indices', () => {
    expect(duelObservationSpace.names).toEqual([...DUEL_OBS_NAMES]);
    expect(duelObservationSpace.size).toBe(14);
    expect(duelObservationSpace.low).toEqual(new Array(14).fill(-1));
    expect(duelObservationSpace.high).toEqual(new Array(14).fill(1));
    expect(duelObservationSpace.clip).toBe(false);
    expect(duelActionSpace).toEqual({ size: 2, names: ['angle', 'power'], low: [-1, -1], high: [1, 1], clip: true });
    expect(OBS.myTurn).toBe(0);
    expect(OBS.distance).toBe(1);
    expect(OBS.myLastMiss).toBe(7);
    expect(OBS.enemyHasFired).toBe(12);
    expect(OBS.progress).toBe(13);
  });

  it('mirror swaps my/enemy fields, negates turn, hill position and wind, without -0', () => {
    const o = [1, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, -0.5, -0.6, -0.7, -0.8, 0.9];
    expect(mirrorDuelObservation(o)).toEqual([-1, 0.1, 0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8, 0.5, 0.6, 0.7, 0.8, 0.9]);
    const z = mirrorDuelObservation(new Array(14).fill(0));
    expect(z.every((v) => Object.is(v, 0))).toBe(true);
    expect(z).toHaveLength(14);
    expect(mirrorDuelObservation(mirrorDuelObservation(o))).toEqual(o);
  });
});

describe('duel-spec: styles and observation points', () => {
  it('duelShotStyle: lob from 55° up (action 2/7), direct below, clipped actions, null for non-finite', () => {
    expect(LOB_MIN_ANGLE).toBe(55);
    expect(duelShotStyle(1)).toBe('lob');
    expect(duelShotStyle(0.3)).toBe('lob'); // 55.5°
    expect(duelShotStyle(0.28)).toBe('direct'); // 54.8°
    expect(duelShotStyle(0.2)).toBe('direct'); // 52°
    expect(duelShotStyle(0)).toBe('direct');
    expect(duelShotStyle(-1)).toBe('direct');
    expect(duelShotStyle(5)).toBe('lob');
    expect(duelShotStyle(-5)).toBe('direct');
    expect(duelShotStyle(NaN)).toBeNull();
    expect(duelShotStyle(Infinity)).toBeNull();
    expect(duelShotStyle(-Infinity)).toBeNull();
    // exactly at the threshold (if 45 + 35·a lands on 55 in floating point) it is a lob
    const a = 10 / 35;
    expect(duelShotStyle(a)).toBe(45 + 35 * a < 55 ? 'direct' : 'lob');
    expect(duelShotStyle(0.2857143)).toBe('lob');
  });

  it('duelStyleCounts counts only the active steps of that player that have an action', () => {
    const ep = {
      actions: [
        [[0.5, 0], [0, 0]],
        [[0, 0], [0.9, 0]],
        [[0.9, 0], [-0.9, 0]],
        [[NaN, 0], [1, 0]],
        [[], [0.8, 0]],
        [[0.9, 0], [0.9, 0]],
      ] as Pair<Vec>[],
      active: [[true, false], [false, true], [true, true], [true, true], [true, true]] as Pair<boolean>[],
    } as unknown as EpisodeRecord;
    // player 0: t0 lob, t2 lob, t3 NaN (no style), t4 empty; t5 has no active entry
    expect(duelStyleCounts(ep, 0)).toEqual({ direct: 0, lob: 2 });
    // player 1: t1 lob, t2 direct, t3 lob, t4 lob; t0 inactive
    expect(duelStyleCounts(ep, 1)).toEqual({ direct: 1, lob: 3 });
    const short = { actions: [[[0, 0], [0, 0]]], active: [[true, true], [true, true]] } as unknown as EpisodeRecord;
    expect(duelStyleCounts(short, 0)).toEqual({ direct: 1, lob: 0 });
    const holes = { actions: [undefined, [[0.9, 0]]], active: [undefined, [true, true]] } as unknown as EpisodeRecord;
    expect(duelStyleCounts(holes, 0)).toEqual({ direct: 0, lob: 1 });
    expect(duelStyleCounts(holes, 1)).toEqual({ direct: 0, lob: 0 });
    // an action of one number (the angle) is enough; a missing step with an active entry is skipped
    const one = { actions: [[[0.9], [-0.9]], undefined], active: [[true, true], [true, true]] } as unknown as EpisodeRecord;
    expect(duelStyleCounts(one, 0)).toEqual({ direct: 0, lob: 1 });
    expect(duelStyleCounts(one, 1)).toEqual({ direct: 1, lob: 0 });
  });

  it('duelObservationPoints places tanks, hill and landings (hand-computed)', () => {
    const o = new Array(14).fill(0);
    o[OBS.distance] = 0.5; // d = 780: tanks at 110 and 890
    o[OBS.hillPos] = 0.3; // f = 0.55 → hill x = 110 + 429 = 539
    o[OBS.hillHeight] = 0.2; // h = 150 → y = 310
    o[OBS.myHasFired] = 1;
    o[OBS.myLastMiss] = -0.25; // 890 - 150
    o[OBS.enemyHasFired] = 1;
    o[OBS.enemyLastMiss] = 0.5; // 110 - 300
    const pts = duelObservationPoints(o);
    expect(pts).toHaveLength(5);
    expect(pts[0]).toEqual({ label: 'me', x: 110, y: 450 });
    expect(pts[1]).toEqual({ label: 'enemy', x: 890, y: 450 });
    expect(pts[2].label).toBe('hill');
    expect(pts[2].x).toBeCloseTo(539, 9);
    expect(pts[2].y).toBeCloseTo(310, 9);
    expect(pts[3]).toEqual({ label: 'myLanding', x: 740, y: 460, from: { x: 110, y: 425 } });
    expect(pts[4]).toEqual({ label: 'enemyLanding', x: -190, y: 460, from: { x: 890, y: 425 } });
    // not fired (-1) and the boundary 0: no landing points
    o[OBS.myHasFired] = 0;
    o[OBS.enemyHasFired] = -1;
    expect(duelObservationPoints(o).map((p) => p.label)).toEqual(['me', 'enemy', 'hill']);
    o[OBS.myHasFired] = -1;
    o[OBS.enemyHasFired] = 0;
    expect(duelObservationPoints(o).map((p) => p.label)).toEqual(['me', 'enemy', 'hill']);
    o[OBS.enemyHasFired] = 0.5;
    expect(duelObservationPoints(o).map((p) => p.label)).toEqual(['me', 'enemy', 'hill', 'enemyLanding']);
    // another distance and hill: d = 720 - 120 = 600, tanks at 200 and 800; hill f = (-1/3+1)/2 → 200 + 200
    const q = new Array(14).fill(0);
    q[OBS.distance] = -1;
    q[OBS.hillPos] = -1;
    q[OBS.hillHeight] = -0.6; // h = 50
    const qp = duelObservationPoints(q);
    expect(qp[0]).toEqual({ label: 'me', x: 200, y: 450 });
    expect(qp[1]).toEqual({ label: 'enemy', x: 800, y: 450 });
    expect(qp[2].x).toBeCloseTo(400, 9);
    expect(qp[2].y).toBeCloseTo(410, 9);
  });
});
