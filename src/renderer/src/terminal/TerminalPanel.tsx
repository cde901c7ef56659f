// The embedded terminal: xterm.js on the host's pty, with replay on (re)attach, acks from the write callback,
// fit-to-pane resizing, copy/paste, and a restart button once the process has exited.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import '@xterm/xterm/css/xterm.css';
import './terminal-panel.css';
import { useConnectionState, usePaige } from '../state/paige-context';
import { TerminalController, type TerminalViewState } from './terminal-controller';
import { TERMINAL_FONT_FAMILY, TERMINAL_THEME } from './terminal-theme';

/** Pane size changes are coalesced before the pty is resized. */
const RESIZE_DEBOUNCE_MS = 50;
const FONT_SIZE_PX = 13;
/** Same as the host mirror's default (`terminal.scrollback`), so a replay fits what the window keeps. */
const SCROLLBACK_LINES = 5_000;

const STATUS_LABEL: Record<TerminalViewState['status'], string> = {
  idle: 'Not started',
  attaching: 'Connecting…',
  starting: 'Starting…',
  running: 'Running',
  paused: 'Catching up…',
  exited: 'Exited',
  error: 'Unavailable',
};

export function TerminalPanel() {
  const { client } = usePaige().connection;
  const { generation } = useConnectionState();
  const hostRef = useRef<HTMLDivElement | null>(null);
  const [parts, setParts] = useState<{ term: Terminal; controller: TerminalController; fit: FitAddon } | null>(null);

  // One xterm and one controller per mounted panel.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      allowProposedApi: true,
      fontFamily: TERMINAL_FONT_FAMILY,
      fontSize: FONT_SIZE_PX,
      theme: TERMINAL_THEME,
      cursorBlink: true,
      scrollback: SCROLLBACK_LINES,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
    term.loadAddon(
      new WebLinksAddon((_event, url) => {
        client.invoke('app:open_external', { url }).then(
          (r) => {
            if (!r.opened) window.open(r.url ?? url, '_blank', 'noopener,noreferrer');
          },
          () => undefined,
        );
      }),
    );
    term.open(host);
    const controller = new TerminalController(client, {
      write: (data, onParsed) => term.write(data, onParsed),
      reset: () => term.reset(),
    });
    const dataSub = term.onData((data) => controller.input(data));
    term.attachCustomKeyEventHandler((ev) => handleClipboardKeys(ev, term));
    setParts({ term, controller, fit });
    return () => {
      dataSub.dispose();
      controller.dispose();
      term.dispose();
      setParts(null);
    };
  }, [client]);

  // Attach once connected, and again after every reconnect (a new connection is a new subscriber to the host).
  useEffect(() => {
    if (!parts || generation === 0) return;
    fitSafely(parts.fit);
    void parts.controller.attach(parts.term.cols, parts.term.rows);
  }, [parts, generation]);

  // Fit the terminal to its pane and tell the pty, debounced.
  useEffect(() => {
    const host = hostRef.current;
    if (!parts || !host) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const observer = new ResizeObserver(() => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        if (!fitSafely(parts.fit)) return;
        parts.controller.resize(parts.term.cols, parts.term.rows);
      }, RESIZE_DEBOUNCE_MS);
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      if (timer !== null) clearTimeout(timer);
    };
  }, [parts]);

  return (
    <section className="terminal-panel" data-testid="terminal-panel">
      {parts ? <TerminalToolbar term={parts.term} controller={parts.controller} /> : null}
      <div className="terminal-host" ref={hostRef} data-testid="terminal-host" />
    </section>
  );
}

function TerminalToolbar({ term, controller }: { term: Terminal; controller: TerminalController }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const title = state.command ? (state.fallback ? `shell (${state.command} not found)` : state.command) : 'Terminal';
  return (
    <>
      <div
        className="terminal-toolbar"
        data-testid="terminal-status"
        data-state={state.status}
        data-pty-id={state.ptyId ?? ''}
      >
        <span className="terminal-title">{title}</span>
        <span className={`terminal-state terminal-state-${state.status}`}>{STATUS_LABEL[state.status]}</span>
        <span className="terminal-actions">
          <button
            type="button"
            className="terminal-button"
            title="Copy selection (Ctrl+Shift+C)"
            onClick={() => void copySelection(term)}
          >
            Copy
          </button>
          <button
            type="button"
            className="terminal-button"
            title="Paste (Ctrl+Shift+V)"
            onClick={() => void pasteClipboard(term)}
          >
            Paste
          </button>
          <button
            type="button"
            className="terminal-button"
            data-testid="terminal-restart"
            title="End this process and start a new one"
            onClick={() => void controller.restart()}
          >
            Restart
          </button>
        </span>
      </div>
      {state.status === 'exited' ? (
        <div className="terminal-banner" data-testid="terminal-exit-banner">
          Process exited{state.exitCode !== null ? ` with code ${state.exitCode}` : ''}.{' '}
          <button type="button" className="terminal-button" onClick={() => void controller.restart()}>
            Restart
          </button>
        </div>
      ) : null}
      {state.status === 'error' && state.error ? (
        <div className="terminal-banner terminal-banner-error" data-testid="terminal-error">
          {state.error}
        </div>
      ) : null}
    </>
  );
}

/** Fit fails while the pane is hidden (zero size); that is not worth a resize. */
function fitSafely(fit: FitAddon): boolean {
  const dims = fit.proposeDimensions();
  if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows) || dims.cols < 2 || dims.rows < 1) {
    return false;
  }
  fit.fit();
  return true;
}

async function copySelection(term: Terminal): Promise<void> {
  if (!term.hasSelection()) return;
  try {
    await navigator.clipboard.writeText(term.getSelection());
  } catch {
    // Clipboard permission denied: the selection stays for a manual copy.
  }
}

async function pasteClipboard(term: Terminal): Promise<void> {
  try {
    // term.paste wraps the text in bracketed-paste markers when the program asked for them.
    term.paste(await navigator.clipboard.readText());
  } catch {
    // Clipboard permission denied; the browser's own paste (Ctrl+V / middle click) still works.
  }
  term.focus();
}

/** Ctrl+Shift+C / Ctrl+Shift+V (Cmd+C / Cmd+V on macOS) copy and paste; Ctrl+C still interrupts. */
function handleClipboardKeys(ev: KeyboardEvent, term: Terminal): boolean {
  if (ev.type !== 'keydown') return true;
  const mod = (ev.ctrlKey && ev.shiftKey) || (ev.metaKey && !ev.ctrlKey);
  if (!mod) return true;
  const key = ev.key.toLowerCase();
  if (key === 'c' && term.hasSelection()) {
    void copySelection(term);
    ev.preventDefault();
    return false;
  }
  if (key === 'v') {
    // Let the browser deliver its paste event to xterm's textarea (handles permissions and bracketed paste).
    return false;
  }
  return true;
}
