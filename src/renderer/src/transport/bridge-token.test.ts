import { describe, expect, it } from 'vitest';
import { bridgeSocketUrl, parseTokenFromHash } from './bridge-token';

describe('parseTokenFromHash', () => {
  it('reads the token and leaves nothing behind', () => {
    expect(parseTokenFromHash('#token=abc123')).toEqual({ token: 'abc123', remainingHash: '' });
  });

  it('keeps other fragment parameters', () => {
    expect(parseTokenFromHash('#view=landing&token=t0k')).toEqual({ token: 't0k', remainingHash: '#view=landing' });
  });

  it('returns null without a token', () => {
    expect(parseTokenFromHash('')).toEqual({ token: null, remainingHash: '' });
    expect(parseTokenFromHash('#token=')).toEqual({ token: null, remainingHash: '' });
  });

  it('decodes percent-encoding', () => {
    expect(parseTokenFromHash('#token=a%2Bb').token).toBe('a+b');
  });
});

describe('bridgeSocketUrl', () => {
  it('builds ws://host/bridge', () => {
    expect(bridgeSocketUrl('http:', '127.0.0.1:4567')).toBe('ws://127.0.0.1:4567/bridge');
    expect(bridgeSocketUrl('https:', 'example.test')).toBe('wss://example.test/bridge');
  });
});
