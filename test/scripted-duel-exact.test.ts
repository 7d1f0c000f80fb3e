/**
 * agents/scripted/duel.ts, exactly: the wind-free ballistics against a step-by-step Verlet flight
 * and hand-worked geometry, and each style's first and corrected shots with a scripted rng whose
 * uniform and normal draws are given (and whose calls are recorded).
 *
 * Hand constants: g = 0.001 · (1000/60)² per step², launch height 20/2 + 25 = 35, assumed hill
 * half-width 140, distance 720 + 120·obs, hill height 125·(obs + 1), hill at d·(obs/3 + 1)/2,
 * landing = d + 600·miss, angle = 45 + 35·action, speed = 8 + 9·(action + 1).
 */
import { describe, expect, it } from 'vitest';
import { duelClearAngle, duelDirect, duelLob, duelModelRange, duelScripted, duelSloppy, duelSpeedForRange } from '../agents/scripted/duel.ts';
import type { Rng } from '../sim/rng.ts';

const G = 0.001 * (1000 / 60) ** 2;
const DEG = Math.PI / 180;
const angleAction = (deg: number) => (deg - 45) / 35;
const speedAction = (v: number) => (v - 8) / 9 - 1;
const clip = (x: number) => Math.max(-1, Math.min(1, x));

/** A scripted rng: uniform(lo, hi) returns lo + u·(hi − lo) for the next given u; normal() the next given z. */
function script(us: number[], zs: number[]) {
  const u = [...us];
  const z = [...zs];
  const calls: string[] = [];
  const rng = {
    uniform(lo: number, hi: number) {
      calls.push(`uniform(${lo},${hi})`);
      if (u.length === 0) throw new Error('no uniform draw left');
      return lo + u.shift()! * (hi - lo);
    },
    normal() {
      calls.push('normal');
      if (z.length === 0) throw new Error('no normal draw left');
      return z.shift()!;
    },
  } as unknown as Rng;
  return { rng, calls };
}

/** A duel observation: distance, hill height and position, and the player's last shot (if any). */
function obs(o: { dist?: number; hill?: number; pos?: number; fired?: boolean; angle?: number; power?: number; miss?: number }): number[] {
  const x = new Array(14).fill(0.3);
  x[1] = o.dist ?? 0;
  x[2] = o.hill ?? 0;
  x[3] = o.pos ?? 0;
  x[5] = o.angle ?? 0;
  x[6] = o.power ?? 0;
  x[7] = o.miss ?? 0;
  x[8] = o.fired ? 1 : -1;
  return x;
}

