// AppCore: the composition root. Builds every service with constructor injection, starts them, and shuts them down
// in reverse order (docs/reliability.md). Runs unchanged in Electron main and in plain Node (`paige serve`).
import fs from 'node:fs';
import path from 'node:path';
import type { Capabilities, Health } from '../shared/ipc/contract';
import { PaigeError } from '../shared/ipc/errors';
import type { SettingsPatch } from '../shared/settings/schema';
import { LogLevelSchema } from '../shared/settings/schema';
import { ensureDataDir, resolveDataDir } from './config/data-dir';
import { SettingsService } from './config/settings-service';
import { PaigeDatabase } from './db/database';
import { LATEST_SCHEMA_VERSION } from './db/migrate';
import { writeFileAtomic } from './fs/atomic-write';
import { detectCapabilities } from './health/capabilities';
import { InvokeMetrics } from './health/invoke-metrics';
import { EventHub } from './ipc/event-hub';
import { createHandlers } from './ipc/handlers';
import { IpcRouter } from './ipc/router';
import { InstanceLock } from './lifecycle/instance-lock';
import { currentCid, newCid, runWithContext } from './logging/context';
import { DailyFileSink, Logger, stderrSink, type LogSink } from './logging/logger';
import { ProjectService } from './projects/project-service';
import { SessionService } from './sessions/session-service';
import { TerminalService } from './terminal/terminal-service';
import { loadNodePty } from './terminal/pty-backend';
import { resolvePluginDir } from './terminal/plugin-dir';
import { ActionLogWriter } from './activity/action-log-writer';
import { ActivityBus } from './activity/activity-bus';
import { WorkspaceService } from './fs/workspace-service';
import { SearchService } from './search/search-service';
import { McpService } from './mcp/mcp-service';
import type { CommandValidator } from './safety/command-validation';
import type { SessionStateReader } from './sessions/session-state';

/** Electron-specific abilities, injected so the backend never imports Electron. */
export interface PlatformAdapter {
  readonly kind: 'electron' | 'node';
  pickFolder(): Promise<string | null>;
  openExternal(url: string): Promise<boolean>;
}

export const headlessPlatform: PlatformAdapter = {
  kind: 'node',
  pickFolder: () => Promise.resolve(null),
  // The browser renderer opens the URL itself (app:open_external answers opened: false).
  openExternal: () => Promise.resolve(false),
};

export interface AppCoreOptions {
  appVersion: string;
  env?: Record<string, string | undefined>;
  flags?: { dataDir?: string; projectDir?: string; logLevel?: string; settings?: SettingsPatch };
  platform: PlatformAdapter;
  sqliteNativeBinding?: string;
  /** `--no-terminal`: no pty is ever started. */
  noTerminal?: boolean;
  /** Replaces stderr + daily file (tests). */
  logSinks?: LogSink[];
  /** Validate handler output and event payloads against the contract (on by default outside packaged builds). */
  validateOutput?: boolean;
  now?: () => Date;
}

/** A transport (bridge, Electron IPC, later MCP) that AppCore stops first and closes during shutdown. */
export interface RegisteredTransport {
  stopAccepting(): void;
  close(): Promise<void>;
  readonly connections?: () => { active: number; total: number };
}

/** What handlers see: services plus a few derived views. */
export interface AppServices {
  appVersion: string;
  platform: PlatformAdapter;
  settings: SettingsService;
  sessions: SessionService;
  projects: ProjectService;
  capabilities(): Capabilities;
  health(): Health;
  // --- workspace services ---
  workspace: WorkspaceService;
  search: SearchService;
  // --- end workspace services ---
  // --- terminal services ---
  terminal: TerminalService;
  // --- end terminal services ---
  // --- mcp services ---
  validateCommand: CommandValidator;
  /** Fans UI effects out to every window and bridge client (e.g. `coaching:clear` after a dismiss). */
  events: EventHub;
  /** The active plan with phases, tasks and hints for `session:snapshot`. */
  sessionState: SessionStateReader;
  // --- end mcp services ---
}

/** Total time shutdown may take before remaining steps are skipped. */
const SHUTDOWN_DEADLINE_MS = 5_000;

export class AppCore {
  readonly router: IpcRouter;
  readonly events: EventHub;
  readonly settings: SettingsService;
  readonly sessions: SessionService;
  readonly projects: ProjectService;
  // --- workspace members ---
  readonly actionLog: ActionLogWriter;
  readonly activity: ActivityBus;
  readonly workspace: WorkspaceService;
  readonly search: SearchService;
  // --- end workspace members ---
  // --- terminal members ---
  readonly terminal: TerminalService;
  // --- end terminal members ---
  // --- mcp members ---
  readonly mcp: McpService;
  // --- end mcp members ---
  readonly dataDir: string;
  private readonly transports: { name: string; t: RegisteredTransport }[] = [];
  private readonly disposers: (() => void)[] = [];
  private readonly serviceShutdowns: { name: string; fn: () => void | Promise<void> }[] = [];
  private shutdownPromise: Promise<number> | null = null;
  private readonly metrics = new InvokeMetrics();
  private readonly startedAt = performance.now();
  private caps: Capabilities;

