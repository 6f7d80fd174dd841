/**
 * Messages between the app's main thread and its request preparation worker (a `worker_threads` worker,
 * bundled to `prepare-worker.js`). Structured clone: plain data, typed arrays transferred.
 */
import type { ServerAnswer, ServerKind } from '@shared/mlflow/output/responses';
import type { ConvertRequestInput, ConvertResult } from '@shared/mlflow/payload/convert';
import type { ValidateRequestInput, ValidationResult } from '@shared/mlflow/payload/validate';
import type { ErrorData, OnnxGraphInputs, PreparedOnnxRequest, PreparedRequest } from './prepared-request';

/** One piece of payload-engine work on a user-sized body; each op's answer type is in `PrepareResult`. */
export type PrepareOp =
  /** A Python-engine model's request: refusal or wire bytes (`prepareForPython`). */
  | { op: 'prepare'; req: ValidateRequestInput }
  /** The model raised while running a request prepared here: the server's answer for it (`raisedAnswerFor`). */
  | { op: 'raised'; req: ValidateRequestInput; server: ServerKind; error: ErrorData }
  /** `payload.validate` (`validateRequest`). */
  | { op: 'validate'; req: ValidateRequestInput }
  /** `payload.convert` (`convertRequest`). */
  | { op: 'convert'; req: ConvertRequestInput }
  /** An ONNX model's request: refusal, the model raising, or its feeds (`prepareForOnnx`). */
  | { op: 'onnx'; req: ValidateRequestInput; graph: OnnxGraphInputs | null }
  /** `predict`'s JSON view of a large answer (`bodyView`: Python's JSON read again). */
  | { op: 'view'; bodyText: string; contentType: string | undefined };

export interface PrepareResult {
  prepare: PreparedRequest;
  raised: ServerAnswer | null;
  validate: ValidationResult;
  convert: ConvertResult;
  onnx: PreparedOnnxRequest;
  view: unknown;
}

export type PrepareMessage = PrepareOp & { id: number };

export type PrepareReply =
  /** Sent once, when the worker's module has loaded. */
  | { ready: true }
  | { id: number; ok: true; result: PrepareResult[PrepareOp['op']] }
  | { id: number; ok: false; error: ErrorData };
