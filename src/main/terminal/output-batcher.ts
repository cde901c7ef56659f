// Turns raw pty bytes into whole-character strings and coalesces them into batches (docs/terminal.md).

/** One `terminal:data` event per this window at most, so a flood costs ~200 events/s instead of one per read. @visibleForTesting */
export const BATCH_WINDOW_MS = 5;
/** A batch is flushed early once it holds this many UTF-16 units (~200 KB). @visibleForTesting */
export const BATCH_MAX_CHARS = 200_000;

/** Streaming UTF-8 decoder: an incomplete trailing sequence is kept for the next chunk instead of becoming U+FFFD. */
export class Utf8StreamDecoder {
  private readonly decoder = new TextDecoder('utf-8');

  write(chunk: Uint8Array): string {
    return this.decoder.decode(chunk, { stream: true });
  }

  /** Whatever is left at end of stream (an unfinished sequence becomes U+FFFD). */
  end(): string {
    return this.decoder.decode();
  }
}

interface OutputBatcherOptions {
  onFlush: (data: string) => void;
  windowMs?: number;
  maxChars?: number;
}

export class OutputBatcher {
  private parts: string[] = [];
  private size = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private held = false;
  private readonly windowMs: number;
  private readonly maxChars: number;

  constructor(private readonly opts: OutputBatcherOptions) {
    this.windowMs = opts.windowMs ?? BATCH_WINDOW_MS;
    this.maxChars = opts.maxChars ?? BATCH_MAX_CHARS;
  }

  get pendingChars(): number {
    return this.size;
  }

  push(data: string): void {
    if (data.length === 0) return;
    this.parts.push(data);
    this.size += data.length;
    if (this.held) return;
    if (this.size >= this.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** While held (output paused by flow control) nothing is emitted; what arrives waits for `release()`. */
  hold(): void {
    this.held = true;
    this.clearTimer();
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.size > 0) this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Emits whatever is pending now, in batches of at most `maxChars` (ignores `hold`: used before snapshots/exit). */
  flush(): void {
    this.clearTimer();
    if (this.size === 0) return;
    let all = this.parts.join('');
    this.parts = [];
    this.size = 0;
    while (all.length > 0) {
      let cut = Math.min(all.length, this.maxChars);
      // Never end a batch between the halves of a surrogate pair.
      if (cut < all.length && isHighSurrogate(all.charCodeAt(cut - 1))) cut -= 1;
      this.opts.onFlush(all.slice(0, cut));
      all = all.slice(cut);
    }
  }

  dispose(): void {
    this.clearTimer();
    this.parts = [];
    this.size = 0;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
