// The coach chat in real Chromium against `paige serve` and the fake Anthropic API: two tabs stream the same reply,
// a reloaded tab catches up exactly, Stop keeps the partial reply, queued questions run in order, and after the
// backend is killed mid-stream a restart shows the reply as stopped and the queued question with Resend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { test, expect, chromium, type Browser, type Page } from '@playwright/test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { say } from '../fake-anthropic/script';
import { ROOT } from '../support/electron-binary';

const KEY = 'sk-ant-e2e-0123456789abcdef';
const CHROMIUM = process.env.PAIGE_CHROMIUM ?? '/usr/bin/chromium';

interface Serve {
  child: ChildProcess;
  bridgeUrl: string;
}

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

async function serve(dataDir: string, projectDir: string, baseUrl: string): Promise<Serve> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', projectDir, '--data-dir', dataDir, '--no-terminal'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ANTHROPIC_API_KEY: KEY,
        ANTHROPIC_BASE_URL: baseUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const bridgeUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { bridgeUrl: string }).bridgeUrl);
    });
    child.once('exit', (code) => reject(new Error(`paige serve exited ${code} before ready:\n${stderr}`)));
  });
  return { child, bridgeUrl };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function openChat(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('chat-panel')).toBeVisible();
}

async function ask(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-input').press('Enter');
}

const replies = (page: Page) => page.getByTestId('chat-reply');
const messages = (page: Page) => page.getByTestId('chat-message');

