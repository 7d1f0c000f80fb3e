import type { Rng } from '../../sim/rng.ts';
import type { Vec } from '../../sim/types.ts';
export interface ScriptedPlayer { readonly name: string; readonly style: string; act(obs: Vec, rng: Rng): Vec }
export interface ScriptedStyle { readonly name: string; readonly weight: number; readonly rare: boolean; readonly player: ScriptedPlayer }
