// The embedded terminal in the Workspace's bottom panel, on a real pty: typing, resizing the pane, replay after a
// reload, and the shell fallback when the configured command is missing. Both projects run it: node-pty is an N-API
// addon, so the Node build loads in Electron too (scripts/native-abi.test.ts checks the built addon).
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';

/** What each xterm row shows (the DOM renderer pads with no-break spaces). */
function screenLines(page: Page): Promise<string[]> {
  return page
    .locator('.xterm-rows > div')
    .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));
}

async function openTerminal(page: Page): Promise<void> {
  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running', { timeout: 10_000 });
  await page.getByTestId('terminal-host').click();
}

/** Runs `stty size` behind a label and returns "rows cols" once the answer is on screen. */
async function sttySize(page: Page, label: string): Promise<string> {
  await page.keyboard.type(`echo "${label}:$(stty size)"\n`);
  let size = '';
  await expect
    .poll(async () => {
      const line = (await screenLines(page)).find((l) => new RegExp(`^${label}:\\d+ \\d+$`).test(l));
      size = line?.slice(label.length + 1) ?? '';
      return size;
    })
    .not.toBe('');
  return size;
}

test.describe('terminal with a shell', () => {
  test.use({ paigeEnv: { PAIGE_TERMINAL_COMMAND: '/bin/sh' } });

  test('typing runs a command, resizing the pane changes stty size, and a reload replays the screen', async ({
    paige,
  }) => {
    const { page } = paige;
    await openTerminal(page);

    await page.keyboard.type('echo paige-e2e-ok\n');
    await expect.poll(() => screenLines(page)).toContain('paige-e2e-ok');

    const before = await sttySize(page, 'size-before');
    const handle = page.getByTestId('resize-bottom');
    const box = await handle.boundingBox();
    if (!box) throw new Error('resize handle not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y - 150, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('terminal-host').click();
    await expect.poll(async () => sttySize(page, `size-after-${Date.now()}`), { timeout: 10_000 }).not.toBe(before);

    // The bridge token lives only in memory: in the browser a reload is opening the original URL again.
    if (paige.ready) await page.goto(paige.ready.bridgeUrl);
    else await page.reload();
    await page.getByTestId('nav-workspace').click();
    await expect.poll(() => screenLines(page), { timeout: 10_000 }).toContain('paige-e2e-ok');
    await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running');
    // Still live after the replay.
    await page.getByTestId('terminal-host').click();
    await page.keyboard.type('echo after-$((40+2))\n');
    await expect.poll(() => screenLines(page)).toContain('after-42');
  });

  test('a `yes` flood keeps the page responsive and Ctrl-C stops it', async ({ paige }) => {
    const { page } = paige;
    await openTerminal(page);
    await page.keyboard.type('yes paige-flood\n');
    await expect.poll(() => screenLines(page)).toContain('paige-flood');
    // While the flood runs the page still answers: the view goes Home and back to the Workspace.
    await page.getByTestId('nav-home').click();
    await expect(page.getByTestId('nav-home')).toHaveAttribute('aria-current', 'true');
    await page.getByTestId('nav-workspace').click();
    await expect(page.getByTestId('nav-workspace')).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', /^(running|paused)$/);
    await page.getByTestId('terminal-host').click();
    await page.keyboard.press('Control+C');
    await page.keyboard.type('clear; echo stopped-$((1+2))\n');
    await expect.poll(() => screenLines(page), { timeout: 10_000 }).toContain('stopped-3');
    // Output really stopped: the pty's output is one ordered stream, so a flood line after `clear` (and after the
    // next command's answer) would mean `yes` was still writing.
    await page.keyboard.type('echo still-$((2+2))\n');
    await expect.poll(() => screenLines(page), { timeout: 10_000 }).toContain('still-4');
    expect(await screenLines(page)).not.toContain('paige-flood');
  });

  test('exit shows the code and Restart starts a new process', async ({ paige }) => {
    const { page } = paige;
    await openTerminal(page);
    const firstPty = await page.getByTestId('terminal-status').getAttribute('data-pty-id');
    await page.keyboard.type('exit 3\n');
    await expect(page.getByTestId('terminal-exit-banner')).toContainText('code 3');
    await page.getByTestId('terminal-restart').click();
    await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running');
    await expect(page.getByTestId('terminal-status')).not.toHaveAttribute('data-pty-id', firstPty ?? '');
    await page.getByTestId('terminal-host').click();
    await page.keyboard.type('echo restarted-$((1+1))\n');
    await expect.poll(() => screenLines(page)).toContain('restarted-2');
  });
});

test.describe('terminal when the command is missing', () => {
  test.use({ paigeEnv: { PAIGE_TERMINAL_COMMAND: 'claude-missing-e2e' } });

  test('the shell starts with the banner', async ({ paige }) => {
    const { page } = paige;
    await openTerminal(page);
    await expect.poll(() => screenLines(page)).toContain('claude-missing-e2e not found — started your shell');
    await expect
      .poll(() => screenLines(page))
      .toContain('Or change the command in Home → Settings → Terminal command (terminal.command).');
  });
});
