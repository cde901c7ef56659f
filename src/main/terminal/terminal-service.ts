// The terminal host: one pty for the open project, many subscribers (the window, bridge clients). Turns
// session callbacks into contract events and keeps flow control keyed by client.
import { randomUUID } from 'node:crypto';
import { PaigeError } from '../../shared/ipc/errors';
import { Emitter, type Event } from '../../shared/lifecycle';
import type { EventChannel, EventPayload, InvokeOutput } from '../../shared/ipc/contract';
import type { Logger } from '../logging/logger';
import { newCid, runWithContext } from '../logging/context';
import type { PtyBackend } from './pty-backend';
import { buildPtyEnv, findHookNode, resolveLaunch } from './launch';
import { TerminalSession, type PtyState, type SessionExit } from './terminal-session';
import type { NudgeOutcome } from './nudge-injector';

/** Size used when a client attaches without one it can measure yet. */
const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;
/** How many ended pty ids remember whether Paige ended them (for the SessionEnd hook). */
const ENDED_PTY_MEMORY = 64;

/** @visibleForTesting */
export interface TerminalSettings {
  command: string;
  args: readonly string[];
  scrollback: number;
  safetyMode: 'read_only' | 'standard';
}

interface TerminalServiceDeps {
  /** node-pty, or the reason it could not be loaded. */
  backend: PtyBackend | { error: string };
  emit: <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;
  logger: Logger;
  settings: () => TerminalSettings;
  projectDir: () => string | null;
  env: Readonly<Record<string, string | undefined>>;
  pluginDir: string;
  /** The MCP endpoint the plugin talks to; empty until the MCP server exists. */
  mcp?: () => { url: string; token: string };
  /** Channel delivery is on (adds Claude Code's development-channels flag). */
  channels?: () => boolean;
  /** Action log (`terminal_started`, `terminal_exited`). */
  record?: (type: 'terminal_started' | 'terminal_exited', data: Record<string, unknown>) => void;
  now?: () => number;
}

type AttachResult = InvokeOutput<'terminal:attach'>;

export class TerminalService {
  private current: TerminalSession | null = null;
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly endedAppInitiated = new Map<string, boolean>();
  private readonly exited: Emitter<{ ptyId: string; exit: SessionExit }>;
  /** A pty ended, whoever ended it. */
  readonly onDidExit: Event<{ ptyId: string; exit: SessionExit }>;
  private hookNode: string | null = null;
  private stopped = false;

  constructor(private readonly deps: TerminalServiceDeps) {
    this.exited = new Emitter({
      onListenerError: (err) => deps.logger.error('a terminal exit listener threw', { err }),
    });
    this.onDidExit = this.exited.event;
  }

  /** node-pty loaded (capabilities.pty). */
  get available(): boolean {
    return !('error' in this.deps.backend);
  }

  get state(): PtyState | 'none' {
    return this.current?.state ?? 'none';
  }

  get session(): TerminalSession | null {
    return this.current;
  }

  /** Epoch ms of the learner's last input to the current pty, or 0. */
  lastInputAt(): number {
    return this.current?.lastInputAt ?? 0;
  }

  /** Whether Paige ended (or is ending) this pty — a restart, a project switch or shutdown. */
  isAppInitiated(ptyId: string): boolean {
    return this.sessions.get(ptyId)?.isAppInitiated ?? this.endedAppInitiated.get(ptyId) ?? false;
  }

  /** Spawns on the first attach once a project is open; later attaches get the running pty's screen. */
  async attach(clientId: string, cols: number, rows: number): Promise<AttachResult> {
    const session = this.current ?? this.spawn(cols, rows);
    const { snapshot, seq } = await session.attach(clientId);
    const exit = session.exit;
    return {
      ptyId: session.ptyId,
      state: session.state,
      command: session.plan.command,
      fallback: session.plan.fallback,
      snapshot,
      seq,
      exit: exit ? { exitCode: exit.exitCode, signal: exit.signal } : null,
    };
  }

  input(ptyId: string, data: string): void {
    this.live(ptyId).write(data);
  }

  resize(ptyId: string, cols: number, rows: number): void {
    this.live(ptyId).resize(cols, rows);
  }

  ack(clientId: string, ptyId: string, chars: number): void {
    this.sessions.get(ptyId)?.ack(clientId, chars);
  }

  detach(clientId: string, ptyId: string): void {
    this.sessions.get(ptyId)?.detach(clientId);
  }

  /** A window or bridge socket went away: it no longer holds any pty back. */
  clientGone(clientId: string): void {
    for (const s of this.sessions.values()) s.detach(clientId);
  }

  /** Ends the current pty as app-initiated (SIGHUP, SIGKILL after 1 s) and starts a new one at once. */
  restart(cols?: number, rows?: number): { ptyId: string } {
    if (this.current) this.retire(this.current);
    return { ptyId: this.spawn(cols ?? DEFAULT_COLS, rows ?? DEFAULT_ROWS).ptyId };
  }

