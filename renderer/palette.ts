/** Arena colours (shared by arena.ts and the e2e pixel checks). No imports: safe in Node. */
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

/** Ghost colours of the dream overlay per ObsPoint label (anything else: DREAM_DEFAULT). */
export const DREAM_COLORS: Record<string, number> = {
  me: 0x9fd0ff,
  paddle0: 0x9fd0ff,
  enemy: 0xffb0a5,
  paddle1: 0xffb0a5,
  puck: 0xe6d3ff,
};
export const DREAM_DEFAULT = 0xd7b8ff;
