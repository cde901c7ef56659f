// A drag handle between panes; reports the pointer's movement so the parent can resize within its limits.
import { useRef } from 'react';

export function ResizeHandle({
  direction,
  area,
  onResize,
  testId,
}: {
  direction: 'vertical' | 'horizontal';
  /** The grid area the handle occupies in the parent layout. */
  area: string;
  onResize(deltaPx: number): void;
  testId: string;
}) {
  const last = useRef<number | null>(null);
  return (
    <div
      role="separator"
      aria-orientation={direction}
      className={`resize-handle resize-${direction}`}
      data-testid={testId}
      style={{ gridArea: area }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        last.current = direction === 'vertical' ? e.clientX : e.clientY;
      }}
      onPointerMove={(e) => {
        if (last.current === null) return;
        const now = direction === 'vertical' ? e.clientX : e.clientY;
        onResize(now - last.current);
        last.current = now;
      }}
      onPointerUp={(e) => {
        e.currentTarget.releasePointerCapture(e.pointerId);
        last.current = null;
      }}
    />
  );
}
