// Entry of the `paige` command under plain Node (bundled to out/main/cli.js).
import path from 'node:path';
import fs from 'node:fs';
import { USAGE, UsageError, parseArgs } from './args';
import { serve, type RunningServer } from './serve';
import { APP_VERSION } from '../version';

/** Exit code for a second Ctrl-C (docs/reliability.md). */
const EXIT_SECOND_SIGINT = 130;

function rendererDir(): string | null {
  const candidates = [process.env.PAIGE_RENDERER_DIR, path.join(__dirname, '../renderer')];
  for (const c of candidates) {
    if (c && fs.existsSync(path.join(c, 'index.html'))) return path.resolve(c);
  }
  return null;
}

export async function main(argv: readonly string[]): Promise<void> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`paige: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
  if (args.command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (args.command === 'version') {
    process.stdout.write(`${APP_VERSION}\n`);
    return;
  }

  // Handlers go in before the ready line: a supervisor may signal the instant it reads that line, and without a
  // handler the default action kills the process before it can shut down cleanly.
  let running: RunningServer | null = null;
  let early: NodeJS.Signals | null = null;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signal === 'SIGINT' && signals > 1) process.exit(EXIT_SECOND_SIGINT);
    if (signals > 1) return;
    if (!running) {
      early = signal;
      return;
    }
    void running.stop(signal).then((code) => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  running = await serve(args, {
    stdout: (line) => process.stdout.write(line + '\n'),
    stderr: (line) => process.stderr.write(line + '\n'),
    exit: (code) => process.exit(code),
    env: { ...process.env },
    appVersion: APP_VERSION,
    rendererDir: rendererDir(),
    interactive: process.stderr.isTTY === true,
  });
  if (!running) return;
  if (early !== null) void running.stop(early).then((code) => process.exit(code));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`paige: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
