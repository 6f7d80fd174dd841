import type { ReactNode } from 'react';
import type { ErrorData } from '@shared/errors';
import { prettyJson } from '../../lib/format';

/** A failed operation, shown in place of its result: code, the host's message, a hint, and any details. */
export function ErrorPanel({
  title,
  error,
  hint,
  actions,
}: {
  title: ReactNode;
  error: ErrorData;
  hint?: string | null;
  actions?: ReactNode;
}) {
  return (
    <section className="error-panel" data-testid="error-panel" role="alert">
      <header className="error-panel-head">
        <span className="error-panel-title">{title}</span>
        <code className="error-code" data-testid="error-code">
          {error.code}
        </code>
      </header>
      <p className="error-message" data-testid="error-message">
        {error.message}
      </p>
      {hint ? <p className="error-hint">{hint}</p> : null}
      {error.details !== undefined ? (
        <details className="error-details">
          <summary>Details</summary>
          <pre>{prettyJson(error.details)}</pre>
        </details>
      ) : null}
      {actions ? <div className="error-actions">{actions}</div> : null}
    </section>
  );
}
