/** Arena colours (shared by the app's arenas, the replay frames of lab/replay-frames.ts and the e2e pixel checks). No imports: safe in Node. */
import type { SceneBody } from '../sim/types.ts';

export const ARENA_BACKGROUND = 0x151a23;

/** Body colours by role (player 0 blue, player 1 orange-red). */
export const ROLE_COLORS: Record<SceneBody['role'], number> = {
  ground: 0x3d4657,
  hill: 0x56627a,
  wall: 0x6b7890,
  goal: 0xe8c468,
  player0: 0x4ea8ff,
  player1: 0xff6b57,
  paddle0: 0x4ea8ff,
  paddle1: 0xff6b57,
  projectile: 0xf5f7fa,
  puck: 0xf5f7fa,
  marker: 0x8fb98b,
};

/**
 * Reality: what physics really did, drawn SOLID and thick in saturated colours — the flight of
 * each shot by its shooter (player 0 cyan-blue, player 1 amber), the puck's path in white — with
 * a filled impact marker (a cross in a disc) where a shot came down.
 */
export const REAL_TRAIL: Record<'player0' | 'player1' | 'puck', number> = {
  player0: 0x35d0ff,
  player1: 0xffb020,
  puck: 0xffffff,
};
export const IMPACT_COLOR = 0xffe45c;

/**
 * The dream: what the world model imagined, always DASHED, thinner and in one violet hue (with
 * hollow rings where it ends), so real and imagined never share a colour or a line style.
 */
export const DREAM_COLOR = 0xd08cff;
/** Ghost colours of the dream overlay per ObsPoint label (all the dream's violet). */
export const DREAM_COLORS: Record<string, number> = {};
export const DREAM_DEFAULT = DREAM_COLOR;
