import { expect } from 'vitest';
import { ConfigError } from '../sim/errors.ts';

/** The message of the ConfigError that `f` throws; fails the test when it throws nothing or another error. */
export function configErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

/** The ConfigError that `f` throws; fails the test when it throws nothing or another error. */
export function thrownConfigError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw new Error(`expected a ConfigError, got ${String(e)}`);
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

/** Whatever `f` throws; fails the test when it throws nothing. */
export function thrownError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}
