// AppCore: the composition root. The constructor only records what to build; `start()` brings up the core (data dir,
// logger, lock, settings, database) and then the feature modules in order, writing runtime.json last; a failure at
// any step stops everything already started. `shutdown()` stops in reverse. Runs unchanged in Electron main and in
// plain Node (`paige serve`). docs/architecture.md describes the modules and the order.
import fs from 'node:fs';
import path from 'node:path';
import {
  invokeChannels,
  PROTOCOL_VERSION,
  type Capabilities,
  type Health,
  type InvokeChannel,
} from '../shared/ipc/contract';
import { PaigeError } from '../shared/ipc/errors';
import { DisposableStore } from '../shared/lifecycle';
import type { SettingKey, SettingsPatch, SettingsView } from '../shared/settings/schema';
import { LogLevelSchema } from '../shared/settings/schema';
import { paigeModules } from './app-modules';
import { ensureDataDir, resolveDataDir } from './config/data-dir';
import { SettingsService } from './config/settings-service';
import { PaigeDatabase } from './db/database';
import { LATEST_SCHEMA_VERSION } from './db/migrate';
import { writeFileAtomic } from './fs/atomic-write';
import { detectCapabilities } from './health/capabilities';
import { InvokeMetrics } from './health/invoke-metrics';
import { EventHub } from './ipc/event-hub';
import { IpcRouter, type HandlerMap, type InvokeHandler } from './ipc/router';
import { InstanceLock } from './lifecycle/instance-lock';
import { newCid, runWithContext } from './logging/context';
import { DailyFileSink, Logger, stderrSink, type LogSink } from './logging/logger';
import type { PaigeTool } from './mcp/tool-kit';
import type {
  ConnectionCounts,
  FeatureFlags,
  FeatureModule,
  ModuleContext,
  ModuleContribution,
  PlatformAdapter,
  ServiceKey,
  ServiceMap,
} from './modules/feature-module';

export type { PlatformAdapter } from './modules/feature-module';

export const headlessPlatform: PlatformAdapter = {
  kind: 'node',
  pickFolder: () => Promise.resolve(null),
  // The browser renderer opens the URL itself.
  openExternal: () => Promise.resolve(false),
};

/**
 * Named steps of `start()`. `module:<id>` is the step after that module started (its server listening, its watcher
 * running). Tests name one in `failAt` to check that a failure there leaves nothing behind.
 */
export type StartStep = 'data-dir' | 'lock' | 'settings' | 'database' | `module:${string}` | 'runtime-info';

/** @visibleForTesting */
export interface AppCoreOptions {
  appVersion: string;
  env?: Record<string, string | undefined>;
  flags?: { dataDir?: string; projectDir?: string; logLevel?: string; settings?: SettingsPatch };
  platform: PlatformAdapter;
  sqliteNativeBinding?: string;
  /** The feature modules, in order; defaults to every module of the desktop app. */
  modules?: readonly FeatureModule[];
  /** `--no-terminal` for the default module list. */
  noTerminal?: boolean;
  /** Replaces stderr + daily file (tests). */
  logSinks?: LogSink[];
  /** Validate handler output and event payloads against the contract (on by default outside packaged builds). */
  validateOutput?: boolean;
  now?: () => Date;
  /** Test hook: throw right after this start-up step. */
  failAt?: StartStep;
}

/** A transport attached after start-up (a test's bridge) that AppCore stops first and closes during shutdown. */
interface RegisteredTransport {
  stopAccepting(): void;
  close(): Promise<void>;
  readonly connections?: () => ConnectionCounts;
}

/** Total time shutdown may take before remaining steps are skipped. */
const SHUTDOWN_DEADLINE_MS = 5_000;

/** Settings the core itself reads (the rest are declared by the modules that read them). */
const CORE_SETTINGS: readonly SettingKey[] = ['logging.level'];

const NO_FLAGS: FeatureFlags = { observer: false, practice: false, chat: false, localTests: false };

interface Started {
  logger: Logger;
  fileSink: DailyFileSink | null;
  lock: InstanceLock;
  settings: SettingsService;
  db: PaigeDatabase;
  events: EventHub;
  router: IpcRouter;
  dataDir: string;
}

interface ModuleEntry {
  module: FeatureModule;
  contribution: ModuleContribution;
  started: boolean;
}

