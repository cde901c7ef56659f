import { describe, expect, it, vi } from 'vitest';
import { TERMINAL_ACK_UNIT_CHARS as ACK_UNIT_CHARS } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { fakeTransport } from '../../../shared/testing/fake-transport';
import { TerminalController, splitInput } from './terminal-controller';

/** A transport whose attach reply is held until the test releases it, so events can race it as on a real socket. */
function fakeBackend() {
  let releaseAttach: ((value: unknown) => void) | null = null;
  const { client, invokes, emit } = fakeTransport((channel): Promise<Envelope<unknown>> => {
    if (channel === 'terminal:attach') {
      return new Promise((resolve) => (releaseAttach = (value) => resolve({ ok: true, value })));
    }
    if (channel === 'terminal:restart') return Promise.resolve({ ok: true, value: { ptyId: 'p2' } });
    return Promise.resolve({ ok: true, value: null });
  });
  const attachReply = (value: Record<string, unknown>): void => {
    releaseAttach?.({ state: 'running', command: 'claude', fallback: false, exit: null, ...value });
    releaseAttach = null;
  };
  return { client, invokes, emit, attachReply };
}

/** Parses writes later, like xterm, and records them. */
function fakeSink() {
  const writes: string[] = [];
  const callbacks: (() => void)[] = [];
  return {
    writes,
    sink: {
      write: (data: string, cb: () => void) => {
        writes.push(data);
        callbacks.push(cb);
      },
      reset: () => writes.push('<reset>'),
    },
    parseAll: () => {
      for (const cb of callbacks.splice(0)) cb();
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TerminalController', () => {
  it('writes the snapshot, then only the output newer than it, in order', async () => {
    const b = fakeBackend();
    const s = fakeSink();
    const c = new TerminalController(b.client, s.sink);
    const attached = c.attach(80, 24);
    b.emit('terminal:data', { ptyId: 'p1', seq: 3, data: 'old' });
    b.emit('terminal:data', { ptyId: 'p1', seq: 4, data: 'new' });
    b.attachReply({ ptyId: 'p1', snapshot: 'SCREEN', seq: 3 });
    await attached;
    b.emit('terminal:data', { ptyId: 'p1', seq: 5, data: '!' });
    b.emit('terminal:data', { ptyId: 'other', seq: 6, data: 'x' });
    expect(s.writes).toEqual(['<reset>', 'SCREEN', 'new', '!']);
    expect(c.getState()).toMatchObject({ status: 'running', ptyId: 'p1' });
  });

  it('acks parsed output in units of 5 000, only after xterm parsed it', async () => {
    const b = fakeBackend();
    const s = fakeSink();
    const c = new TerminalController(b.client, s.sink);
    const attached = c.attach(80, 24);
    b.attachReply({ ptyId: 'p1', snapshot: '', seq: 0 });
    await attached;
    b.emit('terminal:data', { ptyId: 'p1', seq: 1, data: 'x'.repeat(3_000) });
    b.emit('terminal:data', { ptyId: 'p1', seq: 2, data: 'x'.repeat(8_000) });
    expect(b.invokes.filter((i) => i.channel === 'terminal:ack')).toEqual([]);
    s.parseAll();
    expect(b.invokes.filter((i) => i.channel === 'terminal:ack')).toEqual([
      { channel: 'terminal:ack', payload: { ptyId: 'p1', chars: 2 * ACK_UNIT_CHARS } },
    ]);
  });

  it('re-attaches when output went missing, and follows a pty restarted elsewhere', async () => {
    const b = fakeBackend();
    const s = fakeSink();
    const c = new TerminalController(b.client, s.sink);
    const first = c.attach(80, 24);
    b.attachReply({ ptyId: 'p1', snapshot: '', seq: 0 });
    await first;
    b.emit('terminal:data', { ptyId: 'p1', seq: 2, data: 'gap' });
    expect(b.invokes.filter((i) => i.channel === 'terminal:attach')).toHaveLength(2);
    b.attachReply({ ptyId: 'p1', snapshot: 'S', seq: 2 });
    await tick();
    b.emit('terminal:status', { ptyId: 'p2', state: 'running', fallback: false, command: 'claude' });
    expect(b.invokes.filter((i) => i.channel === 'terminal:attach')).toHaveLength(3);
    b.attachReply({ ptyId: 'p2', snapshot: '', seq: 0 });
    await tick();
    expect(c.getState().ptyId).toBe('p2');
  });

  it('shows an exit, and restart attaches to the new pty', async () => {
    const b = fakeBackend();
    const s = fakeSink();
    const c = new TerminalController(b.client, s.sink);
    const first = c.attach(80, 24);
    b.attachReply({ ptyId: 'p1', snapshot: '', seq: 0 });
    await first;
    b.emit('terminal:exit', { ptyId: 'p1', exitCode: 3, signal: null, appInitiated: false });
    expect(c.getState()).toMatchObject({ status: 'exited', exitCode: 3 });
    const restarted = c.restart();
    await tick();
    b.emit('terminal:status', { ptyId: 'p2', state: 'running', fallback: false, command: 'claude' });
    b.attachReply({ ptyId: 'p2', snapshot: '', seq: 0 });
    await restarted;
    expect(b.invokes.filter((i) => i.channel === 'terminal:attach')).toHaveLength(2);
    expect(c.getState()).toMatchObject({ status: 'running', ptyId: 'p2', exitCode: null });
  });

  it('a throwing subscriber neither fails the attach nor stops the other subscribers', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const b = fakeBackend();
      const s = fakeSink();
      const c = new TerminalController(b.client, s.sink);
      const boom = new Error('subscriber bug');
      const seen: string[] = [];
      c.subscribe(() => {
        throw boom;
      });
      c.subscribe(() => seen.push(c.getState().status));
      const attached = c.attach(80, 24);
      b.attachReply({ ptyId: 'p1', snapshot: 'SCREEN', seq: 0 });
      await attached;
      expect(c.getState()).toMatchObject({ status: 'running', ptyId: 'p1', error: null });
      expect(seen).toEqual(['attaching', 'running']);
      expect(logged).toHaveBeenCalledWith(expect.any(String), boom);
    } finally {
      logged.mockRestore();
    }
  });

  it('dispose stops notifying and stops following the backend', async () => {
    const b = fakeBackend();
    const s = fakeSink();
    const c = new TerminalController(b.client, s.sink);
    let notified = 0;
    c.subscribe(() => notified++);
    const attached = c.attach(80, 24);
    b.attachReply({ ptyId: 'p1', snapshot: '', seq: 0 });
    await attached;
    const before = notified;
    c.dispose();
    b.emit('terminal:exit', { ptyId: 'p1', exitCode: 0, signal: null, appInitiated: false });
    b.emit('terminal:data', { ptyId: 'p1', seq: 1, data: 'late' });
    expect(notified).toBe(before);
    expect(s.writes).not.toContain('late');
    expect(b.invokes).toContainEqual({ channel: 'terminal:detach', payload: { ptyId: 'p1' } });
  });

  it('splits huge pastes into contract-sized pieces without breaking surrogate pairs', () => {
    const pieces = splitInput('ab😀cd', 3);
    expect(pieces.join('')).toBe('ab😀cd');
    expect(pieces[0]).toBe('ab');
  });
});
