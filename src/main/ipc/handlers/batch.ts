import { randomUUID } from 'node:crypto';
import type { AppEvents } from '../../app/events';
import type { BatchService } from '../../services/batch/batch-service';
import type { Handlers } from '../dispatch';

/** What the handlers need from the batch service (`services/batch/batch-service.ts`). */
export type BatchRunner = Pick<BatchService, 'run' | 'cancel'>;

/**
 * `batch.*`: run a batch job (progress goes out as `batch.progress` events) and cancel it. Only the
 * window that started a job can cancel it; a page that goes away cancels its jobs through `ctx.signal`.
 */
export function batchHandlers(deps: { batch: BatchRunner; events: Pick<AppEvents, 'emit'> }): Handlers['batch'] {
  const { batch, events } = deps;
  const owners = new Map<string, string>();
  return {
    run: async (input, ctx) => {
      const jobId = input.jobId ?? randomUUID();
      owners.set(jobId, ctx.senderId);
      try {
        return await batch.run(input, { jobId, signal: ctx.signal, onProgress: (p) => events.emit('batch.progress', p) });
      } finally {
        owners.delete(jobId);
      }
    },
    cancel: async ({ jobId }, ctx) => ({ cancelled: owners.get(jobId) === ctx.senderId && batch.cancel(jobId) }),
  };
}
