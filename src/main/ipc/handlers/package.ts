import { randomUUID } from 'node:crypto';
import type { AppEvents } from '../../app/events';
import type { PackageInAzure } from '../../services/packaging/azure-step';
import type { PackageService } from '../../services/packaging/package-service';
import type { AzureService } from '../../services/azure/azure-service';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { DialogPort } from '../../ports/dialogs';
import type { Handlers } from '../dispatch';

/** What the handlers need from the packaging service (`services/packaging/package-service.ts`). */
export type Packager = Pick<PackageService, 'build' | 'cancel' | 'verify'>;

/**
 * `package.*`: build an offline package (progress goes out as `package.progress` events), cancel it, verify
 * one. Only the window that started a build can cancel it; a page that goes away cancels it via `ctx.signal`.
 */
export function packageHandlers(deps: { packaging: Packager; events: Pick<AppEvents, 'emit'>; inAzure: Pick<PackageInAzure, 'run' | 'cancel'>; azure: Pick<AzureService, 'workspaceRef'>; dialogs: DialogPort }): Handlers['package'] {
  const { packaging, events, inAzure, azure, dialogs } = deps;
  const owners = new Map<string, string>();
  const azureOwners = new Map<string, string>();
  return {
    build: async (input, ctx) => {
      const operationId = input.operationId ?? randomUUID();
      owners.set(operationId, ctx.senderId);
      try {
        return await packaging.build(input, { operationId, signal: ctx.signal, onProgress: (p) => events.emit('package.progress', p) });
      } finally {
        owners.delete(operationId);
      }
    },
    cancel: async ({ operationId }, ctx) => ({ cancelled: owners.get(operationId) === ctx.senderId && packaging.cancel(operationId) }),
    verify: async ({ path }, ctx) => packaging.verify(path, { signal: ctx.signal }),
    azureRun: async (input, ctx) => {
      const operationId = input.operationId ?? randomUUID();
      azureOwners.set(operationId, ctx.senderId);
      try {
        return await inAzure.run(
          { source: input.source, ref: azure.workspaceRef(input), endpoint: input.endpoint ?? null, deployment: input.deployment, instanceType: input.instanceType, ignoreFindings: input.ignoreFindings, build: { wheels: input.wheels ?? null } },
          { operationId, signal: ctx.signal, onProgress: (p) => events.emit('package.azure-progress', p) },
        );
      } finally {
        azureOwners.delete(operationId);
      }
    },
    pickFile: async () => {
      if (!dialogs.available || !dialogs.pickFile) throw new AppError(ErrorCodes.ENVIRONMENT, 'This host has no native file dialog (browser mode): type or paste the package path.');
      return { path: await dialogs.pickFile({ title: 'Open a Preflight package', extensions: ['gz', 'tgz', 'zip'] }) };
    },
    azureCancel: async ({ operationId }, ctx) => ({ cancelled: azureOwners.get(operationId) === ctx.senderId && inAzure.cancel(operationId) }),
  };
}
