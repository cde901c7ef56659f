// Decides whether an Electron IPC message may reach the router (docs/ipc.md). Pure, so testable without Electron.

/** @visibleForTesting */
export interface SenderCheckInput {
  /** `webContents.id` of the sender. */
  senderId: number;
  /** webContents ids of the windows Paige created itself. */
  registeredWindowIds: ReadonlySet<number>;
  /** URL of the sending frame; null when the frame navigated away or was destroyed before we looked. */
  frameUrl: string | null;
  isMainFrame: boolean;
  /** Origins such as `app://paige` (and the dev-server origin in development). */
  allowedOrigins: readonly string[];
}

type SenderCheckResult = { ok: true } | { ok: false; reason: string };

/** The origin the app's own renderer is served from. */
export const APP_ORIGIN = 'app://paige';

/**
 * `scheme://host[:port]`, or null for URLs without a host.
 * WHATWG `URL.origin` is the string "null" for custom schemes such as `app:`, so it is built by hand.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

export function checkSender(input: SenderCheckInput): SenderCheckResult {
  if (!input.registeredWindowIds.has(input.senderId)) {
    return { ok: false, reason: `sender ${input.senderId} is not a Paige window` };
  }
  if (input.frameUrl === null) {
    return { ok: false, reason: 'sender frame is gone' };
  }
  if (!input.isMainFrame) {
    return { ok: false, reason: 'sender is not the main frame' };
  }
  const origin = originOf(input.frameUrl);
  const allowed = input.allowedOrigins.map((o) => o.toLowerCase());
  if (origin === null || !allowed.includes(origin)) {
    return { ok: false, reason: `origin ${origin ?? 'unknown'} is not allowed` };
  }
  return { ok: true };
}
