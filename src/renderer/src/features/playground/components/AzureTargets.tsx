import { usePlayground } from '../hooks/playground-store-context';

/** The "+ Azure endpoint" button: opens the picker of the signed-in workspace's endpoints and deployments. */
export function AddAzureTargetButton() {
  const open = usePlayground((s) => s.azurePicker.status !== 'closed');
  const toggle = usePlayground((s) => s.toggleAzurePicker);
  return (
    <button type="button" className="btn btn-small" data-testid="add-azure-target" aria-expanded={open} onClick={() => void toggle()} title="An online endpoint of the signed-in Azure ML workspace; its key or Entra token stays in the main process">
      + Azure endpoint
    </button>
  );
}

/** The picker (when open) and the chosen `azure:<endpoint>[/<deployment>]` targets. */
export function AzureTargets() {
  const picker = usePlayground((s) => s.azurePicker);
  const targets = usePlayground((s) => s.azureTargets);
  const add = usePlayground((s) => s.addAzureTarget);
  const remove = usePlayground((s) => s.removeAzureTarget);
  const chosen = (endpoint: string, deployment: string | null): boolean => targets.some((t) => t.endpoint === endpoint && t.deployment === deployment);
  return (
    <>
      {picker.status === 'loading' ? <p className="muted small" data-testid="azure-picker">Reading the workspace's online endpoints…</p> : null}
      {picker.status === 'unavailable' || picker.status === 'error' ? (
        <p className="small" role="status" data-testid="azure-picker">
          {picker.message}
        </p>
      ) : null}
      {picker.status === 'ready' ? (
        <div className="pg-headers-edit" data-testid="azure-picker">
          <span className="muted small">
            Online endpoints of {picker.workspace}
            {picker.endpoints.length === 0 ? ': none yet (deploy one from the Azure tab).' : ' — pick the endpoint (its traffic split chooses) or one deployment:'}
          </span>
          {picker.endpoints.map((e) => (
            <div key={e.name} className="pg-target-row">
              <button type="button" className="btn btn-small" data-testid={`azure-pick-${e.name}`} disabled={chosen(e.name, null)} onClick={() => add(e.name, null)}>
                {e.name}
              </button>
              <span className="muted small">
                {e.authMode === 'AADToken' ? 'Entra token' : e.authMode === 'Key' ? 'key' : e.authMode} · {e.state}
              </span>
              {e.deployments.map((d) => (
                <button key={d.name} type="button" className="btn btn-small" data-testid={`azure-pick-${e.name}-${d.name}`} disabled={chosen(e.name, d.name)} onClick={() => add(e.name, d.name)} title={`azureml-model-deployment: ${d.name} (${d.state})`}>
                  {e.name}/{d.name}
                  {/* A deployment that is not Succeeded answers 502 to every request: say so before it is picked. */}
                  {d.state.toLowerCase() === 'succeeded' ? null : <span className="muted"> · {d.state}</span>}
                </button>
              ))}
            </div>
          ))}
        </div>
      ) : null}
      {targets.map((t) => (
        <div key={t.id} className="pg-target-row" data-testid="azure-target">
          <span className="mono">
            azure:{t.endpoint}
            {t.deployment ? `/${t.deployment}` : ''}
          </span>
          <span className="muted small">{t.deployment ? `deployment ${t.deployment} via azureml-model-deployment` : 'the endpoint’s traffic split picks the deployment'}; key or Entra token added by Preflight, never shown</span>
          <button type="button" className="btn btn-small" aria-label={`Remove azure:${t.endpoint}${t.deployment ? `/${t.deployment}` : ''}`} onClick={() => remove(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </>
  );
}
