// The app shell: header with Home/Workspace navigation, connection/error banners, and the current view.
import { useState } from 'react';
import { AppErrorList } from './components/AppErrorList';
import { ConnectionBanner } from './components/ConnectionBanner';
import { useConnectionState, usePaige } from './state/paige-context';
import { Landing } from './views/Landing';
import { IdeView } from './views/ide/IdeView';

type View = 'home' | 'workspace';

export function App() {
  const { transportKind } = usePaige().connection;
  const state = useConnectionState();
  const [view, setView] = useState<View>('home');
  // The IDE stays mounted once opened so tabs, unsaved edits and the editor survive a trip to Home.
  const [ideMounted, setIdeMounted] = useState(false);
  const go = (v: View): void => {
    setView(v);
    if (v === 'workspace') setIdeMounted(true);
  };
  return (
    <div className="app">
      <header className="app-header">
        <h1>Paige</h1>
        <span className="app-tagline">AI coding coach</span>
        <nav className="app-nav" aria-label="Views">
          <button type="button" data-testid="nav-home" aria-current={view === 'home'} onClick={() => go('home')}>
            Home
          </button>
          <button
            type="button"
            data-testid="nav-workspace"
            aria-current={view === 'workspace'}
            onClick={() => go('workspace')}
          >
            Workspace
          </button>
        </nav>
        <span className="header-status" data-status={state.status} title={`Transport: ${transportKind}`}>
          <span className={`status-dot status-${state.status}`} aria-hidden="true" />
          {transportKind} · {state.status}
        </span>
      </header>
      <div className="banners">
        <ConnectionBanner />
        <AppErrorList />
      </div>
      {view === 'home' ? <Landing /> : null}
      {ideMounted ? (
        <div className="view-workspace" hidden={view !== 'workspace'}>
          <IdeView />
        </div>
      ) : null}
    </div>
  );
}
