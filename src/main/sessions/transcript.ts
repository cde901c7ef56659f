// Reads Claude Code's session transcript for the wrap-up: only a file whose realpath lies inside the Claude config
// directory, only its last 2 MiB, condensed to the user's and Claude's text (tool calls and results dropped).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Bytes read from the end of the transcript. @visibleForTesting */
export const TRANSCRIPT_TAIL_BYTES = 2 * 1024 * 1024;
/** The condensed text kept, newest last. @visibleForTesting */
export const TRANSCRIPT_MAX_CHARS = 50_000;

/** `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeConfigDir(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.CLAUDE_CONFIG_DIR;
  if (configured !== undefined && configured !== '') return path.resolve(configured);
  return path.join(env.HOME !== undefined && env.HOME !== '' ? env.HOME : os.homedir(), '.claude');
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: unknown) =>
      b !== null && typeof b === 'object' && (b as { type?: unknown }).type === 'text'
        ? String((b as { text?: unknown }).text ?? '')
        : '',
    )
    .filter((t) => t.trim() !== '')
    .join('\n');
}

/** JSONL transcript lines → `User: …` / `Claude: …` paragraphs; meta, sidechain and tool-only lines are skipped. */
function condenseTranscript(jsonl: string, maxChars = TRANSCRIPT_MAX_CHARS): string {
  const out: string[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // the first line of a tail read is usually cut; a bad line is skipped, not fatal
    }
    if (entry === null || typeof entry !== 'object') continue;
    const e = entry as { type?: unknown; isMeta?: unknown; isSidechain?: unknown; message?: { content?: unknown } };
    if (e.isMeta === true || e.isSidechain === true) continue;
    if (e.type !== 'user' && e.type !== 'assistant') continue;
    const text = textOf(e.message?.content).trim();
    if (text === '') continue;
    out.push(`${e.type === 'user' ? 'User' : 'Claude'}: ${text}`);
  }
  const all = out.join('\n\n');
  // The end of the session matters most: keep the newest text.
  return all.length <= maxChars ? all : `…${all.slice(all.length - (maxChars - 1))}`;
}

/**
 * The condensed transcript, or null with the reason when it is not read: no path, a path (or a symlink) resolving
 * outside the Claude config directory, or an unreadable file.
 */
export async function readTranscript(
  transcriptPath: string | null,
  configDir: string,
): Promise<{ text: string } | { text: null; reason: string }> {
  if (transcriptPath === null) return { text: null, reason: 'no transcript path' };
  let real: string;
  let realDir: string;
  try {
    real = await fs.realpath(transcriptPath);
    realDir = await fs.realpath(configDir);
  } catch {
    return { text: null, reason: 'transcript not found' };
  }
  if (!isInside(real, realDir)) return { text: null, reason: 'transcript is outside the Claude config directory' };
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(real, 'r');
    const { size } = await handle.stat();
    const start = Math.max(0, size - TRANSCRIPT_TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await handle.read(buf, 0, buf.length, start);
    return { text: condenseTranscript(buf.toString('utf8')) };
  } catch (err) {
    return { text: null, reason: `transcript unreadable: ${String(err)}` };
  } finally {
    await handle?.close();
  }
}
