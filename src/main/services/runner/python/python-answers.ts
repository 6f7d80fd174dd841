/**
 * Server answers built from body texts Python itself wrote (the Python engine's `mlflow` / `azureml`
 * ServerBody). They are more exact than re-serializing in TypeScript: Python's json module formats
 * Python's floats, numpy scalars and pandas objects, so the text is taken as is. Status, headers and the
 * failure answers follow `src/shared/mlflow/output/responses.ts` (the ONNX path) exactly.
 */
import { AppError, ErrorCodes } from '@shared/errors';
import type { EmulatedVersion } from '@shared/mlflow/payload/version';
import { answerFromBody, type ServerAnswer, type ServerKind } from '@shared/mlflow/output/responses';
import type { ServerBody } from './python-engine';

/** `json.dump({"predictions": X}, out, cls=NumpyEncoder)` always starts and ends like this (default separators). */
const PREDICTIONS_HEAD = '{"predictions": ';

/**
 * MLflow's unified-LLM route answers the jsonable predictions without the `predictions` wrapper
 * (payloads.md §3); the worker always writes the wrapped form, so unwrap its exact text.
 */
function unwrapPredictions(text: string): string | null {
  return text.startsWith(PREDICTIONS_HEAD) && text.endsWith('}') ? text.slice(PREDICTIONS_HEAD.length, -1) : null;
}

/** The server's answer for a prediction whose bodies Python serialized (statuses and failures as responses.ts). */
export function answerFromPythonBodies(
  server: ServerKind,
  bodies: { mlflow?: ServerBody; azureml?: ServerBody },
  opts: { unwrapped: boolean; version: EmulatedVersion },
): ServerAnswer {
  const b = bodies[server];
  if (!b) throw new AppError(ErrorCodes.INTERNAL, `The Python engine did not return the ${server} body.`);
  const body = b.ok && server === 'mlflow' && opts.unwrapped ? { ok: true as const, text: unwrapPredictions(b.text) ?? b.text } : b;
  return answerFromBody(server, body, opts);
}
