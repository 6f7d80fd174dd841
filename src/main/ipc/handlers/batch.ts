import { randomUUID } from 'node:crypto';
import type { AppEvents } from '../../app/events';
import type { BatchService } from '../../services/batch/batch-service';
import type { Handlers } from '../dispatch';
import { CancellableRuns } from './cancellable-runs';

/** What the handlers need from the batch service (`services/batch/batch-service.ts`). */
export type BatchRunner = Pick<BatchService, 'run'>;

/**
 * `batch.*`: run a batch job (progress goes out as `batch.progress` events) and cancel it. Only the
 * window that started a job can cancel it; a page that goes away cancels its jobs through `ctx.signal`
 * (CancellableRuns). A jobId already running for this window is refused.
 */
export function batchHandlers(deps: { batch: BatchRunner; events: Pick<AppEvents, 'emit'> }): Handlers['batch'] {
  const { batch, events } = deps;
  const jobs = new CancellableRuns('batch job');
  return {
    run: async (input, ctx) => {
      const jobId = input.jobId ?? randomUUID();
      return jobs.run(ctx, jobId, (signal) => batch.run(input, { jobId, signal, onProgress: (p) => events.emit('batch.progress', p) }));
    },
    cancel: async ({ jobId }, ctx) => ({ cancelled: jobs.cancel(ctx, jobId) }),
  };
}