  /** The open project changed: a terminal that exists moves there: it restarts in the new folder. */
  projectChanged(projectDir: string | null): void {
    if (this.current === null || this.stopped) return;
    if (projectDir === null) {
      this.retire(this.current);
      return;
    }
    this.restart();
  }

  /** Types an observer nudge into the terminal when it is quiet (docs/terminal.md, nudge injection). */
  injectNudge(text: string): Promise<NudgeOutcome> {
    const s = this.current;
    if (!s || s.exit !== null) return Promise.resolve({ delivered: false, reason: 'no_terminal' });
    return s.injectNudge(text);
  }

  /** Shutdown step 3: every pty flagged app-initiated, drained briefly, hung up, killed after 1 s. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    this.current = null;
    await Promise.all([...this.sessions.values()].map((s) => s.shutdown()));
    this.dispose();
  }

  dispose(): void {
    this.stopped = true;
    this.current = null;
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.exited.dispose();
  }

  /** Stops being current; an exited session is dropped now, a live one once its exit arrives. */
  private retire(session: TerminalSession): void {
    if (this.current === session) this.current = null;
    if (session.exit !== null) {
      this.sessions.delete(session.ptyId);
      session.dispose();
      return;
    }
    void session.kill();
  }

  private live(ptyId: string): TerminalSession {
    const s = this.sessions.get(ptyId);
    if (!s) throw new PaigeError('NOT_FOUND', `No terminal ${ptyId}; attach again.`, { ptyId });
    return s;
  }

  private spawn(cols: number, rows: number): TerminalSession {
    if (this.stopped) throw new PaigeError('SHUTTING_DOWN', 'Paige is shutting down.');
    const backend = this.deps.backend;
    if ('error' in backend) {
      throw new PaigeError('NOT_SUPPORTED', `The terminal is unavailable: ${backend.error}.`);
    }
    const cwd = this.deps.projectDir();
    if (cwd === null) throw new PaigeError('INVALID_STATE', 'Open a project first; the terminal starts in its folder.');
    const settings = this.deps.settings();
    const plan = resolveLaunch(
      {
        command: settings.command,
        args: settings.args,
        safetyMode: settings.safetyMode,
        channels: this.deps.channels?.() ?? false,
        pluginDir: this.deps.pluginDir,
      },
      this.deps.env,
    );
    const ptyId = randomUUID();
    this.hookNode ??= findHookNode(this.deps.env);
    const mcp = this.deps.mcp?.() ?? { url: '', token: '' };
    const env = buildPtyEnv({
      parent: this.deps.env,
      mcpUrl: mcp.url,
      mcpToken: mcp.token,
      projectDir: cwd,
      ptyId,
      safetyMode: settings.safetyMode,
      nodePath: this.hookNode,
    });
    const log = this.deps.logger.child({ ptyId });
    const emitStatus = (state: PtyState): void =>
      this.deps.emit('terminal:status', { ptyId, state, fallback: plan.fallback, command: plan.command });
    // The pty outlives the invoke that started it: its output and logs get their own context, not the attach's cid.
    const session = runWithContext(
      { cid: newCid(), ptyId },
      () =>
        new TerminalSession({
          ptyId,
          backend,
          plan,
          cwd,
          env,
          cols: cols || DEFAULT_COLS,
          rows: rows || DEFAULT_ROWS,
          scrollback: settings.scrollback,
          ...(this.deps.now ? { now: this.deps.now } : {}),
          onData: (seq, data) => this.deps.emit('terminal:data', { ptyId, seq, data }),
          onState: (state) => {
            log.debug('terminal state', { state });
            emitStatus(state);
          },
          onExit: (exit) => {
            log.info('terminal exited', { ...exit });
            this.deps.emit('terminal:exit', {
              ptyId,
              exitCode: exit.exitCode,
              signal: exit.signal,
              appInitiated: exit.appInitiated,
            });
            this.rememberEnded(ptyId, exit.appInitiated);
            this.deps.record?.('terminal_exited', {
              pty_id: ptyId,
              exit_code: exit.exitCode,
              signal: exit.signal,
              app_initiated: exit.appInitiated,
            });
            if (this.current !== session) {
              this.sessions.delete(ptyId);
              session.dispose();
            }
            this.exited.fire({ ptyId, exit });
          },
        }),
    );
    this.sessions.set(ptyId, session);
    this.current = session;
    this.deps.record?.('terminal_started', { pty_id: ptyId, command: plan.command, fallback: plan.fallback });
    log.info('terminal started', { file: plan.file, args: plan.args, fallback: plan.fallback, cwd, pid: session.pid });
    return session;
  }

  private rememberEnded(ptyId: string, appInitiated: boolean): void {
    this.endedAppInitiated.set(ptyId, appInitiated);
    if (this.endedAppInitiated.size > ENDED_PTY_MEMORY) {
      const oldest = this.endedAppInitiated.keys().next().value;
      if (oldest !== undefined) this.endedAppInitiated.delete(oldest);
    }
  }
}
