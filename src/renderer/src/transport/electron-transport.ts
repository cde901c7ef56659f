// Electron transport: `window.paige` from the preload. Multiplexes the per-channel `on` into one event stream.
import type { Transport } from '../../../shared/ipc/client';
import { EVENT_CHANNEL_NAMES } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { PaigeError, isPaigeError } from '../../../shared/ipc/errors';
import type { PaigePreloadApi } from '../../../shared/ipc/preload-api';

type EventListener = (channel: string, payload: unknown) => void;

export class ElectronTransport implements Transport {
  readonly kind = 'electron' as const;

  private readonly listeners = new Set<EventListener>();
  private unsubscribers: (() => void)[] = [];

  constructor(
    private readonly api: PaigePreloadApi,
    private readonly eventChannels: readonly string[] = EVENT_CHANNEL_NAMES,
  ) {}

  async invoke(channel: string, payload: unknown, timeoutMs: number): Promise<Envelope<unknown>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new PaigeError('TIMEOUT', `${channel} timed out after ${timeoutMs} ms`, { channel, timeoutMs }));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.api.invoke(channel, payload), timeout]);
    } catch (err) {
      if (isPaigeError(err)) throw err;
      throw new PaigeError('INTERNAL', err instanceof Error ? err.message : String(err), { channel });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Subscribes to the preload once per event channel (on the first listener) so the backend sees one subscriber
   * per window, however many components listen.
   */
  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    if (this.unsubscribers.length === 0) {
      this.unsubscribers = this.eventChannels.map((channel) =>
        this.api.on(channel, (payload) => {
          this.dispatch(channel, payload);
        }),
      );
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        for (const unsubscribe of this.unsubscribers) unsubscribe();
        this.unsubscribers = [];
      }
    };
  }

  private dispatch(channel: string, payload: unknown): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(channel, payload);
      } catch (err) {
        console.warn(`[electron] listener for ${channel} threw`, err);
      }
    }
  }
}

/** Narrows an unknown global to the preload API. */
export function isPreloadApi(value: unknown): value is PaigePreloadApi {
  if (typeof value !== 'object' || value === null) return false;
  return 'invoke' in value && typeof value.invoke === 'function' && 'on' in value && typeof value.on === 'function';
}
