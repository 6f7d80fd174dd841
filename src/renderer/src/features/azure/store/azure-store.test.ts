import { describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '@shared/errors';
import { createAzureStore } from './azure-store';
import { invokeSampleNote } from './selectors';
import type { AzureApi } from './azure-types';

const STATUS = { signedIn: true, method: 'service-principal' as const, tenant: 't', clientId: 'c', account: 'c', secretStore: 'memory', cloud: 'Emu', defaults: { subscription: 's', resourceGroup: 'rg', workspace: 'ws' } };
const WS = { id: '/ws', name: 'ws', location: 'westeurope', resourceGroup: 'rg', subscription: 's', workspaceId: 'id', publicNetworkAccess: 'Enabled', privateLink: false };

/** A host that answers like the emulator would, records calls, and lets the test push events. */
function fakeHost() {
  const calls: { method: string; input: unknown }[] = [];
  const listeners = new Map<string, ((p: unknown) => void)[]>();
  let deployGate: { resolve(v: unknown): void; reject(e: unknown): void } | null = null;
  const record = <T>(method: string, value: T) => async (input: unknown): Promise<T> => {
    calls.push({ method, input });
    return value;
  };
  const azure = {
    status: record('status', STATUS),
    loginServicePrincipal: record('loginServicePrincipal', STATUS),
    subscriptions: record('subscriptions', [{ subscriptionId: 's', displayName: 'Sub', state: 'Enabled' }]),
    workspaces: record('workspaces', [WS]),
    models: record('models', []),
    endpoints: record('endpoints', [{ name: 'ep', authMode: 'Key', state: 'Succeeded', scoringUri: 'https://x/score', traffic: { blue: 100 }, deployments: [] }]),
    useWorkspace: record('useWorkspace', STATUS.defaults),
    cancel: record('cancel', { cancelled: true }),
    logout: record('logout', { ...STATUS, signedIn: false }),
    revealKey: record('revealKey', { key: 'the-primary-key' }),
    deploy: (input: unknown) => {
      calls.push({ method: 'deploy', input });
      return new Promise((resolve, reject) => (deployGate = { resolve, reject }));
    },
  };
  const api = {
    azure,
    payload: { samples: record('samples', { azureml: { body: '{}', contentType: 'application/json', source: 'none', note: '' } }) },
    on: (event: string, listener: (p: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener));
    },
  } as unknown as AzureApi;
  return {
    api,
    calls,
    emit: (event: string, payload: unknown) => (listeners.get(event) ?? []).forEach((l) => l(payload)),
    finishDeploy: (v: unknown) => deployGate?.resolve(v),
    failDeploy: (e: unknown) => deployGate?.reject(e),
  };
}

