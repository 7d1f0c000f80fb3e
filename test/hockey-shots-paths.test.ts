/**
 * The observation classifier (classifyShotsFromObservations) on puck paths built by a small
 * free-flight simulator of its own: the puck moves in straight lines at physics-step resolution,
 * bounces off the rails (x = 18, 482) and the end walls outside the goal mouth (y = 18, 782), and
 * is kicked by a paddle placed 48 units (paddle + puck radius) behind it at the kick, possibly moving.
 * Observations are taken every k physics steps. The expected shots follow from that geometry:
 * who kicked, whether the path crossed the centre line, how it left a rail and where it ended.
 */
import { describe, expect, it } from 'vitest';
import { classifyShotsFromObservations } from '../sim/hockey-shots.ts';
import { hockeyDef } from '../sim/hockey.ts';
import type { EpisodeRecord, Vec } from '../sim/types.ts';

interface Disc { x: number; y: number; vx: number; vy: number }
interface Kick {
  /** the interval between observations t - 1 and t, after j of its k physics steps */
  t: number;
  j: number;
  by: 0 | 1;
  v: [number, number];
  /** paddle velocity (units per physics step) during that interval */
  w?: [number, number];
  /** no paddle is moved there: a deflection the observations cannot explain */
  ghost?: boolean;
}
interface Path {
  k: number;
  n: number;
  puck: Disc;
  kicks?: Kick[];
  home?: [[number, number], [number, number]];
  /** a paddle moved (and held still) from observation t on */
  moves?: { t: number; by: 0 | 1; x: number; y: number }[];
  /** observations to keep taking after a goal */
  after?: number;
}
interface Flown {
  obs: Vec[];
  /** puck world positions at the observations */
  at: { x: number; y: number }[];
  /** physics bounces: observation index after which they show, and the wall */
  bounces: { t: number; s: number; wall: 'left' | 'right' | 'top' | 'bottom'; x: number; y: number; vx: number; vy: number }[];
}

function encode(p0: Disc, p1: Disc, pk: Disc): Vec {
  const e = (b: Disc, vmax: number): number[] => [(b.x - 250) / 250, (400 - b.y) / 400, b.vx / vmax, -b.vy / vmax];
  return [...e(p0, 10), ...e(p1, 10), ...e(pk, 22)];
}

function fly(path: Path): Flown {
  const { k, n } = path;
  const pk = { ...path.puck };
  const home = path.home ?? [[60, 740], [440, 60]];
  // paddle state per observation: set at the kicks, at home otherwise
  const pads: Disc[][] = [[], []];
  for (let i = 0; i < 2; i++) for (let t = 0; t <= n; t++) pads[i][t] = { x: home[i][0], y: home[i][1], vx: 0, vy: 0 };
  const at = [{ x: pk.x, y: pk.y }];
  const pucks: Disc[] = [{ ...pk }];
  const bounces: Flown['bounces'] = [];
  let last = n;
  let extra = -1;
  for (let t = 1; t <= n; t++) {
    for (let s = 0; s < k; s++) {
      const kick = path.kicks?.find((q) => q.t === t && q.j === s);
      if (kick?.ghost) {
        pk.vx = kick.v[0];
        pk.vy = kick.v[1];
      } else if (kick) {
        const [vx, vy] = kick.v;
        const len = Math.hypot(vx, vy);
        const P = { x: pk.x - (48 * vx) / len, y: pk.y - (48 * vy) / len };
        const [wx, wy] = kick.w ?? [0, 0];
        pads[kick.by][t - 1] = { x: P.x - wx * s, y: P.y - wy * s, vx: wx, vy: wy };
        for (let u = t; u <= n; u++) pads[kick.by][u] = { x: P.x + wx * (k - s), y: P.y + wy * (k - s), vx: u === t ? wx : 0, vy: u === t ? wy : 0 };
        pk.vx = vx;
        pk.vy = vy;
      }
      pk.x += pk.vx;
      pk.y += pk.vy;
      if (pk.x < 18) { pk.x = 36 - pk.x; pk.vx = -pk.vx; bounces.push({ t, s, wall: 'left', ...pk }); }
      if (pk.x > 482) { pk.x = 964 - pk.x; pk.vx = -pk.vx; bounces.push({ t, s, wall: 'right', ...pk }); }
      const outside = Math.abs(pk.x - 250) >= 90;
      if (outside && pk.y < 18) { pk.y = 36 - pk.y; pk.vy = -pk.vy; bounces.push({ t, s, wall: 'top', ...pk }); }
      if (outside && pk.y > 782) { pk.y = 1564 - pk.y; pk.vy = -pk.vy; bounces.push({ t, s, wall: 'bottom', ...pk }); }
    }
    at.push({ x: pk.x, y: pk.y });
    pucks.push({ ...pk });
    if (extra < 0 && (pk.y < 0 || pk.y > 800)) extra = path.after ?? 0;
    if (extra === 0) { last = t; break; }
    if (extra > 0) extra--;
  }
  for (const m of path.moves ?? []) for (let u = m.t; u <= n; u++) pads[m.by][u] = { x: m.x, y: m.y, vx: 0, vy: 0 };
  const obs: Vec[] = [];
  for (let t = 0; t <= last; t++) obs.push(encode(pads[0][t], pads[1][t], pucks[t]));
  return { obs, at, bounces };
}

