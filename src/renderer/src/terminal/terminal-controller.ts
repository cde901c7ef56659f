// The renderer side of the terminal protocol, free of xterm and React so it can be tested in Node: attach with
// replay, seq ordering, acks in units of 5 000 from the write callback, input splitting, restart and re-attach.
import type { PaigeClient } from '../../../shared/ipc/client';
import { TERMINAL_ACK_UNIT_CHARS, TERMINAL_INPUT_MAX_CHARS, type EventPayload } from '../../../shared/ipc/contract';
import { DisposableStore, Emitter } from '../../../shared/lifecycle';

/** Acks go back in units of this many chars (docs/terminal.md, flow control). */
const ACK_UNIT_CHARS = TERMINAL_ACK_UNIT_CHARS;

/** What the controller needs from xterm. */
interface TerminalSink {
  write(data: string, onParsed: () => void): void;
  /** Clears screen, scrollback and modes before a snapshot of a different pty is written. */
  reset(): void;
}

type TerminalViewStatus = 'idle' | 'attaching' | 'starting' | 'running' | 'paused' | 'exited' | 'error';

export interface TerminalViewState {
  readonly status: TerminalViewStatus;
  readonly ptyId: string | null;
  readonly command: string | null;
  readonly fallback: boolean;
  readonly exitCode: number | null;
  readonly error: string | null;
}

const INITIAL: TerminalViewState = {
  status: 'idle',
  ptyId: null,
  command: null,
  fallback: false,
  exitCode: null,
  error: null,
};

/**
 * Splits input into invokes the contract accepts (≤ 64 KiB), never between the halves of a surrogate pair.
 * @visibleForTesting
 */
export function splitInput(data: string, max = TERMINAL_INPUT_MAX_CHARS): string[] {
  const out: string[] = [];
  let rest = data;
  while (rest.length > max) {
    let cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

export class TerminalController {
  private state: TerminalViewState = INITIAL;
  private readonly changed = new Emitter<void>();
  private readonly subscriptions = new DisposableStore();
  /** Events that arrived while an attach was in flight: applied after the snapshot if newer than it. */
  private pending: EventPayload<'terminal:data'>[] | null = null;
  private pendingExits: EventPayload<'terminal:exit'>[] = [];
  private restarting = false;
  private lastSeq = 0;
  private owed = 0;
  private attachRun = 0;
  private inputChain: Promise<unknown> = Promise.resolve();
  private size = { cols: 80, rows: 24 };
  private disposed = false;

  constructor(
    private readonly client: PaigeClient,
    private readonly sink: TerminalSink,
  ) {
    this.subscriptions.defer(client.on('terminal:data', (p) => this.onData(p)));
    this.subscriptions.defer(client.on('terminal:status', (p) => this.onStatus(p)));
    this.subscriptions.defer(client.on('terminal:exit', (p) => this.onExit(p)));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  readonly getState = (): TerminalViewState => this.state;

  /** (Re-)attaches: the screen is replaced by the host's snapshot, then newer output is applied in seq order. */
  async attach(cols = this.size.cols, rows = this.size.rows): Promise<void> {
    this.size = { cols, rows };
    const run = ++this.attachRun;
    this.pending = [];
    this.pendingExits = [];
    this.set({ status: 'attaching', error: null });
    try {
      const res = await this.client.invoke('terminal:attach', { cols, rows });
      if (run !== this.attachRun || this.disposed) return;
      const buffered = this.pending;
      this.pending = null;
      this.sink.reset();
      this.owed = 0;
      this.lastSeq = res.seq;
      this.set({
        status: res.state,
        ptyId: res.ptyId,
        command: res.command,
        fallback: res.fallback,
        exitCode: res.exit?.exitCode ?? null,
        error: null,
      });
      // The snapshot is not counted by the host, so it is not acked.
      if (res.snapshot.length > 0) this.sink.write(res.snapshot, () => undefined);
      for (const p of buffered) this.onData(p);
      for (const p of this.pendingExits.splice(0)) this.onExit(p);
    } catch (err) {
      if (run !== this.attachRun || this.disposed) return;
      this.pending = null;
      this.set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Keystrokes and pastes, in order; each piece is written by the host at once. */
  input(data: string): void {
    const ptyId = this.state.ptyId;
    if (ptyId === null || this.state.status === 'exited') return;
    for (const piece of splitInput(data)) {
      this.inputChain = this.inputChain
        .then(() => this.client.invoke('terminal:input', { ptyId, data: piece }))
        .catch(() => undefined);
    }
  }

  resize(cols: number, rows: number): void {
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    const ptyId = this.state.ptyId;
    if (ptyId === null || this.state.status === 'exited') return;
    this.client.invoke('terminal:resize', { ptyId, cols, rows }).catch(() => undefined);
  }

  async restart(): Promise<void> {
    this.set({ status: 'starting', exitCode: null, error: null });
    // The new pty's status events would otherwise trigger a second attach.
    this.restarting = true;
    try {
      await this.client.invoke('terminal:restart', this.size);
    } catch (err) {
      this.set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
      return;
    } finally {
      this.restarting = false;
    }
    await this.attach();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscriptions.dispose();
    const ptyId = this.state.ptyId;
    if (ptyId !== null) this.client.invoke('terminal:detach', { ptyId }).catch(() => undefined);
    this.changed.dispose();
  }

  private onData(p: EventPayload<'terminal:data'>): void {
    if (this.pending !== null) {
      this.pending.push(p);
      return;
    }
    if (p.ptyId !== this.state.ptyId || p.seq <= this.lastSeq) return;
    if (p.seq !== this.lastSeq + 1) {
      // Output went missing (e.g. a dropped connection): the snapshot is the only way back to a correct screen.
      void this.attach();
      return;
    }
    this.lastSeq = p.seq;
    const ptyId = p.ptyId;
    const chars = p.data.length;
    this.sink.write(p.data, () => this.parsed(ptyId, chars));
  }

  private parsed(ptyId: string, chars: number): void {
    if (ptyId !== this.state.ptyId || this.disposed) return;
    this.owed += chars;
    if (this.owed < ACK_UNIT_CHARS) return;
    const ack = this.owed - (this.owed % ACK_UNIT_CHARS);
    this.owed -= ack;
    this.client.invoke('terminal:ack', { ptyId, chars: ack }).catch(() => undefined);
  }

  private onStatus(p: EventPayload<'terminal:status'>): void {
    if (this.pending !== null || this.restarting) return;
    if (p.ptyId === this.state.ptyId) {
      if (this.state.status !== 'exited') this.set({ status: p.state });
      return;
    }
    // Another client restarted the terminal, or the project changed: follow the new pty.
    if (p.state !== 'exited' && this.state.status !== 'idle') void this.attach();
  }

  private onExit(p: EventPayload<'terminal:exit'>): void {
    if (this.pending !== null) {
      this.pendingExits.push(p);
      return;
    }
    if (p.ptyId !== this.state.ptyId) return;
    this.set({ status: 'exited', exitCode: p.exitCode });
  }

  private set(patch: Partial<TerminalViewState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire();
  }
}
