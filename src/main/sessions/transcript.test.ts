// Reading Claude Code's transcript for the wrap-up: only inside the Claude config dir (realpath, so symlinks count
// where they lead), only the file's tail, condensed to user and assistant text within the cap.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFLECTION_MAX_TRANSCRIPT_CHARS } from '../llm/agents/reflection';
import { tempDir } from '../testing/harness';
import { claudeConfigDir, readTranscript, TRANSCRIPT_MAX_CHARS, TRANSCRIPT_TAIL_BYTES } from './transcript';

const line = (type: 'user' | 'assistant', text: string) =>
  JSON.stringify({ type, message: { role: type, content: type === 'user' ? text : [{ type: 'text', text }] } });

describe('readTranscript', () => {
  it('reads a transcript inside the config dir, also through a symlink that stays inside', async () => {
    const dir = tempDir('paige-claude-');
    const file = path.join(dir, 'projects', 'p', 'a.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, [line('user', 'hi'), 'not json', line('assistant', 'hello')].join('\n'));
    fs.symlinkSync(file, path.join(dir, 'inside-link.jsonl'));
    expect(await readTranscript(file, dir)).toEqual({ text: 'User: hi\n\nClaude: hello' });
    expect(await readTranscript(path.join(dir, 'inside-link.jsonl'), dir)).toEqual({
      text: 'User: hi\n\nClaude: hello',
    });
  });

  it('refuses a path outside the config dir, a symlink leading outside, a dot-dot path, and a missing file', async () => {
    const dir = tempDir('paige-claude-');
    const outside = path.join(tempDir('paige-other-'), 'x.jsonl');
    fs.writeFileSync(outside, line('user', 'secret'));
    fs.symlinkSync(outside, path.join(dir, 'link.jsonl'));
    expect((await readTranscript(outside, dir)).text).toBeNull();
    expect((await readTranscript(path.join(dir, 'link.jsonl'), dir)).text).toBeNull();
    expect(
      (await readTranscript(path.join(dir, '..', path.basename(path.dirname(outside)), 'x.jsonl'), dir)).text,
    ).toBeNull();
    expect(await readTranscript(path.join(dir, 'missing.jsonl'), dir)).toEqual({
      text: null,
      reason: 'transcript not found',
    });
    expect((await readTranscript(null, dir)).text).toBeNull();
  });

  it('reads only the last 2 MiB and keeps the newest 50 000 characters', async () => {
    const dir = tempDir('paige-claude-');
    const file = path.join(dir, 'big.jsonl');
    const lines: string[] = [line('user', 'THE VERY FIRST MESSAGE')];
    let n = 0;
    while (lines.join('\n').length < TRANSCRIPT_TAIL_BYTES + 200_000) {
      lines.push(line(n % 2 === 0 ? 'user' : 'assistant', `message ${n} ${'x'.repeat(900)}`));
      n++;
    }
    lines.push(line('assistant', 'THE LAST WORD'));
    fs.writeFileSync(file, lines.join('\n'));
    const r = await readTranscript(file, dir);
    expect(r.text).not.toBeNull();
    expect(r.text!.length).toBeLessThanOrEqual(TRANSCRIPT_MAX_CHARS);
    expect(TRANSCRIPT_MAX_CHARS).toBe(REFLECTION_MAX_TRANSCRIPT_CHARS);
    expect(r.text!.endsWith('Claude: THE LAST WORD')).toBe(true);
    expect(r.text).not.toContain('THE VERY FIRST MESSAGE');
  });

  it('finds the config dir from CLAUDE_CONFIG_DIR, else ~/.claude', () => {
    expect(claudeConfigDir({ CLAUDE_CONFIG_DIR: '/tmp/cc' })).toBe('/tmp/cc');
    expect(claudeConfigDir({ HOME: '/home/ada' })).toBe('/home/ada/.claude');
  });
});
