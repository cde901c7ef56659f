// Turns the shared contract into `window.paige`. Pure (no 'electron') so it can be tested with a fake ipcRenderer.
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES } from '../shared/ipc/contract';
import type { Envelope } from '../shared/ipc/envelope';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL, type PaigePreloadApi } from '../shared/ipc/preload-api';

type IpcListener = (...args: unknown[]) => void;

/** The slice of `ipcRenderer` the bindings use; kept narrow so nothing else can leak to the page. @visibleForTesting */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): void;
  removeListener(channel: string, listener: IpcListener): void;
}

interface PreloadInfo {
  platform: string;
  version: string;
}

const INVOKE_ALLOWED: ReadonlySet<string> = new Set(INVOKE_CHANNEL_NAMES);
const EVENT_ALLOWED: ReadonlySet<string> = new Set(EVENT_CHANNEL_NAMES);

/** Channels the preload binds; the contract test compares these with the registry. @visibleForTesting */
export function preloadBindings(): { invoke: string[]; events: string[] } {
  return { invoke: [...INVOKE_ALLOWED], events: [...EVENT_ALLOWED] };
}

function describeChannel(channel: unknown): string {
  return typeof channel === 'string' ? channel.slice(0, 128) : typeof channel;
}

export function createPreloadApi(ipc: PreloadIpc, info: PreloadInfo): PaigePreloadApi {
  const listeners = new Map<string, Set<(payload: unknown, cid?: string) => void>>();

  // One ipcRenderer listener for all subscriptions: avoids MaxListeners warnings and never exposes the
  // IpcRendererEvent (whose `sender` is ipcRenderer itself) to the page.
  const onIpcEvent: IpcListener = (_event, channel, payload, cid) => {
    if (typeof channel !== 'string') return;
    const set = listeners.get(channel);
    if (!set) return;
    const cidArg = typeof cid === 'string' ? cid : undefined;
    for (const listener of [...set]) {
      try {
        listener(payload, cidArg);
      } catch (err) {
        // One broken subscriber must not starve the others.
        console.error(`window.paige listener for "${channel}" threw`, err);
      }
    }
  };
  let attached = false;

  function subscribe(channel: string, listener: (payload: unknown, cid?: string) => void): () => void {
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
    }
    // Wrapping gives each subscription its own identity, so subscribing the same function twice unsubscribes cleanly.
    const entry = (payload: unknown, cid?: string): void => listener(payload, cid);
    set.add(entry);
    if (!attached) {
      ipc.on(ELECTRON_EVENT_CHANNEL, onIpcEvent);
      attached = true;
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(entry);
      if (set.size === 0) listeners.delete(channel);
      if (listeners.size === 0 && attached) {
        ipc.removeListener(ELECTRON_EVENT_CHANNEL, onIpcEvent);
        attached = false;
      }
    };
  }

  return {
    invoke(channel: string, payload?: unknown): Promise<Envelope<unknown>> {
      if (typeof channel !== 'string' || !INVOKE_ALLOWED.has(channel)) {
        return Promise.reject(new Error(`Unknown channel "${describeChannel(channel)}".`));
      }
      // The main side always answers with an envelope (errors are data), so the cast only names that shape.
      return ipc.invoke(ELECTRON_INVOKE_CHANNEL, channel, payload) as Promise<Envelope<unknown>>;
    },
    on(channel: string, listener: (payload: unknown, cid?: string) => void): () => void {
      if (typeof channel !== 'string' || !EVENT_ALLOWED.has(channel)) {
        throw new Error(`Unknown channel "${describeChannel(channel)}".`);
      }
      if (typeof listener !== 'function') throw new TypeError('window.paige.on needs a listener function.');
      return subscribe(channel, listener);
    },
    platform: info.platform,
    version: info.version,
  };
}