/** first observation index with the puck past a goal line */
function goalStep(f: Flown): number {
  const i = f.at.findIndex((p) => p.y < 0 || p.y > 800);
  if (i < 0) throw new Error('the path does not end in a goal');
  return i;
}
/** hand mirror of the bank rule: the line off the rail meets the target end within 130 of x = 250 */
function towardGoalZone(shooter: 0 | 1, b: { x: number; y: number; vx: number; vy: number }): boolean {
  const lineY = shooter === 0 ? 0 : 800;
  if ((lineY - b.y) * b.vy <= 0) return false;
  return Math.abs(b.x + (b.vx * (lineY - b.y)) / b.vy - 250) < 130;
}

describe('classifier on simulated puck paths', () => {
  it('a straight shot by player 0 into the top goal is direct, resolved at the goal', () => {
    for (const k of [4, 2, 3]) {
      const f = fly({ k, n: 80, puck: { x: 250, y: 520, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 1, by: 0, v: [0, -12] }] });
      expect(f.bounces).toEqual([]);
      const g = goalStep(f);
      const trace: [number, string][] = [];
      const shots = classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]));
      expect(shots).toEqual([{ player: 0, style: 'direct', step: g }]);
      expect(trace).toEqual([[2, 'hit0'], [g, 'shot0:direct']]);
    }
  });

  it('the same shot by player 1 into the bottom goal', () => {
    const f = fly({ k: 4, n: 80, puck: { x: 250, y: 280, vx: 0, vy: -3 }, kicks: [{ t: 2, j: 2, by: 1, v: [1, 12] }] });
    expect(f.bounces).toEqual([]);
    expect(classifyShotsFromObservations(f.obs)).toEqual([{ player: 1, style: 'direct', step: goalStep(f) }]);
  });

  it('a shot off the left rail toward the goal zone is a bank shot; off the right rail too', () => {
    for (const [vx, wall] of [[-7, 'left'], [7, 'right']] as const) {
      const f = fly({ k: 4, n: 80, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [vx, -10] }] });
      expect(f.bounces.map((b) => b.wall)).toEqual([wall]);
      expect(f.bounces[0].y).toBeLessThan(400);
      expect(towardGoalZone(0, f.bounces[0])).toBe(true);
      const trace: [number, string][] = [];
      expect(classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]))).toEqual([{ player: 0, style: 'bank', step: goalStep(f) }]);
      expect(trace.filter(([, e]) => e === 'side')).toEqual([[f.bounces[0].t, 'side']]);
    }
  });

  it('player 1 banks off a rail into the bottom goal', () => {
    const f = fly({ k: 4, n: 80, puck: { x: 250, y: 240, vx: 0, vy: -3 }, kicks: [{ t: 2, j: 0, by: 1, v: [7, 10] }] });
    expect(f.bounces.map((b) => b.wall)).toEqual(['right']);
    expect(towardGoalZone(1, f.bounces[0])).toBe(true);
    expect(classifyShotsFromObservations(f.obs)).toEqual([{ player: 1, style: 'bank', step: goalStep(f) }]);
  });

  it('a wild deflection off a rail (not toward the goal zone) stays direct; the top end wall resolves it', () => {
    const f = fly({ k: 4, n: 90, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [-12, -4] }], home: [[440, 740], [250, 220]] });
    const walls = f.bounces.map((b) => b.wall);
    expect(walls[0]).toBe('left');
    expect(towardGoalZone(0, f.bounces[0])).toBe(false);
    const firstEnd = f.bounces.find((b) => b.wall === 'top' || b.wall === 'bottom')!;
    expect(firstEnd.wall).toBe('top');
    // every rail bounce before the end wall leads away from the goal zone
    for (const b of f.bounces.filter((q) => q.t < firstEnd.t)) expect(towardGoalZone(0, b)).toBe(false);
    const trace: [number, string][] = [];
    const shots = classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]));
    expect(shots[0]).toEqual({ player: 0, style: 'direct', step: firstEnd.t });
    expect(shots).toHaveLength(1);
    expect(trace).toContainEqual([firstEnd.t, 'end1']);
  });

  it('the top end wall outside the mouth resolves a straight shot as direct when it bounces', () => {
    const f = fly({ k: 4, n: 60, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [-2.5, -12] }] });
    expect(f.bounces[0].wall).toBe('top');
    const trace: [number, string][] = [];
    expect(classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]))).toEqual([{ player: 0, style: 'direct', step: f.bounces[0].t }]);
    expect(trace).toContainEqual([f.bounces[0].t, 'end1']);
    // player 1 the other way: the bottom end wall
    const g = fly({ k: 4, n: 60, puck: { x: 250, y: 240, vx: 0, vy: -3 }, kicks: [{ t: 2, j: 0, by: 1, v: [2.5, 12] }] });
    expect(g.bounces[0].wall).toBe('bottom');
    const tr: [number, string][] = [];
    expect(classifyShotsFromObservations(g.obs, (t, e) => tr.push([t, e]))).toEqual([{ player: 1, style: 'direct', step: g.bounces[0].t }]);
    expect(tr).toContainEqual([g.bounces[0].t, 'end0']);
  });

  it('an exchange: player 1 blocks player 0\'s shot (resolving it) and scores', () => {
    const f = fly({
      k: 4, n: 120,
      puck: { x: 250, y: 560, vx: 0, vy: 3 },
      kicks: [{ t: 2, j: 0, by: 0, v: [0, -10] }, { t: 12, j: 2, by: 1, v: [1, 11] }],
      home: [[60, 740], [440, 60]],
    });
    expect(f.bounces).toEqual([]);
    const trace: [number, string][] = [];
    const shots = classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]));
    expect(shots).toEqual([
      { player: 0, style: 'direct', step: 12 },
      { player: 1, style: 'direct', step: goalStep(f) },
    ]);
    expect(trace.slice(0, 3)).toEqual([[2, 'hit0'], [12, 'shot0:direct'], [12, 'hit1']]);
  });

  it('a touch that never crosses the centre line is no shot; the next one is', () => {
    const f = fly({
      k: 4, n: 120,
      puck: { x: 250, y: 560, vx: 0, vy: 3 },
      kicks: [{ t: 2, j: 0, by: 0, v: [0, -4] }, { t: 6, j: 0, by: 0, v: [0, -12] }],
    });
    const trace: [number, string][] = [];
    expect(classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]))).toEqual([{ player: 0, style: 'direct', step: goalStep(f) }]);
    expect(trace.filter(([, e]) => e.startsWith('hit'))).toEqual([[2, 'hit0'], [6, 'hit0']]);
  });

  it('a paddle moving between observations still makes a touch', () => {
    for (const w of [[0, -6], [4, -3], [-5, 0]] as [number, number][]) {
      const f = fly({ k: 4, n: 80, puck: { x: 250, y: 520, vx: 0, vy: 3 }, kicks: [{ t: 3, j: 1, by: 0, v: [0, -12], w }] });
      expect(classifyShotsFromObservations(f.obs)).toEqual([{ player: 0, style: 'direct', step: goalStep(f) }]);
    }
  });

  it('a shot that comes back to the shooter\'s half is resolved there', () => {
    // player 0 shoots at the top end wall left of the mouth; it comes back and crosses the centre line
    const f = fly({ k: 4, n: 60, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [-2.5, -12] }] });
    const shots = classifyShotsFromObservations(f.obs);
    expect(shots).toHaveLength(1);
    expect(shots[0].step).toBe(f.bounces[0].t);
  });

  it('a kick into the rail in the same interval: the bounce after the touch counts for the new shot', () => {
    // the puck is kicked near the left rail and bounces off it before the next observation
    const f = fly({ k: 4, n: 80, puck: { x: 30, y: 470, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [-6, -12] }] });
    expect(f.bounces[0].wall).toBe('left');
    expect(f.bounces[0].t).toBe(2);
    expect(towardGoalZone(0, f.bounces[0])).toBe(true);
    const trace: [number, string][] = [];
    const shots = classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]));
    expect(trace.slice(0, 2)).toEqual([[2, 'hit0'], [2, 'side']]);
    expect(shots[0]).toEqual({ player: 0, style: 'bank', step: shots[0].step });
    // the same without a trace callback
    expect(classifyShotsFromObservations(f.obs)).toEqual(shots);
  });

  it('a bounce before the touch in the same interval counts for the shot being resolved', () => {
    // player 1's shot comes off the right rail toward the bottom goal and player 0 touches it
    // one or two physics steps later, before the next observation
    const path = (kicks: Kick[]): Path => ({ k: 4, n: 80, puck: { x: 250, y: 240, vx: 0, vy: -3 }, kicks });
    const p1kick: Kick = { t: 2, j: 0, by: 1, v: [8, 10] };
    const f = fly(path([p1kick]));
    const b = f.bounces[0];
    expect(b.wall).toBe('right');
    expect(towardGoalZone(1, b)).toBe(true);
    expect(b.y).toBeGreaterThan(400);
    expect(b.s).toBeLessThanOrEqual(2);
    const g = fly(path([p1kick, { t: b.t, j: b.s + 1, by: 0, v: [-4, -12] }]));
    const trace: [number, string][] = [];
    const shots = classifyShotsFromObservations(g.obs, (t, e) => trace.push([t, e]));
    expect(trace.slice(0, 4)).toEqual([[2, 'hit1'], [b.t, 'side'], [b.t, 'shot1:bank'], [b.t, 'hit0']]);
    expect(shots[0]).toEqual({ player: 1, style: 'bank', step: b.t });
  });

  it('both paddles touching in one interval: the pending shooter\'s touch comes last', () => {
    // the puck is kicked up at the centre line with player 1's paddle 48 units above the kick point
    const both = (kicks: Kick[], moves: Path['moves']): Flown => fly({ k: 4, n: 90, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks, moves, home: [[60, 740], [440, 60]] });
    // no shot pending: player 0 first, then player 1 (whose shot it becomes)
    const a = both([{ t: 2, j: 0, by: 1, v: [0, 12] }], [{ t: 1, by: 0, x: 250, y: 620 }]);
    const ta: [number, string][] = [];
    classifyShotsFromObservations(a.obs, (t, e) => ta.push([t, e]));
    expect(ta.slice(0, 2)).toEqual([[2, 'hit0'], [2, 'hit1']]);
    // player 0's shot crosses the line (obs 6) and meets both paddles one step into interval 7:
    // player 1's touch resolves it, then player 0's starts a new one
    const b = both([{ t: 2, j: 0, by: 0, v: [0, -10] }], []);
    expect(b.at[6].y).toBeLessThan(400);
    const kickY = b.at[6].y - 10;
    const c = both(
      [{ t: 2, j: 0, by: 0, v: [0, -10] }, { t: 7, j: 1, by: 1, v: [0, 10] }],
      [{ t: 6, by: 0, x: 250, y: kickY + 48 }],
    );
    const tc: [number, string][] = [];
    const shots = classifyShotsFromObservations(c.obs, (t, e) => tc.push([t, e]));
    expect(tc).toEqual([[2, 'hit0'], [7, 'shot0:direct'], [7, 'hit1'], [7, 'hit0'], [8, 'shot0:direct']]);
    // player 0's new shot starts just inside player 1's half, so it counts as crossed and ends back in player 0's half
    expect(c.at[7].y).toBeLessThan(400);
    expect(c.at[8].y).toBeGreaterThan(400);
    expect(shots).toEqual([{ player: 0, style: 'direct', step: 7 }, { player: 0, style: 'direct', step: 8 }]);
  });

  it('a fast paddle (10 units/step) kicking mid-interval is a touch (relative motion)', () => {
    for (const w of [[10, 0], [0, -10], [-10, 0]] as [number, number][]) {
      const f = fly({ k: 4, n: 80, puck: { x: 250, y: 520, vx: 0, vy: 3 }, kicks: [{ t: 3, j: 2, by: 0, v: [0, -12], w }] });
      const trace: [number, string][] = [];
      expect(classifyShotsFromObservations(f.obs, (t, e) => trace.push([t, e]))).toEqual([{ player: 0, style: 'direct', step: goalStep(f) }]);
      expect(trace[0]).toEqual([3, 'hit0']);
    }
  });

  it('a deflection with no paddle near and far from the rails is no bank; in mid-table it is no end wall', () => {
    // player 0's shot in player 1's half turns its x-velocity at x ≈ 250 toward the goal zone
    const f = fly({ k: 4, n: 80, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [3, -10] }, { t: 7, j: 0, ghost: true, by: 0, v: [-3, -10] }] });
    expect(f.bounces).toEqual([]);
    expect(classifyShotsFromObservations(f.obs)).toEqual([{ player: 0, style: 'direct', step: goalStep(f) }]);
    // it turns back in mid-table (y ≈ 300): resolved only when it is back in player 0's half
    const g = fly({ k: 4, n: 80, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [0, -10] }, { t: 9, j: 0, ghost: true, by: 0, v: [0, 10] }] });
    const back = g.at.findIndex((p, i) => i > 9 && p.y > 400);
    expect(g.at[8].y).toBeGreaterThan(200);
    expect(g.at[8].y).toBeLessThan(400);
    const trace: [number, string][] = [];
    const shots = classifyShotsFromObservations(g.obs, (t, e) => trace.push([t, e]));
    expect(shots).toEqual([{ player: 0, style: 'direct', step: back }]);
    expect(trace.some(([, e]) => e.startsWith('end'))).toBe(false);
  });

  it('a touch before the puck reaches the rail is no bounce, even when its line would have bounced toward the goal', () => {
    // player 1's shot heads for the right rail in player 0's half; player 0 kicks it one step into the interval
    const f = fly({
      k: 4, n: 80, puck: { x: 250, y: 240, vx: 0, vy: -3 },
      kicks: [{ t: 2, j: 0, by: 1, v: [10, 10] }],
    });
    const b = f.bounces[0];
    expect(b.wall).toBe('right');
    expect(towardGoalZone(1, b)).toBe(true);
    const g = fly({
      k: 4, n: 80, puck: { x: 250, y: 240, vx: 0, vy: -3 },
      kicks: [{ t: 2, j: 0, by: 1, v: [10, 10] }, { t: b.t, j: 0, by: 0, v: [-6, -12] }],
    });
    // the kick came before the rail
    expect(g.bounces.filter((q) => q.t === b.t)).toEqual([]);
    const trace: [number, string][] = [];
    const shots = classifyShotsFromObservations(g.obs, (t, e) => trace.push([t, e]));
    expect(shots[0]).toEqual({ player: 1, style: 'direct', step: b.t });
    expect(trace.filter(([t]) => t === b.t)).toEqual([[b.t, 'shot1:direct'], [b.t, 'hit0']]);
  });

  it('a shot is resolved at the goal even when observations go on after it', () => {
    for (const [y, vy, by] of [[520, -12, 0], [280, 12, 1]] as const) {
      const f = fly({ k: 4, n: 80, puck: { x: 250, y, vx: 0, vy: -vy / 4 }, kicks: [{ t: 2, j: 1, by, v: [0, vy] }], after: 3 });
      const g = goalStep(f);
      expect(f.obs.length).toBe(g + 4);
      expect(classifyShotsFromObservations(f.obs)).toEqual([{ player: by, style: 'direct', step: g }]);
    }
  });

  it('an empty or one-observation episode has no shots', () => {
    expect(classifyShotsFromObservations([])).toEqual([]);
    const f = fly({ k: 4, n: 1, puck: { x: 250, y: 400, vx: 0, vy: 0 } });
    expect(classifyShotsFromObservations(f.obs.slice(0, 1))).toEqual([]);
  });

  it('hockeyDef.styleCounts counts the classified shots of one player', () => {
    const paths = [
      fly({ k: 4, n: 80, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [-7, -10] }] }),
      fly({ k: 4, n: 120, puck: { x: 250, y: 560, vx: 0, vy: 3 }, kicks: [{ t: 2, j: 0, by: 0, v: [0, -10] }, { t: 12, j: 2, by: 1, v: [1, 11] }] }),
    ];
    const ep = (f: Flown): EpisodeRecord => ({ obs: f.obs.map((o) => [o, o]) } as unknown as EpisodeRecord);
    expect(hockeyDef.styleCounts(ep(paths[0]), 0)).toEqual({ direct: 0, bank: 1 });
    expect(hockeyDef.styleCounts(ep(paths[0]), 1)).toEqual({ direct: 0, bank: 0 });
    expect(hockeyDef.styleCounts(ep(paths[1]), 0)).toEqual({ direct: 1, bank: 0 });
    expect(hockeyDef.styleCounts(ep(paths[1]), 1)).toEqual({ direct: 1, bank: 0 });
  });
});
