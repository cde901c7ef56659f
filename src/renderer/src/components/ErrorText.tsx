// An inline error line: "CODE: message".
import type { ErrorInfo } from '../lib/error-info';

export function ErrorText({ error, testId }: { error: ErrorInfo; testId?: string }) {
  return (
    <p className="inline-error" role="alert" data-testid={testId}>
      <span className="error-code">{error.code}</span> <span className="error-message">{error.message}</span>
    </p>
  );
}
