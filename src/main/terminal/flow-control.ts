// Per-subscriber acknowledgement flow control (docs/terminal.md, after VS Code's terminal process): output is
// counted per subscriber as sent − acked; the pty pauses when any live subscriber is too far behind.
import { TERMINAL_ACK_UNIT_CHARS } from '../../shared/ipc/contract';

/** Pause the pty when any live subscriber has more than this many unacknowledged UTF-16 units. @visibleForTesting */
export const HIGH_WATER_CHARS = 100_000;
/** Resume once every live subscriber is below this. @visibleForTesting */
export const LOW_WATER_CHARS = 5_000;
/** Renderers ack in units of this size; a subscriber holding less than one unit owes no ack yet. @visibleForTesting */
export const ACK_UNIT_CHARS = TERMINAL_ACK_UNIT_CHARS;
/** A subscriber that owes an ack and stays silent this long is stale: it stops counting until it re-attaches. @visibleForTesting */
export const STALE_AFTER_MS = 10_000;

interface Subscriber {
  unacked: number;
  /** When it last acked, or started owing an ack; silence is measured from here. */
  since: number;
  stale: boolean;
}

interface FlowControllerOptions {
  onPause: () => void;
  onResume: () => void;
  now?: () => number;
  highWater?: number;
  lowWater?: number;
  staleAfterMs?: number;
}

export class FlowController {
  private readonly subs = new Map<string, Subscriber>();
  private paused = false;
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  private maxSeen = 0;
  private readonly now: () => number;
  private readonly high: number;
  private readonly low: number;
  private readonly staleAfterMs: number;

  constructor(private readonly opts: FlowControllerOptions) {
    this.now = opts.now ?? Date.now;
    this.high = opts.highWater ?? HIGH_WATER_CHARS;
    this.low = opts.lowWater ?? LOW_WATER_CHARS;
    this.staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Highest unacknowledged count any live subscriber reached (diagnostics, tests, bench). */
  get maxUnacked(): number {
    return this.maxSeen;
  }

  unackedOf(id: string): number | null {
    return this.subs.get(id)?.unacked ?? null;
  }

  isStale(id: string): boolean {
    return this.subs.get(id)?.stale ?? false;
  }

  has(id: string): boolean {
    return this.subs.has(id);
  }

  /** (Re-)attach: the subscriber starts from the snapshot, so it owes nothing. */
  add(id: string): void {
    this.subs.set(id, { unacked: 0, since: this.now(), stale: false });
    this.reevaluate();
  }

  remove(id: string): void {
    if (!this.subs.delete(id)) return;
    this.reevaluate();
  }

  sent(chars: number): void {
    const now = this.now();
    for (const s of this.subs.values()) {
      if (s.stale) continue;
      if (s.unacked < ACK_UNIT_CHARS && s.unacked + chars >= ACK_UNIT_CHARS) s.since = now;
      s.unacked += chars;
      if (s.unacked > this.maxSeen) this.maxSeen = s.unacked;
    }
    this.reevaluate();
  }

  ack(id: string, chars: number): void {
    const s = this.subs.get(id);
    if (!s || s.stale) return;
    s.unacked = Math.max(0, s.unacked - chars);
    s.since = this.now();
    this.reevaluate();
  }

  dispose(): void {
    this.clearStaleTimer();
    this.subs.clear();
  }

  private reevaluate(): void {
    this.markStale();
    const live = [...this.subs.values()].filter((s) => !s.stale);
    if (!this.paused && live.some((s) => s.unacked > this.high)) {
      this.paused = true;
      this.opts.onPause();
    } else if (this.paused && live.every((s) => s.unacked < this.low)) {
      this.paused = false;
      this.opts.onResume();
    }
    this.armStaleTimer();
  }

  private markStale(): void {
    const now = this.now();
    for (const s of this.subs.values()) {
      if (!s.stale && s.unacked >= ACK_UNIT_CHARS && now - s.since >= this.staleAfterMs) s.stale = true;
    }
  }

  /** Only a paused pty needs a timer: otherwise the next `sent()` re-checks staleness anyway. */
  private armStaleTimer(): void {
    this.clearStaleTimer();
    if (!this.paused) return;
    const owing = [...this.subs.values()].filter((s) => !s.stale && s.unacked >= ACK_UNIT_CHARS);
    if (owing.length === 0) return;
    const due = Math.min(...owing.map((s) => s.since + this.staleAfterMs));
    this.staleTimer = setTimeout(
      () => {
        this.staleTimer = null;
        this.reevaluate();
      },
      Math.max(0, due - this.now()),
    );
    this.staleTimer.unref?.();
  }

  private clearStaleTimer(): void {
    if (this.staleTimer !== null) clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }
}
