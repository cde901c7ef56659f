// Loads one backend value and reloads it when `key` changes (e.g. after a bridge reconnect) or on demand.
import { useCallback, useEffect, useState } from 'react';
import { toErrorInfo, type ErrorInfo } from '../lib/error-info';

export interface Remote<T> {
  readonly status: 'loading' | 'ready' | 'error';
  /** The last value loaded; kept while reloading and after a failed reload. */
  readonly data: T | undefined;
  readonly error: ErrorInfo | undefined;
  readonly reload: () => void;
  /** Replaces the value with one the caller already has (e.g. the result of an update). */
  readonly set: (value: T) => void;
  /** Patches the loaded value, if any (e.g. from an event). */
  readonly update: (fn: (previous: T) => T) => void;
}

interface RemoteState<T> {
  readonly status: Remote<T>['status'];
  readonly data: T | undefined;
  readonly error: ErrorInfo | undefined;
}

export function useRemote<T>(load: () => Promise<T>, key: number, enabled: boolean): Remote<T> {
  const [state, setState] = useState<RemoteState<T>>({ status: 'loading', data: undefined, error: undefined });
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    load().then(
      (data) => {
        if (live) setState({ status: 'ready', data, error: undefined });
      },
      (err: unknown) => {
        if (live) setState((prev) => ({ status: 'error', data: prev.data, error: toErrorInfo(err) }));
      },
    );
    return () => {
      live = false;
    };
  }, [load, key, enabled, nonce]);

  const reload = useCallback(() => {
    setNonce((n) => n + 1);
  }, []);
  const set = useCallback((value: T) => {
    setState({ status: 'ready', data: value, error: undefined });
  }, []);
  const update = useCallback((fn: (previous: T) => T) => {
    setState((prev) => (prev.data === undefined ? prev : { ...prev, data: fn(prev.data) }));
  }, []);

  return { ...state, reload, set, update };
}
