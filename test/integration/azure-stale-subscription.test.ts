/**
 * A saved subscription this sign-in cannot see — saved under another tenant or account, or since deleted — as a
 * user meets it after signing in somewhere else: ARM answers 404 SubscriptionNotFound (the emulator does too), the
 * CLI says the subscription is not one this sign-in sees and how to pick another, and `workspaces --use NAME` finds
 * the workspace in the subscriptions the sign-in does see instead of searching only the stale one.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { repoRoot } from '../support/paths';

const STALE = '00000000-1111-2222-3333-444444444444';
let h: EmulatorHarness;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  h = await startEmulatorHarness();
  env = {
    ...process.env,
    PREFLIGHT_USER_DATA: join(h.tmp, 'stale-user-data'),
    PREFLIGHT_AZURE_CLOUD: h.emulator.cloudFile,
    PREFLIGHT_AZURE_CACHE: join(h.tmp, 'stale-cache.json'),
    PREFLIGHT_AZURE_FAST_RETRY: '1',
  };
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: repoRoot, signal: new AbortController().signal, log: silentLogger };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('a saved subscription the sign-in cannot see', () => {
  it('is named as such, and workspaces --use finds the workspace in the subscriptions the sign-in sees', async () => {
    const login = await cli('azure', 'login', '--service-principal', '--tenant', h.emulator.tenant, '--client-id', h.emulator.clientId, '--client-secret', h.emulator.clientSecret, '--subscription', STALE, '--resource-group', h.emulator.resourceGroup, '--workspace', h.emulator.workspace);
    expect(login.code).toBe(0);

    const models = await cli('azure', 'models');
    expect(models.code).toBe(3);
    expect(models.stderr).toContain(`(404 SubscriptionNotFound): The subscription '${STALE}' could not be found.`);
    expect(models.stderr).toContain('this sign-in cannot see the subscription');
    expect(models.stderr).toContain('preflight azure workspaces --use');

    const listed = await cli('azure', 'workspaces', '--json');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((w) => w.name).sort()).toEqual([h.emulator.privateWorkspace, h.emulator.workspace].sort());

    const use = await cli('azure', 'workspaces', '--use', h.emulator.workspace);
    expect(use.code).toBe(0);
    expect(use.stderr).toContain(`default workspace saved: ${h.emulator.workspace} (resource group ${h.emulator.resourceGroup}, subscription ${h.emulator.subscription})`);
    expect((await cli('azure', 'models')).code).toBe(0);

    // Naming the stale subscription explicitly is still refused with ARM's answer, not an empty list.
    const explicit = await cli('azure', 'workspaces', '--subscription', STALE);
    expect(explicit.code).toBe(3);
    expect(explicit.stderr).toContain('SubscriptionNotFound');
    expect(h.emulator.violations).toEqual([]);
  }, 60_000);
});
