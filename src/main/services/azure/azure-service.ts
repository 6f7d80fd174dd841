/**
 * AzureService: the one facade every host uses for Azure ML (the app over IPC `azure.*`, the browser-mode
 * host, `preflight azure …`). It composes sign-in (auth/), the ARM layer (arm/), uploads (storage/) and
 * scoring (scoring/), and keeps the non-secret defaults (tenant, subscription, resource group, workspace) in
 * the app's settings. Secrets stay inside: nothing it returns carries a token, key or storage credential.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { basename, join, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { CallOutput } from '@shared/ipc/contract';
import type { Logger } from '../../ports/logger';
import type { ModelReader } from '../../ports/model-reader';
import type { SecretStore } from '../../ports/secret-store';
import type { AppStore } from '../store/app-store';
import { ArmClient, type LroProgress } from './arm/arm-client';
import { MlResources, type ArmResource, type Datastore, type EndpointProps, type Subscription, type Workspace, type WorkspaceRef } from './arm/ml-resources';
import { AzureAuth, type AuthState, type DeviceCodePrompt } from './auth/azure-auth';
import { armScope, type AzureCloud } from './cloud';
import { AzureErrorCodes, createHttp, type HttpSend } from './http';
import { DeploymentLogTail, type LogLines } from './deployment-log-tail';
import { endpointYaml, type YamlFile } from './export-yaml';
import { modelYamlFiles } from './export-batch-yaml';
import { invokeCancelled, invokeScoring, untilCancelled, type InvokeAnswer } from './scoring/invoke';
import { ScoringTargetCache, type ScoringTarget } from './scoring/scoring-target-cache';
import { uploadModelFolder, type UploadProgress } from './storage/model-upload';
import { UploadHashCache } from './storage/upload-hash-cache';
import { hashModelFolder } from './storage/folder-hash';
import { BatchResources } from './arm/batch-resources';
import { AzureBatch } from './batch/azure-batch';
import { onlineDeploymentBody, withFailedDeploymentNextSteps } from './online-deployment';
import { maxOf, pushAll } from '@shared/arrays';

export type AzureProgress = ({ kind: 'upload' } & UploadProgress) | ({ kind: 'operation' } & LroProgress) | ({ kind: 'log' } & LogLines);

export type AzureLogin =
  | { method: 'service-principal'; tenant: string; clientId: string; clientSecret: string }
  /** `certificatePem`: the PEM text holding the private key and the certificate (`--certificate FILE`). */
  | { method: 'service-principal'; tenant: string; clientId: string; certificatePem: string }
  | { method: 'device-code'; tenant: string; clientId?: string; onCode: (p: DeviceCodePrompt) => void; signal?: AbortSignal }
  | { method: 'interactive'; tenant: string; clientId?: string; openBrowser: (url: string) => Promise<void>; signal?: AbortSignal }
  | { method: 'azure-cli'; tenant?: string };

/** The saved workspace later calls default to (azure.useWorkspace's answer). */
export type AzureDefaults = CallOutput<'azure', 'useWorkspace'>;

export interface AzureTuning {
  retryBaseMs?: number;
  pollIntervalMs?: number;
  /** Least wait between two polls of an ARM operation or batch job (default 1000 ms; tests lower it). */
  minPollIntervalMs?: number;
  maxWaitMs?: number;
  uploadRetryDelayMs?: number;
  /** How long an endpoint's scoring URI, auth mode and key are reused without asking ARM again (default 60 s). */
  scoringTargetTtlMs?: number;
}

/**
 * PREFLIGHT_AZURE_FAST_RETRY=1: retries and ARM polls in milliseconds instead of seconds, for tests against the Azure
 * emulator (its operations finish at once; the product's 1 s waits only make a test slow). Read the same way by
 * every host that reaches Azure (CLI, browser mode), so a test of either waits alike.
 */
