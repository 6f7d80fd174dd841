/**
 * What a new user reads when things go wrong. Sign-in that goes wrong before Entra even checks a credential: a tenant Entra does not know
 * (a typo, or another cloud's tenant) and a sign-in host that cannot be reached. msal says only
 * "endpoints_resolution_error: See https://aka.ms/msal.js.errors#… for details"; Preflight says which tenant, Entra's
 * own sentence (AADSTS90002) and where to find the right value, or which host it could not reach. A folder
 * without MLmodel deployed with --ignore-findings: refused before anything is uploaded (it would be registered as
 * an mlflow_model Azure's no-code deployment cannot load).
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { recordingLog } from '../support/host-ports';
import { sampleModelDir } from '../support/paths';

let h: EmulatorHarness;

beforeAll(async () => {
  h = await startEmulatorHarness();
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

describe('Azure sign-in with a wrong tenant or an unreachable sign-in host', () => {
  it('a tenant Entra does not know is named, with Entra\'s reason and where to find the tenant id', async () => {
    const azure = (await h.compose({ userDataDir: join(h.tmp, 'tenant-user'), cacheFile: join(h.tmp, 'tenant-cache.json') })).services.azure;
    const attempt = azure.login({ method: 'service-principal', tenant: 'contoso-typo', clientId: h.emulator.clientId, clientSecret: h.emulator.clientSecret });
    await expect(attempt).rejects.toThrow(/Service principal sign-in failed: Entra ID does not know tenant "contoso-typo" \(400: AADSTS90002: Tenant 'contoso-typo' not found\)/);
    await expect(attempt).rejects.toThrow(/Microsoft Entra ID → Overview/);
    await expect(attempt).rejects.not.toThrow(/aka\.ms|endpoints_resolution_error/);
    expect((await azure.status()).signedIn).toBe(false);
  });

  it('the device-code sign-in says the same for a wrong tenant', async () => {
    const azure = (await h.compose({ userDataDir: join(h.tmp, 'dc-user'), cacheFile: join(h.tmp, 'dc-cache.json') })).services.azure;
    await expect(azure.login({ method: 'device-code', tenant: 'not-my-tenant', onCode: () => {} })).rejects.toThrow(/Device-code sign-in failed: Entra ID does not know tenant "not-my-tenant"/);
  });

  it('Cancel during a device-code sign-in is a cancel (E_CANCELLED), not "sign-in failed: device_code_polling_cancelled: see aka.ms", and an info line in the log, not a warning', async () => {
    const log = recordingLog();
    const azure = (await h.compose({ userDataDir: join(h.tmp, 'dc-cancel-user'), cacheFile: join(h.tmp, 'dc-cancel-cache.json'), log })).services.azure;
    const stop = new AbortController();
    const attempt = azure.login({ method: 'device-code', tenant: h.emulator.tenant, signal: stop.signal, onCode: () => stop.abort() });
    await expect(attempt).rejects.toMatchObject({ code: 'E_CANCELLED', message: 'Device-code sign-in cancelled.' });
    expect((await azure.status()).signedIn).toBe(false);
    expect(log.lines).toEqual(['info azure sign-in: device-code sign-in cancelled (device_code_polling_cancelled)']);
  });

  it('a saved service principal whose secret was revoked says to sign in again, and where', async () => {
    const cacheFile = join(h.tmp, 'revoked-cache.json');
    const first = (await h.compose({ userDataDir: join(h.tmp, 'revoked-user'), cacheFile })).services.azure;
    await first.login({ method: 'service-principal', tenant: h.emulator.tenant, clientId: h.emulator.clientId, clientSecret: h.emulator.clientSecret });
    // The secret is rotated in Entra and msal's cached token has run out: what a later session finds.
    const saved = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, string>;
    const session = JSON.parse(saved['azure.session']!) as Record<string, unknown>;
    await writeFile(cacheFile, JSON.stringify({ 'azure.session': JSON.stringify({ ...session, clientSecret: 'rotated-away' }) }));
    const later = (await h.compose({ userDataDir: join(h.tmp, 'revoked-user-2'), cacheFile })).services.azure;
    expect((await later.status()).signedIn).toBe(true);
    await expect(later.subscriptions()).rejects.toThrow(
      /Getting a token for the service principal failed: invalid_client: AADSTS7000215: Invalid client secret provided\. The saved sign-in no longer works: sign in again .*\(Sign out and sign in on the Azure tab, or `preflight azure login`\)/,
    );
  });

  it('a sign-in host that does not answer is named with the network error, not msal\'s link', async () => {
    const cloud = JSON.parse(await readFile(h.emulator.cloudFile, 'utf8')) as Record<string, unknown>;
    const deadFile = join(h.tmp, 'dead-authority-cloud.json');
    await writeFile(deadFile, JSON.stringify({ ...cloud, authorityHost: 'https://127.0.0.1:9'}));
    const { runCli } = await import('../../src/main/cli/run');
    const { silentLogger } = await import('../../src/main/ports/logger');
    let stderr = '';
    const code = await runCli(
      ['azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--client-secret', h.emulator.clientSecret, '--cloud', deadFile],
      { stdout: () => {}, stderr: (t) => (stderr += t), env: { ...process.env, PREFLIGHT_USER_DATA: join(h.tmp, 'dead-user'), PREFLIGHT_AZURE_CACHE: join(h.tmp, 'dead-cache.json') }, cwd: h.tmp, signal: new AbortController().signal, log: silentLogger },
    );
    expect(code).toBe(3);
    expect(stderr).toMatch(/Service principal sign-in failed: Cannot reach 127\.0\.0\.1:9: connect ECONNREFUSED/);
    expect(stderr).not.toMatch(/aka\.ms|endpoints_resolution_error/);
    expect(stderr).not.toContain(h.emulator.clientSecret);
  });
});

describe('deploying a folder that is no MLflow model', () => {
  it('is refused even with --ignore-findings, before anything is uploaded or registered', async () => {
    const azure = (await h.compose({ userDataDir: join(h.tmp, 'nomlmodel-user'), cacheFile: join(h.tmp, 'nomlmodel-cache.json') })).services.azure;
    await azure.login({ method: 'service-principal', tenant: h.emulator.tenant, clientId: h.emulator.clientId, clientSecret: h.emulator.clientSecret });
    const folder = join(h.tmp, 'onnx-only');
    await cp(sampleModelDir, folder, { recursive: true });
    await rm(join(folder, 'MLmodel'));
    const ws = { subscription: h.emulator.subscription, resourceGroup: h.emulator.resourceGroup, workspace: h.emulator.workspace };
    const attempt = azure.deploy(ws, { modelDir: folder, endpoint: 'onnx-only-ep', ignoreFindings: true });
    await expect(attempt).rejects.toMatchObject({ code: 'E_NOT_A_MODEL' });
    await expect(attempt).rejects.toThrow(/is not an MLflow model folder \(no MLmodel\).*cannot help; nothing was uploaded\. Save it as an MLflow model first/);
    expect((await azure.models(ws)).map((m) => m.name)).not.toContain('onnx-only');
    expect((await azure.endpoints(ws)).map((e) => e.name)).not.toContain('onnx-only-ep');
  });
});
