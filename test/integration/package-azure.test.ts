/**
 * The "In Azure" step of an offline package (issue 9) against the emulator, with the real msal-node and real
 * Azurite: a verified package → model registered → its offline build context registered as an environment →
 * Azure's model-package operation (preview api-version; request and answer checked against Microsoft's
 * preview spec) → the packaged environment deployed to an endpoint in the private-link workspace → scored.
 * Then what must stop it: a package that does not verify sends nothing; a build that needs the network fails
 * with Azure's message, its build log fetched, and the log URL's SAS token kept out of the message.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageAzureProgress } from '../../src/shared/packaging/azure-step';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { methodChannel } from '../../src/shared/ipc/channels';
import { packageHandlers } from '../../src/main/ipc/handlers/package';
import { scriptedDialogs } from '../../src/main/host/headless-ports';
import type { AzureService } from '../../src/main/services/azure/azure-service';
import { getEnvironmentVersion, registerBuildEnvironment, runModelPackage, targetEnvironmentId } from '../../src/main/services/azure/model-package';
import { blobAccountUrl, uploadModelFolder } from '../../src/main/services/azure/storage/model-upload';
import { PackageInAzure } from '../../src/main/services/packaging/azure-step';
import { PackageService } from '../../src/main/services/packaging/package-service';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { sampleModelDir } from '../support/paths';
import { buildWheel, SAMPLE_WHEELS, wheelFileName } from '../support/wheels';
import { writeTamperedCopy } from '../support/package-archives';

let h: EmulatorHarness;
let azure: AzureService;
let work: string;
let wheels: string;
let packageFile: string;
const packaging = new PackageService({ toolVersion: '0.1.0-test', progressIntervalMs: 0 });

beforeAll(async () => {
  h = await startEmulatorHarness();
  azure = (await h.compose()).services.azure;
  await azure.login({ method: 'service-principal', tenant: h.emulator.tenant, clientId: h.emulator.clientId, clientSecret: h.emulator.clientSecret });
  // The point of packaging: the workspace without public network access.
  await azure.setDefaults({ subscription: h.emulator.subscription, resourceGroup: h.emulator.resourceGroup, workspace: h.emulator.privateWorkspace });
  work = await mkdtemp(join(tmpdir(), 'preflight-package-azure-'));
  wheels = join(work, 'wheels');
  for (const s of SAMPLE_WHEELS) await buildWheel(wheels, s);
  packageFile = join(work, 'sample.tar.gz');
  const built = await packaging.build({ modelPath: sampleModelDir, out: packageFile, wheels });
  expect(built.status).toBe('succeeded');
}, 120_000);

afterAll(async () => {
  await h?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Azure's model package of the registered sample model on a given base environment; the error, or null when it succeeded. */
async function packageSampleOn(baseEnvironmentId: string, target: string): Promise<(Error & { details?: { buildLog?: string; step?: string } }) | null> {
  const { arm, http, ml } = await azure.connection();
  const ref = azure.workspaceRef();
  return runModelPackage(arm, http, ref, { name: 'sample-model', version: '1' }, {
    targetEnvironmentId: targetEnvironmentId(await ml.workspace(ref), target),
    baseEnvironmentSource: { baseEnvironmentSourceType: 'EnvironmentAsset', resourceId: `azureml:${baseEnvironmentId}` },
    inferencingServer: { serverType: 'AzureMLOnline' },
    modelConfiguration: { mode: 'Download' },
  }).then(
    () => null,
    (e: unknown) => e as Error & { details?: { buildLog?: string; step?: string } },
  );
}

