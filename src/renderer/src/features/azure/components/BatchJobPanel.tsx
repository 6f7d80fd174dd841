import { Badge } from '../../../components/ui/Badge';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { formatBytes } from '../../../lib/format';
import { useAzure } from '../hooks/azure-store-context';
import type { BatchEndpoint } from '../store/azure-types';
import { jobStatusLabel } from '../store/batch-selectors';
import { formatElapsed } from '../store/selectors';
import { DeploymentPicker } from './DeploymentPicker';
import { FolderField } from './FolderField';

/** The first rows of the downloaded predictions file. */
function PredictionsPreviewTable() {
  const preview = useAzure((s) => s.preview);
  const error = useAzure((s) => s.previewError);
  if (error) return <ErrorPanel title="Could not read the predictions file" error={error} />;
  if (!preview) return null;
  return (
    <div className="azure-preview" data-testid="azure-batch-preview">
      <p className="azure-muted">
        {preview.totalRows !== null ? `${preview.rows.length} of ${preview.totalRows} rows` : `First ${preview.rows.length} rows`} of <span className="mono azure-select-all">{preview.path}</span> ({formatBytes(preview.bytes)})
      </p>
      <div className="azure-preview-scroll">
        <table className="azure-table">
          <thead>
            <tr>
              {preview.columns.map((c, i) => (
                <th key={`${c}-${i}`} className="mono">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r, i) => (
              <tr key={i} data-testid="azure-batch-preview-row">
                {r.map((v, j) => (
                  <td key={j} className="mono">
                    {v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The last job on this endpoint: its status, Azure's error when it failed, or where the predictions went. */
function JobCard({ endpoint }: { endpoint: string }) {
  const job = useAzure((s) => s.batchJob);
  if (!job || job.endpoint !== endpoint) return null;
  const label = jobStatusLabel(job.status, job.azureStatus);
  const tone = job.status === 'running' ? 'warning' : job.status === 'succeeded' ? 'ok' : job.status === 'cancelled' ? 'warning' : 'error';
  return (
    <div className={`azure-answer ${job.status === 'failed' ? 'azure-answer-error' : job.status === 'succeeded' ? 'azure-answer-ok' : ''}`} data-testid="azure-batch-job" data-status={job.status}>
      <div className="azure-answer-head">
        <strong>Batch job</strong>
        <span className="mono" data-testid="azure-batch-job-name">
          {job.job ?? (job.status === 'running' ? 'starting…' : 'not started')}
        </span>
        <Badge tone={tone}>
          <span data-testid="azure-batch-job-status">{label}</span>
        </Badge>
        {job.result ? <span className="azure-muted">{formatElapsed(job.result.elapsedMs)}</span> : null}
      </div>
      {job.status === 'running' ? <p className="azure-note">Uploading the folder, then following the job: progress is in the operation above. Stop waiting leaves the job running in Azure.</p> : null}
      {job.error ? (
        <p className={job.status === 'cancelled' ? 'azure-warn' : 'azure-problem'} data-testid="azure-batch-job-error">
          {job.error.message}
        </p>
      ) : null}
      {job.result ? (
        <dl className="azure-review">
          <dt>Input</dt>
          <dd className="mono">
            {job.result.inputUri} ({job.result.uploadedBytes === 0 ? 'already uploaded: nothing sent' : `${formatBytes(job.result.uploadedBytes)} uploaded`})
          </dd>
          <dt>Output</dt>
          <dd className="mono">{job.result.outputUri}</dd>
          <dt>Predictions</dt>
          <dd className="mono" data-testid="azure-batch-predictions-path">
            {job.result.predictionsPath ?? '—'}
          </dd>
        </dl>
      ) : null}
      {job.status === 'succeeded' ? <PredictionsPreviewTable /> : null}
    </div>
  );
}

/** Run a job on a local folder of CSV/parquet files and download its predictions.csv into a folder. */
export function BatchJobPanel({ endpoint }: { endpoint: BatchEndpoint }) {
  const input = useAzure((s) => s.jobInput);
  const outDir = useAzure((s) => s.jobOutDir);
  const deployment = useAzure((s) => s.jobDeployment);
  const setInput = useAzure((s) => s.setJobInput);
  const setOutDir = useAzure((s) => s.setJobOutDir);
  const setDeployment = useAzure((s) => s.setJobDeployment);
  const run = useAzure((s) => s.runBatchJob);
  const confirm = useAzure((s) => s.jobConfirmOverwrite);
  const dismiss = useAzure((s) => s.dismissJobOverwrite);
  const busy = useAzure((s) => s.operation?.status === 'running');
  const noDeployment = endpoint.deployments.length === 0;
  return (
    <div className="azure-invoke" data-testid="azure-batch-run">
      <div className="azure-row">
        <DeploymentPicker endpoint={endpoint} label="Deployment" anyLabel={`default${endpoint.defaultDeployment ? ` (${endpoint.defaultDeployment})` : ''}`} value={deployment} onChange={setDeployment} testId="azure-batch-job-deployment" />
        <FolderField label="Input folder (.csv, .parquet files; uploaded to the default datastore)" value={input} onChange={setInput} field="jobInput" testId="azure-batch-input" />
      </div>
      <div className="azure-row">
        <FolderField label="Download predictions.csv into" value={outDir} onChange={setOutDir} field="jobOutDir" testId="azure-batch-out" />
        <button type="button" className="btn btn-primary" disabled={busy || noDeployment || !input.trim() || !outDir.trim()} onClick={() => void run()} data-testid="azure-batch-run-button" title={noDeployment ? 'This batch endpoint has no deployment yet' : undefined}>
          Run job
        </button>
      </div>
      {confirm ? (
        <div className="azure-delete-confirm" data-testid="azure-batch-overwrite">
          <span className="azure-warn">{confirm}</span>
          <button type="button" className="btn btn-small btn-danger" onClick={() => void run(true)} data-testid="azure-batch-overwrite-yes">
            Replace it and run
          </button>
          <button type="button" className="btn btn-small" onClick={dismiss}>
            Keep it
          </button>
        </div>
      ) : null}
      <JobCard endpoint={endpoint.name} />
    </div>
  );
}

