// Electron transport: `window.paige` from the preload. Multiplexes the per-channel `on` into one event stream.
import type { Transport } from '../../../shared/ipc/client';
import { EVENT_CHANNEL_NAMES } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { PaigeError, isPaigeError } from '../../../shared/ipc/errors';
import type { PaigePreloadApi } from '../../../shared/ipc/preload-api';
import { DisposableStore, Emitter } from '../../../shared/lifecycle';

type EventListener = (channel: string, payload: unknown) => void;

interface ChannelEvent {
  readonly channel: string;
  readonly payload: unknown;
}

export class ElectronTransport implements Transport {
  readonly kind = 'electron' as const;

  private readonly events = new Emitter<ChannelEvent>({
    onListenerError: (err) => console.warn(`[electron] listener for ${this.delivering ?? '?'} threw`, err),
  });
  /** The channel being delivered, for the listener-error log line. */
  private delivering: string | null = null;
  /** The preload subscriptions, held while at least one listener is registered. */
  private readonly preloadSubs = new DisposableStore();
  private subscribed = false;

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
    const sub = this.events.event(({ channel, payload }) => listener(channel, payload));
    if (!this.subscribed) {
      this.subscribed = true;
      for (const channel of this.eventChannels) {
        this.preloadSubs.defer(this.api.on(channel, (payload) => this.dispatch(channel, payload)));
      }
    }
    return () => {
      sub.dispose();
      if (this.subscribed && this.events.listenerCount === 0) {
        this.subscribed = false;
        this.preloadSubs.clear();
      }
    };
  }

  private dispatch(channel: string, payload: unknown): void {
    const outer = this.delivering;
    this.delivering = channel;
    try {
      this.events.fire({ channel, payload });
    } finally {
      this.delivering = outer;
    }
  }
}

/** Narrows an unknown global to the preload API. */
export function isPreloadApi(value: unknown): value is PaigePreloadApi {
  if (typeof value !== 'object' || value === null) return false;
  return 'invoke' in value && typeof value.invoke === 'function' && 'on' in value && typeof value.on === 'function';
}
