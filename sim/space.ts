import { ConfigError } from './errors.ts';
import type { BoxSpace, Vec } from './types.ts';

export function box(names: string[], low: number[], high: number[], clip = false): BoxSpace {
  if (names.length !== low.length || names.length !== high.length) throw new Error('box: length mismatch');
  return { size: names.length, names, low, high, clip };
}

/**
 * Check an action against a space. Returns the (possibly clipped) action; throws ConfigError
 * naming the player and dimension for a wrong length, NaN/Infinity, or out-of-range value when
 * the space does not clip.
 */
export function checkAction(space: BoxSpace, action: unknown, who = 'action'): Vec {
  if (!Array.isArray(action) && !(action instanceof Float32Array) && !(action instanceof Float64Array)) {
    throw new ConfigError(who, 'must be an array of numbers', `${space.size} numbers: ${space.names.join(', ')}`);
  }
  const a = action as ArrayLike<number>;
  if (a.length !== space.size) {
    throw new ConfigError(who, `has ${a.length} values, expected ${space.size}`, space.names.join(', '));
  }
  const out: Vec = new Array(space.size);
  for (let i = 0; i < space.size; i++) {
    const v = a[i];
    const field = `${who}.${space.names[i]}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ConfigError(field, `is ${String(v)}, not a finite number`, `[${space.low[i]}, ${space.high[i]}]`);
    }
    if (v < space.low[i] || v > space.high[i]) {
      if (!space.clip) throw new ConfigError(field, `is ${v}, out of range`, `[${space.low[i]}, ${space.high[i]}]`);
      out[i] = Math.min(space.high[i], Math.max(space.low[i], v));
    } else out[i] = v;
  }
  return out;
}

export function inSpace(space: BoxSpace, v: Vec, tol = 1e-9): boolean {
  if (v.length !== space.size) return false;
  for (let i = 0; i < space.size; i++) {
    if (!Number.isFinite(v[i]) || v[i] < space.low[i] - tol || v[i] > space.high[i] + tol) return false;
  }
  return true;
}

export function clipToSpace(space: BoxSpace, v: Vec): Vec {
  return v.map((x, i) => Math.min(space.high[i], Math.max(space.low[i], Number.isFinite(x) ? x : 0)));
}
