// Feature module: the coach chat (docs/chat.md). Serves `chat:*`, emits `chat:event`, turns rows left in flight by a
// crash into partial/cancelled at start, and ends turns in flight at shutdown. The `chat` flag is on when the model
// layer is present.
import type { FeatureModule } from '../modules/feature-module';
import { ChatHub } from './chat-hub';
import type { ChatContext } from './chat-prompt';
import { createChatHandlers } from './handlers';

declare module '../modules/feature-module' {
  interface ServiceMap {
    chat: ChatHub;
  }
}

const STAGE_ORDER = ['Novice', 'Advanced Beginner', 'Competent', 'Proficient', 'Expert'];

export const chatModule: FeatureModule = {
  id: 'chat',
  setup(ctx) {
    const activeSession = () => ctx.find('sessions')?.getActive() ?? null;
    const context = (): ChatContext => {
      const session = activeSession();
      const phase = session ? (ctx.find('sessionState')?.activePhase(session.id) ?? null) : null;
      const stages = (ctx.find('sessionState')?.dreyfus() ?? [])
        .map((d) => d.stage)
        .filter((s) => STAGE_ORDER.includes(s))
        .sort((a, b) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b));
      return {
        stage: stages[0] ?? null,
        issue: session?.issueTitle ? { number: session.issueNumber, title: session.issueTitle } : null,
        phase: phase
          ? {
              number: phase.number,
              title: phase.title,
              description: phase.description,
              tasks: phase.tasks.map((t) => ({ number: t.number, title: t.title, done: t.completed_at !== null })),
            }
          : null,
        openFiles:
          ctx
            .find('workspace')
            ?.openFilesWithActive()
            .map((f) => f.path) ?? [],
      };
    };
    const hub = new ChatHub({
      db: ctx.db,
      model: () => ctx.find('llm')?.client,
      llmEnabled: () => {
        const state = ctx.find('llm')?.capability;
        return state !== undefined && state !== 'no_key';
      },
      keyStorable: () => ctx.find('llm')?.keys.storable ?? false,
      context,
      coachingSessionId: () => activeSession()?.id ?? null,
      emit: (event) => ctx.events.emit('chat:event', event),
      record: (type, data) => ctx.find('activity')?.recordIfActive(type, data),
      logger: ctx.logger,
      now: () => ctx.now(),
    });
    ctx.provide('chat', hub);
    return {
      handlers: createChatHandlers(hub),
      featureFlags: () => ({ chat: ctx.find('llm') !== undefined }),
      start: () => {
        const recovered = hub.recover();
        if (recovered.partial + recovered.cancelled > 0) ctx.logger.info('chat rows recovered', recovered);
      },
      shutdown: () => hub.shutdown(),
    };
  },
};