  private constructor(
    private readonly opts: AppCoreOptions,
    readonly logger: Logger,
    private readonly fileSink: DailyFileSink | null,
    private readonly lock: InstanceLock,
    readonly db: PaigeDatabase,
    settings: SettingsService,
    private readonly env: Record<string, string | undefined>,
    dataDir: string,
  ) {
    this.dataDir = dataDir;
    this.settings = settings;
    const now = opts.now ?? (() => new Date());
    const validate = opts.validateOutput ?? true;
    this.events = new EventHub(logger.child({ component: 'events' }), validate);
    this.sessions = new SessionService(db, logger.child({ component: 'sessions' }), now);
    this.projects = new ProjectService(db, now);
    this.caps = detectCapabilities(env, settings.values.terminal.command);
    // --- workspace construction ---
    this.actionLog = new ActionLogWriter(db, logger.child({ component: 'action-log' }));
    this.activity = new ActivityBus(
      this.actionLog,
      () => this.sessions.getActive()?.id ?? null,
      logger.child({ component: 'activity' }),
      now,
    );
    this.workspace = new WorkspaceService({
      activity: this.activity,
      logger: logger.child({ component: 'workspace' }),
      events: {
        treeUpdate: (changes) => this.events.emit('fs:tree_update', { changes }),
        externalChange: (change) => this.events.emit('buffer:external_change', change),
      },
      extraIgnores: () => settings.values.fs.extraIgnores,
      now,
    });
    this.search = new SearchService(db);
    this.disposers.push(
      this.projects.onDidChangeProject((dir) => {
        this.workspace.setProject(dir).catch((err: unknown) => logger.error('workspace switch failed', { err }));
      }),
    );
    // Registered first so it runs last: the final buffer summaries and every other service's actions get flushed.
    this.registerShutdown('action-log writer', () => this.actionLog.close());
    this.registerShutdown('workspace watcher and buffer summaries', () => this.workspace.shutdown());
    // --- end workspace construction ---
    // --- terminal construction ---
    const pty = opts.noTerminal ? { ok: false as const, error: 'it was turned off with --no-terminal' } : loadNodePty();
    if (!pty.ok) logger.warn('the terminal is disabled', { reason: pty.error });
    this.caps = { ...this.caps, pty: pty.ok };
    this.terminal = new TerminalService({
      backend: pty.ok ? pty.backend : { error: pty.error },
      emit: (channel, payload) => this.events.emit(channel, payload),
      logger: logger.child({ component: 'terminal' }),
      settings: () => ({ ...settings.values.terminal, safetyMode: settings.values.safety.mode }),
      projectDir: () => this.projects.projectDir,
      env,
      pluginDir: resolvePluginDir({
        from: __dirname,
        resourcesPath: (process as { resourcesPath?: string }).resourcesPath,
      }),
      // Read at spawn time: the MCP server is built below and listens asynchronously; empty until it does.
      mcp: () => {
        const c = this.mcp.connection();
        return c ? { url: c.url, token: c.token } : { url: '', token: '' };
      },
      record: (type, data) => this.activity.recordIfActive(type, data),
    });
    this.disposers.push(
      this.projects.onDidChangeProject((dir) => this.terminal.projectChanged(dir)),
      this.events.onClientClosed((clientId) => this.terminal.clientGone(clientId)),
    );
    this.registerShutdown('terminal', () => this.terminal.shutdown());
    // --- end terminal construction ---
    // --- mcp construction ---
    this.mcp = new McpService({
      appVersion: opts.appVersion,
      db,
      sessions: this.sessions,
      projects: this.projects,
      settings,
      events: this.events,
      logger: logger.child({ component: 'mcp' }),
      workspace: this.workspace,
      record: (type, data) => this.activity.recordIfActive(type, data),
      recordFor: (sessionId, type, data) =>
        this.actionLog.enqueue({
          sessionId,
          actionType: type,
          data,
          correlationId: currentCid() ?? null,
          createdAt: now().toISOString(),
        }),
      isPtyDetaching: (ptyId) => this.shuttingDown || this.terminal.isAppInitiated(ptyId),
      now,
    });
    this.mcp
      .start(settings.values.mcp.port)
      .then(() => {
        const c = this.mcp.connection();
        if (c && !this.shuttingDown) this.writeRuntimeInfo({ mcpUrl: c.url, mcpToken: c.token, mcpPort: c.port });
      })
      .catch((err: unknown) => {
        this.events.emit(
          'app:error',
          {
            code: 'INTERNAL',
            message:
              `The MCP server could not listen on port ${settings.values.mcp.port} (${(err as Error).message}); ` +
              'Claude Code cannot reach Paige. Pick another port in Settings → MCP, or 0 for any free port.',
          },
          { sticky: true },
        );
      });
    this.registerTransport('mcp', {
      stopAccepting: () => this.mcp.stopAccepting(),
      close: () => this.mcp.close(),
      connections: () => this.mcp.connectionCounts(),
    });
    // Runs before the action-log writer closes (registered earlier, stops later), so wrap-up rows and actions land.
    this.registerShutdown('session wrap-ups', () => this.mcp.wrapUp.drain());
    // --- end mcp construction ---
    const services: AppServices = {
      appVersion: opts.appVersion,
      platform: opts.platform,
      settings,
      sessions: this.sessions,
      projects: this.projects,
      capabilities: () => this.caps,
      health: () => this.health(),
      // --- workspace services (wiring) ---
      workspace: this.workspace,
      search: this.search,
      // --- end workspace services (wiring) ---
      // --- terminal services (wiring) ---
      terminal: this.terminal,
      // --- end terminal services (wiring) ---
      // --- mcp services (wiring) ---
      validateCommand: this.mcp.validateCommand,
      events: this.events,
      sessionState: this.mcp.state,
      // --- end mcp services (wiring) ---
    };
    this.router = new IpcRouter(createHandlers(services), logger.child({ component: 'ipc' }), this.metrics, validate);
    this.disposers.push(
      settings.onDidChange((change) => this.events.emit('settings:changed', change)),
      this.projects.onDidChangeProject((projectDir) => this.events.emit('project:changed', { projectDir })),
    );
  }

