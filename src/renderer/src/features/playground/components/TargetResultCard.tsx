import type { TargetResultData } from '@shared/ipc/compare-contract';
import { clipLongLines } from '@shared/text/clip-lines';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { formLabel, responseBodyText } from '../store/result-view';
import { CopyAs } from './CopyAs';

/** Response headers worth a look: the request id support asks for, Azure's model-error headers, the body type. */
const HEADERS_THAT_MATTER = /^(x-request-id|x-ms-request-id|azureml-model-deployment|ms-azureml-model-error-.*|content-type|x-ms-run-function-failed)$/;

const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 408: 'Request Timeout', 415: 'Unsupported Media Type', 424: 'Failed Dependency', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

function HeadersTable({ headers, label }: { headers: [string, string][]; label: string }) {
  return (
    <table className="pg-headers" aria-label={label}>
      <tbody>
        {headers.map(([k, v]) => (
          <tr key={k}>
            <th scope="row" className="mono">
              {k}
            </th>
            <td className="mono">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One target's answer: status, latency, the headers that matter, the root cause on top, the body, what was sent. */
export function TargetResultCard({ result, exactText }: { result: TargetResultData; exactText: boolean }) {
  const r = result.response;
  const ok = r !== null && r.status >= 200 && r.status < 300;
  return (
    <section className={`card pg-result ${ok ? 'pg-result-ok' : 'pg-result-bad'}`} data-testid="target-result" data-target={result.name} data-status={r?.status ?? 'none'}>
      <header className="pg-result-head">
        <h3 className="mono pg-target-name" title={result.name}>
          {result.name}
        </h3>
        {r ? (
          <span className={`pg-status ${ok ? 'text-ok' : 'text-error'}`} data-testid="target-status">
            {r.status} {REASONS[r.status] ?? ''}
          </span>
        ) : (
          <span className="pg-status text-error" data-testid="target-status">
            no answer
          </span>
        )}
        {r ? (
          <span className="muted small" data-testid="target-latency">
            {r.latency_ms < 10 ? r.latency_ms.toFixed(1) : Math.round(r.latency_ms)} ms
          </span>
        ) : null}
      </header>
      {result.runner?.engine ? (
        <p className="muted small" data-testid="target-engine">
          ran in {result.runner.engine === 'onnx' ? 'ONNX (onnxruntime-node, no Python)' : `Python ${result.runner.interpreter ?? ''}`}
          {result.runner.loader ? ` · loader ${result.runner.loader}` : ''}
        </p>
      ) : null}
      {result.error ? (
        <p className="callout callout-error pg-root-cause" data-testid="target-error">
          <code>{result.error.code}</code> {result.error.message}
        </p>
      ) : null}
      {result.rootCause ? (
        <p className="callout callout-error pg-root-cause" data-testid="target-root-cause">
          <strong>Root cause:</strong> {result.rootCause}
        </p>
      ) : null}
      {r ? (
        <>
          <HeadersTable label="Response headers" headers={Object.entries(r.headers).filter(([k]) => HEADERS_THAT_MATTER.test(k))} />
          <CodeBlock code={responseBodyText(r, exactText)} label="Response body" testId="target-body" />
        </>
      ) : null}
      {result.serverLog ? <CodeBlock code={clipLongLines(result.serverLog)} label="Server log (Azure writes this only to the deployment's log)" testId="target-server-log" /> : null}
      <details className="pg-sent" data-testid="target-sent">
        <summary>
          Request sent{result.request.converted ? ` — converted from ${formLabel(result.request.from)} to ${formLabel(result.request.to)}` : ' — as written'}
        </summary>
        <p className="mono small">POST {result.request.url}</p>
        <HeadersTable label="Request headers" headers={Object.entries(result.request.headers)} />
        {result.request.warnings.map((w, i) => (
          <p key={i} className="text-warning small">
            {w.message} <code>{w.path}</code>
          </p>
        ))}
        {result.request.notes.map((n, i) => (
          <p key={i} className="muted small">
            {n}
          </p>
        ))}
        <CodeBlock code={result.request.body} label="Exact body bytes" testId="target-sent-body" />
        {result.spec.kind === 'url' || (result.spec.kind === 'azure' && /^https?:/.test(result.request.url)) ? (
          <CopyAs request={{ url: result.request.url, headers: result.request.headers, body: result.request.body }} server={result.spec.server} />
        ) : result.spec.kind === 'local' ? (
          <p className="muted small">To call it from elsewhere, start a local server below and add its URL as a target: Copy as curl / Python (and az ml online-endpoint invoke for an Azure ML one) is offered for URL targets.</p>
        ) : null}
      </details>
    </section>
  );
}
