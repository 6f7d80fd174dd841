import { randomUUID } from 'node:crypto';
import type { AppEvents } from '../../app/events';
import { terminalOnlyClipboard } from '../../ports/clipboard';
import type { AzureProgress, AzureService } from '../../services/azure/azure-service';
import type { CallInput } from '@shared/ipc/contract';
import type { Handlers } from '../dispatch';
import { azureFilesHandlers } from './azure-files';
import { azureViewHandlers, type AzureViewDeps } from './azure-view';
import { CancellableRuns } from './cancellable-runs';

/**
 * `azure.*`: the Azure view's calls into AzureService. Workspace fields left out fall back to the saved
 * defaults; progress and the device code go out as events; a page that goes away stops waiting (ctx.signal).
 */
export function azureHandlers(deps: { azure: AzureService; events: Pick<AppEvents, 'emit'> } & Partial<Omit<AzureViewDeps, 'azure' | 'events' | 'runs'>>): Handlers['azure'] {
  const { azure, events } = deps;
  const runs = new CancellableRuns('Azure operation');
  const ref = (i: CallInput<'azure', 'models'>) => azure.workspaceRef(i);
  const progress = (operationId: string) => (p: AzureProgress) => events.emit('azure.progress', { operationId, ...p });
  // A long operation's panel shows its progress only: ARM retries (a throttled call waits up to a minute) go there too.
  const watched = <T>(operationId: string | undefined, fn: (onProgress: (p: AzureProgress) => void) => Promise<T>): Promise<T> => {
    const onProgress = progress(operationId ?? randomUUID());
    return azure.withRetryNotices(onProgress, () => fn(onProgress));
  };
  return {
    status: () => azure.status(),
    loginDeviceCode: ({ tenant, clientId, operationId }, ctx) => runs.run(ctx, operationId, (signal) => azure.login({ method: 'device-code', tenant, clientId, signal, onCode: (p) => events.emit('azure.device-code', p) })),
    logout: () => azure.logout(),
    accounts: () => azure.accounts(),
    useAccount: ({ username }) => azure.useAccount(username),
    workspaces: ({ subscription }) => azure.workspaces(subscription ?? null),
    useWorkspace: (w) => azure.setDefaults(w),
    models: (i) => azure.models(ref(i)),
    endpoints: (i) => azure.endpoints(ref(i)),
    deploy: async (i, ctx) => runs.run(ctx, i.operationId, (signal) => watched(i.operationId, (onProgress) => azure.deploy(ref(i), { modelDir: i.modelDir, endpoint: i.endpoint, deployment: i.deployment, instanceType: i.instanceType, instanceCount: i.instanceCount, authMode: i.authMode, ignoreFindings: i.ignoreFindings, onProgress, signal }))),
    invoke: (i, ctx) => runs.run(ctx, i.operationId, (signal) => azure.invoke(ref(i), { endpoint: i.endpoint, deployment: i.deployment ?? null, body: i.body, contentType: i.contentType, signal })),
    logs: (i) => azure.logs(ref(i), { endpoint: i.endpoint, deployment: i.deployment ?? null, container: i.container, tail: i.tail }),
    exportYaml: (i) => azure.exportYaml(ref(i), i.endpoint),
    deleteEndpoint: (i, ctx) => runs.run(ctx, i.operationId, (signal) => watched(i.operationId, (onProgress) => azure.deleteEndpoint(ref(i), i.endpoint, onProgress, signal))),
    batchEndpoints: async (i) => (await azure.batch()).endpoints(ref(i)),
    batchDeploy: async (i, ctx) => runs.run(ctx, i.operationId, async (signal) => watched(i.operationId, async (onProgress) => (await azure.batch()).deploy(ref(i), { modelDir: i.modelDir, endpoint: i.endpoint, deployment: i.deployment, compute: i.compute, instanceType: i.instanceType, instanceCount: i.instanceCount, miniBatchSize: i.miniBatchSize, ignoreFindings: i.ignoreFindings, onProgress, signal }))),
    batchInvoke: async (i, ctx) => runs.run(ctx, i.operationId, async (signal) => watched(i.operationId, async (onProgress) => (await azure.batch()).invoke(ref(i), { endpoint: i.endpoint, deployment: i.deployment ?? null, input: i.input, outDir: i.outDir, overwrite: i.overwrite, onProgress, signal }))),
    batchExportYaml: async (i) => (await azure.batch()).exportYaml(ref(i), i.endpoint),
    batchDelete: async (i, ctx) => runs.run(ctx, i.operationId, async (signal) => watched(i.operationId, async (onProgress) => (await azure.batch()).deleteEndpoint(ref(i), i.endpoint, onProgress, signal))),
    ...azureFilesHandlers(),
    ...azureViewHandlers({ azure, events, runs, clipboard: deps.clipboard ?? terminalOnlyClipboard, announceSecret: deps.announceSecret, openBrowser: deps.openBrowser }),
  };
}
