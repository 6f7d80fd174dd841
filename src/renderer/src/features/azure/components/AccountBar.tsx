import { Badge } from '../../../components/ui/Badge';
import { useAzure } from '../hooks/azure-store-context';

const METHOD_LABEL: Record<string, string> = { 'service-principal': 'service principal', 'device-code': 'device code', interactive: 'browser sign-in', 'azure-cli': 'Azure CLI' };

/** Who is signed in, to which tenant and cloud, where secrets are kept — and Sign out. */
export function AccountBar() {
  const status = useAzure((s) => s.status);
  const signOut = useAzure((s) => s.signOut);
  const adding = useAzure((s) => s.addingAccount);
  const setAdding = useAzure((s) => s.setAddingAccount);
  if (!status) return null;
  return (
    <div className="azure-account" data-testid="azure-account" data-signed-in={status.signedIn}>
      {status.signedIn ? (
        <>
          <span>
            Signed in as <strong data-testid="azure-account-name">{status.account ?? status.clientId ?? 'unknown'}</strong>
          </span>
          {status.method ? <Badge tone="accent">{METHOD_LABEL[status.method] ?? status.method}</Badge> : null}
          <span className="azure-muted">
            tenant <span className="mono">{status.tenant ?? '—'}</span>
          </span>
        </>
      ) : (
        <span>Not signed in</span>
      )}
      <span className="azure-muted">
        cloud <span className="mono">{status.cloud}</span>
      </span>
      <span className="azure-muted azure-secret-store" title="Where sign-in secrets are kept">
        {status.secretStore}
      </span>
      {status.signedIn ? (
        // Beside Sign out, which would forget every account: the picker then offers both. One group: they wrap together.
        <span className="azure-push-right azure-account-actions">
          <button type="button" className="btn btn-small" data-testid="azure-add-account" aria-expanded={adding} onClick={() => setAdding(!adding)}>
            {adding ? 'Keep the current account' : 'Add account…'}
          </button>
          <button type="button" className="btn btn-small" onClick={() => void signOut()} data-testid="azure-sign-out">
            Sign out
          </button>
        </span>
      ) : null}
    </div>
  );
}
