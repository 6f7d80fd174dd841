/**
 * The Python engine of the local runner: runs MLflow models that need Python (sklearn first) in a
 * long-lived worker process, one per (interpreter, model folder). The worker returns each prediction
 * already serialized as each server writes it, because Python's own json module is the only exact copy
 * of Python's formatting:
 *
 * - `mlflow`: the body `mlflow models serve` answers with — `{"predictions": …}` written by MLflow's
 *   `predictions_to_json` (mlflow's own when the interpreter has it, else Preflight's copy of it with
 *   `NumpyEncoder`, payloads.md §5);
 * - `azureml`: the body of Azure ML's no-code scoring script — `_get_jsonable_obj(result, "records")`
 *   then plain `json.dumps`; `ok: false` with Python's TypeError when that fails (numpy scalars in lists,
 *   dicts of ndarrays, Timestamps), which Azure answers with a 500 (payloads.md §4).
 *
 * Both texts are Python's `json.dumps` output (`", "` / `": "` separators, float repr, bare `NaN` /
 * `Infinity`); parse them with the payload engine's `parsePyJson` when a value is needed. One exception to
 * "Python writes them": a plain float64 ndarray (regressors, predict_proba), whose bodies are json.dumps of
 * its tolist() in both servers (MLflow's through Preflight's copy only), comes back as raw doubles and is
 * written here by output/serialize.ts — the same float repr copy the ONNX engine's answers use — so the
 * worker formats no float (issue 11: that cost as much as the model's predict at 1 000 rows).
 *
 * The model's own exceptions reject with `E_MODEL_RUN` (details.python = {type, message,
 * mlflowErrorCode}, as the ONNX engine does); a dead worker with `E_RUNTIME_CRASHED`, a slow one with
 * `E_TIMEOUT`, a cancel with `E_CANCELLED`; the next call starts a fresh worker.
 */
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import { azureBodyText, mlflowBodyText } from '@shared/mlflow/output/serialize';
import { silentLogger, type Logger } from '../../../ports/logger';
import { RunnerErrorCodes } from '../onnx/runner-errors';
import { PythonWorker } from './python-worker';
import { F64Blob, toWireInput, toWireValue, type EncodedInput, type PredictInput } from './wire-input';
import { RawJson } from './worker-frames';
import type { WorkerBody, WorkerException, WorkerLoadResult, WorkerPredictResult } from './worker-protocol';

export interface PythonEngineOptions {
  /** `<resourcesDir>/python/preflight_worker.py`. */
  workerScript: string;
  logger?: Logger;
  /** Default limit for loading a model (unpickling, importing its libraries). */
  loadTimeoutMs?: number;
  /** Default limit for one predict call. */
  predictTimeoutMs?: number;
  /** Extra environment variables for the worker processes (e.g. PYTHONPATH, MLFLOW_* settings). */
  env?: Record<string, string>;
  /**
   * Asked before a model is loaded (loading runs its code): throws E_UNTRUSTED for a folder the user has
   * not trusted (services/trust/folder-trust.ts). None: every folder may run (tests, embedders).
   */
  trust?: (modelDir: string) => Promise<void>;
}

/** Which model, run by which interpreter. */
export interface PythonModelRef {
  modelDir: string;
  /** Interpreter path (`PythonInterpreter.path` from discovery). */
  python: string;
  /**
   * MLmodel's flavors as inspected (`ModelNeeds.flavors`). Lets the worker load sklearn pickles without
   * PyYAML; without them it reads MLmodel itself.
   */
  flavors?: Record<string, Record<string, unknown>>;
  /**
   * MLflow before 1.29 calls the model's `predict` whatever `python_function.predict_fn` says (docs/fidelity.md §15):
   * the model is loaded in a worker of its own with that key left out of its flavors.
   */
  ignorePredictFn?: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface PythonLoadInfo {
  /** `mlflow.pyfunc.load_model`, or `pickle-direct` when mlflow is absent and the sklearn pickle was read directly. */
  loader: WorkerLoadResult['loader'];
  mlflowVersion: string | null;
  flavor: string | null;
  /** Python class of the loaded model, e.g. `sklearn.linear_model._base.LinearRegression`. */
  modelClass: string | null;
  /** The method predict calls (`python_function.predict_fn`): `predict`, `predict_proba`, … */
  predictFn: string;
  serializationFormat: string | null;
  /** Sentences for the user, e.g. that the pickle was loaded without mlflow. */
  notes: string[];
  loadMs: number;
}

/** The two servers whose answer bodies the worker writes. */
export type BodyServer = 'mlflow' | 'azureml';

/** A body as a server would write it, or the Python exception that stopped the server from writing it. */
export type ServerBody =
  | { ok: true; text: string; serializer?: 'mlflow' | 'preflight-copy' }
  | { ok: false; error: { type: string; message: string } };

/** A prediction with the bodies of the servers `S` that were asked for (`servers`; default both). */
export type PythonPrediction<S extends BodyServer = BodyServer> = PredictionFacts & { [K in S]: ServerBody };

interface PredictionFacts {
  /** What `predict` returned: Python type, and dtype/shape/columns when it is an array or a frame. */
  output: { pythonType: string; dtype?: string; shape?: number[]; columns?: string[]; dtypes?: string[] };
  /** Time inside the model's predict call. */
  predictMs: number;
  /** Time from sending the request to having the answer (includes input rebuilding and serialization). */
  roundTripMs: number;
  load: PythonLoadInfo;
}

interface Entry {
  key: string;
  worker: PythonWorker;
  label: string;
  modelDir: string;
  flavors?: Record<string, Record<string, unknown>>;
  load: PythonLoadInfo | null;
  /** Worker process generation the model was loaded in. */
  loadedIn: number;
  /** MLmodel mtime at load: a re-saved model is reloaded. */
  mtimeMs: number | null;
  loading: Promise<PythonLoadInfo> | null;
}

export const DEFAULT_LOAD_TIMEOUT_MS = 120_000;
export const DEFAULT_PREDICT_TIMEOUT_MS = 60_000;

export class PythonEngine {
  private readonly entries = new Map<string, Entry>();
  private readonly logger: Logger;
  private disposed = false;

