/**
 * The emulator's batch half: compute clusters, batch endpoints and MLflow model batch deployments on ARM
 * (validated against mfe.json / machineLearningServices.json like every ARM call), the data-plane job
 * invocation at each batch endpoint's scoringUri (`POST …/jobs` with an Entra token for https://ml.azure.com),
 * and `GET {WS}/jobs/{name}` to follow a job.
 *
 * A job really runs: the input folder is downloaded from Azurite, scored by Preflight's own local batch
 * service (`BatchRunner`, the same code as `preflight batch`) on the model the deployment downloaded, and
 * the predictions file is written back to Azurite at the job's output URI. So it proves the plumbing — not
 * Azure's batch driver (mini-batches, retries, parallel nodes are not emulated).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { BlobServiceClient } from '@azure/storage-blob';
import { systemData, wsPath, type ProvisioningState, type WorkspaceState } from './arm-state';
import type { EmulatedEntra } from './entra';
import type { FaultQueue } from './faults';

/** Scores a downloaded input folder into outDir/<outputFileName> (Preflight's BatchService in tests). */
export type BatchRunner = (job: { modelDir: string; inputDir: string; outDir: string; outputFileName: string; outputAction: 'append_row' | 'summary_only' }) => Promise<{ ok: boolean; error: string | null; rows: number }>;

type Handler = (w: WorkspaceState | null, p: Record<string, string>, q: URLSearchParams, body: unknown) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;
interface Op {
  id: string;
}

export interface BatchEmulatorContext {
  base(): string;
  workDir: string;
  blobService: BlobServiceClient;
  containerOf(w: WorkspaceState): string;
  faults: FaultQueue;
  entra: EmulatedEntra;
  calls: string[];
  runner: BatchRunner | undefined;
  retryAfter: string;
  lroPolls: number;
  workspaces: WorkspaceState[];
  armError(status: number, code: string, message: string): Error;
  startOperation(w: WorkspaceState, operationId: string, work: Promise<void> | null, onSuccess: () => void, onFailure: (e: { code: string; message: string }) => void, finalStatus?: number): Op;
  asyncHeaders(w: WorkspaceState, op: Op): Record<string, string>;
  locationHeaders(w: WorkspaceState, op: Op): Record<string, string>;
}

interface ComputeState {
  name: string;
  location: string;
  properties: Record<string, unknown>;
  provisioningState: ProvisioningState;
  created: string;
}

interface BatchDeploymentState {
  name: string;
  location: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
  provisioningState: ProvisioningState;
  modelDir: string | null;
  created: string;
}

interface BatchEndpointState {
  name: string;
  location: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
  provisioningState: ProvisioningState;
  deployments: Map<string, BatchDeploymentState>;
  created: string;
}

type JobStatus = 'NotStarted' | 'Preparing' | 'Running' | 'Completed' | 'Failed' | 'Canceled';

interface JobState {
  name: string;
  endpoint: string;
  deployment: string;
  status: JobStatus;
  pollsLeft: number;
  stuck: boolean;
  workDone: boolean;
  error: string | null;
  outputUri: string;
  created: string;
  log: string[];
}

interface BatchWorkspace {
  computes: Map<string, ComputeState>;
  endpoints: Map<string, BatchEndpointState>;
  jobs: Map<string, JobState>;
}

const SCORING_AUDIENCE = 'https://ml.azure.com';

