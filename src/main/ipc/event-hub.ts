// Fans contract events out to every subscriber (the Electron window, each bridge socket). Subscriptions are disposables.
import { eventChannels, type EventChannel, type EventPayload } from '../../shared/ipc/contract';
import { currentCid } from '../logging/context';
import type { Logger } from '../logging/logger';

export type EventListener = (channel: EventChannel, payload: unknown, cid: string | undefined) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly clientClosedListeners = new Set<(clientId: string) => void>();
  /** Startup problems (e.g. SETTINGS_INVALID) replayed to each new subscriber so a window opened later still sees them. */
  private readonly sticky: { channel: EventChannel; payload: unknown; cid: string | undefined }[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly validate: boolean,
  ) {}

  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>, opts: { sticky?: boolean } = {}): void {
    if (this.validate) {
      const parsed = eventChannels[channel].payload.safeParse(payload);
      if (!parsed.success) {
        this.logger.error('event payload failed its schema', { channel, issues: parsed.error.issues });
        return;
      }
    }
    const cid = currentCid();
    if (opts.sticky) this.sticky.push({ channel, payload, cid });
    for (const listener of [...this.listeners]) {
      try {
        listener(channel, payload, cid);
      } catch (err) {
        this.logger.warn('event listener threw', { channel, err });
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    for (const s of this.sticky) listener(s.channel, s.payload, s.cid);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A transport reports that a client (window document, bridge socket) is gone, so per-client state can go too. */
  clientClosed(clientId: string): void {
    for (const l of [...this.clientClosedListeners]) {
      try {
        l(clientId);
      } catch (err) {
        this.logger.warn('client-closed listener threw', { err });
      }
    }
  }

  onClientClosed(listener: (clientId: string) => void): () => void {
    this.clientClosedListeners.add(listener);
    return () => {
      this.clientClosedListeners.delete(listener);
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
    this.clientClosedListeners.clear();
  }
}
