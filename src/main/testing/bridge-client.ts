// A Node bridge client (ws) implementing the shared Transport, for tests and benchmarks.
import WebSocket from 'ws';
import { ServerFrameSchema, type Envelope } from '../../shared/ipc/envelope';
import type { Transport } from '../../shared/ipc/client';
import type { ErrorShape } from '../../shared/ipc/errors';

interface NodeBridgeClientOptions {
  url: string;
  token: string | null;
  headers?: Record<string, string>;
}

export class NodeBridgeTransport implements Transport {
  readonly kind = 'bridge' as const;
  readonly events: { channel: string; payload: unknown; cid?: string }[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (env: Envelope<unknown>) => void>();
  private readonly listeners = new Set<(channel: string, payload: unknown) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = ServerFrameSchema.parse(JSON.parse(String(data)));
      if (frame.type === 'result') {
        const resolve = this.pending.get(frame.id);
        this.pending.delete(frame.id);
        resolve?.(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error as ErrorShape });
      } else if (frame.type === 'event') {
        this.events.push({ channel: frame.channel, payload: frame.payload, ...(frame.cid ? { cid: frame.cid } : {}) });
        for (const l of this.listeners) l(frame.channel, frame.payload);
      } else if (frame.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      }
    });
  }

  /** Connects and authenticates; rejects with the close code when the bridge refuses. */
  static connect(opts: NodeBridgeClientOptions): Promise<NodeBridgeTransport> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(opts.url, { headers: opts.headers ?? {} });
      const client = new NodeBridgeTransport(ws);
      ws.once('open', () => {
        if (opts.token !== null) ws.send(JSON.stringify({ type: 'auth', token: opts.token }));
      });
      const onMessage = (data: WebSocket.RawData): void => {
        const frame = JSON.parse(String(data)) as { type: string };
        if (frame.type === 'auth_ok') {
          ws.off('message', onMessage);
          resolve(client);
        }
      };
      ws.on('message', onMessage);
      ws.once('close', (code) => reject(Object.assign(new Error(`closed ${code}`), { closeCode: code })));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })),
      );
      ws.once('error', (err) => reject(err));
    });
  }

  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
    });
  }

  onEvent(listener: (channel: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
