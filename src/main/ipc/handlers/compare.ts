import { AppError, ErrorCodes } from '../../../shared/errors';
import type { CompareHistory } from '../../services/compare/compare-history';
import type { CompareService } from '../../services/compare/compare-service';
import type { Handlers } from '../dispatch';
import { CancellableRuns } from './cancellable-runs';

/** `compare.*`: thin adapter over the compare service; a run can be cancelled by the window that started it. */
export function compareHandlers(deps: { compare: Pick<CompareService, 'run'>; history: Pick<CompareHistory, 'add' | 'list'> }): Handlers['compare'] {
  const runs = new CancellableRuns('comparison');
  return {
    run: async (input, ctx) => {
      const run = runs.start(ctx, input.opId);
      try {
        const result = await deps.compare.run(input, { signal: run.signal });
        if (run.signal.aborted) throw new AppError(ErrorCodes.CANCELLED, 'The comparison was cancelled.');
        await deps.history.add(input, result);
        return result;
      } finally {
        run.end();
      }
    },
    history: async ({ query, limit }) => deps.history.list(query, limit),
    cancel: async ({ opId }, ctx) => ({ cancelled: runs.cancel(ctx, opId) }),
  };
}