describe('In Azure: package → register → model package → deploy (emulator)', () => {
  it('registers, packages with the preview operation, deploys the packaged environment into the private-link workspace, and it scores', async () => {
    const step = new PackageInAzure({ packaging, azure });
    const progress: PackageAzureProgress[] = [];
    const callsBefore = h.emulator.calls.length;
    const r = await step.run({ source: packageFile, ref: azure.workspaceRef(), endpoint: 'pkg-ep', deployment: 'green' }, { operationId: 'op-1', onProgress: (p) => progress.push(p), progressIntervalMs: 0 });

    expect(r.workspace).toBe(h.emulator.privateWorkspace);
    expect(r.model).toMatchObject({ name: 'sample-model', version: '1' });
    expect(r.baseEnvironment).toMatchObject({ name: 'sample-model-offline-env', version: '1' });
    expect(r.environment).toMatchObject({ name: 'sample-model-packaged-env', version: '1' });
    expect(r.environment.image).toMatch(/azurecr\.io\/azureml\/azureml_/);
    expect(r.buildState).toBe('Succeeded');
    // The build log is Azure's (the emulator's replay of pip offline): every pinned wheel came from the build context.
    expect(r.buildLog).toMatch(/--no-index/);
    for (const w of ['mlflow-2.16.2', 'numpy-1.26.4', 'flask-3.0.3', 'azureml_inference_server_http-1.4.0']) expect(r.buildLog).toContain(w.includes('_') ? w : w);
    expect(r.buildLog).toMatch(/Processing \.\/wheels\/numpy-1\.26\.4-cp312-cp312-manylinux_2_17_x86_64/);
    expect(r.deployment).toMatchObject({ endpoint: 'pkg-ep', deployment: 'green', state: 'Succeeded' });

    // The order of the wire calls, and that the package call went through the preview spec's operation.
    const calls = h.emulator.calls.slice(callsBefore).filter((c) => !c.startsWith('operation'));
    const at = (op: string): number => calls.indexOf(op);
    expect(at('ModelVersions_CreateOrUpdate')).toBeGreaterThanOrEqual(0);
    expect(at('EnvironmentVersions_CreateOrUpdate')).toBeGreaterThan(at('ModelVersions_CreateOrUpdate'));
    expect(at('ModelVersions_Package')).toBeGreaterThan(at('EnvironmentVersions_CreateOrUpdate'));
    expect(at('OnlineDeployments_CreateOrUpdate')).toBeGreaterThan(at('ModelVersions_Package'));
    expect(h.emulator.violations).toEqual([]);

    // The base environment is the package's offline build context on the datastore; the deployment names only the packaged environment.
    const { arm } = await azure.connection();
    const base = await getEnvironmentVersion(arm, azure.workspaceRef(), 'sample-model-offline-env', '1');
    expect(base.properties.build).toMatchObject({ dockerfilePath: 'deploy/Dockerfile', contextUri: expect.stringMatching(/\/LocalUpload\/[0-9a-f]{32}\/sample-model-build-context\/$/) });
    const dep = h.emulator.workspaceState(h.emulator.privateWorkspace).endpoints.get('pkg-ep')!.deployments.get('green')!;
    expect(dep.properties.model).toBeUndefined();
    expect(dep.properties.environmentId).toBe(r.environment.id);

    // Steps were reported in order, with upload bytes for the uploads.
    const steps = [...new Set(progress.map((p) => p.step))];
    expect(steps).toEqual(['verify', 'register-model', 'environment', 'package', 'deploy', 'done']);
    expect(progress.some((p) => p.step === 'environment' && p.bytesTotal !== null && p.bytesTotal > 0)).toBe(true);
    expect(progress.some((p) => p.step === 'package' && /Packaging model sample-model:1: (InProgress|Succeeded)/.test(p.message))).toBe(true);

    // The deployed packaged environment answers like the model.
    const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as unknown;
    const answer = await azure.invoke(azure.workspaceRef(), { endpoint: 'pkg-ep', body: JSON.stringify({ input_data: example }) });
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body)).toBe(true);
  }, 120_000);

  it('running it again reuses the registered model and environment and packages a new environment version', async () => {
    const r = await new PackageInAzure({ packaging, azure }).run({ source: packageFile, ref: azure.workspaceRef() });
    expect(r.model.version).toBe('1');
    expect(r.baseEnvironment.version).toBe('1');
    expect(r.environment.version).toBe('2');
    expect(r.deployment).toBeNull();
  }, 60_000);

  it('a throttled ARM call shows in the In Azure progress under its step, and another operation at once hears only its own', async () => {
    h.emulator.faults.add({ kind: 'status', status: 429, retryAfter: 1, operationId: 'ModelVersions_Package' });
    h.emulator.faults.add({ kind: 'status', status: 503, code: 'ServiceUnavailable', retryAfter: 1, operationId: 'OnlineEndpoints_List' });
    const progress: PackageAzureProgress[] = [];
    const other: string[] = [];
    const [r] = await Promise.all([
      new PackageInAzure({ packaging, azure }).run({ source: packageFile, ref: azure.workspaceRef() }, { operationId: 'op-429', onProgress: (p) => progress.push(p), progressIntervalMs: 0 }),
      azure.withRetryNotices((p) => void (p.kind === 'operation' && other.push(`${p.what}: ${p.state}`)), () => azure.endpoints(azure.workspaceRef())),
    ]);
    expect(r.buildState).toBe('Succeeded');
    const retries = progress.filter((p) => /retry \d+ of \d+/.test(p.message));
    expect(retries).toEqual([expect.objectContaining({ operationId: 'op-429', step: 'package', message: expect.stringMatching(/: 429 TooManyRequests; retry 1 of \d+ in 1 s$/) })]);
    expect(other).toEqual([expect.stringMatching(/: 503 ServiceUnavailable; retry 1 of \d+ in 1 s$/)]);
  }, 60_000);

  it('cancel while Azure builds stops waiting and says Azure goes on', async () => {
    h.emulator.faults.add({ kind: 'stuck', operationId: 'ModelVersions_Package' });
    const step = new PackageInAzure({ packaging, azure });
    const err = await step
      .run({ source: packageFile, ref: azure.workspaceRef() }, { operationId: 'cancel-me', progressIntervalMs: 0, onProgress: (p) => void (p.step === 'package' && /InProgress/.test(p.message) && step.cancel('cancel-me')) })
      .then(() => null, (e: unknown) => e as Error & { code?: string });
    expect(err?.code).toBe('E_CANCELLED');
    expect(err?.message).toMatch(/Azure carries on/);
    expect(step.cancel('cancel-me')).toBe(false);
  }, 60_000);

  it('sends nothing to Azure when the package does not verify', async () => {
    const tampered = join(work, 'tampered.tar.gz');
    await writeTamperedCopy(packageFile, tampered, (name, data) => (name === 'environment/requirements.txt' ? Buffer.concat([data, Buffer.from('requests==2.32.3\n')]) : data));
    const before = h.emulator.calls.length;
    const err = await new PackageInAzure({ packaging, azure }).run({ source: tampered, ref: azure.workspaceRef(), endpoint: 'never' }).then(() => null, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/does not verify, so nothing was sent to Azure: .*environment\/requirements\.txt/);
    expect(h.emulator.calls.length).toBe(before);
  }, 60_000);

  it('a build that needs the internet fails in a private-link workspace with Azure\'s message and its log, without the SAS token', async () => {
    const { arm } = await azure.connection();
    const ref = azure.workspaceRef();
    // An environment like a no-code deployment's: the inference image plus a conda file that pip-installs from PyPI.
    const online = await arm.call<{ id: string }>('PUT', `/subscriptions/${ref.subscription}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ref.workspace}/environments/needs-pypi/versions/1`, 'Registering environment needs-pypi', {
      body: { properties: { image: 'mcr.microsoft.com/azureml/curated/mlflow-py312-inference:latest', condaFile: 'dependencies:\n  - python=3.12\n  - pip:\n    - mlflow==2.16.2\n' } },
    });
    const err = await packageSampleOn(online.body.id, 'needs-pypi-packaged');
    if (!err) throw new Error('the package operation should have failed');
    expect(err.message).toMatch(/Packaging model sample-model:1 failed \(400 BuildFailure\): Image build failed: conda env create: pip could not reach https:\/\/pypi\.org/);
    expect(err.message).toContain('?<SAS token removed>');
    expect(err.message).not.toMatch(/sig=/);
    expect(err.details?.step).toBe('package');
    expect(err.details?.buildLog).toMatch(/ERROR conda env create: pip could not reach/);
    expect(h.emulator.violations).toEqual([]);
  }, 60_000);

  it('a build context whose wheels do not match the pinned hashes fails the image build (pip --require-hashes, offline)', async () => {
    const { arm, ml } = await azure.connection();
    const ref = azure.workspaceRef();
    // A hand-made context: the package's Dockerfile and requirements, but one wheel changed since (other bytes, same name).
    const ctxDir = join(work, 'bad-context', 'bad-build-context');
    await mkdir(join(ctxDir, 'deploy'), { recursive: true });
    const { execFileSync } = await import('node:child_process');
    execFileSync('tar', ['-xzf', packageFile, '-C', ctxDir, 'environment', 'wheels', 'deploy/Dockerfile']);
    await appendFile(join(ctxDir, 'wheels', wheelFileName({ name: 'flask', version: '3.0.3' })), 'changed');
    const datastore = await ml.defaultDatastore(ref);
    const up = await uploadModelFolder({ folder: ctxDir, datastore, secrets: await ml.datastoreSecrets(ref, datastore.name) });
    const env = await registerBuildEnvironment(arm, ref, { name: 'bad-context-env', contextUri: `${blobAccountUrl(datastore)}/${datastore.containerName}/${up.path}/`, dockerfilePath: 'deploy/Dockerfile', description: 'test' });
    const err = await packageSampleOn(env.resource.id, 'bad-context-packaged');
    expect(err?.message).toMatch(/Could not find a version that satisfies the requirement flask==3\.0\.3 \(from versions: none\)\. No wheel in the build context matches its hash/);
    expect(err?.details?.buildLog).toMatch(/Step \d+\/\d+ : RUN python -m venv/);
  }, 60_000);

  it('the package operation exists only in the preview api-version', async () => {
    const { arm } = await azure.connection();
    const ref = azure.workspaceRef();
    const err = await arm
      .call('POST', `/subscriptions/${ref.subscription}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ref.workspace}/models/sample-model/versions/1/package`, 'Packaging on the stable api-version', {
        body: { targetEnvironmentId: 'azureml://locations/westeurope/workspaces/x/environments/y', inferencingServer: { serverType: 'AzureMLOnline' } },
      })
      .then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/404 NoRegisteredProviderFound.*preview-only/);
  });
});

