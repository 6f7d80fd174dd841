/**
 * Two people signed in on one machine, and a sign-in that expires (emulator, real msal-node): msal's cache holds
 * both accounts; each session's tokens are its own account's (not simply the first cached one); the account picker
 * switches without signing in again; a refresh token Entra no longer accepts (AADSTS700082) asks to sign in again,
 * in words, and the app's status says signed out instead of failing every later call.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import type { AzureService } from '../../src/main/services/azure/azure-service';

let h: EmulatorHarness;
let azure: AzureService;

beforeAll(async () => {
  h = await startEmulatorHarness();
  azure = (await h.compose({ userDataDir: join(h.tmp, 'accounts'), cacheFile: join(h.tmp, 'accounts-cache.json') })).services.azure;
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

/** A device-code sign-in where the person at the browser types `account` on the page (the emulator's second user, or the default). */
const signInAs = (account: string | null) =>
  azure.login({
    method: 'device-code',
    tenant: h.emulator.tenant,
    onCode: (p) => void h.http({ method: 'POST', url: p.verificationUri, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `user_code=${encodeURIComponent(p.userCode)}${account ? `&account=${encodeURIComponent(account)}` : ''}` }),
  });

/** Whose ARM tokens the service is sending now (the emulator remembers the subject of each token it issued). */
async function armSubject(): Promise<string> {
  expect((await azure.subscriptions()).length).toBeGreaterThan(0);
  const issued = [...h.emulator.entra.tokens.values()].filter((t) => t.audience !== 'https://ml.azure.com');
  return issued[issued.length - 1]!.subject;
}

describe('two cached accounts, the account picker, and an expired sign-in', () => {
  it('keeps both accounts; tokens are the signed-in account\'s, and the picker switches without a new sign-in', async () => {
    const [first, second] = h.emulator.entra.users;
    expect(await signInAs(null)).toMatchObject({ signedIn: true, account: first!.username });
    expect(await signInAs(second!.username)).toMatchObject({ signedIn: true, account: second!.username });
    expect(await azure.accounts()).toEqual([
      { username: first!.username, tenant: h.emulator.tenant, method: 'device-code', current: false },
      { username: second!.username, tenant: h.emulator.tenant, method: 'device-code', current: true },
    ]);
    // Renewed tokens belong to the second person, not to whichever account msal lists first.
    h.emulator.entra.expireAll();
    expect(await armSubject()).toBe(second!.oid);

    const switched = await azure.useAccount(first!.username);
    expect(switched).toMatchObject({ signedIn: true, account: first!.username });
    expect(await armSubject()).toBe(first!.oid);
    expect((await azure.accounts()).find((a) => a.current)?.username).toBe(first!.username);
    await expect(azure.useAccount('nobody@contoso.test')).rejects.toThrow(/No cached sign-in for "nobody@contoso\.test": sign in with that account first/);
    // Nothing secret in what the picker is given.
    expect(JSON.stringify(await azure.accounts())).not.toMatch(/emu\.|refresh|secret/i);
  }, 60_000);

  it('an expired refresh token says to sign in again, and the status is signed out (not a later obscure failure)', async () => {
    h.emulator.entra.expireRefreshTokens();
    const err = await azure.models(azure.workspaceRef({ subscription: h.emulator.subscription, resourceGroup: h.emulator.resourceGroup, workspace: h.emulator.workspace })).then(
      () => null,
      (e: unknown) => e as Error & { code?: string; details?: { signInAgain?: boolean } },
    );
    expect(err?.code).toBe('E_AZURE_AUTH');
    expect(err?.message).toMatch(/^Your Azure sign-in as emulator-user@contoso\.test has expired and cannot be renewed without you \(Entra ID: .*AADSTS700082.*\)\. Sign in again: the Azure tab's Sign in, or `preflight azure login`\.$/);
    expect(err?.details?.signInAgain).toBe(true);
    expect(await azure.status()).toMatchObject({ signedIn: false });
    // The expired account left the picker; the other one is still offered.
    expect((await azure.accounts()).map((a) => a.username)).toEqual(['second-user@contoso.test']);
  }, 60_000);
});
