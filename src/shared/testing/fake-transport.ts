// A PaigeClient over an in-memory transport, for tests of the renderer's stores and controllers.
import { PaigeClient, type Transport } from '../ipc/client';
import type { Envelope } from '../ipc/envelope';

type Listener = (channel: string, payload: unknown) => void;

/**
 * `answer` decides each invoke's reply (a test may hold it); every invoke is recorded in `invokes`, and `emit` pushes
 * an event to the subscribers as the backend would.
 */
export function fakeTransport(answer: (channel: string, payload: unknown) => Promise<Envelope<unknown>>): {
  client: PaigeClient;
  invokes: { channel: string; payload: unknown }[];
  emit: Listener;
} {
  const invokes: { channel: string; payload: unknown }[] = [];
  const listeners = new Set<Listener>();
  const transport: Transport = {
    kind: 'bridge',
    invoke(channel, payload) {
      invokes.push({ channel, payload });
      return answer(channel, payload);
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    client: new PaigeClient(transport),
    invokes,
    emit: (channel, payload) => {
      for (const l of [...listeners]) l(channel, payload);
    },
  };
}
