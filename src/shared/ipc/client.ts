// One typed client over any transport (Electron preload or headless bridge). Used by the renderer and by tests.
import {
  type EventChannel,
  type EventPayload,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeOutput,
  invokeTimeoutMs,
} from './contract';
import { PaigeError } from './errors';
import type { Envelope } from './envelope';

export interface Transport {
  readonly kind: 'electron' | 'bridge';
  /** Sends one invoke and resolves with the raw envelope. */
  invoke(channel: string, payload: unknown, timeoutMs: number): Promise<Envelope<unknown>>;
  /** Subscribes to every event; returns an unsubscribe function. */
  onEvent(listener: (channel: string, payload: unknown) => void): () => void;
}

export class PaigeClient {
  constructor(private readonly transport: Transport) {}

  get transportKind(): 'electron' | 'bridge' {
    return this.transport.kind;
  }

  async invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeOutput<C>> {
    const envelope = await this.transport.invoke(channel, args[0], invokeTimeoutMs(channel));
    if (!envelope.ok) throw PaigeError.fromShape(envelope.error);
    return envelope.value as InvokeOutput<C>;
  }

  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.onEvent((name, payload) => {
      if (name === channel) listener(payload as EventPayload<E>);
    });
  }
}