/** A reply whose words are all different, so a doubled or missing delta changes the text. */
function numberedReply(prefix: string, words: number): string {
  return Array.from({ length: words }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`).join(' ');
}

let fake: FakeAnthropic;
let browser: Browser;
let server: Serve | undefined;
const dirs: string[] = [];

test.beforeEach(async ({ browserName: _b }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser', 'runs against the headless backend');
  fake = await startFakeAnthropic({ chunkSize: 4 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
});

test.afterEach(async () => {
  await browser?.close();
  if (server) await stop(server.child);
  server = undefined;
  await fake?.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

test('two tabs stream the same reply; a reload mid-stream catches up exactly; Stop; two queued run in order', async () => {
  test.setTimeout(60_000);
  const dataDir = tempDir('paige-chat-data-');
  const projectDir = tempDir('paige-chat-proj-');
  dirs.push(dataDir, projectDir);
  server = await serve(dataDir, projectDir, fake.url);
  const a = await browser.newPage();
  const b = await browser.newPage();
  await openChat(a, server.bridgeUrl);
  await openChat(b, server.bridgeUrl);

  // 1. A first question with a Markdown answer: both tabs show it, code block included.
  fake.enqueue(say('Use a **ref**:\n\n```ts\nconst saved = localStorage.getItem("theme");\n```\n\nThen render.'));
  await ask(a, 'How do I read the saved theme?');
  for (const p of [a, b]) {
    await expect(replies(p).first()).toContainText('Then render.');
    await expect(p.locator('pre.md-code')).toContainText('const saved = localStorage.getItem("theme");');
    await expect(messages(p).first()).toContainText('How do I read the saved theme?');
  }

  // 2. A slow reply: both tabs stream it; tab B is reloaded mid-stream and must end with exactly the same text.
  const long = numberedReply('w', 120);
  fake.enqueue(say(long, { eventDelayMs: 25 }));
  await ask(a, 'Explain it word by word');
  await expect(replies(b).nth(1)).toContainText('w010');
  await openChat(b, server.bridgeUrl);
  // The reloaded tab shows the text so far at once (from chat:state), while the stream is still going.
  await expect(replies(b).nth(1)).toContainText('w0');
  await expect(a.getByTestId('chat-panel')).toHaveAttribute('data-status', 'streaming');
  const caughtUp = await replies(b).nth(1).innerText();
  expect(long.startsWith(caughtUp.trim())).toBe(true);
  await expect(replies(b).nth(1)).not.toHaveText(caughtUp, { timeout: 5_000 });
  await expect(a.getByTestId('chat-panel')).toHaveAttribute('data-status', 'idle', { timeout: 20_000 });
  await expect(b.getByTestId('chat-panel')).toHaveAttribute('data-status', 'idle');
  expect((await replies(a).nth(1).innerText()).trim()).toBe(long);
  expect((await replies(b).nth(1).innerText()).trim()).toBe(long);

  // 3. Stop keeps the partial reply in both tabs.
  fake.enqueue(say(numberedReply('s', 200), { stallAfterEvents: 30, stallMs: 30_000 }));
  await ask(a, 'Something long');
  await expect(replies(a).nth(2)).toContainText('s005');
  await a.getByTestId('chat-stop').click();
  for (const p of [a, b]) {
    await expect(messages(p).nth(5)).toHaveAttribute('data-status', 'partial');
    await expect(messages(p).nth(5).getByTestId('chat-status-note')).toHaveText('Stopped');
  }
  const partialA = (await replies(a).nth(2).innerText()).trim();
  expect(partialA.length).toBeGreaterThan(0);
  expect((await replies(b).nth(2).innerText()).trim()).toBe(partialA);

  // 4. Two questions queued behind a slow one show their positions and then run in order.
  fake.enqueue(say('First of three.', { stallAfterEvents: 6, stallMs: 1_500 }), say('Second of three.'), say('Third.'));
  await ask(a, 'Q-one');
  await expect(a.getByTestId('chat-panel')).toHaveAttribute('data-status', 'streaming');
  await ask(a, 'Q-two');
  await ask(a, 'Q-three');
  await expect(b.getByTestId('chat-queue-position')).toHaveText(['Queued · 1', 'Queued · 2']);
  await expect(a.getByTestId('chat-queue-position')).toHaveText(['Queued · 1', 'Queued · 2']);
  await expect(replies(a).last()).toHaveText('Third.', { timeout: 10_000 });
  for (const p of [a, b]) {
    await expect(messages(p)).toHaveCount(12);
    const texts = (await messages(p).allInnerTexts()).slice(6).map((t) => t.trim());
    expect(texts).toEqual(['Q-one', 'First of three.', 'Q-two', 'Second of three.', 'Q-three', 'Third.']);
  }
  // A reload reads the same order back from history.
  await openChat(b, server.bridgeUrl);
  await expect(messages(b)).toHaveCount(12);
  expect((await messages(b).allInnerTexts()).slice(6).map((t) => t.trim())).toEqual([
    'Q-one',
    'First of three.',
    'Q-two',
    'Second of three.',
    'Q-three',
    'Third.',
  ]);
  const order = fake.mainRequests().map((r) => JSON.stringify(r.body?.messages).match(/<question>\\n([^\\]*)/)?.[1]);
  expect(order.slice(-3)).toEqual(['Q-one', 'Q-two', 'Q-three']);
});

test('after the backend is killed mid-stream, a restart shows the reply stopped and the queued question with Resend', async () => {
  test.setTimeout(60_000);
  const dataDir = tempDir('paige-chat-data-');
  const projectDir = tempDir('paige-chat-proj-');
  dirs.push(dataDir, projectDir);
  server = await serve(dataDir, projectDir, fake.url);
  const page = await browser.newPage();
  await openChat(page, server.bridgeUrl);
  fake.enqueue(say(numberedReply('k', 100), { stallAfterEvents: 20, stallMs: 30_000 }));
  await ask(page, 'A question the crash interrupts');
  await expect(replies(page).first()).toContainText('k003');
  await ask(page, 'A queued question');
  await expect(page.getByTestId('chat-queue-position')).toHaveText('Queued · 1');
  const shown = (await replies(page).first().innerText()).trim();

  // Wait until the periodic write has stored what the page shows, then kill without any shutdown.
  const db = new Database(path.join(dataDir, 'paige.db'), { readonly: true, fileMustExist: true });
  const stored = () =>
    (db.prepare("SELECT content FROM chat_messages WHERE role = 'assistant'").get() as { content: string }).content;
  await expect.poll(stored).toBe(shown);
  db.close();
  await stop(server.child, 'SIGKILL');

  server = await serve(dataDir, projectDir, fake.url);
  await openChat(page, server.bridgeUrl);
  await expect(messages(page)).toHaveCount(3);
  await expect(messages(page).nth(1)).toHaveAttribute('data-status', 'partial');
  expect((await replies(page).first().innerText()).trim()).toBe(shown);
  await expect(messages(page).nth(2)).toHaveAttribute('data-status', 'cancelled');
  const after = new Database(path.join(dataDir, 'paige.db'), { readonly: true });
  expect(
    after.prepare("SELECT count(*) AS n FROM chat_messages WHERE status IN ('streaming', 'queued')").get(),
  ).toEqual({ n: 0 });
  expect(after.prepare('SELECT status, reason FROM chat_turns').all()).toEqual([
    { status: 'interrupted', reason: 'shutdown' },
  ]);
  after.close();

  fake.enqueue(say('Answer after the restart.'));
  await page.getByTestId('chat-resend').click();
  await expect(replies(page).last()).toHaveText('Answer after the restart.');
  await expect(messages(page).nth(3)).toContainText('A queued question');
});

test('a long chat opens at its newest 50 messages and scrolling up loads older pages', async () => {
  test.setTimeout(60_000);
  const dataDir = tempDir('paige-chat-data-');
  const projectDir = tempDir('paige-chat-proj-');
  dirs.push(dataDir, projectDir);
  // The first start creates the database; the chat is then written into it while Paige is stopped.
  server = await serve(dataDir, projectDir, fake.url);
  await stop(server.child);
  const db = new Database(path.join(dataDir, 'paige.db'));
  const ts = '2026-11-30T00:00:00.000Z';
  db.prepare(
    "INSERT INTO chat_sessions (id, title, coaching_session_id, created_at, updated_at, last_seq) VALUES ('long', 'Long chat', NULL, ?, ?, 0)",
  ).run(ts, ts);
  const insert = db.prepare(
    "INSERT INTO chat_messages (id, chat_session_id, seq, role, content, status, created_at) VALUES (?, 'long', ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (let i = 1; i <= 120; i++) {
      const user = i % 2 === 1;
      insert.run(`m${i}`, i, user ? 'user' : 'assistant', `Message ${i}`, user ? 'sent' : 'complete', ts);
    }
  })();
  db.close();

  server = await serve(dataDir, projectDir, fake.url);
  const page = await browser.newPage();
  await openChat(page, server.bridgeUrl);
  await expect(messages(page)).toHaveCount(50);
  await expect(messages(page).first()).toHaveText('Message 71');
  await expect(messages(page).last()).toHaveText('Message 120');
  await page.getByTestId('chat-list').evaluate((el) => (el.scrollTop = 0));
  await expect(messages(page)).toHaveCount(100);
  await expect(messages(page).first()).toHaveText('Message 21');
  await page.getByTestId('chat-list').evaluate((el) => (el.scrollTop = 0));
  await expect(messages(page)).toHaveCount(120);
  await expect(messages(page).first()).toHaveText('Message 1');
  const texts = (await messages(page).allInnerTexts()).map((t) => t.trim());
  expect(texts).toEqual(Array.from({ length: 120 }, (_, i) => `Message ${i + 1}`));
});
