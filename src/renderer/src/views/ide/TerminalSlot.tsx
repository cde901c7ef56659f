// The IDE's bottom panel content. The terminal panel replaces this placeholder.
export function TerminalSlot() {
  return (
    <div className="terminal-placeholder" data-testid="terminal-placeholder">
      Terminal
    </div>
  );
}