  /**
   * Starts the backend. Fatal problems (another instance, a database from a newer Paige, a missing --project) throw
   * a PaigeError; everything else degrades and is reported as `app:error`.
   */
  static start(opts: AppCoreOptions): Promise<AppCore> {
    return Promise.resolve().then(() => AppCore.startSync(opts));
  }

  private static startSync(opts: AppCoreOptions): AppCore {
    const env = opts.env ?? { ...process.env };
    const dataDir = resolveDataDir(opts.flags?.dataDir, env);
    ensureDataDir(dataDir);

    const levelFlag = LogLevelSchema.safeParse(opts.flags?.logLevel);
    const fileSink = opts.logSinks ? null : new DailyFileSink(path.join(dataDir, 'logs'));
    const sinks = opts.logSinks ?? [stderrSink, fileSink as DailyFileSink];
    const logger = new Logger(sinks, levelFlag.success ? levelFlag.data : 'info', { component: 'app' });
    logger.info('starting', { appVersion: opts.appVersion, runtime: opts.platform.kind, dataDir, pid: process.pid });

    const lock = InstanceLock.acquire(dataDir);
    let db: PaigeDatabase | null = null;
    try {
      const flagSettings: SettingsPatch = { ...(opts.flags?.settings ?? {}) };
      if (opts.flags?.projectDir !== undefined) flagSettings.projectDir = opts.flags.projectDir;
      if (levelFlag.success) flagSettings.logging = { ...flagSettings.logging, level: levelFlag.data };
      const settings = new SettingsService({
        dataDir,
        env,
        flags: flagSettings,
        logger: logger.child({ component: 'settings' }),
        ...(opts.now ? { now: opts.now } : {}),
      });
      logger.setLevel(settings.values.logging.level);

      const dbFile = path.join(dataDir, 'paige.db');
      db = PaigeDatabase.open(dbFile, { nativeBinding: opts.sqliteNativeBinding });
      if (lock.previousRunUnclean) {
        const check = db.quickCheck();
        logger.warn('previous run did not shut down cleanly; database checked', { quickCheck: check });
        if (check !== 'ok') {
          throw new PaigeError(
            'INTERNAL',
            `The database failed its integrity check (${check}). Start with --reset-db to move it aside and begin empty.`,
          );
        }
      }
      lock.markDirty();

      const core = new AppCore(opts, logger, fileSink, lock, db, settings, env, dataDir);
      core.sessions.recoverAfterCrash(settings.values.session.orphanAfterMs);
      for (const p of settings.problems) {
        // A stable cid per problem lets a reconnecting renderer recognise a replayed error it already showed.
        runWithContext({ cid: newCid() }, () =>
          core.events.emit('app:error', { code: p.code, message: p.message, context: p.context }, { sticky: true }),
        );
      }
      const projectDir = settings.values.projectDir ?? core.projects.lastOpened();
      if (projectDir !== null) {
        try {
          core.projects.open(projectDir);
        } catch (err) {
          // A project named on the command line or env must exist; a remembered one may have moved.
          if (settings.view().overrides.projectDir) throw err;
          logger.warn('last project is gone; showing the landing page', { projectDir });
        }
      }
      core.writeRuntimeInfo({});
      logger.info('ready', { schemaVersion: db.schemaVersion, projectDir: core.projects.projectDir });
      return core;
    } catch (err) {
      db?.close();
      lock.release();
      fileSink?.close();
      throw err;
    }
  }

