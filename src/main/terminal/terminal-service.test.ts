// The terminal host on real ptys (node-pty, /bin/sh): round trips, resize, exit, restart, fallback, env, UTF-8,
// replay, flow control and nudge injection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/ipc/contract';
import { FakeRenderer, makeTerminalService, sleep, waitFor } from './terminal-test-kit';
import { HIGH_WATER_CHARS } from './flow-control';
import { QUIET_INPUT_MS } from './nudge-injector';

let kits: ReturnType<typeof makeTerminalService>[] = [];

function kit(opts: Parameters<typeof makeTerminalService>[0] = {}) {
  const k = makeTerminalService(opts);
  kits.push(k);
  return k;
}

afterEach(async () => {
  await Promise.all(kits.map((k) => k.service.shutdown()));
  kits = [];
});

async function attached(k: ReturnType<typeof makeTerminalService>, clientId = 'window', cols = 80, rows = 24) {
  const res = await k.service.attach(clientId, cols, rows);
  const r = new FakeRenderer(k, clientId, res.ptyId);
  r.text = res.snapshot;
  return { res, r };
}

function exits(k: ReturnType<typeof makeTerminalService>): EventPayload<'terminal:exit'>[] {
  return k.events.filter((e) => e.channel === 'terminal:exit').map((e) => e.payload as EventPayload<'terminal:exit'>);
}