describe('azure store', () => {
  it('passes a service principal secret through to main without keeping it', async () => {
    const host = fakeHost();
    const store = createAzureStore(host.api);
    expect(await store.getState().signInServicePrincipal({ tenant: 't', clientId: 'c', clientSecret: 'SECRET-123' })).toBe(true);
    expect(host.calls.find((c) => c.method === 'loginServicePrincipal')!.input).toEqual({ tenant: 't', clientId: 'c', clientSecret: 'SECRET-123' });
    expect(JSON.stringify(store.getState())).not.toContain('SECRET-123');
    // Signed in: the tree is loaded and the saved workspace selected, with its lists.
    expect(store.getState().workspaces.map((w) => w.name)).toEqual(['ws']);
    expect(store.getState().workspace).toEqual({ subscription: 's', resourceGroup: 'rg', workspace: 'ws' });
    expect(store.getState().selectedEndpoint).toBe('ep');
  });

  it('follows only its own operation, and cancel names it', async () => {
    const host = fakeHost();
    let n = 0;
    const store = createAzureStore(host.api, { newOperationId: () => `op-${++n}` });
    store.getState().subscribe();
    await store.getState().refreshStatus();
    store.getState().setWizard({ endpoint: 'new-ep', deployment: 'green' });
    const done = store.getState().deploy('/models/m', true);
    expect(host.calls.find((c) => c.method === 'deploy')!.input).toMatchObject({ modelDir: '/models/m', endpoint: 'new-ep', deployment: 'green', ignoreFindings: true, operationId: 'op-1', workspace: 'ws' });
    host.emit('azure.progress', { operationId: 'someone-else', kind: 'operation', what: 'other', state: 'Creating', elapsedMs: 1 });
    host.emit('azure.progress', { operationId: 'op-1', kind: 'upload', file: 'MLmodel', uploadedBytes: 10, totalBytes: 40 });
    host.emit('azure.progress', { operationId: 'op-1', kind: 'operation', what: 'deployment green', state: 'Creating', elapsedMs: 1000 });
    host.emit('azure.progress', { operationId: 'op-1', kind: 'operation', what: 'deployment green', state: 'Creating', elapsedMs: 6000 });
    host.emit('azure.progress', { operationId: 'op-1', kind: 'log', deployment: 'green', container: 'StorageInitializer', lines: ['downloading model'] });
    host.emit('azure.progress', { operationId: 'op-1', kind: 'log', deployment: 'green', container: 'InferenceServer', lines: Array.from({ length: 250 }, (_, i) => `line ${i}`) });
    const op = store.getState().operation!;
    // The live log tail: labelled by container, the newest 200 lines.
    expect(op.logTail).toHaveLength(200);
    expect(op.logTail.at(-1)).toBe('[green inference-server] line 249');
    expect(op.phases).toHaveLength(1);
    expect(op.upload).toEqual({ file: 'MLmodel', uploadedBytes: 10, totalBytes: 40 });
    expect(op.phases).toEqual([{ what: 'deployment green', state: 'Creating', elapsedMs: 6000 }]);
    await store.getState().cancelOperation();
    expect(host.calls.filter((c) => c.method === 'cancel').map((c) => c.input)).toEqual([{ operationId: 'op-1' }]);
    host.failDeploy(new AppError(ErrorCodes.CANCELLED, 'Stopped waiting for: deployment green. Azure carries on with any operation already started.'));
    await done;
    expect(store.getState().operation).toMatchObject({ status: 'cancelled', message: expect.stringContaining('Azure carries on') });
  });

  it('Sign out while a deployment runs stops waiting for it first: the panel says Azure carries on, not "Not signed in"', async () => {
    const host = fakeHost();
    const store = createAzureStore(host.api, { newOperationId: () => 'op-1' });
    store.getState().subscribe();
    await store.getState().refreshStatus();
    store.getState().setWizard({ endpoint: 'new-ep', deployment: 'green' });
    const done = store.getState().deploy('/models/m', false);
    const signingOut = store.getState().signOut();
    // The main process ends the run as cancelled when told to (as Stop waiting does).
    await Promise.resolve();
    host.failDeploy(new AppError(ErrorCodes.CANCELLED, 'Stopped waiting for: deployment green. Azure carries on with any operation already started.'));
    await Promise.all([done, signingOut]);
    const order = host.calls.map((c) => c.method).filter((m) => m === 'cancel' || m === 'logout');
    expect(order).toEqual(['cancel', 'logout']);
    expect(host.calls.find((c) => c.method === 'cancel')!.input).toEqual({ operationId: 'op-1' });
    expect(store.getState().operation).toMatchObject({ status: 'cancelled', message: expect.stringContaining('Azure carries on') });
  });

  it('holds a revealed key only until it is hidden, the endpoint changes, or the timer fires', async () => {
    const host = fakeHost();
    const timers: (() => void)[] = [];
    const store = createAzureStore(host.api, { setTimer: (fn) => timers.push(fn) });
    await store.getState().refreshStatus();
    store.getState().selectEndpoint('ep');
    await store.getState().revealKey('primary');
    expect(store.getState().revealedKey).toEqual({ endpoint: 'ep', which: 'primary', key: 'the-primary-key' });
    timers.shift()!();
    expect(store.getState().revealedKey).toBeNull();
    await store.getState().revealKey('primary');
    store.getState().selectEndpoint('other');
    expect(store.getState().revealedKey).toBeNull();
  });

  it('a workspace whose lists Azure refused is not shown as empty: listsLoaded stays false until an answer arrives', async () => {
    const host = fakeHost();
    const azure = host.api.azure as unknown as Record<string, unknown>;
    const listed = azure.endpoints;
    azure.endpoints = async () => {
      throw new AppError(ErrorCodes.INTERNAL, 'Listing online endpoints failed (403 AuthorizationFailed): no read permission.');
    };
    const store = createAzureStore(host.api);
    await store.getState().refreshStatus();
    await store.getState().loadTree();
    expect(store.getState().workspace).toEqual({ subscription: 's', resourceGroup: 'rg', workspace: 'ws' });
    expect(store.getState().listsError?.message).toMatch(/403 AuthorizationFailed/);
    expect(store.getState()).toMatchObject({ listsLoaded: false, batchLoaded: false });
    azure.endpoints = listed;
    await store.getState().loadLists();
    expect(store.getState()).toMatchObject({ listsLoaded: true, listsError: null });
    expect(store.getState().endpoints.map((e) => e.name)).toEqual(['ep']);
    // Another workspace: nothing is known of it until it answers.
    const pending = store.getState().selectWorkspace({ ...WS, name: 'ws2' });
    expect(store.getState().listsLoaded).toBe(false);
    await pending;
    expect(store.getState().listsLoaded).toBe(true);
  });
  it('an invoke can be cancelled by its operation id, and a cancel is a state of its own, not an error', async () => {
    const host = fakeHost();
    const azure = host.api.azure as unknown as Record<string, unknown>;
    const pending: { input: { operationId?: string }; reject(e: unknown): void }[] = [];
    azure.invoke = (input: { operationId?: string }) => new Promise((_, reject) => pending.push({ input, reject }));
    azure.cancel = async (input: { operationId: string }) => {
      host.calls.push({ method: 'cancel', input });
      const run = pending.find((p) => p.input.operationId === input.operationId);
      run?.reject(new AppError(ErrorCodes.CANCELLED, 'Invoke of ep cancelled: Preflight aborted the request and stopped waiting.'));
      return { cancelled: run !== undefined };
    };
    let n = 0;
    const store = createAzureStore(host.api, { newOperationId: () => `op-${++n}` });
    await store.getState().refreshStatus();
    await store.getState().loadLists();
    store.getState().setInvokeBody('{"input_data": {"columns": ["x"], "data": [[1]]}}');
    const sending = store.getState().invoke();
    expect(store.getState()).toMatchObject({ invoking: true, invokeOperation: 'op-1' });
    expect(pending[0]!.input.operationId).toBe('op-1');
    await store.getState().cancelInvoke();
    await sending;
    expect(host.calls.filter((c) => c.method === 'cancel').map((c) => c.input)).toEqual([{ operationId: 'op-1' }]);
    expect(store.getState()).toMatchObject({ invoking: false, invokeOperation: null, invokeError: null, answer: null, invokeCancelled: 'Invoke of ep cancelled: Preflight aborted the request and stopped waiting.' });
    // Nothing running: Cancel asks nothing; the next send clears the cancelled state.
    await store.getState().cancelInvoke();
    expect(host.calls.filter((c) => c.method === 'cancel')).toHaveLength(1);
    void store.getState().invoke();
    expect(store.getState()).toMatchObject({ invoking: true, invokeOperation: 'op-2', invokeCancelled: null });
  });

  it("switching endpoint while an invoke runs aborts it and never shows its answer under the new endpoint", async () => {
    const host = fakeHost();
    const azure = host.api.azure as unknown as Record<string, unknown>;
    const ep = (name: string) => ({ name, authMode: 'Key', state: 'Succeeded', scoringUri: `https://${name}/score`, traffic: { blue: 100 }, deployments: [] });
    azure.endpoints = async () => [ep('old-ep'), ep('new-ep')];
    const pending: { input: { endpoint: string; operationId?: string }; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
    azure.invoke = (input: { endpoint: string; operationId?: string }) => new Promise((resolve, reject) => pending.push({ input, resolve, reject }));
    const cancels: unknown[] = [];
    azure.cancel = async (input: unknown) => (cancels.push(input), { cancelled: true });
    let n = 0;
    const store = createAzureStore(host.api, { newOperationId: () => `op-${++n}` });
    await store.getState().refreshStatus();
    await store.getState().loadLists();
    expect(store.getState().selectedEndpoint).toBe('old-ep');
    const oldSend = store.getState().invoke();
    store.getState().selectEndpoint('new-ep');
    // The old request is aborted and the new endpoint's Send is free at once.
    expect(cancels).toEqual([{ operationId: 'op-1' }]);
    expect(store.getState()).toMatchObject({ selectedEndpoint: 'new-ep', invoking: false, invokeOperation: null });
    // The old endpoint answers late (its abort raced): nothing of it shows under new-ep.
    pending[0]!.resolve({ status: 200, body: '"old-ep answer"' });
    await oldSend;
    expect(store.getState()).toMatchObject({ answer: null, invokeError: null, invokeCancelled: null, invoking: false });
    // A send to new-ep runs and shows its own answer, even if the old one's failure arrives meanwhile.
    const newSend = store.getState().invoke();
    expect(pending[1]!.input.endpoint).toBe('new-ep');
    pending[1]!.resolve({ status: 200, body: '"new-ep answer"' });
    await newSend;
    expect(store.getState().answer).toMatchObject({ body: '"new-ep answer"' });
  });
  it("an old invoke's error does not land on the endpoint selected since", async () => {
    const host = fakeHost();
    const azure = host.api.azure as unknown as Record<string, unknown>;
    const ep = (name: string) => ({ name, authMode: 'Key', state: 'Succeeded', scoringUri: `https://${name}/score`, traffic: { blue: 100 }, deployments: [] });
    azure.endpoints = async () => [ep('old-ep'), ep('new-ep')];
    let fail: (e: unknown) => void = () => undefined;
    azure.invoke = () => new Promise((_, reject) => (fail = reject));
    const store = createAzureStore(host.api);
    await store.getState().refreshStatus();
    await store.getState().loadLists();
    const oldSend = store.getState().invoke();
    store.getState().selectEndpoint('new-ep');
    fail(new AppError(ErrorCodes.CANCELLED, 'Invoke of old-ep cancelled.'));
    await oldSend;
    expect(store.getState()).toMatchObject({ selectedEndpoint: 'new-ep', answer: null, invokeError: null, invokeCancelled: null, invoking: false });
  });

  it("the example's note is shown only while the body still is that example", async () => {
    const host = fakeHost();
    (host.api.payload as unknown as Record<string, unknown>).samples = async () => ({ azureml: { body: '{"input_data": {"data": [[1]]}}', contentType: 'application/json', source: 'serving_input_example', note: "From serving_input_example.json, MLflow's own ready-to-send body for this model." } });
    const store = createAzureStore(host.api);
    expect(invokeSampleNote(store.getState())).toBeNull();
    await store.getState().fillSample('/models/m');
    expect(invokeSampleNote(store.getState())).toMatch(/^From serving_input_example\.json/);
    store.getState().setInvokeBody('{"input_data": {"data": [[2]]}}');
    expect(invokeSampleNote(store.getState())).toBeNull();
    store.getState().setInvokeBody('{"input_data": {"data": [[1]]}}');
    expect(invokeSampleNote(store.getState())).toMatch(/^From serving_input_example\.json/);
  });
});
