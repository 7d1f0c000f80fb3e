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
