// The app shell: header with Home/Workspace navigation, connection/error banners, and the current view.
import { lazy, Suspense, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { AppErrorList } from './components/AppErrorList';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ModelLayerBanners } from './components/ModelLayerBanners';
import { useConnectionState, usePaige, usePaigeEvent } from './state/paige-context';
import { Landing } from './views/Landing';
import { CoachingStore } from './views/ide/coaching-store';
import { IdeController } from './views/ide/ide-controller';
import { IssuesView } from './views/issues/IssuesView';
import { IssuesStore } from './views/issues/issues-store';
import { PlanningView } from './views/planning/PlanningView';
import { startupView } from './views/startup-view';

/** The IDE view (Monaco, xterm) is its own chunk, loaded on first use or once the Home view is idle. */
const loadIdeView = () => import('./views/ide/IdeView');
const IdeView = lazy(() => loadIdeView().then((m) => ({ default: m.IdeView })));

type View = 'home' | 'workspace' | 'issues' | 'planning';

export function App() {
  const { transportKind, client } = usePaige().connection;
  const state = useConnectionState();
  // Created once for the page: they listen to Claude Code's UI effects even while Home is showing. Neither imports
  // Monaco: the controller loads it when a file is first opened.
  const [ide] = useState(() => new IdeController(client));
  const [coaching] = useState(() => new CoachingStore(client));
  // The Issues view's results outlive a trip to another view; its tab shows once a project is open.
  const [issues] = useState(() => new IssuesStore(client));
  const projectOpen = Boolean(useSyncExternalStore(issues.subscribe, issues.getState).projectDir);
  const [view, setView] = useState<View>('home');
  // The IDE stays mounted once opened so tabs, unsaved edits and the editor survive a trip to Home.
  const [ideMounted, setIdeMounted] = useState(false);
  const go = useCallback((v: View): void => {
    setView(v);
    if (v === 'workspace') setIdeMounted(true);
  }, []);
  const goWorkspace = useCallback(() => go('workspace'), [go]);
  // Claude Code opening a file brings the learner to the editor (the controller opens the tab itself).
  usePaigeEvent('editor:open_file', () => go('workspace'));
  // An issue picked for coaching: the Planning view shows the run, then hands over to the IDE with the plan (a resumed
  // plan goes straight there).
  usePaigeEvent('planning:started', () => go('planning'));
  usePaigeEvent('planning:complete', (p) => {
    // A run of a session already ended (picked over with force) must not take the learner away from the new one.
    if (p.sessionId !== coaching.getState().session?.id) return;
    setIdeMounted(true);
    setView((v) => (v === 'planning' ? 'workspace' : v));
  });
  usePaigeEvent('session:started', (p) => {
    if (p.plan !== null) go('workspace');
  });
  useEffect(() => {
    // After a reload: back to the Planning view during (or after a failure of) a run the learner started, or to the
    // Workspace during an active session; once, and only if the learner is still on Home.
    let shown = false;
    return coaching.subscribe(() => {
      const s = coaching.getState();
      if (shown || !s.loaded) return;
      shown = true;
      const next = startupView(s);
      if (next === null) return;
      // Home (which learns the open project from hello) is skipped: the session names the project.
      if (s.session) issues.setProject(s.session.projectDir);
      if (next === 'workspace') setIdeMounted(true);
      setView((v) => (v === 'home' ? next : v));
    });
  }, [coaching, issues]);
  // The sidebar's session, issue and plan are read on connect and again after every reconnect.
  const generation = state.status === 'open' ? state.generation : 0;
  // Fetch the IDE chunk once Home has painted and the page is idle, so the first trip to the Workspace is quick.
  useEffect(() => {
    const id = requestIdleCallback(() => void loadIdeView().catch(() => undefined));
    return () => cancelIdleCallback(id);
  }, []);
  useEffect(() => {
    if (generation > 0) void coaching.load();
  }, [coaching, generation]);
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
          {projectOpen ? (
            <button
              type="button"
              data-testid="nav-issues"
              aria-current={view === 'issues'}
              onClick={() => go('issues')}
            >
              Issues
            </button>
          ) : null}
        </nav>
        <span className="header-status" data-status={state.status} title={`Transport: ${transportKind}`}>
          <span className={`status-dot status-${state.status}`} aria-hidden="true" />
          {transportKind} · {state.status}
        </span>
      </header>
      <div className="banners">
        <ConnectionBanner />
        <ModelLayerBanners />
        <AppErrorList />
      </div>
      {view === 'home' ? (
        <Landing
          onProject={(dir) => issues.setProject(dir)}
          onPickIssue={() => go('issues')}
          onContinue={goWorkspace}
        />
      ) : null}
      {view === 'issues' ? <IssuesView store={issues} onWorkspace={goWorkspace} /> : null}
      {view === 'planning' ? <PlanningView coaching={coaching} onOpenWorkspace={goWorkspace} /> : null}
      {ideMounted ? (
        <div className="view-workspace" hidden={view !== 'workspace'}>
          <Suspense
            fallback={
              <p className="muted" data-testid="ide-loading">
                Loading the editor…
              </p>
            }
          >
            <IdeView controller={ide} coaching={coaching} />
          </Suspense>
        </div>
      ) : null}
    </div>
  );
}
