// Tells the backend when the learner stops and starts again: `user:idle_start` after 5 s without input, then
// `user:idle_end` on the next input. The observer logs both; only its own 300 s rule can trigger a check-in.

/** No keyboard, pointer or wheel input for this long is an idle start. @visibleForTesting */
export const IDLE_AFTER_MS = 5_000;

interface IdleSink {
  idleStart(durationMs: number): void;
  idleEnd(idleDurationMs: number): void;
}

export class IdleReporter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private idleSince: number | null = null;

  constructor(
    private readonly sink: IdleSink,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.arm();
  }

  /** Any input from the learner. */
  activity(): void {
    if (this.idleSince !== null) {
      this.sink.idleEnd(this.now() - this.idleSince);
      this.idleSince = null;
    }
    this.arm();
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // The learner went quiet IDLE_AFTER_MS ago: that is when the idle period began.
      this.idleSince = this.now() - IDLE_AFTER_MS;
      this.sink.idleStart(IDLE_AFTER_MS);
    }, IDLE_AFTER_MS);
  }
}
