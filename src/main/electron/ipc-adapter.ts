// The Electron transport of the IPC contract: one `paige:invoke` handler guarded by the sender check, and event
// fan-out to each registered window (docs/ipc.md). Written against narrow shapes of ipcMain/webContents so it
// can be exercised with fakes; Electron's own objects satisfy them.
import type { Disposable } from '../../shared/lifecycle';
import type { Envelope } from '../../shared/ipc/envelope';
import { PaigeError } from '../../shared/ipc/errors';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL } from '../../shared/ipc/preload-api';
import type { EventHub } from '../ipc/event-hub';
import { CID_PATTERN, type IpcRouter } from '../ipc/router';
import { checkSender } from '../ipc/sender-guard';
import { newCid } from '../logging/context';
import type { Logger } from '../logging/logger';

/** @visibleForTesting */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly routingId: number;
}

/** @visibleForTesting */
export interface WebContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
  on(event: 'did-navigate', listener: () => void): unknown;
}

/** @visibleForTesting */
export interface InvokeEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

interface ElectronIpcDeps {
  ipcMain: IpcMainLike;
  router: Pick<IpcRouter, 'dispatch'>;
  events: Pick<EventHub, 'subscribe'> & Partial<Pick<EventHub, 'clientClosed'>>;
  logger: Pick<Logger, 'warn' | 'debug'>;
  /** `app://paige`, plus the dev-server origin in development. */
  allowedOrigins: readonly string[];
}

interface WindowEntry {
  readonly contents: WebContentsLike;
  subscription: Disposable | null;
}

export class ElectronIpcAdapter {
  private readonly windows = new Map<number, WindowEntry>();
  private readonly windowIds = new Set<number>();
  private accepting = true;
  private closed = false;

  constructor(private readonly deps: ElectronIpcDeps) {
    deps.ipcMain.handle(ELECTRON_INVOKE_CHANNEL, (event, channel, payload, cid) =>
      this.onInvoke(event, channel, payload, cid),
    );
  }

  /** Trusts this window's main frame and tears its subscription down with it. */
  addWindow(contents: WebContentsLike): void {
    if (this.closed || this.windows.has(contents.id)) return;
    const entry: WindowEntry = { contents, subscription: null };
    this.windows.set(contents.id, entry);
    this.windowIds.add(contents.id);
    // A new document has no listeners yet: drop the subscription so its first invoke re-subscribes and the
    // hub replays sticky startup events to the page that can actually hear them.
    // Either way the page that held per-client state (terminal flow control) is gone.
    contents.on('did-navigate', () => {
      this.unsubscribe(entry);
      this.deps.events.clientClosed?.(String(contents.id));
    });
    contents.once('destroyed', () => {
      this.unsubscribe(entry);
      this.deps.events.clientClosed?.(String(contents.id));
      this.windows.delete(contents.id);
      this.windowIds.delete(contents.id);
    });
  }

  /** Shutdown step 1: answer new invokes with SHUTTING_DOWN without reaching the router. */
  stopAccepting(): void {
    this.accepting = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.accepting = false;
    this.deps.ipcMain.removeHandler(ELECTRON_INVOKE_CHANNEL);
    for (const entry of this.windows.values()) this.unsubscribe(entry);
    this.windows.clear();
    this.windowIds.clear();
  }

  private async onInvoke(
    event: InvokeEventLike,
    channel: unknown,
    payload: unknown,
    cid: unknown,
  ): Promise<Envelope<unknown>> {
    const cidArg = typeof cid === 'string' && CID_PATTERN.test(cid) ? cid : undefined;
    const frame = senderFrameOf(event);
    const check = checkSender({
      senderId: event.sender.id,
      registeredWindowIds: this.windowIds,
      frameUrl: frame?.url ?? null,
      isMainFrame: frame !== null && isMainFrame(frame, event.sender),
      allowedOrigins: this.deps.allowedOrigins,
    });
    if (!check.ok) {
      this.deps.logger.warn('ipc sender rejected', {
        reason: check.reason,
        senderId: event.sender.id,
        channel: String(channel).slice(0, 128),
      });
      return failure('FORBIDDEN_SENDER', 'This request did not come from the Paige window.', cidArg);
    }
    if (!this.accepting) return failure('SHUTTING_DOWN', 'Paige is shutting down.', cidArg);
    const entry = this.windows.get(event.sender.id);
    if (entry && entry.subscription === null) this.subscribe(entry);
    return this.deps.router.dispatch(typeof channel === 'string' ? channel : String(channel), payload, {
      transport: 'electron',
      clientId: String(event.sender.id),
      cid: cidArg,
    });
  }

  private subscribe(entry: WindowEntry): void {
    const { contents } = entry;
    entry.subscription = this.deps.events.subscribe((channel, payload, cid) => {
      if (contents.isDestroyed()) return;
      contents.send(ELECTRON_EVENT_CHANNEL, channel, payload, cid);
    });
  }

  private unsubscribe(entry: WindowEntry): void {
    const sub = entry.subscription;
    entry.subscription = null;
    sub?.dispose();
  }
}

function failure(
  code: 'FORBIDDEN_SENDER' | 'SHUTTING_DOWN',
  message: string,
  cid: string | undefined,
): Envelope<unknown> {
  return { ok: false, error: new PaigeError(code, message).toShape(cid ?? newCid()) };
}

/** Electron may throw instead of returning null when the frame is already disposed. */
function senderFrameOf(event: InvokeEventLike): FrameLike | null {
  try {
    return event.senderFrame;
  } catch {
    return null;
  }
}

function isMainFrame(frame: FrameLike, sender: WebContentsLike): boolean {
  try {
    const main = sender.mainFrame;
    return frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
  } catch {
    return false;
  }
}
