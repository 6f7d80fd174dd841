/**
 * The Azure ML emulator: one HTTPS server on 127.0.0.1 (a CA made for this run) serving
 *   - Entra ID for the real msal-node (entra.ts),
 *   - ARM: subscriptions → workspaces → datastores (+listSecrets) → models/versions → online endpoints and
 *     deployments (+keys, token, logs, skus), with ARM long-running operations (201/202, Azure-AsyncOperation,
 *     Location, provisioning states, Retry-After); every request and answer checked against Microsoft's
 *     OpenAPI files (spec.ts),
 *   - scoring at each endpoint's scoringUri, answered by Preflight's own local runner (Azure profile) on the
 *     model the deployment's storage initializer downloaded from Azurite,
 * and real Azurite (behind a proxy) as the workspace's blob storage. It proves Preflight's plumbing against
 * Azure's documented wire contract, not Azure's behaviour (see README.md here).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type RunningAzurite } from './azurite';
import { deploymentResource, endpointResource, modelContainerResource, modelVersionResource, newKey, newWorkspace, workspaceResource, wsPath, type DeploymentState, type EndpointState, type ProvisioningState, type WorkspaceState } from './arm-state';
import { makeClientCertificatePem, makeEmulatorCerts } from './certs';
import { EmulatedEntra } from './entra';
import { FaultQueue, type Fault } from './faults';
import { modelPackageRoutes } from './model-package';
import { AzureSpec, type SpecIssue, type SpecOperation } from './spec';
import { batchEmulator, type BatchRunner } from './batch';

/** What answers scoring requests: Preflight's runner, Azure ML profile (`predict` with server "azureml"). */
/** `server_log`: what the inference server writes to the deployment's log for this request (the error behind a generic 500). */
export type Scorer = (modelDir: string, body: string, contentType: string | null) => Promise<{ status: number; headers: Record<string, string>; body_text: string; server_log?: string | null }>;

export interface EmulatorOptions {
  specDir: string;
  scorer: Scorer;
  /** Status polls an operation stays non-terminal before it may finish (default 2: clients must poll). */
  lroPolls?: number;
  /** Retry-After seconds on LRO answers (ARM says 10–600; tests use 0 to stay fast). Default 0. */
  retryAfterSeconds?: number;
  /** Folder for the cloud file, CA and downloaded models; default a new temp folder. */
  workDir?: string;
  /** Azurite keeps blobs in this folder instead of memory (benchmarks with GiB uploads). */
  azuriteLocation?: string;
  /** What runs batch jobs: Preflight's local batch service (see batch.ts); without it jobs fail. */
  batchRunner?: BatchRunner;
}

export interface SpecViolation extends SpecIssue {
  operation: string;
  request: string;
}

/** The Azure CLI's public client id — Preflight's default for user sign-in (azure.md §7). */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
export const ML_API_VERSIONS = ['2025-09-01', '2024-04-01', '2024-04-01-preview', '2023-08-01-preview'];
export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
/**
 * The Azure CLI (2.45, Debian's) lists subscriptions at `az login` with api-version 2019-11-01, a version ARM
 * still serves; the request is the same bodiless GET, and the answer is checked against the 2022-12-01 schema.
 */
export const AZ_CLI_SUBSCRIPTIONS_API_VERSION = '2019-11-01';
const SCORING_AUDIENCE = 'https://ml.azure.com';

interface Operation {
  id: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  startTime: string;
  endTime?: string;
  error?: { code: string; message: string };
  pollsLeft: number;
  stuck: boolean;
  work: Promise<void> | null;
  workDone: boolean;
  onSuccess: () => void;
  onFailure: (error: { code: string; message: string }) => void;
  failWith: { code: string; message: string } | null;
  /** Status the Location URL answers with once done. */
  finalStatus: number;
  /** Body of that final answer (POST actions with a result, e.g. model package), checked against this operation's spec. */
  final?: { operationId: string; body: () => unknown };
}

class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface AzureEmulator {
  url: string;
  caFile: string;
  cloudFile: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** PEM (private key + certificate) registered for the service principal: `login --certificate FILE`. */
  clientCertificateFile: string;
  subscription: string;
  resourceGroup: string;
  workspace: string;
  privateWorkspace: string;
  faults: FaultQueue;
  entra: EmulatedEntra;
  azurite: RunningAzurite;
  /** Spec violations seen so far (requests Microsoft's spec rejects, answers the emulator got wrong). */
  violations: SpecViolation[];
  /** Operations requested, in order (`<operationId>`, `score`, `scoreAbandoned`), for tests that assert what went over the wire. */
  calls: string[];
  workspaceState(name?: string): WorkspaceState;
  stop(): Promise<void>;
}

