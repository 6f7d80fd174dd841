/**
 * Whole answers of the two scoring servers — status, the headers that matter, exact body text — for a
 * successful prediction, for a request the payload engine refused, and for a model that raised
 * (payloads.md §3, §4, §6; azureml-inference-server 1.5.1 `routes.py` / `aml_response.py`).
 *
 * Per-request headers (`x-request-id`, `x-ms-request-id`, `x-ms-run-fn-exec-ms`, …) are added by the
 * local HTTP server; the answers here are the same for every identical request.
 */
import { fromPlain } from '../payload/py-json';
import type { Cell } from '../payload/frame';
import { modelInStr, type ModelIn } from '../payload/model-input';
import { MLFLOW_EVAL_ERROR, unhandled500, type ServerOutcome } from '../payload/mlflow-server';
import { AZURE_GENERIC_500, AZURE_INTERNAL_500 } from '../payload/azureml-server';
import type { EmulatedVersion } from '../payload/version';
import type { ServerKind } from '../payload/validate';
import { writeObject } from './py-json-text';
import { azureBodyText, mlflowBodyText } from './serialize';
import type { Prediction } from './prediction';

export type { ServerKind };

export interface ServerAnswer {
  /** HTTP status; 0 when the Azure deployment would not even start (no answer at all). */
  status: number;
  /** Lower-case header names → values. */
  headers: Record<string, string>;
  /** The exact body bytes (as text). */
  body_text: string;
  /** What the real server only writes to its log (the error behind a generic answer), or null. */
  server_log: string | null;
}

/** azmlinfsrv's answer when its own json.dumps of the result raises (`all_unhandled_exception`). */
export { AZURE_INTERNAL_500 };

export { MLFLOW_EVAL_ERROR };

/** HTTP status of each MLflow error_code (payloads.md §3). */
export const MLFLOW_ERROR_STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400, INVALID_PARAMETER_VALUE: 400, RESOURCE_ALREADY_EXISTS: 400,
  INTERNAL_ERROR: 500, INVALID_STATE: 500, DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501, TEMPORARILY_UNAVAILABLE: 503, DEADLINE_EXCEEDED: 504,
  REQUEST_LIMIT_EXCEEDED: 429, RESOURCE_EXHAUSTED: 429,
  ABORTED: 409, RESOURCE_CONFLICT: 409, ALREADY_EXISTS: 409,
  NOT_FOUND: 404, ENDPOINT_NOT_FOUND: 404, RESOURCE_DOES_NOT_EXIST: 404,
  PERMISSION_DENIED: 403, UNAUTHENTICATED: 401, CUSTOMER_UNAUTHORIZED: 401, CANCELLED: 499,
};

/** What Python raised inside `model.predict` (the runner's `details.python`). */
export interface PythonFailure {
  type: string;
  message: string;
  /** Set for MlflowException only. */
  mlflowErrorCode?: string;
}

const JSON_CT = 'application/json';

/** Flask and Starlette both label text bodies with `; charset=utf-8`. */
function contentTypeOf(ct: string | null): string {
  if (ct === null) return JSON_CT;
  return /^text\//.test(ct) && !/charset=/i.test(ct) ? `${ct}; charset=utf-8` : ct;
}

/** A JSON error body (plain object) as Python's json.dumps writes it. */
export function pyDumpsPlain(body: unknown): string {
  return writeObject(fromPlain(body) as Cell, 'plain');
}

/** Azure's header on every answer of `/score`: True only when the scoring script (run()) raised or timed out. */
function azureHeaders(runFunctionFailed: boolean, contentType = JSON_CT): Record<string, string> {
  return { 'content-type': contentType, 'x-ms-run-function-failed': runFunctionFailed ? 'True' : 'False' };
}

/** A refusal's body (validate's `body`: a JSON value, or the text of MLflow's text/HTML answers) as the exact bytes the server writes. */
export function refusalBodyText(body: unknown): string {
  return typeof body === 'string' ? body : pyDumpsPlain(body);
}

/** The answer for a request the payload engine refused (its exact status and body). */
export function refusalAnswer(server: ServerKind, outcome: ServerOutcome): ServerAnswer {
  if (server === 'azureml' && outcome.status === 0) return { status: 0, headers: {}, body_text: '', server_log: outcome.serverLog };
  const text = refusalBodyText(outcome.body);
  const contentType = contentTypeOf(outcome.bodyContentType);
  if (server === 'mlflow') return { status: outcome.status, headers: { 'content-type': contentType }, body_text: text, server_log: outcome.serverLog };
  // 400/415 come from the request parser before run(); every 500 after it is the scoring script failing.
  const inScript = outcome.status === 500 && (outcome.body as { message?: unknown } | null)?.message === AZURE_GENERIC_500.message;
  return { status: outcome.status, headers: azureHeaders(inScript, contentType), body_text: text, server_log: outcome.serverLog };
}

