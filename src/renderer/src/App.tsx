// The app shell: header, connection/error banners and the landing view.
import { AppErrorList } from './components/AppErrorList';
import { ConnectionBanner } from './components/ConnectionBanner';
import { useConnectionState, usePaige } from './state/paige-context';
import { Landing } from './views/Landing';

export function App() {
  const { transportKind } = usePaige().connection;
  const state = useConnectionState();
  return (
    <div className="app">
      <header className="app-header">
        <h1>Paige</h1>
        <span className="app-tagline">AI coding coach</span>
        <span className="header-status" data-status={state.status} title={`Transport: ${transportKind}`}>
          <span className={`status-dot status-${state.status}`} aria-hidden="true" />
          {transportKind} · {state.status}
        </span>
      </header>
      <div className="banners">
        <ConnectionBanner />
        <AppErrorList />
      </div>
      <Landing />
    </div>
  );
}
