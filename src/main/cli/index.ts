// Entry of the `paige` command under plain Node (bundled to out/main/cli.js). Each command is loaded on demand so
// a read command never pulls in the app core, the MCP SDK or the terminal host.
import path from 'node:path';
import fs from 'node:fs';
import { COMMAND_HELP, OVERVIEW, UsageError, parseArgs, type ServeArgs, type ToolArgs } from './args';
import { APP_VERSION } from '../version';
import { DEFAULT_COLUMNS, makeLog, reportError, type CliIo } from './io';

/** Exit code for a second Ctrl-C. */
const EXIT_SECOND_SIGINT = 130;
const EXIT_USAGE = 2;

function rendererDir(): string | null {
  const candidates = [process.env.PAIGE_RENDERER_DIR, path.join(__dirname, '../renderer')];
  for (const c of candidates) {
    if (c && fs.existsSync(path.join(c, 'index.html'))) return path.resolve(c);
  }
  return null;
}

function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.isTTY === true ? (process.stdout.columns ?? DEFAULT_COLUMNS) : DEFAULT_COLUMNS,
    env: process.env,
  };
}

/** A correlation id for an error document; node:crypto is loaded only when one is needed (it costs ~5 ms). */
async function newCid(): Promise<string> {
  return (await import('node:crypto')).randomUUID();
}

/** Usage errors: the error shape on stdout with --json, and always a sentence plus where to read more on stderr. */
async function usageFailure(io: CliIo, argv: readonly string[], err: UsageError): Promise<number> {
  const topic = err.command;
  if (argv.includes('--json')) {
    const cid = await newCid();
    io.stdout(JSON.stringify({ code: 'VALIDATION_FAILED', message: err.message, retryable: false, cid }) + '\n');
  }
  const hint = topic ? `Run \`paige help ${topic}\` for its options.` : 'Run `paige help` for the list of commands.';
  io.stderr(`paige: ${err.message}\n${hint}\n`);
  return EXIT_USAGE;
}

async function runTool(args: ToolArgs, io: CliIo): Promise<number> {
  const log = makeLog(io, args.logLevel);
  const t0 = performance.now();
  try {
    let code: number;
    switch (args.command) {
      case 'status':
        code = await (await import('./commands/status')).run(args, io, log);
        break;
      case 'sessions-list':
        code = await (await import('./commands/sessions-list')).run(args, io, log);
        break;
      case 'search':
        code = await (await import('./commands/search')).run(args, io, log);
        break;
      case 'export':
        code = await (await import('./commands/export')).run(args, io, log);
        break;
      case 'doctor':
        code = await (await import('./commands/doctor')).run(args, io, log);
        break;
    }
    log.debug('command done', {
      command: args.command,
      durationMs: Math.round(performance.now() - t0),
      exitCode: code,
    });
    return code;
  } catch (err) {
    log.debug('command failed', { command: args.command, err });
    return reportError(io, args.json, err, await newCid());
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const io = processIo();
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.exitCode = await usageFailure(io, argv, err);
      return;
    }
    throw err;
  }
  if (args.command === 'help') {
    if (args.topic === undefined) {
      io.stdout(OVERVIEW);
      return;
    }
    const text = COMMAND_HELP[args.topic];
    if (text === undefined) {
      process.exitCode = await usageFailure(
        io,
        argv,
        new UsageError(`no help for "${args.topic}": it is not a command`),
      );
      return;
    }
    io.stdout(text);
    return;
  }
  if (args.command === 'version') {
    io.stdout(`${APP_VERSION}\n`);
    return;
  }
  if (args.command !== 'serve') {
    process.exitCode = await runTool(args, io);
    return;
  }
  await runServe(args);
}

async function runServe(args: ServeArgs): Promise<void> {
  const { serve } = await import('./serve');
  type RunningServer = NonNullable<Awaited<ReturnType<typeof serve>>>;
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
