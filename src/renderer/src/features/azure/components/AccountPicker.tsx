import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { useAzure } from '../hooks/azure-store-context';

/**
 * The user accounts signed in on this machine that can be used again without a new sign-in (msal's cache): switch
 * to one while signed in, or continue as one after Sign in expired for another. Nothing here is a token.
 */
export function AccountPicker() {
  const status = useAzure((s) => s.status);
  const accounts = useAzure((s) => s.accounts);
  const switchTo = useAzure((s) => s.useAccount);
  const error = useAzure((s) => s.accountError);
  const expired = useAzure((s) => s.expiredSignIn);
  const others = accounts.filter((a) => !(status?.signedIn && a.current));
  if (others.length === 0 && !error && !expired) return null;
  return (
    <div className="azure-account-picker" data-testid="azure-account-picker">
      {expired && !status?.signedIn ? (
        <p className="azure-warn" role="status" data-testid="azure-sign-in-expired">
          {expired}
        </p>
      ) : null}
      {others.length > 0 ? (
        <>
          <span className="azure-muted">{status?.signedIn ? 'Switch to' : 'Continue as'}</span>
          {others.map((a) => (
            <button key={a.username} type="button" className="btn btn-small" data-testid="azure-use-account" data-account={a.username} onClick={() => void switchTo(a.username)} title={`tenant ${a.tenant}`}>
              {a.username}
            </button>
          ))}
        </>
      ) : null}
      {error ? <ErrorPanel title="Could not switch account" error={error} /> : null}
    </div>
  );
}
