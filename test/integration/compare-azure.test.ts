/**
 * `azure:<endpoint>[/<deployment>]` compare targets (issue 10) against the Azure ML emulator: the sample model
 * deployed there (scored by Preflight's runner behind Azure's wire contract) agrees with local:azureml; a 424
 * model error is explained from Azure's headers, a 400 and a 500 as the Azure tab's Invoke explains them; the endpoint key never appears in a result, the history or the
 * CLI's --json; the CLI reads the workspace from the saved defaults or --subscription/--resource-group/--workspace.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Composition } from '../../src/main/app/compose';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import type { CallContext } from '../../src/main/ipc/dispatch';
import { silentLogger } from '../../src/main/ports/logger';
import { CompareResultSchema, type CompareInputData, type CompareResultData } from '../../src/shared/ipc/compare-contract';
import { signInToEmulator, startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { repoRoot, sampleModelDir } from '../support/paths';

let h: EmulatorHarness;
let c: Composition;
let body: string;
const keys: string[] = [];

const ctx = (): CallContext => ({ senderId: 'window-1', signal: new AbortController().signal, log: silentLogger });

async function compare(targets: CompareInputData['targets'], sent = body): Promise<CompareResultData> {
  const r = await c.handlers.compare.run({ modelPath: sampleModelDir, body: sent, contentType: 'application/json', targets, headers: [], tolerance: { abs: 1e-6, rel: 1e-6 }, timeoutMs: 60_000 }, ctx());
  return CompareResultSchema.parse(r);
}

beforeAll(async () => {
  h = await startEmulatorHarness();
  c = await h.compose();
  const azure = c.services.azure;
  await signInToEmulator(h, azure);
  await azure.deploy(azure.workspaceRef(), { modelDir: sampleModelDir, endpoint: 'cmp-ep', deployment: 'blue' });
  const ref = azure.workspaceRef();
  keys.push(await azure.endpointKey(ref, 'cmp-ep', 'primary'), await azure.endpointKey(ref, 'cmp-ep', 'secondary'));
  // A row-oriented MLflow body: the azure target gets it converted to Azure's input_data, like local:azureml.
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: unknown[][] };
  body = JSON.stringify({ dataframe_split: example });
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

describe('compare with an azure:<endpoint> target (emulator)', () => {
  it('agrees with local:azureml, shows the scoring URI and a placeholder for the key, pins the deployment', async () => {
    const r = await compare([
      { kind: 'local', server: 'azureml' },
      { kind: 'azure', server: 'azureml', endpoint: 'cmp-ep', deployment: 'blue' },
    ]);
    const t = r.targets[1]!;
    expect(t.name).toBe('azure:cmp-ep/blue');
    expect(t.error).toBeNull();
    expect(t.response?.status).toBe(200);
    expect(t.request.converted).toBe(true);
    expect(t.request.to).toBe('azureml');
    expect(JSON.parse(t.request.body)).toHaveProperty('input_data');
    expect(t.request.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/.*cmp-ep.*score/);
    expect(t.request.headers['azureml-model-deployment']).toBe('blue');
    expect(t.request.headers.authorization).toBe('Bearer <hidden: endpoint key>');
    expect(r.verdict.agree).toBe(true);
    expect(r.verdict.sentence).toMatch(/same/i);
    const json = JSON.stringify(r);
    for (const k of keys) expect(json).not.toContain(k);
  });

  it('calls an Entra (AADToken) endpoint with a token it never shows', async () => {
    const azure = c.services.azure;
    await azure.deploy(azure.workspaceRef(), { modelDir: sampleModelDir, endpoint: 'cmp-aad', deployment: 'blue', authMode: 'AADToken' });
    const r = await compare([
      { kind: 'local', server: 'azureml' },
      { kind: 'azure', server: 'azureml', endpoint: 'cmp-aad', deployment: null },
    ]);
    const t = r.targets[1]!;
    expect(t.response?.status).toBe(200);
    expect(t.request.headers.authorization).toBe('Bearer <hidden: Entra token for https://ml.azure.com>');
    expect(t.request.headers).not.toHaveProperty('azureml-model-deployment');
    expect(r.verdict.agree).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });

  it('explains a 424 model error from Azure\'s headers', async () => {
    h.emulator.faults.add({ kind: 'modelError', modelStatus: 500, reason: 'Model is missing inputs' });
    const r = await compare([
      { kind: 'local', server: 'azureml' },
      { kind: 'azure', server: 'azureml', endpoint: 'cmp-ep', deployment: null },
    ]);
    const t = r.targets[1]!;
    expect(t.response?.status).toBe(424);
    expect(t.response?.headers['ms-azureml-model-error-reason']).toBe('Model is missing inputs');
    expect(t.rootCause).toMatch(/model itself failed.*500: Model is missing inputs.*logs/);
    expect(r.verdict.agree).toBe(false);
  });

  it("explains Azure's 400 and 500 as the Azure tab's Invoke does (the explanation, not only the body's line)", async () => {
    const targets: CompareInputData['targets'] = [
      { kind: 'local', server: 'azureml' },
      { kind: 'azure', server: 'azureml', endpoint: 'cmp-ep', deployment: 'blue' },
    ];
    const invoked = async (sent: string) => (await c.services.azure.invoke(c.services.azure.workspaceRef(), { endpoint: 'cmp-ep', deployment: 'blue', body: sent, contentType: 'application/json' })).explanation;
    // Columns the model does not have: the scoring script raises, Azure answers 500 with one generic line.
    const unknownColumns = JSON.stringify({ input_data: { columns: ['x'], data: [[1]] } });
    const raised = (await compare(targets, unknownColumns)).targets[1]!;
    expect(raised.response?.status).toBe(500);
    expect(raised.rootCause).toMatch(/^The scoring script raised an error on this request/);
    expect(raised.rootCause).toBe(await invoked(unknownColumns));
    // A body neither server reads is sent as written: Azure's 400, with how to check the body locally.
    const unreadable = '{"input_data": ';
    const refused = (await compare(targets, unreadable)).targets[1]!;
    expect(refused.response?.status).toBe(400);
    expect(refused.rootCause).toBe(await invoked(unreadable));
  });

  it("explains Azure's 503 (deployment not ready, scaling, full) in the Playground's root cause, not the body's line", async () => {
    h.emulator.faults.add({ kind: 'status', status: 503, target: 'score', retryAfter: 3, message: 'no healthy upstream' });
    const r = await compare([
      { kind: 'local', server: 'azureml' },
      { kind: 'azure', server: 'azureml', endpoint: 'cmp-ep', deployment: 'blue' },
    ]);
    const t = r.targets[1]!;
    expect(t.response?.status).toBe(503);
    expect(t.rootCause).toMatch(/deployment "blue" right now \(503 Service Unavailable\).*scaling.*after 3 s/);
  });

  it('says which endpoint is missing, without an answer, and keeps no key in the saved history', async () => {
    const r = await compare([
      { kind: 'local', server: 'azureml' },
      { kind: 'azure', server: 'azureml', endpoint: 'no-such-ep', deployment: null },
    ]);
    expect(r.targets[1]!.response).toBeNull();
    expect(r.targets[1]!.error?.message).toMatch(/azure:no-such-ep: .*no-such-ep/);
    const dir = join(h.tmp, 'user-data');
    const files = await readdir(dir, { recursive: true });
    let all = '';
    for (const f of files) all += await readFile(join(dir, f), 'utf8').catch(() => '');
    expect(all).toContain('cmp-ep');
    for (const k of keys) expect(all).not.toContain(k);
  });

  it('preflight compare --target azure:<endpoint>/<deployment> --json: agrees, exit 0, no key in the output', async () => {
    const file = join(h.tmp, 'cli-body.json');
    await writeFile(file, body);
    const cacheFile = join(h.tmp, 'cli-cache.json');
    const env = { ...process.env, PREFLIGHT_USER_DATA: join(h.tmp, 'cli-user-data'), PREFLIGHT_AZURE_CLOUD: h.emulator.cloudFile, PREFLIGHT_AZURE_CACHE: cacheFile, PREFLIGHT_AZURE_FAST_RETRY: '1', PREFLIGHT_ONNX_WORKER: h.worker };
    const cli = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: repoRoot, signal: new AbortController().signal, log: silentLogger };
      return { code: await runCli(argv, io), stdout, stderr };
    };
    expect((await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--client-secret', h.emulator.clientSecret)).code).toBe(0);
    // No workspace saved for this user-data folder: named on the command line, like `preflight azure invoke`.
    const ws = ['--subscription', h.emulator.subscription, '--resource-group', h.emulator.resourceGroup, '--workspace', h.emulator.workspace];
    const ok = await cli('compare', sampleModelDir, file, '--target', 'local:azureml', '--target', 'azure:cmp-ep/blue', ...ws, '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const r = CompareResultSchema.parse(JSON.parse(ok.stdout));
    expect(r.targets.map((t) => t.name)).toEqual(['local:azureml', 'azure:cmp-ep/blue']);
    expect(r.verdict.agree).toBe(true);
    for (const k of keys) expect(ok.stdout).not.toContain(k);

    // A replay of the input example through the same two targets (each chunk one comparison).
    const replay = await cli('compare', sampleModelDir, '--replay', 'example', '--target', 'local:azureml', '--target', 'azure:cmp-ep/blue', ...ws, '--json');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('azure:cmp-ep/blue');
    for (const k of keys) expect(replay.stdout).not.toContain(k);

    const noWs = await cli('compare', sampleModelDir, file, '--target', 'local:azureml', '--target', 'azure:cmp-ep');
    expect(noWs.code).toBe(3);
    expect(noWs.stdout + noWs.stderr).toMatch(/No subscription, resourceGroup, workspace given and none saved/);

    const bad = await cli('compare', sampleModelDir, file, '--target', 'local:azureml', '--target', 'azure:cmp-ep/blue/x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/azure:<endpoint>\/<deployment>/);
  });
});