describe('package.azureRun and package.pickFile over the contract (strict outputs)', () => {
  it('runs the step through dispatch, streaming package.azure-progress for its operation id', async () => {
    const c = await h.compose();
    const pushed: { name: string; payload: { operationId?: string; step?: string } }[] = [];
    c.events.subscribe((name, payload) => pushed.push({ name, payload: payload as { operationId?: string; step?: string } }));
    const r = await c.dispatch(methodChannel('package', 'azureRun'), { source: packageFile, endpoint: null, operationId: 'ipc-op' }, { senderId: 'w1', signal: new AbortController().signal });
    expect(r).toMatchObject({ ok: true, value: { workspace: h.emulator.privateWorkspace, model: { name: 'sample-model' }, deployment: null } });
    const progress = pushed.filter((p) => p.name === 'package.azure-progress');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((p) => p.payload.operationId === 'ipc-op')).toBe(true);
    expect(progress.at(-1)?.payload.step).toBe('done');
    expect(JSON.stringify(r)).not.toMatch(/sig=/);
  }, 60_000);

  it('pickFile: E_ENVIRONMENT without a file dialog; the scripted dialog answers with its path', async () => {
    const none = await h.compose();
    const r = await none.dispatch(methodChannel('package', 'pickFile'), {}, { senderId: 'w1', signal: new AbortController().signal });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_ENVIRONMENT' } });
    const scripted = packageHandlers({ packaging, events: { emit: () => undefined }, inAzure: new PackageInAzure({ packaging, azure }), azure, dialogs: scriptedDialogs([packageFile]) });
    expect(await scripted.pickFile({}, { senderId: 'w1', signal: new AbortController().signal, log: silentLogger } as never)).toEqual({ path: packageFile });
  });
});

