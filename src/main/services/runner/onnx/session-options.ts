/**
 * The onnx flavor's `onnx_session_options` (MLmodel) → onnxruntime-node session options, with the same
 * rules as MLflow's `_OnnxModelWrapper.__init__` (mlflow/onnx/__init__.py): each setting applies only
 * when truthy (so `0` means "onnxruntime's default"), execution_mode is matched case-insensitively and
 * an unknown word is ignored, graph_optimization_level must be a GraphOptimizationLevel value, and
 * extra_session_config entries go through `add_session_config_entry`. CPU only: the `providers` list is
 * not used (Preflight runs no GPU provider).
 */
import { AppError } from '@shared/errors';
import { RunnerErrorCodes } from './runner-errors';

/** The subset of onnxruntime-node's `InferenceSession.SessionOptions` Preflight sets; plain data (crosses IPC). */
export interface OrtSessionOptions {
  interOpNumThreads?: number;
  intraOpNumThreads?: number;
  executionMode?: 'sequential' | 'parallel';
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Session config entries, flat `key → value` (onnxruntime-node 1.30 honours them; checked). */
  extra?: Record<string, string>;
}

/** onnxruntime.GraphOptimizationLevel values. */
const GRAPH_LEVELS: Readonly<Record<number, OrtSessionOptions['graphOptimizationLevel']>> = {
  0: 'disabled',
  1: 'basic',
  2: 'extended',
  99: 'all',
};

const truthy = (v: unknown): boolean =>
  !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0));

/**
 * @param raw the flavor's `onnx_session_options` value as parsed from MLmodel (anything; null when absent)
 * @param where how messages name the setting, e.g. `MLmodel flavors.onnx.onnx_session_options`
 */
export function toOrtSessionOptions(raw: unknown, where = 'MLmodel flavors.onnx.onnx_session_options'): OrtSessionOptions {
  const out: OrtSessionOptions = {};
  if (!truthy(raw)) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw bad(where, `must be a mapping of option names to values, got ${JSON.stringify(raw)}`);
  }
  const o = raw as Record<string, unknown>;
  for (const key of ['inter_op_num_threads', 'intra_op_num_threads'] as const) {
    const v = o[key];
    if (!truthy(v)) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`${where}.${key}`, `must be a non-negative integer, got ${JSON.stringify(v)}`);
    if (key === 'inter_op_num_threads') out.interOpNumThreads = v;
    else out.intraOpNumThreads = v;
  }
  const mode = o.execution_mode;
  if (truthy(mode)) {
    if (typeof mode !== 'string') throw bad(`${where}.execution_mode`, `must be 'sequential' or 'parallel', got ${JSON.stringify(mode)} (MLflow calls .upper() on it and fails)`);
    const m = mode.toUpperCase();
    if (m === 'SEQUENTIAL') out.executionMode = 'sequential';
    else if (m === 'PARALLEL') out.executionMode = 'parallel';
    // Any other word: MLflow silently keeps onnxruntime's default, and so do we.
  }
  const level = o.graph_optimization_level;
  if (truthy(level)) {
    const name = typeof level === 'number' ? GRAPH_LEVELS[level] : undefined;
    if (name === undefined) throw bad(`${where}.graph_optimization_level`, `${JSON.stringify(level)} is not a valid GraphOptimizationLevel; use 0 (disabled), 1 (basic), 2 (extended) or 99 (all)`);
    out.graphOptimizationLevel = name;
  }
  const extra = o.extra_session_config;
  if (truthy(extra)) {
    if (typeof extra !== 'object' || Array.isArray(extra)) throw bad(`${where}.extra_session_config`, `must be a mapping of config keys to string values, got ${JSON.stringify(extra)}`);
    out.extra = {};
    for (const [k, v] of Object.entries(extra as Record<string, unknown>)) {
      if (typeof v !== 'string') throw bad(`${where}.extra_session_config.${k}`, `must be a string (onnxruntime's add_session_config_entry takes strings), got ${JSON.stringify(v)}`);
      Object.defineProperty(out.extra, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

function bad(where: string, what: string): AppError {
  return new AppError(RunnerErrorCodes.MODEL_LOAD, `${where} ${what}. MLflow fails to load the model with this setting; fix it in MLmodel.`, { details: { setting: where } });
}
