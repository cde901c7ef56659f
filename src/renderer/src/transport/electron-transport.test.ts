import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../shared/ipc/envelope';
import type { PaigePreloadApi } from '../../../shared/ipc/preload-api';
import { ElectronTransport, isPreloadApi } from './electron-transport';

function fakeApi(invoke: (channel: string, payload?: unknown) => Promise<Envelope<unknown>>) {
  const subscribers = new Map<string, Set<(payload: unknown) => void>>();
  const api: PaigePreloadApi = {
    invoke,
    on: (channel, listener) => {
      const set = subscribers.get(channel) ?? new Set();
      set.add(listener);
      subscribers.set(channel, set);
      return () => set.delete(listener);
    },
    platform: 'linux',
    version: '0.1.0',
  };
  const emit = (channel: string, payload: unknown): void => {
    for (const listener of subscribers.get(channel) ?? []) listener(payload);
  };
  const count = (channel: string): number => subscribers.get(channel)?.size ?? 0;
  return { api, emit, count };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ElectronTransport', () => {
  it('passes envelopes through', async () => {
    const { api } = fakeApi((channel, payload) => Promise.resolve({ ok: true, value: { channel, payload } }));
    const transport = new ElectronTransport(api);
    await expect(transport.invoke('project:open', { path: '/x' }, 1_000)).resolves.toEqual({
      ok: true,
      value: { channel: 'project:open', payload: { path: '/x' } },
    });
  });

  it('times out with TIMEOUT', async () => {
    const { api } = fakeApi(() => new Promise<never>(() => undefined));
    const transport = new ElectronTransport(api);
    const caught = transport.invoke('app:health', undefined, 500).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await caught).toMatchObject({ name: 'PaigeError', code: 'TIMEOUT' });
  });

  it('wraps preload rejections as PaigeErrors', async () => {
    const { api } = fakeApi(() => Promise.reject(new Error('Unknown channel nope')));
    const transport = new ElectronTransport(api);
    await expect(transport.invoke('nope', undefined, 500)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'Unknown channel nope',
    });
  });

  it('subscribes once per channel and multiplexes listeners', () => {
    const { api, emit, count } = fakeApi(() => Promise.reject(new Error('unused')));
    const transport = new ElectronTransport(api, ['app:error', 'project:changed']);
    const a: string[] = [];
    const b: string[] = [];
    const offA = transport.onEvent((channel) => a.push(channel));
    const offB = transport.onEvent((channel) => b.push(channel));
    expect(count('app:error')).toBe(1);
    emit('app:error', {});
    emit('project:changed', {});
    expect(a).toEqual(['app:error', 'project:changed']);
    expect(b).toEqual(['app:error', 'project:changed']);
    offA();
    offB();
    expect(count('app:error')).toBe(0);
  });

  it('keeps delivering to the other listeners when one throws, and logs the error', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { api, emit } = fakeApi(() => Promise.reject(new Error('unused')));
      const transport = new ElectronTransport(api, ['app:error']);
      const boom = new Error('listener bug');
      const seen: string[] = [];
      transport.onEvent(() => {
        throw boom;
      });
      transport.onEvent((channel) => seen.push(channel));
      emit('app:error', {});
      emit('app:error', {});
      expect(seen).toEqual(['app:error', 'app:error']);
      expect(warn).toHaveBeenCalledWith('[electron] listener for app:error threw', boom);
    } finally {
      warn.mockRestore();
    }
  });

  it('unsubscribes from the preload when the last listener leaves, and subscribes again for the next', () => {
    const { api, emit, count } = fakeApi(() => Promise.reject(new Error('unused')));
    const transport = new ElectronTransport(api, ['app:error']);
    const seen: string[] = [];
    const off = transport.onEvent(() => undefined);
    off();
    off();
    expect(count('app:error')).toBe(0);
    const offAgain = transport.onEvent((channel) => seen.push(channel));
    expect(count('app:error')).toBe(1);
    emit('app:error', {});
    expect(seen).toEqual(['app:error']);
    offAgain();
    expect(count('app:error')).toBe(0);
  });

  it('recognises the preload API shape', () => {
    expect(isPreloadApi(undefined)).toBe(false);
    expect(isPreloadApi({ invoke: 1, on: () => undefined })).toBe(false);
    expect(isPreloadApi({ invoke: () => undefined, on: () => undefined })).toBe(true);
  });
});
