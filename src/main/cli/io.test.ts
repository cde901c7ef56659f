// Human output helpers: layout that fits the terminal, colour only on a TTY.
import { describe, expect, it } from 'vitest';
import { fit, makeStyle, table, wrap, type CliIo } from './io';
import { renderSessions } from './commands/sessions-list';

const io = (isTTY: boolean, env: Record<string, string> = {}): CliIo => ({
  stdout: () => undefined,
  stderr: () => undefined,
  isTTY,
  columns: 80,
  env,
});

describe('human output', () => {
  it('colours only on a terminal, and never with NO_COLOR', () => {
    expect(makeStyle(io(true)).green('x')).toBe('\u001b[32mx\u001b[39m');
    expect(makeStyle(io(false)).green('x')).toBe('x');
    expect(makeStyle(io(true, { NO_COLOR: '1' })).green('x')).toBe('x');
  });

  it('cuts flexible columns so every line fits, keeping the end of paths', () => {
    const long = 'a'.repeat(200);
    const out = table(
      [{ header: 'ID' }, { header: 'PATH', flexible: true, keepEnd: true }, { header: 'NOTE', flexible: true }],
      [['1', `/very/long/${long}/file.ts`, long]],
      80,
    );
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(out).toContain('…');
    expect(out).toMatch(/file\.ts/);
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('abcdef', 4, true)).toBe('…def');
  });

  it('wraps at spaces under the first line, keeping a word longer than the line whole', () => {
    expect(wrap('one two three four', 9, 2)).toBe('one two\n  three\n  four');
    expect(wrap('x /a/very/long/path/that/does/not/fit', 10, 0)).toBe('x\n/a/very/long/path/that/does/not/fit');
  });

  it('colours a session status after layout, so the columns still line up on a terminal', () => {
    const row = {
      id: 1,
      projectDir: '/p',
      issueNumber: null,
      issueTitle: null,
      endedAt: null,
      durationMs: 1000,
      costUsd: 0,
      startedAt: '2026-11-01T09:00:00.000Z',
    };
    const sessions = [
      { ...row, id: 2, status: 'active' as const },
      { ...row, id: 1, status: 'completed' as const },
    ];
    const plain = renderSessions({ sessions, nextCursor: null }, io(false));
    const coloured = renderSessions({ sessions, nextCursor: null }, io(true));
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    expect(coloured).toContain('\u001b[32mactive\u001b[39m');
  });
});
