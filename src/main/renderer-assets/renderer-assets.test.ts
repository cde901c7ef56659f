import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeTypeFor, rendererCsp, resolveRendererAsset } from './renderer-assets';

let tmp: string;
let dir: string;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-assets-')));
  dir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), '1');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'nope');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(dir, 'assets', 'link.txt'));
  fs.symlinkSync(tmp, path.join(dir, 'up'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('resolveRendererAsset', () => {
  it('maps / to index.html and paths to files inside the directory', async () => {
    expect(await resolveRendererAsset(dir, '/')).toBe(path.join(dir, 'index.html'));
    expect(await resolveRendererAsset(dir, '/assets/app.js?v=1')).toBe(path.join(dir, 'assets', 'app.js'));
  });

  it('refuses traversal, encoded separators, NUL and undecodable paths', async () => {
    for (const p of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/assets%5c..%5c..%5csecret.txt',
      '/index.html%00.png',
      '/%E0%A4%A',
    ]) {
      expect(await resolveRendererAsset(dir, p), p).toBeNull();
    }
  });

  it('refuses symlinks that lead out of the directory, whether a file or a folder on the way', async () => {
    expect(await resolveRendererAsset(dir, '/assets/link.txt')).toBeNull();
    expect(await resolveRendererAsset(dir, '/up/secret.txt')).toBeNull();
  });

  it('refuses directories and missing files', async () => {
    expect(await resolveRendererAsset(dir, '/assets')).toBeNull();
    expect(await resolveRendererAsset(dir, '/missing.js')).toBeNull();
  });
});

describe('mimeTypeFor and rendererCsp', () => {
  it('names the types browsers need and adds connect sources', () => {
    expect(mimeTypeFor('a/b.JS')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('x.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('x.unknown')).toBe('application/octet-stream');
    expect(rendererCsp(['ws://127.0.0.1:1'])).toContain("connect-src 'self' ws://127.0.0.1:1");
    expect(rendererCsp()).toContain("object-src 'none'");
  });
});
