import { describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '@shared/errors';
import { createAzureStore } from './azure-store';
import type { AzureApi } from './azure-types';

const STATUS = { signedIn: true, method: 'service-principal' as const, tenant: 't', clientId: 'c', account: 'c', secretStore: 'memory', cloud: 'Emu', defaults: { subscription: 's', resourceGroup: 'rg', workspace: 'ws' } };
const BATCH_EP = { name: 'bep', state: 'Succeeded', scoringUri: 'https://x/jobs', defaultDeployment: 'default', deployments: [{ name: 'default', state: 'Succeeded', model: '/models/m/versions/1', compute: '/computes/cpu-cluster' }] };
const JOB = { job: 'batchjob-1', status: 'Completed', endpoint: 'bep', deployment: 'default', inputUri: 'azureml://in/', uploadedBytes: 10, outputUri: 'azureml://out/', predictionsPath: '/out/predictions.csv', elapsedMs: 2000 };
const PREVIEW = { path: '/out/predictions.csv', columns: ['row', 'prediction'], rows: [['0', '1.5']], totalRows: 1, bytes: 20 };

/** A host answering like the emulator: `answers` replaces a method's answer (a function may throw). */
function fakeHost(answers: Record<string, (input: never) => unknown> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const base: Record<string, (input: never) => unknown> = {
    status: () => STATUS,
    batchEndpoints: () => [BATCH_EP],
    batchInvoke: () => JOB,
    batchPreview: () => PREVIEW,
    batchExportYaml: () => [{ name: 'batch-endpoint.yml', content: 'name: bep\n' }],
    exportYaml: () => [{ name: 'endpoint.yml', content: 'name: ep\n' }],
    saveFiles: (i: { folder: string }) => ({ folder: i.folder, written: [`${i.folder}/batch-endpoint.yml`] }),
    batchDeploy: () => ({ endpoint: 'bep', deployment: 'default', scoringUri: 'https://x/jobs', model: { name: 'm', version: '1' }, compute: 'cpu-cluster', state: 'Succeeded' }),
    ...answers,
  };
  const azure = Object.fromEntries(
    Object.entries(base).map(([method, answer]) => [
      method,
      async (input: never) => {
        calls.push({ method, input });
        return answer(input);
      },
    ]),
  );
  const api = { azure, app: { info: async () => ({ canPickFolder: true }) }, model: { pickFolder: async () => ({ path: '/picked' }) }, on: () => () => undefined } as unknown as AzureApi;
  return { api, calls };
}

async function ready(host: ReturnType<typeof fakeHost>) {
  let n = 0;
  const store = createAzureStore(host.api, { newOperationId: () => `op-${++n}` });
  await store.getState().refreshStatus();
  await store.getState().loadBatch();
  return store;
}

describe('azure store: batch endpoints and YAML export', () => {
  it('runs a job on the selected batch endpoint, then previews the downloaded predictions', async () => {
    const host = fakeHost();
    const store = await ready(host);
    expect(store.getState().selectedBatchEndpoint).toBe('bep');
    store.getState().setJobInput(' /data/in ');
    store.getState().setJobOutDir('/out');
    await store.getState().runBatchJob();
    expect(host.calls.find((c) => c.method === 'batchInvoke')!.input).toEqual({ subscription: 's', resourceGroup: 'rg', workspace: 'ws', endpoint: 'bep', deployment: null, input: '/data/in', outDir: '/out', operationId: 'op-1' });
    expect(store.getState().batchJob).toMatchObject({ status: 'succeeded', job: 'batchjob-1', azureStatus: 'Completed' });
    expect(store.getState().operation).toMatchObject({ kind: 'batch-job', status: 'succeeded' });
    expect(host.calls.find((c) => c.method === 'batchPreview')!.input).toEqual({ path: '/out/predictions.csv', rows: 20 });
    expect(store.getState().preview).toEqual(PREVIEW);
  });

  it('a job that ends Failed in Azure is shown failed with its name, status and message; no preview', async () => {
    const message = 'Batch job batchjob-9 ended Failed. Its logs are in Azure ML studio; nothing was downloaded.';
    const host = fakeHost({
      batchInvoke: () => {
        throw new AppError('E_AZURE' as never, message, { details: { job: 'batchjob-9', status: 'Failed' } });
      },
    });
    const store = await ready(host);
    store.getState().setJobInput('/in');
    store.getState().setJobOutDir('/out');
    await store.getState().runBatchJob();
    expect(store.getState().batchJob).toMatchObject({ status: 'failed', job: 'batchjob-9', azureStatus: 'Failed', error: { message } });
    expect(store.getState().operation).toMatchObject({ status: 'failed', message });
    expect(host.calls.some((c) => c.method === 'batchPreview')).toBe(false);
  });

  it('asks before replacing an existing predictions file, and runs with overwrite only when told', async () => {
    let first = true;
    const host = fakeHost({
      batchInvoke: () => {
        if (!first) return JOB;
        first = false;
        throw new AppError(ErrorCodes.OUTPUT_EXISTS, '/out/predictions.csv exists already', { details: { file: '/out/predictions.csv' } });
      },
    });
    const store = await ready(host);
    store.getState().setJobInput('/in');
    store.getState().setJobOutDir('/out');
    await store.getState().runBatchJob();
    expect(store.getState().jobConfirmOverwrite).toContain('/out/predictions.csv exists already');
    expect(store.getState().operation).toBeNull();
    await store.getState().runBatchJob(true);
    expect(host.calls.filter((c) => c.method === 'batchInvoke').map((c) => (c.input as { overwrite?: boolean }).overwrite)).toEqual([undefined, true]);
    expect(store.getState().batchJob?.status).toBe('succeeded');
  });

  it('stopping the wait marks the job cancelled (Azure goes on)', async () => {
    const host = fakeHost({
      batchInvoke: () => {
        throw new AppError(ErrorCodes.CANCELLED, 'Stopped waiting for batch job batchjob-2. Azure carries on with it.');
      },
    });
    const store = await ready(host);
    store.getState().setJobInput('/in');
    store.getState().setJobOutDir('/out');
    await store.getState().runBatchJob();
    expect(store.getState().batchJob).toMatchObject({ status: 'cancelled' });
    expect(store.getState().operation).toMatchObject({ status: 'cancelled', message: expect.stringContaining('Azure carries on') });
  });

  it('creates a batch deployment as an operation and selects its endpoint', async () => {
    const host = fakeHost();
    const store = await ready(host);
    store.getState().openBatchForm('/models/m');
    store.getState().setBatchForm({ endpoint: 'bep2' });
    await store.getState().batchDeploy('/models/m', false);
    expect(host.calls.find((c) => c.method === 'batchDeploy')!.input).toMatchObject({ modelDir: '/models/m', endpoint: 'bep2', deployment: 'default', compute: 'cpu-cluster', ignoreFindings: false, operationId: 'op-1' });
    expect(store.getState().operation).toMatchObject({ kind: 'batch-deploy', status: 'succeeded', message: expect.stringContaining('the default of bep') });
    expect(store.getState().batchFormOpen).toBe(false);
  });

  it('exports YAML for the endpoint shown and saves it; files already there wait for the user', async () => {
    let exists = true;
    const host = fakeHost({
      saveFiles: (i: { folder: string; overwrite?: boolean }) => {
        if (exists && !i.overwrite) throw new AppError(ErrorCodes.OUTPUT_EXISTS, 'exists', { details: { file: `${i.folder}/batch-endpoint.yml`, existing: ['batch-endpoint.yml'] } });
        exists = false;
        return { folder: i.folder, written: [`${i.folder}/batch-endpoint.yml`] };
      },
    });
    const store = await ready(host);
    await store.getState().loadExport({ kind: 'batch', endpoint: 'bep' });
    expect(store.getState().exportFiles).toEqual([{ name: 'batch-endpoint.yml', content: 'name: bep\n' }]);
    expect(store.getState().exportSelected).toBe('batch-endpoint.yml');
    await store.getState().browseFolder('exportFolder');
    expect(store.getState().exportFolder).toBe('/picked');
    await store.getState().saveExport();
    expect(store.getState().exportConfirm).toEqual(['batch-endpoint.yml']);
    expect(store.getState().exportSaved).toBeNull();
    await store.getState().saveExport(true);
    expect(store.getState().exportSaved).toEqual({ folder: '/picked', written: ['/picked/batch-endpoint.yml'] });
    expect(host.calls.filter((c) => c.method === 'saveFiles').map((c) => c.input)).toEqual([
      { folder: '/picked', files: [{ name: 'batch-endpoint.yml', content: 'name: bep\n' }] },
      { folder: '/picked', files: [{ name: 'batch-endpoint.yml', content: 'name: bep\n' }], overwrite: true },
    ]);
  });
});
