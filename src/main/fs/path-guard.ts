// The one gate every outside path passes before touching the disk (docs/workspace.md): confine it to the project root,
// symlinks included, and return the project-relative POSIX key used everywhere else.
import fs from 'node:fs';
import path from 'node:path';
import { PaigeError } from '../../shared/ipc/errors';

/** Longest path accepted from outside; longer input is refused before any resolution. @visibleForTesting */
export const MAX_PATH_LENGTH = 4_096;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export interface ResolvedPath {
  /** Absolute path inside the project (not symlink-resolved: the caller's view of the file). */
  abs: string;
  /** Project-relative with POSIX separators; '' for the root itself. */
  rel: string;
}

export interface GuardOptions {
  /** `path` flavour to resolve with; tests pass `path.win32` to exercise the Windows rules. */
  pathImpl?: path.PlatformPath;
  /** Case-insensitive volume (macOS, Windows): compare case-folded. */
  caseInsensitive?: boolean;
}

/** PATH_OUTSIDE_PROJECT for `input` (the gate here, and the descriptor checks in confined-fs.ts). */
export function pathOutside(input: string): PaigeError {
  return new PaigeError('PATH_OUTSIDE_PROJECT', `The path is outside the project: ${input.slice(0, 200)}`, {
    path: input.slice(0, 200),
  });
}

function invalid(reason: string, input: string): PaigeError {
  return new PaigeError('INVALID_PATH', `Invalid path (${reason}).`, { path: input.slice(0, 200) });
}

/** `abs` equals `root` or sits below it; the separator stops `/proj-evil` passing for `/proj`. */
export function isInside(root: string, abs: string, opts: GuardOptions = {}): boolean {
  const p = opts.pathImpl ?? path;
  const fold = (s: string): string => (opts.caseInsensitive ? s.toLowerCase() : s);
  const r = fold(root);
  const a = fold(abs);
  const prefix = r.endsWith(p.sep) ? r : r + p.sep;
  return a === r || a.startsWith(prefix);
}

function checkWindowsForm(input: string): void {
  if (/^[\\/]{2}[?.][\\/]/.test(input)) throw invalid('device path', input);
  if (/^[\\/]{2}[^\\/]/.test(input)) throw invalid('UNC path', input);
  if (/^[A-Za-z]:(?![\\/])/.test(input)) throw invalid('drive-relative path', input);
  const segments = input.replace(/^[A-Za-z]:/, '').split(/[\\/]/);
  for (const seg of segments) {
    if (seg.includes(':')) throw invalid('":" inside a path segment', input);
    if (WINDOWS_RESERVED.test(seg)) throw invalid(`reserved name "${seg}"`, input);
  }
}

function realpathOrNull(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

/**
 * Resolves `input` against the project `root` (already a realpath) or throws INVALID_PATH / PATH_OUTSIDE_PROJECT.
 * Only lexical checks run before the prefix check, so nothing outside the project is even stat'ed.
 */
export function resolveInProject(root: string, input: string, opts: GuardOptions = {}): ResolvedPath {
  const p = opts.pathImpl ?? path;
  if (input.length === 0) throw invalid('empty', input);
  if (input.length > MAX_PATH_LENGTH) throw invalid(`longer than ${MAX_PATH_LENGTH} characters`, input);
  if (input.includes('\0')) throw invalid('NUL byte', input);
  if (p === path.win32) checkWindowsForm(input);

  const abs = p.resolve(root, input);
  if (!isInside(root, abs, opts)) throw pathOutside(input);

  // Real filesystem checks only apply when resolving with the host's own path flavour.
  if (p === path) {
    const real = realpathOrNull(abs);
    if (real !== null) {
      if (!isInside(root, real, opts)) throw pathOutside(input);
    } else {
      // A new file: the nearest existing ancestor must really be inside and the rest must not climb back out.
      let ancestor = p.dirname(abs);
      while (realpathOrNull(ancestor) === null && ancestor !== p.dirname(ancestor)) ancestor = p.dirname(ancestor);
      const realAncestor = realpathOrNull(ancestor);
      if (realAncestor === null || !isInside(root, realAncestor, opts)) throw pathOutside(input);
      const rest = p.relative(ancestor, abs).split(p.sep);
      if (rest.includes('..')) throw pathOutside(input);
    }
  }
  const rel = p.relative(root, abs).split(p.sep).join('/');
  return { abs, rel };
}

/** Host default for case folding: macOS and Windows volumes are case-insensitive by default. */
export const HOST_CASE_INSENSITIVE = process.platform === 'darwin' || process.platform === 'win32';
