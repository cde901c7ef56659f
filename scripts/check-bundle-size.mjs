#!/usr/bin/env node
// Fails the build when the renderer's entry chunk (the script index.html loads: what the Home view needs before its
// first paint) is larger than 500 KB. Prints its raw and gzip sizes, and the largest lazy chunk for comparison.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const LIMIT_BYTES = 500 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] ?? path.join(root, 'out/renderer'));
const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)].map((m) => m[1]);
if (entries.length === 0) {
  console.error(`check-bundle-size: no entry script in ${path.join(dir, 'index.html')}`);
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let failed = false;
for (const rel of entries) {
  const file = path.join(dir, rel.replace(/^\.?\//, ''));
  const buf = fs.readFileSync(file);
  const gz = zlib.gzipSync(buf).length;
  const over = buf.length > LIMIT_BYTES;
  failed ||= over;
  console.log(
    `renderer entry ${path.relative(dir, file)}: ${kb(buf.length)} (gzip ${kb(gz)}); limit ${kb(LIMIT_BYTES)}` +
      (over ? ' — TOO LARGE: move what the Home view does not need behind a dynamic import()' : ''),
  );
}
const assets = path.join(dir, 'assets');
const largest = fs
  .readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({ f, size: fs.statSync(path.join(assets, f)).size }))
  .sort((a, b) => b.size - a.size)[0];
if (largest) console.log(`largest chunk ${largest.f}: ${kb(largest.size)}`);
process.exit(failed ? 1 : 0);
