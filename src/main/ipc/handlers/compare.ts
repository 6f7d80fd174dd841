import { AppError, ErrorCodes } from '../../../shared/errors';
import { COMPARE_DEFAULTS } from '../../../shared/ipc/compare-contract';
import type { CompareHistory } from '../../services/compare/compare-history';
import type { CompareInput, CompareService } from '../../services/compare/compare-service';
import type { Handlers } from '../dispatch';

/** `compare.*`: thin adapter over the compare service; a run can be cancelled by the window that started it. */
export function compareHandlers(deps: { compare: Pick<CompareService, 'run'>; history: Pick<CompareHistory, 'add' | 'list'> }): Handlers['compare'] {
  const running = new Map<string, AbortController>();
  const keyOf = (senderId: string, opId: string): string => `${senderId}\u0000${opId}`;
  return {
    run: async (input, ctx) => {
      const controller = new AbortController();
      const key = input.opId ? keyOf(ctx.senderId, input.opId) : null;
      if (key) {
        if (running.has(key)) throw new AppError(ErrorCodes.INVALID_INPUT, `A comparison with opId ${input.opId} is already in progress; use a new opId per run.`);
        running.set(key, controller);
      }
      const onAbort = (): void => controller.abort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const request: CompareInput = {
          modelPath: input.modelPath,
          body: input.body,
          contentType: input.contentType,
          targets: input.targets,
          headers: input.headers ?? [],
          tolerance: input.tolerance ?? COMPARE_DEFAULTS.tolerance,
          ...(input.perOutput ? { perOutput: input.perOutput } : {}),
          timeoutMs: input.timeoutMs ?? COMPARE_DEFAULTS.timeoutMs,
          mlflowVersion: input.mlflowVersion ?? null,
        };
        const result = await deps.compare.run(request, { signal: controller.signal });
        if (controller.signal.aborted) throw new AppError(ErrorCodes.CANCELLED, 'The comparison was cancelled.');
        await deps.history.add(request, result);
        return result;
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
        if (key) running.delete(key);
      }
    },
    history: async ({ query, limit }) => deps.history.list(query ?? '', limit ?? 50),
    cancel: async ({ opId }, ctx) => {
      const c = running.get(keyOf(ctx.senderId, opId));
      c?.abort();
      return { cancelled: c !== undefined };
    },
  };
}
