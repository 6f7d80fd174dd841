/**
 * When the model itself raised: the server's error answer, with the engine's full message kept in
 * `server_log`. Shared by `RunnerService.score` (app process) and the ONNX serving process, whose answers
 * must be the same bytes.
 */
import { isAppError } from '@shared/errors';
import type { ModelIn } from '@shared/mlflow/payload/model-input';
import type { EmulatedVersion } from '@shared/mlflow/payload/version';
import { modelFailureAnswer, type PythonFailure, type ServerAnswer, type ServerKind } from '@shared/mlflow/output/responses';
import { RunnerErrorCodes } from './onnx/runner-errors';

/** The Python exception behind an engine error, when the model itself raised. */
function pythonFailureOf(err: unknown): PythonFailure | null {
  if (!isAppError(err) || err.code !== RunnerErrorCodes.MODEL_RUN) return null;
  const python = (err.details as { python?: PythonFailure } | undefined)?.python;
  return python && typeof python.type === 'string' && typeof python.message === 'string' ? python : null;
}

/** The answer to a request whose model run failed with `err`; null when it was not the model raising (rethrow it). */
export function modelRaisedAnswer(server: ServerKind, err: unknown, opts: { input: ModelIn; version: EmulatedVersion }): ServerAnswer | null {
  const python = pythonFailureOf(err);
  if (!python) return null;
  const answer = modelFailureAnswer(server, python, opts);
  return { ...answer, server_log: `${(err as Error).message}${answer.server_log ? `\n${answer.server_log}` : ''}` };
}
