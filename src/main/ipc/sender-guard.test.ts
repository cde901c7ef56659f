import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, checkSender, originOf, type SenderCheckInput } from './sender-guard';

const base: SenderCheckInput = {
  senderId: 7,
  registeredWindowIds: new Set([7]),
  frameUrl: 'app://paige/index.html',
  isMainFrame: true,
  allowedOrigins: [APP_ORIGIN],
};

describe('checkSender', () => {
  it('accepts the main frame of a registered window served from app://paige', () => {
    expect(checkSender(base)).toEqual({ ok: true });
  });

  it('rejects a window Paige did not register', () => {
    const result = checkSender({ ...base, senderId: 8 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/not a Paige window/);
  });

  it('rejects a subframe even on the app origin', () => {
    const result = checkSender({ ...base, isMainFrame: false });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/main frame/);
  });

  it('rejects a foreign origin', () => {
    expect(checkSender({ ...base, frameUrl: 'https://evil.example/app' }).ok).toBe(false);
    expect(checkSender({ ...base, frameUrl: 'app://paige.evil/index.html' }).ok).toBe(false);
    expect(checkSender({ ...base, frameUrl: 'file:///tmp/index.html' }).ok).toBe(false);
    expect(checkSender({ ...base, frameUrl: 'not a url' }).ok).toBe(false);
  });

  it('rejects a frame that is gone', () => {
    const result = checkSender({ ...base, frameUrl: null });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/gone/);
  });

  it('accepts the dev-server origin only when it is listed', () => {
    const dev = { ...base, frameUrl: 'http://localhost:5173/index.html' };
    expect(checkSender(dev).ok).toBe(false);
    expect(checkSender({ ...dev, allowedOrigins: [APP_ORIGIN, 'http://localhost:5173'] })).toEqual({ ok: true });
    expect(
      checkSender({ ...dev, frameUrl: 'http://localhost:5174/', allowedOrigins: ['http://localhost:5173'] }).ok,
    ).toBe(false);
  });
});

describe('originOf', () => {
  it('builds origins for custom and http schemes', () => {
    expect(originOf('app://paige/assets/x.js?y#z')).toBe('app://paige');
    expect(originOf('APP://Paige/')).toBe('app://paige');
    expect(originOf('http://localhost:5173/a')).toBe('http://localhost:5173');
    expect(originOf('https://example.com:443/')).toBe('https://example.com');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});
