import type { TargetSpec } from '@shared/compare/targets';
import type { ClientApi } from '@shared/ipc/create-api';
import { toErrorData } from '../../../lib/errors';

/**
 * "Add Azure endpoint" (issue 10): the signed-in workspace's online endpoints and their deployments, read
 * with `azure.status` / `azure.endpoints`, to add as `azure:<endpoint>[/<deployment>]` targets. Main adds
 * the key or Entra token when it calls one; the renderer never holds it.
 */
export interface AzureTarget {
  id: string;
  endpoint: string;
  /** Null: the endpoint's traffic split picks the deployment. */
  deployment: string | null;
}

export interface AzureEndpointChoice {
  name: string;
  authMode: string;
  state: string;
  deployments: { name: string; state: string }[];
}

export type AzurePicker =
  | { status: 'closed' }
  | { status: 'loading' }
  /** Not signed in, or no workspace picked: the message says where to go (the Azure tab). */
  | { status: 'unavailable'; message: string }
  | { status: 'ready'; workspace: string; endpoints: AzureEndpointChoice[] }
  | { status: 'error'; message: string };

export type AzureApi = Pick<ClientApi, 'azure'>;

export async function loadAzureEndpoints(api: Partial<AzureApi>): Promise<AzurePicker> {
  if (!api.azure) return { status: 'unavailable', message: 'Azure is not available in this window.' };
  try {
    const st = await api.azure.status({});
    if (!st.signedIn) return { status: 'unavailable', message: 'Not signed in to Azure: sign in on the Azure tab, pick a workspace there, then add its endpoints here.' };
    const ws = st.defaults.workspace;
    if (!ws || !st.defaults.subscription || !st.defaults.resourceGroup) return { status: 'unavailable', message: 'No workspace picked: choose one on the Azure tab, then add its endpoints here.' };
    const list = await api.azure.endpoints({});
    return { status: 'ready', workspace: ws, endpoints: list.map((e) => ({ name: e.name, authMode: e.authMode, state: e.state, deployments: e.deployments.map((d) => ({ name: d.name, state: d.state })) })) };
  } catch (err) {
    return { status: 'error', message: toErrorData(err).message };
  }
}

export function azureSpecOf(t: AzureTarget): TargetSpec {
  return { kind: 'azure', server: 'azureml', endpoint: t.endpoint, deployment: t.deployment };
}

export function azureTargetsIn(targets: readonly TargetSpec[], nextId: () => string): AzureTarget[] {
  return targets.flatMap((t) => (t.kind === 'azure' ? [{ id: nextId(), endpoint: t.endpoint, deployment: t.deployment }] : []));
}
