// Connection state that every transport exposes so the UI can show status (pure; no DOM).

type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why a connection ended for good (status 'closed'). */
export type ClosedReason = 'unauthorized' | 'forbidden' | 'no_token' | 'disposed';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** Consecutive failed connection attempts since the last successful auth (0 while connected). */
  readonly failures: number;
  /**
   * Number of successful (authenticated) connections so far. Changes exactly when a new session with the
   * backend starts, so the UI re-runs `connection:hello` and refreshes its state when it changes.
   */
  readonly generation: number;
  /** Delay before the next reconnect attempt, while status is 'reconnecting'. */
  readonly nextRetryMs: number | null;
  readonly closedReason: ClosedReason | null;
  /** Bridge protocol version announced by the server in `auth_ok`, if any. */
  readonly serverProtocolVersion: number | null;
}

export interface ConnectionSource {
  readonly getState: () => ConnectionState;
  /** Calls the listener after every state change; returns an unsubscribe function. */
  readonly subscribe: (listener: () => void) => () => void;
}

/** Consecutive failures after which the UI shows the "connection lost" banner. */
const CONNECTION_LOST_BANNER_FAILURES = 5;

export function isConnectionLost(state: ConnectionState): boolean {
  return state.status === 'reconnecting' && state.failures >= CONNECTION_LOST_BANNER_FAILURES;
}

export const INITIAL_CONNECTION_STATE: ConnectionState = {
  status: 'connecting',
  failures: 0,
  generation: 0,
  nextRetryMs: null,
  closedReason: null,
  serverProtocolVersion: null,
};

/** A connection that is always open (Electron IPC cannot disconnect). */
export function openConnectionSource(): ConnectionSource {
  const state: ConnectionState = { ...INITIAL_CONNECTION_STATE, status: 'open', generation: 1 };
  return {
    getState: () => state,
    subscribe: () => () => undefined,
  };
}
