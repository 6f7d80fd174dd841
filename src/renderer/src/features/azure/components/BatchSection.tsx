import { useState } from 'react';
import { Badge } from '../../../components/ui/Badge';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { TabPanel, Tabs } from '../../../components/ui/Tabs';
import { useAzure } from '../hooks/azure-store-context';
import type { BatchEndpoint } from '../store/azure-types';
import { modelLabel } from '../store/selectors';
import { BatchDeployForm } from './BatchDeployForm';
import { BatchJobPanel } from './BatchJobPanel';
import type { DeployModel } from './DeployWizard';
import { DeploymentChips } from './DeploymentChips';
import { EndpointHead } from './EndpointHead';
import { ExportYamlPanel } from './ExportYamlPanel';
import { stateTone } from './ResourceLists';

type BatchTool = 'batch-run' | 'batch-yaml';

/** One batch endpoint: its deployments (the default marked), then Run a job and Export YAML. */
function BatchEndpointDetail({ endpoint: e }: { endpoint: BatchEndpoint }) {
  const [tool, setTool] = useState<BatchTool>('batch-run');
  return (
    <section className="azure-card azure-endpoint" data-testid="azure-batch-endpoint" data-endpoint={e.name}>
      <EndpointHead name={e.name} state={e.state} auth="Entra token auth" uriLabel="Invocation URI" uri={e.scoringUri} />
      <table className="azure-table" data-testid="azure-batch-deployments">
        <thead>
          <tr>
            <th>Deployment</th>
            <th>State</th>
            <th>Model</th>
            <th>Compute</th>
            <th>Default</th>
          </tr>
        </thead>
        <tbody>
          {e.deployments.map((d) => (
            <tr key={d.name} data-testid="azure-batch-deployment-row" data-deployment={d.name} data-state={d.state}>
              <td className="mono">{d.name}</td>
              <td>
                <Badge tone={stateTone(d.state)}>{d.state}</Badge>
              </td>
              <td className="mono">{modelLabel(d.model)}</td>
              <td className="mono">{d.compute ? d.compute.split('/').pop() : '—'}</td>
              <td>{d.name === e.defaultDeployment ? 'yes' : ''}</td>
            </tr>
          ))}
          {e.deployments.length === 0 ? (
            <tr>
              <td colSpan={5} className="azure-muted">
                No deployments yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <Tabs<BatchTool>
        label="Batch endpoint tools"
        tabs={[
          { id: 'batch-run', label: 'Run a job' },
          { id: 'batch-yaml', label: 'Export YAML' },
        ]}
        active={tool}
        onChange={setTool}
      />
      <TabPanel id={tool}>{tool === 'batch-run' ? <BatchJobPanel endpoint={e} /> : <ExportYamlPanel target={{ kind: 'batch', endpoint: e.name }} />}</TabPanel>
    </section>
  );
}

/**
 * The workspace's batch endpoints (Azure ML batch: the scale-out path for data that outgrows the laptop):
 * list, create one with an MLflow batch deployment of the open model, run jobs, export YAML.
 */
export function BatchSection({ model }: { model: DeployModel | null }) {
  const endpoints = useAzure((s) => s.batchEndpoints);
  const loading = useAzure((s) => s.batchLoading);
  const error = useAzure((s) => s.batchError);
  const loaded = useAzure((s) => s.batchLoaded);
  const selected = useAzure((s) => s.selectedBatchEndpoint);
  const select = useAzure((s) => s.selectBatchEndpoint);
  const load = useAzure((s) => s.loadBatch);
  const formOpen = useAzure((s) => s.batchFormOpen);
  const formModel = useAzure((s) => s.batchFormModel);
  const openForm = useAzure((s) => s.openBatchForm);
  const busy = useAzure((s) => s.operation?.status === 'running');
  const current = endpoints.find((e) => e.name === selected) ?? null;
  return (
    <div className="azure-main" data-testid="azure-batch">
      <section className="azure-card" data-testid="azure-batch-endpoints">
        <header className="azure-operation-head">
          <h4 className="azure-section-title">Batch endpoints{loaded ? ` (${endpoints.length})` : ''}</h4>
          <span className="azure-push-right azure-actions">
            <button type="button" className="btn btn-small" onClick={() => void load()} disabled={loading} data-testid="azure-batch-refresh">
              {loading ? 'Loading…' : 'Refresh'}
            </button>
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={!model || formOpen || busy}
              title={model ? `Register ${model.name} and deploy it to a batch endpoint` : 'Open an MLflow model folder first'}
              onClick={() => model && openForm(model.path)}
              data-testid="azure-batch-new"
            >
              Batch deployment…
            </button>
          </span>
        </header>
        {error ? <ErrorPanel title="Could not list the batch endpoints" error={error} /> : null}
        {!loaded ? (
          <p className="azure-note" data-testid="azure-batch-endpoints-unknown">
            {loading ? 'Loading…' : error ? 'Not listed: Azure did not answer (the error is above). Refresh to try again.' : 'Not listed yet: Refresh reads them.'}
          </p>
        ) : endpoints.length === 0 ? (
          <p className="azure-note">No batch endpoints yet. "Batch deployment…" creates one with the open model, for jobs on folders of CSV or parquet files.</p>
        ) : (
          <table className="azure-table">
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>State</th>
                <th>Deployments</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.name} className={`azure-clickable${e.name === selected ? ' azure-row-active' : ''}`} onClick={() => select(e.name)} data-testid="azure-batch-endpoint-row" data-endpoint={e.name} aria-selected={e.name === selected}>
                  <td>
                    <button type="button" className="azure-link" onClick={() => select(e.name)}>
                      {e.name}
                    </button>
                  </td>
                  <td>
                    <Badge tone={stateTone(e.state)}>{e.state}</Badge>
                  </td>
                  <td>
                    <DeploymentChips chips={e.deployments.map((d) => ({ name: d.name, text: d.name === e.defaultDeployment ? `${d.name} (default)` : d.name, title: `${modelLabel(d.model)} on ${d.compute?.split('/').pop() ?? '?'}` }))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {formOpen && model && formModel === model.path ? <BatchDeployForm model={model} /> : null}
      {current ? <BatchEndpointDetail key={current.name} endpoint={current} /> : null}
    </div>
  );
}
