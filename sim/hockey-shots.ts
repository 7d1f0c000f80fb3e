/**
 * Air hockey's shot styles read from observations alone (direct or banked off a side wall), with
 * the same rules as the event-based ShotTracker (also here, used by the scenario), so that imagined episodes — which have
 * no events — are judged like real ones.
 */
import { PADDLE_MAX_SPEED, PADDLE_R, PUCK_MAX_SPEED, PUCK_R, TABLE_H, TABLE_W } from './hockey-spec.ts';
import type { EpisodeRecord, PlayerIndex, Vec } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Shot classification (event based, physics-step resolution)

interface PendingShot {
  player: PlayerIndex;
  crossed: boolean;
  bank: boolean;
}

/** Half-width of the zone around the goal centre a bank shot must head for after the bounce. */
const BANK_ZONE = 130;

/**
 * Does a puck at (x, y) moving with (vx, vy) (world) head for the middle of `shooter`'s target end
 * (the goal zone of the opponent), in a straight line?
 */
export function headsForGoal(shooter: PlayerIndex, x: number, y: number, vx: number, vy: number): boolean {
  const lineY = shooter === 0 ? 0 : TABLE_H;
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: with vy = 0 (or y on the line) the extrapolated x is ±Infinity or NaN, never in the zone; a quotient has the product's sign
  if ((lineY - y) * vy <= 0) return false;
  const xAt = x + (vx * (lineY - y)) / vy;
  return Math.abs(xAt - TABLE_W / 2) < BANK_ZONE;
}

/**
 * A shot by player i starts when i's paddle touches the puck and counts once the puck has crossed
 * the centre line into the opponent's half. It is resolved at the first of: the opponent touching
 * the puck, i touching it again, the puck reaching the opponent's end (end wall or goal), the puck
 * returning to i's half, or the end of the episode. It is a bank shot when, between the touch and
 * the resolution, the puck bounced off a side wall and came off it heading for the opponent's goal
 * zone (within BANK_ZONE of the goal centre); otherwise it is a direct shot (a wild deflection off
 * a side wall is not a bank shot).
 */
export class ShotTracker {
  pending: PendingShot | null = null;

  constructor(private readonly emit: (event: string) => void) {}

  private resolve(): void {
    const p = this.pending;
    this.pending = null;
    if (p && p.crossed) this.emit(`shot${p.player}:${p.bank ? 'bank' : 'direct'}`);
  }

  hit(player: PlayerIndex): void {
    this.resolve();
    this.pending = { player, crossed: false, bank: false };
  }

  /** a side-wall bounce; position and velocity (world) just after it */
  sideWall(x: number, y: number, vx: number, vy: number): void {
    const p = this.pending;
    if (p && headsForGoal(p.player, x, y, vx, vy)) p.bank = true;
  }

  /** the puck touched the end wall behind `defender`'s goal line */
  endWall(defender: PlayerIndex): void {
    if (this.pending && this.pending.player !== defender) this.resolve();
  }

  /** puckUp: the puck's height in player 0's frame (> 0: player 1's half) */
  position(puckUp: number): void {
    const p = this.pending;
    if (!p) return;
    const ahead = p.player === 0 ? puckUp : -puckUp;
    if (ahead > 0) p.crossed = true;
    else if (p.crossed && ahead < 0) this.resolve();
  }

  end(): void {
    this.resolve();
  }
}

// ---------------------------------------------------------------------------------------------
// Style classification from observations (works on imagined episodes, which have no events)

interface Pt { x: number; y: number }

/** World position (table coordinates, not view) of the body at `offset` in a player-0 observation. */
export function worldPos(o: Vec, offset: number): Pt {
  return { x: TABLE_W / 2 + o[offset] * (TABLE_W / 2), y: TABLE_H / 2 - o[offset + 1] * (TABLE_H / 2) };
}

export function worldVel(o: Vec, offset: number, vmax: number): Pt {
  return { x: o[offset + 2] * vmax, y: -o[offset + 3] * vmax };
}

/** Distance from the origin of the segment p + u·s, s in [0, k]. */
export function segMinDist(p: Pt, u: Pt, k: number): number {
  const uu = u.x * u.x + u.y * u.y;
  let s = uu > 0 ? -(p.x * u.x + p.y * u.y) / uu : 0;
  s = Math.max(0, Math.min(k, s));
  return Math.hypot(p.x + u.x * s, p.y + u.y * s);
}

/**
 * The first s in [0, k] at which |p + u·s| < c (0 if already inside); the closest approach when it
 * never gets that close.
 */
