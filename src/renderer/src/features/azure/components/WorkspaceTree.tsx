import { Badge } from '../../../components/ui/Badge';
import { useAzure } from '../hooks/azure-store-context';
import { sameWorkspace, workspaceTree } from '../store/selectors';

/** Subscription → workspace tree; private-link workspaces are flagged (no no-code deployment there). */
export function WorkspaceTree() {
  const subscriptions = useAzure((s) => s.subscriptions);
  const workspaces = useAzure((s) => s.workspaces);
  const selected = useAzure((s) => s.workspace);
  const loading = useAzure((s) => s.treeLoading);
  const select = useAzure((s) => s.selectWorkspace);
  const reload = useAzure((s) => s.loadTree);
  const tree = workspaceTree(subscriptions, workspaces);
  return (
    <nav className="azure-tree" aria-label="Subscriptions and workspaces" data-testid="azure-tree">
      <div className="azure-tree-head">
        <span className="azure-section-title">Workspaces</span>
        <button type="button" className="btn btn-small" onClick={() => void reload()} disabled={loading} data-testid="azure-tree-refresh">
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {tree.length === 0 && !loading ? <p className="azure-note">No subscriptions visible to this sign-in.</p> : null}
      <ul className="azure-tree-list">
        {tree.map((s) => (
          <li key={s.subscriptionId}>
            <div className="azure-tree-sub" title={s.subscriptionId}>
              {s.displayName}
            </div>
            <ul>
              {s.workspaces.length === 0 ? <li className="azure-note">no workspaces</li> : null}
              {s.workspaces.map((w) => {
                const active = sameWorkspace(selected, w);
                return (
                  <li key={w.id}>
                    <button
                      type="button"
                      className={`azure-tree-ws${active ? ' azure-tree-ws-active' : ''}`}
                      aria-current={active ? 'true' : undefined}
                      onClick={() => void select(w)}
                      data-testid="azure-workspace"
                      data-workspace={w.name}
                      data-private-link={w.privateLink}
                      title={`${w.resourceGroup} · ${w.location}`}
                    >
                      <span className="azure-tree-ws-name">{w.name}</span>
                      <span className="azure-tree-ws-meta">
                        {w.resourceGroup} · {w.location}
                      </span>
                      {w.privateLink ? (
                        <Badge tone="warning" title="Public network access is disabled: deploy an offline package (Package tab)">
                          private link
                        </Badge>
                      ) : null}
                    </button>
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}
