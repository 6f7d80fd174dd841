/**
 * Azure ML batch for data that outgrows `preflight batch`: a batch endpoint with an MLflow model batch
 * deployment (no scoring script, no environment: Azure builds both from the MLmodel), then jobs on a local
 * folder of CSV/parquet files — uploaded first to the default datastore under `LocalUpload/<hash>/<folder>`
 * as `az ml batch-endpoint invoke --input <local dir>` does — followed to their end and their
 * `predictions.csv` downloaded. Azure ML is the scale-out engine here; Preflight only drives it.
 *
 * Wire facts: invoking is a data-plane POST to the endpoint's scoringUri with an Entra token for
 * https://ml.azure.com and `{"properties":{"InputData":{…},"OutputData":{…}}}` (Microsoft's "Create jobs and
 * input data for batch endpoints", REST tab); the job is then read on ARM as `GET {WS}/jobs/{name}`.
 * Preflight names the output folder itself (OutputData `score`), so it knows where predictions land
 * without the run-history API the Python SDK uses for `az ml job download`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import { DEFAULT_MIN_POLL_MS, pollWaitMs, sleepUnlessStopped, type LroProgress } from '../arm/arm-client';
import { TERMINAL_JOB_STATES, type BatchEndpointProps, type BatchResources } from '../arm/batch-resources';
import { isNotFoundError } from '../arm/arm-errors';
import type { ArmResource, MlResources, ModelVersionRef, WorkspaceRef } from '../arm/ml-resources';
import { batchEndpointYaml, modelYamlFiles } from '../export-batch-yaml';
import type { YamlFile } from '../export-yaml';
import { AzureErrorCodes, type HttpSend } from '../http';
import { containerFor, uploadModelFolder, type UploadProgress } from '../storage/model-upload';
import type { UploadHashCache } from '../storage/upload-hash-cache';
import type { CallOutput } from '@shared/ipc/contract';

export type BatchProgressEvent = ({ kind: 'upload' } & UploadProgress) | ({ kind: 'operation' } & LroProgress);

export interface BatchDeployInput {
  modelDir: string;
  endpoint: string;
  deployment?: string;
  /** Compute cluster name; created (scaling to 0 when idle) when it does not exist. Default cpu-cluster. */
  compute?: string;
  /** VM size of a cluster Preflight creates. Default Standard_DS3_v2. */
  instanceType?: string;
  instanceCount?: number;
  miniBatchSize?: number;
  maxConcurrencyPerInstance?: number;
  outputFileName?: string;
  modelName?: string;
  ignoreFindings?: boolean;
  onProgress?: (p: BatchProgressEvent) => void;
  signal?: AbortSignal;
}

export type BatchDeployResult = CallOutput<'azure', 'batchDeploy'>;

export interface BatchInvokeInput {
  endpoint: string;
  /** A deployment other than the endpoint's default (`azureml-model-deployment`). */
  deployment?: string | null;
  /** Local folder of .csv/.parquet/.pqt files. */
  input: string;
  /** Where predictions.csv is downloaded to (created when missing). */
  outDir: string;
  /** Replace an existing predictions file in outDir. */
  overwrite?: boolean;
  onProgress?: (p: BatchProgressEvent) => void;
  signal?: AbortSignal;
}

export type BatchJobResult = CallOutput<'azure', 'batchInvoke'>;

export interface AzureBatchDeps {
  ml: MlResources;
  batch: BatchResources;
  http: HttpSend;
  /** An Entra token for https://ml.azure.com; forceRefresh after the endpoint said the token expired. */
  scoringToken(forceRefresh?: boolean): Promise<string>;
  registerModel(ref: WorkspaceRef, input: { modelDir: string; name?: string; ignoreFindings?: boolean; onProgress?: (p: BatchProgressEvent) => void; signal?: AbortSignal }): Promise<ModelVersionRef>;
  pollIntervalMs?: number;
  /** Least wait between two job polls, even with `Retry-After: 0` (default 1 s). */
  minPollIntervalMs?: number;
  maxWaitMs?: number;
  uploadRetryDelayMs?: number;
  hashes?: UploadHashCache;
}

export const DEFAULT_BATCH_COMPUTE = 'cpu-cluster';
export const DEFAULT_BATCH_VM_SIZE = 'Standard_DS3_v2';
const TABULAR = new Set(['.csv', '.parquet', '.pqt']);

export class AzureBatch {
  constructor(private readonly deps: AzureBatchDeps) {}

