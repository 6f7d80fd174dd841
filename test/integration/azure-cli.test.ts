/**
 * `preflight azure …` in-process against the emulator, the way a script uses it: the cloud file from
 * PREFLIGHT_AZURE_CLOUD, a service principal login kept in a cache file, workspace defaults saved by
 * `workspaces --use`, `deploy --json` / `invoke --json` shapes, `keys --show` (a key only when asked, never
 * logged or written), and exit codes.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger, type Logger } from '../../src/main/ports/logger';
import { makeClientCertificatePem } from '../support/azure-emulator/certs';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { recordingLog } from '../support/host-ports';
import { repoRoot, sampleModelDir } from '../support/paths';

let h: EmulatorHarness;
let env: NodeJS.ProcessEnv;
let bodyFile: string;

beforeAll(async () => {
  h = await startEmulatorHarness();
  env = {
    ...process.env,
    PREFLIGHT_USER_DATA: join(h.tmp, 'cli-user-data'),
    PREFLIGHT_AZURE_CLOUD: h.emulator.cloudFile,
    PREFLIGHT_AZURE_CACHE: join(h.tmp, 'cli-cache.json'),
    PREFLIGHT_AZURE_FAST_RETRY: '1',
    PREFLIGHT_ONNX_WORKER: h.worker,
  };
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as unknown;
  bodyFile = join(h.tmp, 'body.json');
  await (await import('node:fs/promises')).writeFile(bodyFile, JSON.stringify({ input_data: example }));
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliLogged(silentLogger, ...argv);
}

async function cliLogged(log: Logger, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: repoRoot, signal: new AbortController().signal, log };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('preflight azure (CLI against the emulator)', () => {
  it('documents every subcommand in --help', async () => {
    const r = await cli('azure', '--help');
    expect(r.code).toBe(0);
    for (const sub of ['login', 'logout', 'workspaces', 'models', 'endpoints', 'deploy', 'invoke', 'logs', 'keys', 'delete', '--cloud', 'PREFLIGHT_AZURE_CLOUD']) expect(r.stdout).toContain(sub);
  });

  it('rejects usage errors with exit 2', async () => {
    expect((await cli('azure', 'deploy', sampleModelDir)).code).toBe(2);
    expect((await cli('azure', 'frobnicate')).code).toBe(2);
    const r = await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs --tenant, --client-id and --client-secret/);
  });

  it('says what is missing when no workspace is given or saved (exit 2), and that it is not signed in (exit 3)', async () => {
    const none = await cli('azure', 'models');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No subscription, resourceGroup, workspace given and none saved/);
    const notSignedIn = await cli('azure', 'workspaces');
    expect(notSignedIn.code).toBe(3);
    expect(notSignedIn.stderr).toMatch(/Not signed in to Azure\. Run `preflight azure login`/);
  });

  it('logs in with a service principal and keeps the sign-in in the 0600 cache file', async () => {
    const r = await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--client-secret', h.emulator.clientSecret, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ signedIn: true, method: 'service-principal', tenant: h.emulator.tenant });
    expect(r.stdout).not.toContain(h.emulator.clientSecret);
    expect((await stat(join(h.tmp, 'cli-cache.json'))).mode & 0o777).toBe(0o600);
  });

  it('lists workspaces and saves the chosen one', async () => {
    const r = await cli('azure', 'workspaces', '--use', h.emulator.workspace, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`default workspace saved: ${h.emulator.workspace} (resource group ${h.emulator.resourceGroup}, subscription ${h.emulator.subscription}); later commands use it unless --workspace says otherwise\n`);
    expect((JSON.parse(r.stdout) as { name: string; privateLink: boolean }[]).map((w) => [w.name, w.privateLink])).toEqual([
      [h.emulator.workspace, false],
      [h.emulator.privateWorkspace, true],
    ]);
  });

  it('deploy --json registers, deploys, routes traffic and prints the documented shape', async () => {
    const r = await cli('azure', 'deploy', sampleModelDir, '--endpoint', 'cli-ep', '--deployment', 'blue', '--json');
    expect(r.stderr).toMatch(/uploading MLmodel/);
    expect(r.stderr).toMatch(/\[blue storage-initializer\] \S+ Downloaded 7 files\./);
    expect(r.stderr).toMatch(/\[blue inference-server\] \S+ Server is ready to receive requests\./);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ endpoint: 'cli-ep', deployment: 'blue', scoringUri: `${h.emulator.url}/endpoints/cli-ep/score`, model: { name: 'sample-model', version: '1' }, state: 'Succeeded' });
    const eps = await cli('azure', 'endpoints', '--json');
    expect(JSON.parse(eps.stdout)).toMatchObject([{ name: 'cli-ep', traffic: { blue: 100 } }]);
    const models = await cli('azure', 'models', '--json');
    expect(JSON.parse(models.stdout)).toEqual([{ name: 'sample-model', latestVersion: '1' }]);
  });

  it('invoke --json has predict --json\'s shape and the same answer', async () => {
    const cloud = await cli('azure', 'invoke', '--endpoint', 'cli-ep', bodyFile, '--json');
    const local = await cli('predict', sampleModelDir, bodyFile, '--json');
    expect(cloud.code).toBe(0);
    const c = JSON.parse(cloud.stdout) as Record<string, unknown>;
    const l = JSON.parse(local.stdout) as Record<string, unknown>;
    expect(Object.keys(c)).toEqual(['status', 'headers', 'body', 'body_text']);
    expect({ status: c.status, body: c.body, body_text: c.body_text }).toEqual({ status: l.status, body: l.body, body_text: l.body_text });
  });

  it('an error answer exits 1 with the explanation on stderr', async () => {
    const r = await cli('azure', 'invoke', '--endpoint', 'cli-ep', '--deployment', 'nope', bodyFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^404/);
    expect(r.stderr).toMatch(/x-request-id/);
    // The deployment named is not there: not "no deployment with positive traffic (… or name a deployment)", which it did.
    expect(r.stderr).toContain('The endpoint has no deployment named "nope"');
    expect(r.stderr).toContain('`preflight azure endpoints` lists');
    expect(r.stderr).not.toContain('positive traffic');
  });

  it('keys prints a key only with --show, on stdout only: never in the log, the cache file or the user data', async () => {
    const keys = h.emulator.workspaceState().endpoints.get('cli-ep')!.keys;
    const log = recordingLog();
    const unasked = await cliLogged(log, 'azure', 'keys', '--endpoint', 'cli-ep');
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(/prints an endpoint key only when asked: add --show/);
    const primary = await cliLogged(log, 'azure', 'keys', '--endpoint', 'cli-ep', '--show');
    expect(primary).toEqual({ code: 0, stdout: `${keys.primaryKey}\n`, stderr: '' });
    const secondary = await cliLogged(log, 'azure', 'keys', '--endpoint', 'cli-ep', '--show', '--which', 'secondary', '--json');
    expect(secondary.code).toBe(0);
    expect(JSON.parse(secondary.stdout)).toEqual({ endpoint: 'cli-ep', which: 'secondary', key: keys.secondaryKey });
    expect((await cli('azure', 'keys', '--endpoint', 'cli-ep', '--show', '--which', 'tertiary')).code).toBe(2);
    // The key printed is the one the endpoint takes.
    const scored = await h.http({ method: 'POST', url: `${h.emulator.url}/endpoints/cli-ep/score`, headers: { authorization: `Bearer ${primary.stdout.trim()}`, 'content-type': 'application/json' }, body: await readFile(bodyFile, 'utf8') });
    expect(scored.status).toBe(200);
    const written = [JSON.stringify(log.lines), await readFile(env.PREFLIGHT_AZURE_CACHE!, 'utf8')];
    for (const f of await readdir(env.PREFLIGHT_USER_DATA!, { recursive: true })) written.push(await readFile(join(env.PREFLIGHT_USER_DATA!, f), 'utf8').catch(() => ''));
    for (const text of written) {
      expect(text).not.toContain(keys.primaryKey);
      expect(text).not.toContain(keys.secondaryKey);
    }
  });

  it('export writes Azure ML CLI v2 YAML for the endpoint and its deployment', async () => {
    const out = join(h.tmp, 'exported');
    const r = await cli('azure', 'export', '--endpoint', 'cli-ep', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { files: string[] }).files.map((f) => f.slice(out.length + 1))).toEqual(['model-sample-model-1.yml', 'endpoint.yml', 'deployment-blue.yml', 'traffic.txt']);
    const { parse } = await import('yaml');
    // The model file names the very folder the deployment's model version points at in the datastore.
    const registered = h.emulator.workspaceState().models.get('sample-model')!.versions.get('1')!.properties;
    expect(parse(await readFile(join(out, 'model-sample-model-1.yml'), 'utf8'))).toEqual({ $schema: 'https://azuremlschemas.azureedge.net/latest/model.schema.json', name: 'sample-model', version: '1', type: 'mlflow_model', path: registered.modelUri, description: registered.description, tags: { createdBy: 'preflight' } });
    expect(String(registered.modelUri)).toMatch(/^azureml:\/\/subscriptions\/.*\/paths\/LocalUpload\/[0-9a-f]{32}\/sample-model$/);
    expect(parse(await readFile(join(out, 'endpoint.yml'), 'utf8'))).toMatchObject({ name: 'cli-ep', auth_mode: 'key' });
    expect(parse(await readFile(join(out, 'deployment-blue.yml'), 'utf8'))).toMatchObject({
      name: 'blue',
      endpoint_name: 'cli-ep',
      model: 'azureml:sample-model:1',
      instance_type: 'Standard_DS3_v2',
      instance_count: 1,
      request_settings: { request_timeout_ms: 60000, max_concurrent_requests_per_instance: 1 },
      liveness_probe: { initial_delay: 600, period: 10, timeout: 2 },
    });
    expect(await readFile(join(out, 'traffic.txt'), 'utf8')).toContain('--traffic "blue=100"');
  });

  it('a 503 from the endpoint exits 1 with what 503 means on Azure ML on stderr', async () => {
    h.emulator.faults.add({ kind: 'status', status: 503, target: 'score', message: 'no healthy upstream' });
    const r = await cli('azure', 'invoke', '--endpoint', 'cli-ep', bodyFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^503/);
    expect(r.stderr).toMatch(/503 Service Unavailable\): it is still being created or updated, scaling/);
    expect(r.stderr).toContain('preflight azure endpoints');
  });

  it('export --out refuses a folder that is not empty unless --force, and writes nothing when it refuses', async () => {
    const out = join(h.tmp, 'export-into-repo');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'endpoint.yml'), 'mine: hand-edited\n');
    await writeFile(join(out, 'README.md'), 'notes\n');
    const refused = await cli('azure', 'export', '--endpoint', 'cli-ep', '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).toContain('not empty');
    expect((await readdir(out)).sort()).toEqual(['README.md', 'endpoint.yml']);
    expect(await readFile(join(out, 'endpoint.yml'), 'utf8')).toBe('mine: hand-edited\n');

    const forced = await cli('azure', 'export', '--endpoint', 'cli-ep', '--out', out, '--force', '--json');
    expect(forced.code).toBe(0);
    expect((await readFile(join(out, 'endpoint.yml'), 'utf8'))).toContain('name: cli-ep');
    // Atomic writes leave no temp files behind; files export does not write are left alone.
    expect((await readdir(out)).sort()).toEqual(['README.md', 'deployment-blue.yml', 'endpoint.yml', 'model-sample-model-1.yml', 'traffic.txt']);
    expect((await cli('azure', 'export', '--endpoint', 'cli-ep', '--force')).code).toBe(2);
  });

  it('logs prints the log text; delete removes the endpoint', async () => {
    const logs = await cli('azure', 'logs', '--endpoint', 'cli-ep');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/POST \/score 200/);
    // A scoring 500 says "Check the logs": the error behind it is there, as azmlinfsrv logs it.
    const badBody = join(h.tmp, 'bad-body.json');
    await writeFile(badBody, '{"input_data": {"columns": ["x"], "data": [[1]]}}');
    expect((await cli('azure', 'invoke', '--endpoint', 'cli-ep', badBody)).code).toBe(1);
    expect((await cli('azure', 'logs', '--endpoint', 'cli-ep', '--tail', '5')).stdout).toMatch(/ERROR .+\n.*POST \/score 500/);
    // A container that has written nothing yet (still starting): said on stderr, not an empty line.
    const blue = h.emulator.workspaceState().endpoints.get('cli-ep')!.deployments.get('blue')!;
    const kept = blue.logs.StorageInitializer.splice(0);
    const empty = await cli('azure', 'logs', '--endpoint', 'cli-ep', '--container', 'storage-initializer');
    blue.logs.StorageInitializer.push(...kept);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no lines yet in the storage-initializer log of deployment blue: the container has not written anything.*run this again in a minute, look at --container inference-server/s);
    const del = await cli('azure', 'delete', '--endpoint', 'cli-ep', '--json');
    expect(del.code).toBe(0);
    expect(JSON.parse(del.stdout)).toEqual({ endpoint: 'cli-ep', deleted: true });
    const gone = await cli('azure', 'invoke', '--endpoint', 'cli-ep', bodyFile);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/404 .*does not exist/);
  });

  it('batch deploy / invoke / endpoints / delete: a job on a local folder, predictions.csv downloaded', async () => {
    const help = await cli('azure', 'batch', '--help');
    for (const sub of ['batch deploy', 'batch invoke', 'batch endpoints', 'batch delete', '--out DIR', 'predictions.csv']) expect(help.stdout).toContain(sub);
    expect((await cli('azure', 'batch', 'invoke', '--endpoint', 'cli-batch', h.tmp)).code).toBe(2);
    const dep = await cli('azure', 'batch', 'deploy', sampleModelDir, '--endpoint', 'cli-batch', '--compute', 'small-cluster', '--mini-batch-size', '5', '--json');
    expect(dep.code).toBe(0);
    expect(JSON.parse(dep.stdout)).toEqual({ endpoint: 'cli-batch', deployment: 'default', scoringUri: `${h.emulator.url}/batchEndpoints/cli-batch/jobs`, model: { name: 'sample-model', version: '1' }, compute: 'small-cluster', state: 'Succeeded' });
    const input = join(h.tmp, 'cli-batch-input');
    await mkdir(input, { recursive: true });
    const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
    await writeFile(join(input, 'rows.csv'), `${example.columns.join(',')}\n${example.data.map((r) => r.join(',')).join('\n')}\n`);
    const out = join(h.tmp, 'cli-batch-out');
    const run = await cli('azure', 'batch', 'invoke', '--endpoint', 'cli-batch', input, '--out', out, '--json');
    expect(run.stderr).toMatch(/Batch job batchjob-[0-9a-f-]+: Running/);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(r)).toEqual(['job', 'status', 'endpoint', 'deployment', 'inputUri', 'outputUri', 'predictionsPath']);
    expect(r).toMatchObject({ status: 'Completed', endpoint: 'cli-batch', deployment: 'default', predictionsPath: join(out, 'predictions.csv') });
    const lines = (await readFile(r.predictionsPath!, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('row,prediction,file_name');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['rows.csv', 'rows.csv']);
    // The file is there now: a second run into the same folder asks for --overwrite (exit 2).
    const again = await cli('azure', 'batch', 'invoke', '--endpoint', 'cli-batch', input, '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists already; pass --overwrite/);
    const list = await cli('azure', 'batch', 'endpoints', '--json');
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'cli-batch', defaultDeployment: 'default', deployments: [{ name: 'default', state: 'Succeeded' }] }]);
    // Exported as CLI v2 YAML: what was deployed, field for field.
    const yamlDir = join(h.tmp, 'cli-batch-yaml');
    const exported = await cli('azure', 'export', '--batch-endpoint', 'cli-batch', '--out', yamlDir, '--json');
    expect(exported.code).toBe(0);
    expect((JSON.parse(exported.stdout) as { files: string[] }).files.map((f) => f.slice(yamlDir.length + 1))).toEqual(['model-sample-model-1.yml', 'batch-endpoint.yml', 'batch-deployment-default.yml']);
    const { parse } = await import('yaml');
    expect(parse(await readFile(join(yamlDir, 'batch-endpoint.yml'), 'utf8'))).toEqual({ $schema: 'https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json', name: 'cli-batch', description: 'Created by Preflight', auth_mode: 'aad_token', defaults: { deployment_name: 'default' } });
    expect(parse(await readFile(join(yamlDir, 'batch-deployment-default.yml'), 'utf8'))).toEqual({
      $schema: 'https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json',
      name: 'default',
      endpoint_name: 'cli-batch',
      type: 'model',
      description: 'MLflow model sample-model:1, deployed by Preflight',
      model: 'azureml:sample-model:1',
      compute: 'azureml:small-cluster',
      resources: { instance_count: 1 },
      settings: { max_concurrency_per_instance: 1, mini_batch_size: 5, error_threshold: -1, logging_level: 'info', retry_settings: { max_retries: 3, timeout: 300 }, output_action: 'append_row', output_file_name: 'predictions.csv' },
    });
    const deployed = (JSON.parse(list.stdout) as { deployments: { model: string; compute: string }[] }[])[0]!.deployments[0]!;
    expect(deployed.model).toMatch(/\/models\/sample-model\/versions\/1$/);
    expect(deployed.compute).toMatch(/\/computes\/small-cluster$/);
    expect((await cli('azure', 'export', '--endpoint', 'x', '--batch-endpoint', 'y')).code).toBe(2);
    // A job that fails in Azure exits 1 with the job's name and where its logs are; nothing is downloaded.
    h.emulator.faults.add({ kind: 'jobFailed', message: 'ValueError: bad column' });
    const failed = await cli('azure', 'batch', 'invoke', '--endpoint', 'cli-batch', input, '--out', join(h.tmp, 'cli-batch-failed'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Batch job batchjob-\S+ ended Failed\. Its logs are in Azure ML studio .*nothing was downloaded/);
    const del = await cli('azure', 'batch', 'delete', '--endpoint', 'cli-batch', '--json');
    expect(JSON.parse(del.stdout)).toEqual({ endpoint: 'cli-batch', deleted: true });
    expect(JSON.parse((await cli('azure', 'batch', 'endpoints', '--json')).stdout)).toEqual([]);
  });

  it('logout forgets the sign-in', async () => {
    expect((await cli('azure', 'logout')).code).toBe(0);
    expect((await cli('azure', 'endpoints')).code).toBe(3);
    expect(h.emulator.violations).toEqual([]);
  });

  it('logs in as a service principal with a certificate: Entra checks the signed assertion against the registered certificate', async () => {
    const r = await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--certificate', h.emulator.clientCertificateFile, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ signedIn: true, method: 'service-principal', account: h.emulator.clientId });
    expect(r.stdout).not.toContain('PRIVATE KEY');
    expect((await cli('azure', 'workspaces', '--json')).code).toBe(0);
    // A later command after every token expired: msal signs a new assertion with the saved certificate.
    h.emulator.entra.expireAll();
    expect((await cli('azure', 'endpoints', '--json')).code).toBe(0);
    // A certificate the app registration does not know is refused with Entra's reason.
    const other = join(h.tmp, 'other.pem');
    await writeFile(other, makeClientCertificatePem('not-registered').pem);
    const refused = await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--certificate', other);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/Service principal sign-in failed: invalid_client: AADSTS700027: The certificate with identifier used to sign the client assertion is not registered/);
    // A file without the private key says what it lacks; secret and certificate together are a usage error.
    const certOnly = join(h.tmp, 'cert-only.pem');
    await writeFile(certOnly, makeClientCertificatePem('x').certPem);
    const lacking = await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--certificate', certOnly);
    expect(lacking.code).toBe(3);
    expect(lacking.stderr).toMatch(/must hold both the private key and the certificate.*lacks the private key/);
    expect((await cli('azure', 'login', '--service-principal', '--tenant', 't', '--client-id', 'c', '--client-secret', 's', '--certificate', certOnly)).code).toBe(2);
    expect(h.emulator.violations).toEqual([]);
  });
});
