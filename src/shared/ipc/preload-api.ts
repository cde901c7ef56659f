// The shape of `window.paige` that the Electron preload exposes (docs/ipc.md). The renderer depends on this type only.
import type { Envelope } from './envelope';

export interface PaigePreloadApi {
  /** Invokes a contract channel; resolves with the envelope (errors are data). Unknown channels reject. */
  invoke(channel: string, payload?: unknown): Promise<Envelope<unknown>>;
  /** Subscribes to one contract event channel; returns an unsubscribe function. */
  on(channel: string, listener: (payload: unknown, cid?: string) => void): () => void;
  readonly platform: string;
  readonly version: string;
}

/** Electron IPC channel names used under the hood by preload and main. Not contract channels. */
export const ELECTRON_INVOKE_CHANNEL = 'paige:invoke';
export const ELECTRON_EVENT_CHANNEL = 'paige:event';
