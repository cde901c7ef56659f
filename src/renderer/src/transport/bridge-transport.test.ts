import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaigeClient } from '../../../shared/ipc/client';
import { BRIDGE_CLOSE } from '../../../shared/ipc/envelope';
import { PaigeError } from '../../../shared/ipc/errors';
import {
  BridgeTransport,
  type SocketCloseEvent,
  type SocketMessageEvent,
  type WebSocketLike,
} from './bridge-transport';
import { isConnectionLost } from './connection-state';

class FakeSocket implements WebSocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((event: SocketMessageEvent) => void) | null = null;
  onclose: ((event: SocketCloseEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  readonly sent: unknown[] = [];
  closedWith: number | undefined;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code?: number): void {
    this.closedWith = code ?? 1000;
  }

  // Server side helpers.
  open(): void {
    this.onopen?.();
  }

  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.({ data });
  }

  drop(code = 1006): void {
    this.onclose?.({ code, reason: '' });
  }
}

const quietLogger = { warn: () => undefined };

function setup(token: string | null = 'secret', logger: Pick<Console, 'warn'> = quietLogger) {
  const sockets: FakeSocket[] = [];
  const transport = new BridgeTransport({
    url: 'ws://127.0.0.1:9999/bridge',
    token,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    logger,
  });
  const socket = (index = sockets.length - 1): FakeSocket => {
    const s = sockets[index];
    if (!s) throw new Error(`no socket #${index}`);
    return s;
  };
  /** Connects, opens the socket and authenticates it. */
  const connectAndAuth = (): FakeSocket => {
    transport.connect();
    const s = socket();
    s.open();
    s.receive({ type: 'auth_ok', protocolVersion: 1, connectionId: 'c1' });
    return s;
  };
  return { transport, sockets, socket, connectAndAuth };
}

