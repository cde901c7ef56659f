import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES } from '../shared/ipc/contract';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL } from '../shared/ipc/preload-api';
import { createPreloadApi, preloadBindings, type PreloadIpc } from './bindings';

type Listener = (...args: unknown[]) => void;

class FakeIpc implements PreloadIpc {
  readonly invokes: unknown[][] = [];
  readonly listeners = new Map<string, Set<Listener>>();
  reply: unknown = { ok: true, value: 'pong' };

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invokes.push([channel, ...args]);
    return Promise.resolve(this.reply);
  }
  on(channel: string, listener: Listener): void {
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(channel, set);
  }
  removeListener(channel: string, listener: Listener): void {
    this.listeners.get(channel)?.delete(listener);
  }
  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
  /** Mimics webContents.send: the first argument is the IpcRendererEvent, whose `sender` is ipcRenderer. */
  emit(channel: string, ...args: unknown[]): void {
    const fakeEvent = { sender: this };
    for (const l of this.listeners.get(channel) ?? []) l(fakeEvent, ...args);
  }
}

const info = { platform: 'linux', version: '0.1.0' };

describe('createPreloadApi', () => {
  it('forwards contract invokes over the paige:invoke channel and resolves with the envelope', async () => {
    const ipc = new FakeIpc();
    const api = createPreloadApi(ipc, info);
    await expect(api.invoke('app:health')).resolves.toEqual({ ok: true, value: 'pong' });
    await api.invoke('project:open', { path: '/tmp/x' });
    expect(ipc.invokes).toEqual([
      [ELECTRON_INVOKE_CHANNEL, 'app:health', undefined],
      [ELECTRON_INVOKE_CHANNEL, 'project:open', { path: '/tmp/x' }],
    ]);
  });

  it('rejects channels outside the contract without touching ipc', async () => {
    const ipc = new FakeIpc();
    const api = createPreloadApi(ipc, info);
    await expect(api.invoke('paige:invoke')).rejects.toThrow('Unknown channel');
    await expect(api.invoke('fs:rm_rf')).rejects.toThrow('Unknown channel');
    await expect(api.invoke('__proto__')).rejects.toThrow('Unknown channel');
    await expect(api.invoke(42 as unknown as string)).rejects.toThrow('Unknown channel');
    expect(ipc.invokes).toHaveLength(0);
  });

  it('delivers only the subscribed event channel, with payload and cid but never the ipc event', () => {
    const ipc = new FakeIpc();
    const api = createPreloadApi(ipc, info);
    const seen: unknown[][] = [];
    api.on('project:changed', (...args) => seen.push(args));
    ipc.emit(ELECTRON_EVENT_CHANNEL, 'project:changed', { projectDir: '/p' }, 'cid-1');
    ipc.emit(ELECTRON_EVENT_CHANNEL, 'settings:changed', { changedKeys: [], restartRequired: [] });
    ipc.emit(ELECTRON_EVENT_CHANNEL, 'project:changed', { projectDir: null });
    expect(seen).toEqual([
      [{ projectDir: '/p' }, 'cid-1'],
      [{ projectDir: null }, undefined],
    ]);
  });

  it('throws for event channels outside the contract', () => {
    const api = createPreloadApi(new FakeIpc(), info);
    expect(() => api.on('paige:event', () => {})).toThrow('Unknown channel');
    expect(() => api.on('app:health', () => {})).toThrow('Unknown channel');
  });

  it('unsubscribes and releases the ipc listener when the last subscription goes', () => {
    const ipc = new FakeIpc();
    const api = createPreloadApi(ipc, info);
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.on('app:error', a);
    const offB = api.on('app:capabilities', b);
    expect(ipc.listenerCount(ELECTRON_EVENT_CHANNEL)).toBe(1);
    offA();
    offA();
    ipc.emit(ELECTRON_EVENT_CHANNEL, 'app:error', { code: 'INTERNAL', message: 'x' });
    expect(a).not.toHaveBeenCalled();
    expect(ipc.listenerCount(ELECTRON_EVENT_CHANNEL)).toBe(1);
    offB();
    expect(ipc.listenerCount(ELECTRON_EVENT_CHANNEL)).toBe(0);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const ipc = new FakeIpc();
    const api = createPreloadApi(ipc, info);
    const errSpy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    api.on('project:changed', () => {
      throw new Error('boom');
    });
    api.on('project:changed', good);
    ipc.emit(ELECTRON_EVENT_CHANNEL, 'project:changed', { projectDir: null });
    expect(good).toHaveBeenCalledOnce();
    errSpy.mockRestore();
  });

  it('exposes only invoke, on, platform and version', () => {
    const api = createPreloadApi(new FakeIpc(), info);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'platform', 'version']);
    expect(api.platform).toBe('linux');
    expect(api.version).toBe('0.1.0');
  });
});

describe('preloadBindings', () => {
  it('lists exactly the contract channels', () => {
    const bound = preloadBindings();
    expect([...bound.invoke].sort()).toEqual([...INVOKE_CHANNEL_NAMES].sort());
    expect([...bound.events].sort()).toEqual([...EVENT_CHANNEL_NAMES].sort());
  });
});