export class AppCore {
  private core: Started | null = null;
  private readonly entries: ModuleEntry[] = [];
  private readonly services = new Map<ServiceKey, unknown>();
  private readonly store = new DisposableStore();
  private readonly transports: { name: string; t: RegisteredTransport }[] = [];
  private readonly metrics = new InvokeMetrics();
  private readonly startedAt = performance.now();
  private readonly env: Record<string, string | undefined>;
  private readonly now: () => Date;
  private allTools: readonly PaigeTool[] = [];
  private baseCaps: Capabilities | null = null;
  private lastCapsJson = '';
  private startPromise: Promise<void> | null = null;
  private shutdownPromise: Promise<number> | null = null;
  private runtimeFileWritten = false;

  constructor(private readonly opts: AppCoreOptions) {
    this.env = opts.env ?? { ...process.env };
    this.now = opts.now ?? (() => new Date());
  }

  /** Builds and starts a core; a start-up failure has already released everything when this rejects. */
  static async start(opts: AppCoreOptions): Promise<AppCore> {
    const core = new AppCore(opts);
    await core.start();
    return core;
  }

  // --- what the rest of the app reads once started ---

  private get started(): Started {
    if (!this.core) throw new Error('AppCore is not started');
    return this.core;
  }

  get logger(): Logger {
    return this.started.logger;
  }

  get settings(): SettingsService {
    return this.started.settings;
  }

  get db(): PaigeDatabase {
    return this.started.db;
  }

  get events(): EventHub {
    return this.started.events;
  }

  get router(): IpcRouter {
    return this.started.router;
  }

  get dataDir(): string {
    return this.started.dataDir;
  }

  /** A service a module provides; throws when no present module provides it. */
  get<K extends ServiceKey>(key: K): ServiceMap[K] {
    if (!this.services.has(key)) throw new Error(`no module provides "${key}"`);
    return this.services.get(key) as ServiceMap[K];
  }

  find<K extends ServiceKey>(key: K): ServiceMap[K] | undefined {
    return this.services.get(key) as ServiceMap[K] | undefined;
  }

  /** Ids of the modules present, in order. */
  get moduleIds(): string[] {
    return this.entries.map((e) => e.module.id);
  }

  get shuttingDown(): boolean {
    return this.shutdownPromise !== null;
  }

  // --- start-up ---

  start(): Promise<void> {
    this.startPromise ??= this.runStart();
    return this.startPromise;
  }

  private checkpoint(step: StartStep): void {
    if (this.opts.failAt === step) {
      throw new PaigeError('INTERNAL', `Start-up failed at step "${step}" (injected by a test).`);
    }
  }

