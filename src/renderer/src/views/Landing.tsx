// The landing view: the next step (pick an issue, or continue the session), project, session, settings, and the
// backend diagnostics last.
import { useCallback, useEffect } from 'react';
import { BackendStatusCard } from '../components/BackendStatusCard';
import { ProjectPanel } from '../components/ProjectPanel';
import { SessionStateCard } from '../components/SessionStateCard';
import { SettingsPanel } from '../components/SettingsPanel';
import { useRemote } from '../hooks/use-remote';
import { buildHelloInput } from '../lib/hello';
import { homeNextStep } from '../lib/home-next-step';
import { useConnectionState, usePaige, usePaigeEvent } from '../state/paige-context';

const HEALTH_REFRESH_MS = 15_000;

interface LandingProps {
  /** The open project as the backend reports it (null when none), each time it is learned. */
  onProject?: (projectDir: string | null) => void;
  /** Opens the Issues view. */
  onPickIssue?: () => void;
  /** Opens the workspace of the active session. */
  onContinue?: () => void;
}

export function Landing({ onProject, onPickIssue, onContinue }: LandingProps = {}) {
  const { client, transportKind, platform } = usePaige().connection;
  const connection = useConnectionState();
  // A new generation means a new (re)authenticated connection: everything is loaded again, starting with hello.
  const generation = connection.generation;
  const live = generation > 0;
  const connected = connection.status === 'open';

  const loadHello = useCallback(
    () =>
      client.invoke(
        'connection:hello',
        buildHelloInput(transportKind, platform, window.innerWidth, window.innerHeight),
      ),
    [client, transportKind, platform],
  );
  const loadHealth = useCallback(() => client.invoke('app:health'), [client]);
  const loadRecent = useCallback(() => client.invoke('project:recent'), [client]);
  const loadSession = useCallback(() => client.invoke('session:snapshot'), [client]);
  const loadSettings = useCallback(() => client.invoke('settings:get'), [client]);

  const hello = useRemote(loadHello, generation, live);
  const health = useRemote(loadHealth, generation, live);
  const recent = useRemote(loadRecent, generation, live);
  const session = useRemote(loadSession, generation, live);
  const settings = useRemote(loadSettings, generation, live);

  const projectDir = hello.data?.projectDir;
  useEffect(() => {
    if (projectDir !== undefined) onProject?.(projectDir);
  }, [projectDir, onProject]);

  const reloadHealth = health.reload;
  useEffect(() => {
    if (!connected) return;
    const timer = setInterval(reloadHealth, HEALTH_REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [connected, reloadHealth]);

  usePaigeEvent('project:changed', ({ projectDir }) => {
    hello.update((prev) => ({ ...prev, projectDir }));
    recent.reload();
  });
  usePaigeEvent('session:started', () => {
    session.reload();
  });
  usePaigeEvent('session:ended', () => {
    session.reload();
  });
  usePaigeEvent('settings:changed', () => {
    settings.reload();
  });
  usePaigeEvent('app:capabilities', (capabilities) => {
    hello.update((prev) => ({ ...prev, capabilities }));
  });

  const next = homeNextStep(projectDir, session.data);
  return (
    <main className="landing">
      {next === 'pick_issue' && onPickIssue ? (
        <section className="card next-step" data-testid="next-step" aria-label="Next step">
          <p>A project is open. Choose an issue and Paige plans it with you.</p>
          <button type="button" className="button-primary" data-testid="next-step-pick-issue" onClick={onPickIssue}>
            Pick an issue to work on →
          </button>
        </section>
      ) : null}
      <div className="landing-grid">
        <ProjectPanel
          client={client}
          transportKind={transportKind}
          currentProject={hello.data?.projectDir}
          recent={recent}
          connected={connected}
          onOpened={(projectDir) => {
            hello.update((prev) => ({ ...prev, projectDir }));
            recent.reload();
            session.reload();
          }}
        />
        <div className="landing-side">
          <SessionStateCard snapshot={session} {...(next === 'continue' && onContinue ? { onContinue } : {})} />
        </div>
      </div>
      <SettingsPanel client={client} settings={settings} connected={connected} />
      <BackendStatusCard transportKind={transportKind} connection={connection} hello={hello} health={health} />
    </main>
  );
}
