/**
 * The emulator holds Preflight to Azure's contract: a request Microsoft's OpenAPI files reject is refused
 * (and recorded as a violation), ARM wants a bearer token for itself and a known api-version, and the
 * system-browser sign-in works end to end with the real msal-node loopback, driven by headless Chromium.
 */
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { recordingLog } from '../support/host-ports';

let h: EmulatorHarness;
let token: string;
const wsPath = (): string => `/subscriptions/${h.emulator.subscription}/resourceGroups/${h.emulator.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${h.emulator.workspace}`;

beforeAll(async () => {
  h = await startEmulatorHarness();
  const r = await h.http({ method: 'POST', url: `${h.emulator.url}/${h.emulator.tenant}/oauth2/v2.0/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: h.emulator.clientId, client_secret: h.emulator.clientSecret, scope: `${h.emulator.url}/.default` }).toString() });
  token = (JSON.parse(r.text) as { access_token: string }).access_token;
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

const arm = (method: string, path: string, body?: unknown, bearer: string | null = token) =>
  h.http({ method, url: `${h.emulator.url}${path}`, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('Azure emulator contract', () => {
  it('refuses a body Microsoft\'s spec rejects and records the violation', async () => {
    const r = await arm('PUT', `${wsPath()}/onlineEndpoints/bad-ep?api-version=2025-09-01`, { properties: { authMode: 'key', bogus: true } });
    expect(r.status).toBe(400);
    const error = (JSON.parse(r.text) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('InvalidRequestContent');
    expect(error.message).toMatch(/required property 'location'/);
    expect(error.message).toMatch(/allowed values.*AMLToken.*Key.*AADToken/);
    expect(error.message).toMatch(/additional properties.*bogus/);
    expect(h.emulator.violations.map((v) => v.operation)).toContain('OnlineEndpoints_CreateOrUpdate');
    h.emulator.violations.length = 0;
  });

  it('wants an api-version it knows, and a token for ARM', async () => {
    expect(JSON.parse((await arm('GET', `${wsPath()}/onlineEndpoints`)).text)).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
    expect(JSON.parse((await arm('GET', `${wsPath()}/onlineEndpoints?api-version=2019-01-01`)).text)).toMatchObject({ error: { code: 'NoRegisteredProviderFound' } });
    const anonymous = await arm('GET', `${wsPath()}/onlineEndpoints?api-version=2025-09-01`, undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
    const ok = await arm('GET', `${wsPath()}/onlineEndpoints?api-version=2025-09-01`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ value: [] });
  });

  it('refuses a malformed fault on its control URL instead of queueing it (it broke every later request)', async () => {
    const post = (body: string) => h.http({ method: 'POST', url: `${h.emulator.url}/_emulator/faults`, headers: { 'content-type': 'application/json' }, body });
    for (const bad of ['{}', '{"fault": {"kind": "nope"}}', 'not json', '{"fault": {"kind": "stuck", "operationId": "X"}, "times": 0}']) {
      const r = await post(bad);
      expect(r.status).toBe(400);
      expect(r.text).toContain('nothing was queued');
    }
    expect((await arm('GET', `${wsPath()}/onlineEndpoints?api-version=2025-09-01`)).status).toBe(200);
    expect((await post('{"fault": {"kind": "status", "status": 503}}')).status).toBe(204);
    expect((await arm('GET', `${wsPath()}/onlineEndpoints?api-version=2025-09-01`)).status).toBe(503);
  });

  it('matches ARM paths case-insensitively (listkeys vs listKeys)', async () => {
    const r = await arm('POST', `${wsPath()}/onlineendpoints/missing/listkeys?api-version=2025-09-01`);
    expect(r.status).toBe(404);
  });

  it('signs in through the system browser: msal-node loopback + form_post, driven by headless Chromium', async () => {
    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
      // The browser trusts the emulator's per-run CA only for this test (a user's browser trusts Microsoft's).
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const azure = (await h.compose({ userDataDir: join(h.tmp, 'interactive'), cacheFile: join(h.tmp, 'interactive-cache.json') })).services.azure;
      const state = await azure.login({
        method: 'interactive',
        tenant: h.emulator.tenant,
        openBrowser: async (url) => {
          void page.goto(url);
        },
      });
      expect(state).toMatchObject({ signedIn: true, method: 'interactive', account: 'emulator-user@contoso.test' });
      expect(await page.textContent('body')).toMatch(/Signed in to Preflight/);
      expect((await azure.subscriptions()).map((s) => s.subscriptionId)).toEqual([h.emulator.subscription]);
    } finally {
      await browser?.close();
    }
  });

  it("Cancel on Microsoft's sign-in page (access_denied + error_subcode=cancel) reads as a cancelled sign-in, not a failure", async () => {
    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
      const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
      const log = recordingLog();
      const azure = (await h.compose({ userDataDir: join(h.tmp, 'interactive-cancel'), cacheFile: join(h.tmp, 'interactive-cancel-cache.json'), log })).services.azure;
      h.emulator.faults.add({ kind: 'signInCancel' });
      const err = await azure
        .login({ method: 'interactive', tenant: h.emulator.tenant, openBrowser: async (url) => void page.goto(url) })
        .then(() => null, (e: unknown) => e as Error & { code?: string });
      expect(err?.code).toBe('E_CANCELLED');
      expect(err?.message).toMatch(/^Browser sign-in cancelled: Cancel \(or Back\) was pressed on Microsoft's sign-in page/);
      expect(err?.message).not.toMatch(/access_denied|failed/);
      // The browser page does not claim a failure with an unfilled placeholder.
      expect(await page.textContent('body')).not.toMatch(/\{\{error\}\}|Sign-in failed/);
      expect(log.lines.some((l) => l.startsWith('info') && l.includes('cancelled on the sign-in page'))).toBe(true);
      expect(log.lines.some((l) => l.startsWith('warn'))).toBe(false);
      expect((await azure.status()).signedIn).toBe(false);
    } finally {
      await browser?.close();
    }
  });
});