export function azureTuningFromEnv(env: Record<string, string | undefined>): AzureTuning | undefined {
  return env.PREFLIGHT_AZURE_FAST_RETRY === '1' ? { retryBaseMs: 50, pollIntervalMs: 200, minPollIntervalMs: 50, uploadRetryDelayMs: 50 } : undefined;
}

export interface DeployInput {
  modelDir: string;
  endpoint: string;
  deployment?: string;
  instanceType?: string;
  instanceCount?: number;
  authMode?: 'Key' | 'AADToken';
  modelName?: string;
  /** Deploy even when the readiness report has error findings (the user typed a confirmation). */
  ignoreFindings?: boolean;
  onProgress?: (p: AzureProgress) => void;
  signal?: AbortSignal;
}

export type DeployResult = CallOutput<'azure', 'deploy'>;

const SETTINGS_KEY = 'azure';
export { DEFAULT_INSTANCE_TYPE } from './online-deployment';

export class AzureService {
  private parts: Promise<{ http: HttpSend; auth: AzureAuth; ml: MlResources; arm: ArmClient }> | null = null;
  private batchOps: Promise<AzureBatch> | null = null;
  /** Hashes of uploaded files, kept beside the settings so a later process re-registers without reading (upload-hash-cache.ts). */
  private readonly uploadHashes: UploadHashCache;
  /** Scoring URI, auth mode and key per endpoint for a short time (scoring/scoring-target-cache.ts). */
  private readonly scoringTargets: ScoringTargetCache;
  /** Who hears the ARM retries of the call in progress (withRetryNotices), besides the log. */
  private readonly retryNotices = new AsyncLocalStorage<(p: AzureProgress) => void>();

  constructor(
    private readonly deps: { cloud: AzureCloud; secrets: SecretStore; store: AppStore; log: Logger; models: ModelReader; tuning?: AzureTuning },
  ) {
    this.uploadHashes = new UploadHashCache(join(deps.store.dir, 'azure-upload-hashes.json'));
    this.scoringTargets = new ScoringTargetCache(deps.tuning?.scoringTargetTtlMs);
  }

  get cloud(): AzureCloud {
    return this.deps.cloud;
  }

  private ready(): Promise<{ http: HttpSend; auth: AzureAuth; ml: MlResources; arm: ArmClient }> {
    this.parts ??= (async () => {
      const http = await createHttp(this.deps.cloud);
      const auth = new AzureAuth(this.deps.cloud, http, this.deps.secrets, this.deps.log);
      const arm = new ArmClient({
        cloud: this.deps.cloud,
        http,
        token: (o) => auth.token(armScope(this.deps.cloud), o),
        // The CLI prints warnings on stderr and the app keeps them in its log: a retried call is not a silent wait.
        onRetry: (r) => {
          const wait = `retry ${r.attempt} of ${r.of} in ${Math.round(r.waitMs / 100) / 10} s`;
          this.deps.log.warn(`azure: ${r.what}: ${r.reason}; ${wait}`);
          this.retryNotices.getStore()?.({ kind: 'operation', what: r.what, state: `${r.reason}; ${wait}`, elapsedMs: 0 });
        },
        ...this.deps.tuning,
      });
      return { http, auth, ml: new MlResources(arm), arm };
    })();
    return this.parts;
  }

  /**
   * Runs `fn` with its ARM retries (429 with Retry-After, 5xx, dropped connections: up to a minute each) also told to
   * `notice` as progress, so a panel that shows only progress does not sit silent on a throttled call. Per call
   * (async context), so two operations at once each hear only their own retries.
   */
  withRetryNotices<T>(notice: (p: AzureProgress) => void, fn: () => Promise<T>): Promise<T> {
    return this.retryNotices.run(notice, fn);
  }

  /** The signed-in ARM layer and HTTP client for sibling modules (model packaging): same retries, renewal and tuning. */
  async connection(): Promise<{ arm: ArmClient; ml: MlResources; http: HttpSend }> {
    const { arm, ml, http } = await this.ready();
    return { arm, ml, http };
  }

