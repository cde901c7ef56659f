// Output for the `paige` tool commands: one JSON document or aligned text (coloured only on a TTY), stderr
// diagnostics at --log-level, and errors in the common error shape.
import type { ErrorShape, PaigeError } from '../../shared/ipc/errors';
import { redact } from '../../shared/redact';
import type { LogLevel } from '../../shared/settings/schema';
import { LOG_LEVELS } from './args';

/**
 * Recognises a PaigeError without importing its module, which would load zod before any command needs it.
 * PaigeError sets its name and carries toShape().
 */
function isExpectedError(err: unknown): err is PaigeError {
  return (
    err instanceof Error && err.name === 'PaigeError' && typeof (err as Partial<PaigeError>).toShape === 'function'
  );
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal: colour and widths apply. */
  isTTY: boolean;
  columns: number;
  env: Readonly<Record<string, string | undefined>>;
}

/** Human output is laid out to stay readable in a classic terminal even when stdout is not one. */
export const DEFAULT_COLUMNS = 80;

export interface CliLog {
  debug: (msg: string, fields?: Record<string, unknown>) => void;
  warn: (msg: string, fields?: Record<string, unknown>) => void;
}

/** JSON lines on stderr, secrets redacted; nothing is written to the data dir's log files by a read command. */
export function makeLog(io: CliIo, level: string | undefined): CliLog {
  const min = LOG_LEVELS.indexOf((level ?? io.env.PAIGE_LOG_LEVEL ?? 'warn') as LogLevel);
  const at =
    (lvl: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      if (min < 0 || LOG_LEVELS.indexOf(lvl) < min) return;
      const line = { ts: new Date().toISOString(), level: lvl, msg, component: 'cli', ...(redact(fields) as object) };
      io.stderr(JSON.stringify(line) + '\n');
    };
  return { debug: at('debug'), warn: at('warn') };
}

interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  red: (s: string) => string;
}

export function makeStyle(io: CliIo): Style {
  const on = io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  const wrap =
    (open: number, close: number) =>
    (s: string): string =>
      on ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39) };
}

/** Shortens text to `width` characters with an ellipsis; paths keep their end, other text its start. @visibleForTesting */
export function fit(text: string, width: number, keepEnd = false): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  return keepEnd ? '…' + text.slice(text.length - width + 1) : text.slice(0, width - 1) + '…';
}

interface Column {
  header: string;
  align?: 'left' | 'right';
  /** This column shrinks first when the table is wider than the terminal. */
  flexible?: boolean;
  keepEnd?: boolean;
}

/** Aligned columns separated by two spaces; flexible columns are cut so each line fits in `columns`. */
export function table(cols: readonly Column[], rows: readonly string[][], columns: number): string {
  const widths = cols.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const total = (): number => widths.reduce((a, b) => a + b, 0) + 2 * (cols.length - 1);
  const flex = cols.map((c, i) => (c.flexible ? i : -1)).filter((i) => i >= 0);
  while (total() > columns && flex.length > 0) {
    const widest = flex.reduce((a, b) => ((widths[a] ?? 0) >= (widths[b] ?? 0) ? a : b));
    const min = Math.max(8, cols[widest]?.header.length ?? 0);
    if ((widths[widest] ?? 0) <= min) {
      flex.splice(flex.indexOf(widest), 1);
      continue;
    }
    widths[widest] = Math.max(min, (widths[widest] ?? 0) - (total() - columns));
  }
  const line = (cells: readonly string[]): string =>
    cols
      .map((c, i) => {
        const w = widths[i] ?? 0;
        const v = fit(cells[i] ?? '', w, c.keepEnd);
        return c.align === 'right' ? v.padStart(w) : i === cols.length - 1 ? v : v.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}

/**
 * Breaks text at spaces so no line holds more than `width` characters; a word longer than that (a long path) is kept
 * whole. Lines after the first start with `indent` spaces, so the text lines up under the first line's start.
 */
export function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
}

/** `label  value` lines with the labels aligned and long values wrapped under themselves. */
export function fields(pairs: readonly [string, string][], columns: number = DEFAULT_COLUMNS): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(w)}  ${wrap(v, columns - w - 2, w + 2)}`).join('\n') + '\n';
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `2026-11-30T19:09:24.000Z` → `2026-11-30 19:09` (UTC, as stored). */
export function shortTime(iso: string): string {
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}

/** Prints a failure in the error shape (JSON) or as one sentence on stderr, and returns its exit code. */
export function reportError(io: CliIo, json: boolean, err: unknown, cid: string): number {
  const shape: ErrorShape = isExpectedError(err)
    ? err.toShape(cid)
    : { code: 'INTERNAL', message: `Unexpected error: ${(err as Error).message}`, retryable: false, cid };
  const safe = redact(shape) as ErrorShape;
  if (json) io.stdout(JSON.stringify(safe) + '\n');
  else io.stderr(`paige: ${safe.message}\n`);
  if (!isExpectedError(err) && !json) io.stderr(`${(err as Error).stack ?? ''}\n`);
  return 1;
}
