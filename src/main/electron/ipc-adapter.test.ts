import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/ipc/envelope';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL } from '../../shared/ipc/preload-api';
import type { EventListener } from '../ipc/event-hub';
import type { InvokeMeta } from '../ipc/router';
import {
  ElectronIpcAdapter,
  type FrameLike,
  type InvokeEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from './ipc-adapter';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error('second handler');
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  call(event: InvokeEventLike, ...args: unknown[]): Promise<Envelope<unknown>> {
    const h = this.handlers.get(ELECTRON_INVOKE_CHANNEL);
    if (!h) throw new Error('no handler');
    return h(event, ...args) as Promise<Envelope<unknown>>;
  }
}

class FakeWebContents implements WebContentsLike {
  readonly mainFrame: FrameLike;
  readonly sent: unknown[][] = [];
  destroyed = false;
  private readonly listeners = new Map<string, (() => void)[]>();
  constructor(
    readonly id: number,
    url = 'app://paige/index.html',
  ) {
    this.mainFrame = { url, parent: null, processId: 3, routingId: id * 10 };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  once(event: 'destroyed', listener: () => void): void {
    this.on(event, listener);
  }
  on(event: string, listener: () => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  fire(event: string): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
  eventFrom(frame: FrameLike | null = this.mainFrame): InvokeEventLike {
    return { sender: this, senderFrame: frame };
  }
}

class FakeHub {
  readonly listeners = new Set<EventListener>();
  sticky: [string, unknown][] = [];
  readonly closed: string[] = [];
  clientClosed(clientId: string): void {
    this.closed.push(clientId);
  }
  subscribe(listener: EventListener): { dispose(): void } {
    this.listeners.add(listener);
    for (const [c, p] of this.sticky) listener(c as never, p, undefined);
    return { dispose: () => this.listeners.delete(listener) };
  }
  emit(channel: string, payload: unknown, cid?: string): void {
    for (const l of this.listeners) l(channel as never, payload, cid);
  }
}

function setup() {
  const ipcMain = new FakeIpcMain();
  const calls: { channel: string; payload: unknown; meta: InvokeMeta }[] = [];
  const router = {
    dispatch: vi.fn(async (channel: string, payload: unknown, meta: InvokeMeta): Promise<Envelope<unknown>> => {
      calls.push({ channel, payload, meta });
      return { ok: true, value: 'done' };
    }),
  };
  const events = new FakeHub();
  const logger = { warn: vi.fn(), debug: vi.fn() };
  const adapter = new ElectronIpcAdapter({ ipcMain, router, events, logger, allowedOrigins: ['app://paige'] });
  return { ipcMain, router, calls, events, logger, adapter };
}

describe('ElectronIpcAdapter', () => {
  it('routes invokes from a registered main frame with the electron transport', async () => {
    const { ipcMain, calls, adapter } = setup();
    const wc = new FakeWebContents(5);
    adapter.addWindow(wc);
    await expect(ipcMain.call(wc.eventFrom(), 'app:health', undefined, 'cid-1')).resolves.toEqual({
      ok: true,
      value: 'done',
    });
    expect(calls).toEqual([
      { channel: 'app:health', payload: undefined, meta: { transport: 'electron', clientId: '5', cid: 'cid-1' } },
    ]);
  });

  it('answers FORBIDDEN_SENDER without calling the router for unknown windows, subframes and foreign origins', async () => {
    const { ipcMain, router, adapter, logger } = setup();
    const wc = new FakeWebContents(5);
    adapter.addWindow(wc);
    const stranger = new FakeWebContents(6);
    const subframe: FrameLike = { url: 'app://paige/x.html', parent: wc.mainFrame, processId: 3, routingId: 99 };
    const foreign = new FakeWebContents(7, 'https://evil.example/');
    adapter.addWindow(foreign);

    const results = [
      await ipcMain.call(stranger.eventFrom(), 'app:health', undefined, 'c1'),
      await ipcMain.call(wc.eventFrom(subframe), 'app:health'),
      await ipcMain.call(wc.eventFrom(null), 'app:health'),
      await ipcMain.call(foreign.eventFrom(), 'app:health'),
    ];
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('FORBIDDEN_SENDER');
        expect(r.error.retryable).toBe(false);
        expect(r.error.cid.length).toBeGreaterThan(0);
      }
    }
    expect(results[0]).toMatchObject({ error: { cid: 'c1' } });
    expect(router.dispatch).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(4);
  });

  it('forwards hub events to the window after its first invoke, replaying sticky ones', async () => {
    const { ipcMain, events, adapter } = setup();
    events.sticky = [['app:error', { code: 'SETTINGS_INVALID', message: 'bad' }]];
    const wc = new FakeWebContents(5);
    adapter.addWindow(wc);
    expect(wc.sent).toEqual([]);
    await ipcMain.call(wc.eventFrom(), 'connection:hello', {});
    events.emit('project:changed', { projectDir: '/p' }, 'cid-9');
    expect(wc.sent).toEqual([
      [ELECTRON_EVENT_CHANNEL, 'app:error', { code: 'SETTINGS_INVALID', message: 'bad' }, undefined],
      [ELECTRON_EVENT_CHANNEL, 'project:changed', { projectDir: '/p' }, 'cid-9'],
    ]);
  });

  it('re-subscribes after a reload so the new page gets sticky events once', async () => {
    const { ipcMain, events, adapter } = setup();
    events.sticky = [['app:error', { code: 'SETTINGS_INVALID', message: 'bad' }]];
    const wc = new FakeWebContents(5);
    adapter.addWindow(wc);
    await ipcMain.call(wc.eventFrom(), 'app:health');
    await ipcMain.call(wc.eventFrom(), 'app:health');
    wc.fire('did-navigate');
    expect(events.listeners.size).toBe(0);
    await ipcMain.call(wc.eventFrom(), 'app:health');
    expect(events.listeners.size).toBe(1);
    expect(wc.sent.filter((m) => m[1] === 'app:error')).toHaveLength(2);
  });

  it('reports the client gone on reload and on destroy, so per-client state (terminal acks) is dropped', () => {
    const { events, adapter } = setup();
    const wc = new FakeWebContents(7);
    adapter.addWindow(wc);
    wc.fire('did-navigate');
    expect(events.closed).toEqual(['7']);
    wc.fire('destroyed');
    expect(events.closed).toEqual(['7', '7']);
  });

  it('unsubscribes and forgets the window when it is destroyed', async () => {
    const { ipcMain, events, adapter, router } = setup();
    const wc = new FakeWebContents(5);
    adapter.addWindow(wc);
    await ipcMain.call(wc.eventFrom(), 'app:health');
    expect(events.listeners.size).toBe(1);
    wc.destroyed = true;
    wc.fire('destroyed');
    expect(events.listeners.size).toBe(0);
    const r = await ipcMain.call(wc.eventFrom(), 'app:health');
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(router.dispatch).toHaveBeenCalledTimes(1);
  });

  it('answers SHUTTING_DOWN after stopAccepting and removes its handler on close', async () => {
    const { ipcMain, events, adapter, router } = setup();
    const wc = new FakeWebContents(5);
    adapter.addWindow(wc);
    await ipcMain.call(wc.eventFrom(), 'app:health');
    adapter.stopAccepting();
    await expect(ipcMain.call(wc.eventFrom(), 'app:health')).resolves.toMatchObject({
      ok: false,
      error: { code: 'SHUTTING_DOWN', retryable: true },
    });
    expect(router.dispatch).toHaveBeenCalledTimes(1);
    await adapter.close();
    expect(ipcMain.handlers.size).toBe(0);
    expect(events.listeners.size).toBe(0);
  });
});