export async function startAzureEmulator(options: EmulatorOptions): Promise<AzureEmulator> {
  const spec = await AzureSpec.load(options.specDir);
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'preflight-azure-emulator-')));
  const ownsWorkDir = !options.workDir;
  const certs = makeEmulatorCerts();
  const caFile = join(workDir, 'emulator-ca.pem');
  await writeFile(caFile, certs.caPem);
  const faults = new FaultQueue();
  const azurite = await startAzurite(faults, options.azuriteLocation);
  const blobService = new BlobServiceClient(azurite.url, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));

  const tenant = randomUUID();
  const subscription = randomUUID();
  const resourceGroup = 'preflight-rg';
  const clientId = randomUUID();
  const clientSecret = `emu~${newKey()}`;
  let base = '';
  // The service principal also has a certificate credential (a PEM with key + certificate, as az login reads it).
  const clientCertificate = makeClientCertificatePem('preflight-emulator-sp');
  const clientCertificateFile = join(workDir, 'service-principal.pem');
  await writeFile(clientCertificateFile, clientCertificate.pem, { mode: 0o600 });
  const entra = new EmulatedEntra(
    { tenant, clientId, clientSecret, clientCertificatePem: clientCertificate.certPem, publicClientIds: [AZURE_CLI_CLIENT_ID, clientId], user: { oid: randomUUID(), name: 'Emulator User', username: 'emulator-user@contoso.test' }, otherUsers: [{ oid: randomUUID(), name: 'Second User', username: 'second-user@contoso.test' }] },
    () => base,
  );
  const workspaces = [newWorkspace(subscription, resourceGroup, 'preflight-ws', 'Enabled'), newWorkspace(subscription, resourceGroup, 'preflight-private-ws', 'Disabled')];
  for (const w of workspaces) await blobService.getContainerClient(containerOf(w)).createIfNotExists();
  const operations = new Map<string, Operation>();
  const violations: SpecViolation[] = [];
  const calls: string[] = [];
  const lroPolls = options.lroPolls ?? 2;
  const retryAfter = String(options.retryAfterSeconds ?? 0);

  function containerOf(w: WorkspaceState): string {
    return `azureml-blobstore-${w.workspaceId}`;
  }

  function findWorkspace(params: Record<string, string>): WorkspaceState {
    const w = workspaces.find((x) => x.subscription.toLowerCase() === params.subscriptionId?.toLowerCase() && x.resourceGroup.toLowerCase() === params.resourceGroupName?.toLowerCase() && x.name.toLowerCase() === params.workspaceName?.toLowerCase());
    if (!w) throw new ArmError(404, 'ResourceNotFound', `The Resource 'Microsoft.MachineLearningServices/workspaces/${params.workspaceName}' under resource group '${params.resourceGroupName}' was not found.`);
    return w;
  }

  function startOperation(w: WorkspaceState, operationId: string, work: Promise<void> | null, onSuccess: () => void, onFailure: Operation['onFailure'], finalStatus = 200): Operation {
    const failFault = faults.take('lroFailed', (f) => f.operationId === operationId);
    const stuck = faults.take('stuck', (f) => f.operationId === operationId) !== null;
    const op: Operation = { id: randomUUID(), status: 'InProgress', startTime: new Date().toISOString(), pollsLeft: lroPolls, stuck, work, workDone: work === null, onSuccess, onFailure, failWith: failFault ? { code: failFault.code, message: failFault.message } : null, finalStatus };
    if (work) {
      work.then(
        () => (op.workDone = true),
        (err: unknown) => {
          op.workDone = true;
          op.failWith ??= { code: (err as { code?: string }).code ?? 'DeploymentFailed', message: (err as Error).message };
        },
      );
    }
    operations.set(op.id, op);
    void w;
    return op;
  }

  function advance(op: Operation): void {
    if (op.status !== 'InProgress' || op.stuck) return;
    if (op.pollsLeft > 0) {
      op.pollsLeft--;
      return;
    }
    if (!op.workDone) return;
    op.endTime = new Date().toISOString();
    if (op.failWith) {
      op.status = 'Failed';
      op.error = op.failWith;
      op.onFailure(op.failWith);
    } else {
      op.status = 'Succeeded';
      op.onSuccess();
    }
  }

  const opsBase = (w: WorkspaceState): string => `${base}/subscriptions/${w.subscription}/providers/Microsoft.MachineLearningServices/locations/${w.location}`;
  const asyncHeaders = (w: WorkspaceState, op: Operation): Record<string, string> => ({ 'Azure-AsyncOperation': `${opsBase(w)}/mfeOperationsStatus/${op.id}?api-version=2025-09-01`, 'x-ms-async-operation-timeout': 'PT1H', 'Retry-After': retryAfter });
  const locationHeaders = (w: WorkspaceState, op: Operation): Record<string, string> => ({ Location: `${opsBase(w)}/mfeOperationResults/${op.id}?api-version=2025-09-01`, 'Retry-After': retryAfter, 'x-ms-async-operation-timeout': 'PT1H' });

  function endpointOf(w: WorkspaceState, name: string): EndpointState {
    const e = w.endpoints.get(name.toLowerCase());
    if (!e) throw new ArmError(404, 'UserError', `Resource not found: online endpoint '${name}' does not exist in workspace '${w.name}'.`);
    return e;
  }

  function deploymentOf(e: EndpointState, name: string): DeploymentState {
    const d = e.deployments.get(name.toLowerCase());
    if (!d) throw new ArmError(404, 'UserError', `Resource not found: deployment '${name}' does not exist under online endpoint '${e.name}'.`);
    return d;
  }

  /** The storage initializer: downloads the model version's files from the datastore (Azurite) for scoring. */
  async function initializeStorage(w: WorkspaceState, e: EndpointState, d: DeploymentState): Promise<void> {
    const log = (line: string): void => void d.logs.StorageInitializer.push(`${new Date().toISOString()} ${line}`);
    // A deployment of a packaged environment names no model: the environment knows which one it loads.
    const modelId = String(d.properties.model ?? packaging.packagedModelFor(w, String(d.properties.environmentId ?? '')) ?? '');
    const m = /\/models\/([^/]+)\/versions\/([^/]+)$/i.exec(modelId);
    const container = m ? w.models.get(m[1]!.toLowerCase()) : undefined;
    const version = container?.versions.get(m![2]!);
    if (!version) {
      log(`Model ${modelId} not found.`);
      throw Object.assign(new Error(`Model '${modelId}' was not found in workspace '${w.name}'.`), { code: 'ModelNotFound' });
    }
    const uri = String(version.properties.modelUri ?? '');
    const path = /\/datastores\/[^/]+\/paths\/(.+)$/i.exec(uri)?.[1];
    if (!path) throw Object.assign(new Error(`modelUri '${uri}' is not a datastore path the emulator can download.`), { code: 'BadArgument' });
    log(`Downloading ${uri}`);
    const client = blobService.getContainerClient(containerOf(w));
    const dir = join(workDir, 'deployments', `${e.name}-${d.name}-${randomUUID().slice(0, 8)}`);
    let files = 0;
    const prefix = `${path.replace(/\/$/, '')}/`;
    for await (const blob of client.listBlobsFlat({ prefix })) {
      const target = join(dir, blob.name.slice(prefix.length));
      await mkdir(dirname(target), { recursive: true });
      await client.getBlobClient(blob.name).downloadToFile(target);
      files++;
    }
    if (files === 0) {
      log(`No files under ${path}.`);
      throw Object.assign(new Error(`No model files found under '${path}' in the workspace's default datastore.`), { code: 'ModelNotFound' });
    }
    log(`Downloaded ${files} files.`);
    d.modelDir = dir;
    d.logs.InferenceServer.push(`${new Date().toISOString()} Azure ML Inferencing HTTP server (emulated by Preflight's local runner)`, `${new Date().toISOString()} Loading MLflow model from ${d.properties.modelMountPath ?? '/var/azureml-app/azureml-models'}`, `${new Date().toISOString()} Server is ready to receive requests.`);
  }

  function applyTraffic(e: EndpointState, traffic: Record<string, number> | undefined): void {
    if (!traffic) return;
    const entries = Object.entries(traffic);
    for (const [name] of entries) {
      const d = e.deployments.get(name.toLowerCase());
      if (!d) throw new ArmError(400, 'BadArgument', `Traffic names deployment '${name}', which does not exist under endpoint '${e.name}'.`);
    }
    const sum = entries.reduce((a, [, v]) => a + v, 0);
    if (entries.length > 0 && sum !== 100 && sum !== 0) throw new ArmError(400, 'BadArgument', `Traffic values must sum to 100 (or all be 0); they sum to ${sum}.`);
  }

  const batch = batchEmulator({
    base: () => base,
    workDir,
    blobService,
    containerOf,
    faults,
    entra,
    calls,
    runner: options.batchRunner,
    retryAfter,
    lroPolls,
    workspaces,
    armError: (status, code, message) => new ArmError(status, code, message),
    startOperation,
    asyncHeaders,
    locationHeaders,
  });

  type Handler = (w: WorkspaceState | null, p: Record<string, string>, q: URLSearchParams, body: unknown) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;
  const handlers: Record<string, Handler> = {
    ...batch.handlers,
    Subscriptions_List: async () => ({ status: 200, body: { value: [{ id: `/subscriptions/${subscription}`, subscriptionId: subscription, tenantId: tenant, displayName: 'Preflight emulator subscription', state: 'Enabled', subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' }, authorizationSource: 'RoleBased', managedByTenants: [] }], nextLink: '' } }),
    Workspaces_ListBySubscription: async (_w, p) => ({ status: 200, body: { value: workspaces.filter((x) => x.subscription.toLowerCase() === p.subscriptionId!.toLowerCase()).map((x) => workspaceResource(x, azurite.proxyHost)) } }),
    Workspaces_ListByResourceGroup: async (_w, p) => ({ status: 200, body: { value: workspaces.filter((x) => x.subscription.toLowerCase() === p.subscriptionId!.toLowerCase() && x.resourceGroup.toLowerCase() === p.resourceGroupName!.toLowerCase()).map((x) => workspaceResource(x, azurite.proxyHost)) } }),
    Workspaces_Get: async (w) => ({ status: 200, body: workspaceResource(w!, azurite.proxyHost) }),
    Datastores_List: async (w) => ({ status: 200, body: { value: [datastore(w!)] } }),
    Datastores_Get: async (w, p) => {
      if (p.name!.toLowerCase() !== 'workspaceblobstore') throw new ArmError(404, 'UserError', `Datastore '${p.name}' was not found.`);
      return { status: 200, body: datastore(w!) };
    },
    Datastores_ListSecrets: async (_w, p) => {
      if (p.name!.toLowerCase() !== 'workspaceblobstore') throw new ArmError(404, 'UserError', `Datastore '${p.name}' was not found.`);
      return { status: 200, body: { secretsType: 'AccountKey', key: AZURITE_KEY } };
    },
    ModelContainers_List: async (w) => ({ status: 200, body: { value: [...w!.models.values()].map((m) => modelContainerResource(w!, m)) } }),
    ModelContainers_Get: async (w, p) => {
      const m = w!.models.get(p.name!.toLowerCase());
      if (!m) throw new ArmError(404, 'UserError', `Model container '${p.name}' was not found.`);
      return { status: 200, body: modelContainerResource(w!, m) };
    },
    ModelVersions_List: async (w, p) => {
      const m = w!.models.get(p.name!.toLowerCase());
      return { status: 200, body: { value: m ? [...m.versions.values()].map((v) => modelVersionResource(w!, m, v)) : [] } };
    },
    ModelVersions_Get: async (w, p) => {
      const m = w!.models.get(p.name!.toLowerCase());
      const v = m?.versions.get(p.version!);
      if (!m || !v) throw new ArmError(404, 'UserError', `Model '${p.name}' version '${p.version}' was not found.`);
      return { status: 200, body: modelVersionResource(w!, m, v) };
    },
    ModelVersions_CreateOrUpdate: async (w, p, _q, body) => {
      const props = (body as { properties: Record<string, unknown> }).properties;
      const key = p.name!.toLowerCase();
      let m = w!.models.get(key);
      if (!m) w!.models.set(key, (m = { name: p.name!, versions: new Map(), created: new Date().toISOString() }));
      const existing = m.versions.get(p.version!);
      if (existing && existing.properties.modelUri !== props.modelUri) throw new ArmError(400, 'UserError', 'Asset paths cannot be updated.');
      const v = { version: p.version!, properties: { ...props }, created: existing?.created ?? new Date().toISOString() };
      m.versions.set(p.version!, v);
      return { status: existing ? 200 : 201, body: modelVersionResource(w!, m, v) };
    },
    ModelVersions_Delete: async (w, p) => {
      const m = w!.models.get(p.name!.toLowerCase());
      if (!m?.versions.delete(p.version!)) return { status: 204 };
      return { status: 200 };
    },
    OnlineEndpoints_List: async (w) => ({ status: 200, body: { value: [...w!.endpoints.values()].map((e) => endpointResource(w!, e, base)) } }),
    OnlineEndpoints_Get: async (w, p) => ({ status: 200, body: endpointResource(w!, endpointOf(w!, p.endpointName!), base) }),
    OnlineEndpoints_CreateOrUpdate: async (w, p, _q, body) => {
      const b = body as { location: string; tags?: Record<string, string>; identity?: Record<string, unknown>; kind?: string; properties: Record<string, unknown> };
      const key = p.endpointName!.toLowerCase();
      const existing = w!.endpoints.get(key);
      if (existing && (existing.provisioningState === 'Creating' || existing.provisioningState === 'Updating' || existing.provisioningState === 'Deleting')) {
        throw new ArmError(409, 'Conflict', `Online endpoint '${existing.name}' is ${existing.provisioningState.toLowerCase()}; wait for that operation to finish, then try again.`);
      }
      if (!existing && b.properties.traffic && Object.keys(b.properties.traffic).length) throw new ArmError(400, 'BadArgument', 'Traffic cannot be set when the endpoint is created: it has no deployments yet.');
      const { keys: _keys, scoringUri: _s, swaggerUri: _sw, provisioningState: _ps, ...props } = b.properties;
      if (existing) applyTraffic(existing, props.traffic as Record<string, number> | undefined);
      const e: EndpointState = existing ?? { name: p.endpointName!, location: b.location, properties: {}, provisioningState: 'Creating', keys: { primaryKey: newKey(), secondaryKey: newKey() }, deployments: new Map(), created: new Date().toISOString() };
      const previous = { ...e.properties };
      Object.assign(e, { location: b.location, tags: b.tags, identity: b.identity, kind: b.kind, properties: props, provisioningState: existing ? 'Updating' : 'Creating' });
      w!.endpoints.set(key, e);
      const op = startOperation(
        w!,
        'OnlineEndpoints_CreateOrUpdate',
        null,
        () => (e.provisioningState = 'Succeeded'),
        () => {
          // A failed update leaves the endpoint as it was; a failed create leaves it Failed (as Azure does).
          if (existing) Object.assign(e, { properties: previous, provisioningState: 'Succeeded' as ProvisioningState });
          else e.provisioningState = 'Failed';
        },
      );
      return { status: existing ? 200 : 201, body: endpointResource(w!, e, base), headers: asyncHeaders(w!, op) };
    },
    OnlineEndpoints_Update: async (w, p, _q, body) => {
      const e = endpointOf(w!, p.endpointName!);
      const b = body as { tags?: Record<string, string>; identity?: Record<string, unknown> };
      if (b.tags) e.tags = b.tags;
      if (b.identity) e.identity = b.identity;
      return { status: 200, body: endpointResource(w!, e, base) };
    },
    OnlineEndpoints_Delete: async (w, p) => {
      const e = w!.endpoints.get(p.endpointName!.toLowerCase());
      if (!e) return { status: 204 };
      e.provisioningState = 'Deleting';
      for (const d of e.deployments.values()) d.provisioningState = 'Deleting';
      const op = startOperation(
        w!,
        'OnlineEndpoints_Delete',
        null,
        () => void w!.endpoints.delete(e.name.toLowerCase()),
        () => (e.provisioningState = 'Failed'),
      );
      return { status: 202, headers: locationHeaders(w!, op) };
    },
    OnlineEndpoints_ListKeys: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      if (e.properties.authMode !== 'Key') throw new ArmError(400, 'BadArgument', `Online endpoint '${e.name}' uses ${String(e.properties.authMode)} authentication; keys exist only for authMode Key.`);
      return { status: 200, body: e.keys };
    },
    OnlineEndpoints_RegenerateKeys: async (w, p, _q, body) => {
      const e = endpointOf(w!, p.endpointName!);
      const b = body as { keyType: 'Primary' | 'Secondary'; keyValue?: string };
      const op = startOperation(w!, 'OnlineEndpoints_RegenerateKeys', null, () => {
        if (b.keyType === 'Primary') e.keys.primaryKey = b.keyValue ?? newKey();
        else e.keys.secondaryKey = b.keyValue ?? newKey();
      }, () => undefined);
      return { status: 202, headers: locationHeaders(w!, op) };
    },
    OnlineEndpoints_GetToken: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      if (e.properties.authMode !== 'AMLToken') throw new ArmError(400, 'BadArgument', `Online endpoint '${e.name}' does not use AMLToken authentication.`);
      const now = Math.floor(Date.now() / 1000);
      return { status: 200, body: { accessToken: newKey(), tokenType: 'Bearer', expiryTimeUtc: now + 3600, refreshAfterTimeUtc: now + 1800 } };
    },
    OnlineDeployments_List: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      return { status: 200, body: { value: [...e.deployments.values()].map((d) => deploymentResource(w!, e, d)) } };
    },
    OnlineDeployments_Get: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      return { status: 200, body: deploymentResource(w!, e, deploymentOf(e, p.deploymentName!)) };
    },
    OnlineDeployments_CreateOrUpdate: async (w, p, _q, body) => {
      const e = endpointOf(w!, p.endpointName!);
      if (e.provisioningState !== 'Succeeded') throw new ArmError(409, 'Conflict', `Online endpoint '${e.name}' is ${e.provisioningState}; deployments can be added once it is Succeeded.`);
      const b = body as { location: string; tags?: Record<string, string>; sku?: Record<string, unknown>; properties: Record<string, unknown> };
      if (b.properties.endpointComputeType !== 'Managed') throw new ArmError(400, 'BadArgument', `endpointComputeType '${String(b.properties.endpointComputeType)}' is not supported by the emulator (managed online endpoints only).`);
      const key = p.deploymentName!.toLowerCase();
      const existing = e.deployments.get(key);
      if (existing && existing.provisioningState !== 'Succeeded' && existing.provisioningState !== 'Failed') throw new ArmError(409, 'Conflict', `Deployment '${existing.name}' is ${existing.provisioningState.toLowerCase()}; wait for that operation to finish.`);
      const { provisioningState: _ps, ...props } = b.properties;
      const d: DeploymentState = existing ?? { name: p.deploymentName!, location: b.location, properties: {}, provisioningState: 'Creating', modelDir: null, logs: { InferenceServer: [], StorageInitializer: [] }, created: new Date().toISOString() };
      Object.assign(d, { location: b.location, tags: b.tags, sku: b.sku, properties: props, provisioningState: existing ? 'Updating' : 'Creating' });
      e.deployments.set(key, d);
      const op = startOperation(
        w!,
        'OnlineDeployments_CreateOrUpdate',
        initializeStorage(w!, e, d),
        () => (d.provisioningState = 'Succeeded'),
        (error) => {
          d.provisioningState = 'Failed';
          d.logs.InferenceServer.push(`${new Date().toISOString()} ERROR ${error.code}: ${error.message}`);
        },
      );
      return { status: existing ? 200 : 201, body: deploymentResource(w!, e, d), headers: asyncHeaders(w!, op) };
    },
    OnlineDeployments_Update: async (w, p, _q, body) => {
      const e = endpointOf(w!, p.endpointName!);
      const d = deploymentOf(e, p.deploymentName!);
      const b = body as { tags?: Record<string, string>; sku?: Record<string, unknown> };
      if (b.tags) d.tags = b.tags;
      if (b.sku) d.sku = { ...d.sku, ...b.sku };
      return { status: 200, body: deploymentResource(w!, e, d) };
    },
    OnlineDeployments_Delete: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      const d = e.deployments.get(p.deploymentName!.toLowerCase());
      if (!d) return { status: 204 };
      if (((e.properties.traffic as Record<string, number> | undefined)?.[d.name] ?? 0) > 0) throw new ArmError(400, 'BadArgument', `Deployment '${d.name}' still receives traffic; set its traffic to 0 before deleting it.`);
      d.provisioningState = 'Deleting';
      const op = startOperation(w!, 'OnlineDeployments_Delete', null, () => void e.deployments.delete(d.name.toLowerCase()), () => (d.provisioningState = 'Failed'));
      return { status: 202, headers: locationHeaders(w!, op) };
    },
    OnlineDeployments_GetLogs: async (w, p, _q, body) => {
      const e = endpointOf(w!, p.endpointName!);
      const d = deploymentOf(e, p.deploymentName!);
      const b = (body ?? {}) as { containerType?: 'InferenceServer' | 'StorageInitializer'; tail?: number };
      const lines = d.logs[b.containerType ?? 'InferenceServer'];
      return { status: 200, body: { content: (b.tail ? lines.slice(-b.tail) : lines).join('\n') } };
    },
    OnlineDeployments_ListSkus: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      deploymentOf(e, p.deploymentName!);
      return { status: 200, body: { value: [{ resourceType: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments', sku: { name: 'Default', tier: 'Standard' }, capacity: { minimum: 1, maximum: 20, default: 1, scaleType: 'Manual' } }] } };
    },
  };

  const packaging = modelPackageRoutes({
    blobService,
    containerOf,
    startLro(w, operationId, work, body) {
      const op = startOperation(w, operationId, work, () => undefined, () => undefined);
      op.final = { operationId, body };
      return locationHeaders(w, op);
    },
    fail: (status, code, message) => new ArmError(status, code, message),
  });
  Object.assign(handlers, packaging.handlers);

  function datastore(w: WorkspaceState): Record<string, unknown> {
    return {
      id: `${wsPath(w)}/datastores/workspaceblobstore`,
      name: 'workspaceblobstore',
      type: 'Microsoft.MachineLearningServices/workspaces/datastores',
      properties: {
        datastoreType: 'AzureBlob',
        isDefault: true,
        accountName: AZURITE_ACCOUNT,
        containerName: containerOf(w),
        // A loopback endpoint means path-style URLs (http://host:port/account), as with Azurite.
        endpoint: azurite.proxyHost,
        protocol: 'http',
        serviceDataAccessAuthIdentity: 'None',
        credentials: { credentialsType: 'AccountKey' },
        tags: {},
        properties: {},
      },
    };
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'x-ms-request-id': randomUUID(), ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8' }), ...headers });
    res.end(text);
  }

  const armError = (res: ServerResponse, e: ArmError): void => send(res, e.status, { error: { code: e.code, message: e.message } }, e.headers);

  function requireArmToken(req: IncomingMessage): void {
    const check = entra.check(req.headers.authorization, base);
    if (!check.ok) throw new ArmError(401, check.code, check.message, { 'WWW-Authenticate': `Bearer authorization_uri="${base}/${tenant}", error="invalid_token", error_description="${check.message.replace(/"/g, "'")}"` });
  }

  async function serveEntra(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/(token|devicecode|authorize))$/.exec(url.pathname);
    if (m) {
      const t = m[1]!;
      if (m[2]!.startsWith('v2.0')) {
        const r = entra.openIdConfiguration(t);
        send(res, r.status, r.body);
        return true;
      }
      if (m[3] === 'authorize') {
        const r = entra.authorize(url.searchParams);
        if ('error' in r) return send(res, 400, `<p>${r.error}</p>`), true;
        const field = (n: string, v: string | null): string => (v === null ? '' : `<input type="hidden" name="${n}" value="${v.replace(/"/g, '&quot;')}">`);
        if (faults.take('signInCancel')) {
          // The user pressed Cancel on the sign-in page: Entra redirects with access_denied + error_subcode=cancel, no code.
          send(res, 200, `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${r.redirectUri ?? ''}">${field('error', 'access_denied')}${field('error_subcode', 'cancel')}${field('state', r.state)}<noscript><button>Continue</button></noscript></form></body></html>`);
          return true;
        }
        // Azure answers response_mode=form_post with a page that posts the code to the redirect URI.
        send(res, 200, `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${r.redirectUri ?? ''}">${field('code', r.code)}${field('state', r.state)}${field('client_info', r.clientInfo)}<noscript><button>Continue</button></noscript></form></body></html>`);
        return true;
      }
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const r = m[3] === 'token' ? entra.token(t, form) : entra.deviceCode(t, form);
      send(res, r.status, r.body, { 'cache-control': 'no-store' });
      return true;
    }
    // An AD FS-style authority (`<host>/adfs`, as Azure Stack uses): its discovery document has no tenant and no
    // v2.0 segment. The real Azure CLI signs in through it, because MSAL Python checks any other authority host
    // with login.microsoftonline.com's instance discovery, which a test on 127.0.0.1 cannot reach.
    if (url.pathname === '/adfs/.well-known/openid-configuration') {
      const r = entra.openIdConfiguration(tenant);
      send(res, r.status, r.body);
      return true;
    }
    if (url.pathname === '/devicelogin') {
      if (req.method === 'POST') {
        const form = new URLSearchParams((await readBody(req)).toString('utf8'));
        const ok = entra.approveUserCode(form.get('user_code') ?? '', form.get('account'));
        send(res, ok ? 200 : 400, ok ? '<p>You have signed in to Preflight (Azure emulator). You may close this window.</p>' : '<p>That code is unknown or expired.</p>');
      } else {
        send(res, 200, `<!doctype html><html><body><h1>Enter code</h1><form method="post"><input name="user_code" aria-label="Code"><input name="account" aria-label="Account" placeholder="${entra.identity.user.username}"><button>Next</button></form></body></html>`);
      }
      return true;
    }
    return false;
  }

  async function serveScoring(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/endpoints\/([^/]+)\/score$/.exec(url.pathname);
    if (!m || req.method !== 'POST') return false;
    calls.push('score');
    const requestId = randomUUID();
    const plain = (status: number, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-request-id': requestId, ...headers });
      res.end(text);
    };
    const w = workspaces.find((x) => x.endpoints.has(m[1]!.toLowerCase()));
    const e = w?.endpoints.get(m[1]!.toLowerCase());
    if (!e) return plain(404, 'No such endpoint.'), true;
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const authorized = e.properties.authMode === 'Key' ? auth === e.keys.primaryKey || auth === e.keys.secondaryKey : e.properties.authMode === 'AADToken' ? entra.check(req.headers.authorization, SCORING_AUDIENCE).ok : false;
    if (!authorized) return plain(401, 'Unauthorized: the key or token is missing, invalid or expired.'), true;
    const body = (await readBody(req)).toString('utf8');
    const fault = faults.take('status', (f) => f.target === 'score');
    if (fault) return plain(fault.status, fault.message ?? `Fault ${fault.status}`, fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}), true;
    const wanted = req.headers['azureml-model-deployment'];
    let d: DeploymentState | undefined;
    if (typeof wanted === 'string' && wanted) {
      d = e.deployments.get(wanted.toLowerCase());
      if (!d) return plain(404, `Deployment '${wanted}' does not exist under endpoint '${e.name}'.`), true;
    } else {
      const weighted = Object.entries((e.properties.traffic ?? {}) as Record<string, number>).filter(([, v]) => v > 0);
      let pick = Math.random() * weighted.reduce((a, [, v]) => a + v, 0);
      const name = weighted.find(([, v]) => (pick -= v) < 0)?.[0];
      d = name ? e.deployments.get(name.toLowerCase()) : undefined;
      if (!d) return plain(404, "The endpoint doesn't have any valid deployment with positive weight."), true;
    }
    if (d.provisioningState !== 'Succeeded' || !d.modelDir) return plain(502, `Deployment '${d.name}' is ${d.provisioningState}; it cannot answer yet.`), true;
    const modelError = faults.take('modelError');
    if (modelError) return plain(424, `An error occurred in the model container (status ${modelError.modelStatus}).`, { 'ms-azureml-model-error-statuscode': String(modelError.modelStatus), 'ms-azureml-model-error-reason': modelError.reason, 'azureml-model-deployment': d.name }), true;
    const slow = faults.take('slowScore');
    if (slow && !(await answeredLater(req, res, slow.delayMs))) {
      // The client closed the request before the answer: what Azure's front end sees when a caller gives up.
      calls.push('scoreAbandoned');
      return true;
    }
    const ct = req.headers['content-type'] ?? null;
    const answer = await options.scorer(d.modelDir, body, ct);
    const at = new Date().toISOString();
    // azmlinfsrv logs the exception of a failed run() (its generic 500 says "Check the logs"): the same text here.
    if (answer.server_log) d.logs.InferenceServer.push(...answer.server_log.split('\n').map((l) => `${at} ERROR ${l}`));
    d.logs.InferenceServer.push(`${at} POST /score ${answer.status} (request ${requestId})`);
    res.writeHead(answer.status, { ...answer.headers, 'x-request-id': requestId, 'azureml-model-deployment': d.name });
    res.end(answer.body_text);
    return true;
  }

  async function serveOperations(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/locations\/[^/]+\/(mfeOperationsStatus|mfeOperationResults)\/([^/]+)$/i.exec(url.pathname);
    if (!m || req.method !== 'GET') return false;
    requireArmToken(req);
    const op = operations.get(m[2]!);
    if (!op) throw new ArmError(404, 'NotFound', `Operation '${m[2]}' was not found.`);
    advance(op);
    const w = workspaces[0]!;
    if (m[1]!.toLowerCase() === 'mfeoperationsstatus') {
      calls.push('operationStatus');
      send(res, 200, { id: url.pathname, name: op.id, status: op.status, startTime: op.startTime, ...(op.endTime ? { endTime: op.endTime, percentComplete: 100 } : {}), ...(op.error ? { error: op.error } : {}) }, op.status === 'InProgress' ? { 'Retry-After': retryAfter } : {});
      return true;
    }
    calls.push('operationResult');
    if (op.status === 'InProgress') send(res, 202, undefined, locationHeaders(w, op));
    else if (op.status === 'Failed') send(res, 400, { error: op.error });
    else if (op.final) {
      const finalBody = op.final.body();
      const specOp = spec.operation(op.final.operationId);
      if (specOp) checkAnswer(specOp, op.finalStatus, finalBody, req, url);
      send(res, op.finalStatus, finalBody);
    } else send(res, op.finalStatus, undefined);
    return true;
  }

  async function serveArm(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const matched = spec.match(req.method ?? 'GET', url.pathname);
    if (!matched) throw new ArmError(404, 'NoRegisteredProviderFound', `No route for ${req.method} ${url.pathname} in the Azure ML / Resources API the emulator serves.`);
    const { operation, params } = matched;
    calls.push(operation.operationId);
    requireArmToken(req);
    const apiVersion = [...url.searchParams.entries()].find(([k]) => k.toLowerCase() === 'api-version')?.[1];
    if (!apiVersion) throw new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    const allowed = operation.operationId === 'Subscriptions_List' ? [SUBSCRIPTIONS_API_VERSION, AZ_CLI_SUBSCRIPTIONS_API_VERSION] : operation.operationId.startsWith('Subscriptions_') ? [SUBSCRIPTIONS_API_VERSION] : ML_API_VERSIONS;
    if (!allowed.includes(apiVersion)) throw new ArmError(400, 'NoRegisteredProviderFound', `No registered resource provider found for API version '${apiVersion}'. The supported api-versions are '${allowed.join(', ')}'.`);
    const raw = await readBody(req);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      }
    }
    const issues = spec.checkRequest(operation, params, url.searchParams, body);
    if (issues.length) {
      const unique = [...new Map(issues.map((i) => [`${i.where} ${i.message}`, i])).values()];
      violations.push(...unique.map((i) => ({ ...i, operation: operation.operationId, request: `${req.method} ${url.pathname}` })));
      throw new ArmError(400, 'InvalidRequestContent', `The request does not match the Azure ML REST API (${operation.operationId}): ${unique.map((i) => `${i.where} ${i.message}`).join('; ')}`);
    }
    // ARM answers a subscription the caller cannot see (another tenant's, a deleted one, no role on it) with 404
    // SubscriptionNotFound before looking any further, listing or reading alike — never an empty list.
    if (params.subscriptionId !== undefined && params.subscriptionId.toLowerCase() !== subscription.toLowerCase()) {
      throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${params.subscriptionId}' could not be found.`);
    }
    const fault = faults.take('status', (f) => (f.target ?? 'arm') === 'arm' && (!f.operationId || f.operationId === operation.operationId));
    if (fault) throw new ArmError(fault.status, fault.code ?? (fault.status === 429 ? 'TooManyRequests' : 'InternalServerError'), fault.message ?? `Emulated fault ${fault.status}.`, fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {});
    const handler = handlers[operation.operationId];
    if (!handler) throw new ArmError(405, 'NotImplementedInEmulator', `${operation.operationId} is part of the Azure ML API but the emulator does not serve it.`);
    const w = 'workspaceName' in params ? findWorkspace(params) : null;
    const out = await handler(w, params, url.searchParams, body);
    checkAnswer(operation, out.status, out.body, req, url);
    send(res, out.status, out.body, out.headers);
  }

  function checkAnswer(operation: SpecOperation, status: number, body: unknown, req: IncomingMessage, url: URL): void {
    const issues = spec.checkResponse(operation, status, body);
    if (issues.length === 0) return;
    violations.push(...issues.map((i) => ({ ...i, operation: operation.operationId, request: `${req.method} ${url.pathname} (emulator answer)` })));
    throw new ArmError(500, 'EmulatorAnswerViolatesSpec', `The emulator's own answer breaks the spec: ${issues.map((i) => `${i.where} ${i.message}`).join('; ')}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    try {
      if (url.pathname === '/_emulator/faults' && req.method === 'POST') {
        let queued: { fault?: Fault; times?: number } | null = null;
        try {
          queued = JSON.parse((await readBody(req)).toString('utf8')) as { fault?: Fault; times?: number };
        } catch {
          // Said below, with what a fault looks like.
        }
        // A malformed fault would sit in the queue and break every later request (500 "reading 'kind'"): refuse it.
        const kinds = ['status', 'lroFailed', 'stuck', 'modelError', 'slowScore', 'dropUpload', 'jobFailed', 'signInCancel'];
        if (!queued || typeof queued.fault?.kind !== 'string' || !kinds.includes(queued.fault.kind) || (queued.times !== undefined && !(Number.isInteger(queued.times) && queued.times >= 1))) {
          return send(res, 400, { error: { code: 'BadFault', message: `Expected {"fault": {"kind": ${kinds.map((k) => `"${k}"`).join(' | ')}, …}, "times"?: n ≥ 1} (faults.ts lists each kind's fields); nothing was queued.` } });
        }
        faults.add(queued.fault, queued.times);
        return send(res, 204, undefined);
      }
      if (url.pathname === '/_emulator/expire-tokens' && req.method === 'POST') {
        entra.expireAll();
        return send(res, 204, undefined);
      }
      if (url.pathname === '/_emulator/expire-refresh-tokens' && req.method === 'POST') {
        entra.expireRefreshTokens();
        return send(res, 204, undefined);
      }
      if (await serveEntra(req, res, url)) return;
      if (await serveScoring(req, res, url)) return;
      if (await batch.serveInvoke(req, res, url)) return;
      if (await serveOperations(req, res, url)) return;
      await serveArm(req, res, url);
    } catch (err) {
      if (err instanceof ArmError) return armError(res, err);
      send(res, 500, { error: { code: 'InternalServerError', message: `Emulator failure: ${(err as Error).message}` } });
    }
  }

  const server: Server = createServer({ cert: certs.certPem, key: certs.keyPem, ca: certs.caPem }, (req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cloudFile = join(workDir, 'cloud.json');
  await writeFile(cloudFile, `${JSON.stringify({ name: 'PreflightEmulator', armEndpoint: base, authorityHost: base, scoringScope: `${SCORING_AUDIENCE}/.default`, caFile }, null, 2)}\n`);

  return {
    url: base,
    caFile,
    cloudFile,
    tenant,
    clientId,
    clientSecret,
    clientCertificateFile,
    subscription,
    resourceGroup,
    workspace: workspaces[0]!.name,
    privateWorkspace: workspaces[1]!.name,
    faults,
    entra,
    azurite,
    violations,
    calls,
    workspaceState: (name) => workspaces.find((w) => w.name === (name ?? workspaces[0]!.name))!,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await azurite.stop();
      if (ownsWorkDir) await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** Waits `delayMs` before an answer (the `slowScore` fault): true when the client is still there, false when it closed the request first. */
function answeredLater(req: IncomingMessage, res: ServerResponse, delayMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!req.destroyed);
    }, delayMs);
    res.once('close', onClose);
  });
}
