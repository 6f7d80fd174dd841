import { describe, expect, it } from 'vitest';
import { loadAzureEndpoints, type AzureApi } from './azure-targets';
import { targetsOf } from './playground-store';

const defaults = { subscription: 'sub', resourceGroup: 'rg', workspace: 'ws1' };

function api(over: { signedIn?: boolean; defaults?: typeof defaults; fail?: string } = {}): AzureApi {
  const azure = {
    async status() {
      return { signedIn: over.signedIn ?? true, method: null, tenant: null, clientId: null, account: null, secretStore: 'memory', cloud: 'AzureCloud', defaults: over.defaults ?? defaults };
    },
    async endpoints() {
      if (over.fail) throw Object.assign(new Error(over.fail), { code: 'E_AZURE' });
      return [{ name: 'ep1', authMode: 'Key', state: 'Succeeded', scoringUri: 'https://ep1/score', traffic: { blue: 100 }, deployments: [{ name: 'blue', state: 'Succeeded', model: null, instanceType: null }] }];
    },
  };
  return { azure } as unknown as AzureApi;
}

describe('Add Azure endpoint', () => {
  it('lists the workspace endpoints and their deployments when signed in', async () => {
    expect(await loadAzureEndpoints(api())).toEqual({ status: 'ready', workspace: 'ws1', endpoints: [{ name: 'ep1', authMode: 'Key', state: 'Succeeded', deployments: [{ name: 'blue', state: 'Succeeded' }] }] });
  });

  it('says to sign in or pick a workspace on the Azure tab, and shows Azure errors', async () => {
    const out = await loadAzureEndpoints(api({ signedIn: false }));
    expect(out.status === 'unavailable' && out.message).toMatch(/Not signed in.*Azure tab/);
    const noWs = await loadAzureEndpoints(api({ defaults: { ...defaults, workspace: null as unknown as string } }));
    expect(noWs.status === 'unavailable' && noWs.message).toMatch(/No workspace picked.*Azure tab/);
    expect(await loadAzureEndpoints(api({ fail: 'AuthorizationFailed: no access' }))).toEqual({ status: 'error', message: 'AuthorizationFailed: no access' });
    expect((await loadAzureEndpoints({})).status).toBe('unavailable');
  });

  it('sends chosen endpoints as azure targets after the local and URL ones', () => {
    const t = targetsOf({ local: { azureml: true, mlflow: false }, urls: [], azureTargets: [{ id: 'a', endpoint: 'ep1', deployment: 'blue' }, { id: 'b', endpoint: 'ep2', deployment: null }] });
    expect(t).toEqual({ ok: true, targets: [{ kind: 'local', server: 'azureml' }, { kind: 'azure', server: 'azureml', endpoint: 'ep1', deployment: 'blue' }, { kind: 'azure', server: 'azureml', endpoint: 'ep2', deployment: null }] });
  });
});