  /**
   * Registers a service's shutdown; services stop in reverse registration order after the transports close and
   * before the database closes (docs/reliability.md, shutdown).
   */
  registerShutdown(name: string, fn: () => void | Promise<void>): void {
    this.serviceShutdowns.push({ name, fn });
  }

  registerTransport(name: string, t: RegisteredTransport): void {
    this.transports.push({ name, t });
  }

  get shuttingDown(): boolean {
    return this.shutdownPromise !== null;
  }

  /** Runtime info for the CLI (`{dataDir}/runtime.json`, 0600); deleted on clean shutdown. */
  writeRuntimeInfo(extra: Record<string, unknown>): void {
    const file = path.join(this.dataDir, 'runtime.json');
    let current: Record<string, unknown> = {};
    try {
      current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (current.pid !== process.pid) current = {};
    } catch {
      // First write of this run.
    }
    const next = { ...current, pid: process.pid, appVersion: this.opts.appVersion, ...extra };
    writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n', 0o600);
  }

  health(): Health {
    const bridge = this.transports.find((x) => x.name === 'bridge')?.t.connections?.() ?? { active: 0, total: 0 };
    const dbOk = this.db.isOpen;
    return {
      status: this.shuttingDown ? 'shutting_down' : dbOk ? 'ok' : 'degraded',
      appVersion: this.opts.appVersion,
      runtime: this.opts.platform.kind,
      uptimeS: Math.round(process.uptime()),
      startupMs: Math.round(this.startedAt),
      db: {
        ok: dbOk,
        path: this.db.file,
        schemaVersion: dbOk ? this.db.schemaVersion : LATEST_SCHEMA_VERSION,
        sizeBytes: this.db.sizeBytes(),
      },
      mcp: this.mcp.connectionCounts(),
      bridge,
      invokes: this.metrics.snapshot(),
      pty: { state: this.terminal.state },
      memory: { backend: this.caps.memory },
      llm: { state: this.caps.llm },
    };
  }

  /**
   * Reverse-order shutdown within 5 s; resolves with the exit code (0 clean, 1 when the deadline passed or a step
   * failed). Idempotent: later callers get the same promise.
   */
  shutdown(reason: string): Promise<number> {
    this.shutdownPromise ??= this.runShutdown(reason);
    return this.shutdownPromise;
  }

  private async runShutdown(reason: string): Promise<number> {
    const log = this.logger.child({ component: 'shutdown' });
    const started = performance.now();
    log.info('shutdown: begin', { reason });
    let failed = false;
    let timedOut = false;
    const deadline = new Promise<'timeout'>((resolve) => {
      const t = setTimeout(() => resolve('timeout'), SHUTDOWN_DEADLINE_MS);
      t.unref();
    });
    const step = async (name: string, fn: () => void | Promise<void>): Promise<void> => {
      if (timedOut) {
        log.warn(`shutdown: skipped ${name} (deadline passed)`);
        return;
      }
      const t0 = performance.now();
      try {
        const r = await Promise.race([Promise.resolve().then(fn), deadline]);
        if (r === 'timeout') {
          timedOut = true;
          log.fatal(`shutdown: ${name} did not finish before the 5 s deadline`);
          return;
        }
        log.info(`shutdown: ${name}`, { durationMs: Math.round(performance.now() - t0) });
      } catch (err) {
        failed = true;
        log.error(`shutdown: ${name} failed`, { err });
      }
    };

    await step('stop accepting requests', () => {
      this.router.stopAccepting();
      for (const { t } of this.transports) t.stopAccepting();
    });
    await step('close transports', async () => {
      for (const { t } of [...this.transports].reverse()) await t.close();
    });
    for (const svc of [...this.serviceShutdowns].reverse()) await step(`stop ${svc.name}`, svc.fn);
    await step('release subscriptions', () => {
      for (const d of this.disposers.reverse()) d();
      this.events.dispose();
    });
    await step('checkpoint and close database', () => this.db.close());
    await step('remove runtime.json and lock', () => {
      fs.rmSync(path.join(this.dataDir, 'runtime.json'), { force: true });
      this.lock.release();
    });
    const code = failed || timedOut ? 1 : 0;
    log.info('shutdown: complete', { exitCode: code, durationMs: Math.round(performance.now() - started) });
    this.fileSink?.close();
    return code;
  }
}