  async endpoints(ref: WorkspaceRef): Promise<CallOutput<'azure', 'batchEndpoints'>> {
    const out: CallOutput<'azure', 'batchEndpoints'> = [];
    for (const e of await this.deps.batch.endpoints(ref)) {
      const deployments = (await this.deps.batch.deployments(ref, e.name)).map((d) => ({ name: d.name, state: d.properties.provisioningState ?? 'Unknown', model: d.properties.model?.assetId ?? null, compute: d.properties.compute ?? null }));
      out.push({ name: e.name, state: e.properties.provisioningState ?? 'Unknown', scoringUri: e.properties.scoringUri ?? null, defaultDeployment: e.properties.defaults?.deploymentName ?? null, deployments });
    }
    return out;
  }

  /** Register → compute cluster (if missing) → batch endpoint → MLflow model deployment → make it the default. */
  async deploy(ref: WorkspaceRef, input: BatchDeployInput): Promise<BatchDeployResult> {
    const { ml, batch } = this.deps;
    const ws = await ml.workspace(ref);
    const progress = (p: LroProgress): void => input.onProgress?.({ kind: 'operation', ...p });
    const model = await this.deps.registerModel(ref, { modelDir: input.modelDir, name: input.modelName, ignoreFindings: input.ignoreFindings, onProgress: input.onProgress, signal: input.signal });
    const compute = input.compute ?? DEFAULT_BATCH_COMPUTE;
    const existingCompute = await batch.compute(ref, compute).catch((err: unknown) => (isNotFoundError(err) ? null : Promise.reject(err)));
    if (!existingCompute) await batch.putCluster(ref, compute, { location: ws.location, vmSize: input.instanceType ?? DEFAULT_BATCH_VM_SIZE, maxNodes: Math.max(1, input.instanceCount ?? 1) }, progress, input.signal);
    const deployment = input.deployment ?? 'default';
    let endpoint = await batch.endpoint(ref, input.endpoint).catch((err: unknown) => (isNotFoundError(err) ? null : Promise.reject(err)));
    endpoint ??= await batch.putEndpoint(ref, input.endpoint, { location: ws.location, properties: { authMode: 'AADToken', description: 'Created by Preflight' } }, progress, input.signal);
    const d = await batch.putDeployment(
      ref,
      input.endpoint,
      deployment,
      {
        location: endpoint.location ?? ws.location,
        properties: {
          description: `MLflow model ${model.name}:${model.version}, deployed by Preflight`,
          model: { referenceType: 'Id', assetId: model.id },
          compute: batch.computeId(ref, compute),
          resources: { instanceCount: input.instanceCount ?? 1 },
          maxConcurrencyPerInstance: input.maxConcurrencyPerInstance ?? 1,
          miniBatchSize: input.miniBatchSize ?? 10,
          errorThreshold: -1,
          retrySettings: { maxRetries: 3, timeout: 'PT300S' },
          outputAction: 'AppendRow',
          outputFileName: input.outputFileName ?? 'predictions.csv',
          loggingLevel: 'Info',
        },
      },
      progress,
      input.signal,
    );
    const final = await this.setDefaultDeployment(ref, input.endpoint, deployment, progress, input.signal);
    return { endpoint: final.name, deployment: d.name, scoringUri: final.properties.scoringUri ?? '', model: { name: model.name, version: model.version }, compute, state: d.properties.provisioningState ?? 'Succeeded' };
  }

