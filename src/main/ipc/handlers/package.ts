import { randomUUID } from 'node:crypto';
import type { AppEvents } from '../../app/events';
import type { PackageService } from '../../services/packaging/package-service';
import type { Handlers } from '../dispatch';

/** What the handlers need from the packaging service (`services/packaging/package-service.ts`). */
export type Packager = Pick<PackageService, 'build' | 'cancel' | 'verify'>;

/**
 * `package.*`: build an offline package (progress goes out as `package.progress` events), cancel it, verify
 * one. Only the window that started a build can cancel it; a page that goes away cancels it via `ctx.signal`.
 */
export function packageHandlers(deps: { packaging: Packager; events: Pick<AppEvents, 'emit'> }): Handlers['package'] {
  const { packaging, events } = deps;
  const owners = new Map<string, string>();
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
  };
}
