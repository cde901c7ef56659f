// The headless bridge: the IPC contract over HTTP + WebSocket on 127.0.0.1 with a per-run token (docs/ipc.md).
// It dispatches any contract channel through the same router as Electron, so it is generated from the contract.
import type { Disposable } from '../../shared/lifecycle';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { WebSocketServer, WebSocket, RawData } from 'ws';
import { BRIDGE_CLOSE, BRIDGE_PROTOCOL_VERSION, ClientFrameSchema, type ServerFrame } from '../../shared/ipc/envelope';
import type { EventHub } from '../ipc/event-hub';
import type { IpcRouter } from '../ipc/router';
import type { Logger } from '../logging/logger';
import { bridgeOrigins, isAllowedHost, isAllowedOrigin, tokensEqual } from './http-guards';
import { resolveRendererAsset } from '../renderer-assets/renderer-assets';
import { contentSecurityPolicy, sendStatic } from './static-files';

/**
 * Limits: 8 authenticated connections, 16 MiB frames, auth within 10 s, a ping every 15 s. The auth limit only bounds
 * idle unauthenticated sockets (which have their own cap); a page's main thread can be busy for seconds on a loaded
 * machine before it sends its token.
 */
const MAX_CONNECTIONS = 8;
/**
 * Sockets still authenticating have their own cap, so idle sockets never use up the 8 above. When it is full the
 * oldest waiting socket is closed to make room: a client that authenticates at once always gets in (docs/ipc.md).
 */
const MAX_PENDING_AUTH = 16;
/**
 * Unsent bytes a client may hold before the next frame; above it the socket is cut and the client resynchronises on
 * reconnect (the terminal through replay). Bounds server memory per client to this plus one frame.
 */
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const AUTH_TIMEOUT_MS = 10_000;
const PING_INTERVAL_MS = 15_000;
/** Unanswered pings before the socket is closed. */
const MAX_MISSED_PINGS = 2;

interface BridgeOptions {
  port: number;
  token: string;
  /** Built renderer (out/renderer); null serves a page explaining how to build it. */
  rendererDir: string | null;
  router: IpcRouter;
  events: EventHub;
  logger: Logger;
  pingIntervalMs?: number;
  authTimeoutMs?: number;
  /** Overrides MAX_UNSENT_BYTES (tests). */
  maxUnsentBytes?: number;
}

interface Connection {
  id: string;
  ws: WebSocket;
  authed: boolean;
  missedPings: number;
  subscription: Disposable | null;
  /** Cut for falling behind; the close handler logs it. */
  overflowed: boolean;
}

export class BridgeServer {
  private readonly server: http.Server;
  /**
   * Built on the first upgrade (or by `preload()` after the ready line): loading `ws` is not needed to listen, so
   * `paige serve` does not pay for it before announcing it is ready.
   */
  private wss: WebSocketServer | null = null;
  private wssLoading: Promise<WebSocketServer> | null = null;
  private readonly connections = new Set<Connection>();
  private readonly sockets = new Set<Socket>();
  private accepting = true;
  private totalConnections = 0;
  /** Clients cut for holding more than MAX_UNSENT_BYTES unsent. */
  private overflowDrops = 0;
  private pingTimer: NodeJS.Timeout | null = null;
  private boundPort = 0;

  private constructor(private readonly opts: BridgeOptions) {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
  }

  private loadWss(): Promise<WebSocketServer> {
    this.wssLoading ??= import('./ws-server').then(({ createWebSocketServer }) => {
      this.wss = createWebSocketServer(MAX_FRAME_BYTES);
      return this.wss;
    });
    return this.wssLoading;
  }

  /** Loads the WebSocket server now, so the first client does not wait for it (called after the ready line). */
  preload(): void {
    this.loadWss().catch((err: unknown) => this.opts.logger.warn('loading the WebSocket server failed', { err }));
  }

