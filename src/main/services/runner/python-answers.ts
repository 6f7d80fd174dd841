/**
 * Server answers built from body texts Python itself wrote (the Python engine's `mlflow` / `azureml`
 * ServerBody). They are more exact than re-serializing in TypeScript: Python's json module formats
 * Python's floats, numpy scalars and pandas objects, so the text is taken as is. Status, headers and the
 * failure answers follow `src/shared/mlflow/output/responses.ts` (the ONNX path) exactly.
 */
import { unhandled500 } from '../../../shared/mlflow/payload/mlflow-server';
import type { EmulatedVersion } from '../../../shared/mlflow/payload/version';
import { AZURE_INTERNAL_500, pyDumpsPlain, type ServerAnswer, type ServerProfile } from '../../../shared/mlflow/output/responses';
import type { ServerBody } from './python/python-engine';

const JSON_CT = 'application/json';

/** `json.dump({"predictions": X}, out, cls=NumpyEncoder)` always starts and ends like this (default separators). */
const PREDICTIONS_HEAD = '{"predictions": ';

/** Flask and Starlette label text bodies with `; charset=utf-8` (same rule as responses.ts). */
function contentTypeOf(ct: string | null): string {
  if (ct === null) return JSON_CT;
  return /^text\//.test(ct) && !/charset=/i.test(ct) ? `${ct}; charset=utf-8` : ct;
}

/**
 * MLflow's unified-LLM route answers the jsonable predictions without the `predictions` wrapper
 * (payloads.md §3); the worker always writes the wrapped form, so unwrap its exact text.
 */
function unwrapPredictions(text: string): string | null {
  return text.startsWith(PREDICTIONS_HEAD) && text.endsWith('}') ? text.slice(PREDICTIONS_HEAD.length, -1) : null;
}

/**
 * The server's answer for a prediction whose bodies Python serialized. `ok:false` means the server's own
 * serializer raised: MLflow's NumpyEncoder → an unhandled 500 (HTML on Flask, text on FastAPI); Azure's
 * plain `json.dumps` → azmlinfsrv's generic 500, the TypeError only in the log.
 */
export function answerFromPythonBodies(
  server: ServerProfile,
  bodies: { mlflow: ServerBody; azureml: ServerBody },
  opts: { unwrapped: boolean; version: EmulatedVersion },
): ServerAnswer {
  if (server === 'mlflow') {
    const b = bodies.mlflow;
    if (!b.ok) {
      const o = unhandled500(opts.version, `${b.error.type}: ${b.error.message}`);
      return { status: o.status, headers: { 'content-type': contentTypeOf(o.bodyContentType) }, body_text: typeof o.body === 'string' ? o.body : pyDumpsPlain(o.body), server_log: o.serverLog };
    }
    const text = opts.unwrapped ? (unwrapPredictions(b.text) ?? b.text) : b.text;
    return { status: 200, headers: { 'content-type': JSON_CT }, body_text: text, server_log: null };
  }
  const b = bodies.azureml;
  if (!b.ok) {
    return {
      status: 500,
      headers: { 'content-type': JSON_CT, 'x-ms-run-function-failed': 'False' },
      body_text: pyDumpsPlain(AZURE_INTERNAL_500),
      server_log: `${b.error.type}: ${b.error.message} (azmlinfsrv's json.dumps of the scoring script's result; MLflow's NumpyEncoder would have converted it)`,
    };
  }
  return { status: 200, headers: { 'content-type': JSON_CT, 'x-ms-run-function-failed': 'False' }, body_text: b.text, server_log: null };
}
