import type { RunResultData } from '../../../../../shared/ipc/contract';
import { Badge } from '../../../components/ui/Badge';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { useRun } from '../hooks/run-store-context';
import { engineLabel, headersThatMatter, prettyBody, SERVERS, statusText, statusTone, type Server } from '../store/selectors';

/** The answer to one Send: status, latency, the headers that matter, the body (indented or exact), Azure's hidden log. */
export function RunResult({ result, server }: { result: RunResultData; server: Server }) {
  const exactText = useRun((s) => s.exactText);
  const setExactText = useRun((s) => s.setExactText);
  const tone = statusTone(result.status);
  const engine = engineLabel(result);
  return (
    <section className="card run-result" data-testid="run-result" data-status={result.status}>
      <header className={`run-status run-status-${tone}`}>
        <span className="run-status-code" data-testid="run-status">
          {statusText(result)}
        </span>
        <span className="run-latency" data-testid="run-latency" title="Time Preflight took to answer, model loading on first use included">
          {result.latency_ms < 10 ? result.latency_ms.toFixed(1) : Math.round(result.latency_ms)} ms
        </span>
      </header>

      <div className="run-meta">
        {engine ? (
          <span data-testid="run-engine">
            <Badge tone="accent">{engine}</Badge>
          </span>
        ) : (
          <span className="muted small">The model was not called: the server answered before it.</span>
        )}
        <Badge tone="muted" title="The server profile that gave this answer">
          {SERVERS.find((s) => s.id === server)?.label} answer
        </Badge>
        <Badge tone="muted" title={result.mlflow_version.note}>
          MLflow {result.mlflow_version.version}
        </Badge>
        {result.warnings.length > 0 ? <Badge tone="warning">{result.warnings.length} warning{result.warnings.length === 1 ? '' : 's'}</Badge> : null}
      </div>
      {result.loader && result.loader.notes.length > 0 ? (
        <div className="callout callout-info" data-testid="run-loader-notes">
          {result.loader.notes.map((n, i) => (
            <p key={i}>{n}</p>
          ))}
        </div>
      ) : null}

      <table className="run-headers" aria-label="Response headers">
        <tbody>
          {headersThatMatter(result.headers).map(([k, v]) => (
            <tr key={k}>
              <th scope="row" className="mono">
                {k}
              </th>
              <td className="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <label className="run-check">
        <input type="checkbox" data-testid="exact-text" checked={exactText} onChange={(e) => setExactText(e.target.checked)} /> exact text (byte for byte, as the
        server writes it)
      </label>
      <CodeBlock code={exactText ? result.body_text : prettyBody(result)} label="Response body" testId="run-body" />

      {result.server_log ? (
        <CodeBlock
          code={result.server_log}
          label={server === 'azureml' ? "Server log — Azure writes this only to the deployment's log; the caller never sees it" : 'Server log'}
          testId="run-server-log"
        />
      ) : null}

      {result.warnings.length > 0 ? (
        <ul className="plain-list run-warnings" data-testid="run-warnings">
          {result.warnings.map((w, i) => (
            <li key={`${w.code}-${i}`}>
              <code>{w.code}</code> {w.message} {w.path && w.path !== '$' ? <code>{w.path}</code> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
