// A thumb up or down drawn inline for "did this help?" buttons: emoji need a font the machine may not have.
export function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg className="thumb-icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d="M2 7h2.5v7H2zM6 14V7.2l2.6-4.6c.3-.5 1-.7 1.5-.3.4.3.6.8.5 1.3L10 6.5h3.3c.8 0 1.4.8 1.2 1.6l-1.3 4.8c-.2.7-.8 1.1-1.5 1.1z"
        fill="currentColor"
        transform={down ? 'matrix(1 0 0 -1 0 16)' : undefined}
      />
    </svg>
  );
}
