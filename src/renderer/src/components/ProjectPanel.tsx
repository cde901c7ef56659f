// Opening a project: a path field, Browse… (Electron only) and the recent-projects list.
import { useState, type SubmitEvent } from 'react';
import type { PaigeClient } from '../../../shared/ipc/client';
import type { RecentProject } from '../../../shared/domain/project';
import type { Remote } from '../hooks/use-remote';
import { toErrorInfo, type ErrorInfo } from '../lib/error-info';
import { formatTimestamp } from '../lib/format';
import type { TransportKind } from '../transport/select';
import { ErrorText } from './ErrorText';

interface Props {
  readonly client: PaigeClient;
  readonly transportKind: TransportKind;
  readonly currentProject: string | null | undefined;
  readonly recent: Remote<{ projects: RecentProject[] }>;
  readonly connected: boolean;
  readonly onOpened: (projectDir: string) => void;
}

export function ProjectPanel({ client, transportKind, currentProject, recent, connected, onOpened }: Props) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function open(target: string): Promise<void> {
    const trimmed = target.trim();
    if (trimmed === '') {
      setError({ code: 'VALIDATION_FAILED', message: 'Enter a folder path to open.' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await client.invoke('project:open', { path: trimmed });
      onOpened(result.projectDir);
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setBusy(false);
    }
  }

  async function browse(): Promise<void> {
    setError(null);
    try {
      const picked = await client.invoke('project:pick_folder');
      if (picked.path === null) return;
      setPath(picked.path);
      await open(picked.path);
    } catch (err) {
      setError(toErrorInfo(err));
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    void open(path);
  }

  const projects = recent.data?.projects ?? [];

  return (
    <section className="card" aria-labelledby="project-title" data-testid="project-panel">
      <h2 id="project-title">Project</h2>
      <p className="current-project">
        <span className="muted">Current: </span>
        <code data-testid="current-project">
          {currentProject === undefined ? '…' : currentProject === null ? 'none' : currentProject}
        </code>
      </p>
      <form className="inline-form" onSubmit={onSubmit} aria-busy={busy}>
        <label htmlFor="project-path" className="visually-hidden">
          Project folder path
        </label>
        <input
          id="project-path"
          type="text"
          placeholder="/path/to/your/repo"
          autoComplete="off"
          spellCheck={false}
          value={path}
          onChange={(e) => {
            setPath(e.target.value);
          }}
          data-testid="project-path-input"
        />
        <button
          type="submit"
          className="button-primary"
          disabled={busy || !connected}
          data-testid="project-open-button"
        >
          {busy ? 'Opening…' : 'Open'}
        </button>
        {transportKind === 'electron' && (
          <button
            type="button"
            disabled={busy || !connected}
            onClick={() => {
              void browse();
            }}
            data-testid="project-browse-button"
          >
            Browse…
          </button>
        )}
      </form>
      {error && <ErrorText error={error} testId="project-open-error" />}

      <h3 id="recent-title">Recent projects</h3>
      <ul className="recent-list" aria-labelledby="recent-title" data-testid="recent-projects">
        {projects.length === 0 && (
          <li className="muted">{recent.status === 'loading' ? 'Loading…' : 'No recent projects'}</li>
        )}
        {projects.map((project) => (
          <li key={project.path}>
            <button
              type="button"
              className="recent-item"
              disabled={busy || !connected}
              onClick={() => {
                setPath(project.path);
                void open(project.path);
              }}
              title={`Open ${project.path}`}
              data-testid="recent-project-item"
              data-path={project.path}
            >
              <span className="recent-name">
                {project.owner && project.repo ? `${project.owner}/${project.repo}` : project.name}
              </span>
              <span className="recent-path">{project.path}</span>
              <span className="recent-time">{formatTimestamp(project.lastOpenedAt)}</span>
            </button>
          </li>
        ))}
      </ul>
      {recent.error && <ErrorText error={recent.error} testId="recent-projects-error" />}
    </section>
  );
}
