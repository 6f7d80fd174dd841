import { AppError, ErrorCodes } from '../../../shared/errors';
import type { RunResultData } from '../../../shared/ipc/contract';
import type { RunnerService } from '../../services/runner/runner-service';
import type { Handlers } from '../dispatch';

/** What the handlers need from the runner (`services/runner/runner-service.ts`). */
export type ModelRunner = Pick<RunnerService, 'predict' | 'environment'>;

/**
 * `runner.*`: run a model offline and describe its engine. A run can be cancelled by the window that started
 * it (`runner.cancel` with the same opId); a page that goes away cancels its runs through `ctx.signal`.
 */
export function runnerHandlers(deps: { runner: ModelRunner }): Handlers['runner'] {
  const { runner } = deps;
  // Keyed by sender too: one window cannot cancel another's run by guessing its opId.
  const running = new Map<string, AbortController>();
  const keyOf = (senderId: string, opId: string): string => `${senderId}\u0000${opId}`;

  return {
    predict: async (input, ctx) => {
      const controller = new AbortController();
      const key = input.opId ? keyOf(ctx.senderId, input.opId) : null;
      if (key) {
        if (running.has(key)) throw new AppError(ErrorCodes.INVALID_INPUT, `A run with opId ${input.opId} is already in progress; use a new opId per run.`);
        running.set(key, controller);
      }
      const onAbort = (): void => controller.abort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const started = performance.now();
      try {
        const r = await runner.predict(
          { modelPath: input.modelPath, body: input.body, server: input.server, contentType: input.contentType, mlflowVersion: input.mlflowVersion ?? null },
          { signal: controller.signal },
        );
        const result: RunResultData = {
          status: r.status,
          headers: r.headers,
          body_text: r.body_text,
          body: r.body,
          latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
          engine: r.engine,
          loader: r.loader,
          server_log: r.server_log,
          warnings: r.warnings,
          mlflow_version: r.mlflow_version,
        };
        return result;
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
        if (key && running.get(key) === controller) running.delete(key);
      }
    },
    cancel: async ({ opId }, ctx) => {
      const controller = running.get(keyOf(ctx.senderId, opId));
      if (!controller) return { cancelled: false };
      controller.abort();
      return { cancelled: true };
    },
    environment: async ({ modelPath }, ctx) => {
      const env = await runner.environment(modelPath, { signal: ctx.signal });
      if (env.engine === 'onnx') {
        return { engine: 'onnx', summary: `${env.name} runs in onnxruntime-node inside Preflight; no Python is needed.`, python: null };
      }
      const py = env.python;
      const chosen = py?.chosen ?? null;
      const summary = !py
        ? `${env.name} needs Python.`
        : !chosen
          ? `${env.name} needs Python, and no interpreter that can load it was found.`
          : `${env.name} runs in ${chosen.path} (Python ${chosen.version}, ${py.loader === 'mlflow' ? `mlflow ${chosen.mlflowVersion ?? ''}`.trim() : 'no mlflow: the sklearn pickle is read directly'}).`;
      return { engine: 'python', summary, python: py };
    },
  };
}
