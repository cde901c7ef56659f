// A coaching message's text as the hint level allows: Claude Code's messages anchored to lines of code are collapsed
// to an icon below `medium` (the learner can open one); other messages, what the learner asked for (explain, review)
// and the observer's always show. Thumbs up or down tell Paige whether it helped.
import { useState } from 'react';
import { Markdown } from '../../components/Markdown';
import { Thumb } from '../../components/Thumb';
import type { HintLevel } from '../../../../shared/domain/session';
import type { CoachingMessage, CoachingStore } from './coaching-store';
import { hintView } from './hint-levels';

export function MessageBody({
  message,
  level,
  store,
}: {
  message: CoachingMessage;
  level: HintLevel;
  store: CoachingStore;
}) {
  const [opened, setOpened] = useState(false);
  const [feedback, setFeedback] = useState<'idle' | 'sent' | 'failed'>('idle');
  const governed = message.source === 'coaching' && message.anchor !== undefined;
  const expanded = opened || !governed || hintView(level).messagesExpanded;
  if (!expanded) {
    return (
      <button
        type="button"
        className="coach-message-collapsed"
        aria-expanded={false}
        data-testid={`coach-message-expand-${message.messageId}`}
        onClick={() => setOpened(true)}
      >
        <span aria-hidden="true">💬</span>
        <span className="muted">Show the hint</span>
      </button>
    );
  }
  const send = (helpful: boolean): void =>
    void store.feedback(message.messageId, helpful).then(
      () => setFeedback('sent'),
      () => setFeedback('failed'),
    );
  return (
    <>
      <Markdown className="coach-message-text" text={message.message} />
      {feedback === 'sent' ? (
        <span className="muted coach-feedback">Thanks.</span>
      ) : (
        <span className="coach-feedback" role="group" aria-label="Did this help?">
          <button type="button" aria-label="This helped" title="This helped" onClick={() => send(true)}>
            <Thumb />
          </button>
          <button type="button" aria-label="This did not help" title="This did not help" onClick={() => send(false)}>
            <Thumb down />
          </button>
          {feedback === 'failed' ? <span className="muted">Not sent.</span> : null}
        </span>
      )}
    </>
  );
}
