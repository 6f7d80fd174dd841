/**
 * The "In Azure" step of an offline package (issue 9), from the package file (or a model folder, packaged
 * first into a temporary file):
 *   1. verify the package (hashes, completeness, offline resolution) — nothing goes to Azure unless it PASSes;
 *   2. register `model/` as an `mlflow_model` version (the Azure service's upload + register);
 *   3. register the package's offline build context — `deploy/Dockerfile`, `environment/`, `wheels/` — as an
 *      environment whose image Azure builds from wheels only (`--no-index --require-hashes`);
 *   4. run Azure's model-package operation (preview) on that model with that base environment
 *      (`AzureMLOnline`/`AzureMLBatch`, model mode `Download`: `Copy` is refused on private link), waiting for
 *      the build and reading its log;
 *   5. optionally deploy the packaged environment to a managed online endpoint (no model/code: the package
 *      holds them), with 100 % traffic.
 * Private-link workspaces are the point, so unlike the no-code `deploy` this does not refuse them.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { AzureStep, PackageAzureProgress, PackageAzureResult } from '@shared/packaging/azure-step';
import type { PackageTarget } from '@shared/packaging/package-report';
import type { LroProgress } from '../azure/arm/arm-client';
import type { WorkspaceRef } from '../azure/arm/ml-resources';
import type { AzureProgress, AzureService } from '../azure/azure-service';
import { onlineDeploymentBody } from '../azure/online-deployment';
import { getEnvironmentVersion, parseEnvironmentId, registerBuildEnvironment, runModelPackage, targetEnvironmentId } from '../azure/model-package';
import { blobAccountUrl, uploadModelFolder } from '../azure/storage/model-upload';
import type { PackageService } from './package-service';
import { azureName } from './templates';

export interface PackageInAzureInput {
  /** A package file (.tar.gz/.zip), or an MLflow model folder to package first. */
  source: string;
  ref: WorkspaceRef;
  /** Deploy the packaged environment to this managed online endpoint; null/absent: stop after packaging. */
  endpoint?: string | null;
  deployment?: string;
  instanceType?: string;
  instanceCount?: number;
  ignoreFindings?: boolean;
  /** For a model folder: how to package it (as `preflight package`). */
  build?: { wheels?: string | null; python?: string; platform?: string; deployment?: PackageTarget['deployment'] };
}

export interface PackageInAzureOptions {
  operationId?: string;
  signal?: AbortSignal;
  onProgress?: (p: PackageAzureProgress) => void;
  /** Minimum time between two upload-progress events (ms); step changes always go out. Default 100. */
  progressIntervalMs?: number;
}

export class PackageInAzure {
  private readonly operations = new Map<string, AbortController>();

  constructor(private readonly deps: { packaging: Pick<PackageService, 'build' | 'verify'>; azure: AzureService }) {}

  cancel(operationId: string): boolean {
    const c = this.operations.get(operationId);
    if (!c) return false;
    c.abort();
    return true;
  }

