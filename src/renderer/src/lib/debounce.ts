// Trailing debounce with a max wait: edits reach the backend 300 ms after typing pauses, and at least every 5 s
// while it does not.

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** Runs a pending call now. */
  flush(): void;
  /** Drops a pending call. */
  cancel(): void;
  readonly pending: boolean;
}

export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  waitMs: number,
  maxWaitMs: number,
): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let maxTimer: ReturnType<typeof setTimeout> | null = null;
  let lastArgs: A | null = null;

  const clear = (): void => {
    if (timer !== null) clearTimeout(timer);
    if (maxTimer !== null) clearTimeout(maxTimer);
    timer = null;
    maxTimer = null;
  };
  const run = (): void => {
    const args = lastArgs;
    clear();
    lastArgs = null;
    if (args) fn(...args);
  };
  const d = ((...args: A) => {
    lastArgs = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, waitMs);
    maxTimer ??= setTimeout(run, maxWaitMs);
  }) as Debounced<A>;
  d.flush = run;
  d.cancel = () => {
    clear();
    lastArgs = null;
  };
  Object.defineProperty(d, 'pending', { get: () => lastArgs !== null });
  return d;
}
