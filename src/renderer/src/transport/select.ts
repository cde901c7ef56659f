// Picks the transport: Electron when the preload exposed `window.paige`, else the headless bridge.
import { PaigeClient } from '../../../shared/ipc/client';
import type { PaigePreloadApi } from '../../../shared/ipc/preload-api';
import { BridgeTransport } from './bridge-transport';
import { bridgeSocketUrl, parseTokenFromHash } from './bridge-token';
import { createBrowserSocket } from './browser-socket';
import { openConnectionSource, type ConnectionSource } from './connection-state';
import { ElectronTransport, isPreloadApi } from './electron-transport';

export type TransportKind = 'electron' | 'bridge';

export interface PaigeConnection {
  readonly client: PaigeClient;
  readonly transportKind: TransportKind;
  /** Connection status for the UI (always open for Electron). */
  readonly connection: ConnectionSource;
  /** Platform string for `connection:hello`. */
  readonly platform: string;
  /** Starts connecting. Subscribe to events (app:error) before calling it. */
  readonly start: () => void;
  /** Reconnects immediately instead of waiting for the backoff (bridge only). */
  readonly retryNow: () => void;
}

/** Builds a typed client over any transport. */
function createPaigeClient(transport: ConstructorParameters<typeof PaigeClient>[0]): PaigeClient {
  return new PaigeClient(transport);
}

function findPreloadApi(): PaigePreloadApi | null {
  if (typeof window === 'undefined' || !('paige' in window)) return null;
  const candidate: unknown = window.paige;
  return isPreloadApi(candidate) ? candidate : null;
}

/**
 * Reads the bridge token from `#token=…`, keeps it in memory only and removes it from the address bar
 * (so it is not left in history or shared by copy-paste).
 */
function takeBridgeTokenFromLocation(): string | null {
  const { token, remainingHash } = parseTokenFromHash(window.location.hash);
  if (token !== null) {
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${search}${remainingHash}`);
  }
  return token;
}

export function createPaigeConnection(): PaigeConnection {
  const api = findPreloadApi();
  if (api) {
    const transport = new ElectronTransport(api);
    return {
      client: createPaigeClient(transport),
      transportKind: 'electron',
      connection: openConnectionSource(),
      platform: typeof api.platform === 'string' ? api.platform.slice(0, 64) : 'electron',
      start: () => undefined,
      retryNow: () => undefined,
    };
  }
  const transport = new BridgeTransport({
    url: bridgeSocketUrl(window.location.protocol, window.location.host),
    token: takeBridgeTokenFromLocation(),
    createSocket: createBrowserSocket,
  });
  return {
    client: createPaigeClient(transport),
    transportKind: 'bridge',
    connection: transport,
    platform: 'browser',
    start: () => {
      transport.connect();
    },
    retryNow: () => {
      transport.reconnectNow();
    },
  };
}
