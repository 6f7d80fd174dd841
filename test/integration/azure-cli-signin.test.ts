/**
 * "Use my Azure CLI sign-in" with the REAL Azure CLI: `az` signs in to the emulator as its service principal (a
 * custom cloud registered with `az cloud register`, the emulator's CA through REQUESTS_CA_BUNDLE, an isolated
 * AZURE_CONFIG_DIR), and Preflight's ARM calls then carry the token `az account get-access-token` gives.
 *
 * The cloud's Entra endpoint is the emulator's AD FS-style authority (`<emulator>/adfs`): for any other authority
 * host, MSAL Python (inside az) first asks login.microsoftonline.com's instance discovery, which a test bound to
 * 127.0.0.1 cannot reach, and az offers no switch to skip it. Where az is not installed (Debian: `apt-get install
 * azure-cli`), the test is skipped and says so.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureService } from '../../src/main/services/azure/azure-service';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';

const run = promisify(execFile);

function azInstalled(): boolean {
  try {
    execFileSync('az', ['version', '--output', 'none'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const hasAz = azInstalled();
if (!hasAz) console.warn('azure-cli-signin.test.ts: skipped — the Azure CLI (`az`) is not installed here (Debian: apt-get install azure-cli).');

let h: EmulatorHarness;
let azure: AzureService;
let configDir: string;
const saved: Record<string, string | undefined> = {};

/** az with the test's isolated config and the emulator's CA (nothing from the user's own ~/.azure). */
const az = (...args: string[]) => run('az', [...args, '--only-show-errors'], { timeout: 120_000 });

describe.skipIf(!hasAz)('use my Azure CLI sign-in, with the real az against the emulator (skipped where az is not installed)', () => {
  beforeAll(async () => {
    h = await startEmulatorHarness();
    const cloud = JSON.parse(await readFile(h.emulator.cloudFile, 'utf8')) as { armEndpoint: string; caFile: string };
    configDir = await mkdtemp(join(tmpdir(), 'preflight-az-config-'));
    // Preflight runs az as a child process: it inherits these, as it would inherit the user's environment.
    for (const [k, v] of Object.entries({ AZURE_CONFIG_DIR: configDir, REQUESTS_CA_BUNDLE: resolve(dirname(h.emulator.cloudFile), cloud.caFile), AZURE_CORE_COLLECT_TELEMETRY: 'false' })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const cloudConfig = join(configDir, 'emulator-cloud.json');
    // Every endpoint given (graph too, unused by a service-principal login), so az does not ask the ARM
    // metadata endpoint for them.
    await writeFile(
      cloudConfig,
      JSON.stringify({ endpoints: { resourceManager: `${cloud.armEndpoint}/`, activeDirectory: `${cloud.armEndpoint}/adfs`, activeDirectoryResourceId: cloud.armEndpoint, management: `${cloud.armEndpoint}/`, activeDirectoryGraphResourceId: `${cloud.armEndpoint}/graph/` }, suffixes: { storageEndpoint: 'core.windows.net' } }),
    );
    await az('cloud', 'register', '--name', 'PreflightEmulator', '--cloud-config', `@${cloudConfig}`);
    await az('cloud', 'set', '--name', 'PreflightEmulator');
    await az('login', '--service-principal', '--username', h.emulator.clientId, '--password', h.emulator.clientSecret, '--tenant', h.emulator.tenant, '--output', 'none');
    azure = (await h.compose()).services.azure;
  }, 240_000);

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await h?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it("signs in through az and lists the workspaces with az's token; az signed out gives a clear error", async () => {
    const signedIn = await azure.login({ method: 'azure-cli' });
    expect(signedIn).toMatchObject({ signedIn: true, method: 'azure-cli' });
    const { stdout } = await az('account', 'get-access-token', '--resource', JSON.parse(await readFile(h.emulator.cloudFile, 'utf8')).armEndpoint, '--output', 'json');
    const azToken = (JSON.parse(stdout) as { accessToken: string }).accessToken;
    expect(azToken.length).toBeGreaterThan(20);
    // An ARM call Preflight makes with that token: the emulator checks it like ARM (signature, audience, expiry).
    const workspaces = await azure.workspaces(h.emulator.subscription);
    expect(workspaces.map((w) => w.name)).toContain(h.emulator.workspace);
    expect(await azure.subscriptions()).toEqual(expect.arrayContaining([expect.objectContaining({ subscriptionId: h.emulator.subscription })]));

    // Signed out of az: a fresh Preflight (no cached token) says what to do.
    await az('logout');
    const fresh = (await h.compose({ userDataDir: join(h.tmp, 'user-data-2'), cacheFile: join(h.tmp, 'cache-2.json') })).services.azure;
    await expect(fresh.login({ method: 'azure-cli' })).rejects.toThrow(/The Azure CLI could not give a token: .*Run `az login` and try again\./);
  }, 180_000);
});
