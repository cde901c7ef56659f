// JSON-lines logger to stderr and a daily file, with correlation ids and secret redaction built in (docs/data.md).
import fs from 'node:fs';
import path from 'node:path';
import type { LogLevel } from '../../shared/settings/schema';
import { redact, redactString } from '../../shared/redact';
import { currentContext } from './context';

const LEVEL_RANK: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: 100,
};

/** Daily files kept, and the size past which a day's file stops growing. */
const LOG_FILES_KEPT = 7;
const LOG_FILE_CAP_BYTES = 50 * 1024 * 1024;

export interface LogSink {
  write(line: string): void;
}

type LogFields = Record<string, unknown>;

export class Logger {
  constructor(
    private readonly sinks: LogSink[],
    private level: LogLevel,
    private readonly bindings: LogFields = {},
  ) {}

  child(bindings: LogFields): Logger {
    return new Logger(this.sinks, this.level, { ...this.bindings, ...bindings });
  }

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  isEnabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.level] && this.level !== 'silent';
  }

  trace(msg: string, fields?: LogFields): void {
    this.log('trace', msg, fields);
  }
  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }
  fatal(msg: string, fields?: LogFields): void {
    this.log('fatal', msg, fields);
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (!this.isEnabled(level)) return;
    const ctx = currentContext();
    const record: Record<string, unknown> = {
      ts: new Date().toISOString(),
      level,
      msg: redactString(msg),
      ...this.bindings,
    };
    if (ctx) {
      record.cid = ctx.cid;
      if (ctx.sessionId !== undefined) record.sessionId = ctx.sessionId;
      if (ctx.mcpSessionId !== undefined) record.mcpSessionId = ctx.mcpSessionId;
      if (ctx.ptyId !== undefined) record.ptyId = ctx.ptyId;
    }
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        record[k] = k === 'err' ? serializeError(v) : v;
      }
    }
    const line = JSON.stringify(redact(record)) + '\n';
    for (const sink of this.sinks) sink.write(line);
  }
}

function serializeError(err: unknown): unknown {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { type: err.name, message: err.message, stack: err.stack, ...(code !== undefined ? { code } : {}) };
  }
  return err;
}

export const stderrSink: LogSink = {
  write(line) {
    process.stderr.write(line);
  },
};

/** Appends to `{dir}/paige-YYYY-MM-DD.log`, rolls over daily, keeps 7 files, stops a day's file at 50 MiB. */
export class DailyFileSink implements LogSink {
  private fd: number | null = null;
  private day = '';
  private bytes = 0;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  write(line: string): void {
    const day = new Date().toISOString().slice(0, 10);
    if (day !== this.day) this.open(day);
    if (this.fd === null || this.bytes + line.length > LOG_FILE_CAP_BYTES) return;
    try {
      fs.writeSync(this.fd, line);
      this.bytes += Buffer.byteLength(line);
    } catch {
      // A full disk must not take the app down; stderr still has the line.
    }
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private open(day: string): void {
    this.close();
    this.day = day;
    const file = path.join(this.dir, `paige-${day}.log`);
    try {
      this.fd = fs.openSync(file, 'a', 0o600);
      this.bytes = fs.fstatSync(this.fd).size;
      this.prune();
    } catch {
      this.fd = null;
    }
  }

  private prune(): void {
    const files = fs
      .readdirSync(this.dir)
      .filter((f) => /^paige-\d{4}-\d{2}-\d{2}\.log$/.test(f))
      .sort();
    for (const old of files.slice(0, Math.max(0, files.length - LOG_FILES_KEPT))) {
      fs.rmSync(path.join(this.dir, old), { force: true });
    }
  }
}

/** Collects lines in memory; for tests. @visibleForTesting */
export class MemorySink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}
