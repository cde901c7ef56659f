// Which native addons need an Electron-specific build. An N-API addon exports `napi_register_module_v1` and
// calls only `napi_*` functions, whose ABI is the same in Node and Electron, so one build loads in both; an addon on
// V8's C++ API (`_ZN2v8…` symbols, `node_module_register`) is tied to one runtime's ABI and must be rebuilt for
// Electron (scripts/electron-native.mjs does that for better-sqlite3).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(__filename);

function builtAddon(pkg: string, file: string): Buffer {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  return fs.readFileSync(path.join(dir, 'build', 'Release', file));
}

describe('native addons and the Electron ABI', () => {
  it('node-pty is an N-API addon: the same build loads in Electron, no rebuild needed', () => {
    const bin = builtAddon('node-pty', 'pty.node');
    expect(bin.includes('napi_register_module_v1')).toBe(true);
    expect(bin.includes('napi_create_function')).toBe(true);
    // Nothing from V8's C++ API or Node's ABI-versioned registration.
    expect(bin.includes('_ZN2v8')).toBe(false);
    expect(bin.includes('node_module_register')).toBe(false);
  });

  it('better-sqlite3 uses V8’s C++ API, so Electron needs its own build (scripts/electron-native.mjs)', () => {
    const bin = builtAddon('better-sqlite3', 'better_sqlite3.node');
    expect(bin.includes('_ZN2v8')).toBe(true);
  });
});
