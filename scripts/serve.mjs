#!/usr/bin/env node
// `npm run serve -- --project DIR`: builds when sources are newer than out/, then runs `paige serve` under plain Node.
// `--build-only` just brings the build up to date (used by `npm start` and `npm run bench`).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'out', '.build-stamp');
const BUILD_INPUTS = ['src', 'package.json', 'electron.vite.config.ts'];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function buildIsStale() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  return BUILD_INPUTS.some((p) => newestMtime(path.join(root, p)) > built);
}

export function ensureBuilt() {
  if (!buildIsStale()) return;
  process.stderr.write('paige: building (electron-vite build)…\n');
  const res = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
    },
  );
  if (res.status !== 0) {
    process.stderr.write('paige: build failed\n');
    process.exit(res.status ?? 1);
  }
  fs.writeFileSync(stamp, new Date().toISOString());
}

function main(argv) {
  const buildOnly = argv.includes('--build-only');
  ensureBuilt();
  if (buildOnly) return;
  const args = argv.filter((a) => a !== '--build-only');
  const child = spawn(process.execPath, [path.join(root, 'out', 'main', 'cli.js'), 'serve', ...args], {
    stdio: 'inherit',
  });
  // Ctrl-C already reaches the child through the terminal's process group; forwarding it would count as a second one.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