/** A prediction's body as the server's serializer wrote it, or the Python exception that serializer raised. */
export type SerializedBody = { ok: true; text: string } | { ok: false; error: { type: string; message: string } };

/**
 * The answer once the model returned and the server's serializer ran (Preflight's TypeScript copy for the
 * ONNX engine, Python's own json for the Python engine). A serializer failure is the server's: MLflow's
 * NumpyEncoder → an unhandled 500 (HTML on Flask, text on FastAPI); Azure's plain `json.dumps` →
 * azmlinfsrv's internal 500, the TypeError only in the log.
 */
export function answerFromBody(server: ServerKind, body: SerializedBody, opts: { version: EmulatedVersion; whyUnencodable?: () => string | undefined }): ServerAnswer {
  if (server === 'mlflow') {
    if (!body.ok) return answerOf(unhandled500(opts.version, `${body.error.type}: ${body.error.message}`));
    return { status: 200, headers: { 'content-type': JSON_CT }, body_text: body.text, server_log: null };
  }
  if (!body.ok) {
    return {
      status: 500,
      headers: azureHeaders(false),
      body_text: pyDumpsPlain(AZURE_INTERNAL_500),
      server_log: `${body.error.type}: ${body.error.message} (azmlinfsrv's json.dumps of the scoring script's result; MLflow's NumpyEncoder would have converted it)${withLine(opts.whyUnencodable?.())}`,
    };
  }
  return { status: 200, headers: azureHeaders(false), body_text: body.text, server_log: null };
}

/**
 * The answer for a successful prediction, serialized by Preflight's copy of each server's serializer.
 * `whyUnencodable` gives the engine's explanation, added to the log line when Azure's json.dumps fails (the 500
 * is right, the generic body says nothing, and the user needs to know what to send instead).
 */
export function successAnswer(server: ServerKind, prediction: Prediction, opts: { unwrapped: boolean; version: EmulatedVersion; whyUnencodable?: () => string | undefined }): ServerAnswer {
  const out = server === 'mlflow' ? mlflowBodyText(prediction, opts.unwrapped) : azureBodyText(prediction);
  return answerFromBody(server, out.ok ? out : { ok: false, error: { type: 'TypeError', message: out.error.message } }, opts);
}

function answerOf(o: ServerOutcome): ServerAnswer {
  return { status: o.status, headers: { 'content-type': contentTypeOf(o.bodyContentType) }, body_text: typeof o.body === 'string' ? o.body : pyDumpsPlain(o.body), server_log: o.serverLog };
}

/**
 * The answer when the model raised. MLflow: an MlflowException keeps its error_code (2.12+ prefixes
 * "Failed to predict data …"), anything else becomes 400 BAD_REQUEST with a stack trace. Azure: the
 * generic 500 with `x-ms-run-function-failed: True`; the real error only reaches the log.
 */
export function modelFailureAnswer(server: ServerKind, failure: PythonFailure, opts: { input: ModelIn; version: EmulatedVersion }): ServerAnswer {
  const log = `${failure.type}: ${failure.message}`;
  if (server === 'azureml') return { status: 500, headers: azureHeaders(true), body_text: pyDumpsPlain(AZURE_GENERIC_500), server_log: log };
  let body: Record<string, string>;
  if (failure.type === 'MlflowException' || failure.type.endsWith('.MlflowException')) {
    const code = failure.mlflowErrorCode ?? 'INTERNAL_ERROR';
    const message = opts.version.era === '2.12' ? `Failed to predict data '${modelInStr(opts.input)}'. \nError: ${failure.message}` : failure.message;
    body = { error_code: code, message };
    return { status: MLFLOW_ERROR_STATUS[code] ?? 500, headers: { 'content-type': JSON_CT }, body_text: pyDumpsPlain(body), server_log: log };
  }
  // traceback.format_exc() of the real server: its frames cannot be reproduced, its last line can.
  const stack = `Traceback (most recent call last):\n  (the Python frames of the real server are not reproduced by Preflight)\n${log}\n`;
  body = { error_code: 'BAD_REQUEST', message: MLFLOW_EVAL_ERROR, stack_trace: stack };
  return { status: 400, headers: { 'content-type': JSON_CT }, body_text: pyDumpsPlain(body), server_log: log };
}

/** `text` on a line of its own after the log line, or nothing. */
function withLine(text: string | undefined): string {
  return text ? `\n${text}` : '';
}