describe('preflight azure package (CLI against the emulator)', () => {
  async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const env = { ...process.env, PREFLIGHT_USER_DATA: join(h.tmp, 'cli-user-data'), PREFLIGHT_AZURE_CLOUD: h.emulator.cloudFile, PREFLIGHT_AZURE_CACHE: join(h.tmp, 'cli-cache.json'), PREFLIGHT_AZURE_FAST_RETRY: '1' };
    const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: work, signal: new AbortController().signal, log: silentLogger };
    return { code: await runCli(argv, io), stdout, stderr };
  }
  const wsArgs = (): string[] => ['--subscription', h.emulator.subscription, '--resource-group', h.emulator.resourceGroup, '--workspace', h.emulator.privateWorkspace];

  it('packages a model folder offline, then registers, packages in Azure and deploys; --json has the documented shape', async () => {
    expect((await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--client-secret', h.emulator.clientSecret)).code).toBe(0);
    const r = await cli('azure', 'package', sampleModelDir, '--wheels', 'wheels', '--endpoint', 'cli-pkg-ep', ...wsArgs(), '--json');
    expect(r.stderr).toMatch(/\[package\] Packaging model sample-model:1: /);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['package', 'workspace', 'model', 'baseEnvironment', 'environment', 'buildId', 'buildState', 'buildLog', 'deployment']);
    expect(out).toMatchObject({ workspace: h.emulator.privateWorkspace, buildState: 'Succeeded', deployment: { endpoint: 'cli-pkg-ep', deployment: 'blue', state: 'Succeeded' } });
    // Same model content: the registered version is reused (the build context differs: its files name the tool version).
    expect(out).toMatchObject({ model: { version: '1' } });
    expect(JSON.stringify(out)).not.toMatch(/sig=|sv=/);
  }, 120_000);

  it('exits 1 and sends nothing for a model that cannot be packaged offline; 2 for usage errors', async () => {
    const empty = join(work, 'no-wheels');
    await mkdir(empty, { recursive: true });
    const before = h.emulator.calls.filter((c) => c.startsWith('ModelVersions_') || c.startsWith('Environment')).length;
    const r = await cli('azure', 'package', sampleModelDir, '--wheels', empty, ...wsArgs());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot be packaged offline, so nothing was sent to Azure/);
    expect(h.emulator.calls.filter((c) => c.startsWith('ModelVersions_') || c.startsWith('Environment')).length).toBe(before);
    expect((await cli('azure', 'package', packageFile, '--deployment', 'x', ...wsArgs())).code).toBe(2);
    const help = await cli('azure', '--help');
    expect(help.stdout).toContain('package <package-file|model-dir>');
  }, 60_000);
});