  private async runStart(): Promise<void> {
    const opts = this.opts;
    const dataDir = resolveDataDir(opts.flags?.dataDir, this.env);
    ensureDataDir(dataDir);
    this.checkpoint('data-dir');

    const levelFlag = LogLevelSchema.safeParse(opts.flags?.logLevel);
    const fileSink = opts.logSinks ? null : new DailyFileSink(path.join(dataDir, 'logs'));
    const sinks = opts.logSinks ?? [stderrSink, fileSink as DailyFileSink];
    const logger = new Logger(sinks, levelFlag.success ? levelFlag.data : 'info', { component: 'app' });
    logger.info('starting', { appVersion: opts.appVersion, runtime: opts.platform.kind, dataDir, pid: process.pid });

    let lock: InstanceLock | null = null;
    let db: PaigeDatabase | null = null;
    try {
      lock = InstanceLock.acquire(dataDir);
      this.checkpoint('lock');

      const flagSettings: SettingsPatch = { ...(opts.flags?.settings ?? {}) };
      if (opts.flags?.projectDir !== undefined) flagSettings.projectDir = opts.flags.projectDir;
      if (levelFlag.success) flagSettings.logging = { ...flagSettings.logging, level: levelFlag.data };
      const settings = new SettingsService({
        dataDir,
        env: this.env,
        flags: flagSettings,
        logger: logger.child({ component: 'settings' }),
        ...(opts.now ? { now: opts.now } : {}),
      });
      logger.setLevel(settings.values.logging.level);
      this.checkpoint('settings');

      db = PaigeDatabase.open(path.join(dataDir, 'paige.db'), { nativeBinding: opts.sqliteNativeBinding });
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
      this.checkpoint('database');

      const validate = opts.validateOutput ?? true;
      const events = this.store.add(new EventHub(logger.child({ component: 'events' }), validate));
      const partial = { logger, fileSink, lock, settings, db, events, dataDir };
      this.setupModules(partial, validate);

      for (const p of settings.problems) {
        // A stable cid per problem lets a reconnecting renderer recognise a replayed error it already showed.
        runWithContext({ cid: newCid() }, () =>
          events.emit('app:error', { code: p.code, message: p.message, context: p.context }, { sticky: true }),
        );
      }
      this.store.add(settings.onDidChange((change) => events.emit('settings:changed', change)));
      this.store.add(settings.onDidChange(() => this.capabilitiesChanged()));

      for (const entry of this.entries) {
        const t0 = performance.now();
        entry.started = true;
        await entry.contribution.start?.();
        if (this.shuttingDown) throw new PaigeError('SHUTTING_DOWN', 'Paige was asked to stop while starting.');
        logger.debug('module started', { module: entry.module.id, durationMs: Math.round(performance.now() - t0) });
        this.checkpoint(`module:${entry.module.id}`);
      }

      this.writeRuntimeInfo();
      this.checkpoint('runtime-info');
      this.capabilitiesChanged();
      logger.info('ready', {
        schemaVersion: db.schemaVersion,
        projectDir: this.find('projects')?.projectDir ?? null,
        modules: this.moduleIds,
      });
    } catch (err) {
      logger.error('start-up failed; stopping what started', { err });
      await this.rollback(logger, lock, db);
      fileSink?.close();
      throw err;
    }
  }

  /** Builds every module (no I/O), then the router over their handlers. */
  private setupModules(partial: Omit<Started, 'router'>, validate: boolean): void {
    const modules = this.opts.modules ?? paigeModules({ noTerminal: this.opts.noTerminal === true });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context's getters read the live core
    const app = this;
    for (const module of modules) {
      const logger = partial.logger.child({ component: module.id });
      const ctx: ModuleContext = {
        appVersion: this.opts.appVersion,
        platform: this.opts.platform,
        env: this.env,
        dataDir: partial.dataDir,
        settings: partial.settings,
        db: partial.db,
        events: partial.events,
        validateOutput: validate,
        now: this.now,
        get shuttingDown() {
          return app.shuttingDown;
        },
        get router() {
          return app.router;
        },
        logger,
        store: this.store,
        get: (key) => this.get(key),
        find: (key) => this.find(key),
        provide: (key, service) => {
          if (this.services.has(key)) throw new Error(`"${key}" is provided twice (by ${module.id})`);
          this.services.set(key, service);
        },
        tools: () => this.allTools,
        capabilitiesChanged: () => this.capabilitiesChanged(),
      };
      this.entries.push({ module, contribution: module.setup(ctx), started: false });
    }
    this.allTools = this.entries.flatMap((e) => e.contribution.tools ?? []);
    const router = new IpcRouter(this.handlers(), partial.logger.child({ component: 'ipc' }), this.metrics, validate);
    this.core = { ...partial, router };
  }

  /** Channels the core or a present module serves (the rest answer NOT_SUPPORTED). */
  servedChannels(): InvokeChannel[] {
    const own = Object.keys(this.coreHandlers()) as InvokeChannel[];
    return [...own, ...this.entries.flatMap((e) => Object.keys(e.contribution.handlers ?? {}) as InvokeChannel[])];
  }

  /** The core's own handlers plus every module's; a channel no present module serves answers NOT_SUPPORTED. */
  private handlers(): HandlerMap {
    const merged: Partial<Record<InvokeChannel, InvokeHandler<InvokeChannel>>> = {};
    const add = (owner: string, handlers: Partial<HandlerMap>): void => {
      for (const [channel, handler] of Object.entries(handlers) as [InvokeChannel, InvokeHandler<InvokeChannel>][]) {
        if (merged[channel]) throw new Error(`"${channel}" is handled twice (again by ${owner})`);
        merged[channel] = handler;
      }
    };
    add('core', this.coreHandlers());
    for (const e of this.entries) add(e.module.id, e.contribution.handlers ?? {});
    for (const channel of Object.keys(invokeChannels) as InvokeChannel[]) {
      merged[channel] ??= () => {
        throw new PaigeError('NOT_SUPPORTED', `"${channel}" is not available: the feature behind it is not present.`);
      };
    }
    return merged as HandlerMap;
  }