  defaults(): AzureDefaults {
    const s = (this.deps.store.getSetting(SETTINGS_KEY) ?? {}) as Partial<AzureDefaults>;
    return { subscription: s.subscription ?? null, resourceGroup: s.resourceGroup ?? null, workspace: s.workspace ?? null };
  }

  async setDefaults(d: Partial<AzureDefaults>): Promise<AzureDefaults> {
    await this.deps.store.setSetting(SETTINGS_KEY, { ...this.defaults(), ...d });
    return this.defaults();
  }

  async status(): Promise<AuthState & { cloud: string; defaults: AzureDefaults }> {
    const { auth } = await this.ready();
    return { ...(await auth.state()), cloud: this.deps.cloud.name, defaults: this.defaults() };
  }

  async login(input: AzureLogin): Promise<AuthState> {
    const { auth } = await this.ready();
    const scope = armScope(this.deps.cloud);
    switch (input.method) {
      case 'service-principal':
        return auth.signInServicePrincipal(input, scope);
      case 'device-code':
        return auth.signInDeviceCode(input, scope);
      case 'interactive':
        return auth.signInInteractive(input, scope);
      case 'azure-cli':
        return auth.signInAzureCli(input, scope);
    }
  }

  /** The user accounts signed in on this machine that msal can still renew (the Azure tab's account picker). */
  async accounts(): Promise<CallOutput<'azure', 'accounts'>> {
    return (await this.ready()).auth.accounts();
  }

  /** Use another cached account; what was read with the previous one (endpoint keys) is dropped. */
  async useAccount(username: string): Promise<AuthState> {
    this.scoringTargets.clear();
    return (await this.ready()).auth.useAccount(username, armScope(this.deps.cloud));
  }

  async logout(): Promise<AuthState> {
    this.scoringTargets.clear();
    return (await this.ready()).auth.signOut();
  }

  async subscriptions(): Promise<Subscription[]> {
    return (await this.ready()).ml.subscriptions();
  }

  /**
   * Workspaces of a subscription, or of every subscription the sign-in sees. Not the saved default's alone: a
   * default saved under another sign-in (tenant, account) would hide every workspace this one can use.
   */
  async workspaces(subscription?: string | null): Promise<(Workspace & { privateLink: boolean })[]> {
    const { ml } = await this.ready();
    const subs = subscription ? [subscription] : (await ml.subscriptions()).map((s) => s.subscriptionId);
    const all: Workspace[] = [];
    for (const s of subs) pushAll(all, await ml.workspaces(s));
    return all.map((w) => ({ ...w, privateLink: w.publicNetworkAccess === 'Disabled' }));
  }

  /** The workspace a call targets: what was given, filled from the saved defaults; a clear error when incomplete. */
  workspaceRef(given: Partial<AzureDefaults> = {}): WorkspaceRef {
    const d = this.defaults();
    const ref = { subscription: given.subscription ?? d.subscription, resourceGroup: given.resourceGroup ?? d.resourceGroup, workspace: given.workspace ?? d.workspace };
    const missing = Object.entries(ref).filter(([, v]) => !v).map(([k]) => k);
    if (missing.length) throw new AppError(ErrorCodes.INVALID_INPUT, `No ${missing.join(', ')} given and none saved: pass --subscription, --resource-group and --workspace, or pick one with \`preflight azure workspaces --use <name>\`.`);
    return ref as WorkspaceRef;
  }

  async models(ref: WorkspaceRef): Promise<{ name: string; latestVersion: string | null }[]> {
    const items = await (await this.ready()).ml.models(ref);
    return items.map((m) => ({ name: m.name, latestVersion: m.properties.latestVersion ?? null }));
  }

  async endpoints(ref: WorkspaceRef): Promise<CallOutput<'azure', 'endpoints'>> {
    const { ml } = await this.ready();
    const out = [];
    for (const e of await ml.endpoints(ref)) {
      const deployments = (await ml.deployments(ref, e.name)).map((d) => ({ name: d.name, state: d.properties.provisioningState ?? 'Unknown', model: d.properties.model ?? null, instanceType: d.properties.instanceType ?? null }));
      out.push({ name: e.name, authMode: e.properties.authMode, state: e.properties.provisioningState ?? 'Unknown', scoringUri: e.properties.scoringUri ?? null, traffic: e.properties.traffic ?? {}, deployments });
    }
    return out;
  }