describe('ballistics', () => {
  it('duelModelRange: back at launch height after n = 2·v·sinθ/g − 1 Verlet steps', () => {
    // a flight of exactly 10 steps: v·sin30° = 5.5·g
    const v = (5.5 * G) / Math.sin(30 * DEG);
    let y = 0;
    let vy = v * Math.sin(30 * DEG);
    let x = 0;
    let steps = 0;
    do {
      vy -= G;
      y += vy;
      x += v * Math.cos(30 * DEG);
      steps++;
    } while (y > 1e-9);
    expect(steps).toBe(10);
    expect(duelModelRange(30, v)).toBeCloseTo(x, 9);
    // 45°, speed 10: 10·cos45°·(20·sin45°/g − 1)
    expect(duelModelRange(45, 10)).toBeCloseTo(Math.SQRT1_2 * 10 * ((20 * Math.SQRT1_2) / G - 1), 9);
    expect(duelModelRange(60, 20)).toBeCloseTo(10 * ((40 * Math.sin(60 * DEG)) / G - 1), 9);
  });

  it('duelSpeedForRange: the speed whose model range is r (0 for r ≤ 0)', () => {
    for (const [deg, r] of [[30, 500], [45, 800], [70, 300], [12, 650]]) {
      const v = duelSpeedForRange(deg, r);
      expect(duelModelRange(deg, v)).toBeCloseTo(r, 6);
      expect(v).toBeGreaterThan(0);
    }
    // range 0: n = 0 steps, i.e. v·sinθ = g/2
    expect(duelSpeedForRange(30, 0)).toBeCloseTo(G / 2 / Math.sin(30 * DEG), 12);
    expect(duelSpeedForRange(30, -50)).toBeCloseTo(G / 2 / Math.sin(30 * DEG), 12);
  });

  it('duelClearAngle: the arc y = x·tanθ·(1 − x/d) passes the hill top plus margin', () => {
    // d = 780, hill 150 high at 390: tanθ · 390 · 0.5 = 150 − 35 + 15
    expect(duelClearAngle(780, 150, 390)).toBeCloseTo(Math.atan(130 / 195) / DEG, 9);
    expect(duelClearAngle(780, 150, 390, 25)).toBeCloseTo(Math.atan(140 / 195) / DEG, 9);
    // at 1/4 of the way: 200 · (1 − 0.25) · tanθ = 100 − 35 + 15
    expect(duelClearAngle(800, 100, 200)).toBeCloseTo(Math.atan(80 / 150) / DEG, 9);
    // the hill's place is kept between 5 % and 95 % of the way
    expect(duelClearAngle(800, 100, 8)).toBeCloseTo(Math.atan(80 / (800 * 0.05 * 0.95)) / DEG, 9);
    expect(duelClearAngle(800, 100, 792)).toBeCloseTo(Math.atan(80 / (800 * 0.95 * 0.05)) / DEG, 9);
    // a hill below the launch point needs no angle
    expect(duelClearAngle(800, 10, 400)).toBe(0);
  });
});

describe('first shots', () => {
  it('direct: an angle in [20, 40], raised to clear the hill (plus 0–2°), speed for the distance with 6 % noise', () => {
    // d = 780, h = 150, hill at 390: clear angle atan(130/195) = 33.69°, + 1 → 34.69 > 30
    const { rng, calls } = script([0.5, 0.5], [1]);
    const a = duelDirect.act(obs({ dist: 0.5, hill: 0.2, pos: 0 }), rng);
    const deg = Math.atan(130 / 195) / DEG + 1;
    expect(calls).toEqual(['uniform(20,40)', 'uniform(0,2)', 'normal']);
    expect(a[0]).toBeCloseTo(angleAction(deg), 12);
    expect(a[1]).toBeCloseTo(speedAction(duelSpeedForRange(deg, 780) * 1.06), 12);
    // a low hill: the drawn angle stands (38 > clear angle)
    const low = script([0.9, 0.5], [0]);
    const b = duelDirect.act(obs({ dist: 0.5, hill: -0.6, pos: 0 }), low.rng);
    expect(b[0]).toBeCloseTo(angleAction(38), 12);
    expect(b[1]).toBeCloseTo(speedAction(duelSpeedForRange(38, 780)), 12);
  });

  it('direct: never above 44°, even for a high hill', () => {
    // h = 250: clear angle atan(230/195) = 49.7°
    const { rng } = script([0.5, 0], [-1]);
    const a = duelDirect.act(obs({ dist: 0.5, hill: 1, pos: 0 }), rng);
    expect(a[0]).toBeCloseTo(angleAction(44), 12);
    expect(a[1]).toBeCloseTo(speedAction(duelSpeedForRange(44, 780) * 0.94), 12);
  });

  it('lob and sloppy: their own angle ranges, no hill clearing, and their first-shot noise', () => {
    const lob = script([0.2], [0.5]);
    // d = 720 − 60 = 660; hill far off the line does not matter
    const a = duelLob.act(obs({ dist: -0.5, hill: 1, pos: 1 }), lob.rng);
    expect(lob.calls).toEqual(['uniform(60,75)', 'normal']);
    expect(a[0]).toBeCloseTo(angleAction(63), 12);
    expect(a[1]).toBeCloseTo(speedAction(duelSpeedForRange(63, 660) * 1.03), 12);
    const sl = script([1], [1]);
    const b = duelSloppy.act(obs({ dist: -0.5 }), sl.rng);
    expect(sl.calls).toEqual(['uniform(25,70)', 'normal']);
    expect(b[0]).toBeCloseTo(angleAction(70), 12);
    expect(b[1]).toBeCloseTo(speedAction(duelSpeedForRange(70, 660) * 1.08), 12);
  });

  it('a "has fired" flag of 0 is not a shot yet: the first-shot rule', () => {
    const o = obs({ dist: 0.5, hill: -0.6, pos: 0 });
    o[8] = 0;
    const { rng, calls } = script([0.9, 0.5], [0]);
    const a = duelDirect.act(o, rng);
    expect(calls).toEqual(['uniform(20,40)', 'uniform(0,2)', 'normal']);
    expect(a[0]).toBeCloseTo(angleAction(38), 12);
  });

  it('actions are clipped to [−1, 1]', () => {
    const { rng } = script([0.5], [40]);
    const a = duelLob.act(obs({ dist: 1 }), rng);
    expect(a).toEqual([angleAction(67.5), 1]);
    const s = script([0.5], [-40]);
    expect(duelLob.act(obs({ dist: 1 }), s.rng)[1]).toBe(-1);
  });
});