  /** The default deployment is a property of the endpoint: GET, then a full PUT (PATCH cannot carry properties). */
  async setDefaultDeployment(ref: WorkspaceRef, endpoint: string, deployment: string, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<BatchEndpointProps>> {
    const e = await this.deps.batch.endpoint(ref, endpoint);
    const { scoringUri: _s, provisioningState: _p, ...props } = e.properties as BatchEndpointProps & { swaggerUri?: string };
    delete (props as { swaggerUri?: string }).swaggerUri;
    return this.deps.batch.putEndpoint(ref, endpoint, { location: e.location ?? '', ...(e.tags ? { tags: e.tags } : {}), properties: { ...props, defaults: { deploymentName: deployment } } }, onProgress, signal);
  }

  /** Upload the folder, start a job, follow it to its end, download the predictions. */
  async invoke(ref: WorkspaceRef, input: BatchInvokeInput): Promise<BatchJobResult> {
    const { ml, batch } = this.deps;
    const started = Date.now();
    const folder = resolve(input.input);
    await checkInputFolder(folder);
    const outDir = resolve(input.outDir);
    const e = await batch.endpoint(ref, input.endpoint);
    if (!e.properties.scoringUri) throw new AppError(AzureErrorCodes.AZURE, `Batch endpoint ${input.endpoint} has no invocation URI yet (state ${e.properties.provisioningState ?? 'unknown'}).`);
    const deployments = await batch.deployments(ref, input.endpoint);
    const target = input.deployment ?? e.properties.defaults?.deploymentName ?? null;
    const dep = deployments.find((d) => d.name.toLowerCase() === (target ?? '').toLowerCase());
    if (!dep) {
      throw new AppError(
        ErrorCodes.INVALID_INPUT,
        target ? `Batch endpoint ${input.endpoint} has no deployment named "${target}" (it has: ${deployments.map((d) => d.name).join(', ') || 'none'}).` : `Batch endpoint ${input.endpoint} has no default deployment: deploy one with \`preflight azure batch deploy\`, or name one with --deployment.`,
      );
    }
    const outputFileName = dep.properties.outputFileName ?? 'predictions.csv';
    const predictionsPath = join(outDir, outputFileName);
    if (!input.overwrite && (await exists(predictionsPath))) {
      throw new AppError(ErrorCodes.OUTPUT_EXISTS, `${predictionsPath} exists already; pass --overwrite to replace it, or choose another --out folder.`, { details: { file: predictionsPath } });
    }
    const datastore = await ml.defaultDatastore(ref);
    const secrets = await ml.datastoreSecrets(ref, datastore.name);
    const upload = await uploadModelFolder({ folder, datastore, secrets, hashes: this.deps.hashes, signal: input.signal, retryDelayMs: this.deps.uploadRetryDelayMs, onProgress: (p) => input.onProgress?.({ kind: 'upload', ...p }) });
    // The short datastore URI the Python SDK's invoke sends for an uploaded local folder (trailing slash: a folder).
    const inputUri = `azureml://datastores/${datastore.name}/paths/${upload.path}/`;
    const outputPath = `preflight-batch/${input.endpoint}/${randomUUID()}`;
    const outputUri = `azureml://datastores/${datastore.name}/paths/${outputPath}/`;
    const job = await this.startJob(e.properties.scoringUri, input.deployment ?? null, inputUri, outputUri, input.signal);
    const status = await this.follow(ref, job, started, input.onProgress, input.signal);
    if (status !== 'Completed') {
      throw new AppError(AzureErrorCodes.AZURE, `Batch job ${job} ended ${status}. Its logs are in Azure ML studio (or \`az ml job stream --name ${job}\`); nothing was downloaded.`, { details: { job, status } });
    }
    await mkdir(outDir, { recursive: true });
    const temp = join(outDir, `.${outputFileName}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
    try {
      const blob = containerFor(datastore, secrets, this.deps.uploadRetryDelayMs ?? 1000).getBlobClient(`${outputPath}/${outputFileName}`);
      await blob.downloadToFile(temp, 0, undefined, { abortSignal: input.signal });
      await rename(temp, predictionsPath);
    } catch (err) {
      await rm(temp, { force: true });
      if (input.signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, `Stopped downloading the predictions of batch job ${job}; they stay at ${outputUri}${outputFileName}.`);
      throw new AppError(AzureErrorCodes.AZURE, `Batch job ${job} completed, but its ${outputFileName} could not be downloaded from ${outputUri}: ${(err as Error).message}`, { cause: err });
    }
    return { job, status, endpoint: e.name, deployment: dep.name, inputUri, uploadedBytes: upload.uploadedBytes, outputUri, predictionsPath, elapsedMs: Date.now() - started };
  }

  /** The batch endpoint, its deployments and their models as Azure ML CLI v2 YAML files (no secrets). */
  async exportYaml(ref: WorkspaceRef, endpoint: string): Promise<YamlFile[]> {
    const e = await this.deps.batch.endpoint(ref, endpoint);
    const deployments = await this.deps.batch.deployments(ref, endpoint);
    return [...(await modelYamlFiles(this.deps.ml, ref, deployments.map((d) => d.properties.model?.assetId))), ...batchEndpointYaml(e, deployments)];
  }

  async deleteEndpoint(ref: WorkspaceRef, endpoint: string, onProgress?: (p: BatchProgressEvent) => void, signal?: AbortSignal): Promise<{ deleted: boolean }> {
    const status = await this.deps.batch.deleteEndpoint(ref, endpoint, (p) => onProgress?.({ kind: 'operation', ...p }), signal);
    return { deleted: status !== 204 };
  }

  private async startJob(scoringUri: string, deployment: string | null, inputUri: string, outputUri: string, signal?: AbortSignal): Promise<string> {
    const body = JSON.stringify({ properties: { InputData: { input_data: { JobInputType: 'UriFolder', Uri: inputUri } }, OutputData: { score: { JobOutputType: 'UriFolder', Uri: outputUri } } } });
    const send = async (forceRefresh: boolean) =>
      this.deps.http({
        method: 'POST',
        url: scoringUri,
        headers: { authorization: `Bearer ${await this.deps.scoringToken(forceRefresh)}`, 'content-type': 'application/json', accept: 'application/json', 'x-ms-client-request-id': randomUUID(), ...(deployment ? { 'azureml-model-deployment': deployment } : {}) },
        body,
        signal,
        timeoutMs: 120_000,
      });
    let r = await send(false);
    // A token the service says expired (cached but revoked, clock skew): renew it once, as for ARM calls.
    if (r.status === 401 && /Expired|InvalidAuthenticationToken/i.test(r.text)) r = await send(true);
    const requestId = r.headers['x-request-id'] ?? r.headers['x-ms-request-id'] ?? null;
    if (r.status < 200 || r.status >= 300) {
      throw new AppError(AzureErrorCodes.AZURE, `Starting the batch job failed (${r.status}): ${errorText(r.text)} ${invokeHint(r.status)}${requestId ? ` (x-request-id ${requestId})` : ''}`.trim(), { details: { status: r.status, requestId } });
    }
    let name: unknown;
    try {
      name = (JSON.parse(r.text) as { name?: unknown }).name;
    } catch {
      name = undefined;
    }
    if (typeof name !== 'string' || !name) throw new AppError(AzureErrorCodes.AZURE, `The batch endpoint answered ${r.status} without a job name: ${r.text.slice(0, 200)}`);
    return name;
  }

  /** Polls the job until a terminal status, honouring Retry-After; cancel stops waiting (the job goes on). */
  private async follow(ref: WorkspaceRef, job: string, started: number, onProgress?: (p: BatchProgressEvent) => void, signal?: AbortSignal): Promise<string> {
    const what = `Batch job ${job}`;
    const maxWait = this.deps.maxWaitMs ?? 24 * 60 * 60_000;
    for (;;) {
      const { job: j, headers } = await this.deps.batch.job(ref, job, signal);
      const status = j.properties.status ?? 'Unknown';
      onProgress?.({ kind: 'operation', what, state: status, elapsedMs: Date.now() - started });
      if (TERMINAL_JOB_STATES.has(status)) return status;
      if (Date.now() - started > maxWait) throw new AppError(AzureErrorCodes.AZURE, `${what} is still ${status} after ${Math.round((Date.now() - started) / 60_000)} min; Preflight stopped waiting. Azure goes on — check it with \`az ml job show --name ${job}\`.`, { details: { job, status } });
      await waitFor(pollWaitMs(headers, this.deps.pollIntervalMs ?? 10_000, this.deps.minPollIntervalMs ?? DEFAULT_MIN_POLL_MS), signal, job);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A job on a folder with nothing Azure's MLflow batch driver reads would fail after minutes of cluster start-up: say so now. */
async function checkInputFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null);
  if (!info) throw new AppError(ErrorCodes.NOT_FOUND, `The input folder ${folder} does not exist.`);
  if (!info.isDirectory()) throw new AppError(ErrorCodes.INVALID_INPUT, `${folder} is a file; a batch job reads a folder. Put ${basename(folder)} in a folder of its own and give that folder.`);
  const names = (await readdir(folder, { withFileTypes: true })).filter((d) => d.isFile() && !d.name.startsWith('.'));
  if (!names.some((d) => TABULAR.has(extname(d.name).toLowerCase()))) {
    throw new AppError(ErrorCodes.INVALID_INPUT, `The input folder ${folder} holds no .csv, .parquet or .pqt file; Azure ML's MLflow batch deployments read those (files directly in the folder).`);
  }
}

function errorText(text: string): string {
  try {
    const b = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (b.error) return `${b.error.code ?? 'Error'}: ${b.error.message ?? ''}`;
  } catch {
    // not JSON: show the text
  }
  return text.trim().slice(0, 300) || '(empty answer)';
}

function invokeHint(status: number): string {
  switch (status) {
    case 401:
      return 'Batch endpoints take an Entra token for https://ml.azure.com only: sign in again (`preflight azure login`).';
    case 403:
      return 'You are signed in but may not run jobs here: ask for the "AzureML Data Scientist" role on the workspace.';
    case 404:
      return 'The endpoint or the named deployment does not exist.';
    case 429:
      return 'Azure is throttling job submissions: wait a minute and try again.';
    default:
      return status >= 500 ? 'Azure had a temporary failure: try again in a few minutes.' : '';
  }
}

function waitFor(ms: number, signal: AbortSignal | undefined, job: string): Promise<void> {
  return sleepUnlessStopped(ms, signal, () => new AppError(ErrorCodes.CANCELLED, `Stopped waiting for batch job ${job}. Azure carries on with it: follow it with \`az ml job show --name ${job}\`, or cancel it with \`az ml job cancel --name ${job}\`.`));
}