  /** The workspace's default datastore (no credentials: those are read only for an upload). */
  async defaultDatastore(ref: WorkspaceRef): Promise<Datastore> {
    return (await this.ready()).ml.defaultDatastore(ref);
  }

  /** Uploads the folder to the default datastore and registers it as an `mlflow_model` version (reusing an identical one). */
  async registerModel(ref: WorkspaceRef, input: { modelDir: string; name?: string; ignoreFindings?: boolean; onProgress?: (p: AzureProgress) => void; signal?: AbortSignal }): Promise<{ name: string; version: string; id: string; uploadedBytes: number; reused: boolean }> {
    const { ml } = await this.ready();
    const folder = resolve(input.modelDir);
    // Hashing (which names LocalUpload/<hash>) runs while the model is read and ARM is asked for the datastore:
    // none of those needs the name, and for a big model the hash is most of the time before the first byte goes.
    const stopHashing = new AbortController();
    const hashing = hashModelFolder(folder, { hashes: this.uploadHashes, signal: input.signal ? AbortSignal.any([input.signal, stopHashing.signal]) : stopHashing.signal });
    hashing.catch(() => undefined);
    const target = (async () => {
      const datastore = await ml.defaultDatastore(ref);
      return { datastore, secrets: await ml.datastoreSecrets(ref, datastore.name) };
    })();
    target.catch(() => undefined);
    let name: string;
    let datastore: Datastore;
    let upload: Awaited<ReturnType<typeof uploadModelFolder>>;
    try {
      const report = await this.deps.models.inspect(folder, { signal: input.signal });
      if (!report.mlmodel) {
        // Registered as an mlflow_model for a no-code deployment: without MLmodel no override can make that work.
        throw new AppError(ErrorCodes.NOT_A_MODEL, `${folder} is not an MLflow model folder (no MLmodel), so Azure's no-code deployment cannot load it and --ignore-findings (or "deploy anyway") cannot help; nothing was uploaded. ${report.findings.find((f) => f.code === 'not-an-mlflow-model')?.fix ?? 'Save it as an MLflow model first, then deploy that folder.'}`);
      }
      const blocking = report.findings.filter((f) => f.severity === 'error');
      if (blocking.length && !input.ignoreFindings) {
        throw new AppError(ErrorCodes.INVALID_INPUT, `The model has ${blocking.length} error finding${blocking.length > 1 ? 's' : ''} that would break the deployment: ${blocking.map((f) => `${f.title} (${f.fix})`).join('; ')}. Fix them, or deploy anyway with --ignore-findings.`, { details: { findings: blocking.map((f) => f.code) } });
      }
      name = input.name ?? sanitizeName(report.name || basename(folder));
      const t = await target;
      datastore = t.datastore;
      upload = await uploadModelFolder({ folder, ...t, hashed: await hashing, signal: input.signal, retryDelayMs: this.deps.tuning?.uploadRetryDelayMs, onProgress: (p) => input.onProgress?.({ kind: 'upload', ...p }) });
    } finally {
      stopHashing.abort();
    }
    const modelUri = `azureml://subscriptions/${ref.subscription}/resourcegroups/${ref.resourceGroup}/workspaces/${ref.workspace}/datastores/${datastore.name}/paths/${upload.path}`;
    const versions = await ml.modelVersions(ref, name).catch((err: unknown) => (isNotFound(err) ? [] : Promise.reject(err)));
    const same = versions.find((v) => v.properties.modelUri === modelUri);
    if (same) return { name, version: same.name, id: same.id, uploadedBytes: upload.uploadedBytes, reused: true };
    const next = String(maxOf(versions.map((v) => Number(v.name)).filter(Number.isFinite), 0) + 1);
    const v = await ml.putModelVersion(ref, name, next, { modelUri, modelType: 'mlflow_model', description: `Registered by Preflight from ${basename(folder)}`, tags: { createdBy: 'preflight' } });
    return { name, version: v.name, id: v.id, uploadedBytes: upload.uploadedBytes, reused: false };
  }

