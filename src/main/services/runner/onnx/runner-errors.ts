import { AppError } from '../../../../shared/errors';

/**
 * Error codes of the local runner. They extend `src/shared/errors.ts` (which the runner does not own);
 * the lead is asked to move them there. Stable once released: key on them, never on message text.
 */
export const RunnerErrorCodes = {
  /** onnxruntime could not create a session for the model (unsupported type, unknown op, bad file). */
  MODEL_LOAD: 'E_MODEL_LOAD',
  /**
   * The model raised while predicting — what Python would raise inside `pyfunc.predict`. `details.python`
   * says which exception Python raises, so the scoring servers can pick their status and body.
   */
  MODEL_RUN: 'E_MODEL_RUN',
  /** The ONNX runtime process died (native abort, out of memory); it is restarted for the next call. */
  RUNTIME_CRASHED: 'E_RUNTIME_CRASHED',
  /** A call took longer than its timeout; the runtime process was killed and is restarted. */
  TIMEOUT: 'E_TIMEOUT',
  /** The model is valid ONNX but needs something onnxruntime-node cannot do (non-tensor inputs/outputs). */
  UNSUPPORTED_MODEL: 'E_UNSUPPORTED_MODEL',
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
