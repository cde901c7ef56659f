// Feature module: the observer. Watches the active session's actions, decides (with the Triage agent) when the coach
// should check in, and says it through Claude Code or the sidebar. Reads the `observer.*` settings.
import { runAgent } from '../llm/agents/kit';
import { triageAgent } from '../llm/agents/triage';
import type { FeatureModule } from '../modules/feature-module';
import { createNudgeDelivery } from './delivery';
import { ObserverService } from './observer-service';
import { buildTriageInput, triageSources } from './triage-context';

declare module '../modules/feature-module' {
  interface ServiceMap {
    observer: ObserverService;
  }
}

export const observerModule: FeatureModule = {
  id: 'observer',
  setup(ctx) {
    const activity = ctx.get('activity');
    const llm = ctx.get('llm');
    const services = () => ({
      sessions: ctx.find('sessions'),
      state: ctx.find('sessionState'),
      workspace: ctx.find('workspace'),
    });
    const deliver = createNudgeDelivery({
      terminal: () => {
        const terminal = ctx.find('terminal');
        const session = terminal?.session;
        if (!terminal || !session) return null;
        return {
          runsClaude: () => !session.plan.fallback && session.exit === null,
          inject: (text) => terminal.injectNudge(text),
        };
      },
      mode: () => ctx.settings.values.observer.nudgeDelivery,
      onChannelUnavailable: () =>
        ctx.logger.warn('observer.nudgeDelivery asks for the MCP channel, which is not available; nudges use the pty'),
      emitNudge: (e) => ctx.events.emit('observer:nudge', e),
      emitMessage: (m) => ctx.events.emit('coaching:message', { ...m, type: 'hint', source: 'observer' }),
    });
    const service = new ObserverService({
      logger: ctx.logger,
      enabled: () => ctx.settings.values.observer.enabled,
      emitStatus: (s) => ctx.events.emit('observer:status', s),
      observerDeps: (sessionId) => ({
        settings: () => ctx.settings.values.observer,
        now: () => ctx.now().getTime(),
        logger: ctx.logger.child({ sessionId }),
        llmReady: () => llm.capability === 'ready',
        triage: async (memory, signal) => {
          const input = buildTriageInput(memory, triageSources(services, sessionId));
          return (await runAgent(llm.client, triageAgent, input, { sessionId, signal })).value;
        },
        phase: () => {
          const p = ctx.find('sessionState')?.activePhase(sessionId);
          return p ? { number: p.number, description: p.description } : null;
        },
        deliver,
        record: (type, data) => ctx.get('recordFor')(sessionId, type, data),
        terminalInputAt: () => ctx.find('terminal')?.lastInputAt() ?? 0,
      }),
    });
    ctx.provide('observer', service);
    ctx.store.add(service);
    ctx.store.add(activity.onDidRecord((e) => service.handle(e)));
    ctx.store.add(
      ctx.events.subscribe((channel, payload) => {
        if (channel === 'session:started') service.sessionStarted((payload as { session: { id: number } }).session.id);
        else if (channel === 'session:ended') service.sessionEnded((payload as { sessionId: number }).sessionId);
      }),
    );
    const startForActive = (): void => {
      const active = ctx.find('sessions')?.getActive();
      if (active) service.sessionStarted(active.id);
    };
    ctx.store.add(
      ctx.settings.onDidChange(() => {
        const enabled = ctx.settings.values.observer.enabled;
        const running = service.status().active;
        if (!enabled && running) {
          const active = ctx.find('sessions')?.getActive();
          if (active) service.sessionEnded(active.id);
        } else if (enabled && !running) startForActive();
      }),
    );
    return {
      settings: [
        'observer.enabled',
        'observer.cooldownMs',
        'observer.flowThreshold',
        'observer.flowWindowMs',
        'observer.confidence',
        'observer.bufferTrigger',
        'observer.explainTrigger',
        'observer.idleMs',
        'observer.idleCheckMs',
        'observer.nudgeDelivery',
      ],
      featureFlags: () => ({ observer: true }),
      handlers: {
        'observer:mute': ({ muted }) => service.mute(muted),
        'observer:get_status': () => service.status(),
        'user:idle_start': ({ durationMs }) => {
          activity.recordIfActive('user_idle_start', { durationMs });
          return null;
        },
        'user:idle_end': ({ idleDurationMs }) => {
          activity.recordIfActive('user_idle_end', { idleDurationMs });
          return null;
        },
      },
      start: startForActive,
      shutdown: () => service.dispose(),
    };
  },
};