  /** Register → endpoint (created or updated) → no-code MLflow deployment → 100 % traffic, waiting for each. */
  async deploy(ref: WorkspaceRef, input: DeployInput): Promise<DeployResult> {
    const { ml } = await this.ready();
    const ws = await ml.workspace(ref);
    if (ws.publicNetworkAccess === 'Disabled') {
      throw new AppError(AzureErrorCodes.AZURE, `Workspace ${ref.workspace} has public network access disabled (private link): a no-code deployment cannot install its packages there. Package the model for private networks instead: \`preflight azure package ${input.modelDir} --workspace ${ref.workspace} --endpoint ${input.endpoint} --wheels <folder of wheels>\` (in the app: the Package tab, In Azure) builds the offline package, registers it and deploys its environment.`);
    }
    const progress = (p: LroProgress): void => input.onProgress?.({ kind: 'operation', ...p });
    const model = await this.registerModel(ref, { modelDir: input.modelDir, name: input.modelName, ignoreFindings: input.ignoreFindings, onProgress: input.onProgress, signal: input.signal });
    const deployment = input.deployment ?? 'blue';
    const authMode = input.authMode ?? 'Key';
    const endpoint = await this.ensureEndpoint(ref, input.endpoint, authMode, ws.location, progress, input.signal);
    // While Azure creates the deployment, its containers' logs are tailed on each poll (phase by phase:
    // storage-initializer downloads the model, then the inference server installs packages and starts).
    const tail = new DeploymentLogTail(deployment, (container) => ml.deploymentLogs(ref, input.endpoint, deployment, container, 100), (lines) => input.onProgress?.({ kind: 'log', ...lines }));
    const d = await ml.putDeployment(
      ref,
      input.endpoint,
      deployment,
      // No-code MLflow images install the model's pip packages at start-up: give them time before probes fail it.
      onlineDeploymentBody({ location: endpoint.location ?? ws.location, runs: { model: model.id }, instanceType: input.instanceType, instanceCount: input.instanceCount, livenessDelaySeconds: 600 }),
      (p) => {
        progress(p);
        tail.poke();
      },
      input.signal,
    )
      .catch((err: unknown) => Promise.reject(withFailedDeploymentNextSteps(err, input.endpoint, deployment)))
      .finally(() => tail.finish({ stopped: input.signal?.aborted === true }));
    const final = await this.setTraffic(ref, input.endpoint, { [deployment]: 100 }, progress, input.signal);
    return { endpoint: final.name, deployment: d.name, scoringUri: final.properties.scoringUri ?? '', model: { name: model.name, version: model.version }, state: d.properties.provisioningState ?? 'Succeeded', uploadedBytes: model.uploadedBytes };
  }

