import { describe, expect, it } from 'vitest';
import { devRendererUrl, externalHttpUrl, isAllowedNavigation } from './url-policy';

describe('isAllowedNavigation', () => {
  const origins = ['app://paige'];
  it('allows the app origin only', () => {
    expect(isAllowedNavigation('app://paige/index.html#/settings', origins)).toBe(true);
    expect(isAllowedNavigation('https://github.com/', origins)).toBe(false);
    expect(isAllowedNavigation('app://paige.evil/', origins)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', origins)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', origins)).toBe(false);
  });
});

describe('externalHttpUrl', () => {
  it('passes http and https, refuses other schemes', () => {
    expect(externalHttpUrl('https://github.com/o/r/issues/1')).toBe('https://github.com/o/r/issues/1');
    expect(externalHttpUrl('http://example.com')).toBe('http://example.com/');
    expect(externalHttpUrl('file:///etc/passwd')).toBeNull();
    expect(externalHttpUrl('javascript:alert(1)')).toBeNull();
    expect(externalHttpUrl('smb://host/share')).toBeNull();
    expect(externalHttpUrl('not a url')).toBeNull();
  });
});

describe('devRendererUrl', () => {
  it('uses a local dev server only in unpackaged builds', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(devRendererUrl(env, false)).toBe('http://localhost:5173/');
    expect(devRendererUrl(env, true)).toBeNull();
    expect(devRendererUrl({}, false)).toBeNull();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeNull();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/index.html' }, false)).toBeNull();
  });
});
