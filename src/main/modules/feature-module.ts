// What a feature module is: one folder's declaration of the services it builds, the IPC handlers and MCP tools it
// contributes, the settings it reads, the capabilities it reports and what it starts and stops. See
// docs/architecture.md for how AppCore runs the list.
import type { Capabilities, Health } from '../../shared/ipc/contract';
import type { DisposableStore } from '../../shared/lifecycle';
import type { SettingKey } from '../../shared/settings/schema';
import type { SettingsService } from '../config/settings-service';
import type { PaigeDatabase } from '../db/database';
import type { EventHub } from '../ipc/event-hub';
import type { HandlerMap, IpcRouter } from '../ipc/router';
import type { Logger } from '../logging/logger';
import type { PaigeTool } from '../mcp/tool-kit';

/** Electron-specific abilities, injected so the backend never imports Electron. */
export interface PlatformAdapter {
  readonly kind: 'electron' | 'node';
  pickFolder(): Promise<string | null>;
  openExternal(url: string): Promise<boolean>;
}

/**
 * Services by name. Each module adds the services it provides to this interface with a `declare module` block in its
 * own module.ts, so `ctx.get('workspace')` is typed without a central list of every service.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging in each module
export interface ServiceMap {}

export type ServiceKey = keyof ServiceMap;

/** Feature switches the UI reads from `connection:hello`; a module that is not present leaves its flag off. */
export interface FeatureFlags {
  observer: boolean;
  practice: boolean;
  chat: boolean;
  localTests: boolean;
}

/** Connection counts a transport reports for `app:health`. */
export interface ConnectionCounts {
  active: number;
  total: number;
}

/** What AppCore built before any module: shared by all of them. */
interface CoreContext {
  readonly appVersion: string;
  readonly platform: PlatformAdapter;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dataDir: string;
  readonly settings: SettingsService;
  readonly db: PaigeDatabase;
  readonly events: EventHub;
  /** Validate handler output and event payloads against the contract. */
  readonly validateOutput: boolean;
  now(): Date;
  /** True once shutdown has begun. */
  readonly shuttingDown: boolean;
  /** Dispatches contract invokes to the contributed handlers; built once every module is set up. */
  readonly router: IpcRouter;
}

export interface ModuleContext extends CoreContext {
  /** Logger tagged with the module id. */
  readonly logger: Logger;
  /** Released when the app stops (newest first), after every module's shutdown. */
  readonly store: DisposableStore;
  /** A service of a module listed earlier, or of any module once setup is complete (e.g. inside a handler). */
  get<K extends ServiceKey>(key: K): ServiceMap[K];
  /** Like `get`, but undefined when no present module provides it (an optional dependency). */
  find<K extends ServiceKey>(key: K): ServiceMap[K] | undefined;
  provide<K extends ServiceKey>(key: K, service: ServiceMap[K]): void;
  /** Every MCP tool the present modules contribute, in module order (read when an MCP session starts). */
  tools(): readonly PaigeTool[];
  /** A module's live state changed (a dependency came up or went down): capabilities are recomputed and emitted. */
  capabilitiesChanged(): void;
}

/** What a module contributes. Every member is optional; a module that contributes nothing to an area leaves it out. */
export interface ModuleContribution {
  handlers?: Partial<HandlerMap>;
  tools?: readonly PaigeTool[];
  /** Settings this module reads: only these appear in the Settings UI. */
  settings?: readonly SettingKey[];
  /** Its part of the capabilities, read live. */
  capabilities?(): Partial<Capabilities>;
  featureFlags?(): Partial<FeatureFlags>;
  /** Connection counts, for a module that is a transport or an endpoint. */
  connections?(): ConnectionCounts;
  /** Its part of `app:health`. */
  health?(): Partial<Pick<Health, 'pty' | 'memory' | 'llm'>>;
  /** Fields it adds to runtime.json (written once every module has started). */
  runtimeInfo?(): Record<string, unknown>;
  /** I/O: open, listen, spawn. Runs in module order; a failure stops start-up and everything started is stopped. */
  start?(): Promise<void> | void;
  /** First step of shutdown: refuse new work (transports). */
  stopAccepting?(): void;
  /** Flush and stop; runs in reverse module order. */
  shutdown?(): Promise<void> | void;
}

export interface FeatureModule {
  /** Short id used in logs and start-up step names (`workspace`, `mcp`). */
  readonly id: string;
  /** Builds the module's services. No I/O here: that belongs in `start()`. */
  setup(ctx: ModuleContext): ModuleContribution;
}