  async run(input: PackageInAzureInput, opts: PackageInAzureOptions = {}): Promise<PackageAzureResult> {
    const operationId = opts.operationId ?? crypto.randomUUID();
    const controller = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
    this.operations.set(operationId, controller);
    const interval = opts.progressIntervalMs ?? 100;
    let last = 0;
    // The step in progress, so an ARM retry (429/5xx with Retry-After: up to a minute of waiting) is shown under it.
    let current: AzureStep = 'verify';
    const emit = (step: AzureStep, message: string, bytes: { done: number; total: number } | null = null): void => {
      current = step;
      const now = Date.now();
      if (bytes && now - last < interval && bytes.done < bytes.total) return;
      last = now;
      opts.onProgress?.({ operationId, step, message, bytesDone: bytes?.done ?? null, bytesTotal: bytes?.total ?? null });
    };
    const lro = (step: AzureStep) => (p: LroProgress): void => emit(step, `${p.what}: ${p.state} (${Math.round(p.elapsedMs / 1000)} s)`);
    let scratch: string | null = null;
    // Only this run's retries: AsyncLocalStorage keeps another operation's (a deploy in the Azure tab) out of this panel.
    const retried = (p: AzureProgress): void => {
      if (p.kind === 'operation') emit(current, `${p.what}: ${p.state}`);
    };
    return this.deps.azure.withRetryNotices(retried, async () => {
      try {
        const source = resolve(input.source);
        const info = await stat(source).catch(() => null);
        if (!info) throw new AppError(ErrorCodes.NOT_FOUND, `${source} does not exist: pass a package file (preflight package … --out) or an MLflow model folder.`);
        let packageFile = source;
        if (info.isDirectory()) {
          scratch = await mkdtemp(join(tmpdir(), 'preflight-azure-package-'));
          packageFile = join(scratch, `${azureName(basename(source))}-offline.tar.gz`);
          emit('verify', `Packaging ${source} offline first`);
          const built = await this.deps.packaging.build({ modelPath: source, out: packageFile, wheels: input.build?.wheels ?? null, python: input.build?.python, platform: input.build?.platform, deployment: input.build?.deployment }, { signal });
          if (built.status === 'cancelled') throw new AppError(ErrorCodes.CANCELLED, 'Cancelled while packaging; nothing was sent to Azure.');
          if (built.status !== 'succeeded') throw new AppError(ErrorCodes.INVALID_INPUT, `The model cannot be packaged offline, so nothing was sent to Azure: ${built.error ?? 'packaging failed'}`, { details: { step: 'verify', proof: built.proof } });
        }

        emit('verify', `Verifying ${packageFile}`);
        let result: PackageAzureResult | null = null;
        const report = await this.deps.packaging.verify(packageFile, {
          signal,
          onPass: async (root, verified) => {
            result = await this.inAzure(root, verified.manifest!.model.name, verified.manifest!.target.deployment, packageFile, input, signal, emit, lro);
          },
        });
        if (report.verdict !== 'PASS') throw new AppError(ErrorCodes.INVALID_INPUT, `The package does not verify, so nothing was sent to Azure: ${report.reasons.join('; ')}`, { details: { step: 'verify', reasons: report.reasons } });
        emit('done', 'Done');
        return result!;
      } catch (err) {
        if (signal.aborted && !(err instanceof AppError && err.code === ErrorCodes.CANCELLED)) throw new AppError(ErrorCodes.CANCELLED, 'Cancelled. Azure carries on with any operation already started (check it in the workspace).', { cause: err });
        throw err;
      } finally {
        this.operations.delete(operationId);
        if (scratch) await rm(scratch, { recursive: true, force: true });
      }
    });
  }

