import { useEffect } from 'react';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { useAzure } from '../hooks/azure-store-context';
import type { AzureEndpoint } from '../store/azure-types';

/**
 * Endpoint keys stay in the main process: Copy puts one on the clipboard from there. Reveal is the one
 * explicit way a key reaches this page; it is hidden again after a minute, when this panel is left (another
 * tool, another tab) and never stored.
 */
export function KeysPanel({ endpoint }: { endpoint: AzureEndpoint }) {
  const revealed = useAzure((s) => s.revealedKey);
  const message = useAzure((s) => s.keyMessage);
  const error = useAzure((s) => s.keyError);
  const copy = useAzure((s) => s.copyKey);
  const reveal = useAzure((s) => s.revealKey);
  const hide = useAzure((s) => s.hideKey);
  // Leaving the panel hides the key: coming back to Keys (or to the Azure tab) must not find it still on screen.
  useEffect(() => hide, [hide]);
  if (endpoint.authMode !== 'Key') {
    return (
      <p className="azure-note" data-testid="azure-keys">
        {endpoint.name} uses Entra token authentication: callers send a token for <span className="mono">https://ml.azure.com/.default</span> (for example{' '}
        <span className="mono">az account get-access-token --resource https://ml.azure.com</span>). It has no keys.
      </p>
    );
  }
  return (
    <div className="azure-keys" data-testid="azure-keys">
      {(['primary', 'secondary'] as const).map((which) => {
        const shown = revealed && revealed.endpoint === endpoint.name && revealed.which === which ? revealed.key : null;
        return (
          <div key={which} className="azure-key-row" data-testid={`azure-key-${which}`}>
            <span className="azure-key-name">{which} key</span>
            <span className="mono azure-key-value" data-testid={`azure-key-${which}-value`}>
              {shown ?? '••••••••••••••••'}
            </span>
            <button type="button" className="btn btn-small" onClick={() => void copy(which)} data-testid={`azure-key-${which}-copy`}>
              Copy
            </button>
            {shown ? (
              <button type="button" className="btn btn-small" onClick={hide} data-testid={`azure-key-${which}-hide`}>
                Hide
              </button>
            ) : (
              <button type="button" className="btn btn-small" onClick={() => void reveal(which)} data-testid={`azure-key-${which}-reveal`}>
                Reveal
              </button>
            )}
          </div>
        );
      })}
      {message ? (
        <p className="azure-note" data-testid="azure-key-message">
          {message}
        </p>
      ) : null}
      {error ? <ErrorPanel title="Keys" error={error} /> : null}
    </div>
  );
}
