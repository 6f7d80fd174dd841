/**
 * The Azure ML control-plane operations Preflight uses (azure.md §3), typed with the fields it reads.
 * Paths are built from validated names only; api-versions come from api-versions.ts.
 */
import { AppError, ErrorCodes } from '@shared/errors';
import type { CallInput, CallOutput } from '@shared/ipc/contract';
import type { ArmClient, LroProgress } from './arm-client';
import { SUBSCRIPTIONS_API_VERSION } from './api-versions';

/** A workspace named in full (azure.useWorkspace's input); calls that may leave fields out fill them from the defaults. */
export type WorkspaceRef = CallInput<'azure', 'useWorkspace'>;

/** A registered model version, as package.azureRun and the batch deployment name it. */
export type ModelVersionRef = CallOutput<'package', 'azureRun'>['model'];

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state: string;
}

/** A workspace as ARM lists it: azure.workspaces' answer before `privateLink` is worked out from publicNetworkAccess. */
export type Workspace = Omit<CallOutput<'azure', 'workspaces'>[number], 'privateLink'>;

export interface Datastore {
  name: string;
  accountName: string;
  containerName: string;
  endpoint: string;
  protocol: string;
  credentialsType: string;
}

export type DatastoreSecrets = { secretsType: 'AccountKey'; key: string } | { secretsType: 'Sas'; sasToken: string } | { secretsType: string };

export interface ArmResource<P> {
  id: string;
  name: string;
  location?: string;
  sku?: { name: string; capacity?: number };
  tags?: Record<string, string>;
  properties: P;
}

export interface EndpointProps {
  authMode: 'Key' | 'AMLToken' | 'AADToken';
  description?: string;
  traffic?: Record<string, number>;
  scoringUri?: string;
  provisioningState?: string;
}

export interface DeploymentProps {
  endpointComputeType: 'Managed';
  model?: string;
  instanceType?: string;
  provisioningState?: string;
  [k: string]: unknown;
}

export interface ModelVersionProps {
  modelUri: string;
  modelType: string;
  description?: string;
  tags?: Record<string, string>;
  properties?: Record<string, string>;
  provisioningState?: string;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$/;

export function checkName(kind: string, name: string): string {
  if (!NAME.test(name)) throw new AppError(ErrorCodes.INVALID_INPUT, `${kind} name "${name}" is invalid: use letters, digits, "-" and "_" (starting with a letter or digit).`);
  return name;
}

export const wsPath = (w: WorkspaceRef): string =>
  `/subscriptions/${encodeURIComponent(w.subscription)}/resourceGroups/${encodeURIComponent(w.resourceGroup)}/providers/Microsoft.MachineLearningServices/workspaces/${encodeURIComponent(w.workspace)}`;

function resourceGroupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

export class MlResources {
  constructor(private readonly arm: ArmClient) {}