describe('TerminalService on a real pty', () => {
  it('starts only once a project is open', async () => {
    const k = kit({ projectDir: null });
    await expect(k.service.attach('window', 80, 24)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(k.service.state).toBe('none');
  });

  it('round-trips input and output', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    expect(res.state).toBe('running');
    expect(res.fallback).toBe(false);
    k.service.input(res.ptyId, 'echo round-$((6*7))-trip\r');
    await waitFor(() => r.text.includes('round-42-trip'), 5_000, 'echo output');
  });

  it('resizes the pty (clamped to 2–500 × 1–200) so stty size sees it', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    k.service.resize(res.ptyId, 101, 33);
    k.service.input(res.ptyId, 'stty size\r');
    await waitFor(() => r.text.includes('33 101'), 5_000, 'stty size 33 101');
    k.service.resize(res.ptyId, 9_999, 9_999);
    k.service.input(res.ptyId, 'stty size\r');
    await waitFor(() => r.text.includes('200 500'), 5_000, 'clamped stty size');
  });

  it('reports the exit code, does not restart by itself, and shows the exit to a later attach', async () => {
    const k = kit();
    const { res } = await attached(k);
    k.service.input(res.ptyId, 'exit 7\r');
    await waitFor(() => exits(k).length === 1, 5_000, 'exit event');
    expect(exits(k)[0]).toMatchObject({ ptyId: res.ptyId, exitCode: 7, appInitiated: false });
    expect(k.service.state).toBe('exited');
    const again = await k.service.attach('window', 80, 24);
    expect(again).toMatchObject({ ptyId: res.ptyId, state: 'exited', exit: { exitCode: 7, signal: null } });
  });

  it('restart gives a new pty id and marks the old one app-initiated', async () => {
    const k = kit();
    const { res } = await attached(k);
    const { ptyId } = k.service.restart(90, 30);
    expect(ptyId).not.toBe(res.ptyId);
    await waitFor(() => exits(k).some((e) => e.ptyId === res.ptyId), 5_000, 'old pty exit');
    expect(exits(k).find((e) => e.ptyId === res.ptyId)?.appInitiated).toBe(true);
    expect(k.service.isAppInitiated(res.ptyId)).toBe(true);
    expect(k.service.isAppInitiated(ptyId)).toBe(false);
    const r = new FakeRenderer(k, 'window', ptyId);
    k.service.input(ptyId, 'stty size\r');
    await waitFor(() => r.text.includes('30 90'), 5_000, 'new pty answers');
    expect(() => k.service.input(res.ptyId, 'x')).toThrow(/attach again/);
  });

  it('moves to a newly opened project: the old pty ends app-initiated, the new one starts there', async () => {
    const k = kit();
    const { res } = await attached(k);
    const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-term-other-')));
    const seen: string[] = [];
    k.onEvent((e) => {
      if (e.channel === 'terminal:data') seen.push((e.payload as EventPayload<'terminal:data'>).data);
    });
    k.setProject(other);
    await waitFor(() => exits(k).some((e) => e.ptyId === res.ptyId), 5_000, 'old pty exit');
    expect(exits(k)[0]?.appInitiated).toBe(true);
    const next = k.service.session;
    expect(next?.ptyId).not.toBe(res.ptyId);
    k.service.input(next?.ptyId ?? '', 'echo "cwd:$(pwd)"\r');
    await waitFor(() => seen.join('').includes(`cwd:${other}`), 5_000, 'new cwd');
  });

  it('a large paste with escape sequences arrives intact', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    const file = path.join(k.projectDir, 'paste.txt');
    // The paste goes in once echo is off and cat is next: the marker is printed (not echoed) right before cat runs.
    k.service.input(res.ptyId, `stty -echo; echo cat-$((1+1))-next; cat > ${file}; echo "pasted:$(wc -c < ${file})"\r`);
    await waitFor(() => r.text.includes('cat-2-next'), 5_000, 'echo off, cat next');
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(90)} \x1b[1mbold\x1b[0m`);
    const paste = lines.join('\n') + '\n';
    k.service.input(res.ptyId, paste);
    k.service.input(res.ptyId, '\x04');
    await waitFor(() => /pasted:\s*\d+/.test(r.text), 10_000, 'cat to finish');
    expect(fs.readFileSync(file, 'utf8')).toBe(paste);
  });

  it('a command not on PATH starts the shell with a one-line banner', async () => {
    const k = kit({ settings: { command: 'claude-not-installed-here' } });
    const { res, r } = await attached(k);
    expect(res.fallback).toBe(true);
    expect(res.command).toBe('claude-not-installed-here');
    await waitFor(() => r.text.includes('claude-not-installed-here not found — started your shell'), 5_000, 'banner');
    k.service.input(res.ptyId, 'echo shell-$((1+1))\r');
    await waitFor(() => r.text.includes('shell-2'), 5_000, 'the shell answers');
    const status = k.events.find((e) => e.channel === 'terminal:status')?.payload;
    expect(status).toMatchObject({ ptyId: res.ptyId, fallback: true });
  });

  it('runs claude with Paige’s plugin and tool flags, then terminal.args', async () => {
    const k0 = kit();
    const bin = path.join(k0.projectDir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'claude'), '#!/bin/sh\nprintf "<%s>" "$@"; echo; sleep 5\n', { mode: 0o755 });
    const k = kit({
      settings: { command: 'claude', args: ['--verbose'] },
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      pluginDir: '/opt/paige/resources/claude-plugin',
    });
    const { res, r } = await attached(k);
    expect(res.fallback).toBe(false);
    await waitFor(() => r.text.includes('<--verbose>'), 5_000, 'args echoed');
    expect(r.text).toContain(
      '<--plugin-dir></opt/paige/resources/claude-plugin><--allowedTools><mcp__plugin_paige_paige>' +
        '<--disallowedTools><Write Edit NotebookEdit><--permission-mode><default><--verbose>',
    );
  });

  it('passes TERM, COLORTERM and the PAIGE_* variables but not the bridge token', async () => {
    const k = kit({ env: { PATH: process.env.PATH, PAIGE_BRIDGE_TOKEN: 'secret-token', KEEP_ME: 'kept' } });
    const { res, r } = await attached(k);
    k.service.input(
      res.ptyId,
      'echo "env:$TERM:$COLORTERM:$PAIGE_PTY_ID:$PAIGE_PROJECT_DIR:$PAIGE_HOOK_TIMEOUT_MS:$PAIGE_SAFETY_MODE:' +
        '${PAIGE_BRIDGE_TOKEN:-none}:$KEEP_ME:${PAIGE_MCP_URL-unset}:$PAIGE_APP_PID:$PAIGE_NODE"\r',
    );
    const expected = `env:xterm-256color:truecolor:${res.ptyId}:${k.projectDir}:300:read_only:none:kept::${process.pid}:${process.execPath}`;
    await waitFor(() => r.text.includes(expected), 5_000, 'env line');
  });

  it('delivers a 4-byte emoji and CJK characters intact when the program writes them split across reads', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    // 😀 = F0 9F 98 80, 漢 = E6 BC A2, 字 = E5 AD 97: each cut mid-character, with pauses so they arrive apart.
    k.service.input(
      res.ptyId,
      "printf '[\\360\\237'; sleep 0.2; printf '\\230\\200 \\346\\274'; sleep 0.2; printf '\\242\\345\\255\\227]\\n'\r",
    );
    await waitFor(() => r.text.includes('[😀 漢字]'), 5_000, 'reassembled characters');
    expect(r.text).not.toContain('\uFFFD');
  });

  it('replays the screen to a client that attaches later, with the seq it covers', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    k.service.input(res.ptyId, 'echo replay-$((40+2))\r');
    // The next prompt is the last output the command causes: after it the screen is quiet until the next input.
    await waitFor(() => /replay-42\r?\n[$#] $/.test(r.text), 5_000, 'output and the next prompt');
    const seqs: number[] = [];
    k.onEvent((e) => {
      if (e.channel === 'terminal:data') seqs.push((e.payload as EventPayload<'terminal:data'>).seq);
    });
    const second = await k.service.attach('reloaded-window', 80, 24);
    expect(second.ptyId).toBe(res.ptyId);
    expect(second.snapshot).toContain('replay-42');
    expect(second.seq).toBeGreaterThan(0);
    k.service.input(res.ptyId, 'echo after\r');
    await waitFor(() => seqs.length > 0, 5_000, 'more output');
    expect(Math.min(...seqs)).toBe(second.seq + 1);
  });

  it('pauses a pty whose consumer stops acking and resumes when the acks come back', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    r.acking = false;
    k.service.input(res.ptyId, 'yes paige-flow\r');
    await waitFor(() => k.service.state === 'paused', 5_000, 'pause');
    await sleep(300);
    const stalled = r.chars;
    await sleep(300);
    expect(r.chars).toBe(stalled);
    const session = k.service.session;
    expect(session?.unackedOf('window')).toBeGreaterThan(HIGH_WATER_CHARS);
    const stats = session?.stats;
    // Paused right after the batch that crossed the line: never more than 100 000 + one batch outstanding.
    expect(stats?.maxUnacked ?? Infinity).toBeLessThanOrEqual(HIGH_WATER_CHARS + (stats?.maxBatchChars ?? 0));
    r.acking = true;
    r.flushAcks(true);
    await waitFor(() => r.chars > stalled + HIGH_WATER_CHARS, 5_000, 'output flowing again');
    k.service.input(res.ptyId, '\x03');
  });

  it('a client that goes away no longer holds the pty paused', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    const { r: silent } = await attached(k, 'silent-tab');
    silent.acking = false;
    k.service.input(res.ptyId, 'yes\r');
    await waitFor(() => k.service.state === 'paused', 5_000, 'pause');
    const before = r.chars;
    k.service.clientGone('silent-tab');
    await waitFor(() => r.chars > before + HIGH_WATER_CHARS, 5_000, 'resumed output');
    k.service.input(res.ptyId, '\x03');
  });

  it('writes input while output is paused, so Ctrl-C stops a flood that nobody reads', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    r.acking = false;
    k.service.input(res.ptyId, 'yes\r');
    await waitFor(() => k.service.state === 'paused', 5_000, 'pause');
    k.service.input(res.ptyId, '\x03');
    r.acking = true;
    r.flushAcks(true);
    k.service.input(res.ptyId, 'echo stopped-$((2+3))\r');
    await waitFor(() => r.text.includes('stopped-5'), 5_000, 'the prompt is back');
  });

  it('types a nudge in bracketed paste once the terminal is quiet', async () => {
    const k = kit();
    const { res, r } = await attached(k);
    k.service.input(res.ptyId, "printf '\\033[?2004h'; cat -v\r");
    const started = Date.now();
    const outcome = await k.service.injectNudge('[PAIGE_OBSERVER] {"signal":"stuck"}');
    expect(outcome).toEqual({ delivered: true, bracketedPaste: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(QUIET_INPUT_MS - 50);
    await waitFor(() => r.text.includes('^[[200~[PAIGE_OBSERVER] {"signal":"stuck"}^[[201~'), 5_000, 'pasted line');
  });
});
