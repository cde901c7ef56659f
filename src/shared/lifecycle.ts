// Events and ownership for main and renderer alike: one Emitter that keeps delivering when a listener throws, and
// disposables collected in a DisposableStore and released together in reverse order of registration.

export interface Disposable {
  dispose(): void;
}

/** A disposable from a plain function; calling dispose() more than once runs it once. @visibleForTesting */
export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/**
 * Owns disposables. `add` returns what it was given so ownership reads at the point of creation
 * (`this.watcher = this.store.add(new Watcher())`). Disposal runs newest first; one that throws does not stop the
 * rest, and the first error is rethrown afterwards. Adding to a disposed store disposes the item at once.
 */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
      return item;
    }
    this.items.push(item);
    return item;
  }

  /** Shorthand for `add(toDisposable(fn))`. */
  defer(fn: () => void): Disposable {
    return this.add(toDisposable(fn));
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposes everything added so far; the store stays usable. */
  clear(): void {
    const items = this.items.reverse();
    this.items = [];
    let first: unknown = undefined;
    let failed = false;
    for (const item of items) {
      try {
        item.dispose();
      } catch (err) {
        if (!failed) first = err;
        failed = true;
      }
    }
    if (failed) throw first;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** What a subscriber holds: call it with a listener, keep the disposable to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

type ListenerErrorHandler = (err: unknown) => void;

const reportToConsole: ListenerErrorHandler = (err) => {
  console.error('[paige] an event listener threw', err);
};

/**
 * A typed event source. A throwing listener is reported through `onListenerError` (main passes its logger; the
 * default writes to the console) and the remaining listeners still receive the value. Listeners added or removed
 * during delivery take effect from the next fire.
 */
export class Emitter<T> implements Disposable {
  private listeners: ((value: T) => void)[] = [];
  private disposed = false;
  private readonly onListenerError: ListenerErrorHandler;

  constructor(opts: { onListenerError?: ListenerErrorHandler } = {}) {
    this.onListenerError = opts.onListenerError ?? reportToConsole;
  }

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => undefined);
    const entry = (value: T): void => listener(value);
    this.listeners = [...this.listeners, entry];
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== entry);
    });
  };

  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (err) {
        try {
          this.onListenerError(err);
        } catch {
          // A broken error reporter must not stop delivery either.
        }
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
