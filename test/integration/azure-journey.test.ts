/**
 * The Azure ML journey against the emulator with the real @azure/msal-node and real Azurite: device-code
 * sign-in → workspaces → register the sample model (blobs land in Azurite) → endpoint + deployment with
 * progress → traffic → invoke with a key and with an Entra token → logs → delete. Then the faults, each
 * ending with a clear message and a state the next run does not trip over. Every ARM request and answer is
 * checked against Microsoft's OpenAPI files; the emulator records any violation and the test asserts none.
 */
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureProgress, AzureService } from '../../src/main/services/azure/azure-service';
import { BatchService } from '../../src/main/services/batch/batch-service';
import { methodChannel } from '../../src/shared/ipc/channels';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../support/azure-emulator/azurite';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { sampleModelDir } from '../support/paths';

let h: EmulatorHarness;
let azure: AzureService;
let body: string;

beforeAll(async () => {
  h = await startEmulatorHarness();
  azure = (await h.compose()).services.azure;
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as unknown;
  body = JSON.stringify({ input_data: example });
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

const ws = () => azure.workspaceRef();

/** A folder of `files` small CSV files made from the sample model's input example (2 rows each). */
async function batchInputFolder(name: string, files: number): Promise<string> {
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  const dir = join(h.tmp, name);
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < files; i++) await writeFile(join(dir, `part-${i}.csv`), `${example.columns.join(',')}\n${example.data.map((r) => r.map((v) => v * (i + 1)).join(',')).join('\n')}\n`);
  return dir;
}

async function batchLocally(input: string): Promise<string> {
  const service = new BatchService({ onnxWorkerPath: h.worker, progressIntervalMs: 0 });
  try {
    const s = await service.run({ modelPath: sampleModelDir, input, outDir: join(h.tmp, `local-${Date.now()}`) });
    return await readFile(s.predictionsPath!, 'utf8');
  } finally {
    await service.dispose();
  }
}

async function blobNames(prefix: string): Promise<string[]> {
  const svc = new BlobServiceClient(h.emulator.azurite.url, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  const container = svc.getContainerClient(`azureml-blobstore-${h.emulator.workspaceState().workspaceId}`);
  const names: string[] = [];
  for await (const b of container.listBlobsFlat({ prefix })) names.push(b.name);
  return names;
}

describe('Azure ML journey (emulator, real msal-node, Azurite)', () => {
  it('signs in with a device code the user enters on the verification page', async () => {
    let shown = '';
    const state = await azure.login({
      method: 'device-code',
      tenant: h.emulator.tenant,
      onCode: (p) => {
        shown = p.message;
        // The user opens the page and types the code (what a browser does: a form POST).
        void h.http({ method: 'POST', url: p.verificationUri, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `user_code=${encodeURIComponent(p.userCode)}` });
      },
    });
    expect(shown).toMatch(/enter the code [A-F0-9]{6}-[A-F0-9]{4}/);
    expect(state).toMatchObject({ signedIn: true, method: 'device-code', account: 'emulator-user@contoso.test' });
    // The cache file holds the sign-in, readable only by its owner.
    expect((await stat(join(h.tmp, 'azure-cache.json'))).mode & 0o777).toBe(0o600);
  });

  it('lists workspaces, flags the private-link one, and saves the default', async () => {
    const list = await azure.workspaces();
    expect(list.map((w) => [w.name, w.privateLink])).toEqual([
      [h.emulator.workspace, false],
      [h.emulator.privateWorkspace, true],
    ]);
    await azure.setDefaults({ subscription: h.emulator.subscription, resourceGroup: h.emulator.resourceGroup, workspace: h.emulator.workspace });
    // A new process (fresh composition, same cache file) is still signed in through msal's persisted cache.
    const again = (await h.compose()).services.azure;
    expect(await again.models(again.workspaceRef())).toEqual([]);
  });

  it('deploys the sample model: upload into Azurite, endpoint, deployment, 100 % traffic, with progress', async () => {
    const progress: AzureProgress[] = [];
    const r = await azure.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'journey-ep', deployment: 'blue', onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ endpoint: 'journey-ep', deployment: 'blue', model: { name: 'sample-model', version: '1' }, state: 'Succeeded' });
    expect(r.scoringUri).toBe(`${h.emulator.url}/endpoints/journey-ep/score`);
    const uploaded = await blobNames('LocalUpload/');
    expect(uploaded).toEqual(expect.arrayContaining([expect.stringMatching(/^LocalUpload\/[0-9a-f]{32}\/sample-model\/MLmodel$/), expect.stringMatching(/\/sample-model\/model\.onnx$/)]));
    expect(progress.some((p) => p.kind === 'upload')).toBe(true);
    expect(progress.filter((p) => p.kind === 'operation').map((p) => p.state)).toEqual(expect.arrayContaining(['Creating', 'InProgress', 'Succeeded']));
    // The containers' logs were tailed while Azure created the deployment, each line once.
    const logs = progress.flatMap((p) => (p.kind === 'log' ? p.lines.map((l) => `${p.container}: ${l}`) : []));
    expect(logs).toEqual(expect.arrayContaining([expect.stringMatching(/^StorageInitializer: .*Downloaded 7 files\.$/), expect.stringMatching(/^InferenceServer: .*Server is ready to receive requests\.$/)]));
    expect(new Set(logs).size).toBe(logs.length);
    const firstLog = progress.findIndex((p) => p.kind === 'log');
    // …and the traffic step (after the deployment) still reports its own phase.
    expect(progress.slice(firstLog).some((p) => p.kind === 'operation' && p.what.startsWith('Setting traffic of journey-ep'))).toBe(true);
    const [ep] = await azure.endpoints(ws());
    expect(ep).toMatchObject({ name: 'journey-ep', authMode: 'Key', state: 'Succeeded', traffic: { blue: 100 }, deployments: [{ name: 'blue', state: 'Succeeded' }] });
  });

  it('invokes with the endpoint key and answers exactly as the local runner does', async () => {
    const cloud = await azure.invoke(ws(), { endpoint: 'journey-ep', body });
    const local = await h.runner.predict({ modelPath: sampleModelDir, body, contentType: 'application/json', server: 'azureml' });
    expect(cloud.status).toBe(200);
    expect(cloud.body_text).toBe(local.body_text);
    expect(cloud.headers['azureml-model-deployment']).toBe('blue');
    expect(cloud.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers the same over IPC (azure.*), outputs match the contract and carry no secret', async () => {
    const c = await h.compose();
    const ctx = { senderId: 'test', signal: new AbortController().signal };
    const call = async (method: string, input: unknown) => {
      const r = await c.dispatch(methodChannel('azure', method as never), input, ctx);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value;
    };
    expect(await call('status', {})).toMatchObject({ signedIn: true, method: 'device-code', defaults: { workspace: h.emulator.workspace } });
    expect(await call('endpoints', {})).toMatchObject([{ name: 'journey-ep', traffic: { blue: 100 } }]);
    const answer = (await call('invoke', { endpoint: 'journey-ep', body })) as { status: number };
    expect(answer.status).toBe(200);
    const files = (await call('exportYaml', { endpoint: 'journey-ep' })) as { name: string }[];
    expect(files.map((f) => f.name)).toEqual(['model-sample-model-1.yml', 'endpoint.yml', 'deployment-blue.yml', 'traffic.txt']);
    const keys = h.emulator.workspaceState().endpoints.get('journey-ep')!.keys;
    const everything = JSON.stringify([await call('status', {}), await call('workspaces', {}), await call('endpoints', {}), answer, files]);
    for (const secret of [keys.primaryKey, keys.secondaryKey, AZURITE_KEY, ...h.emulator.entra.tokens.keys()]) expect(everything).not.toContain(secret);
    const bad = await c.dispatch(methodChannel('azure', 'deploy'), { endpoint: 'x' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT' } });
  });

  it('registering the same folder again uploads nothing and reuses the version', async () => {
    const before = h.emulator.azurite.uploadedBytes();
    const r = await azure.registerModel(ws(), { modelDir: sampleModelDir });
    expect(r).toMatchObject({ name: 'sample-model', version: '1', uploadedBytes: 0, reused: true });
    expect(h.emulator.azurite.uploadedBytes()).toBe(before);
  });

  it('switches the endpoint to Entra auth and invokes with an Entra token for ml.azure.com', async () => {
    const r = await azure.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'journey-ep', deployment: 'blue', authMode: 'AADToken' });
    expect(r.state).toBe('Succeeded');
    const answer = await azure.invoke(ws(), { endpoint: 'journey-ep', body, deployment: 'blue' });
    expect(answer.status).toBe(200);
    const tokensForScoring = [...h.emulator.entra.tokens.values()].filter((t) => t.audience === 'https://ml.azure.com');
    expect(tokensForScoring.length).toBeGreaterThan(0);
    // The Entra token expires between two calls (msal still has it cached): renewed once, the call succeeds.
    h.emulator.entra.expireAll();
    expect((await azure.invoke(ws(), { endpoint: 'journey-ep', body, deployment: 'blue' })).status).toBe(200);
  });

  it('reads the inference-server and storage-initializer logs', async () => {
    const server = await azure.logs(ws(), { endpoint: 'journey-ep' });
    expect(server.deployment).toBe('blue');
    expect(server.text).toMatch(/POST \/score 200/);
    const init = await azure.logs(ws(), { endpoint: 'journey-ep', container: 'StorageInitializer' });
    expect(init.text).toMatch(/Downloaded 7 files/);
  });

  it('runs a batch job on a small folder: batch endpoint + MLflow deployment, upload, job followed to its end, predictions.csv downloaded', async () => {
    const b = await azure.batch();
    const progress: AzureProgress[] = [];
    const dep = await b.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'journey-batch', onProgress: (p) => progress.push(p) });
    expect(dep).toMatchObject({ endpoint: 'journey-batch', deployment: 'default', model: { name: 'sample-model', version: '1' }, compute: 'cpu-cluster', state: 'Succeeded' });
    expect(progress.filter((p) => p.kind === 'operation').map((p) => (p as { what: string }).what)).toEqual(expect.arrayContaining(['Creating compute cluster cpu-cluster', 'Creating or updating batch endpoint journey-batch', 'Creating or updating batch deployment default']));
    expect(await b.endpoints(ws())).toMatchObject([{ name: 'journey-batch', state: 'Succeeded', defaultDeployment: 'default', deployments: [{ name: 'default', state: 'Succeeded' }] }]);

    const input = await batchInputFolder('batch-input', 3);
    const out = join(h.tmp, 'batch-out');
    const seen: string[] = [];
    const job = await b.invoke(ws(), { endpoint: 'journey-batch', input, outDir: out, onProgress: (p) => p.kind === 'operation' && seen.push(p.state) });
    expect(job).toMatchObject({ status: 'Completed', endpoint: 'journey-batch', deployment: 'default', predictionsPath: join(out, 'predictions.csv') });
    expect(job.job).toMatch(/^batchjob-/);
    expect(job.inputUri).toMatch(/^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/batch-input\/$/);
    expect(seen).toEqual(expect.arrayContaining(['Preparing', 'Running', 'Completed']));
    // The predictions are what Preflight's local batch gives on the same folder (the emulator's job runs it).
    const local = await batchLocally(input);
    const cloud = await readFile(job.predictionsPath!, 'utf8');
    expect(cloud).toBe(local);
    expect(cloud.trim().split('\n')).toHaveLength(1 + 3 * 2);
    // Registered as-is: the same folder again uploads nothing.
    const again = await b.invoke(ws(), { endpoint: 'journey-batch', input, outDir: out, overwrite: true });
    expect(again.uploadedBytes).toBe(0);
    expect(again.job).not.toBe(job.job);
  });

  it('deletes the endpoint and waits until it is gone', async () => {
    expect(await azure.deleteEndpoint(ws(), 'journey-ep')).toEqual({ deleted: true });
    expect(await azure.endpoints(ws())).toEqual([]);
    await expect(azure.invoke(ws(), { endpoint: 'journey-ep', body })).rejects.toThrow(/404 .*does not exist.*check the subscription/);
  });

  it('kept every secret out of the settings file', async () => {
    const settings = await readFile(join(h.tmp, 'user-data', 'preflight-store.json'), 'utf8');
    for (const token of h.emulator.entra.tokens.keys()) expect(settings).not.toContain(token);
    expect(settings).not.toContain(AZURITE_KEY);
    expect(settings).toContain(h.emulator.workspace);
  });
});

