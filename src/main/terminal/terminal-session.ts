// One pty and everything attached to it: the UTF-8 decoder, the batcher, the headless mirror, flow control, the input
// writer and the nudge injector. The service above it decides when sessions start and stop.
import type { PtyBackend, PtyExit, PtyProcess } from './pty-backend';
import { OutputBatcher, Utf8StreamDecoder } from './output-batcher';
import { FlowController } from './flow-control';
import { InputWriter } from './input-writer';
import { TerminalMirror, type MirrorSnapshot } from './terminal-mirror';
import { NudgeInjector, type NudgeOutcome } from './nudge-injector';
import type { LaunchPlan } from './launch';

export type PtyState = 'starting' | 'running' | 'paused' | 'exited';

/** Resize limits: cols 2–500, rows 1–200. */
const COLS_MIN = 2;
const COLS_MAX = 500;
const ROWS_MIN = 1;
const ROWS_MAX = 200;
/** After SIGHUP, a program that has not exited gets SIGKILL. */
const KILL_GRACE_MS = 1_000;
/** Shutdown lets output drain until it has been quiet this long before hanging up (docs/reliability.md). */
const SHUTDOWN_QUIET_MS = 250;
/** …but a program that never goes quiet (a flood) is not waited on longer than this. */
const SHUTDOWN_QUIET_MAX_MS = 1_000;
/** The mirror takes part in flow control like a subscriber, so a flood cannot outrun its parser. */
const MIRROR_SUBSCRIBER = '\0mirror';

function clampSize(cols: number, rows: number): { cols: number; rows: number } {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(v)));
  return { cols: clamp(cols, COLS_MIN, COLS_MAX), rows: clamp(rows, ROWS_MIN, ROWS_MAX) };
}

export interface SessionExit extends PtyExit {
  appInitiated: boolean;
}

interface TerminalSessionOptions {
  ptyId: string;
  backend: PtyBackend;
  plan: LaunchPlan;
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  scrollback: number;
  onData: (seq: number, data: string) => void;
  onState: (state: PtyState) => void;
  onExit: (exit: SessionExit) => void;
  now?: () => number;
}

interface SessionStats {
  seq: number;
  maxUnacked: number;
  maxBatchChars: number;
}

export class TerminalSession {
  readonly ptyId: string;
  readonly plan: LaunchPlan;
  private stateValue: PtyState = 'starting';
  private readonly proc: PtyProcess;
  private readonly decoder = new Utf8StreamDecoder();
  private readonly batcher: OutputBatcher;
  private readonly mirror: TerminalMirror;
  private readonly flow: FlowController;
  private readonly input: InputWriter;
  private readonly nudges: NudgeInjector;
  private readonly now: () => number;
  private seq = 0;
  private maxBatch = 0;
  private lastInput = 0;
  private lastOutput = 0;
  private appInitiated = false;
  private exitInfo: SessionExit | null = null;
  private killTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly exitWaiters: (() => void)[] = [];

  constructor(private readonly opts: TerminalSessionOptions) {
    this.ptyId = opts.ptyId;
    this.plan = opts.plan;
    this.now = opts.now ?? Date.now;
    const { cols, rows } = clampSize(opts.cols, opts.rows);
    this.mirror = new TerminalMirror(cols, rows, opts.scrollback);
    this.flow = new FlowController({
      now: this.now,
      onPause: () => {
        this.batcher.hold();
        this.proc.pause();
        this.setState('paused');
      },
      onResume: () => {
        this.proc.resume();
        this.batcher.release();
        if (this.stateValue === 'paused') this.setState('running');
      },
    });
    this.flow.add(MIRROR_SUBSCRIBER);
    this.batcher = new OutputBatcher({ onFlush: (data) => this.emit(data) });
    this.proc = opts.backend.spawn({
      file: opts.plan.file,
      args: opts.plan.args,
      cwd: opts.cwd,
      env: opts.env,
      cols,
      rows,
    });
    this.input = new InputWriter((data) => {
      if (this.exitInfo === null) this.proc.write(data);
    });
    this.nudges = new NudgeInjector(
      {
        lastInputAt: () => this.lastInput,
        lastOutputAt: () => this.lastOutput,
        bracketedPaste: () => this.mirror.bracketedPaste,
        alive: () => this.exitInfo === null,
        write: (data) => this.input.send(data),
      },
      { now: this.now },
    );
    if (opts.plan.banner !== null) this.batcher.push(`\x1b[33m${opts.plan.banner}\x1b[0m\r\n`);
    this.proc.onData((chunk) => {
      this.lastOutput = this.now();
      this.batcher.push(this.decoder.write(chunk));
    });
    this.proc.onExit((exit) => this.onProcessExit(exit));
    this.setState('running');
  }

