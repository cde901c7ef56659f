// The seam between the terminal service and the process that owns the pty. Today node-pty runs in main; a utility
// process implementation only has to satisfy these two interfaces (raw bytes out, strings in, no node-pty types leak).
import { createRequire } from 'node:module';
import type * as NodePty from 'node-pty';

interface PtySpawnOptions {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface PtyExit {
  exitCode: number;
  /** Signal number that ended the process, or null when it exited by itself. */
  signal: number | null;
}

export interface PtyProcess {
  readonly pid: number;
  /** Raw output bytes exactly as read; decoding is the caller's job so no character is ever split here. */
  onData(listener: (chunk: Uint8Array) => void): void;
  onExit(listener: (exit: PtyExit) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stops reading the pty so the child blocks on a full buffer (flow control). */
  pause(): void;
  resume(): void;
  kill(signal: 'SIGHUP' | 'SIGKILL' | 'SIGTERM'): void;
}

export interface PtyBackend {
  spawn(opts: PtySpawnOptions): PtyProcess;
}

type NodePtyModule = typeof NodePty;

/** node-pty, or why it could not be loaded (a native module built for another ABI, e.g. inside Electron). */
export function loadNodePty(): { ok: true; backend: PtyBackend } | { ok: false; error: string } {
  try {
    const req = createRequire(__filename);
    const mod = req('node-pty') as NodePtyModule;
    return { ok: true, backend: new NodePtyBackend(mod) };
  } catch (err) {
    return { ok: false, error: `node-pty could not be loaded (${err instanceof Error ? err.message : String(err)})` };
  }
}

class NodePtyBackend implements PtyBackend {
  constructor(private readonly pty: NodePtyModule) {}

  spawn(opts: PtySpawnOptions): PtyProcess {
    const p = this.pty.spawn(opts.file, [...opts.args], {
      name: 'xterm-256color',
      cols: opts.cols,
      rows: opts.rows,
      cwd: opts.cwd,
      env: opts.env,
      // Raw Buffers: node-pty's own string decoding is per read and could split a multi-byte character.
      encoding: null,
    });
    return {
      pid: p.pid,
      onData: (listener) => {
        p.onData((d: string | Buffer) => listener(typeof d === 'string' ? Buffer.from(d, 'utf8') : d));
      },
      onExit: (listener) => {
        p.onExit(({ exitCode, signal }) => listener({ exitCode, signal: signal ? signal : null }));
      },
      write: (data) => p.write(data),
      resize: (cols, rows) => p.resize(cols, rows),
      pause: () => p.pause(),
      resume: () => p.resume(),
      kill: (signal) => p.kill(signal),
    };
  }
}
