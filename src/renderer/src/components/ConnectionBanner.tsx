// Banners for a lost or refused bridge connection.
import { isConnectionLost } from '../transport/connection-state';
import { formatMs } from '../lib/format';
import { useConnectionState, usePaige } from '../state/paige-context';

export function ConnectionBanner() {
  const { connection } = usePaige();
  const state = useConnectionState();

  if (isConnectionLost(state)) {
    return (
      <div className="banner banner-warn" role="alert" data-testid="connection-lost-banner">
        <span>Connection to Paige lost — retrying…</span>
        <span className="banner-detail">
          {state.failures} failed attempts
          {state.nextRetryMs !== null ? `, next in ${formatMs(state.nextRetryMs)}` : ''}
        </span>
        <button type="button" className="button-small" onClick={connection.retryNow}>
          Retry now
        </button>
      </div>
    );
  }

  if (state.status === 'closed' && state.closedReason !== 'disposed') {
    const message =
      state.closedReason === 'no_token'
        ? 'No access token. Open the link Paige printed when it started (it ends in #token=…).'
        : state.closedReason === 'forbidden'
          ? 'Paige refused this page (origin not allowed).'
          : 'Paige rejected this page’s access token. Open the link Paige printed when it started again.';
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-closed-banner">
        <span>Not connected to Paige.</span>
        <span className="banner-detail">{message}</span>
      </div>
    );
  }

  return null;
}
