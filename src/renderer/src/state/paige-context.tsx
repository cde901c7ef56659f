// React access to the connection, its status and the error store.
import { createContext, use, useEffect, useEffectEvent, useSyncExternalStore, type ReactNode } from 'react';
import type { EventChannel, EventPayload } from '../../../shared/ipc/contract';
import type { ConnectionState } from '../transport/connection-state';
import type { PaigeConnection } from '../transport/select';
import type { AppErrorItem, AppErrorStore } from './app-error-store';

export interface PaigeRuntime {
  readonly connection: PaigeConnection;
  readonly errors: AppErrorStore;
}

const PaigeContext = createContext<PaigeRuntime | null>(null);

export function PaigeProvider({ runtime, children }: { runtime: PaigeRuntime; children: ReactNode }) {
  return <PaigeContext value={runtime}>{children}</PaigeContext>;
}

export function usePaige(): PaigeRuntime {
  const runtime = use(PaigeContext);
  if (!runtime) throw new Error('usePaige() outside <PaigeProvider>');
  return runtime;
}

export function useConnectionState(): ConnectionState {
  const { connection } = usePaige().connection;
  return useSyncExternalStore(connection.subscribe, connection.getState);
}

export function useAppErrors(): readonly AppErrorItem[] {
  const { errors } = usePaige();
  return useSyncExternalStore(errors.subscribe, errors.getSnapshot);
}

/** Subscribes to one backend event for the lifetime of the component; the handler may change freely. */
export function usePaigeEvent<E extends EventChannel>(channel: E, handler: (payload: EventPayload<E>) => void): void {
  const { client } = usePaige().connection;
  const onEvent = useEffectEvent(handler);
  useEffect(
    () =>
      client.on(channel, (payload) => {
        onEvent(payload);
      }),
    [client, channel],
  );
}
