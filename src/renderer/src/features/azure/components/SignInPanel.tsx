import { useState, type FormEvent } from 'react';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { useAzure } from '../hooks/azure-store-context';
import type { SignInMethod } from '../store/azure-types';

const METHODS: { id: SignInMethod; label: string; note: string }[] = [
  { id: 'service-principal', label: 'Service principal', note: 'An app registration with a client secret (CI, automation). The secret goes to the main process and its secret store; this page does not keep it.' },
  { id: 'device-code', label: 'Device code', note: 'Preflight shows a code; enter it on the Microsoft page on any device and sign in there.' },
  { id: 'interactive', label: 'System browser', note: 'Your browser opens the Microsoft sign-in page; Preflight receives the answer on a loopback port.' },
  { id: 'azure-cli', label: 'Azure CLI', note: 'Use the sign-in of `az login` on this computer (az account get-access-token).' },
];

/** Sign-in: the four methods msal-node offers here, the device code or browser link while waiting, and Cancel. */
export function SignInPanel() {
  const method = useAzure((s) => s.signInMethod);
  const setMethod = useAzure((s) => s.setSignInMethod);
  const signingIn = useAzure((s) => s.signingIn);
  const deviceCode = useAzure((s) => s.deviceCode);
  const signInUrl = useAzure((s) => s.signInUrl);
  const error = useAzure((s) => s.signInError);
  const status = useAzure((s) => s.status);
  const actions = useAzure((s) => s);
  const [tenant, setTenant] = useState(status?.tenant ?? '');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const t = tenant.trim();
    const c = clientId.trim() || undefined;
    if (method === 'service-principal') {
      const ok = await actions.signInServicePrincipal({ tenant: t, clientId: clientId.trim(), clientSecret: secret });
      // The secret lives in main's secret store now; drop the page's copy either way.
      if (ok) setSecret('');
    } else if (method === 'device-code') await actions.signInDeviceCode({ tenant: t, clientId: c });
    else if (method === 'interactive') await actions.signInBrowser({ tenant: t, clientId: c });
    else await actions.signInAzureCli({ tenant: t || undefined });
  };
  const note = METHODS.find((m) => m.id === method)!.note;
  const needsTenant = method !== 'azure-cli';
  const canSubmit = !signingIn && (!needsTenant || tenant.trim() !== '') && (method !== 'service-principal' || (clientId.trim() !== '' && secret !== ''));

  return (
    <section className="azure-card azure-signin" data-testid="azure-signin">
      <h3>Sign in to Azure</h3>
      <div className="azure-methods" role="radiogroup" aria-label="Sign-in method">
        {METHODS.map((m) => (
          <label key={m.id} className={`azure-method${m.id === method ? ' azure-method-active' : ''}`}>
            <input type="radio" name="azure-method" value={m.id} checked={m.id === method} disabled={signingIn} onChange={() => setMethod(m.id)} data-testid={`azure-method-${m.id}`} />
            {m.label}
          </label>
        ))}
      </div>
      <p className="azure-note">{note}</p>
      <form className="azure-form" onSubmit={(e) => void submit(e)}>
        <label className="azure-field">
          <span className="azure-label">Tenant (directory id or domain){method === 'azure-cli' ? ' — optional' : ''}</span>
          <input className="input mono" value={tenant} onChange={(e) => setTenant(e.target.value)} disabled={signingIn} data-testid="azure-tenant" autoComplete="off" spellCheck={false} />
        </label>
        {method !== 'azure-cli' ? (
          <label className="azure-field">
            <span className="azure-label">Client id{method === 'service-principal' ? '' : ' — optional (default: the Azure CLI\'s public client)'}</span>
            <input className="input mono" value={clientId} onChange={(e) => setClientId(e.target.value)} disabled={signingIn} data-testid="azure-client-id" autoComplete="off" spellCheck={false} />
          </label>
        ) : null}
        {method === 'service-principal' ? (
          <label className="azure-field">
            <span className="azure-label">Client secret</span>
            <input className="input mono" type="password" value={secret} onChange={(e) => setSecret(e.target.value)} disabled={signingIn} data-testid="azure-client-secret" autoComplete="off" />
          </label>
        ) : null}
        <div className="azure-actions">
          <button type="submit" className="btn btn-primary" disabled={!canSubmit} data-testid="azure-sign-in">
            {signingIn ? 'Signing in…' : 'Sign in'}
          </button>
          {signingIn && method !== 'service-principal' && method !== 'azure-cli' ? (
            <button type="button" className="btn" onClick={() => void actions.cancelSignIn()} data-testid="azure-sign-in-cancel">
              Cancel
            </button>
          ) : null}
        </div>
      </form>
      {deviceCode ? (
        <div className="azure-device-code" data-testid="azure-device-code" role="status">
          <p>
            Open{' '}
            <a href={deviceCode.verificationUri} target="_blank" rel="noreferrer noopener" className="mono">
              {deviceCode.verificationUri}
            </a>{' '}
            and enter the code
          </p>
          <p className="azure-user-code mono" data-testid="azure-user-code">
            {deviceCode.userCode}
          </p>
          <p className="azure-note">Waiting for you to finish signing in there…</p>
        </div>
      ) : null}
      {signInUrl ? (
        <div className="azure-device-code" data-testid="azure-sign-in-url" role="status">
          <p>
            Your browser should show the Microsoft sign-in page. If it did not,{' '}
            <a href={signInUrl} target="_blank" rel="noreferrer noopener">
              open the sign-in page
            </a>
            .
          </p>
        </div>
      ) : null}
      {/* A cancel is the user's choice, not a failure: a plain note, not an alert with an error code. */}
      {error?.code === 'E_CANCELLED' ? (
        <p className="azure-note" role="status" data-testid="azure-sign-in-cancelled">
          Sign-in cancelled. {error.message}
        </p>
      ) : error ? (
        <ErrorPanel title="Sign-in failed" error={error} />
      ) : null}
    </section>
  );
}
