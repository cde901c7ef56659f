// Feature module: the action log. Listed first so it stops last: every other module's actions are flushed.
import { currentCid } from '../logging/context';
import type { FeatureModule } from '../modules/feature-module';
import { ActionLogWriter } from './action-log-writer';
import { ActivityBus } from './activity-bus';
import type { ActionType } from './action-types';

/** Logs an action against a given session, whichever is active (wrap-up rows after the session ended). */
type RecordFor = (sessionId: number, type: ActionType, data: unknown) => void;

declare module '../modules/feature-module' {
  interface ServiceMap {
    actionLog: ActionLogWriter;
    activity: ActivityBus;
    recordFor: RecordFor;
  }
}

export const activityModule: FeatureModule = {
  id: 'activity',
  setup(ctx) {
    const actionLog = new ActionLogWriter(ctx.db, ctx.logger.child({ component: 'action-log' }));
    const activity = new ActivityBus(
      actionLog,
      () => ctx.find('sessions')?.activeId() ?? null,
      ctx.logger,
      () => ctx.now(),
    );
    ctx.provide('actionLog', actionLog);
    ctx.provide('activity', activity);
    ctx.provide('recordFor', (sessionId, type, data) =>
      actionLog.enqueue({
        sessionId,
        actionType: type,
        data,
        correlationId: currentCid() ?? null,
        createdAt: ctx.now().toISOString(),
      }),
    );
    return { shutdown: () => actionLog.close() };
  },
};
