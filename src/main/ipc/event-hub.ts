// Fans contract events out to every subscriber (the Electron window, each bridge socket). Subscriptions are disposables.
import { eventChannels, type EventChannel, type EventPayload } from '../../shared/ipc/contract';
import { Emitter, type Disposable, type Event } from '../../shared/lifecycle';
import { currentCid } from '../logging/context';
import type { Logger } from '../logging/logger';

/** @visibleForTesting */
export type EventListener = (channel: EventChannel, payload: unknown, cid: string | undefined) => void;

interface HubEvent {
  channel: EventChannel;
  payload: unknown;
  cid: string | undefined;
}

export class EventHub implements Disposable {
  private readonly emitted: Emitter<HubEvent>;
  private readonly closedClients: Emitter<string>;
  /** A transport reports that a client (window document, bridge socket) is gone, so per-client state can go too. */
  readonly onClientClosed: Event<string>;
  /** Startup problems (e.g. SETTINGS_INVALID) replayed to each new subscriber so a window opened later still sees them. */
  private readonly sticky: HubEvent[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly validate: boolean,
  ) {
    this.emitted = new Emitter({ onListenerError: (err) => logger.warn('event listener threw', { err }) });
    this.closedClients = new Emitter({
      onListenerError: (err) => logger.warn('client-closed listener threw', { err }),
    });
    this.onClientClosed = this.closedClients.event;
  }

  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>, opts: { sticky?: boolean } = {}): void {
    if (this.validate) {
      const parsed = eventChannels[channel].payload.safeParse(payload);
      if (!parsed.success) {
        this.logger.error('event payload failed its schema', { channel, issues: parsed.error.issues });
        return;
      }
    }
    const event: HubEvent = { channel, payload, cid: currentCid() };
    if (opts.sticky) this.sticky.push(event);
    this.emitted.fire(event);
  }

  subscribe(listener: EventListener): Disposable {
    const sub = this.emitted.event((e) => listener(e.channel, e.payload, e.cid));
    for (const s of this.sticky) listener(s.channel, s.payload, s.cid);
    return sub;
  }

  clientClosed(clientId: string): void {
    this.closedClients.fire(clientId);
  }

  get subscriberCount(): number {
    return this.emitted.listenerCount;
  }

  dispose(): void {
    this.emitted.dispose();
    this.closedClients.dispose();
  }
}
