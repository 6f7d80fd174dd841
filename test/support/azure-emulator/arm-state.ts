/**
 * What the emulated Azure ML workspace holds, and the ARM resource envelopes it answers with (azure.md §3).
 * Names are matched case-insensitively, as ARM does; the spelling sent at creation is kept and echoed.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export type ProvisioningState = 'Creating' | 'Updating' | 'Deleting' | 'Succeeded' | 'Failed' | 'Canceled';

export interface WorkspaceState {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  workspaceId: string;
  publicNetworkAccess: 'Enabled' | 'Disabled';
  models: Map<string, ModelContainerState>;
  endpoints: Map<string, EndpointState>;
}

export interface ModelContainerState {
  name: string;
  versions: Map<string, { version: string; properties: Record<string, unknown>; created: string }>;
  created: string;
}

export interface EndpointState {
  name: string;
  location: string;
  tags?: Record<string, string>;
  identity?: Record<string, unknown>;
  kind?: string;
  properties: Record<string, unknown>;
  provisioningState: ProvisioningState;
  keys: { primaryKey: string; secondaryKey: string };
  deployments: Map<string, DeploymentState>;
  created: string;
}

export interface DeploymentState {
  name: string;
  location: string;
  tags?: Record<string, string>;
  sku?: Record<string, unknown>;
  properties: Record<string, unknown>;
  provisioningState: ProvisioningState;
  /** Where the storage initializer put the model (downloaded from Azurite). */
  modelDir: string | null;
  logs: { InferenceServer: string[]; StorageInitializer: string[] };
  created: string;
}

export const newKey = (): string => randomBytes(24).toString('base64');

export function newWorkspace(subscription: string, resourceGroup: string, name: string, publicNetworkAccess: 'Enabled' | 'Disabled'): WorkspaceState {
  return { subscription, resourceGroup, name, location: 'westeurope', workspaceId: randomUUID(), publicNetworkAccess, models: new Map(), endpoints: new Map() };
}

export const wsPath = (w: WorkspaceState): string => `/subscriptions/${w.subscription}/resourceGroups/${w.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${w.name}`;

export function systemData(created: string): Record<string, unknown> {
  return { createdAt: created, createdBy: 'emulator-user@contoso.test', createdByType: 'User', lastModifiedAt: new Date().toISOString(), lastModifiedBy: 'emulator-user@contoso.test', lastModifiedByType: 'User' };
}

export function workspaceResource(w: WorkspaceState, storageHost: string): Record<string, unknown> {
  const sub = `/subscriptions/${w.subscription}/resourceGroups/${w.resourceGroup}`;
  return {
    id: wsPath(w),
    name: w.name,
    type: 'Microsoft.MachineLearningServices/workspaces',
    location: w.location,
    kind: 'Default',
    sku: { name: 'Basic', tier: 'Basic' },
    identity: { type: 'SystemAssigned', principalId: randomUUID(), tenantId: randomUUID() },
    properties: {
      workspaceId: w.workspaceId,
      friendlyName: w.name,
      storageAccount: `${sub}/providers/Microsoft.Storage/storageAccounts/emulated${w.name.replace(/[^a-z0-9]/gi, '').toLowerCase()}`,
      discoveryUrl: `https://${storageHost}/discovery`,
      publicNetworkAccess: w.publicNetworkAccess,
      provisioningState: 'Succeeded',
    },
  };
}

export function endpointResource(w: WorkspaceState, e: EndpointState, scoringBase: string): Record<string, unknown> {
  const ready = e.provisioningState === 'Succeeded';
  return {
    id: `${wsPath(w)}/onlineEndpoints/${e.name}`,
    name: e.name,
    type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints',
    location: e.location,
    ...(e.tags ? { tags: e.tags } : {}),
    ...(e.kind ? { kind: e.kind } : {}),
    ...(e.identity ? { identity: { ...e.identity, principalId: randomUUIDFor(e.name), tenantId: randomUUIDFor(w.workspaceId) } } : {}),
    systemData: systemData(e.created),
    properties: {
      ...e.properties,
      traffic: e.properties.traffic ?? {},
      provisioningState: e.provisioningState,
      ...(ready || e.provisioningState === 'Updating' ? { scoringUri: `${scoringBase}/endpoints/${e.name}/score`, swaggerUri: `${scoringBase}/endpoints/${e.name}/swagger.json` } : {}),
    },
  };
}

export function deploymentResource(w: WorkspaceState, e: EndpointState, d: DeploymentState): Record<string, unknown> {
  return {
    id: `${wsPath(w)}/onlineEndpoints/${e.name}/deployments/${d.name}`,
    name: d.name,
    type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments',
    location: d.location,
    ...(d.tags ? { tags: d.tags } : {}),
    ...(d.sku ? { sku: d.sku } : {}),
    systemData: systemData(d.created),
    properties: { ...d.properties, provisioningState: d.provisioningState },
  };
}

export function modelContainerResource(w: WorkspaceState, m: ModelContainerState): Record<string, unknown> {
  const versions = [...m.versions.keys()].map(Number).filter(Number.isFinite);
  const latest = versions.length ? Math.max(...versions) : 0;
  return {
    id: `${wsPath(w)}/models/${m.name}`,
    name: m.name,
    type: 'Microsoft.MachineLearningServices/workspaces/models',
    systemData: systemData(m.created),
    properties: { isArchived: false, latestVersion: String(latest), nextVersion: String(latest + 1), provisioningState: 'Succeeded', tags: {}, properties: {} },
  };
}

export function modelVersionResource(w: WorkspaceState, m: ModelContainerState, v: { version: string; properties: Record<string, unknown>; created: string }): Record<string, unknown> {
  return {
    id: `${wsPath(w)}/models/${m.name}/versions/${v.version}`,
    name: v.version,
    type: 'Microsoft.MachineLearningServices/workspaces/models/versions',
    systemData: systemData(v.created),
    properties: { ...v.properties, provisioningState: 'Succeeded' },
  };
}

/** A stable GUID-shaped id derived from a name (so repeated GETs agree). */
function randomUUIDFor(seed: string): string {
  const h = Buffer.from(seed.padEnd(16, '0')).toString('hex').slice(0, 32).padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