  constructor(private readonly options: PythonEngineOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Worker script inside a resources folder. */
  static workerScriptIn(resourcesDir: string): string {
    return join(resourcesDir, 'python', 'preflight_worker.py');
  }

  /** Loads the model (starting its worker) unless the running worker has it already. */
  async load(ref: PythonModelRef, options: RunOptions = {}): Promise<PythonLoadInfo> {
    return this.ensureLoaded(this.entry(ref), options);
  }

  /**
   * Runs predict on what the model receives (payload engine's `ModelIn` or its `ModelReceives` description).
   * `servers`: the bodies wanted (default both); the worker serializes only those.
   */
  async predict<S extends BodyServer = BodyServer>(
    ref: PythonModelRef,
    input: PredictInput,
    options: RunOptions & { params?: unknown; servers?: readonly S[] } = {},
  ): Promise<PythonPrediction<S>> {
    const entry = this.entry(ref);
    const load = await this.ensureLoaded(entry, options);
    // Encoded off the main thread already (runner/prepare/): its bytes go into the frame as they are.
    const encoded = input.kind === 'encoded' ? input : null;
    const blob = new F64Blob();
    const wire = encoded ? new RawJson(encoded.json) : toWireInput(input as Exclude<PredictInput, EncodedInput>, blob);
    const params = encoded ? encoded.params : options.params === undefined || options.params === null ? null : toWireValue(options.params);
    const servers: readonly BodyServer[] = options.servers ?? ['mlflow', 'azureml'];
    const started = performance.now();
    const r = await entry.worker.call<WorkerPredictResult>(
      { op: 'predict', input: wire, params, servers: [...servers], model_dir: entry.modelDir, ...(entry.flavors ? { flavors: entry.flavors } : {}) },
      { timeoutMs: options.timeoutMs ?? this.options.predictTimeoutMs ?? DEFAULT_PREDICT_TIMEOUT_MS, signal: options.signal, doing: 'predicting', blob: encoded ? encoded.blob : blob.toBuffer() },
    );
    const roundTripMs = performance.now() - started;
    if (!r.ok) throw modelRaised(entry.label, r.error);
    const { python_type, ...rest } = r.output;
    const bodies: Partial<Record<BodyServer, ServerBody>> = {};
    for (const s of servers) {
      const b = r[s];
      if (!b) throw new AppError(ErrorCodes.INTERNAL, `${entry.label}: the Python worker did not write the ${s} body it was asked for.`);
      bodies[s] = body(s, b, r.f64, r.output.shape);
    }
    return {
      output: { pythonType: python_type, ...stripNull(rest) },
      ...(bodies as { [K in S]: ServerBody }),
      predictMs: r.predict_ms,
      roundTripMs,
      load,
    } as PythonPrediction<S>;
  }

  /** Process facts for one model's worker (tests and the status bar). */
  processInfo(ref: PythonModelRef): { running: boolean; pid: number | undefined; starts: number } | null {
    const e = this.entries.get(keyOf(ref));
    return e ? { running: e.worker.running, pid: e.worker.pid, starts: e.worker.starts } : null;
  }

  /** Stops one model's worker (e.g. when the user closes the model). */
  async release(ref: PythonModelRef): Promise<void> {
    const key = keyOf(ref);
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    await e.worker.dispose();
  }

  /** Stops every worker; later calls are refused. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.worker.dispose()));
  }

  private entry(ref: PythonModelRef): Entry {
    if (this.disposed) throw new AppError(ErrorCodes.CANCELLED, 'The Python engine was shut down.');
    const key = keyOf(ref);
    let e = this.entries.get(key);
    if (!e) {
      const modelDir = resolve(ref.modelDir);
      const label = basename(modelDir);
      e = {
        key,
        label,
        modelDir,
        flavors: ref.flavors,
        load: null,
        loadedIn: -1,
        mtimeMs: null,
        loading: null,
        worker: new PythonWorker({
          python: ref.python,
          script: this.options.workerScript,
          cwd: modelDir,
          env: this.options.env,
          label,
          onStderr: (line) => this.logger.info(`[python ${label}] ${line}`),
        }),
      };
      this.entries.set(key, e);
    }
    return e;
  }

  /**
   * Concurrent callers share one load (the first caller's timeout and signal govern it). The model is
   * loaded again when the worker restarted or MLmodel changed on disk since the last load.
   */
  private ensureLoaded(e: Entry, options: RunOptions): Promise<PythonLoadInfo> {
    if (e.loading) return e.loading;
    const loading = (async (): Promise<PythonLoadInfo> => {
      await this.options.trust?.(e.modelDir);
      const mtime = mlmodelMtime(e.modelDir);
      if (e.load && e.worker.running && e.loadedIn === e.worker.generation && mtime === e.mtimeMs) return e.load;
      const r = await e.worker.call<WorkerLoadResult>(
        { op: 'load', model_dir: e.modelDir, ...(e.flavors ? { flavors: e.flavors } : {}) },
        { timeoutMs: options.timeoutMs ?? this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, signal: options.signal, doing: 'loading the model' },
      );
      const info: PythonLoadInfo = {
        loader: r.loader,
        mlflowVersion: r.mlflow_version,
        flavor: r.flavor,
        modelClass: r.model_class,
        predictFn: r.predict_fn,
        serializationFormat: r.serialization_format ?? null,
        notes: r.notes,
        loadMs: r.load_ms,
      };
      e.load = info;
      e.loadedIn = e.worker.generation;
      e.mtimeMs = mtime;
      for (const n of info.notes) this.logger.info(`[python ${e.label}] ${n}`);
      return info;
    })();
    e.loading = loading;
    const clear = (): void => {
      if (e.loading === loading) e.loading = null;
    };
    loading.then(clear, clear);
    return loading;
  }
}

function keyOf(ref: PythonModelRef): string {
  return `${ref.python}\u0000${resolve(ref.modelDir)}${ref.ignorePredictFn ? '\u0000predict' : ''}`;
}

/**
 * Synchronous on purpose: it runs before every predict, and an async stat is a round trip through libuv's
 * thread pool — one more thread wake-up per request, which costs milliseconds on a loaded machine
 * (issue 11's per-request overhead) against microseconds for the stat itself.
 */
function mlmodelMtime(modelDir: string): number | null {
  try {
    return statSync(join(modelDir, 'MLmodel')).mtimeMs;
  } catch {
    return null;
  }
}

function body(server: BodyServer, b: WorkerBody, f64: Float64Array | undefined, shape: number[] | undefined): ServerBody {
  if (!b.ok) return { ok: false, error: { type: b.error.type, message: b.error.message } };
  const serializer = b.serializer ? { serializer: b.serializer } : {};
  if ('body' in b) return { ok: true, text: b.body, ...serializer };
  if (!f64 || !shape) throw new AppError(ErrorCodes.INTERNAL, `The Python worker sent the ${server} body as doubles without them.`);
  // json.dumps(result.tolist()) of a float64 ndarray: Python's float repr, as the ONNX engine's answers write it.
  const doubles = { kind: 'ndarray', dtype: 'float64', shape, data: f64 } as const;
  const text = server === 'mlflow' ? mlflowBodyText(doubles) : azureBodyText(doubles);
  if (!text.ok) throw text.error; // never: float64 arrays are always JSON-serializable
  return { ok: true, text: text.text, ...serializer };
}

function stripNull<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]: Exclude<T[K], null> };
}

function modelRaised(label: string, e: WorkerException): AppError {
  return new AppError(RunnerErrorCodes.MODEL_RUN, `${label}: the model raised ${e.type}: ${e.message}`, {
    details: { model: label, python: { type: e.type, message: e.message, mlflowErrorCode: e.mlflow_error_code }, traceback: e.traceback },
  });
}
