// A headless xterm fed the same batches as the subscribers, so a reloaded window can be replayed the screen
// (docs/terminal.md, replay). Its parser also tells whether the program enabled bracketed paste. xterm is required
// when the first mirror is built (the first pty), not when `paige serve` starts: nothing before that needs it.
import { createRequire } from 'node:module';
import type * as XtermHeadless from '@xterm/headless';
import type * as XtermSerialize from '@xterm/addon-serialize';

type Terminal = XtermHeadless.Terminal;
type SerializeAddon = XtermSerialize.SerializeAddon;

function loadXterm(): {
  Terminal: typeof XtermHeadless.Terminal;
  SerializeAddon: typeof XtermSerialize.SerializeAddon;
} {
  const req = createRequire(__filename);
  const headless = req('@xterm/headless') as typeof XtermHeadless;
  const serialize = req('@xterm/addon-serialize') as typeof XtermSerialize;
  return { Terminal: headless.Terminal, SerializeAddon: serialize.SerializeAddon };
}

/** A snapshot larger than this is cut down by dropping scrollback (snapshots stay ≤ 2 MiB). */
const SNAPSHOT_MAX_CHARS = 2 * 1024 * 1024;

export interface MirrorSnapshot {
  snapshot: string;
  seq: number;
}

export class TerminalMirror {
  private readonly term: Terminal;
  private readonly serializer: SerializeAddon;
  /** Seq of the last batch handed to `write`; xterm parses in order, so a later callback covers it. */
  private writtenSeq = 0;
  private disposed = false;

  constructor(cols: number, rows: number, scrollback: number) {
    const xterm = loadXterm();
    this.serializer = new xterm.SerializeAddon();
    this.term = new xterm.Terminal({ cols, rows, scrollback, allowProposedApi: true });
    this.term.loadAddon(this.serializer);
  }

  /** `onParsed` runs once xterm has parsed `data` (flow control counts the mirror as a subscriber). */
  write(data: string, seq: number, onParsed?: () => void): void {
    if (this.disposed) return;
    this.writtenSeq = seq;
    this.term.write(data, onParsed);
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed) this.term.resize(cols, rows);
  }

  get bracketedPaste(): boolean {
    return !this.disposed && this.term.modes.bracketedPasteMode;
  }

  /** Serialized screen + scrollback once everything written so far has been parsed, and the seq that covers. */
  snapshot(): Promise<MirrorSnapshot> {
    if (this.disposed) return Promise.resolve({ snapshot: '', seq: this.writtenSeq });
    const seq = this.writtenSeq;
    return new Promise((resolve) => {
      this.term.write('', () => resolve({ snapshot: this.serialize(), seq }));
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.term.dispose();
  }

  private serialize(): string {
    if (this.disposed) return '';
    let scrollback = this.term.options.scrollback ?? 0;
    let out = this.serializer.serialize({ scrollback });
    while (out.length > SNAPSHOT_MAX_CHARS && scrollback > 0) {
      scrollback = Math.floor(scrollback / 2);
      out = this.serializer.serialize({ scrollback });
    }
    return out;
  }
}
