import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP, loadRendererFile } from './renderer-files';

let tmp: string;
let dir: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paige-renderer-'));
  dir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Paige</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'nope');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(dir, 'assets', 'link.txt'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('loadRendererFile', () => {
  it('serves files with their type and the CSP', async () => {
    const res = await loadRendererFile(dir, 'app://paige/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toMatch(/^text\/javascript/);
    expect(res.headers['Content-Security-Policy']).toBe(RENDERER_CSP);
    expect(Buffer.from(res.body).toString()).toBe('console.log(1)');
  });

  it('answers 404 for missing files, directories and symlinks that leave the directory', async () => {
    expect((await loadRendererFile(dir, 'app://paige/missing.js')).status).toBe(404);
    expect((await loadRendererFile(dir, 'app://paige/assets')).status).toBe(404);
    expect((await loadRendererFile(dir, 'app://paige/assets/link.txt')).status).toBe(404);
    expect((await loadRendererFile(dir, 'app://paige/../secret.txt')).status).toBe(404);
    expect((await loadRendererFile(dir, 'app://other/index.html')).status).toBe(404);
    expect((await loadRendererFile(dir, 'file:///etc/passwd')).status).toBe(404);
    expect((await loadRendererFile(dir, 'app://paige/a/..%2f..%2fsecret.txt')).status).toBe(404);
  });

  it('keeps the CSP on 404s', async () => {
    const res = await loadRendererFile(dir, 'app://paige/missing.js');
    expect(res.headers['Content-Security-Policy']).toBe(RENDERER_CSP);
  });
});
