/**
 * One scoring request prepared for the Python engine, in a form that crosses a thread boundary whole:
 * the payload engine's answer (`prepareScoreRequest`) with what the model receives already encoded for
 * the Python worker's wire (`encodeModelInput`: UTF-8 JSON + raw doubles), and a refusal already written
 * as the server's answer. Nothing in it needs a class or a function on the other side: the version and the
 * warnings are plain data, the input is bytes (transferred, not copied). Runs in the request preparation
 * worker (prepare-worker-main.ts) for large bodies; `RunnerService.score` does the same in-thread for the
 * others, and the answers are the same bytes (prepared-request.test.ts, server-offthread.test.ts).
 */
import { AppError, isAppError } from '@shared/errors';
import { refusalAnswer, type ServerAnswer, type ServerKind } from '@shared/mlflow/output/responses';
import { prepareScoreRequest } from '@shared/mlflow/output/score-request';
import type { ValidateRequestInput } from '@shared/mlflow/payload/validate';
import type { EmulatedVersion } from '@shared/mlflow/payload/version';
import type { PayloadWarning } from '@shared/mlflow/payload/warnings';
import { modelRaisedAnswer } from '../model-raised';
import { buildFeeds, type Feeds, type GraphInput } from '../onnx/feeds';
import { RunnerErrorCodes } from '../onnx/runner-errors';
import { encodeModelInput, type EncodedInput } from '../python/wire-input';

export type PreparedRequest =
  /** The request never reaches the model: `answer` is the server's refusal. */
  | { ok: false; version: EmulatedVersion; warnings: PayloadWarning[]; answer: ServerAnswer }
  /** `unwrapped`: the outcome's (unified-LLM answers are not wrapped in `predictions`). */
  | { ok: true; version: EmulatedVersion; warnings: PayloadWarning[]; unwrapped: boolean; input: EncodedInput };

export function prepareForPython(req: ValidateRequestInput): PreparedRequest {
  const { outcome, version, warnings } = prepareScoreRequest(req);
  if (!outcome.ok || !outcome.input) return { ok: false, version, warnings, answer: refusalAnswer(req.server, outcome) };
  return { ok: true, version, warnings, unwrapped: outcome.unwrapped, input: encodeModelInput(outcome.input, outcome.params) };
}

/** What the ONNX engine needs of a model's graph to build its feeds (`buildFeeds`): plain data from its plan. */
export interface OnnxGraphInputs {
  inputs: readonly GraphInput[];
  relName: string;
}

export type PreparedOnnxRequest =
  /**
   * The request never reaches the runtime: `answer` is the server's refusal (`raised` false), or its answer to the
   * model raising while the feeds were built (`raised` true: MLflow's wrapper raises there, e.g. a missing input).
   */
  | { ok: false; raised: boolean; version: EmulatedVersion; warnings: PayloadWarning[]; answer: ServerAnswer }
  /** `feeds` is null when no graph was given (only the refusal was asked for). */
  | { ok: true; version: EmulatedVersion; warnings: PayloadWarning[]; unwrapped: boolean; feeds: Feeds | null };

/**
 * The ONNX engine's side of `RunnerService.score` up to the runtime: the payload engine's answer, then the feeds
 * the model's graph takes (`buildFeeds`), in the order and with the answers the in-thread path gives. A feeds
 * error that is not the model raising is thrown (the caller's error, as in-thread).
 */
export function prepareForOnnx(req: ValidateRequestInput, graph: OnnxGraphInputs | null): PreparedOnnxRequest {
  const { outcome, version, warnings } = prepareScoreRequest(req);
  if (!outcome.ok || !outcome.input) return { ok: false, raised: false, version, warnings, answer: refusalAnswer(req.server, outcome) };
  const unwrapped = outcome.unwrapped;
  if (!graph) return { ok: true, version, warnings, unwrapped, feeds: null };
  try {
    return { ok: true, version, warnings, unwrapped, feeds: buildFeeds(graph.inputs, outcome.input, graph.relName) };
  } catch (err) {
    const answer = modelRaisedAnswer(req.server, err, { input: outcome.input, version });
    if (!answer) throw err;
    return { ok: false, raised: true, version, warnings, answer };
  }
}

/** An error as data across the thread boundary: an AppError keeps code, message and details; anything else its message. */
export interface ErrorData {
  code: string | null;
  message: string;
  details?: unknown;
}

export function errorToData(err: unknown): ErrorData {
  if (isAppError(err)) return err.details === undefined ? { code: String(err.code), message: err.message } : { code: String(err.code), message: err.message, details: err.details };
  return { code: null, message: err instanceof Error ? err.message : String(err) };
}

export function errorFromData(e: ErrorData): Error {
  return e.code === null ? new Error(e.message) : new AppError(e.code, e.message, e.details === undefined ? undefined : { details: e.details });
}

/**
 * The answer when the model raised (`modelRaisedAnswer`), for a request prepared off-thread: its `ModelIn` is
 * not on this side (2.12's MLflow message prints it), so it is prepared again from the same request —
 * deterministic, and only on this rare path. The ONNX serving process does the same (it keeps no input either).
 */
export function raisedAnswerFor(req: ValidateRequestInput, server: ServerKind, error: ErrorData): ServerAnswer | null {
  // Only the model raising has an answer: anything else is not worth reading the request again for.
  if (error.code !== RunnerErrorCodes.MODEL_RUN) return null;
  const { outcome, version } = prepareScoreRequest(req);
  if (!outcome.ok || !outcome.input) return null;
  return modelRaisedAnswer(server, errorFromData(error), { input: outcome.input, version });
}
