// The IDE's bottom panel content: the embedded terminal.
import { TerminalPanel } from '../../terminal/TerminalPanel';

export function TerminalSlot() {
  return <TerminalPanel />;
}