export function contactTime(p: Pt, u: Pt, k: number, c: number): number {
  const pp = p.x * p.x + p.y * p.y;
  // Stryker disable next-line all: from inside (or on) the circle the formula below gives a negative s, clipped to 0 as well
  if (pp <= c * c) return 0;
  const uu = u.x * u.x + u.y * u.y;
  if (uu === 0) return 0;
  const pu = p.x * u.x + p.y * u.y;
  const disc = pu * pu - uu * (pp - c * c);
  // Stryker disable next-line EqualityOperator: at disc = 0 both branches give -pu / uu
  const s = disc >= 0 ? (-pu - Math.sqrt(disc)) / uu : -pu / uu;
  return Math.max(0, Math.min(k, s));
}

/** Physics steps per decision, estimated from the puck's free flight (falls back to 4). */
export function estimateFrameSkip(obs: Vec[]): number {
  const ratios: number[] = [];
  for (let t = 1; t < obs.length; t++) {
    const a = obs[t - 1];
    const b = obs[t];
    const va = worldVel(a, 8, PUCK_MAX_SPEED);
    const vb = worldVel(b, 8, PUCK_MAX_SPEED);
    const sa = Math.hypot(va.x, va.y);
    if (sa < 3 || Math.hypot(vb.x - va.x, vb.y - va.y) > 0.02 * sa) continue;
    const pa = worldPos(a, 8);
    const pb = worldPos(b, 8);
    ratios.push(Math.hypot(pb.x - pa.x, pb.y - pa.y) / ((sa + Math.hypot(vb.x, vb.y)) / 2));
  }
  if (ratios.length < 3) return 4;
  ratios.sort((x, y) => x - y);
  const k = Math.round(ratios[ratios.length >> 1]);
  return Math.max(1, Math.min(16, k));
}

const TOUCH_SLACK = 7;
/** the least change of the puck's velocity (units per physics step) that counts as a touch */
const TOUCH_DV = 0.3;

/**
 * Shots of both players classified from a sequence of player-0 observations, with the same rules
 * as the simulator's events (see ShotTracker) at decision-step resolution: a touch is the puck
 * coming within contact distance of a paddle (the approach and departure extrapolated over the
 * interval), a side-wall bounce is the puck's x-velocity turning away from the wall it is near with
 * no paddle involved, an end-wall bounce likewise with the y-velocity.
 */
