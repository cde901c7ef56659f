// The embedded Chroma server: the `chroma run` CLI of the installed `chromadb` package, started as a child process of
// Paige (on Paige's own Node, or a node on PATH from the desktop app), bound to 127.0.0.1 on a free port with its data
// under {dataDir}/chroma. Start waits for the v2 heartbeat; stop sends SIGTERM and SIGKILL after 2 s (docs/memory.md).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logging/logger';
import { findOnPath } from '../health/capabilities';
import { heartbeat } from './chroma-http';

const HEARTBEAT_TIMEOUT_MS = 10_000;
/** In the server's data folder while it answers: `{pid, url}` (read by `paige status`). */
export const SERVER_FILE = 'server.json';
const HEARTBEAT_POLL_MS = 50;
const KILL_AFTER_MS = 2_000;
/**
 * The child's entry: a watchdog thread that ends the server when Paige is gone (the CLI's server blocks the main
 * thread, and a child outlives a crashed parent), then the chromadb CLI itself with the arguments after its path.
 */
const LAUNCHER = [
  "const { Worker } = require('node:worker_threads');",
  'const parent = process.ppid;',
  'new Worker(`setInterval(() => { if (process.ppid !== ${parent}) process.kill(process.pid, "SIGKILL"); }, 1000);`, { eval: true });',
  'import(require("node:url").pathToFileURL(process.argv[1]).href);',
].join('\n');
/** Output kept from the child for the log when it fails to start. */
const TAIL_CHARS = 2_000;

/** The native bindings package the chromadb CLI loads on this platform, or null where it ships none. */
function bindingPackage(): string | null {
  const arch = os.arch();
  switch (os.platform()) {
    case 'darwin':
      return arch === 'arm64' || arch === 'x64' ? `chromadb-js-bindings-darwin-${arch}` : null;
    case 'linux':
      return arch === 'arm64' || arch === 'x64' ? `chromadb-js-bindings-linux-${arch}-gnu` : null;
    case 'win32':
      return arch === 'arm64' ? 'chromadb-js-bindings-win32-arm64-msvc' : null;
    default:
      return null;
  }
}

type ChromaLocation = { ok: true; cli: string; node: string } | { ok: false; reason: string };

/**
 * Where the chromadb CLI is, when it can run here: the package is installed and so are the native bindings for this
 * platform. `bindingOverride` names another bindings package to look for (a test forcing the bindings to be missing).
 */
export function locateChroma(
  env: Readonly<Record<string, string | undefined>>,
  bindingOverride?: string,
): ChromaLocation {
  // The server runs in a Node process of its own: this one's binary when it is Node, else a node on PATH (a packaged
  // Electron app cannot run as Node, and Node cannot read inside app.asar: the package must be unpacked).
  const node = process.versions.electron ? findOnPath('node', env) : process.execPath;
  if (node === null) return { ok: false, reason: 'no Node.js on PATH to run the Chroma server' };
  const req = createRequire(__filename);
  let main: string;
  try {
    main = unpacked(req.resolve('chromadb'));
  } catch {
    return { ok: false, reason: 'the chromadb package is not installed' };
  }
  // The CommonJS entry is dist/cjs/chromadb.cjs; the CLI sits in dist/.
  const cli = path.join(path.dirname(path.dirname(main)), 'cli.mjs');
  if (!fs.existsSync(cli)) return { ok: false, reason: `the chromadb CLI is missing (${cli})` };
  const binding = bindingOverride ?? bindingPackage();
  if (binding === null)
    return { ok: false, reason: `chromadb ships no server bindings for ${os.platform()}-${os.arch()}` };
  try {
    createRequire(main).resolve(binding);
  } catch {
    return { ok: false, reason: `the chromadb bindings for this platform (${binding}) are not installed` };
  }
  return { ok: true, cli, node };
}

/** A path inside app.asar, as the unpacked copy electron-builder writes beside it (other processes cannot read asar). */
function unpacked(file: string): string {
  const marker = `${path.sep}app.asar${path.sep}`;
  return file.includes(marker) ? file.replace(marker, `${path.sep}app.asar.unpacked${path.sep}`) : file;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface RunnerOptions {
  cli: string;
  /** The Node binary that runs the CLI. */
  node: string;
  /** {dataDir}/chroma. */
  dataDir: string;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
}

export class ChromaRunner {
  private child: ChildProcess | null = null;
  private url: string | null = null;
  private readonly exitListeners = new Set<(code: number | null, signal: string | null) => void>();

  constructor(private readonly opts: RunnerOptions) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** True while the child runs. */
  get running(): boolean {
    return this.child !== null;
  }

  /** Called when the child exits without `stop()` (a crash or a kill from outside). */
  onUnexpectedExit(listener: (code: number | null, signal: string | null) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** The running server's URL, starting it first when needed; rejects when it does not answer within 10 s. */
  async ensure(): Promise<string> {
    const current = this.child;
    const currentUrl = this.url;
    if (current && currentUrl) {
      if (await heartbeat(currentUrl, 1_000)) return currentUrl;
      // Killed or hung, its exit maybe not seen yet: replace it.
      if (this.child === current) {
        this.child = null;
        this.url = null;
      }
      this.opts.logger.warn('chroma stopped answering; restarting it', { pid: current.pid });
      await this.kill(current);
    }
    fs.mkdirSync(this.opts.dataDir, { recursive: true, mode: 0o700 });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = [
      '-e',
      LAUNCHER,
      this.opts.cli,
      'run',
      '--path',
      this.opts.dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ];
    const child = spawn(this.opts.node, args, {
      env: { ...this.opts.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let tail = '';
    const keep = (d: Buffer): void => {
      tail = (tail + d.toString('utf8')).slice(-TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited: { code: number | null; signal: string | null } | null = null;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      if (this.child !== child) return;
      this.child = null;
      this.url = null;
      this.removeServerFile();
      this.opts.logger.warn('chroma exited', { pid: child.pid, code, signal, output: tail.slice(-500) });
      for (const l of this.exitListeners) l(code, signal);
    });
    child.on('error', (err) => {
      exited ??= { code: null, signal: null };
      this.opts.logger.warn('chroma could not be started', { err });
    });
    this.child = child;
    const deadline = Date.now() + HEARTBEAT_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exited !== null) break;
      if (await heartbeat(url, 1_000)) {
        this.url = url;
        this.opts.logger.info('chroma started', { pid: child.pid, url, dataDir: this.opts.dataDir });
        this.writeServerFile(child.pid ?? 0, url);
        return url;
      }
      await new Promise((r) => setTimeout(r, HEARTBEAT_POLL_MS));
    }
    const why = exited === null ? 'did not answer its heartbeat within 10 s' : 'exited while starting';
    if (this.child === child) this.child = null;
    await this.kill(child);
    throw new Error(`chroma ${why}: ${tail.trim().slice(-500)}`);
  }

  /** SIGTERM, then SIGKILL after 2 s; resolves once the child is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    this.url = null;
    this.removeServerFile();
    if (child) await this.kill(child);
  }

  /** `server.json` in the Chroma folder: where the running server is, for `paige status`. */
  private writeServerFile(pid: number, url: string): void {
    try {
      fs.writeFileSync(path.join(this.opts.dataDir, SERVER_FILE), JSON.stringify({ pid, url }), { mode: 0o600 });
    } catch (err) {
      this.opts.logger.debug('chroma server file not written', { err });
    }
  }

  private removeServerFile(): void {
    fs.rmSync(path.join(this.opts.dataDir, SERVER_FILE), { force: true });
  }

  private kill(child: ChildProcess): Promise<void> {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
