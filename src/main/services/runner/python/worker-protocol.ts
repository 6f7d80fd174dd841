/**
 * The protocol of `resources/python/preflight_worker.py`: one request frame on stdin, one response frame
 * on stdout (worker-frames.ts: JSON header + blob); stderr is a log. Keep in step with the worker's
 * module docstring.
 */
import type { WireInput, WireValue } from './wire-input';
import type { RawJson } from './worker-frames';

export type WorkerRequest =
  | { id: number; op: 'ping' }
  /** `flavors`: MLmodel's flavors as the app parsed them; without them the worker reads MLmodel (needs PyYAML). */
  | { id: number; op: 'load'; model_dir: string; flavors?: Record<string, Record<string, unknown>> }
  /** `model_dir`/`flavors`: the worker loads that model first when this process has not. */
  /** `servers`: the answer bodies to write (default both). `input` as RawJson: a WireInput's JSON, encoded off the main thread. */
  | { id: number; op: 'predict'; input: WireInput | RawJson; params: WireValue | null; servers?: ('mlflow' | 'azureml')[]; model_dir?: string; flavors?: Record<string, Record<string, unknown>> }
  | { id: number; op: 'shutdown' };

/** A Python exception as the worker reports it. */
export interface WorkerException {
  /** `load`, `predict`, `serialize` or `request` (the worker could not act on the request). */
  stage: string;
  /** Python's exception type, qualified outside builtins (e.g. `ValueError`, `mlflow.exceptions.MlflowException`). */
  type: string;
  message: string;
  traceback?: string;
  /** MlflowException.error_code (decides `mlflow models serve`'s HTTP status, payloads.md §3). */
  mlflow_error_code?: string;
}

export interface WorkerLoadResult {
  loader: 'mlflow.pyfunc.load_model' | 'pickle-direct';
  mlflow_version: string | null;
  flavor: string | null;
  model_class: string | null;
  predict_fn: string;
  serialization_format?: string;
  pickled_model?: string;
  notes: string[];
  load_ms: number;
  model_dir: string;
}

/**
 * A body the worker wrote, or (`f64_tolist`) one the app writes from the result's `f64`: json.dumps of a
 * float64 ndarray's tolist(), MLflow's wrapped in `{"predictions": …}` (preflight_worker.py `_f64_doubles`).
 */
export type WorkerBody =
  | { ok: true; body: string; serializer?: 'mlflow' | 'preflight-copy' }
  | { ok: true; f64_tolist: true; serializer?: 'preflight-copy' }
  | { ok: false; error: WorkerException };

export type WorkerPredictResult =
  | {
      ok: true;
      predict_ms: number;
      output: { python_type: string; dtype?: string; shape?: number[]; columns?: string[]; dtypes?: string[]; name?: string | null };
      /** A float64 ndarray's elements (C order, `output.shape`) when a body is `f64_tolist`. */
      f64?: Float64Array;
      /** Present when asked for in `servers`. */
      mlflow?: WorkerBody;
      azureml?: WorkerBody;
    }
  | { ok: false; predict_ms: number; error: WorkerException };

export interface WorkerPingResult {
  protocol: number;
  pid: number;
  python: string;
  executable: string;
  mlflow_version: string | null;
  loaded: boolean;
}

export type WorkerResponse = { id: number | null; ok: true; result: unknown } | { id: number | null; ok: false; error: WorkerException };
