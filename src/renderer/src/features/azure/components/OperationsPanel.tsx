import { useEffect, useState } from 'react';
import { formatBytes } from '../../../lib/format';
import { useAzure } from '../hooks/azure-store-context';
import { formatElapsed, phaseRows, uploadShare } from '../store/selectors';

/** Re-renders once a second while `active`, so the elapsed time moves between progress events. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** The running (or last) deploy, delete, batch deployment or batch job: upload bytes, each ARM operation's provisioning state, elapsed time, Cancel. */
export function OperationsPanel() {
  const op = useAzure((s) => s.operation);
  const cancel = useAzure((s) => s.cancelOperation);
  const dismiss = useAzure((s) => s.dismissOperation);
  const now = useNow(op?.status === 'running');
  if (!op) return null;
  const share = uploadShare(op);
  const elapsed = (op.endedAt ?? now) - op.startedAt;
  return (
    <section className={`azure-card azure-operation azure-operation-${op.status}`} data-testid="azure-operation" data-status={op.status} aria-live="polite">
      <header className="azure-operation-head">
        <h4>{op.title}</h4>
        <span className="azure-muted" data-testid="azure-operation-elapsed">
          {formatElapsed(elapsed)}
        </span>
        {op.status === 'running' ? (
          <button type="button" className="btn btn-small azure-push-right" onClick={() => void cancel()} data-testid="azure-operation-cancel" title="Preflight stops waiting; Azure carries on with what it already started">
            Stop waiting
          </button>
        ) : (
          <button type="button" className="btn btn-small azure-push-right" onClick={dismiss} data-testid="azure-operation-dismiss">
            Dismiss
          </button>
        )}
      </header>
      {op.kind !== 'delete' ? (
        <div className="azure-phase" data-phase="upload" data-testid="azure-upload">
          <span className="azure-phase-what">{op.kind === 'batch-job' ? 'Upload the input folder' : 'Upload the model folder'}</span>
          {op.upload ? (
            <>
              <progress max={1} value={share ?? 1} />
              <span className="azure-muted">
                {formatBytes(op.upload.uploadedBytes)} of {formatBytes(op.upload.totalBytes)}
                {op.upload.totalBytes > 0 && op.upload.uploadedBytes === 0 && op.phases.length > 0 ? ' (already uploaded: nothing sent)' : ''}
              </span>
            </>
          ) : (
            <span className="azure-muted">{op.phases.length > 0 ? 'done' : op.status === 'running' ? 'hashing and checking the datastore…' : '—'}</span>
          )}
        </div>
      ) : null}
      <ol className="azure-phases" data-testid="azure-phases">
        {phaseRows(op).map((p, i) => (
          <li key={`${p.what}-${i}`} className={`azure-phase azure-phase-${p.tone}`} data-tone={p.tone}>
            <span className="azure-phase-what">{p.what}</span>
            <span className="azure-phase-state">{p.state}</span>
            <span className="azure-muted">{formatElapsed(p.elapsedMs)}</span>
          </li>
        ))}
      </ol>
      {op.logTail.length > 0 ? (
        <details className="azure-log-tail" open={op.status !== 'succeeded'} data-testid="azure-operation-logs">
          <summary>Container logs while it starts ({op.logTail.length} lines)</summary>
          <pre className="azure-pre azure-log-text" tabIndex={0}>{op.logTail.join('\n')}</pre>
        </details>
      ) : null}
      {op.status === 'running' ? <p className="azure-note">Stop waiting leaves Azure working: what was already sent ({op.kind === 'batch-job' ? 'the upload, the job' : 'upload, endpoint, deployment'}) goes on in your subscription.</p> : null}
      {op.message ? (
        <p className={op.status === 'succeeded' ? 'azure-ok' : 'azure-warn'} data-testid="azure-operation-message">
          {op.message}
        </p>
      ) : null}
      {op.result ? (
        <p className="azure-muted">
          Scoring URI <span className="mono" data-testid="azure-scoring-uri">{op.result.scoringUri}</span>
        </p>
      ) : null}
    </section>
  );
}
