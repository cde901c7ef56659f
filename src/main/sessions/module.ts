// Feature module: coaching sessions (lifecycle, plans, wrap-up) and the coaching UI effects Claude Code drives through
// MCP: the issue card, phases and sidebar messages.
import type { SessionSnapshot } from '../../shared/domain/session';
import type { FeatureModule } from '../modules/feature-module';
import { mcpToolDeps } from '../mcp/tool-deps';
import { endSessionTool } from '../mcp/tools/end-session';
import { getActiveSessionTool } from '../mcp/tools/get-active-session';
import { getSessionStateTool } from '../mcp/tools/get-session-state';
import { showIssueContextTool } from '../mcp/tools/show-issue-context';
import { showMessageTool } from '../mcp/tools/show-message';
import { startSessionTool } from '../mcp/tools/start-session';
import { updatePhaseTool } from '../mcp/tools/update-phase';
import { PlanStore } from './plan-store';
import { SessionService } from './session-service';
import { SessionStateReader } from './session-state';
import { retryWrapUpTool } from '../mcp/tools/retry-wrap-up';
import { claudeConfigDir } from './transcript';
import { WrapUpRunner } from './wrap-up-runner';
import { WrapUpStore } from './wrap-up-store';
import { endFromUi } from './end-from-ui';
import { WrapUpSummaryReader } from './wrap-up-summary';

declare module '../modules/feature-module' {
  interface ServiceMap {
    sessions: SessionService;
    plans: PlanStore;
    sessionState: SessionStateReader;
    wrapUp: WrapUpRunner;
    /** The reconnect catch-up view of the active session (`session:snapshot`). */
    sessionSnapshot: () => SessionSnapshot | null;
  }
}

/** The observer's part of the snapshot; off when no observer module is present. */
function observerSnapshot(s: { active: boolean; muted: boolean } | undefined): { active: boolean; muted: boolean } {
  return { active: s?.active ?? false, muted: s?.muted ?? false };
}

export const sessionsModule: FeatureModule = {
  id: 'sessions',
  setup(ctx) {
    const sessions = new SessionService(ctx.db, ctx.logger, () => ctx.now());
    const plans = new PlanStore(ctx.db, () => ctx.now());
    const state = new SessionStateReader(ctx.db);
    const wrapUp = new WrapUpRunner({
      sessions,
      events: ctx.events,
      logger: ctx.logger,
      recordFor: (sessionId, type, data) => ctx.get('recordFor')(sessionId, type, data),
      flushActions: () => ctx.find('actionLog')?.flushAll(),
      beforeEnd: () => ctx.find('workspace')?.endSession(),
      store: new WrapUpStore(ctx.db, () => ctx.now()),
      // The memory module is listed later; without it the memories stay in SQLite (full-text search still finds them).
      indexMemories: () => ctx.find('memory')?.indexStored() ?? Promise.resolve(),
      // The llm module is listed later; without it, or without a key, the wrap-up takes the no-model path.
      model: () => {
        const llm = ctx.find('llm');
        return llm && llm.capability !== 'no_key' ? llm.client : null;
      },
      keyStorable: () => ctx.find('llm')?.keys.storable ?? false,
      claudeConfigDir: claudeConfigDir(ctx.env),
    });
    const summaries = new WrapUpSummaryReader(ctx.db, sessions, (id) => wrapUp.liveAgents(id));
    ctx.provide('sessions', sessions);
    ctx.provide('plans', plans);
    ctx.provide('sessionState', state);
    ctx.provide('wrapUp', wrapUp);
    const snapshotOf = (): SessionSnapshot | null => {
      const snapshot = sessions.snapshot();
      if (!snapshot) return null;
      return {
        ...snapshot,
        plan: state.fullPlan(snapshot.session.id),
        openFiles: ctx.find('workspace')?.openFileList() ?? [],
        observer: observerSnapshot(ctx.find('observer')?.status()),
        planning: ctx.find('planningState')?.get(snapshot.session.id) ?? snapshot.planning,
      };
    };
    ctx.provide('sessionSnapshot', snapshotOf);
    const deps = mcpToolDeps(ctx);
    return {
      settings: ['hints.defaultLevel', 'session.orphanAfterMs'],
      handlers: {
        'session:snapshot': () => snapshotOf(),
        'session:list': (input) => sessions.list(input ?? {}),
        'session:retry_wrap_up': async ({ sessionId, agent }) => {
          const r = await wrapUp.retry(sessionId, agent);
          return { sessionId: r.sessionId, status: r.status, ran: r.ran, ...r.counts, unresolved: r.unresolved };
        },
        // The UI's end button and the reloaded wrap-up card.
        'session:end': (input) => endFromUi({ sessions, wrapUp, events: ctx.events }, input?.runWrapUp ?? true),
        'session:wrap_up_summary': (input) => summaries.read(input?.sessionId),
        'coaching:dismiss': ({ messageId }) => {
          // Every window drops the message, not only the one where the learner dismissed it.
          ctx.events.emit('coaching:clear', { messageIds: [messageId] });
          return null;
        },
      },
      tools: [
        startSessionTool(deps),
        endSessionTool(deps),
        retryWrapUpTool(deps),
        getActiveSessionTool(deps),
        getSessionStateTool(deps),
        updatePhaseTool(deps),
        showMessageTool(deps),
        showIssueContextTool(deps),
      ],
      start() {
        sessions.recoverAfterCrash(ctx.settings.values.session.orphanAfterMs);
      },
      // Agents still running are cancelled now; their "interrupted" rows land in shutdown below.
      stopAccepting: () => wrapUp.interrupt(),
      // Before the workspace and the action log stop: wrap-up rows and the final buffer summaries land. The llm module
      // stopped first (reverse list order), so the cancelled calls' ledger rows are written here.
      shutdown: async () => {
        await wrapUp.drain();
        ctx.find('llm')?.ledger.flush();
      },
    };
  },
};
