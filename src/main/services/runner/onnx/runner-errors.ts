import { AppError, ErrorCodes } from '@shared/errors';

/** The local runner's error codes; they live in the shared list (src/shared/errors.ts), where each is documented. */
export const RunnerErrorCodes = {
  MODEL_LOAD: ErrorCodes.MODEL_LOAD,
  MODEL_RUN: ErrorCodes.MODEL_RUN,
  RUNTIME_CRASHED: ErrorCodes.RUNTIME_CRASHED,
  TIMEOUT: ErrorCodes.TIMEOUT,
  UNSUPPORTED_MODEL: ErrorCodes.UNSUPPORTED_MODEL,
} as const;

/**
 * What Python raises for the same situation (MLflow's `_OnnxModelWrapper` or onnxruntime's Python API).
 * `mlflowErrorCode` is set for MlflowException only (it decides the HTTP status of `mlflow models serve`,
 * payloads.md §3); any other exception type makes the MLflow server answer 400 BAD_REQUEST.
 */
export interface PythonEquivalent {
  type: string;
  message: string;
  mlflowErrorCode?: string;
}

export function modelRunError(message: string, python: PythonEquivalent, model: string): AppError {
  return new AppError(RunnerErrorCodes.MODEL_RUN, message, { details: { model, python } });
}