  static async listen(opts: BridgeOptions): Promise<BridgeServer> {
    const bridge = new BridgeServer(opts);
    await new Promise<void>((resolve, reject) => {
      bridge.server.once('error', reject);
      bridge.server.listen(opts.port, '127.0.0.1', () => {
        bridge.server.off('error', reject);
        resolve();
      });
    });
    bridge.boundPort = (bridge.server.address() as AddressInfo).port;
    bridge.pingTimer = setInterval(() => bridge.pingAll(), opts.pingIntervalMs ?? PING_INTERVAL_MS);
    bridge.pingTimer.unref();
    opts.logger.info('bridge listening', { port: bridge.boundPort });
    return bridge;
  }

  get port(): number {
    return this.boundPort;
  }

  get address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** The URL to open; the token travels in the fragment, which browsers never send to the server. */
  get url(): string {
    return `http://127.0.0.1:${this.boundPort}/#token=${this.opts.token}`;
  }

  connectionCounts(): { active: number; total: number } {
    return { active: this.authedCount(), total: this.totalConnections };
  }

  /** Clients cut so far for falling behind on output (tests, diagnostics). */
  get droppedForBacklog(): number {
    return this.overflowDrops;
  }

  private authedCount(): number {
    let n = 0;
    for (const c of this.connections) if (c.authed) n += 1;
    return n;
  }

  stopAccepting(): void {
    this.accepting = false;
  }

