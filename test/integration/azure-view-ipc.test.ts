/**
 * The Azure view's calls (`azure-view-contract.ts`) through their handlers against the emulator with the real
 * msal-node: service-principal sign-in, subscriptions, keys that stay in main unless revealed, and `azure.cancel`
 * stopping a deploy stuck in Creating, a slow invoke (its HTTP request aborted) and a browser sign-in nobody
 * finishes. Outputs are checked against the contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvents } from '../../src/main/app/events';
import type { CallContext, Handlers } from '../../src/main/ipc/dispatch';
import { azureHandlers } from '../../src/main/ipc/handlers/azure';
import { silentLogger } from '../../src/main/ports/logger';
import type { AzureService } from '../../src/main/services/azure/azure-service';
import { contract } from '../../src/shared/ipc/contract';
import { startEmulatorHarness, type EmulatorHarness } from '../support/azure-emulator/harness';
import { recordingLog } from '../support/host-ports';
import { sampleModelDir } from '../support/paths';

let h: EmulatorHarness;
let azure: AzureService;
let events: AppEvents;
const announced: string[] = [];
const clipboard: string[] = [];
const log = recordingLog();
let handlers: Handlers['azure'];
let withClipboard: Handlers['azure'];

const ctx = (senderId = 'window-1'): CallContext => ({ senderId, signal: new AbortController().signal, log: silentLogger });
const checked = <M extends keyof Handlers['azure']>(method: M, value: unknown): unknown => (contract.methods.azure[method].output as { parse(v: unknown): unknown }).parse(value);

beforeAll(async () => {
  h = await startEmulatorHarness();
  const c = await h.compose({ log });
  azure = c.services.azure;
  events = c.events;
  handlers = azureHandlers({ azure, events, announceSecret: (line) => announced.push(line) });
  withClipboard = azureHandlers({ azure, events, clipboard: { available: true, unavailableReason: null, writeText: async (t) => void clipboard.push(t) } });
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

describe('azure view handlers (emulator, real msal-node)', () => {
  it('signs in with a service principal and lists subscriptions', async () => {
    const state = checked('loginServicePrincipal', await handlers.loginServicePrincipal({ tenant: h.emulator.tenant, clientId: h.emulator.clientId, clientSecret: h.emulator.clientSecret }, ctx()));
    expect(state).toMatchObject({ signedIn: true, method: 'service-principal', account: h.emulator.clientId });
    expect(JSON.stringify(state)).not.toContain(h.emulator.clientSecret);
    expect(checked('subscriptions', await handlers.subscriptions({}, ctx()))).toEqual([expect.objectContaining({ subscriptionId: h.emulator.subscription })]);
  });

  it('stops waiting for a deployment stuck in Creating when the same window cancels it, and says Azure goes on', async () => {
    await azure.setDefaults({ subscription: h.emulator.subscription, resourceGroup: h.emulator.resourceGroup, workspace: h.emulator.workspace });
    h.emulator.faults.add({ kind: 'stuck', operationId: 'OnlineDeployments_CreateOrUpdate' });
    // The deployment's own operation, stuck by the fault: cancel from inside its third progress event, as a user
    // clicking Stop waiting would (the emulator answers Retry-After: 0 here, so polling is tight).
    let polls = 0;
    const answers: Promise<{ cancelled: boolean }>[] = [];
    const off = events.subscribe((e, p) => {
      const op = p as { operationId?: string; what?: string };
      if (e !== 'azure.progress' || op.operationId !== 'deploy-1' || !op.what?.includes('deployment') || ++polls !== 3) return;
      answers.push(handlers.cancel({ operationId: 'deploy-1' }, ctx('window-2')), handlers.cancel({ operationId: 'deploy-1' }, ctx()));
    });
    const deploying = handlers.deploy({ modelDir: sampleModelDir, endpoint: 'stuck-ep', deployment: 'blue', operationId: 'deploy-1' }, ctx());
    await expect(deploying).rejects.toMatchObject({ code: 'E_CANCELLED', message: expect.stringContaining('Azure carries on') });
    off();
    // Another window cannot cancel it; the one that started it can.
    expect(await Promise.all(answers)).toEqual([{ cancelled: false }, { cancelled: true }]);
    expect(await handlers.cancel({ operationId: 'deploy-1' }, ctx())).toEqual({ cancelled: false });
    await handlers.deleteEndpoint({ endpoint: 'stuck-ep' }, ctx());
  });

  it('a throttled call during Register & deploy shows in its progress (the panel), not only in the log', async () => {
    await azure.setDefaults({ subscription: h.emulator.subscription, resourceGroup: h.emulator.resourceGroup, workspace: h.emulator.workspace });
    h.emulator.faults.add({ kind: 'status', status: 429, retryAfter: 1, operationId: 'OnlineEndpoints_CreateOrUpdate' });
    const seen: { what?: string; state?: string }[] = [];
    const off = events.subscribe((e, p) => {
      const op = p as { operationId?: string; kind?: string; what?: string; state?: string };
      if (e === 'azure.progress' && op.operationId === 'deploy-429' && op.kind === 'operation') seen.push({ what: op.what, state: op.state });
    });
    await handlers.deploy({ modelDir: sampleModelDir, endpoint: 'throttled-ep', deployment: 'blue', operationId: 'deploy-429' }, ctx());
    off();
    expect(seen).toContainEqual({ what: 'Creating or updating endpoint throttled-ep', state: expect.stringMatching(/^429 TooManyRequests; retry 1 of \d+ in 1 s$/) });
    // The log keeps it too, as before.
    expect(log.lines.some((l) => l.includes('Creating or updating endpoint throttled-ep: 429 TooManyRequests'))).toBe(true);
    await handlers.deleteEndpoint({ endpoint: 'throttled-ep' }, ctx());
  });

  it('keeps endpoint keys in main: Copy goes to the clipboard (or the host terminal), Reveal only on request', async () => {
    await handlers.deploy({ modelDir: sampleModelDir, endpoint: 'keys-ep', deployment: 'blue' }, ctx());
    const copied = checked('copyKey', await handlers.copyKey({ endpoint: 'keys-ep' }, ctx())) as { copied: boolean; message: string };
    expect(copied.copied).toBe(false);
    expect(copied.message).toMatch(/terminal/);
    const { key } = checked('revealKey', await handlers.revealKey({ endpoint: 'keys-ep' }, ctx())) as { key: string };
    expect(key.length).toBeGreaterThan(16);
    expect(copied.message).not.toContain(key);
    expect(announced).toEqual([`Azure endpoint keys-ep primary key: ${key}`]);
    const secondary = (await handlers.revealKey({ endpoint: 'keys-ep', which: 'secondary' }, ctx())).key;
    expect(secondary).not.toBe(key);
    expect(await withClipboard.copyKey({ endpoint: 'keys-ep', which: 'secondary' }, ctx())).toMatchObject({ copied: true });
    expect(clipboard).toEqual([secondary]);
    await handlers.deleteEndpoint({ endpoint: 'keys-ep' }, ctx());
  });

  it('cancels a slow invoke: the same window\'s cancel aborts the HTTP request at once, and the call ends E_CANCELLED', async () => {
    await handlers.deploy({ modelDir: sampleModelDir, endpoint: 'slow-ep', deployment: 'blue' }, ctx());
    const body = JSON.stringify({ input_data: { columns: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'], data: [[0.038, 0.05, 0.061, 0.021, -0.044, -0.034, -0.043, -0.002, 0.019, -0.017]] } });
    // The model takes a minute to answer (a hung endpoint): the user gives up once the request is on the wire.
    h.emulator.faults.add({ kind: 'slowScore', delayMs: 60_000 });
    const scored = h.emulator.calls.filter((c) => c === 'score').length;
    const invoking = handlers.invoke({ endpoint: 'slow-ep', body, operationId: 'invoke-1' }, ctx());
    await expect.poll(() => h.emulator.calls.filter((c) => c === 'score').length, { timeout: 20_000 }).toBe(scored + 1);
    expect(await handlers.cancel({ operationId: 'invoke-1' }, ctx('window-2'))).toEqual({ cancelled: false });
    const asked = performance.now();
    expect(await handlers.cancel({ operationId: 'invoke-1' }, ctx())).toEqual({ cancelled: true });
    await expect(invoking).rejects.toMatchObject({ code: 'E_CANCELLED', message: expect.stringMatching(/^Invoke of slow-ep cancelled: Preflight aborted the request/) });
    expect(performance.now() - asked).toBeLessThan(5_000);
    // The request itself was aborted: the endpoint saw its caller go away (nothing is left waiting for the answer).
    await expect.poll(() => h.emulator.calls.includes('scoreAbandoned'), { timeout: 10_000 }).toBe(true);
    expect(await handlers.cancel({ operationId: 'invoke-1' }, ctx())).toEqual({ cancelled: false });
    // The same operation id is free again, and an endpoint that answers does.
    const answer = checked('invoke', await handlers.invoke({ endpoint: 'slow-ep', body, operationId: 'invoke-1' }, ctx())) as { status: number };
    expect(answer.status).toBe(200);
    await handlers.deleteEndpoint({ endpoint: 'slow-ep' }, ctx());
  }, 120_000);

  it('cancels a browser sign-in nobody finishes, closes msal\'s loopback listener, and logs it as info, not a warning', async () => {
    const urls: string[] = [];
    const off = events.subscribe((e, p) => e === 'azure.sign-in-url' && urls.push((p as { url: string }).url));
    const signingIn = handlers.loginInteractive({ tenant: h.emulator.tenant, operationId: 'browser-1' }, ctx());
    await expect.poll(() => urls.length, { timeout: 20_000 }).toBe(1);
    const redirect = new URL(new URL(urls[0]!).searchParams.get('redirect_uri')!);
    expect(redirect.hostname).toMatch(/^(localhost|127\.0\.0\.1)$/);
    expect(await handlers.cancel({ operationId: 'browser-1' }, ctx())).toEqual({ cancelled: true });
    await expect(signingIn).rejects.toMatchObject({ code: 'E_CANCELLED' });
    off();
    // The listener is gone: nothing answers on the loopback port any more.
    await expect.poll(() => fetch(redirect).then(() => 'listening', () => 'closed'), { timeout: 10_000 }).toBe('closed');
    await expect.poll(() => log.lines.filter((l) => l.includes('sign-in')), { timeout: 10_000 }).toEqual(['info azure sign-in: browser sign-in cancelled (access_denied)']);
  });
});
