import { describe, expect, it } from 'vitest';
import { validateHockeyParams } from '../sim/hockey-spec.ts';
import { configErrorMessage } from './errors.ts';

describe('validateHockeyParams: only its own parameter names', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__x'])('refuses %s naming the allowed parameters', (key) => {
    const msg = configErrorMessage(() => validateHockeyParams({ [key]: 3 } as never));
    expect(msg).toContain(key);
    expect(msg).toContain('is not a hockey parameter');
    expect(msg).toContain('frameSkip, maxSteps, goalWidth');
  });
  it('still accepts a real one and keeps no foreign key', () => {
    const p = validateHockeyParams({ frameSkip: 8 });
    expect(p).toEqual({ frameSkip: 8, maxSteps: 300, goalWidth: 180 });
  });
});
