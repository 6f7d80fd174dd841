import type { RunnerService } from '../../services/runner/runner-service';
import type { Handlers } from '../dispatch';
import { CancellableRuns } from './cancellable-runs';

/** What the handlers need from the runner (`services/runner/runner-service.ts`). */
export type ModelRunner = Pick<RunnerService, 'predict' | 'environment'>;

/**
 * `runner.*`: run a model offline and describe its engine. A run can be cancelled by the window that started
 * it (`runner.cancel` with the same opId); a page that goes away cancels its runs through `ctx.signal`.
 */
export function runnerHandlers(deps: { runner: ModelRunner }): Handlers['runner'] {
  const { runner } = deps;
  const runs = new CancellableRuns('run');

  return {
    predict: async (input, ctx) => {
      const started = performance.now();
      const answer = await runs.run(ctx, input.opId, (signal) => runner.predict(input, { signal }));
      return { ...answer, latency_ms: Math.round((performance.now() - started) * 1000) / 1000 };
    },
    cancel: async ({ opId }, ctx) => ({ cancelled: runs.cancel(ctx, opId) }),
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