  async subscriptions(): Promise<Subscription[]> {
    const items = await this.arm.list<Subscription>('/subscriptions', 'Listing subscriptions', { apiVersion: SUBSCRIPTIONS_API_VERSION });
    return items.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName, tenantId: s.tenantId, state: s.state }));
  }

  async workspaces(subscription: string): Promise<Workspace[]> {
    const items = await this.arm.list<ArmResource<{ workspaceId: string; publicNetworkAccess?: string }>>(`/subscriptions/${encodeURIComponent(subscription)}/providers/Microsoft.MachineLearningServices/workspaces`, 'Listing workspaces');
    return items.map((w) => ({ id: w.id, name: w.name, location: w.location ?? '', resourceGroup: resourceGroupOf(w.id), subscription, workspaceId: w.properties.workspaceId, publicNetworkAccess: w.properties.publicNetworkAccess ?? 'Enabled' }));
  }

  async workspace(w: WorkspaceRef): Promise<Workspace> {
    const r = await this.arm.get<ArmResource<{ workspaceId: string; publicNetworkAccess?: string }>>(wsPath(w), `Reading workspace ${w.workspace}`);
    return { id: r.id, name: r.name, location: r.location ?? '', resourceGroup: w.resourceGroup, subscription: w.subscription, workspaceId: r.properties.workspaceId, publicNetworkAccess: r.properties.publicNetworkAccess ?? 'Enabled' };
  }

  async defaultDatastore(w: WorkspaceRef): Promise<Datastore> {
    const items = await this.arm.list<ArmResource<{ accountName: string; containerName: string; endpoint?: string; protocol?: string; credentials: { credentialsType: string } }>>(`${wsPath(w)}/datastores`, 'Finding the default datastore', { query: { isDefault: 'true' } });
    const d = items[0];
    if (!d) throw new AppError(ErrorCodes.NOT_FOUND, `Workspace ${w.workspace} has no default datastore; register one (workspaceblobstore) in Azure ML studio.`);
    return { name: d.name, accountName: d.properties.accountName, containerName: d.properties.containerName, endpoint: d.properties.endpoint ?? 'core.windows.net', protocol: d.properties.protocol ?? 'https', credentialsType: d.properties.credentials.credentialsType };
  }

  async datastoreSecrets(w: WorkspaceRef, name: string): Promise<DatastoreSecrets> {
    return (await this.arm.call<DatastoreSecrets>('POST', `${wsPath(w)}/datastores/${encodeURIComponent(name)}/listSecrets`, `Reading the credentials of datastore ${name}`)).body;
  }

  async models(w: WorkspaceRef): Promise<ArmResource<{ latestVersion?: string; description?: string }>[]> {
    return this.arm.list(`${wsPath(w)}/models`, 'Listing models');
  }

  async modelVersions(w: WorkspaceRef, name: string): Promise<ArmResource<ModelVersionProps>[]> {
    return this.arm.list(`${wsPath(w)}/models/${encodeURIComponent(checkName('Model', name))}/versions`, `Listing versions of model ${name}`);
  }

  async putModelVersion(w: WorkspaceRef, name: string, version: string, props: ModelVersionProps): Promise<ArmResource<ModelVersionProps>> {
    return (await this.arm.call<ArmResource<ModelVersionProps>>('PUT', `${wsPath(w)}/models/${encodeURIComponent(checkName('Model', name))}/versions/${encodeURIComponent(version)}`, `Registering model ${name} version ${version}`, { body: { properties: props } })).body;
  }

  async endpoints(w: WorkspaceRef): Promise<ArmResource<EndpointProps>[]> {
    return this.arm.list(`${wsPath(w)}/onlineEndpoints`, 'Listing online endpoints');
  }

  endpointPath(w: WorkspaceRef, endpoint: string): string {
    return `${wsPath(w)}/onlineEndpoints/${encodeURIComponent(checkName('Endpoint', endpoint))}`;
  }

  async endpoint(w: WorkspaceRef, endpoint: string): Promise<ArmResource<EndpointProps>> {
    return this.arm.get(this.endpointPath(w, endpoint), `Reading endpoint ${endpoint}`);
  }

  async putEndpoint(w: WorkspaceRef, endpoint: string, body: { location: string; tags?: Record<string, string>; identity?: unknown; properties: EndpointProps }, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<EndpointProps>> {
    return this.arm.putAndWait(this.endpointPath(w, endpoint), body, `Creating or updating endpoint ${endpoint}`, { onProgress, signal });
  }

  async deleteEndpoint(w: WorkspaceRef, endpoint: string, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<number> {
    return this.arm.sendAndWait('DELETE', this.endpointPath(w, endpoint), `Deleting endpoint ${endpoint}`, { onProgress, signal });
  }

  async endpointKeys(w: WorkspaceRef, endpoint: string): Promise<{ primaryKey: string; secondaryKey: string }> {
    return (await this.arm.call<{ primaryKey: string; secondaryKey: string }>('POST', `${this.endpointPath(w, endpoint)}/listKeys`, `Reading the keys of endpoint ${endpoint}`)).body;
  }

  async deployments(w: WorkspaceRef, endpoint: string): Promise<ArmResource<DeploymentProps>[]> {
    return this.arm.list(`${this.endpointPath(w, endpoint)}/deployments`, `Listing deployments of ${endpoint}`);
  }

  async putDeployment(w: WorkspaceRef, endpoint: string, deployment: string, body: { location: string; sku: { name: string; capacity: number }; properties: DeploymentProps }, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<DeploymentProps>> {
    return this.arm.putAndWait(`${this.endpointPath(w, endpoint)}/deployments/${encodeURIComponent(checkName('Deployment', deployment))}`, body, `Creating or updating deployment ${deployment}`, { onProgress, signal });
  }

  async deploymentLogs(w: WorkspaceRef, endpoint: string, deployment: string, containerType: 'InferenceServer' | 'StorageInitializer', tail: number): Promise<string> {
    const r = await this.arm.call<{ content?: string }>('POST', `${this.endpointPath(w, endpoint)}/deployments/${encodeURIComponent(checkName('Deployment', deployment))}/getLogs`, `Reading logs of deployment ${deployment}`, { body: { containerType, tail } });
    return r.body.content ?? '';
  }
}
