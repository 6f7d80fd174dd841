import { useEffect, useRef } from 'react';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { useAzure } from '../hooks/azure-store-context';
import type { AzureEndpoint } from '../store/azure-types';
import { DeploymentPicker } from './DeploymentPicker';

/** A deployment's container log (inference server or storage initializer), scrollable, with Refresh. */
export function LogsPanel({ endpoint }: { endpoint: AzureEndpoint }) {
  const logs = useAzure((s) => s.logs);
  const loading = useAzure((s) => s.logsLoading);
  const error = useAzure((s) => s.logsError);
  const container = useAzure((s) => s.logsContainer);
  const setContainer = useAzure((s) => s.setLogsContainer);
  const deployment = useAzure((s) => s.logsDeployment);
  const setDeployment = useAzure((s) => s.setLogsDeployment);
  const load = useAzure((s) => s.loadLogs);
  const pre = useRef<HTMLPreElement>(null);
  // The newest lines are at the end: show them first, as `tail -f` would.
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [logs]);
  return (
    <div className="azure-logs" data-testid="azure-logs">
      <div className="azure-row">
        <DeploymentPicker endpoint={endpoint} label="Deployment" anyLabel="most traffic" value={deployment} onChange={setDeployment} testId="azure-logs-deployment" />
        <label className="azure-field">
          <span className="azure-label">Container</span>
          <select className="input" value={container} onChange={(e) => setContainer(e.target.value as typeof container)} data-testid="azure-logs-container">
            <option value="InferenceServer">inference-server</option>
            <option value="StorageInitializer">storage-initializer</option>
          </select>
        </label>
        <button type="button" className="btn" onClick={() => void load()} disabled={loading} data-testid="azure-logs-refresh">
          {loading ? 'Loading…' : logs ? 'Refresh' : 'Show logs'}
        </button>
      </div>
      {error ? <ErrorPanel title="Could not read the logs" error={error} /> : null}
      {logs ? (
        <>
          <p className="azure-muted">
            Last 500 lines of <span className="mono">{logs.deployment}</span> / <span className="mono">{logs.container}</span>
          </p>
          <pre ref={pre} className="azure-pre azure-log-text" tabIndex={0} data-testid="azure-logs-text">
            {logs.text || '(the log is empty)'}
          </pre>
        </>
      ) : null}
    </div>
  );
}
