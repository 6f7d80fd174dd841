import { Badge, type BadgeTone } from '../../../components/ui/Badge';
import { useAzure } from '../hooks/azure-store-context';
import { deploymentsWithTraffic, modelLabel } from '../store/selectors';
import { DeploymentChips } from './DeploymentChips';

export function stateTone(state: string): BadgeTone {
  const s = state.toLowerCase();
  if (s === 'succeeded') return 'ok';
  if (s === 'failed' || s === 'canceled') return 'error';
  return 'warning';
}

/** The selected workspace's registered models and managed online endpoints (click an endpoint to work with it). */
export function ResourceLists() {
  const models = useAzure((s) => s.models);
  const endpoints = useAzure((s) => s.endpoints);
  const selected = useAzure((s) => s.selectedEndpoint);
  const select = useAzure((s) => s.selectEndpoint);
  const loaded = useAzure((s) => s.listsLoaded);
  const loading = useAzure((s) => s.listsLoading);
  // Before the workspace answered (or when it did not), an empty list would claim there is nothing there.
  const unknown = loading ? 'Loading…' : 'Not listed: Azure did not answer (the error is above). Refresh to try again.';
  return (
    <div className="azure-lists">
      <section className="azure-card" data-testid="azure-endpoints">
        <h4 className="azure-section-title">Online endpoints{loaded ? ` (${endpoints.length})` : ''}</h4>
        {!loaded ? (
          <p className="azure-note" data-testid="azure-endpoints-unknown">
            {unknown}
          </p>
        ) : endpoints.length === 0 ? (
          <p className="azure-note">No online endpoints yet. Register &amp; deploy creates one.</p>
        ) : (
          <table className="azure-table">
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>Auth</th>
                <th>State</th>
                <th>Deployments (traffic)</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr
                  key={e.name}
                  className={e.name === selected ? 'azure-row-active' : undefined}
                  onClick={() => select(e.name)}
                  data-testid="azure-endpoint-row"
                  data-endpoint={e.name}
                  aria-selected={e.name === selected}
                >
                  <td>
                    <button type="button" className="azure-link" onClick={() => select(e.name)}>
                      {e.name}
                    </button>
                  </td>
                  <td>{e.authMode === 'AADToken' ? 'Entra token' : e.authMode}</td>
                  <td>
                    <Badge tone={stateTone(e.state)}>{e.state}</Badge>
                  </td>
                  <td>
                    <DeploymentChips chips={deploymentsWithTraffic(e).map((d) => ({ name: d.name, text: `${d.name} ${d.traffic} %`, title: `${modelLabel(d.model)} on ${d.instanceType ?? '?'}` }))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="azure-card" data-testid="azure-models">
        <h4 className="azure-section-title">Registered models{loaded ? ` (${models.length})` : ''}</h4>
        {!loaded ? (
          <p className="azure-note" data-testid="azure-models-unknown">
            {unknown}
          </p>
        ) : models.length === 0 ? (
          <p className="azure-note">No models registered in this workspace.</p>
        ) : (
          <table className="azure-table">
            <thead>
              <tr>
                <th>Model</th>
                <th>Latest version</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.name} data-testid="azure-model-row">
                  <td className="mono">{m.name}</td>
                  <td>{m.latestVersion ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
