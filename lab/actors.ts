import type { Rng } from '../sim/rng.ts';
import type { Policy } from '../agents/policy.ts';
import type { ScriptedStyle } from '../agents/scripted/types.ts';

/** Anything that maps a batch of ego observations (n × obsSize, row-major) to actions (n × actSize). */
export interface Actor {
  readonly id: string;
  readonly actSize: number;
  act(obs: Float32Array, n: number, rng: Rng): Float32Array;
}

export function scriptedActor(style: ScriptedStyle, obsSize: number, actSize: number): Actor {
  return {
    id: `scripted:${style.name}`,
    actSize,
    act(obs, n, rng) {
      const out = new Float32Array(n * actSize);
      for (let i = 0; i < n; i++) {
        const row = Array.from(obs.subarray(i * obsSize, (i + 1) * obsSize));
        const a = style.player.act(row, rng);
        for (let j = 0; j < actSize; j++) out[i * actSize + j] = a[j];
      }
      return out;
    },
  };
}

export function policyActor(id: string, policy: Policy, actSize: number, temperature = 1): Actor {
  return {
    id,
    actSize,
    act: (obs, n, rng) => policy.act(obs, n, rng, temperature),
  };
}