export function batchEmulator(ctx: BatchEmulatorContext): { handlers: Record<string, Handler>; serveInvoke(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>; jobs(w?: WorkspaceState): JobState[] } {
  const state = new WeakMap<WorkspaceState, BatchWorkspace>();
  const of = (w: WorkspaceState): BatchWorkspace => {
    let s = state.get(w);
    if (!s) state.set(w, (s = { computes: new Map(), endpoints: new Map(), jobs: new Map() }));
    return s;
  };
  const fail = ctx.armError;

  const computeResource = (w: WorkspaceState, c: ComputeState): Record<string, unknown> => ({
    id: `${wsPath(w)}/computes/${c.name}`,
    name: c.name,
    type: 'Microsoft.MachineLearningServices/workspaces/computes',
    location: c.location,
    systemData: systemData(c.created),
    properties: { ...c.properties, provisioningState: c.provisioningState, createdOn: c.created, modifiedOn: new Date().toISOString(), isAttachedCompute: false },
  });
  const endpointResource = (w: WorkspaceState, e: BatchEndpointState): Record<string, unknown> => ({
    id: `${wsPath(w)}/batchEndpoints/${e.name}`,
    name: e.name,
    type: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints',
    location: e.location,
    ...(e.tags ? { tags: e.tags } : {}),
    systemData: systemData(e.created),
    properties: { ...e.properties, provisioningState: e.provisioningState, scoringUri: `${ctx.base()}/batchEndpoints/${e.name}/jobs`, swaggerUri: `${ctx.base()}/batchEndpoints/${e.name}/swagger.json` },
  });
  const deploymentResource = (w: WorkspaceState, e: BatchEndpointState, d: BatchDeploymentState): Record<string, unknown> => ({
    id: `${wsPath(w)}/batchEndpoints/${e.name}/deployments/${d.name}`,
    name: d.name,
    type: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments',
    location: d.location,
    ...(d.tags ? { tags: d.tags } : {}),
    systemData: systemData(d.created),
    properties: { ...d.properties, provisioningState: d.provisioningState },
  });
  const jobResource = (w: WorkspaceState, j: JobState): Record<string, unknown> => ({
    id: `${wsPath(w)}/jobs/${j.name}`,
    name: j.name,
    type: 'Microsoft.MachineLearningServices/workspaces/jobs',
    systemData: systemData(j.created),
    properties: {
      jobType: 'Pipeline',
      status: j.status,
      displayName: j.name,
      experimentName: j.endpoint,
      tags: { 'azureml.batchrun': 'true', 'azureml.deploymentname': j.deployment },
      properties: {},
      outputs: { score: { jobOutputType: 'uri_folder', uri: j.outputUri, mode: 'ReadWriteMount' } },
    },
  });

  const endpointOf = (w: WorkspaceState, name: string): BatchEndpointState => {
    const e = of(w).endpoints.get(name.toLowerCase());
    if (!e) throw fail(404, 'UserError', `Resource not found: batch endpoint '${name}' does not exist in workspace '${w.name}'.`);
    return e;
  };

  /** Blobs under a datastore path of the workspace's default container, downloaded into dir; returns the count. */
  async function download(w: WorkspaceState, path: string, dir: string): Promise<number> {
    const client = ctx.blobService.getContainerClient(ctx.containerOf(w));
    const prefix = `${path.replace(/\/+$/, '')}/`;
    let files = 0;
    for await (const blob of client.listBlobsFlat({ prefix })) {
      const target = join(dir, blob.name.slice(prefix.length));
      await mkdir(dirname(target), { recursive: true });
      await client.getBlobClient(blob.name).downloadToFile(target);
      files++;
    }
    return files;
  }

  /** azureml://datastores/<ds>/paths/<p> (or the long subscriptions/… form) → <p>, only on the default datastore. */
  function datastorePath(uri: unknown, where: string): string {
    const m = typeof uri === 'string' ? /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.+)$/i.exec(uri) : null;
    if (!m) throw fail(400, 'BadArgument', `${where} must be an azureml://datastores/<name>/paths/<path> URI (the emulator serves only the default datastore), not ${JSON.stringify(uri)}.`);
    if (m[1]!.toLowerCase() !== 'workspaceblobstore') throw fail(400, 'BadArgument', `${where}: datastore '${m[1]}' does not exist.`);
    return m[2]!.replace(/\/+$/, '');
  }

  async function storageInitializer(w: WorkspaceState, e: BatchEndpointState, d: BatchDeploymentState): Promise<void> {
    const assetId = String((d.properties.model as { assetId?: string } | undefined)?.assetId ?? '');
    const m = /\/models\/([^/]+)\/versions\/([^/]+)$/i.exec(assetId);
    const version = m ? w.models.get(m[1]!.toLowerCase())?.versions.get(m[2]!) : undefined;
    if (!version) throw Object.assign(new Error(`Model '${assetId}' was not found in workspace '${w.name}'.`), { code: 'ModelNotFound' });
    const dir = join(ctx.workDir, 'batch-deployments', `${e.name}-${d.name}-${randomUUID().slice(0, 8)}`);
    if ((await download(w, datastorePath(version.properties.modelUri, 'modelUri'), dir)) === 0) throw Object.assign(new Error(`No model files under ${String(version.properties.modelUri)}.`), { code: 'ModelNotFound' });
    d.modelDir = dir;
  }

  async function runJob(w: WorkspaceState, j: JobState, d: BatchDeploymentState, inputPath: string, outputPath: string, failWith: string | null): Promise<void> {
    const dir = join(ctx.workDir, 'batch-jobs', j.name);
    try {
      if (!ctx.runner) throw new Error('the emulator was started without a batch runner');
      const inputDir = join(dir, 'input');
      const files = await download(w, inputPath, inputDir);
      j.log.push(`Downloaded ${files} input files from ${inputPath}.`);
      if (files === 0) throw new Error(`No input files under '${inputPath}'.`);
      const outputFileName = String(d.properties.outputFileName ?? 'predictions.csv');
      const outDir = join(dir, 'out');
      const r = await ctx.runner({ modelDir: d.modelDir!, inputDir, outDir, outputFileName, outputAction: d.properties.outputAction === 'SummaryOnly' ? 'summary_only' : 'append_row' });
      if (!r.ok) throw new Error(r.error ?? 'the batch scoring failed');
      if (failWith) throw new Error(failWith);
      j.log.push(`Scored ${r.rows} rows.`);
      if (d.properties.outputAction !== 'SummaryOnly') {
        await ctx.blobService.getContainerClient(ctx.containerOf(w)).getBlockBlobClient(`${outputPath}/${outputFileName}`).uploadFile(join(outDir, outputFileName));
      }
    } catch (err) {
      j.error = (err as Error).message;
    } finally {
      j.workDone = true;
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Each read of a running job moves it on; it ends only when its work is done (and it is not stuck). */
  function advance(j: JobState): void {
    if (j.status === 'Completed' || j.status === 'Failed' || j.status === 'Canceled' || j.stuck) return;
    if (j.pollsLeft > 0) {
      j.pollsLeft--;
      j.status = j.status === 'NotStarted' ? 'Preparing' : 'Running';
      return;
    }
    if (!j.workDone) return void (j.status = 'Running');
    j.status = j.error ? 'Failed' : 'Completed';
  }

  const handlers: Record<string, Handler> = {
    Compute_Get: async (w, p) => {
      const c = of(w!).computes.get(p.computeName!.toLowerCase());
      if (!c) throw fail(404, 'ResourceNotFound', `Compute '${p.computeName}' was not found in workspace '${w!.name}'.`);
      return { status: 200, body: computeResource(w!, c) };
    },
    Compute_CreateOrUpdate: async (w, p, _q, body) => {
      const b = body as { location?: string; properties?: Record<string, unknown> };
      if (b.properties?.computeType !== 'AmlCompute') throw fail(400, 'BadArgument', `computeType '${String(b.properties?.computeType)}' is not served by the emulator (AmlCompute clusters only).`);
      const key = p.computeName!.toLowerCase();
      const existing = of(w!).computes.get(key);
      const c: ComputeState = { name: p.computeName!, location: b.location ?? w!.location, properties: b.properties, provisioningState: existing ? 'Updating' : 'Creating', created: existing?.created ?? new Date().toISOString() };
      of(w!).computes.set(key, c);
      const op = ctx.startOperation(w!, 'Compute_CreateOrUpdate', null, () => (c.provisioningState = 'Succeeded'), () => (c.provisioningState = 'Failed'));
      return { status: existing ? 200 : 201, body: computeResource(w!, c), headers: ctx.asyncHeaders(w!, op) };
    },
    BatchEndpoints_List: async (w) => ({ status: 200, body: { value: [...of(w!).endpoints.values()].map((e) => endpointResource(w!, e)) } }),
    BatchEndpoints_Get: async (w, p) => ({ status: 200, body: endpointResource(w!, endpointOf(w!, p.endpointName!)) }),
    BatchEndpoints_CreateOrUpdate: async (w, p, _q, body) => {
      const b = body as { location: string; tags?: Record<string, string>; properties: Record<string, unknown> };
      const key = p.endpointName!.toLowerCase();
      const existing = of(w!).endpoints.get(key);
      if (existing && existing.provisioningState !== 'Succeeded' && existing.provisioningState !== 'Failed') throw fail(409, 'Conflict', `Batch endpoint '${existing.name}' is ${existing.provisioningState.toLowerCase()}; wait for that operation to finish.`);
      if (b.properties.authMode !== 'AADToken') throw fail(400, 'BadArgument', `Batch endpoints support only authMode AADToken (Microsoft Entra), not '${String(b.properties.authMode)}'.`);
      const { scoringUri: _s, swaggerUri: _sw, provisioningState: _ps, keys: _k, ...props } = b.properties;
      const wanted = (props.defaults as { deploymentName?: string | null } | undefined)?.deploymentName;
      if (wanted && !existing?.deployments.has(wanted.toLowerCase())) throw fail(400, 'BadArgument', `defaults.deploymentName '${wanted}' is not a deployment of batch endpoint '${p.endpointName}'.`);
      const e: BatchEndpointState = existing ?? { name: p.endpointName!, location: b.location, properties: {}, provisioningState: 'Creating', deployments: new Map(), created: new Date().toISOString() };
      const previous = { ...e.properties };
      Object.assign(e, { location: b.location, tags: b.tags, properties: props, provisioningState: existing ? 'Updating' : 'Creating' });
      of(w!).endpoints.set(key, e);
      const op = ctx.startOperation(
        w!,
        'BatchEndpoints_CreateOrUpdate',
        null,
        () => (e.provisioningState = 'Succeeded'),
        () => {
          if (existing) Object.assign(e, { properties: previous, provisioningState: 'Succeeded' as ProvisioningState });
          else e.provisioningState = 'Failed';
        },
      );
      return { status: existing ? 200 : 201, body: endpointResource(w!, e), headers: ctx.asyncHeaders(w!, op) };
    },
    BatchEndpoints_Delete: async (w, p) => {
      const e = of(w!).endpoints.get(p.endpointName!.toLowerCase());
      if (!e) return { status: 204 };
      e.provisioningState = 'Deleting';
      const op = ctx.startOperation(w!, 'BatchEndpoints_Delete', null, () => void of(w!).endpoints.delete(e.name.toLowerCase()), () => (e.provisioningState = 'Failed'));
      return { status: 202, headers: ctx.locationHeaders(w!, op) };
    },
    BatchDeployments_List: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      return { status: 200, body: { value: [...e.deployments.values()].map((d) => deploymentResource(w!, e, d)) } };
    },
    BatchDeployments_Get: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      const d = e.deployments.get(p.deploymentName!.toLowerCase());
      if (!d) throw fail(404, 'UserError', `Resource not found: deployment '${p.deploymentName}' does not exist under batch endpoint '${e.name}'.`);
      return { status: 200, body: deploymentResource(w!, e, d) };
    },
    BatchDeployments_CreateOrUpdate: async (w, p, _q, body) => {
      const e = endpointOf(w!, p.endpointName!);
      if (e.provisioningState !== 'Succeeded') throw fail(409, 'Conflict', `Batch endpoint '${e.name}' is ${e.provisioningState}; deployments can be added once it is Succeeded.`);
      const b = body as { location: string; tags?: Record<string, string>; properties: Record<string, unknown> };
      const model = b.properties.model as { referenceType?: string; assetId?: string } | undefined;
      if (model?.referenceType !== 'Id' || !model.assetId) throw fail(400, 'BadArgument', 'An MLflow model batch deployment needs model {referenceType: "Id", assetId: <model version ARM id>}.');
      if (b.properties.codeConfiguration || b.properties.environmentId) throw fail(400, 'BadArgument', 'The emulator serves MLflow model batch deployments only (no scoring script, no environment).');
      const computeName = /\/computes\/([^/]+)$/i.exec(String(b.properties.compute ?? ''))?.[1];
      if (!computeName || !of(w!).computes.has(decodeURIComponent(computeName).toLowerCase())) throw fail(400, 'BadArgument', `Compute '${String(b.properties.compute)}' does not exist in workspace '${w!.name}'; a batch deployment needs a compute cluster.`);
      const key = p.deploymentName!.toLowerCase();
      const existing = e.deployments.get(key);
      if (existing && existing.provisioningState !== 'Succeeded' && existing.provisioningState !== 'Failed') throw fail(409, 'Conflict', `Deployment '${existing.name}' is ${existing.provisioningState.toLowerCase()}; wait for that operation to finish.`);
      const { provisioningState: _ps, ...props } = b.properties;
      const d: BatchDeploymentState = existing ?? { name: p.deploymentName!, location: b.location, properties: {}, provisioningState: 'Creating', modelDir: null, created: new Date().toISOString() };
      Object.assign(d, { location: b.location, tags: b.tags, properties: props, provisioningState: existing ? 'Updating' : 'Creating' });
      e.deployments.set(key, d);
      const op = ctx.startOperation(w!, 'BatchDeployments_CreateOrUpdate', storageInitializer(w!, e, d), () => (d.provisioningState = 'Succeeded'), () => (d.provisioningState = 'Failed'));
      return { status: existing ? 200 : 201, body: deploymentResource(w!, e, d), headers: ctx.asyncHeaders(w!, op) };
    },
    BatchDeployments_Delete: async (w, p) => {
      const e = endpointOf(w!, p.endpointName!);
      const d = e.deployments.get(p.deploymentName!.toLowerCase());
      if (!d) return { status: 204 };
      if ((e.properties.defaults as { deploymentName?: string } | undefined)?.deploymentName?.toLowerCase() === d.name.toLowerCase()) throw fail(400, 'BadArgument', `Deployment '${d.name}' is the default of batch endpoint '${e.name}'; make another deployment the default first.`);
      d.provisioningState = 'Deleting';
      const op = ctx.startOperation(w!, 'BatchDeployments_Delete', null, () => void e.deployments.delete(d.name.toLowerCase()), () => (d.provisioningState = 'Failed'));
      return { status: 202, headers: ctx.locationHeaders(w!, op) };
    },
    Jobs_Get: async (w, p) => {
      const j = of(w!).jobs.get(p.id!);
      if (!j) throw fail(404, 'UserError', `Job '${p.id}' was not found in workspace '${w!.name}'.`);
      advance(j);
      const running = j.status !== 'Completed' && j.status !== 'Failed' && j.status !== 'Canceled';
      return { status: 200, body: jobResource(w!, j), headers: running ? { 'Retry-After': ctx.retryAfter } : ({} as Record<string, string>) };
    },
  };

  /** POST <batch scoringUri>: the data-plane job invocation (Entra token for https://ml.azure.com only). */
  async function serveInvoke(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/batchEndpoints\/([^/]+)\/jobs$/i.exec(url.pathname);
    if (!m || req.method !== 'POST') return false;
    ctx.calls.push('batchInvoke');
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID() });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string): void => reply(status, { error: { code, message } });
    const w = ctx.workspaces.find((x) => of(x).endpoints.has(m[1]!.toLowerCase()));
    const e = w ? of(w).endpoints.get(m[1]!.toLowerCase()) : undefined;
    if (!w || !e) return error(404, 'NotFound', `Batch endpoint '${m[1]}' does not exist.`), true;
    const auth = ctx.entra.check(req.headers.authorization, SCORING_AUDIENCE);
    if (!auth.ok) return error(401, auth.code, `${auth.message} Batch endpoints accept Microsoft Entra tokens for ${SCORING_AUDIENCE}.`), true;
    const fault = ctx.faults.take('status', (f) => f.target === 'batchInvoke');
    if (fault) return error(fault.status, fault.code ?? 'Fault', fault.message ?? `Emulated fault ${fault.status}.`), true;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: { properties?: { InputData?: Record<string, { JobInputType?: string; Uri?: string }>; OutputData?: Record<string, { JobOutputType?: string; Uri?: string }> } };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return error(400, 'BadRequest', 'The request body is not JSON.'), true;
    }
    const inputs = Object.entries(body.properties?.InputData ?? {});
    if (inputs.length !== 1) return error(400, 'BadRequest', `A model deployment takes exactly one data input in properties.InputData; got ${inputs.length}.`), true;
    const [, input] = inputs[0]!;
    if (!/^uri_?folder$/i.test(input.JobInputType ?? '')) return error(400, 'BadRequest', `properties.InputData.*.JobInputType '${String(input.JobInputType)}' is not served by the emulator (UriFolder only).`), true;
    const wanted = req.headers['azureml-model-deployment'];
    const deploymentName = typeof wanted === 'string' && wanted ? wanted : (e.properties.defaults as { deploymentName?: string } | undefined)?.deploymentName;
    const d = deploymentName ? e.deployments.get(deploymentName.toLowerCase()) : undefined;
    if (!d) return error(404, 'DeploymentNotFound', deploymentName ? `Deployment '${deploymentName}' does not exist under batch endpoint '${e.name}'.` : `Batch endpoint '${e.name}' has no default deployment.`), true;
    if (d.provisioningState !== 'Succeeded' || !d.modelDir) return error(409, 'DeploymentNotReady', `Deployment '${d.name}' is ${d.provisioningState}.`), true;
    const name = `batchjob-${randomUUID()}`;
    let inputPath: string;
    let outputPath: string;
    try {
      inputPath = datastorePath(input.Uri, 'properties.InputData.*.Uri');
      const out = Object.values(body.properties?.OutputData ?? {})[0];
      outputPath = out ? datastorePath(out.Uri, 'properties.OutputData.*.Uri') : `azureml/${name}/score`;
    } catch (err) {
      return error(400, 'BadRequest', (err as Error).message), true;
    }
    const failFault = ctx.faults.take('jobFailed');
    const j: JobState = { name, endpoint: e.name, deployment: d.name, status: 'NotStarted', pollsLeft: ctx.lroPolls, stuck: ctx.faults.take('stuck', (f) => f.operationId === 'BatchJob') !== null, workDone: false, error: null, outputUri: `azureml://datastores/workspaceblobstore/paths/${outputPath}/`, created: new Date().toISOString(), log: [] };
    of(w).jobs.set(name, j);
    void runJob(w, j, d, inputPath, outputPath, failFault?.message ?? null);
    reply(200, { id: `${wsPath(w)}/jobs/${name}`, name, type: 'Microsoft.MachineLearningServices/workspaces/jobs', properties: { status: 'NotStarted', InputData: body.properties?.InputData, OutputData: { score: { JobOutputType: 'UriFolder', Uri: j.outputUri } }, OutputFileName: d.properties.outputFileName ?? 'predictions.csv' } });
    return true;
  }

  return { handlers, serveInvoke, jobs: (w) => [...of(w ?? ctx.workspaces[0]!).jobs.values()] };
}
