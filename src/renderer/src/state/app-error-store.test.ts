import { describe, expect, it, vi } from 'vitest';
import { PaigeClient, type Transport } from '../../../shared/ipc/client';
import { AppErrorStore, MAX_APP_ERRORS } from './app-error-store';

describe('AppErrorStore', () => {
  it('adds, dismisses and notifies', () => {
    const store = new AppErrorStore(() => 42);
    let notified = 0;
    store.subscribe(() => notified++);
    store.push({ code: 'SETTINGS_INVALID', message: 'bad settings file' });
    store.push({ code: 'INTERNAL', message: 'boom' });
    expect(store.getSnapshot().map((e) => e.code)).toEqual(['SETTINGS_INVALID', 'INTERNAL']);
    expect(store.getSnapshot()[0]?.receivedAt).toBe(42);
    const first = store.getSnapshot()[0];
    if (!first) throw new Error('missing');
    store.dismiss(first.id);
    expect(store.getSnapshot().map((e) => e.code)).toEqual(['INTERNAL']);
    store.dismissAll();
    expect(store.getSnapshot()).toEqual([]);
    expect(notified).toBe(4);
  });

  it('keeps notifying the other subscribers when one throws, and logs the error', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const store = new AppErrorStore();
      const boom = new Error('subscriber bug');
      let notified = 0;
      store.subscribe(() => {
        throw boom;
      });
      const off = store.subscribe(() => notified++);
      store.push({ code: 'INTERNAL', message: 'a' });
      store.push({ code: 'INTERNAL', message: 'b' });
      expect(notified).toBe(2);
      expect(store.getSnapshot()).toHaveLength(2);
      expect(logged).toHaveBeenCalledWith(expect.any(String), boom);
      off();
      store.dismissAll();
      expect(notified).toBe(2);
    } finally {
      logged.mockRestore();
    }
  });

  it('drops replays of errors on screen, and of dismissed errors with the same cid', () => {
    const store = new AppErrorStore();
    const sticky = { code: 'SETTINGS_INVALID', message: 'bad', cid: 'boot-1' };
    store.push(sticky);
    store.push(sticky);
    expect(store.getSnapshot()).toHaveLength(1);
    const only = store.getSnapshot()[0];
    if (!only) throw new Error('missing');
    store.dismiss(only.id);
    store.push(sticky); // replayed after a reconnect
    expect(store.getSnapshot()).toHaveLength(0);
    store.push({ code: 'INTERNAL', message: 'x' });
    store.push({ code: 'INTERNAL', message: 'x' });
    expect(store.getSnapshot()).toHaveLength(1);
  });

  it('keeps at most MAX_APP_ERRORS', () => {
    const store = new AppErrorStore();
    for (let i = 0; i < MAX_APP_ERRORS + 5; i++) store.push({ code: 'INTERNAL', message: `e${i}` });
    expect(store.getSnapshot()).toHaveLength(MAX_APP_ERRORS);
    expect(store.getSnapshot()[0]?.message).toBe('e5');
  });

  it('listens to app:error through the client', () => {
    let emit: (channel: string, payload: unknown) => void = () => undefined;
    const transport: Transport = {
      kind: 'bridge',
      invoke: () => Promise.reject(new Error('unused')),
      onEvent: (listener) => {
        emit = listener;
        return () => undefined;
      },
    };
    const store = new AppErrorStore();
    store.attach(new PaigeClient(transport));
    emit('app:error', { code: 'SETTINGS_INVALID', message: 'bad', cid: 'c' });
    emit('project:changed', { projectDir: null });
    expect(store.getSnapshot()).toMatchObject([{ code: 'SETTINGS_INVALID', message: 'bad', cid: 'c' }]);
  });
});