  private async inAzure(
    root: string,
    modelName: string,
    kind: PackageTarget['deployment'],
    packageFile: string,
    input: PackageInAzureInput,
    signal: AbortSignal,
    emit: (step: AzureStep, message: string, bytes?: { done: number; total: number } | null) => void,
    lro: (step: AzureStep) => (p: LroProgress) => void,
  ): Promise<PackageAzureResult> {
    const { azure } = this.deps;
    const { arm, ml, http } = await azure.connection();
    const ref = input.ref;
    const name = azureName(modelName);
    const ws = await ml.workspace(ref);

    emit('register-model', `Registering model ${name} in ${ref.workspace}`);
    const model = await azure.registerModel(ref, {
      modelDir: join(root, 'model'),
      name,
      ignoreFindings: input.ignoreFindings,
      signal,
      onProgress: (p) => (p.kind === 'upload' ? emit('register-model', `Uploading model/${p.file}`, { done: p.uploadedBytes, total: p.totalBytes }) : undefined),
    });
    emit('register-model', `Model ${model.name}:${model.version} ${model.reused ? 'was already registered' : 'registered'}`);

    // The build context: what deploy/Dockerfile COPYs (environment/, wheels/) and the Dockerfile itself — not model/.
    emit('environment', 'Uploading the offline build context (Dockerfile, environment/, wheels/)');
    const context = join(root, '.preflight-build', `${name}-build-context`);
    await mkdir(join(context, 'deploy'), { recursive: true });
    await rename(join(root, 'environment'), join(context, 'environment'));
    if (await stat(join(root, 'wheels')).catch(() => null)) await rename(join(root, 'wheels'), join(context, 'wheels'));
    await rename(join(root, 'deploy', 'Dockerfile'), join(context, 'deploy', 'Dockerfile'));
    const datastore = await ml.defaultDatastore(ref);
    const upload = await uploadModelFolder({ folder: context, datastore, secrets: await ml.datastoreSecrets(ref, datastore.name), signal, onProgress: (p) => emit('environment', `Uploading ${p.file}`, { done: p.uploadedBytes, total: p.totalBytes }) });
    const contextUri = `${blobAccountUrl(datastore)}/${datastore.containerName}/${upload.path}/`;
    const base = await registerBuildEnvironment(arm, ref, { name: `${name}-offline-env`, contextUri, dockerfilePath: 'deploy/Dockerfile', description: `Offline environment of ${modelName}: built from the package's wheels only (preflight).` });
    emit('environment', `Environment ${base.resource.id.split('/environments/')[1]?.replace('/versions/', ':') ?? base.resource.name} ${base.reused ? 'was already registered' : 'registered'}`);

    emit('package', `Running Azure's model package operation (${kind === 'batch' ? 'AzureMLBatch' : 'AzureMLOnline'}, model mode Download)`);
    const { response, buildLog } = await runModelPackage(
      arm,
      http,
      ref,
      model,
      {
        targetEnvironmentId: targetEnvironmentId(ws, `${name}-packaged-env`),
        baseEnvironmentSource: { baseEnvironmentSourceType: 'EnvironmentAsset', resourceId: `azureml:${base.resource.id}` },
        inferencingServer: { serverType: kind === 'batch' ? 'AzureMLBatch' : 'AzureMLOnline' },
        modelConfiguration: { mode: 'Download' },
        tags: { createdBy: 'preflight' },
      },
      { onProgress: lro('package'), signal },
    );
    const produced = parseEnvironmentId(response.targetEnvironmentId ?? '');
    if (!produced) throw new AppError('E_AZURE', `Azure's model package operation succeeded but named no environment version (targetEnvironmentId ${JSON.stringify(response.targetEnvironmentId ?? null)}).`);
    const env = await getEnvironmentVersion(arm, ref, produced.name, produced.version);
    emit('package', `Azure built environment ${produced.name}:${produced.version} (build ${response.buildId ?? 'unknown'})`);

    let deployment: PackageAzureResult['deployment'] = null;
    if (input.endpoint && kind === 'online') {
      const depName = input.deployment ?? 'blue';
      emit('deploy', `Deploying ${produced.name}:${produced.version} to ${input.endpoint}/${depName}`);
      const endpoint = await azure.ensureEndpoint(ref, input.endpoint, 'Key', ws.location, lro('deploy'), signal);
      const d = await ml.putDeployment(
        ref,
        input.endpoint,
        depName,
        // The packaged environment carries the model and its server: no model, no code (azure.md §3.9); nothing is
        // installed at start-up any more, so a short liveness delay suffices.
        onlineDeploymentBody({ location: endpoint.location ?? ws.location, runs: { environmentId: env.id }, instanceType: input.instanceType, instanceCount: input.instanceCount, livenessDelaySeconds: 60 }),
        lro('deploy'),
        signal,
      );
      const final = await azure.setTraffic(ref, input.endpoint, { [depName]: 100 }, lro('deploy'), signal);
      deployment = { endpoint: final.name, deployment: d.name, scoringUri: final.properties.scoringUri ?? '', state: d.properties.provisioningState ?? 'Succeeded' };
    } else if (input.endpoint) {
      emit('deploy', 'Batch packages are not deployed here: create the batch deployment with the packaged environment (deploy/deployment.yml).');
    }

    return {
      package: packageFile,
      workspace: ref.workspace,
      model: { name: model.name, version: model.version, id: model.id },
      baseEnvironment: { name: `${name}-offline-env`, version: base.resource.name, id: base.resource.id },
      environment: { name: produced.name, version: produced.version, id: env.id, image: env.properties.image ?? null },
      buildId: response.buildId ?? null,
      buildState: response.buildState ?? 'Succeeded',
      buildLog,
      deployment,
    };
  }
}
