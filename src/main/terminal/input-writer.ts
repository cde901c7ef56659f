// Writes terminal input to the pty at once, never behind output; large pastes go in small chunks split before ESC so
// an escape sequence always starts a write and a slow reader is not handed one huge burst (docs/terminal.md).

/** Input up to this size (keystrokes, short commands) is one write. @visibleForTesting */
export const INPUT_CHUNK_CHARS = 512;
/** Gap between chunks of a large paste, so the program reading the pty drains its buffer in between. @visibleForTesting */
export const INPUT_CHUNK_INTERVAL_MS = 1;

const ESC = '\x1b';

/** Splits `data` into pieces of at most `max` UTF-16 units; every ESC starts a new piece; surrogate pairs stay whole. @visibleForTesting */
export function chunkInput(data: string, max = INPUT_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const atEsc = data[i] === ESC && i > start;
    let full = i - start >= max;
    if (full && isLowSurrogate(data.charCodeAt(i))) full = false;
    if (atEsc || full) {
      chunks.push(data.slice(start, i));
      start = i;
    }
  }
  if (start < data.length) chunks.push(data.slice(start));
  return chunks;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export class InputWriter {
  private queue: string[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly write: (data: string) => void,
    private readonly intervalMs = INPUT_CHUNK_INTERVAL_MS,
  ) {}

  /** The first chunk is written synchronously; the rest follow one per interval, in order. */
  send(data: string): void {
    if (data.length === 0) return;
    const chunks = data.length <= INPUT_CHUNK_CHARS && !data.includes(ESC, 1) ? [data] : chunkInput(data);
    this.queue.push(...chunks);
    if (this.timer === null) this.drainOne();
  }

  get queuedChunks(): number {
    return this.queue.length;
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }

  private drainOne(): void {
    this.timer = null;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.write(next);
    if (this.queue.length > 0) this.timer = setTimeout(() => this.drainOne(), this.intervalMs);
  }
}
