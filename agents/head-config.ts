/**
 * The config checks the policy and the world model share (agents/policy.ts, agents/world-model.ts):
 * positive integer sizes, the hidden layers and activation of their MLP, and the std bounds of a
 * Gaussian head (minStd < initStd < maxStd). Each error is a ConfigError naming the field under
 * its section, e.g. "policy.hidden[1]" or "worldModel.initStd".
 */
import { ConfigError } from '../sim/errors.ts';
import type { Activation } from './mlp.ts';

/** `v` as an integer >= 1, or a ConfigError naming `section.name`. */
export function positiveInt(section: string, v: unknown, name: string): number {
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for every non-number
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(`${section}.${name}`, `is ${String(v)}`, 'an integer >= 1');
  return v;
}

/** The MLP's hidden widths (default [64, 64]) and activation (default tanh), checked. */
export function mlpShape(section: string, cfg: { hidden?: number[]; activation?: Activation }): { hidden: number[]; activation: Activation } {
  const hidden = cfg.hidden ?? [64, 64];
  hidden.forEach((h, i) => positiveInt(section, h, `hidden[${i}]`));
  const activation = cfg.activation ?? 'tanh';
  if (!['tanh', 'relu', 'elu'].includes(activation)) throw new ConfigError(`${section}.activation`, `is ${activation}`, 'tanh, relu, elu');
  return { hidden: [...hidden], activation };
}

/**
 * A Gaussian head's std bounds: minStd (default `defaults.minStd`) > 0, maxStd (default 1) above it,
 * and initStd strictly between (default `defaults.initStd` when it lies between, else their
 * geometric mean).
 */
export function stdBounds(
  section: string,
  cfg: { minStd?: number; maxStd?: number; initStd?: number },
  defaults: { minStd: number; initStd: number },
): { minStd: number; maxStd: number; initStd: number } {
  const minStd = cfg.minStd ?? defaults.minStd;
  const maxStd = cfg.maxStd ?? 1;
  if (!(minStd > 0) || !Number.isFinite(minStd)) throw new ConfigError(`${section}.minStd`, `is ${minStd}`, 'a finite number > 0');
  if (!(maxStd > minStd) || !Number.isFinite(maxStd)) throw new ConfigError(`${section}.maxStd`, `is ${maxStd}`, `a finite number > minStd (${minStd})`);
  const d = defaults.initStd;
  const initStd = cfg.initStd ?? (minStd < d && maxStd > d ? d : Math.sqrt(minStd * maxStd));
  if (!(initStd > minStd && initStd < maxStd)) throw new ConfigError(`${section}.initStd`, `is ${initStd}`, `strictly between minStd (${minStd}) and maxStd (${maxStd})`);
  return { minStd, maxStd, initStd };
}
