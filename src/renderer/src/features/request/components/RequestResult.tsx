import type { ValidationResultData } from '../../../../../shared/ipc/contract';
import { Badge } from '../../../components/ui/Badge';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { bodyText, verdictOf } from '../store/selectors';
import { ReceivesPreview } from './ReceivesPreview';

/** The server's answer: status and exact body, Azure's hidden log, what the model receives, and Preflight's warnings. */
export function RequestResult({ result, stale }: { result: ValidationResultData; stale: boolean }) {
  const verdict = verdictOf(result);
  return (
    <section
      className={`card request-result${stale ? ' request-stale' : ''}`}
      data-testid="request-result"
      data-ok={String(result.ok)}
      data-status={result.status}
      aria-busy={stale}
    >
      <header className={`request-verdict request-verdict-${verdict.tone}`}>
        <span className="request-verdict-head" data-testid="result-status">
          {verdict.headline}
        </span>
        <span className="request-verdict-detail">{verdict.detail}</span>
      </header>

      {result.ok ? null : <CodeBlock code={bodyText(result.body)} label="Response body (exactly what the caller gets)" testId="response-body" />}

      {result.server_log ? (
        <CodeBlock
          code={result.server_log}
          label={result.server === 'azureml' ? "Server log — Azure only writes this to the deployment's log; the caller never sees it" : 'Server log'}
          testId="server-log"
        />
      ) : null}

      {result.model_receives ? (
        <div className="stack">
          <h3>The model receives</h3>
          <ReceivesPreview receives={result.model_receives} />
        </div>
      ) : null}

      {result.params_received ? (
        <div>
          <h3>params passed to predict()</h3>
          <pre className="request-values" data-testid="params-received">
            {JSON.stringify(result.params_received, null, 2)}
          </pre>
        </div>
      ) : null}

      <div data-testid="request-warnings">
        <h3 className="row-gap">
          Warnings <Badge tone={result.warnings.length > 0 ? 'warning' : 'ok'}>{result.warnings.length}</Badge>
        </h3>
        <p className="muted small request-hint">What the server does to the data without saying so. Preflight adds these; no server sends them.</p>
        {result.warnings.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="plain-list request-warnings">
            {result.warnings.map((w, i) => (
              <li key={`${w.code}-${i}`} data-testid="request-warning" data-code={w.code}>
                <code className="request-warning-code">{w.code}</code> {w.message}
                {w.path && w.path !== '$' ? (
                  <div className="muted small">
                    at <code>{w.path}</code>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
