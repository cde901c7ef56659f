import { describe, expect, it, vi } from 'vitest';
import { DisposableStore, Emitter, toDisposable } from './lifecycle';

describe('Emitter', () => {
  it('keeps delivering to the other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>({ onListenerError: (err) => errors.push(err) });
    const seen: string[] = [];
    emitter.event((v) => seen.push(`a${v}`));
    emitter.event(() => {
      throw new Error('boom');
    });
    emitter.event((v) => seen.push(`c${v}`));
    emitter.fire(1);
    emitter.fire(2);
    expect(seen).toEqual(['a1', 'c1', 'a2', 'c2']);
    expect(errors).toHaveLength(2);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('still delivers when the error reporter itself throws', () => {
    const emitter = new Emitter<number>({
      onListenerError: () => {
        throw new Error('reporter broke');
      },
    });
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('boom');
    });
    emitter.event((v) => seen.push(v));
    emitter.fire(7);
    expect(seen).toEqual([7]);
  });

  it('stops delivering after the subscription is disposed, and after the emitter is', () => {
    const emitter = new Emitter<string>({ onListenerError: () => undefined });
    const seen: string[] = [];
    const sub = emitter.event((v) => seen.push(v));
    emitter.fire('x');
    sub.dispose();
    emitter.fire('y');
    emitter.event((v) => seen.push(`2${v}`));
    emitter.dispose();
    emitter.fire('z');
    expect(seen).toEqual(['x']);
    expect(emitter.listenerCount).toBe(0);
  });

  it('a listener added during delivery hears the next fire, not the current one', () => {
    const emitter = new Emitter<number>({ onListenerError: () => undefined });
    const seen: number[] = [];
    emitter.event(() => {
      if (seen.length === 0) emitter.event((v) => seen.push(v));
    });
    emitter.fire(1);
    emitter.fire(2);
    expect(seen).toEqual([2]);
  });
});

describe('DisposableStore', () => {
  it('disposes newest first, continues past a throwing item, then rethrows the first error', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.defer(() => order.push('a'));
    store.defer(() => {
      order.push('b');
      throw new Error('b failed');
    });
    store.add(toDisposable(() => order.push('c')));
    expect(() => store.dispose()).toThrow('b failed');
    expect(order).toEqual(['c', 'b', 'a']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes at once what is added after disposal, and disposing twice is a no-op', () => {
    const store = new DisposableStore();
    store.dispose();
    const fn = vi.fn();
    store.defer(fn);
    expect(fn).toHaveBeenCalledTimes(1);
    store.dispose();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
