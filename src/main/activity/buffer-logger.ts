// Buffer logging (docs/activity.md): immediate `buffer_significant_change` for big jumps, a `buffer_summary` per dirty
// edited file every 30 s, and no file logged twice in one window for the same edits.

/** Summary cadence (rule 2). @visibleForTesting */
export const SUMMARY_INTERVAL_MS = 30_000;
/** Absolute change in characters that counts as significant (rule 1). */
const SIGNIFICANT_ABS_CHARS = 500;
/** Relative change that counts as significant (rule 1). */
const SIGNIFICANT_RATIO = 0.5;

interface FileState {
  lastLoggedCharCount: number;
  editCountSinceLastLog: number;
  charCount: number;
  dirty: boolean;
}

type BufferLogSink = (
  type: 'buffer_significant_change' | 'buffer_summary',
  data:
    | { path: string; previousCharCount: number; newCharCount: number; delta: number }
    | { path: string; editCount: number; charDelta: number; charCount: number },
) => void;

export class BufferLogger {
  private readonly files = new Map<string, FileState>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sink: BufferLogSink) {}

  /** A file opened: its length is the baseline for the first comparison. */
  opened(path: string, charCount: number): void {
    if (this.files.has(path)) return;
    this.files.set(path, {
      lastLoggedCharCount: charCount,
      editCountSinceLastLog: 0,
      charCount,
      dirty: false,
    });
    this.ensureTimer();
  }

  closed(path: string): void {
    this.files.delete(path);
  }

  saved(path: string): void {
    const f = this.files.get(path);
    if (f) f.dirty = false;
  }

  /** One `buffer:update`. Pure bookkeeping plus at most one enqueue: no I/O on the typing path. */
  update(path: string, charCount: number): void {
    let f = this.files.get(path);
    if (!f) {
      f = { lastLoggedCharCount: 0, editCountSinceLastLog: 0, charCount: 0, dirty: false };
      this.files.set(path, f);
      this.ensureTimer();
    }
    f.editCountSinceLastLog++;
    f.charCount = charCount;
    f.dirty = true;
    const l = f.lastLoggedCharCount;
    const d = Math.abs(charCount - l);
    const significant = (l === 0 && charCount > 0) || d > SIGNIFICANT_ABS_CHARS || (l > 0 && d / l > SIGNIFICANT_RATIO);
    if (!significant) return;
    this.sink('buffer_significant_change', {
      path,
      previousCharCount: l,
      newCharCount: charCount,
      delta: charCount - l,
    });
    f.lastLoggedCharCount = charCount;
    // Resetting the count is what keeps the 30 s timer from logging these same edits again (rule 3).
    f.editCountSinceLastLog = 0;
  }

  /** Rule 2 + 3: one summary per dirty file with edits since its last log. Exposed for shutdown's final summaries. */
  tick(): void {
    for (const [path, f] of this.files) {
      if (f.dirty && f.editCountSinceLastLog > 0) {
        this.sink('buffer_summary', {
          path,
          editCount: f.editCountSinceLastLog,
          charDelta: f.charCount - f.lastLoggedCharCount,
          charCount: f.charCount,
        });
        f.lastLoggedCharCount = f.charCount;
        f.editCountSinceLastLog = 0;
      }
    }
  }

  /** Session end / shutdown: final summaries, then stop the timer and forget every file (rule 5). */
  finish(): void {
    this.tick();
    this.dispose();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.files.clear();
  }

  private ensureTimer(): void {
    this.timer ??= setInterval(() => this.tick(), SUMMARY_INTERVAL_MS);
    this.timer.unref?.();
  }
}
