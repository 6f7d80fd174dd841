import { randomUUID } from 'node:crypto';
import type { AppEvents } from '../../app/events';
import type { PackageInAzure } from '../../services/packaging/azure-step';
import type { PackageService } from '../../services/packaging/package-service';
import type { AzureService } from '../../services/azure/azure-service';
import { AppError, ErrorCodes } from '@shared/errors';
import type { DialogPort } from '../../ports/dialogs';
import type { Handlers } from '../dispatch';
import { CancellableRuns } from './cancellable-runs';

/** What the handlers need from the packaging service (`services/packaging/package-service.ts`). */
export type Packager = Pick<PackageService, 'build' | 'verify'>;

/**
 * `package.*`: build an offline package (progress goes out as `package.progress` events), cancel it, verify
 * one. Only the window that started a build can cancel it; a page that goes away cancels it via `ctx.signal`
 * (CancellableRuns, as runner/compare/azure). An operationId already in progress for this window is refused.
 */
export function packageHandlers(deps: { packaging: Packager; events: Pick<AppEvents, 'emit'>; inAzure: Pick<PackageInAzure, 'run'>; azure: Pick<AzureService, 'workspaceRef'>; dialogs: DialogPort }): Handlers['package'] {
  const { packaging, events, inAzure, azure, dialogs } = deps;
  const builds = new CancellableRuns('package build');
  const azureRuns = new CancellableRuns('package.azureRun');
  return {
    build: async (input, ctx) => {
      const operationId = input.operationId ?? randomUUID();
      return builds.run(ctx, operationId, (signal) => packaging.build(input, { operationId, signal, onProgress: (p) => events.emit('package.progress', p) }));
    },
    cancel: async ({ operationId }, ctx) => ({ cancelled: builds.cancel(ctx, operationId) }),
    verify: async ({ path }, ctx) => packaging.verify(path, { signal: ctx.signal }),
    azureRun: async (input, ctx) => {
      const operationId = input.operationId ?? randomUUID();
      return azureRuns.run(ctx, operationId, (signal) =>
        inAzure.run(
          { source: input.source, ref: azure.workspaceRef(input), endpoint: input.endpoint ?? null, deployment: input.deployment, instanceType: input.instanceType, ignoreFindings: input.ignoreFindings, build: { wheels: input.wheels ?? null } },
          { operationId, signal, onProgress: (p) => events.emit('package.azure-progress', p) },
        ),
      );
    },
    pickFile: async () => {
      if (!dialogs.available || !dialogs.pickFile) throw new AppError(ErrorCodes.ENVIRONMENT, 'This host has no native file dialog (browser mode): type or paste the package path.');
      return { path: await dialogs.pickFile({ title: 'Open a Preflight package', extensions: ['gz', 'tgz', 'zip'] }) };
    },
    azureCancel: async ({ operationId }, ctx) => ({ cancelled: azureRuns.cancel(ctx, operationId) }),
  };
}
