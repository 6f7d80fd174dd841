import { AppError, ErrorCodes } from '@shared/errors';
import { COMPARE_DEFAULTS, type CompareInputData } from '@shared/ipc/compare-contract';
import { REPLAY_DEFAULTS } from '@shared/ipc/replay-contract';
import type { CompareHistory } from '../../services/compare/compare-history';
import type { CompareInput, CompareService } from '../../services/compare/compare-service';
import { csvHead, type ReplayService } from '../../services/compare/replay-service';
import type { AppEvents } from '../../app/events';
import type { Handlers } from '../dispatch';
import { CancellableRuns } from './cancellable-runs';

type SendOptions = Omit<CompareInput, 'body' | 'contentType' | 'maxMismatchRows'>;

/** What a single compare and a replay share, with the contract's defaults filled in. */
function sendOptions(input: Omit<CompareInputData, 'body' | 'contentType'>): SendOptions {
  return {
    modelPath: input.modelPath,
    targets: input.targets,
    headers: input.headers ?? [],
    tolerance: input.tolerance ?? COMPARE_DEFAULTS.tolerance,
    ...(input.perOutput ? { perOutput: input.perOutput } : {}),
    timeoutMs: input.timeoutMs ?? COMPARE_DEFAULTS.timeoutMs,
    mlflowVersion: input.mlflowVersion ?? null,
  };
}

/** `compare.*`: thin adapter over the compare service; a run can be cancelled by the window that started it. */
export function compareHandlers(deps: {
  compare: Pick<CompareService, 'run'>;
  history: Pick<CompareHistory, 'add' | 'list'>;
  replay: Pick<ReplayService, 'run'>;
  events: Pick<AppEvents, 'emit'>;
}): Handlers['compare'] {
  // One registry for single compares and replays, so compare.cancel stops either by its opId.
  const runs = new CancellableRuns('comparison');
  return {
    run: async (input, ctx) => {
      return runs.run(ctx, input.opId, async (signal) => {
        const request: CompareInput = { ...sendOptions(input), body: input.body, contentType: input.contentType };
        const result = await deps.compare.run(request, { signal });
        if (signal.aborted) throw new AppError(ErrorCodes.CANCELLED, 'The comparison was cancelled.');
        await deps.history.add(input, result);
        return result;
      });
    },
    replay: async (input, ctx) => {
      const opId = input.opId ?? `replay-${Date.now().toString(36)}`;
      return runs.run(ctx, opId, (signal) =>
        deps.replay.run(
          { ...sendOptions(input), source: input.source, rowsPerRequest: input.rowsPerRequest ?? REPLAY_DEFAULTS.rowsPerRequest },
          { opId, signal, onProgress: (p) => deps.events.emit('compare.replay-progress', p) },
        ),
      );
    },
    csvRows: async ({ path, rows }, ctx) => ({ ...(await csvHead(path, rows, ctx.signal)), contentType: 'text/csv' as const }),
    history: async ({ query, limit }) => deps.history.list(query ?? '', limit ?? 50),
    cancel: async ({ opId }, ctx) => ({ cancelled: runs.cancel(ctx, opId) }),
  };
}
