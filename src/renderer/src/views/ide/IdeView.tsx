// The IDE: explorer | editor | coaching sidebar, terminal panel below; every divider can be dragged.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { FileExplorer } from '../../components/explorer/FileExplorer';
import { usePaige } from '../../state/paige-context';
import { CoachingSidebar } from './CoachingSidebar';
import type { CoachingStore } from './coaching-store';
import { EditorHost } from './EditorHost';
import { ExplainStore } from './explain-store';
import { ExplainButton, SidebarWithExplanations } from './ExplanationsTab';
import type { IdeController, IdeState, Prompt } from './ide-controller';
import { ResizeHandle } from './ResizeHandle';
import { TerminalSlot } from './TerminalSlot';
import { usePlanHints } from './use-plan-hints';
import './ide.css';

/** Pane size limits in px: wide enough to stay usable, narrow enough to leave the editor room. */
const EXPLORER = { initial: 240, min: 140, max: 520 };
const SIDEBAR = { initial: 280, min: 160, max: 560 };
const BOTTOM = { initial: 220, min: 80, max: 640 };

const clamp = (v: number, lim: { min: number; max: number }): number => Math.min(lim.max, Math.max(lim.min, v));

function PromptDialog({ prompt, controller }: { prompt: Prompt; controller: IdeController }) {
  const name = prompt.path;
  if (prompt.kind === 'unsaved') {
    return (
      <div className="ide-prompt" role="alertdialog" aria-label="Unsaved changes" data-testid="unsaved-prompt">
        <p>
          <strong>{name}</strong> has unsaved changes.
        </p>
        <div className="prompt-actions">
          <button
            type="button"
            data-testid="unsaved-save"
            onClick={() => void controller.save(name).then((ok) => ok && controller.close(name))}
          >
            Save and close
          </button>
          <button type="button" data-testid="unsaved-discard" onClick={() => controller.close(name)}>
            Discard changes
          </button>
          <button type="button" data-testid="unsaved-cancel" onClick={() => controller.dismissPrompt()}>
            Cancel
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="ide-prompt" role="alertdialog" aria-label="File changed on disk" data-testid="conflict-prompt">
      <p>
        <strong>{name}</strong> {prompt.deleted ? 'was deleted on disk' : 'changed on disk'} while you have unsaved
        edits.
      </p>
      <div className="prompt-actions">
        {!prompt.deleted ? (
          <button type="button" data-testid="conflict-reload" onClick={() => void controller.reloadFromDisk(name)}>
            Load the disk version
          </button>
        ) : null}
        <button type="button" data-testid="conflict-keep" onClick={() => controller.keepMine(name)}>
          Keep my edits (saving overwrites)
        </button>
      </div>
    </div>
  );
}

function TabBar({ state, controller }: { state: IdeState; controller: IdeController }) {
  return (
    <div className="tab-bar" role="tablist" data-testid="editor-tabs">
      {state.tabs.map((t) => (
        <div
          key={t.path}
          role="tab"
          aria-selected={t.path === state.active}
          className={`editor-tab${t.path === state.active ? ' active' : ''}${t.dirty ? ' dirty' : ''}`}
          data-testid={`tab-${t.path}`}
          data-dirty={t.dirty}
          title={t.path}
        >
          <button type="button" className="tab-label" onClick={() => controller.activate(t.path)}>
            {t.name}
          </button>
          {t.dirty ? (
            <span className="dirty-marker" data-testid={`dirty-${t.path}`} aria-label="unsaved changes">
              ●
            </span>
          ) : null}
          <button
            type="button"
            className="tab-close"
            aria-label={`Close ${t.name}`}
            data-testid={`close-${t.path}`}
            onClick={() => controller.requestClose(t.path)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function StatusBar({ state }: { state: IdeState }) {
  const tab = state.tabs.find((t) => t.path === state.active);
  const dirty = state.tabs.filter((t) => t.dirty).length;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span data-testid="status-language">{tab ? tab.language : '—'}</span>
      <span data-testid="status-cursor">
        {state.cursor && tab ? `Ln ${state.cursor.line}, Col ${state.cursor.column}` : ''}
      </span>
      <span data-testid="status-dirty">{dirty === 0 ? 'All saved' : `${dirty} unsaved`}</span>
    </footer>
  );
}

/**
 * The controller and coaching store live as long as the page (created by App), so UI effects Claude Code sends while
 * another view is showing are not lost.
 */
export function IdeView({ controller, coaching }: { controller: IdeController; coaching: CoachingStore }) {
  const { connection, client } = usePaige().connection;
  const [explain] = useState(() => new ExplainStore(client));
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const [explorerW, setExplorerW] = useState(EXPLORER.initial);
  const [sidebarW, setSidebarW] = useState(SIDEBAR.initial);
  const [bottomH, setBottomH] = useState(BOTTOM.initial);
  const root = useRef<HTMLDivElement>(null);
  const onScreen = useCallback(() => root.current?.offsetParent !== null && root.current !== null, []);
  const explorerHints = usePlanHints(controller, coaching, state, onScreen);

  useEffect(() => {
    void controller.loadTree();
  }, [controller]);

  useEffect(() => {
    let generation = connection.getState().generation;
    return connection.subscribe(() => {
      const next = connection.getState().generation;
      if (next > generation && generation > 0) controller.resync();
      generation = next;
    });
  }, [connection, controller]);

  useEffect(() => {
    // Ctrl/Cmd+S outside the editor (e.g. focus on a tab) still saves instead of the browser's "Save page".
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void controller.save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);

  const activeTab = state.tabs.find((t) => t.path === state.active);
  return (
    <div
      ref={root}
      className="ide"
      data-testid="ide-view"
      style={{
        gridTemplateColumns: `${explorerW}px 4px 1fr 4px ${sidebarW}px`,
        gridTemplateRows: `1fr 4px ${bottomH}px auto`,
      }}
    >
      <div className="ide-explorer">
        <FileExplorer
          root={state.tree}
          truncated={state.truncated}
          expanded={state.expanded}
          active={state.active}
          hints={explorerHints.hints}
          hintDirectories={explorerHints.hintDirectories}
          glow={explorerHints.glow}
          onToggle={(p) => controller.toggle(p)}
          onOpen={(p) => void controller.open(p)}
        />
      </div>
      <ResizeHandle
        direction="vertical"
        area="h1"
        testId="resize-explorer"
        onResize={(d) => setExplorerW((w) => clamp(w + d, EXPLORER))}
      />
      <section className="ide-editor" aria-label="Editor">
        <TabBar state={state} controller={controller} />
        {state.error ? (
          <div className="ide-error" role="alert" data-testid="ide-error">
            {state.error}
          </div>
        ) : null}
        {state.prompt ? <PromptDialog prompt={state.prompt} controller={controller} /> : null}
        {activeTab?.binary ? (
          <p className="muted binary-note">{activeTab.name} is a binary file and is not shown.</p>
        ) : null}
        <EditorHost controller={controller} />
        <ExplainButton selection={state.selection} store={explain} />
        {state.tabs.length === 0 ? <p className="muted editor-empty">Open a file from the explorer.</p> : null}
      </section>
      <ResizeHandle
        direction="vertical"
        area="h2"
        testId="resize-sidebar"
        onResize={(d) => setSidebarW((w) => clamp(w - d, SIDEBAR))}
      />
      <aside className="ide-sidebar" aria-label="Coaching" data-testid="ide-sidebar">
        <SidebarWithExplanations store={explain} coach={<CoachingSidebar store={coaching} controller={controller} />} />
      </aside>
      <ResizeHandle
        direction="horizontal"
        area="hb"
        testId="resize-bottom"
        onResize={(d) => setBottomH((h) => clamp(h - d, BOTTOM))}
      />
      <div className="ide-bottom">
        <TerminalSlot />
      </div>
      <StatusBar state={state} />
    </div>
  );
}
