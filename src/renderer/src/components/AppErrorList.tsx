// Backend errors pushed on `app:error`, each dismissible.
import { useAppErrors, usePaige } from '../state/paige-context';

export function AppErrorList() {
  const { errors } = usePaige();
  const items = useAppErrors();
  if (items.length === 0) return null;
  return (
    <section className="app-errors" aria-label="Errors reported by Paige" data-testid="app-errors">
      <ul>
        {items.map((item) => (
          <li key={item.id} className="banner banner-error" role="alert" data-testid="app-error">
            <span className="error-code">{item.code}</span>
            <span className="error-message">{item.message}</span>
            {item.cid !== undefined && <span className="banner-detail">cid {item.cid}</span>}
            <button
              type="button"
              className="button-icon"
              aria-label={`Dismiss ${item.code}`}
              data-testid="app-error-dismiss"
              onClick={() => {
                errors.dismiss(item.id);
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {items.length > 1 && (
        <button
          type="button"
          className="button-small"
          onClick={() => {
            errors.dismissAll();
          }}
        >
          Dismiss all
        </button>
      )}
    </section>
  );
}