function invokeFrames(socket: FakeSocket): { id: number; channel: string; payload?: unknown }[] {
  return socket.sent.filter(
    (f): f is { type: 'invoke'; id: number; channel: string; payload?: unknown } =>
      typeof f === 'object' && f !== null && 'type' in f && f.type === 'invoke',
  );
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeTransport', () => {
  it('sends the auth frame first and becomes open on auth_ok', () => {
    const { transport, socket } = setup('tok-123');
    const states: string[] = [];
    transport.subscribe(() => states.push(transport.getState().status));
    transport.connect();
    expect(transport.getState().status).toBe('connecting');
    const s = socket();
    expect(s.url).toBe('ws://127.0.0.1:9999/bridge');
    s.open();
    expect(s.sent[0]).toEqual({ type: 'auth', token: 'tok-123' });
    s.receive({ type: 'auth_ok', protocolVersion: 1, connectionId: 'abc' });
    expect(transport.getState()).toMatchObject({
      status: 'open',
      failures: 0,
      generation: 1,
      serverProtocolVersion: 1,
    });
    expect(states).toEqual(['open']);
  });

  it('queues invokes until auth_ok and correlates results by id', async () => {
    const { transport, socket } = setup();
    transport.connect();
    const s = socket();
    s.open();
    const first = transport.invoke('app:health', undefined, 1_000);
    const second = transport.invoke('project:open', { path: '/tmp/x' }, 1_000);
    expect(invokeFrames(s)).toHaveLength(0);
    s.receive({ type: 'auth_ok', protocolVersion: 1, connectionId: 'abc' });
    const frames = invokeFrames(s);
    expect(frames.map((f) => f.channel)).toEqual(['app:health', 'project:open']);
    expect(frames[1]?.payload).toEqual({ path: '/tmp/x' });
    const [a, b] = frames;
    if (!a || !b) throw new Error('missing frames');
    expect(a.id).not.toBe(b.id);
    // Answer out of order.
    s.receive({ type: 'result', id: b.id, ok: true, value: { projectDir: '/tmp/x', cloned: false } });
    s.receive({ type: 'result', id: a.id, ok: true, value: { status: 'ok' } });
    await expect(first).resolves.toEqual({ ok: true, value: { status: 'ok' } });
    await expect(second).resolves.toEqual({ ok: true, value: { projectDir: '/tmp/x', cloned: false } });
  });

  it('turns error results into PaigeErrors through PaigeClient', async () => {
    const { transport, connectAndAuth } = setup();
    const s = connectAndAuth();
    const client = new PaigeClient(transport);
    const result = client.invoke('project:open', { path: '/nope' });
    const frame = invokeFrames(s)[0];
    if (!frame) throw new Error('no invoke frame');
    s.receive({
      type: 'result',
      id: frame.id,
      ok: false,
      error: { code: 'PROJECT_NOT_FOUND', message: 'no such folder', retryable: false, cid: 'cid-1' },
    });
    const err: unknown = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaigeError);
    expect(err).toMatchObject({ code: 'PROJECT_NOT_FOUND', message: 'no such folder', cid: 'cid-1' });
  });

  it('dispatches events to every listener until unsubscribed', () => {
    const { transport, connectAndAuth } = setup();
    const seen: [string, unknown][] = [];
    const off = transport.onEvent((channel, payload) => seen.push([channel, payload]));
    const client = new PaigeClient(transport);
    const changed: unknown[] = [];
    client.on('project:changed', (p) => changed.push(p));
    const s = connectAndAuth();
    s.receive({ type: 'event', channel: 'project:changed', payload: { projectDir: '/a' } });
    s.receive({ type: 'event', channel: 'app:error', payload: { code: 'SETTINGS_INVALID', message: 'bad' }, cid: 'x' });
    expect(seen).toEqual([
      ['project:changed', { projectDir: '/a' }],
      ['app:error', { code: 'SETTINGS_INVALID', message: 'bad' }],
    ]);
    expect(changed).toEqual([{ projectDir: '/a' }]);
    off();
    s.receive({ type: 'event', channel: 'project:changed', payload: { projectDir: '/b' } });
    expect(seen).toHaveLength(2);
    expect(changed).toHaveLength(2);
  });

  it('keeps delivering events and state changes when a listener throws, and logs the error', () => {
    const warnings: unknown[][] = [];
    const { transport, connectAndAuth } = setup('secret', { warn: (...args: unknown[]) => warnings.push(args) });
    const boom = new Error('listener bug');
    const seen: string[] = [];
    transport.onEvent(() => {
      throw boom;
    });
    transport.onEvent((channel) => seen.push(channel));
    const states: string[] = [];
    transport.subscribe(() => {
      throw boom;
    });
    transport.subscribe(() => states.push(transport.getState().status));
    const s = connectAndAuth();
    expect(states).toEqual(['open']);
    s.receive({ type: 'event', channel: 'project:changed', payload: { projectDir: '/a' } });
    s.receive({ type: 'event', channel: 'project:changed', payload: { projectDir: '/b' } });
    expect(seen).toEqual(['project:changed', 'project:changed']);
    expect(warnings).toContainEqual(['[bridge] listener for project:changed threw', boom]);
    expect(warnings).toContainEqual(['[bridge] connection state listener threw', boom]);
  });

  it('answers ping with pong', () => {
    const { connectAndAuth } = setup();
    const s = connectAndAuth();
    s.receive({ type: 'ping' });
    expect(s.sent.at(-1)).toEqual({ type: 'pong' });
  });

  it('ignores malformed and unknown frames', () => {
    const { transport, connectAndAuth } = setup();
    const s = connectAndAuth();
    s.receiveRaw('not json');
    s.receiveRaw(new Uint8Array([1, 2]));
    s.receive({ type: 'mystery' });
    s.receive({ type: 'result', id: 999, ok: true, value: 1 });
    expect(transport.getState().status).toBe('open');
  });

  it('rejects with TIMEOUT after the channel timeout and ignores the late result', async () => {
    const { transport, connectAndAuth } = setup();
    const s = connectAndAuth();
    const client = new PaigeClient(transport);
    const result = client.invoke('app:health');
    const caught = result.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(29_999);
    s.receive({ type: 'ping' }); // keep the idle watchdog happy
    await vi.advanceTimersByTimeAsync(1);
    const err = await caught;
    expect(err).toBeInstanceOf(PaigeError);
    expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
    const frame = invokeFrames(s)[0];
    if (!frame) throw new Error('no invoke frame');
    s.receive({ type: 'result', id: frame.id, ok: true, value: {} }); // no throw, no effect
  });

  it('cancels in-flight invokes on disconnect and reconnects with 1, 2, 4, 8, 16, 30 s backoff', async () => {
    const { transport, sockets, socket, connectAndAuth } = setup();
    const first = connectAndAuth();
    const inflight = transport.invoke('app:health', undefined, 60_000).catch((e: unknown) => e);
    first.drop(1006);
    expect(await inflight).toMatchObject({ code: 'CANCELLED' });

    const delays: (number | null)[] = [];
    expect(transport.getState()).toMatchObject({ status: 'reconnecting', failures: 1 });
    for (let attempt = 1; attempt <= 6; attempt++) {
      const state = transport.getState();
      delays.push(state.nextRetryMs);
      expect(isConnectionLost(state)).toBe(state.failures >= 5);
      const before = sockets.length;
      vi.advanceTimersByTime((state.nextRetryMs ?? 0) - 1);
      expect(sockets.length).toBe(before);
      vi.advanceTimersByTime(1);
      expect(sockets.length).toBe(before + 1);
      expect(transport.getState().status).toBe('connecting');
      socket().drop(1006); // never opens
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(transport.getState()).toMatchObject({ status: 'reconnecting', failures: 7, nextRetryMs: 30_000 });
    expect(isConnectionLost(transport.getState())).toBe(true);

    // A successful reconnect resets the failure count and bumps the generation (the UI re-runs hello).
    vi.advanceTimersByTime(30_000);
    const again = socket();
    again.open();
    expect(again.sent[0]).toEqual({ type: 'auth', token: 'secret' });
    again.receive({ type: 'auth_ok', protocolVersion: 1, connectionId: 'c2' });
    expect(transport.getState()).toMatchObject({ status: 'open', failures: 0, generation: 2 });
  });

  it('keeps unsent invokes queued across a reconnect', async () => {
    const { transport, socket, connectAndAuth } = setup();
    connectAndAuth().drop(1006);
    const queued = transport.invoke('session:snapshot', undefined, 60_000);
    vi.advanceTimersByTime(1_000);
    const s = socket();
    s.open();
    s.receive({ type: 'auth_ok', protocolVersion: 1, connectionId: 'c2' });
    const frame = invokeFrames(s)[0];
    if (!frame) throw new Error('no invoke frame');
    expect(frame.channel).toBe('session:snapshot');
    s.receive({ type: 'result', id: frame.id, ok: true, value: null });
    await expect(queued).resolves.toEqual({ ok: true, value: null });
  });

  it('stops for good when the server rejects the token (4401)', async () => {
    const { transport, sockets, socket } = setup('wrong');
    transport.connect();
    const pending = transport.invoke('app:health', undefined, 60_000).catch((e: unknown) => e);
    socket().open();
    socket().drop(BRIDGE_CLOSE.unauthorized);
    expect(transport.getState()).toMatchObject({ status: 'closed', closedReason: 'unauthorized' });
    expect(await pending).toMatchObject({ code: 'UNAUTHORIZED' });
    vi.advanceTimersByTime(120_000);
    expect(sockets).toHaveLength(1);
    await expect(transport.invoke('app:health', undefined, 1_000)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('reconnects when the server closed it for sending its token too late (4400)', () => {
    const { transport, sockets, socket } = setup('tok');
    transport.connect();
    socket().open();
    socket().drop(BRIDGE_CLOSE.authTimeout);
    expect(transport.getState()).toMatchObject({ status: 'reconnecting', failures: 1 });
    vi.advanceTimersByTime(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('does not connect without a token', () => {
    const { transport, sockets } = setup(null);
    transport.connect();
    expect(sockets).toHaveLength(0);
    expect(transport.getState()).toMatchObject({ status: 'closed', closedReason: 'no_token' });
  });

  it('abandons a socket that never authenticates or goes silent', () => {
    const { transport, sockets, socket } = setup();
    transport.connect();
    socket().open();
    vi.advanceTimersByTime(5_000); // no auth_ok
    expect(socket(0).closedWith).toBe(4000);
    expect(transport.getState()).toMatchObject({ status: 'reconnecting', failures: 1 });
    vi.advanceTimersByTime(1_000);
    expect(sockets).toHaveLength(2);
    const s = socket();
    s.open();
    s.receive({ type: 'auth_ok', protocolVersion: 1, connectionId: 'c' });
    vi.advanceTimersByTime(45_000); // no pings
    expect(s.closedWith).toBe(4000);
    expect(transport.getState().status).toBe('reconnecting');
  });

  it('treats a socket error without a close event as a failed attempt', () => {
    const { transport, sockets, socket } = setup();
    transport.connect();
    socket().onerror?.();
    expect(transport.getState()).toMatchObject({ status: 'reconnecting', failures: 1 });
    socket().drop(1006); // a late close from the same socket is ignored
    expect(transport.getState()).toMatchObject({ status: 'reconnecting', failures: 1 });
    vi.advanceTimersByTime(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('reconnectNow skips the backoff wait', () => {
    const { transport, sockets, connectAndAuth } = setup();
    connectAndAuth().drop(1006);
    expect(sockets).toHaveLength(1);
    transport.reconnectNow();
    expect(sockets).toHaveLength(2);
    expect(transport.getState().status).toBe('connecting');
  });

  it('dispose cancels everything', async () => {
    const { transport, connectAndAuth } = setup();
    const s = connectAndAuth();
    const pending = transport.invoke('app:health', undefined, 60_000).catch((e: unknown) => e);
    transport.dispose();
    expect(await pending).toMatchObject({ code: 'CANCELLED' });
    expect(s.closedWith).toBe(1000);
    expect(transport.getState()).toMatchObject({ status: 'closed', closedReason: 'disposed' });
  });
});