describe('corrected shots', () => {
  // d = 780, h = 150, hill at 390 (covering 250..530 with the assumed half-width)
  const base = { dist: 0.5, hill: 0.2, pos: 0, fired: true };

  it('blocked by the hill: 6° steeper (or the clear angle with margin 25), speed for the distance', () => {
    // landed at 780 − 300 = 480, on the hill; last angle 31°
    const { rng, calls } = script([], [1]);
    const a = duelDirect.act(obs({ ...base, angle: -0.4, power: 0.2, miss: -0.5 }), rng);
    expect(calls).toEqual(['normal']);
    expect(a[0]).toBeCloseTo(angleAction(37), 12);
    expect(a[1]).toBeCloseTo(speedAction(duelSpeedForRange(37, 780) * 1.03), 12);
    // last angle 25°: the clear angle (35.68°) is the larger
    const b = duelDirect.act(obs({ ...base, angle: -20 / 35, power: 0.2, miss: -0.5 }), script([], [0]).rng);
    const clear = Math.atan(140 / 195) / DEG;
    expect(b[0]).toBeCloseTo(angleAction(clear), 12);
    expect(b[1]).toBeCloseTo(speedAction(duelSpeedForRange(clear, 780)), 12);
    // lob: 60° + 6 = 66
    const c = duelLob.act(obs({ ...base, angle: 15 / 35, power: 0.2, miss: -0.5 }), script([], [-1]).rng);
    expect(c[0]).toBeCloseTo(angleAction(66), 12);
    expect(c[1]).toBeCloseTo(speedAction(duelSpeedForRange(66, 780) * 0.98), 12);
    // never above the cap: lob at 75° → 78
    const d = duelLob.act(obs({ ...base, angle: 30 / 35, power: 0.2, miss: -0.5 }), script([], [0]).rng);
    expect(d[0]).toBeCloseTo(angleAction(78), 12);
  });

  /** The ratio correction by hand: k = land / model range, clamped to [0.3, 3]; target d / k^gain. */
  function corrected(lastDeg: number, lastV: number, land: number, d: number, deg: number, gain: number, noise: number, z: number, boost = 1) {
    const model = lastV * Math.cos(lastDeg * DEG) * ((2 * lastV * Math.sin(lastDeg * DEG)) / G - 1);
    const k = Math.min(3, Math.max(0.3, land / Math.max(1, model)));
    return [angleAction(deg), speedAction(duelSpeedForRange(deg, d / k ** gain) * (1 + noise * z) * boost)];
  }

  it('a miss off the hill: the angle jittered, the speed corrected by where the last shot landed', () => {
    // last shot 30° at speed 17, landed 60 beyond the target (840)
    const { rng, calls } = script([], [1, -1]);
    const a = duelDirect.act(obs({ ...base, angle: -15 / 35, power: 0, miss: 0.1 }), rng);
    expect(calls).toEqual(['normal', 'normal']);
    const want = corrected(30, 17, 840, 780, 30.5, 1, 0.03, -1);
    expect(a[0]).toBeCloseTo(want[0], 12);
    expect(a[1]).toBeCloseTo(want[1], 12);
    // sloppy: jitter 4°, gain 0.4, noise 5 %
    const b = duelSloppy.act(obs({ ...base, angle: -15 / 35, power: 0, miss: 0.1 }), script([], [0.5, 1]).rng);
    const wb = corrected(30, 17, 840, 780, 32, 0.4, 0.05, 1);
    expect(b[0]).toBeCloseTo(wb[0], 12);
    expect(b[1]).toBeCloseTo(wb[1], 12);
    // lob: noise 2 %
    const c = duelLob.act(obs({ ...base, angle: 20 / 35, power: 0.5, miss: 0.1 }), script([], [0, 1]).rng);
    const wc = corrected(65, 21.5, 840, 780, 65, 1, 0.02, 1);
    expect(c[0]).toBeCloseTo(wc[0], 12);
    expect(c[1]).toBeCloseTo(wc[1], 12);
  });

  it('the ratio is kept within [0.3, 3] and the model range at least 1; the angle within [10°, cap]', () => {
    // far too long: 840 against a model range of ~47 (speed 8 at 15°) → k = 3
    const a = duelSloppy.act(obs({ ...base, angle: -30 / 35, power: -1, miss: 0.1 }), script([], [0, 0]).rng);
    const wa = corrected(15, 8, 840, 780, 15, 0.4, 0.05, 0);
    expect(a[1]).toBeCloseTo(wa[1], 12);
    expect(a[1]).toBeCloseTo(speedAction(duelSpeedForRange(15, 780 / 3 ** 0.4)), 12);
    // far too short: d = 600, landed at 600 − 480 = 120 (off the hill at 300 ± 140) against a
    // model range of ~2380 (40° at speed 26) → k = 0.3, aiming at 2000
    const b = duelDirect.act(obs({ ...base, dist: -1, angle: -5 / 35, power: 1, miss: -0.8 }), script([], [0, 0]).rng);
    expect(b[1]).toBeCloseTo(speedAction(duelSpeedForRange(40, 600 / 0.3)), 12);
    expect(b[1]).toBeLessThan(1);
    // the angle floor: 11° − 4·2 → 10°
    const c = duelSloppy.act(obs({ ...base, angle: -34 / 35, power: 0, miss: 0.1 }), script([], [-2, 0]).rng);
    expect(c[0]).toBeCloseTo(angleAction(10), 12);
    // the cap: direct at 44° + 0.5·3 → 44°
    const d = duelDirect.act(obs({ ...base, angle: -1 / 35, power: 0, miss: 0.1 }), script([], [3, 0]).rng);
    expect(d[0]).toBeCloseTo(angleAction(44), 12);
    // a model range below 1 counts as 1: 45° (capped to 44°) at speed 0.1 → k = min(3, 840) = 3
    // (a speed the actions cannot give, 8 at least, so the floor is seen through a tiny observation)
    const e = duelDirect.act(obs({ ...base, angle: 0, power: -1 - 2 * 7.9 / 18, miss: 0.1 }), script([], [0, 0]).rng);
    expect(e[0]).toBeCloseTo(angleAction(44), 12);
    expect(e[1]).toBeCloseTo(speedAction(duelSpeedForRange(44, 780 / 3)), 12);
  });

  it('on the hill at the angle cap: the ratio correction, then 8 % more speed', () => {
    // direct at 44° (cap 44, not below 43.5): landed at 480 on the hill
    const a = duelDirect.act(obs({ ...base, angle: -1 / 35, power: 0, miss: -0.5 }), script([], [0, 1]).rng);
    const wa = corrected(44, 17, 480, 780, 44, 1, 0.03, 1, 1.08);
    expect(a[0]).toBeCloseTo(wa[0], 12);
    expect(a[1]).toBeCloseTo(wa[1], 12);
    // exactly 43.5° (the cap − 0.5) is not below it: the ratio correction (two draws), boosted
    const edge = script([], [0, 0]);
    const e = duelDirect.act(obs({ ...base, angle: -1.5 / 35, power: 0, miss: -0.5 }), edge.rng);
    expect(edge.calls).toEqual(['normal', 'normal']);
    const we = corrected(43.5, 17, 480, 780, 43.5, 1, 0.03, 0, 1.08);
    expect(e[1]).toBeCloseTo(we[1], 12);
    // 43.4° is still below the cap − 0.5: re-aimed steeper (capped to 44)
    const b = duelDirect.act(obs({ ...base, angle: -1.6 / 35, power: 0, miss: -0.5 }), script([], [0]).rng);
    expect(b[0]).toBeCloseTo(angleAction(44), 12);
    expect(b[1]).toBeCloseTo(speedAction(duelSpeedForRange(44, 780)), 12);
  });

  it('what counts as on the hill: short by more than 0.04, within 140 of the hill, a hill above the launch point', () => {
    const onHill = (o: Parameters<typeof obs>[0]) => {
      // direct at 31°: on the hill it re-aims at 37° with one draw; otherwise it jitters (two draws)
      const s = script([], [0, 0]);
      duelDirect.act(obs({ ...base, angle: -0.4, power: 0.2, ...o }), s.rng);
      return s.calls.length === 1;
    };
    expect(onHill({ miss: -0.5 })).toBe(true);
    expect(onHill({ miss: -0.04 })).toBe(false);
    expect(onHill({ miss: -0.0401 - 0.4 })).toBe(true);
    // landing 780 − 600·0.85 = 270 > 250: on; 780 − 600·0.9 = 240 < 250: off
    expect(onHill({ miss: -0.85 })).toBe(true);
    expect(onHill({ miss: -0.9 })).toBe(false);
    // the far edge: hill at 780·(1/3 + 1)/2 = 520, up to 660: landing 650 on, 780 − 0.1·600 = 720 off
    expect(onHill({ pos: 1, miss: -130 / 600 })).toBe(true);
    expect(onHill({ pos: 1, miss: -0.1 })).toBe(false);
    // just short by 0.04 exactly is not on the hill, nor a shot short by less (a hill at
    // 780·(2/3 + 1)/2 = 650 from an off-range observation, so the landing 756 is within 140 of it)
    expect(onHill({ pos: 2, miss: -0.0401 })).toBe(true);
    expect(onHill({ pos: 2, miss: -0.04 })).toBe(false);
    expect(onHill({ pos: 2, miss: -0.03 })).toBe(false);
    // a hill 35 high (obs −0.72) is not above the launch point
    expect(onHill({ hill: -0.72, miss: -0.5 })).toBe(false);
    expect(onHill({ hill: -0.7, miss: -0.5 })).toBe(true);
  });
});

describe('the styles', () => {
  it('names, styles, weights; lob is the rare one', () => {
    expect(duelScripted.map((s) => [s.name, s.weight, s.rare, s.player.name, s.player.style])).toEqual([
      ['direct', 0.7, false, 'duel-direct', 'direct'],
      ['lob', 0.2, true, 'duel-lob', 'lob'],
      ['sloppy', 0.1, false, 'duel-sloppy', 'sloppy'],
    ]);
  });
});
