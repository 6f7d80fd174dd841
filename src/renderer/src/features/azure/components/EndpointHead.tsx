import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/Badge';
import { stateTone } from './ResourceLists';

/** An endpoint card's head (online or batch): name, state, auth, optional actions, and the URI callers use. */
export function EndpointHead({ name, state, auth, uriLabel, uri, actions }: { name: string; state: string; auth: string; uriLabel: string; uri: string | null; actions?: ReactNode }) {
  return (
    <>
      <header className="azure-endpoint-head">
        <h4>
          <span className="mono">{name}</span> <Badge tone={stateTone(state)}>{state}</Badge> <Badge tone="muted">{auth}</Badge>
        </h4>
        {actions ? <span className="azure-push-right">{actions}</span> : null}
      </header>
      <p className="azure-muted">
        {uriLabel} <span className="mono azure-select-all">{uri ?? 'not yet assigned'}</span>
      </p>
    </>
  );
}
