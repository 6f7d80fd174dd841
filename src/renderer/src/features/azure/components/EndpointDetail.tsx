import { useState } from 'react';
import { Badge } from '../../../components/ui/Badge';
import { TabPanel, Tabs } from '../../../components/ui/Tabs';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { useAzure } from '../hooks/azure-store-context';
import { deploymentsWithTraffic, modelLabel } from '../store/selectors';
import { EndpointHead } from './EndpointHead';
import { ExportYamlPanel } from './ExportYamlPanel';
import { InvokePanel } from './InvokePanel';
import { KeysPanel } from './KeysPanel';
import { LogsPanel } from './LogsPanel';
import { stateTone } from './ResourceLists';

type DetailTab = 'invoke' | 'logs' | 'keys' | 'yaml';

/** Delete with a typed confirmation: the endpoint's name. */
function DeleteEndpoint({ name }: { name: string }) {
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const deleting = useAzure((s) => s.deleting);
  const remove = useAzure((s) => s.deleteEndpoint);
  const error = useAzure((s) => s.deleteError);
  if (!asking) {
    return (
      <button type="button" className="btn btn-small btn-danger" onClick={() => setAsking(true)} data-testid="azure-delete">
        Delete endpoint…
      </button>
    );
  }
  return (
    <div className="azure-delete-confirm" data-testid="azure-delete-confirm">
      <span>
        Deletes <strong>{name}</strong> and all its deployments; callers get errors from then on. Type the endpoint's name to confirm:
      </span>
      <input className="input mono" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="azure-delete-name" autoComplete="off" spellCheck={false} />
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={typed.trim() !== name || deleting !== null}
        onClick={() => void remove(name).then((ok) => ok && setAsking(false))}
        data-testid="azure-delete-confirm-button"
      >
        {deleting === name ? 'Deleting…' : 'Delete'}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setAsking(false)} disabled={deleting !== null}>
        Keep it
      </button>
      {error ? <ErrorPanel title="Delete failed" error={error} /> : null}
    </div>
  );
}

/** One endpoint: its deployments and traffic, then invoke, logs and keys — and delete. */
export function EndpointDetail({ modelPath }: { modelPath: string | null }) {
  const endpoints = useAzure((s) => s.endpoints);
  const selected = useAzure((s) => s.selectedEndpoint);
  const [tab, setTab] = useState<DetailTab>('invoke');
  const e = endpoints.find((x) => x.name === selected);
  if (!e) return null;
  return (
    <section className="azure-card azure-endpoint" data-testid="azure-endpoint" data-endpoint={e.name}>
      <EndpointHead name={e.name} state={e.state} auth={e.authMode === 'AADToken' ? 'Entra token auth' : 'key auth'} uriLabel="Scoring URI" uri={e.scoringUri} actions={<DeleteEndpoint key={e.name} name={e.name} />} />
      <table className="azure-table" data-testid="azure-deployments">
        <thead>
          <tr>
            <th>Deployment</th>
            <th>State</th>
            <th>Model</th>
            <th>Instance type</th>
            <th>Traffic</th>
          </tr>
        </thead>
        <tbody>
          {deploymentsWithTraffic(e).map((d) => (
            <tr key={d.name} data-testid="azure-deployment-row" data-deployment={d.name} data-state={d.state}>
              <td className="mono">{d.name}</td>
              <td>
                <Badge tone={stateTone(d.state)}>{d.state}</Badge>
              </td>
              <td className="mono">{modelLabel(d.model)}</td>
              <td className="mono">{d.instanceType ?? '—'}</td>
              <td>{d.traffic} %</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Tabs<DetailTab>
        label="Endpoint tools"
        tabs={[
          { id: 'invoke', label: 'Invoke' },
          { id: 'logs', label: 'Logs' },
          { id: 'keys', label: e.authMode === 'Key' ? 'Keys' : 'Auth' },
          { id: 'yaml', label: 'Export YAML' },
        ]}
        active={tab}
        onChange={setTab}
      />
      <TabPanel id={tab}>
        {tab === 'invoke' ? <InvokePanel endpoint={e} modelPath={modelPath} /> : tab === 'logs' ? <LogsPanel endpoint={e} /> : tab === 'keys' ? <KeysPanel endpoint={e} /> : <ExportYamlPanel target={{ kind: 'online', endpoint: e.name }} />}
      </TabPanel>
    </section>
  );
}