describe('Azure ML faults (each ends with a clear message and a consistent state)', () => {
  it('429 with Retry-After is waited out and retried', async () => {
    const before = h.emulator.calls.filter((c) => c === 'Workspaces_ListBySubscription').length;
    h.emulator.faults.add({ kind: 'status', status: 429, retryAfter: 1, operationId: 'Workspaces_ListBySubscription' });
    const started = Date.now();
    expect((await azure.workspaces()).length).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(h.emulator.calls.filter((c) => c === 'Workspaces_ListBySubscription').length).toBe(before + 2);
  });

  it('a 503 that outlasts the retries names the code and says what to do', async () => {
    h.emulator.faults.add({ kind: 'status', status: 503, code: 'ServiceUnavailable', message: 'The service is busy.', operationId: 'OnlineEndpoints_List' }, 10);
    await expect(azure.endpoints(ws())).rejects.toThrow(/Listing online endpoints failed \(503 ServiceUnavailable\): The service is busy\. Azure Machine Learning's service for this workspace is unavailable right now .*already retried.*try again in a few minutes/);
    h.emulator.faults.clear();
  });

  it('a quota error says so', async () => {
    h.emulator.faults.add({ kind: 'status', status: 400, code: 'QuotaExceeded', message: 'Not enough quota for Standard_DS3_v2.', operationId: 'OnlineDeployments_CreateOrUpdate' });
    await expect(azure.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'quota-ep' })).rejects.toThrow(/QuotaExceeded.*no quota left.*request more quota/);
  });

  it('a deployment whose operation ends Failed reports Azure\'s code; the next deploy succeeds', async () => {
    h.emulator.faults.add({ kind: 'lroFailed', operationId: 'OnlineDeployments_CreateOrUpdate', code: 'ResourceNotReady', message: 'The container crashed while starting.' });
    const lines: string[] = [];
    const failed = azure.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'fail-ep', onProgress: (p) => p.kind === 'log' && lines.push(...p.lines) });
    await expect(failed).rejects.toThrow(/Creating or updating deployment blue ended Failed \(ResourceNotReady\): The container crashed/);
    // What is left in Azure and the ways on: the half-done deployment is not left behind unnoticed.
    await expect(failed).rejects.toThrow(/Endpoint fail-ep stays in Azure with deployment blue Failed; its traffic was not changed\. Read its container logs \(`preflight azure logs --endpoint fail-ep --deployment blue --container storage-initializer`.*deploy again \(it updates blue\), or delete the endpoint \(`preflight azure delete --endpoint fail-ep`/);
    // The last log read after the failure shows the container's own error line.
    expect(lines.at(-1)).toMatch(/ERROR ResourceNotReady: The container crashed while starting\.$/);
    const [ep] = await azure.endpoints(ws()).then((l) => l.filter((e) => e.name === 'fail-ep'));
    expect(ep!.deployments[0]!.state).toBe('Failed');
    const again = await azure.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'fail-ep' });
    expect(again.state).toBe('Succeeded');
    expect((await azure.invoke(ws(), { endpoint: 'fail-ep', body })).status).toBe(200);
  });

  it('a deployment stuck in Creating can be stopped waiting for; Azure carries on and says so', async () => {
    h.emulator.faults.add({ kind: 'stuck', operationId: 'OnlineDeployments_CreateOrUpdate' });
    const stop = new AbortController();
    let polls = 0;
    const attempt = azure.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'fail-ep', deployment: 'green', signal: stop.signal, onProgress: (p) => p.kind === 'operation' && p.what.includes('green') && ++polls === 5 && stop.abort() });
    await expect(attempt).rejects.toThrow(/Stopped waiting for: Creating or updating deployment green\. Azure carries on/);
    const ep = (await azure.endpoints(ws())).find((e) => e.name === 'fail-ep')!;
    expect(ep.deployments.find((d) => d.name === 'green')?.state).toBe('Creating');
    expect(ep.traffic).toEqual({ blue: 100 });
    await expect(azure.deploy(ws(), { modelDir: sampleModelDir, endpoint: 'fail-ep', deployment: 'green' })).rejects.toThrow(/409 Conflict.*wait for that operation to finish/);
  });

  it('a token that expires mid-operation is renewed and the operation completes', async () => {
    const issued = h.emulator.entra.tokens.size;
    let expired = false;
    const r = await azure.deploy(ws(), {
      modelDir: sampleModelDir,
      endpoint: 'expiry-ep',
      onProgress: (p) => {
        if (!expired && p.kind === 'operation' && p.what.includes('deployment')) {
          expired = true;
          h.emulator.entra.expireAll();
        }
      },
    });
    expect(expired).toBe(true);
    expect(r.state).toBe('Succeeded');
    expect(h.emulator.entra.tokens.size).toBeGreaterThan(issued);
  });

  it('a connection dropped mid-upload is retried and the model registers whole', async () => {
    const folder = join(h.tmp, 'bigger-model');
    await mkdir(folder, { recursive: true });
    await cp(sampleModelDir, folder, { recursive: true });
    await writeFile(join(folder, 'extra.bin'), randomBytes(10 * 1024 * 1024));
    h.emulator.faults.add({ kind: 'dropUpload' });
    const r = await azure.registerModel(ws(), { modelDir: folder });
    expect(r).toMatchObject({ name: 'bigger-model', version: '1', reused: false, uploadedBytes: 10 * 1024 * 1024 + 3483 });
    const names = await blobNames(`LocalUpload/`);
    expect(names.filter((n) => n.includes('/bigger-model/'))).toHaveLength(8);
    expect(h.emulator.faults.take('dropUpload')).toBeNull();
  });

  it('424 from the model container is decoded from the model-error headers', async () => {
    h.emulator.faults.add({ kind: 'modelError', modelStatus: 500, reason: 'ValueError: could not convert string to float' });
    const r = await azure.invoke(ws(), { endpoint: 'expiry-ep', body });
    expect(r.status).toBe(424);
    expect(r.headers['ms-azureml-model-error-statuscode']).toBe('500');
    expect(r.explanation).toMatch(/model container answered 500: ValueError: could not convert string to float.*preflight azure logs/);
  });

  it('a model with error findings is refused before anything is uploaded, unless the user overrides', async () => {
    const folder = join(h.tmp, 'no-conda');
    await cp(sampleModelDir, folder, { recursive: true });
    await rm(join(folder, 'conda.yaml'));
    await rm(join(folder, 'python_env.yaml'));
    await expect(azure.registerModel(ws(), { modelDir: folder })).rejects.toThrow(/error finding.*--ignore-findings/);
    expect((await blobNames('LocalUpload/')).filter((n) => n.includes('/no-conda/'))).toEqual([]);
    const r = await azure.registerModel(ws(), { modelDir: folder, ignoreFindings: true });
    expect(r).toMatchObject({ name: 'no-conda', version: '1', reused: false });
  });

  it('a private-link workspace is pointed to packaging instead of a no-code deployment', async () => {
    const ref = { ...ws(), workspace: h.emulator.privateWorkspace };
    await expect(azure.deploy(ref, { modelDir: sampleModelDir, endpoint: 'private-ep' })).rejects.toThrow(/public network access disabled \(private link\).*Package the model/);
    // The command that does it, for this model, workspace and endpoint (not only "Preflight's packaging").
    await expect(azure.deploy(ref, { modelDir: sampleModelDir, endpoint: 'private-ep' })).rejects.toThrow(`\`preflight azure package ${sampleModelDir} --workspace ${h.emulator.privateWorkspace} --endpoint private-ep --wheels <folder of wheels>\` (in the app: the Package tab, In Azure)`);
  });

  it('a wrong service principal secret is refused with Entra\'s reason', async () => {
    const other = (await h.compose({ userDataDir: join(h.tmp, 'sp-user'), cacheFile: join(h.tmp, 'sp-cache.json') })).services.azure;
    await expect(other.login({ method: 'service-principal', tenant: h.emulator.tenant, clientId: h.emulator.clientId, clientSecret: 'wrong' })).rejects.toThrow(/Service principal sign-in failed: invalid_client.*Invalid client secret/);
    expect((await other.status()).signedIn).toBe(false);
  });

  it('a 500 on one call is retried and the call succeeds', async () => {
    const before = h.emulator.calls.filter((c) => c === 'OnlineEndpoints_List').length;
    h.emulator.faults.add({ kind: 'status', status: 500, code: 'InternalServerError', message: 'Transient failure.', operationId: 'OnlineEndpoints_List' });
    expect((await azure.endpoints(ws())).map((e) => e.name)).toContain('expiry-ep');
    expect(h.emulator.calls.filter((c) => c === 'OnlineEndpoints_List').length).toBe(before + 2);
  });

  it('429 from the scoring URI is explained with its Retry-After', async () => {
    h.emulator.faults.add({ kind: 'status', status: 429, target: 'score', retryAfter: 2, message: 'Too many requests.' });
    const r = await azure.invoke(ws(), { endpoint: 'expiry-ep', body });
    expect(r.status).toBe(429);
    expect(r.explanation).toMatch(/Too many requests .*retry after 2 s.*max_concurrent_requests_per_instance/);
    expect(r.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('503 from the scoring URI says the deployment is not ready, scaling or full, and what to do', async () => {
    h.emulator.faults.add({ kind: 'status', status: 503, target: 'score', retryAfter: 5, message: 'no healthy upstream' });
    const r = await azure.invoke(ws(), { endpoint: 'expiry-ep', body });
    expect(r.status).toBe(503);
    expect(r.explanation).toMatch(/503 Service Unavailable.*being created or updated, scaling.*out of capacity.*provisioning state.*after 5 s/);
  });

  it('an upload that keeps dropping fails clearly, registers nothing, and the next run resumes', async () => {
    const folder = join(h.tmp, 'resumed-model');
    await cp(sampleModelDir, folder, { recursive: true });
    await writeFile(join(folder, 'extra.bin'), randomBytes(10 * 1024 * 1024));
    h.emulator.faults.add({ kind: 'dropUpload' }, 1000);
    await expect(azure.registerModel(ws(), { modelDir: folder })).rejects.toThrow(/Uploading extra\.bin to datastore workspaceblobstore failed after 3 attempts.*Run the registration again: files already uploaded are not sent twice/);
    h.emulator.faults.clear();
    expect(h.emulator.workspaceState().models.has('resumed-model')).toBe(false);
    // The small files went beside extra.bin and were complete when it gave up: they are not sent again.
    const complete = (await blobNames('LocalUpload/')).filter((n) => n.includes('/resumed-model/')).map((n) => n.split('/resumed-model/')[1]!);
    expect(complete).not.toContain('extra.bin');
    expect(complete.length).toBeGreaterThan(0);
    let skipped = 0;
    for (const rel of complete) skipped += (await stat(join(folder, rel))).size;
    const r = await azure.registerModel(ws(), { modelDir: folder });
    expect(r).toMatchObject({ name: 'resumed-model', version: '1', reused: false });
    expect(r.uploadedBytes).toBe(10 * 1024 * 1024 + 3483 - skipped);
  });

  it('a batch job read that gets 429 + Retry-After is waited out; a token expiring mid-job is renewed; the job completes', async () => {
    const b = await azure.batch();
    const input = await batchInputFolder('batch-429', 1);
    h.emulator.faults.add({ kind: 'status', status: 429, retryAfter: 1, operationId: 'Jobs_Get' });
    let expired = false;
    const started = Date.now();
    const r = await b.invoke(ws(), {
      endpoint: 'journey-batch',
      input,
      outDir: join(h.tmp, 'batch-429-out'),
      onProgress: (p) => {
        if (!expired && p.kind === 'operation' && p.state === 'Preparing') {
          expired = true;
          h.emulator.entra.expireAll();
        }
      },
    });
    expect(r.status).toBe('Completed');
    expect(expired).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await readFile(r.predictionsPath!, 'utf8')).toBe(await batchLocally(input));
  });

  it('a batch job stuck running can be stopped waiting for; Azure carries on and says how to follow it; nothing half-written', async () => {
    const b = await azure.batch();
    const input = await batchInputFolder('batch-stuck', 1);
    const out = join(h.tmp, 'batch-stuck-out');
    h.emulator.faults.add({ kind: 'stuck', operationId: 'BatchJob' });
    const stop = new AbortController();
    let polls = 0;
    const attempt = b.invoke(ws(), { endpoint: 'journey-batch', input, outDir: out, signal: stop.signal, onProgress: (p) => p.kind === 'operation' && p.what.startsWith('Batch job') && ++polls === 4 && stop.abort() });
    await expect(attempt).rejects.toThrow(/Stopped waiting for batch job batchjob-\S+\. Azure carries on with it: follow it with `az ml job show --name batchjob-/);
    await expect(stat(join(out, 'predictions.csv'))).rejects.toThrow(/ENOENT/);
    // The next job on the same endpoint runs normally.
    expect((await b.invoke(ws(), { endpoint: 'journey-batch', input, outDir: out })).status).toBe('Completed');
  });

  it('a batch job that fails in Azure names the job, leaves no predictions file, and a folder with no CSV/parquet is refused before any upload', async () => {
    const b = await azure.batch();
    const input = await batchInputFolder('batch-fail', 1);
    const out = join(h.tmp, 'batch-fail-out');
    h.emulator.faults.add({ kind: 'jobFailed', message: 'ValueError: could not convert string to float' });
    await expect(b.invoke(ws(), { endpoint: 'journey-batch', input, outDir: out })).rejects.toThrow(/Batch job batchjob-\S+ ended Failed\..*az ml job stream --name batchjob-.*nothing was downloaded/);
    await expect(stat(join(out, 'predictions.csv'))).rejects.toThrow(/ENOENT/);
    const empty = join(h.tmp, 'batch-empty');
    await mkdir(empty, { recursive: true });
    await writeFile(join(empty, 'notes.txt'), 'not data');
    const before = h.emulator.azurite.uploadedBytes();
    await expect(b.invoke(ws(), { endpoint: 'journey-batch', input: empty, outDir: out })).rejects.toThrow(/holds no \.csv, \.parquet or \.pqt file/);
    await expect(b.invoke(ws(), { endpoint: 'journey-batch', deployment: 'nope', input, outDir: out })).rejects.toThrow(/has no deployment named "nope" \(it has: default\)/);
    expect(h.emulator.azurite.uploadedBytes()).toBe(before);
  });

  it('Microsoft\'s spec accepted every request Preflight sent, and every answer the emulator gave', () => {
    expect(h.emulator.violations).toEqual([]);
  });
});
