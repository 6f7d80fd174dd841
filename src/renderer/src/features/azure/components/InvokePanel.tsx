import { useMemo, useState } from 'react';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { clippedNote, displayText } from '../../../lib/display-text';
import { useAzure } from '../hooks/azure-store-context';
import { answerView, invokeSampleNote } from '../store/selectors';
import { DeploymentPicker } from './DeploymentPicker';
import type { AzureEndpoint } from '../store/azure-types';

/** Send a body to the endpoint (main fetches the key or Entra token) and show status, x-request-id and decoded model errors. */
export function InvokePanel({ endpoint, modelPath }: { endpoint: AzureEndpoint; modelPath: string | null }) {
  const body = useAzure((s) => s.invokeBody);
  const setBody = useAzure((s) => s.setInvokeBody);
  const deployment = useAzure((s) => s.invokeDeployment);
  const setDeployment = useAzure((s) => s.setInvokeDeployment);
  const invoking = useAzure((s) => s.invoking);
  const answer = useAzure((s) => s.answer);
  const error = useAzure((s) => s.invokeError);
  const cancelled = useAzure((s) => s.invokeCancelled);
  const note = useAzure(invokeSampleNote);
  const invoke = useAzure((s) => s.invoke);
  const cancel = useAzure((s) => s.cancelInvoke);
  const fillSample = useAzure((s) => s.fillSample);
  // Once per answer, not on every keystroke in the body: a 5 MB answer's view costs a parse and a copy.
  const view = useMemo(() => (answer ? answerView(answer) : null), [answer]);
  const shown = useMemo(() => (view ? displayText(view.text) : null), [view]);
  const clipped = shown ? clippedNote(shown) : null;
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copyAll = async (text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('done');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 1500);
  };
  return (
    <div className="azure-invoke" data-testid="azure-invoke">
      <div className="azure-row">
        <DeploymentPicker endpoint={endpoint} label="Deployment (azureml-model-deployment)" anyLabel="by traffic" value={deployment} onChange={setDeployment} testId="azure-invoke-deployment" />
        {modelPath ? (
          <button type="button" className="btn btn-small" onClick={() => void fillSample(modelPath)} data-testid="azure-invoke-sample" title="The open model's input example in Azure's input_data form">
            Fill from the open model's example
          </button>
        ) : null}
      </div>
      {note ? (
        <p className="azure-note" data-testid="azure-invoke-sample-note">
          {note}
        </p>
      ) : null}
      <textarea className="input mono azure-body" rows={8} value={body} onChange={(e) => setBody(e.target.value)} spellCheck={false} placeholder='{"input_data": {"columns": [...], "data": [[...]]}}' data-testid="azure-invoke-body" aria-label="Request body" />
      <div className="azure-actions">
        <button type="button" className="btn btn-primary" disabled={invoking || body.trim() === ''} onClick={() => void invoke()} data-testid="azure-invoke-send">
          {invoking ? 'Sending…' : 'Send'}
        </button>
        {invoking ? (
          <button type="button" className="btn" onClick={() => void cancel()} data-testid="azure-invoke-cancel" title="Abort the request and stop waiting for the endpoint's answer">
            Cancel
          </button>
        ) : null}
        <span className="azure-muted">{endpoint.authMode === 'AADToken' ? 'Sent with an Entra token for the scoring scope, fetched in the main process.' : "Sent with the endpoint's key, read in the main process (never by this page)."}</span>
      </div>
      {error ? <ErrorPanel title="Invoke failed" error={error} /> : null}
      {cancelled ? (
        <p className="azure-note" role="status" data-testid="azure-invoke-cancelled">
          <strong>Cancelled.</strong> {cancelled}
        </p>
      ) : null}
      {view ? (
        <div className={`azure-answer ${view.ok ? 'azure-answer-ok' : 'azure-answer-error'}`} data-testid="azure-answer" data-status={view.status}>
          <div className="azure-answer-head">
            <strong data-testid="azure-answer-status">HTTP {view.status}</strong>
            <span className="azure-muted">
              x-request-id <span className="mono azure-select-all" data-testid="azure-answer-request-id">{view.requestId ?? '—'}</span>
            </span>
          </div>
          {view.explanation ? <p className="azure-warn" data-testid="azure-answer-explanation">{view.explanation}</p> : null}
          {view.modelErrors.length > 0 ? (
            <dl className="azure-review" data-testid="azure-answer-model-errors">
              {view.modelErrors.map((m) => (
                <div key={m.name} className="azure-review-row">
                  <dt>model error {m.name}</dt>
                  <dd className="mono">{m.value}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <pre className="azure-pre" data-testid="azure-answer-body">
            {shown?.shown}
          </pre>
          {clipped ? (
            <p className="azure-muted" data-testid="azure-answer-clipped">
              {clipped}{' '}
              <button type="button" className="btn btn-small" onClick={() => void copyAll(view.text)} data-testid="azure-answer-copy">
                {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