  async close(): Promise<void> {
    this.accepting = false;
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const c of this.connections) {
      c.subscription?.dispose();
      c.ws.close(BRIDGE_CLOSE.shuttingDown, 'Paige is shutting down');
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Give sockets a moment to send their close frames, then cut whatever is left.
      setTimeout(() => {
        for (const c of this.connections) c.ws.terminate();
        for (const s of this.sockets) s.destroy();
      }, 200).unref();
    });
    this.wss?.close();
    this.opts.logger.info('bridge closed', { ...this.connectionCounts() });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!isAllowedHost(req.headers.host, this.boundPort)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden host');
      return;
    }
    if (!isAllowedOrigin(req.headers.origin, bridgeOrigins(this.boundPort))) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden origin');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.boundPort}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(
        JSON.stringify({ status: this.accepting ? 'ok' : 'shutting_down', uptimeS: Math.round(process.uptime()) }),
      );
      return;
    }
    if (url.pathname === '/bridge') {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('WebSocket with a token required');
      return;
    }
    const csp = contentSecurityPolicy(this.boundPort);
    if (this.opts.rendererDir === null) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': csp });
      res.end('The Paige renderer is not built. Run `npm run build`, then reload.');
      return;
    }
    void resolveRendererAsset(this.opts.rendererDir, url.pathname).then((file) => {
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      sendStatic(res, file, csp);
    });
  }

  private onUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!isAllowedHost(req.headers.host, this.boundPort)) return reject(403, 'Forbidden');
    if (!isAllowedOrigin(req.headers.origin, bridgeOrigins(this.boundPort))) return reject(403, 'Forbidden');
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname !== '/bridge') return reject(404, 'Not Found');
    if (!this.accepting) return reject(503, 'Service Unavailable');
    if (this.authedCount() >= MAX_CONNECTIONS) return reject(503, 'Service Unavailable');
    const waiting = [...this.connections].filter((c) => !c.authed);
    if (waiting.length >= MAX_PENDING_AUTH) {
      // Set iteration order is insertion order: the first waiting socket is the oldest.
      const oldest = waiting[0] as Connection;
      this.connections.delete(oldest);
      oldest.ws.terminate();
    }
    const upgrade = (wss: WebSocketServer): void => wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    if (this.wss !== null) return upgrade(this.wss);
    // Only the first upgrades of a run get here, while `ws` loads; the socket may have gone or the bridge stopped.
    this.loadWss().then(
      (wss) => {
        if (socket.destroyed) return;
        if (!this.accepting) return reject(503, 'Service Unavailable');
        upgrade(wss);
      },
      (err: unknown) => {
        this.opts.logger.error('bridge: the WebSocket server could not be loaded', { err });
        reject(500, 'Internal Server Error');
      },
    );
  }

  private onConnection(ws: WebSocket): void {
    const conn: Connection = {
      id: randomUUID(),
      ws,
      authed: false,
      missedPings: 0,
      subscription: null,
      overflowed: false,
    };
    this.connections.add(conn);
    this.totalConnections += 1;
    const log = this.opts.logger.child({ connectionId: conn.id });
    const authTimer = setTimeout(() => {
      if (!conn.authed) ws.close(BRIDGE_CLOSE.authTimeout, 'no auth in time');
    }, this.opts.authTimeoutMs ?? AUTH_TIMEOUT_MS);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      let frame;
      try {
        frame = ClientFrameSchema.safeParse(JSON.parse(rawToString(data)));
      } catch {
        frame = null;
      }
      if (!frame || !frame.success) {
        if (!conn.authed) ws.close(BRIDGE_CLOSE.unauthorized, 'auth required');
        else log.warn('bridge: ignored a malformed frame');
        return;
      }
      const f = frame.data;
      if (!conn.authed) {
        if (f.type !== 'auth' || !tokensEqual(f.token, this.opts.token)) {
          log.warn('bridge: refused a connection without a valid token');
          ws.close(BRIDGE_CLOSE.unauthorized, 'invalid token');
          return;
        }
        clearTimeout(authTimer);
        if (this.authedCount() >= MAX_CONNECTIONS) {
          ws.close(BRIDGE_CLOSE.tooManyConnections, 'too many connections');
          return;
        }
        conn.authed = true;
        this.send(conn, { type: 'auth_ok', protocolVersion: BRIDGE_PROTOCOL_VERSION, connectionId: conn.id });
        conn.subscription = this.opts.events.subscribe((channel, payload, cid) => {
          this.send(conn, { type: 'event', channel, payload, ...(cid !== undefined ? { cid } : {}) });
        });
        log.info('bridge: client connected', { ...this.connectionCounts() });
        return;
      }
      switch (f.type) {
        case 'invoke':
          void this.opts.router
            .dispatch(f.channel, f.payload, { transport: 'bridge', clientId: conn.id, cid: f.cid })
            .then((env) => {
              this.send(
                conn,
                env.ok
                  ? { type: 'result', id: f.id, ok: true, value: env.value }
                  : { type: 'result', id: f.id, ok: false, error: env.error },
              );
            });
          return;
        case 'ping':
          this.send(conn, { type: 'pong' });
          return;
        case 'pong':
          conn.missedPings = 0;
          return;
        case 'auth':
          return;
      }
    });
    ws.on('close', () => {
      clearTimeout(authTimer);
      conn.subscription?.dispose();
      this.connections.delete(conn);
      if (conn.authed) this.opts.events.clientClosed(conn.id);
      if (conn.overflowed) log.warn('bridge: cut a client that stopped reading', { limitBytes: this.maxUnsent });
      if (conn.authed) log.info('bridge: client disconnected', { ...this.connectionCounts() });
    });
    ws.on('error', (err) => log.warn('bridge: socket error', { err }));
  }

  private pingAll(): void {
    for (const c of this.connections) {
      if (!c.authed) continue;
      if (c.missedPings >= MAX_MISSED_PINGS) {
        c.ws.close(BRIDGE_CLOSE.pingTimeout, 'ping timeout');
        continue;
      }
      c.missedPings += 1;
      this.send(c, { type: 'ping' });
    }
  }

  private get maxUnsent(): number {
    return this.opts.maxUnsentBytes ?? MAX_UNSENT_BYTES;
  }

  private send(conn: Connection, frame: ServerFrame): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    // Checked before sending, so one large frame (a 5 MiB file) always goes out; a client already this far behind is
    // cut at once (terminate frees the queue now; a close frame would wait behind it).
    if (conn.ws.bufferedAmount > this.maxUnsent) {
      conn.overflowed = true;
      this.overflowDrops += 1;
      conn.ws.terminate();
      return;
    }
    conn.ws.send(JSON.stringify(frame));
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
