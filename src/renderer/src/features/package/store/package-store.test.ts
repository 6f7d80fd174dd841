import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { PackageAzureProgress, PackageAzureResult } from '@shared/packaging/azure-step';
import type { PackageVerifyReport } from '@shared/packaging/package-report';
import { createPackageStore, type AzureSignIn, type PackageApi } from './package-store';

/**
 * The Package store's In-Azure slice and Open package against an in-memory host that answers like the real
 * one: `azure.status`, `package.verify`, `package.pickFile`, and `package.azureRun` pushing progress events.
 */
function memoryHost(o: { signedIn: boolean; picked?: string | null; runError?: AppError; canPickFolder?: boolean }) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const emit = (name: string, p: unknown): void => listeners.get(name)?.forEach((l) => l(p));
  const runs: unknown[] = [];
  const status: AzureSignIn = { signedIn: o.signedIn, method: o.signedIn ? 'device-code' : null, tenant: null, clientId: null, account: o.signedIn ? 'me@contoso.test' : null, secretStore: 'memory', cloud: 'AzureCloud', defaults: { subscription: 's', resourceGroup: 'rg', workspace: o.signedIn ? 'ws' : null } };
  const report = (path: string): PackageVerifyReport => ({ package: path, verdict: path.includes('bad') ? 'FAIL' : 'PASS', checks: [], reasons: [], manifest: null, proof: null });
  const result: PackageAzureResult = { package: '/p.tar.gz', workspace: 'ws', model: { name: 'm', version: '1', id: 'id' }, baseEnvironment: { name: 'm-offline-env', version: '1', id: 'e1' }, environment: { name: 'm-packaged-env', version: '1', id: 'e2', image: null }, buildId: 'b', buildState: 'Succeeded', buildLog: 'log', deployment: null };
  const api = {
    app: { info: async () => ({ canPickFolder: o.canPickFolder ?? false }) },
    azure: { status: async () => status },
    package: {
      verify: async ({ path }: { path: string }) => report(path),
      pickFile: async () => ({ path: o.picked ?? null }),
      azureRun: async (input: { operationId?: string }) => {
        runs.push(input);
        const progress = (step: PackageAzureProgress['step'], operationId = input.operationId!): void => emit('package.azure-progress', { operationId, step, message: step, bytesDone: null, bytesTotal: null });
        progress('verify');
        progress('package', 'someone-else');
        progress('package');
        if (o.runError) throw o.runError;
        return result;
      },
      azureCancel: async () => ({ cancelled: true }),
    },
    on: (name: string, l: (p: unknown) => void) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(l);
      return () => listeners.get(name)!.delete(l);
    },
  } as unknown as PackageApi;
  return { api, runs };
}

describe('package store: In Azure', () => {
  it('a package that verifies becomes the In-Azure source; a run sends it and keeps only its own progress', async () => {
    const host = memoryHost({ signedIn: true });
    const store = createPackageStore(host.api, { newOperationId: () => 'op-1' });
    const off = store.getState().subscribe();
    await store.getState().refreshAzureStatus();
    expect(store.getState().inAzure.status?.signedIn).toBe(true);
    await store.getState().verifyPackage('/tmp/ok.tar.gz');
    expect(store.getState().inAzure.source).toBe('/tmp/ok.tar.gz');
    await store.getState().verifyPackage('/tmp/bad.tar.gz');
    expect(store.getState().inAzure.source).toBe('/tmp/ok.tar.gz');
    store.getState().setInAzureField('endpoint', ' my-ep ');
    await store.getState().runInAzure();
    expect(host.runs).toEqual([{ source: '/tmp/ok.tar.gz', endpoint: 'my-ep', deployment: 'blue', wheels: null, operationId: 'op-1' }]);
    expect(store.getState().inAzure.progress.map((p) => p.step)).toEqual(['verify', 'package']);
    expect(store.getState().inAzure.result?.environment.name).toBe('m-packaged-env');
    expect(store.getState().inAzure.operationId).toBeNull();
    off();
  });

  it('an Azure error is kept with its details (the build log) and the run ends', async () => {
    const host = memoryHost({ signedIn: true, runError: new AppError('E_AZURE', 'Image build failed', { details: { step: 'package', buildLog: 'ERROR pip' } }) });
    const store = createPackageStore(host.api, { newOperationId: () => 'op-2' });
    store.getState().setInAzureField('source', '/tmp/ok.tar.gz');
    await store.getState().runInAzure();
    expect(store.getState().inAzure.error).toMatchObject({ code: 'E_AZURE', details: { buildLog: 'ERROR pip' } });
    expect(store.getState().inAzure.operationId).toBeNull();
  });

  it('Open package verifies the picked file; a cancelled pick does nothing', async () => {
    const picked = createPackageStore(memoryHost({ signedIn: false, picked: '/tmp/picked.tar.gz' }).api);
    expect(await picked.getState().openPackage()).toBe('/tmp/picked.tar.gz');
    expect(picked.getState().verify?.package).toBe('/tmp/picked.tar.gz');
    const cancelled = createPackageStore(memoryHost({ signedIn: false, picked: null }).api);
    expect(await cancelled.getState().openPackage()).toBeNull();
    expect(cancelled.getState().verify).toBeNull();
  });

  it('offers Open package… only where the host has a file dialog (browser mode: the path is typed)', async () => {
    const browser = createPackageStore(memoryHost({ signedIn: false, canPickFolder: false }).api);
    expect(browser.getState().canBrowse).toBe(false);
    browser.getState().subscribe();
    await Promise.resolve();
    expect(browser.getState().canBrowse).toBe(false);
    const desktop = createPackageStore(memoryHost({ signedIn: false, canPickFolder: true }).api);
    desktop.getState().subscribe();
    await expect.poll(() => desktop.getState().canBrowse).toBe(true);
  });
});
