// What Paige's terminal shows, read from xterm's DOM renderer, for specs that wait on a TUI's screen.
import type { Page } from '@playwright/test';

/** What each xterm row shows (the DOM renderer pads with no-break spaces). */
export function screenLines(page: Page): Promise<string[]> {
  return page
    .locator('.xterm-rows > div')
    .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));
}

/** The whole screen, one row a line. */
export async function screen(page: Page): Promise<string> {
  return (await screenLines(page)).join('\n');
}
