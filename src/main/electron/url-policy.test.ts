import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../ipc/sender-guard';
import { externalHttpUrl, isAllowedNavigation, windowPolicy } from './url-policy';

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

describe('windowPolicy', () => {
  it('refuses the dev URL, its origin and DevTools without the development flag', () => {
    // What an unpackaged build sees when run by electron-vite dev or a stray environment: no flag, no allowances.
    for (const env of [{ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, { NODE_ENV: 'development' }, {}]) {
      expect(windowPolicy(env)).toEqual({ devUrl: null, allowedOrigins: [APP_ORIGIN], devTools: false });
    }
  });

  it('allows them with PAIGE_DEV=1', () => {
    expect(windowPolicy({ PAIGE_DEV: '1', ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' })).toEqual({
      devUrl: 'http://127.0.0.1:5173/',
      allowedOrigins: [APP_ORIGIN, 'http://127.0.0.1:5173'],
      devTools: true,
    });
    expect(windowPolicy({ PAIGE_DEV: '1' })).toEqual({ devUrl: null, allowedOrigins: [APP_ORIGIN], devTools: true });
  });

  it('takes only a local http(s) dev server, and only PAIGE_DEV=1 exactly', () => {
    const devUrl = (env: Record<string, string>) => windowPolicy(env).devUrl;
    expect(devUrl({ PAIGE_DEV: 'true', ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBeNull();
    expect(devUrl({ PAIGE_DEV: '1', ELECTRON_RENDERER_URL: 'https://evil.example/' })).toBeNull();
    expect(devUrl({ PAIGE_DEV: '1', ELECTRON_RENDERER_URL: 'file:///tmp/index.html' })).toBeNull();
    expect(devUrl({ PAIGE_DEV: '1', ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBe('http://localhost:5173/');
  });
});