  private coreHandlers(): Partial<HandlerMap> {
    return {
      'connection:hello': () => {
        const session = this.find('sessions')?.getActive() ?? null;
        return {
          appVersion: this.opts.appVersion,
          protocolVersion: PROTOCOL_VERSION,
          projectDir: this.find('projects')?.projectDir ?? null,
          session,
          capabilities: this.capabilities(),
          featureFlags: this.featureFlags(),
          hintLevel: session?.hintLevel ?? this.settings.values.hints.defaultLevel,
        };
      },
      'app:health': () => this.health(),
      'app:open_external': async ({ url }) => {
        const opened = await this.opts.platform.openExternal(url);
        return opened ? { opened } : { opened, url };
      },
      'settings:get': () => this.settingsView(),
      'settings:update': ({ patch }) => {
        this.settings.update(patch);
        return this.settingsView();
      },
      'settings:reset': (input) => {
        if (input?.keys?.some((k) => k === 'dataDir')) {
          throw new PaigeError('VALIDATION_FAILED', 'dataDir is set only by PAIGE_DATA_DIR or --data-dir.');
        }
        this.settings.reset(input?.keys);
        return this.settingsView();
      },
    };
  }

  /** The settings view plus which settings a present module reads: the UI shows only those. */
  private settingsView(): SettingsView {
    const used = new Set<SettingKey>(CORE_SETTINGS);
    for (const e of this.entries) for (const k of e.contribution.settings ?? []) used.add(k);
    const view = this.settings.view();
    // The model layer also knows a key stored in the OS keychain; only presence and source reach the renderer.
    const keys = this.find('llm')?.keys.view();
    const apiKey = keys ? { present: keys.present, source: keys.source } : view.apiKey;
    return { ...view, apiKey, activeKeys: [...used] };
  }

  // --- live state ---

  capabilities(): Capabilities {
    this.baseCaps ??= detectCapabilities(this.env);
    let caps: Capabilities = this.baseCaps;
    for (const e of this.entries) {
      const part = e.contribution.capabilities?.();
      if (part) caps = { ...caps, ...part };
    }
    return caps;
  }

  featureFlags(): FeatureFlags {
    let flags = NO_FLAGS;
    for (const e of this.entries) {
      const part = e.contribution.featureFlags?.();
      if (part) flags = { ...flags, ...part };
    }
    return flags;
  }

  /** Recomputes the capabilities and emits `app:capabilities` when they differ from what was last sent. */
  private capabilitiesChanged(): void {
    if (!this.core || this.shuttingDown) return;
    const caps = this.capabilities();
    const json = JSON.stringify(caps);
    if (json === this.lastCapsJson) return;
    const first = this.lastCapsJson === '';
    this.lastCapsJson = json;
    // The first computation is what connection:hello reports; only changes after it are news.
    if (!first) this.events.emit('app:capabilities', caps);
  }

  private connectionsOf(id: string): ConnectionCounts {
    const entry = this.entries.find((e) => e.module.id === id);
    if (entry?.contribution.connections) return entry.contribution.connections();
    return this.transports.find((x) => x.name === id)?.t.connections?.() ?? { active: 0, total: 0 };
  }

  health(): Health {
    const db = this.db;
    const dbOk = db.isOpen;
    const caps = this.capabilities();
    let parts: Partial<Pick<Health, 'pty' | 'memory' | 'llm'>> = {};
    for (const e of this.entries) parts = { ...parts, ...e.contribution.health?.() };
    return {
      status: this.shuttingDown ? 'shutting_down' : dbOk ? 'ok' : 'degraded',
      appVersion: this.opts.appVersion,
      runtime: this.opts.platform.kind,
      uptimeS: Math.round(process.uptime()),
      startupMs: Math.round(this.startedAt),
      db: {
        ok: dbOk,
        path: db.file,
        schemaVersion: dbOk ? db.schemaVersion : LATEST_SCHEMA_VERSION,
        sizeBytes: db.sizeBytes(),
      },
      mcp: this.connectionsOf('mcp'),
      bridge: this.connectionsOf('bridge'),
      invokes: this.metrics.snapshot(),
      pty: parts.pty ?? { state: 'none' },
      memory: parts.memory ?? { backend: caps.memory },
      llm: parts.llm ?? { state: caps.llm },
    };
  }