  /** The online endpoint, created (or its auth mode changed) when needed; keeps its traffic and tags. */
  async ensureEndpoint(ref: WorkspaceRef, name: string, authMode: 'Key' | 'AADToken', location: string, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<EndpointProps>> {
    const { ml } = await this.ready();
    const endpoint = await ml.endpoint(ref, name).catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
    if (endpoint && endpoint.properties.authMode === authMode) return endpoint;
    this.scoringTargets.drop(ScoringTargetCache.key(ref, name));
    return ml.putEndpoint(ref, name, { location: endpoint?.location ?? location, ...(endpoint?.tags ? { tags: endpoint.tags } : {}), properties: { authMode, ...(endpoint?.properties.traffic ? { traffic: endpoint.properties.traffic } : {}), description: endpoint?.properties.description ?? 'Created by Preflight' } }, onProgress, signal);
  }

  /** Traffic is set by GET + full PUT of the endpoint (PATCH cannot carry properties). */
  async setTraffic(ref: WorkspaceRef, endpoint: string, traffic: Record<string, number>, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<EndpointProps>> {
    const { ml } = await this.ready();
    const e = await ml.endpoint(ref, endpoint);
    const { scoringUri: _s, provisioningState: _p, ...props } = e.properties as EndpointProps & { swaggerUri?: string };
    delete (props as { swaggerUri?: string }).swaggerUri;
    // Named for what the user asked (progress otherwise reads like a second endpoint creation).
    const share = Object.entries(traffic).map(([d, p]) => `${d} ${p} %`).join(', ');
    const progress = onProgress && ((p: LroProgress) => onProgress({ ...p, what: `Setting traffic of ${endpoint} (${share})` }));
    return ml.putEndpoint(ref, endpoint, { location: e.location ?? '', ...(e.tags ? { tags: e.tags } : {}), properties: { ...props, traffic } }, progress, signal);
  }

  /**
   * azure.invoke: `signal` aborts the scoring request (or the endpoint lookup before it) and ends the call at once
   * with E_CANCELLED, whatever step it was in.
   */
  async invoke(ref: WorkspaceRef, input: { endpoint: string; deployment?: string | null; body: string; contentType?: string | null; signal?: AbortSignal }): Promise<InvokeAnswer> {
    return (await untilCancelled(this.score(ref, input), input.signal, () => invokeCancelled(input.endpoint))).answer;
  }

  /** `invoke` plus where it went and how long the scoring call took (compare targets show both); never the secret. */
  async score(
    ref: WorkspaceRef,
    input: { endpoint: string; deployment?: string | null; body: string; contentType?: string | null; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<{ scoringUri: string; authMode: string; answer: InvokeAnswer; latencyMs: number }> {
    const { http, auth } = await this.ready();
    const cacheKey = ScoringTargetCache.key(ref, input.endpoint);
    let started = performance.now();
    const call = async (t: ScoringTarget, forceRefresh: boolean): Promise<InvokeAnswer> => {
      const bearer = t.key ?? (await auth.token(this.deps.cloud.scoringScope, { forceRefresh }));
      started = performance.now();
      return invokeScoring(http, { scoringUri: t.scoringUri, bearer, deployment: input.deployment, body: input.body, contentType: input.contentType, signal: input.signal, timeoutMs: input.timeoutMs });
    };
    let target = await this.scoringTargets.get(cacheKey, () => this.readScoringTarget(ref, input.endpoint));
    let answer = await call(target, false);
    if (answer.status === 401 || answer.status === 403) {
      // A key regenerated (or an auth mode changed) since it was read, or an Entra token the endpoint calls
      // expired while msal still had it: read the endpoint and its keys again, renew the token, call once more.
      this.scoringTargets.drop(cacheKey);
      target = await this.scoringTargets.get(cacheKey, () => this.readScoringTarget(ref, input.endpoint));
      answer = await call(target, true);
    }
    if (answer.status === 401 || answer.status === 403 || answer.status === 404) this.scoringTargets.drop(cacheKey);
    return { scoringUri: target.scoringUri, authMode: target.authMode, answer, latencyMs: Math.round((performance.now() - started) * 1000) / 1000 };
  }

  /** The endpoint's scoring URI, auth mode and (key auth) primary key, read from ARM. */
  private async readScoringTarget(ref: WorkspaceRef, endpoint: string): Promise<ScoringTarget> {
    const { ml } = await this.ready();
    const e = await ml.endpoint(ref, endpoint);
    const scoringUri = e.properties.scoringUri;
    if (!scoringUri) throw new AppError(AzureErrorCodes.AZURE, `Endpoint ${endpoint} has no scoring URI yet (state ${e.properties.provisioningState ?? 'unknown'}).`);
    if (e.properties.authMode === 'Key') return { scoringUri, authMode: 'Key', key: (await ml.endpointKeys(ref, endpoint)).primaryKey };
    if (e.properties.authMode === 'AADToken') return { scoringUri, authMode: 'AADToken', key: null };
    throw new AppError(AzureErrorCodes.AZURE, `Endpoint ${endpoint} uses ${e.properties.authMode} authentication, which Preflight does not call yet; use key or Entra (AADToken) auth.`);
  }

  /** One of the endpoint's keys, for the host to put on the clipboard or show on an explicit "Reveal" (never logged). */
  async endpointKey(ref: WorkspaceRef, endpoint: string, which: 'primary' | 'secondary' = 'primary'): Promise<string> {
    const { ml } = await this.ready();
    const e = await ml.endpoint(ref, endpoint);
    if (e.properties.authMode !== 'Key') throw new AppError(AzureErrorCodes.AZURE, `Endpoint ${endpoint} uses ${e.properties.authMode} authentication: it has no keys (callers send an Entra token for https://ml.azure.com).`);
    const keys = await ml.endpointKeys(ref, endpoint);
    return which === 'secondary' ? keys.secondaryKey : keys.primaryKey;
  }

  async logs(ref: WorkspaceRef, input: { endpoint: string; deployment?: string | null; container?: 'InferenceServer' | 'StorageInitializer'; tail?: number }): Promise<CallOutput<'azure', 'logs'>> {
    const { ml } = await this.ready();
    let deployment = input.deployment ?? null;
    if (!deployment) {
      const e = await ml.endpoint(ref, input.endpoint);
      const ranked = Object.entries(e.properties.traffic ?? {}).sort((a, b) => b[1] - a[1]);
      deployment = ranked[0]?.[0] ?? (await ml.deployments(ref, input.endpoint))[0]?.name ?? null;
      if (!deployment) throw new AppError(AzureErrorCodes.AZURE, `Endpoint ${input.endpoint} has no deployments, so there are no logs.`);
    }
    const container = input.container ?? 'InferenceServer';
    return { deployment, container, text: await ml.deploymentLogs(ref, input.endpoint, deployment, container, input.tail ?? 200) };
  }

  /** The endpoint and its deployments as Azure ML CLI v2 YAML files (no secrets in them). */
  async exportYaml(ref: WorkspaceRef, endpoint: string): Promise<YamlFile[]> {
    const { ml } = await this.ready();
    const e = await ml.endpoint(ref, endpoint);
    const deployments = await ml.deployments(ref, endpoint);
    return [...(await modelYamlFiles(ml, ref, deployments.map((d) => d.properties.model))), ...endpointYaml(e, deployments)];
  }

  /** Batch endpoints, MLflow model batch deployments and jobs (batch/azure-batch.ts). */
  batch(): Promise<AzureBatch> {
    this.batchOps ??= this.ready().then(({ http, auth, ml, arm }) => {
      const t = this.deps.tuning;
      return new AzureBatch({ ml, batch: new BatchResources(arm), http, scoringToken: (forceRefresh) => auth.token(this.deps.cloud.scoringScope, { forceRefresh }), registerModel: (ref, i) => this.registerModel(ref, { ...i, onProgress: (p) => p.kind !== 'log' && i.onProgress?.(p) }), pollIntervalMs: t?.pollIntervalMs, minPollIntervalMs: t?.minPollIntervalMs, maxWaitMs: t?.maxWaitMs, uploadRetryDelayMs: t?.uploadRetryDelayMs, hashes: this.uploadHashes });
    });
    return this.batchOps;
  }

  async deleteEndpoint(ref: WorkspaceRef, endpoint: string, onProgress?: (p: AzureProgress) => void, signal?: AbortSignal): Promise<{ deleted: boolean }> {
    const { ml } = await this.ready();
    this.scoringTargets.drop(ScoringTargetCache.key(ref, endpoint));
    const status = await ml.deleteEndpoint(ref, endpoint, (p) => onProgress?.({ kind: 'operation', ...p }), signal);
    return { deleted: status !== 204 };
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof AppError && (err.details as { status?: number } | undefined)?.status === 404;
}

function sanitizeName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return (s || 'model').slice(0, 200);
}
