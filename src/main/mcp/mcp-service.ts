// The MCP feature as one service for AppCore: the tools' dependencies, the HTTP endpoint, the wrap-up runner and the
// command validator, with what the rest of the app needs from them (connection details, health counts, shutdown).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SettingsService } from '../config/settings-service';
import type { PaigeDatabase } from '../db/database';
import type { ActionType } from '../activity/action-types';
import type { WorkspaceService } from '../fs/workspace-service';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../logging/logger';
import type { ProjectService } from '../projects/project-service';
import { redactString } from '../../shared/redact';
import { COMMAND_PREVIEW_CHARS, createCommandValidator, type CommandValidator } from '../safety/command-validation';
import { PlanStore } from '../sessions/plan-store';
import type { SessionService } from '../sessions/session-service';
import { SessionStateReader } from '../sessions/session-state';
import { WrapUpRunner } from '../sessions/wrap-up-runner';
import { McpHttpServer } from './mcp-http-server';
import { registerTools } from './register-tools';
import type { McpToolDeps } from './tool-kit';

export interface McpServiceDeps {
  appVersion: string;
  db: PaigeDatabase;
  sessions: SessionService;
  projects: ProjectService;
  settings: SettingsService;
  events: EventHub;
  logger: Logger;
  workspace: WorkspaceService;
  record(type: ActionType, data: unknown): void;
  recordFor(sessionId: number, type: ActionType, data: unknown): void;
  isPtyDetaching(ptyId: string): boolean;
  now(): Date;
}

export class McpService {
  readonly plans: PlanStore;
  readonly state: SessionStateReader;
  readonly wrapUp: WrapUpRunner;
  readonly validateCommand: CommandValidator;
  private readonly toolDeps: McpToolDeps;
  private server: McpHttpServer | null = null;

  constructor(private readonly deps: McpServiceDeps) {
    this.plans = new PlanStore(deps.db, deps.now);
    this.state = new SessionStateReader(deps.db);
    this.wrapUp = new WrapUpRunner({
      sessions: deps.sessions,
      events: deps.events,
      logger: deps.logger,
      recordFor: deps.recordFor,
      beforeEnd: () => deps.workspace.endSession(),
    });
    this.validateCommand = createCommandValidator({
      mode: () => deps.settings.values.safety.mode,
      record: deps.record,
    });
    this.toolDeps = {
      sessions: deps.sessions,
      projects: deps.projects,
      settings: deps.settings,
      events: deps.events,
      logger: deps.logger,
      plans: this.plans,
      wrapUp: this.wrapUp,
      workspace: deps.workspace,
      state: this.state,
      validateCommand: this.validateCommand,
      record: deps.record,
      isPtyDetaching: deps.isPtyDetaching,
      now: deps.now,
    };
  }

  /** A fresh McpServer with every tool, for one MCP session (also used by tests and the benchmark). */
  createServer(): McpServer {
    const server = new McpServer(
      { name: 'paige', title: 'Paige coding coach', version: this.deps.appVersion },
      // logging: clients may set a level (logging/setLevel); Paige sends no log notifications yet.
      { capabilities: { tools: {}, logging: {} } },
    );
    registerTools(server, this.toolDeps);
    return server;
  }

  /** Starts the endpoint on `port` (0 = any free port); resolves when it listens, rejects when it cannot. */
  start(port: number, token?: string): Promise<void> {
    this.server = McpHttpServer.start({
      port,
      ...(token !== undefined ? { token } : {}),
      logger: this.deps.logger,
      createServer: () => this.createServer(),
      // Logged like a write-style command denied in read-only mode, so every blocked attempt is in the log.
      onToolDenied: (r) =>
        this.deps.record('command_validated', {
          riskLevel: 'safe',
          decision: 'deny',
          readOnlyViolation: true,
          ruleIds: [],
          tool: r.toolName,
          preview: redactString(r.target === null ? r.toolName : `${r.toolName} ${r.target}`).slice(
            0,
            COMMAND_PREVIEW_CHARS,
          ),
        }),
    });
    return this.server.ready;
  }

  /** Resolves once the endpoint listens (true) or failed to (false); never rejects. */
  async whenReady(): Promise<boolean> {
    if (!this.server) return false;
    return this.server.ready.then(
      () => true,
      () => false,
    );
  }

  /** What Claude Code needs to connect (the PTY env, runtime.json), or null when the endpoint is not listening. */
  connection(): { url: string; token: string; port: number } | null {
    const s = this.server;
    if (!s?.listening) return null;
    return { url: s.url, token: s.token, port: s.port };
  }

  get http(): McpHttpServer | null {
    return this.server;
  }

  connectionCounts(): { active: number; total: number } {
    return this.server?.connectionCounts() ?? { active: 0, total: 0 };
  }

  stopAccepting(): void {
    this.server?.stopAccepting();
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}
