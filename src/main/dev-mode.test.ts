import { describe, expect, it } from 'vitest';
import { isDevMode, validatesOutput } from './dev-mode';

describe('development switches', () => {
  it('development is PAIGE_DEV=1 exactly; nothing else (NODE_ENV, other values) turns it on', () => {
    expect(isDevMode({ PAIGE_DEV: '1' })).toBe(true);
    for (const env of [{}, { PAIGE_DEV: 'true' }, { PAIGE_DEV: '0' }, { NODE_ENV: 'development' }]) {
      expect(isDevMode(env)).toBe(false);
    }
  });

  it('output validation is on in development and with PAIGE_VALIDATE_OUTPUT=1, off otherwise', () => {
    expect(validatesOutput({ PAIGE_DEV: '1' })).toBe(true);
    expect(validatesOutput({ PAIGE_VALIDATE_OUTPUT: '1' })).toBe(true);
    expect(validatesOutput({})).toBe(false);
    expect(validatesOutput({ NODE_ENV: 'test' })).toBe(false);
  });
});
