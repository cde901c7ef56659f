import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = path.join(__dirname, 'check-dead-exports.mjs');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A small repository: an entry named by the build config, a library, a test, test support and an orphan. */
function fixture(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paige-dead-exports-'));
  temps.push(dir);
  const all: Record<string, string> = {
    'electron.vite.config.ts': "export default { input: 'src/app/main.ts' };\n",
    'src/app/main.ts': [
      "import { used, type Used } from './lib';",
      "import * as ns from './ns';",
      "import { viaStar } from './barrel';",
      'export const entryOnly: Used = used + ns.a + viaStar;',
      '',
    ].join('\n'),
    'src/app/lib.ts': [
      'export const used = 1;',
      'export type Used = number;',
      'export const onlyLocal = 2;',
      'const twice = onlyLocal * 2;',
      'export const nowhere = 3;',
      'export const onlyTests = 4;',
      '/** @visibleForTesting */',
      'export const marked = 5;',
      '/** @visibleForTesting */',
      'export const markedUnused = 6;',
      "export { inner } from './inner';",
      'const aliased = twice;',
      'export { aliased as renamed };',
      '',
    ].join('\n'),
    'src/app/inner.ts': 'export const inner = 1;\n',
    'src/app/ns.ts': 'export const a = 1;\nexport const b = 2;\n',
    'src/app/barrel.ts': "export * from './star';\n",
    'src/app/star.ts': 'export const viaStar = 1;\nexport const notViaStar = 2;\n',
    'src/app/lib.test.ts':
      "import { marked, onlyTests } from './lib';\nimport { helperUsed } from './testing/helper';\n",
    'src/app/testing/helper.ts': 'export const helperUsed = 1;\nexport const helperUnused = 2;\n',
    'src/app/orphan.ts': 'export const z = 1;\n',
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function run(dir: string, ...args: string[]): { code: number | null; lines: string[] } {
  const res = spawnSync(process.execPath, [SCRIPT, '--root', dir, ...args], { encoding: 'utf8' });
  return { code: res.status, lines: res.stdout.split('\n').filter((l) => l !== '') };
}

// Each run is a fresh node loading the TypeScript compiler: allow for a busy machine.
describe('check-dead-exports', { timeout: 30_000 }, () => {
  it('reports each unused export as file:line name with the reason', () => {
    const { code, lines } = run(fixture());
    expect(code).toBe(1);
    expect(lines).toEqual([
      'src/app/inner.ts:1 inner  used nowhere (delete it)',
      'src/app/lib.ts:3 onlyLocal  used only in its own file (drop `export`)',
      'src/app/lib.ts:5 nowhere  used nowhere (delete it)',
      'src/app/lib.ts:6 onlyTests  imported only by tests (delete it, or tag it @visibleForTesting)',
      'src/app/lib.ts:10 markedUnused  @visibleForTesting, but no test imports it',
      'src/app/lib.ts:11 inner  re-exported, but no other file imports it from here (delete the re-export)',
      'src/app/lib.ts:13 renamed  used nowhere (delete it)',
      'src/app/ns.ts:2 b  used nowhere (delete it)',
      'src/app/orphan.ts:1 <module>  no file imports this module',
      'src/app/star.ts:2 notViaStar  used nowhere (delete it)',
      'src/app/testing/helper.ts:2 helperUnused  used nowhere (delete it)',
    ]);
  });

  it('passes when nothing is unused', () => {
    const dir = fixture({
      'src/app/lib.ts': 'export const used = 1;\nexport type Used = number;\n',
      'src/app/lib.test.ts': '',
      'src/app/ns.ts': 'export const a = 1;\n',
      'src/app/star.ts': 'export const viaStar = 1;\n',
    });
    for (const gone of ['src/app/orphan.ts', 'src/app/inner.ts', 'src/app/testing']) {
      fs.rmSync(path.join(dir, gone), { recursive: true });
    }
    expect(run(dir)).toEqual({ code: 0, lines: [] });
  });

  it('keeps baseline entries quiet, fails on stale ones, and prunes them on request', () => {
    const dir = fixture({
      'src/app/lib.ts': 'export const used = 1;\nexport type Used = number;\nexport const nowhere = 3;\n',
      'src/app/lib.test.ts': '',
      'src/app/ns.ts': 'export const a = 1;\n',
      'src/app/star.ts': 'export const viaStar = 1;\n',
      'src/app/orphan.ts': 'import { used } from "./lib";\nexport {};\nvoid used;\n',
    });
    for (const gone of ['src/app/inner.ts', 'src/app/testing']) fs.rmSync(path.join(dir, gone), { recursive: true });
    const baseline = path.join(dir, 'scripts/dead-exports-baseline.txt');
    fs.mkdirSync(path.dirname(baseline), { recursive: true });
    fs.writeFileSync(baseline, '# known\nsrc/app/lib.ts nowhere\nsrc/app/lib.ts gone\nsrc/app/orphan.ts <module>\n');
    // orphan.ts is still unimported, so its entry stays; `gone` is stale.
    expect(run(dir)).toEqual({
      code: 1,
      lines: ['scripts/dead-exports-baseline.txt: src/app/lib.ts gone  no longer found; remove this entry'],
    });
    expect(run(dir, '--all').lines).toEqual([
      'src/app/lib.ts:3 nowhere  used nowhere (delete it)',
      'src/app/orphan.ts:1 <module>  no file imports this module',
      'scripts/dead-exports-baseline.txt: src/app/lib.ts gone  no longer found; remove this entry',
    ]);
    expect(run(dir, '--prune-baseline')).toEqual({ code: 0, lines: [] });
    expect(fs.readFileSync(baseline, 'utf8')).toBe('# known\nsrc/app/lib.ts nowhere\nsrc/app/orphan.ts <module>\n');
    expect(run(dir)).toEqual({ code: 0, lines: [] });
  });
});