export function classifyShotsFromObservations(
  obs: Vec[],
  trace?: (t: number, event: string) => void,
): { player: PlayerIndex; style: 'direct' | 'bank'; step: number }[] {
  const shots: { player: PlayerIndex; style: 'direct' | 'bank'; step: number }[] = [];
  let now = 0;
  const tracker = new ShotTracker((e) => {
    shots.push({ player: e[4] === '0' ? 0 : 1, style: e.endsWith('bank') ? 'bank' : 'direct', step: now });
    trace?.(now, e);
  });
  // Stryker disable next-line ConditionalExpression: with no observations the loop does not run and end() has nothing to resolve
  if (obs.length === 0) return shots;
  const k = estimateFrameSkip(obs);
  const contact = PADDLE_R + PUCK_R + TOUCH_SLACK;
  for (let t = 1; t < obs.length; t++) {
    now = t;
    const a = obs[t - 1];
    const b = obs[t];
    const puckA = worldPos(a, 8);
    const puckB = worldPos(b, 8);
    const pvA = worldVel(a, 8, PUCK_MAX_SPEED);
    const pvB = worldVel(b, 8, PUCK_MAX_SPEED);
    const touched: PlayerIndex[] = [];
    // contact times of the touch: from the start of the interval (approach) and before its end (departure)
    let tIn = k;
    let tOut = k;
    // a touch changes the puck's velocity
    // Stryker disable next-line EqualityOperator: a velocity change of exactly TOUCH_DV has measure zero
    const kicked = Math.hypot(pvB.x - pvA.x, pvB.y - pvA.y) > TOUCH_DV;
    for (const j of (kicked ? [0, 1] : []) as PlayerIndex[]) {
      const off = j === 0 ? 0 : 4;
      const padA = worldPos(a, off);
      const padB = worldPos(b, off);
      const vA = worldVel(a, off, PADDLE_MAX_SPEED);
      const vB = worldVel(b, off, PADDLE_MAX_SPEED);
      const relA = { x: puckA.x - padA.x, y: puckA.y - padA.y };
      const uA = { x: pvA.x - vA.x, y: pvA.y - vA.y };
      const relB = { x: puckB.x - padB.x, y: puckB.y - padB.y };
      const uB = { x: -(pvB.x - vB.x), y: -(pvB.y - vB.y) };
      // Stryker disable next-line EqualityOperator: a distance sum of exactly 2 · contact has measure zero
      if (segMinDist(relA, uA, k) + segMinDist(relB, uB, k) < 2 * contact) {
        touched.push(j);
        tIn = Math.min(tIn, contactTime(relA, uA, k, PADDLE_R + PUCK_R));
        tOut = Math.min(tOut, contactTime(relB, uB, k, PADDLE_R + PUCK_R));
      }
    }
    // side-wall bounce in the interval: the x-velocity turned away from the wall the puck is near;
    // with a touch in the same interval, the puck's free flight before the touch (or after it) must
    // reach the wall
    const xA = puckA.x - TABLE_W / 2;
    const xB = puckB.x - TABLE_W / 2;
    const reach = TABLE_W / 2 - PUCK_R + 3;
    let sideBefore = false;
    let sideAfter = false;
    // where the puck came off the wall and how: [x, y, vx, vy] (world)
    let bounce: [number, number, number, number] = [puckB.x, puckB.y, pvB.x, pvB.y];
    if (touched.length === 0) {
      // Stryker disable next-line EqualityOperator: at xB = 0 the |xB| > TABLE_W / 4 test below is false either way
      const side = xB > 0 ? 1 : -1;
      // Stryker disable next-line ArithmeticOperator,EqualityOperator: side is ±1, so x / side = x · side; the boundaries (|xB| = TABLE_W / 4, an x-velocity of exactly 0) have measure zero
      sideBefore = Math.abs(xB) > TABLE_W / 4 && pvA.x * side > 0 && pvB.x * side < 0;
    } else {
      // Stryker disable next-line EqualityOperator,ArithmeticOperator: a quotient has the product's sign; at pvA.x = 0 tWall is Infinity (no bounce), at xA = 0 the wall is out of reach
      if (pvA.x * xA > 0) {
        const tWall = (reach - Math.abs(xA)) / Math.abs(pvA.x);
        // Stryker disable next-line EqualityOperator: tWall = tIn exactly has measure zero
        sideBefore = tWall < tIn;
        bounce = [puckA.x + pvA.x * tWall, puckA.y + pvA.y * tWall, -pvA.x, pvA.y];
      }
      // Stryker disable next-line ArithmeticOperator,EqualityOperator: a quotient has the product's sign; at pvB.x = 0 the time is Infinity, and xB = 0 or a time of exactly tOut has measure zero
      if (pvB.x * xB < 0) sideAfter = (reach - Math.abs(xB)) / Math.abs(pvB.x) < tOut;
    }
    if (sideBefore) {
      tracker.sideWall(...bounce);
      trace?.(t, 'side');
    }
    // a touch by the player who is not the pending shooter resolves the shot first
    touched.sort((p, q) => (tracker.pending && p === tracker.pending.player ? 1 : 0) - (tracker.pending && q === tracker.pending.player ? 1 : 0));
    for (const j of touched) {
      tracker.hit(j);
      trace?.(t, `hit${j}`);
    }
    if (sideAfter) {
      tracker.sideWall(puckB.x, puckB.y, pvB.x, pvB.y);
      trace?.(t, 'side');
    }
    // Stryker disable next-line ConditionalExpression: a touch that turns the puck near an end is the defender's, whose own new shot endWall(defender) never resolves
    if (touched.length === 0) {
      // Stryker disable next-line EqualityOperator: at y = TABLE_H / 2 nearEnd is false either way
      const end = puckB.y > TABLE_H / 2 ? 1 : -1;
      // Stryker disable next-line EqualityOperator: a puck exactly at y = 200 or 600 has measure zero
      const nearEnd = Math.abs(puckB.y - TABLE_H / 2) > TABLE_H / 4;
      // Stryker disable next-line ArithmeticOperator: end is ±1, so x / end = x · end
      if (nearEnd && pvA.y * end > 0 && pvB.y * end < 0) {
        // Stryker disable next-line EqualityOperator: end is ±1
        tracker.endWall(end > 0 ? 0 : 1);
        // Stryker disable next-line EqualityOperator: end is ±1
        trace?.(t, `end${end > 0 ? 0 : 1}`);
      }
    }
    // Stryker disable next-line EqualityOperator: a puck exactly on the goal line has measure zero
    if (puckB.y > TABLE_H) tracker.endWall(0);
    // Stryker disable next-line EqualityOperator: a puck exactly on the goal line has measure zero
    else if (puckB.y < 0) tracker.endWall(1);
    else tracker.position(TABLE_H / 2 - puckB.y);
  }
  tracker.end();
  return shots;
}

/** Shot counts by style from the simulator's events ('shot0:bank' ...), for checking the classifier. */
export function eventStyleCounts(ep: EpisodeRecord, player: PlayerIndex): Record<string, number> {
  const counts: Record<string, number> = { direct: 0, bank: 0 };
  for (const evs of ep.events) {
    for (const e of evs) {
      if (e === `shot${player}:direct`) counts.direct++;
      else if (e === `shot${player}:bank`) counts.bank++;
    }
  }
  return counts;
}
