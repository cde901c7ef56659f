// Only the UI's file channels (and later the git channels) write project files. MCP tools, agents and
// every other service reach the workspace read-only; this keeps that true as the codebase grows.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC_MAIN = path.resolve(__dirname, '..');
const WRITE_CALL = /\bworkspace\.(save|create|delete)\s*\(/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === '__fixtures__' ? [] : sources(p);
    return /\.ts$/.test(d.name) && !/\.test\.ts$/.test(d.name) ? [p] : [];
  });
}

describe('project writes', () => {
  it('come only from the file:save / file:create / file:delete handlers', () => {
    const writers = sources(SRC_MAIN)
      .filter((f) => WRITE_CALL.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC_MAIN, f).split(path.sep).join('/'));
    expect(writers).toEqual(['fs/module.ts']);
    const handlers = fs.readFileSync(path.join(SRC_MAIN, 'fs/module.ts'), 'utf8');
    const lines = handlers.split('\n').filter((l) => WRITE_CALL.test(l));
    expect(lines.map((l) => /'([a-z]+:[a-z_]+)'/.exec(l)?.[1])).toEqual(['file:save', 'file:create', 'file:delete']);
  });
});