  get state(): PtyState {
    return this.stateValue;
  }

  get pid(): number {
    return this.proc.pid;
  }

  get exit(): SessionExit | null {
    return this.exitInfo;
  }

  /** Epoch ms of the last input written by a client, or 0 (the observer's idle rule counts it as activity). */
  get lastInputAt(): number {
    return this.lastInput;
  }

  get isAppInitiated(): boolean {
    return this.appInitiated;
  }

  get stats(): SessionStats {
    return { seq: this.seq, maxUnacked: this.flow.maxUnacked, maxBatchChars: this.maxBatch };
  }

  unackedOf(clientId: string): number | null {
    return this.flow.unackedOf(clientId);
  }

  /** The screen so far and the seq it covers; the client then counts from zero (docs/terminal.md, replay). */
  async attach(clientId: string): Promise<MirrorSnapshot> {
    // Pending output goes out first so the snapshot covers everything emitted; a held batcher stays held.
    if (this.stateValue !== 'paused') this.batcher.flush();
    const snap = await this.mirror.snapshot();
    this.flow.add(clientId);
    return snap;
  }

  detach(clientId: string): void {
    this.flow.remove(clientId);
  }

  ack(clientId: string, chars: number): void {
    this.flow.ack(clientId, chars);
  }

  write(data: string): void {
    if (this.exitInfo !== null) return;
    this.lastInput = this.now();
    this.input.send(data);
  }

  resize(cols: number, rows: number): void {
    const size = clampSize(cols, rows);
    this.mirror.resize(size.cols, size.rows);
    if (this.exitInfo === null) this.proc.resize(size.cols, size.rows);
  }

  injectNudge(text: string): Promise<NudgeOutcome> {
    return this.nudges.inject(text);
  }

  /** Marks the end as Paige's doing, hangs up, and kills after the grace period; resolves when the process is gone. */
  kill(): Promise<void> {
    this.appInitiated = true;
    if (this.exitInfo !== null) return Promise.resolve();
    const gone = this.waitForExit();
    if (this.killTimer === null) {
      this.proc.kill('SIGHUP');
      this.killTimer = setTimeout(() => {
        if (this.exitInfo === null) this.proc.kill('SIGKILL');
      }, KILL_GRACE_MS);
    }
    return gone;
  }

  /** Shutdown: let output settle (250 ms quiet, bounded), then `kill()`. */
  async shutdown(): Promise<void> {
    this.appInitiated = true;
    const started = this.now();
    while (this.exitInfo === null && this.now() - started < SHUTDOWN_QUIET_MAX_MS) {
      const quietFor = this.now() - this.lastOutput;
      if (quietFor >= SHUTDOWN_QUIET_MS) break;
      await new Promise((r) => setTimeout(r, SHUTDOWN_QUIET_MS - quietFor));
    }
    this.batcher.flush();
    await this.kill();
  }

  dispose(): void {
    if (this.killTimer !== null) clearTimeout(this.killTimer);
    this.killTimer = null;
    this.nudges.dispose();
    this.input.dispose();
    this.batcher.dispose();
    this.flow.dispose();
    this.mirror.dispose();
    if (this.exitInfo === null) {
      this.appInitiated = true;
      try {
        this.proc.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  private waitForExit(): Promise<void> {
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private emit(data: string): void {
    this.seq += 1;
    const seq = this.seq;
    if (data.length > this.maxBatch) this.maxBatch = data.length;
    // Counted before it is handed out, so an ack that comes back synchronously is never lost.
    this.flow.sent(data.length);
    this.mirror.write(data, seq, () => this.flow.ack(MIRROR_SUBSCRIBER, data.length));
    this.opts.onData(seq, data);
  }

  private onProcessExit(exit: PtyExit): void {
    if (this.killTimer !== null) clearTimeout(this.killTimer);
    this.killTimer = null;
    this.batcher.push(this.decoder.end());
    this.batcher.flush();
    this.exitInfo = { ...exit, appInitiated: this.appInitiated };
    this.nudges.cancel();
    this.input.dispose();
    this.setState('exited');
    this.opts.onExit(this.exitInfo);
    for (const w of this.exitWaiters.splice(0)) w();
  }

  private setState(state: PtyState): void {
    if (this.stateValue === state || this.stateValue === 'exited') return;
    this.stateValue = state;
    this.opts.onState(state);
  }
}
