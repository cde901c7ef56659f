// Headless-bridge transport: one authenticated WebSocket to `/bridge`, invoke/result correlation by id, event fan-out,
// ping/pong and reconnect with backoff (docs/ipc.md). DOM-free: the WebSocket comes from an injected factory.
import type { Transport } from '../../../shared/ipc/client';
import {
  BRIDGE_CLOSE,
  BRIDGE_PROTOCOL_VERSION,
  ServerFrameSchema,
  type ClientFrame,
  type Envelope,
  type ServerFrame,
} from '../../../shared/ipc/envelope';
import { PaigeError } from '../../../shared/ipc/errors';
import { Emitter } from '../../../shared/lifecycle';
import { reconnectDelayMs } from './backoff';
import {
  INITIAL_CONNECTION_STATE,
  type ClosedReason,
  type ConnectionSource,
  type ConnectionState,
} from './connection-state';

/** @visibleForTesting */
export interface SocketMessageEvent {
  readonly data: unknown;
}

/** @visibleForTesting */
export interface SocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

/** The subset of the browser WebSocket the transport uses (handlers are assigned, never added). */
export interface WebSocketLike {
  onopen: (() => void) | null;
  onmessage: ((event: SocketMessageEvent) => void) | null;
  onclose: ((event: SocketCloseEvent) => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

interface BridgeTransportOptions {
  /** `ws://127.0.0.1:PORT/bridge`. */
  readonly url: string;
  /** Token from the URL fragment; null means the page was opened without one. */
  readonly token: string | null;
  readonly createSocket: WebSocketFactory;
  /** How long to wait for `auth_ok` after the socket opens before giving up on it. */
  readonly authTimeoutMs?: number;
  /** The server pings every 15 s; a socket silent for this long is treated as dead. */
  readonly idleTimeoutMs?: number;
  /** Delay before reconnect attempt `failures` (1-based). */
  readonly backoff?: (failures: number) => number;
  readonly logger?: Pick<Console, 'warn'>;
}

const DEFAULT_AUTH_TIMEOUT_MS = 5_000;
const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

/** Close code the client uses when it abandons a socket itself (auth or idle timeout). */
const CLIENT_ABANDON_CLOSE = 4000;

type Timer = ReturnType<typeof setTimeout>;

interface PendingInvoke {
  readonly frame: Extract<ClientFrame, { type: 'invoke' }>;
  sent: boolean;
  readonly timer: Timer;
  readonly resolve: (envelope: Envelope<unknown>) => void;
  readonly reject: (error: PaigeError) => void;
}

type EventListener = (channel: string, payload: unknown) => void;

export class BridgeTransport implements Transport, ConnectionSource {
  readonly kind = 'bridge' as const;

  private readonly url: string;
  private readonly token: string | null;
  private readonly createSocket: WebSocketFactory;
  private readonly authTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly backoff: (failures: number) => number;
  private readonly logger: Pick<Console, 'warn'>;

  private state: ConnectionState = INITIAL_CONNECTION_STATE;
  private readonly stateChanged: Emitter<void>;
  private readonly events: Emitter<{ readonly channel: string; readonly payload: unknown }>;
  /** The event channel being delivered, for the listener-error log line. */
  private delivering: string | null = null;
  private readonly pending = new Map<number, PendingInvoke>();

  private socket: WebSocketLike | null = null;
  private authenticated = false;
  private started = false;
  private disposed = false;
  private nextId = 1;
  private reconnectTimer: Timer | null = null;
  private authTimer: Timer | null = null;
  private idleTimer: Timer | null = null;

  constructor(options: BridgeTransportOptions) {
    this.url = options.url;
    this.token = options.token;
    this.createSocket = options.createSocket;
    this.authTimeoutMs = options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.backoff = options.backoff ?? reconnectDelayMs;
    this.logger = options.logger ?? console;
    this.stateChanged = new Emitter({
      onListenerError: (err) => this.logger.warn('[bridge] connection state listener threw', err),
    });
    this.events = new Emitter({
      onListenerError: (err) => this.logger.warn(`[bridge] listener for ${this.delivering ?? '?'} threw`, err),
    });
  }

  // ── ConnectionSource ────────────────────────────────────────────────────────────────────────────

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.stateChanged.event(listener);
    return () => sub.dispose();
  };

  // ── Lifecycle ──────────────────────────────────────────────────────────────────────────────────

  /** Starts connecting. Subscribe to events first: the server replays sticky errors right after auth. */
  connect(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    if (this.token === null) {
      this.close('no_token');
      return;
    }
    this.openSocket();
  }

  /** Skips the current backoff wait and reconnects now (no-op unless reconnecting). */
  reconnectNow(): void {
    if (this.disposed || this.state.status !== 'reconnecting') return;
    this.clearReconnectTimer();
    this.setState({ status: 'connecting', nextRetryMs: null });
    this.openSocket();
  }

  /** Closes the connection for good and cancels every pending invoke. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearReconnectTimer();
    this.detachSocket(1000, 'client disposed');
    this.rejectPending(
      () => true,
      () => new PaigeError('CANCELLED', 'The connection to Paige was closed'),
    );
    this.setState({ status: 'closed', closedReason: 'disposed', nextRetryMs: null });
  }

  // ── Transport ──────────────────────────────────────────────────────────────────────────────────

  invoke(channel: string, payload: unknown, timeoutMs: number): Promise<Envelope<unknown>> {
    if (this.disposed || this.state.status === 'closed') {
      return Promise.reject(this.closedError(this.state.closedReason));
    }
    return new Promise<Envelope<unknown>>((resolve, reject) => {
      const id = this.nextId++;
      const frame: Extract<ClientFrame, { type: 'invoke' }> =
        payload === undefined ? { type: 'invoke', id, channel } : { type: 'invoke', id, channel, payload };
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PaigeError('TIMEOUT', `${channel} timed out after ${timeoutMs} ms`, { channel, timeoutMs }));
      }, timeoutMs);
      const entry: PendingInvoke = { frame, sent: false, timer, resolve, reject };
      this.pending.set(id, entry);
      if (this.authenticated) entry.sent = this.send(frame);
    });
  }

  onEvent(listener: EventListener): () => void {
    const sub = this.events.event(({ channel, payload }) => listener(channel, payload));
    return () => sub.dispose();
  }

  // ── Socket handling ────────────────────────────────────────────────────────────────────────────

  private openSocket(): void {
    this.authenticated = false;
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.url);
    } catch (err) {
      this.logger.warn('[bridge] could not create WebSocket', err);
      this.handleClose(null);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.send({ type: 'auth', token: this.token ?? '' });
      this.authTimer = setTimeout(() => {
        this.logger.warn('[bridge] no auth_ok from server; reconnecting');
        this.abandonSocket();
      }, this.authTimeoutMs);
      this.armIdleTimer();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.handleMessage(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClose(event.code);
    };
    socket.onerror = () => {
      if (this.socket !== socket) return;
      // Browsers follow an error with a close event, but not every WebSocket implementation does (Node's fails a
      // refused connection with an error only): treat the error as the end of this socket either way.
      this.detachSocket(1000, 'socket error');
      this.handleClose(null);
    };
  }

  /** Gives up on the current socket (auth or idle timeout) and goes through the normal close path. */
  private abandonSocket(): void {
    this.detachSocket(CLIENT_ABANDON_CLOSE, 'client timeout');
    this.handleClose(CLIENT_ABANDON_CLOSE);
  }

  private detachSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.clearSocketTimers();
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  private handleClose(code: number | null): void {
    this.clearSocketTimers();
    this.authenticated = false;
    // Invokes already on the wire will never be answered; unsent ones wait for the next connection.
    this.rejectPending(
      (entry) => entry.sent,
      (entry) => new PaigeError('CANCELLED', `Connection to Paige lost during ${entry.frame.channel}`),
    );
    if (this.disposed) return;
    if (code === BRIDGE_CLOSE.unauthorized) {
      this.close('unauthorized');
      return;
    }
    if (code === BRIDGE_CLOSE.forbidden) {
      this.close('forbidden');
      return;
    }
    const failures = this.state.failures + 1;
    const delay = this.backoff(failures);
    this.setState({ status: 'reconnecting', failures, nextRetryMs: delay });
    this.clearReconnectTimer();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.disposed) return;
      this.setState({ status: 'connecting', nextRetryMs: null });
      this.openSocket();
    }, delay);
  }

  private close(reason: ClosedReason): void {
    this.clearReconnectTimer();
    this.rejectPending(
      () => true,
      () => this.closedError(reason),
    );
    this.setState({ status: 'closed', closedReason: reason, nextRetryMs: null });
  }

  private handleMessage(data: unknown): void {
    this.armIdleTimer();
    if (typeof data !== 'string') {
      this.logger.warn('[bridge] ignoring non-text frame');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.logger.warn('[bridge] ignoring malformed frame');
      return;
    }
    const parsed = ServerFrameSchema.safeParse(json);
    if (!parsed.success) {
      this.logger.warn('[bridge] ignoring unknown frame', parsed.error.issues);
      return;
    }
    this.handleFrame(parsed.data);
  }

  private handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'auth_ok':
        this.handleAuthOk(frame.protocolVersion);
        return;
      case 'result': {
        const entry = this.pending.get(frame.id);
        if (!entry) return; // Timed out or cancelled already.
        this.pending.delete(frame.id);
        clearTimeout(entry.timer);
        if (frame.ok) {
          entry.resolve({ ok: true, value: frame.value });
        } else {
          entry.resolve({
            ok: false,
            error: frame.error ?? {
              code: 'INTERNAL',
              message: `${entry.frame.channel} failed without an error`,
              retryable: false,
              cid: '',
            },
          });
        }
        return;
      }
      case 'event': {
        const outer = this.delivering;
        this.delivering = frame.channel;
        try {
          this.events.fire({ channel: frame.channel, payload: frame.payload });
        } finally {
          this.delivering = outer;
        }
        return;
      }
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'pong':
        return;
    }
  }

  private handleAuthOk(protocolVersion: number): void {
    if (this.authenticated) return;
    this.authenticated = true;
    if (this.authTimer !== null) {
      clearTimeout(this.authTimer);
      this.authTimer = null;
    }
    if (protocolVersion !== BRIDGE_PROTOCOL_VERSION) {
      this.logger.warn(`[bridge] server speaks protocol ${protocolVersion}, client ${BRIDGE_PROTOCOL_VERSION}`);
    }
    for (const entry of this.pending.values()) {
      if (!entry.sent) entry.sent = this.send(entry.frame);
    }
    this.setState({
      status: 'open',
      failures: 0,
      generation: this.state.generation + 1,
      nextRetryMs: null,
      closedReason: null,
      serverProtocolVersion: protocolVersion,
    });
  }

  // ── Helpers ────────────────────────────────────────────────────────────────────────────────────

  private send(frame: ClientFrame): boolean {
    const socket = this.socket;
    if (!socket) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch (err) {
      this.logger.warn('[bridge] send failed', err);
      return false;
    }
  }

  private armIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.logger.warn('[bridge] server silent; reconnecting');
      this.abandonSocket();
    }, this.idleTimeoutMs);
  }

  private clearSocketTimers(): void {
    if (this.authTimer !== null) clearTimeout(this.authTimer);
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.authTimer = null;
    this.idleTimer = null;
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private rejectPending(which: (entry: PendingInvoke) => boolean, error: (entry: PendingInvoke) => PaigeError): void {
    for (const [id, entry] of [...this.pending]) {
      if (!which(entry)) continue;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(error(entry));
    }
  }

  private closedError(reason: ClosedReason | null): PaigeError {
    switch (reason) {
      case 'unauthorized':
        return new PaigeError(
          'UNAUTHORIZED',
          'The bridge rejected this page’s token; open the URL printed by Paige again',
        );
      case 'no_token':
        return new PaigeError('UNAUTHORIZED', 'No bridge token: open the URL printed by Paige (it ends in #token=…)');
      case 'forbidden':
        return new PaigeError('FORBIDDEN_SENDER', 'The bridge refused this page’s origin');
      case 'disposed':
      case null:
        return new PaigeError('CANCELLED', 'The connection to Paige was closed');
    }
  }

  private setState(patch: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...patch };
    this.stateChanged.fire();
  }
}