  /** Attaches a transport created after start-up; it is stopped first and closed during shutdown. */
  registerTransport(name: string, t: RegisteredTransport): void {
    this.transports.push({ name, t });
  }

  /** Runtime info for the CLI (`{dataDir}/runtime.json`, 0600), written once at the end of start-up. */
  private writeRuntimeInfo(): void {
    let info: Record<string, unknown> = {
      pid: process.pid,
      appVersion: this.opts.appVersion,
      dataDir: this.dataDir,
    };
    for (const e of this.entries) info = { ...info, ...e.contribution.runtimeInfo?.() };
    this.runtimeFileWritten = true;
    // No fsync: the file describes this process only while it runs (it is removed at shutdown, stale after a crash).
    writeFileAtomic(path.join(this.dataDir, 'runtime.json'), JSON.stringify(info, null, 2) + '\n', 0o600, {
      durable: false,
    });
  }

  private removeRuntimeInfo(): void {
    if (!this.runtimeFileWritten || !this.core) return;
    fs.rmSync(path.join(this.core.dataDir, 'runtime.json'), { force: true });
  }

  // --- stopping ---

  /** Undoes a start that failed part-way: the started modules in reverse, then the core. Never throws. */
  private async rollback(logger: Logger, lock: InstanceLock | null, db: PaigeDatabase | null): Promise<void> {
    const started = this.entries.filter((e) => e.started).reverse();
    const attempt = async (what: string, fn: () => unknown): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        logger.error(`start-up rollback: ${what} failed`, { err });
      }
    };
    for (const e of started) await attempt(`stop accepting (${e.module.id})`, () => e.contribution.stopAccepting?.());
    for (const e of started) await attempt(`stop ${e.module.id}`, () => e.contribution.shutdown?.());
    await attempt('release subscriptions', () => this.store.dispose());
    await attempt('remove runtime.json', () => this.removeRuntimeInfo());
    if (db) await attempt('close the database', () => db.close());
    if (lock) await attempt('release the lock', () => lock.release());
  }

  /**
   * Reverse-order shutdown within 5 s; resolves with the exit code (0 clean, 1 when the deadline passed or a step
   * failed). Idempotent: later callers get the same promise. Waits for a start still running.
   */
  shutdown(reason: string): Promise<number> {
    this.shutdownPromise ??= this.runShutdown(reason);
    return this.shutdownPromise;
  }

  private async runShutdown(reason: string): Promise<number> {
    // A start still running sees shuttingDown after its current step and rolls itself back.
    const startOk = await (this.startPromise ?? Promise.resolve()).then(
      () => this.core !== null,
      () => false,
    );
    if (!startOk || !this.core) return 1;
    const core = this.core;
    const log = core.logger.child({ component: 'shutdown' });
    const started = performance.now();
    log.info('shutdown: begin', { reason });
    let failed = false;
    let timedOut = false;
    const deadline = new Promise<'timeout'>((resolve) => {
      const t = setTimeout(() => resolve('timeout'), SHUTDOWN_DEADLINE_MS);
      t.unref();
    });
    const step = async (name: string, fn: () => unknown): Promise<void> => {
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

    const reversed = [...this.entries].reverse();
    await step('stop accepting requests', () => {
      core.router.stopAccepting();
      for (const { t } of this.transports) t.stopAccepting();
      for (const e of reversed) e.contribution.stopAccepting?.();
    });
    await step('close transports', async () => {
      for (const { t } of [...this.transports].reverse()) await t.close();
    });
    for (const e of reversed) {
      const stop = e.contribution.shutdown;
      if (stop) await step(`stop ${e.module.id}`, () => stop());
    }
    await step('release subscriptions', () => this.store.dispose());
    await step('checkpoint and close database', () => core.db.close());
    await step('remove runtime.json and lock', () => {
      this.removeRuntimeInfo();
      core.lock.release();
    });
    const code = failed || timedOut ? 1 : 0;
    log.info('shutdown: complete', { exitCode: code, durationMs: Math.round(performance.now() - started) });
    core.fileSink?.close();
    return code;
  }
}
