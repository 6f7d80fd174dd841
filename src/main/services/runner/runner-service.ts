/**
 * `RunnerService`: answers a scoring request for a model folder exactly as `mlflow models serve` or an
 * Azure ML no-code online endpoint would (issue 4): the payload engine decides whether the request gets
 * to the model and what the model receives, an engine runs the model, and the output serializers write
 * the server's answer byte for byte.
 *
 *   const runner = new RunnerService({ onnx: new OnnxEngine() });
 *   const answer = await runner.predict({ modelPath, body, contentType: 'application/json', server: 'azureml' });
 *   // { status, headers, body, body_text, server_log, warnings, mlflow_version, engine }
 *
 * Engines: ONNX (onnxruntime-node in a worker process) for models whose MLmodel has only the `onnx`
 * flavor or a `python_function` flavor with `loader_module: mlflow.onnx`, and for bare `.onnx` files;
 * every other flavor needs the Python engine (plugged in through `PythonEngineAdapter`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import type { CallOutput, EngineKindSchema, ModelRequest } from '@shared/ipc/contract';
import type { ModelReport } from '@shared/mlflow/model-report';
import type { ModelIn } from '@shared/mlflow/payload/model-input';
import type { PyDict } from '@shared/mlflow/payload/py-json';
import { bodyView } from '@shared/mlflow/output/body-view';
import { refusalAnswer, successAnswer, type ServerAnswer, type ServerKind } from '@shared/mlflow/output/responses';
import { prepareScoreRequest } from '@shared/mlflow/output/score-request';
import { silentLogger, type Logger } from '../../ports/logger';
import type { ModelReader } from '../../ports/model-reader';
import { ModelService } from '../model/model-service';
import { InspectedModelCache, requestFor, type PayloadModelContext } from '../payload/model-context';
import { OnnxEngine, type OnnxModelRef } from './onnx/onnx-engine';
import { azureUnencodableReason, fromOnnxPrediction } from './onnx/prediction-view';
import { modelRaisedAnswer } from './model-raised';
import { RunnerErrorCodes } from './onnx/runner-errors';
import { OffThreadPreparer, offThreadMinCharsFromEnv } from './prepare/offthread-preparer';
import { errorToData, prepareForOnnx, raisedAnswerFor, type PreparedOnnxRequest } from './prepare/prepared-request';
import { answerFromPythonBodies } from './python/python-answers';
import type { LoaderInfo, PythonEnvironment, PythonRunResult } from './python/python-runner';
import type { EncodedInput } from './python/wire-input';
import type { NodeWorkerLauncher } from '../../ports/worker-process';
import { pyfuncPredictFn } from '@shared/mlflow/payload/mlflow-1x-server';
import { versionInfo, type EmulatedVersion } from '@shared/mlflow/payload/version';

export type EngineKind = z.output<typeof EngineKindSchema>;

/**
 * What the Python engine must offer to plug in (`PythonRunner` in python-runner.ts): run the model
 * folder's pyfunc on what the payload engine says it receives, and return each server's body text as
 * Python serialized it (exact by construction) plus the loader that ran. A model exception must be an
 * AppError `E_MODEL_RUN` with `details.python: {type, message, mlflowErrorCode?}` so the servers can shape
 * their error answers; anything else is reported as Preflight's own failure.
 */
export interface PythonEngineAdapter {
  /** `server`: the one body wanted (the worker then serializes only that); none: both. */
  /** `input`: the payload engine's `ModelIn`, or one encoded off the main thread already (its params inside; `params` is then null). */
  predict(model: { modelPath: string; report: ModelReport }, input: ModelIn | EncodedInput, params: PyDict | null, options: { signal?: AbortSignal; server?: ServerKind }): Promise<PythonRunResult>;
  /** Interpreters found for the model, its pins against the chosen one (`runner.environment`). */
  environment?(report: ModelReport): Promise<PythonEnvironment>;
  /** Loads the model in the worker `predict` will use, before any request (a scoring server's start). */
  preload?(model: { modelPath: string; report: ModelReport }, options: { ignorePredictFn?: boolean }): Promise<void>;
  dispose?(): void | Promise<void>;
}


export interface RunnerServiceOptions {
  models?: ModelReader;
  /** The ONNX engine; default: one created on first use with `onnxWorkerPath` (or its default worker). */
  onnx?: OnnxEngine;
  onnxWorkerPath?: string;
  /** How the host starts Node workers (default `child_process.fork`; the Electron host: utilityProcess). */
  launchNodeWorker?: NodeWorkerLauncher;
  /** The Python engine when available. Without it, non-ONNX models fail with E_ENVIRONMENT. */
  python?: PythonEngineAdapter | null;
  logger?: Logger;
  /** Models kept loaded (most recently used). Default 4. */
  cacheSize?: number;
  /** Model-folder trust (FolderTrust.gate): a server for a Python model is refused at start, not at its first request. */
  trust?: (modelDir: string) => Promise<void>;
  /** The request preparation worker (`prepare-worker.js`); default: beside this module's bundle. Absent file: large bodies are prepared in-thread. */
  prepareWorkerPath?: string;
  /** `predict`/`score` without a server's preparer: bodies from this many characters on are prepared on that worker (default: `createPreparer`'s). */
  offThreadMinChars?: number;
}

/** A model ready to answer requests: inspected once, engine chosen. */
export interface LoadedModel {
  path: string;
  name: string;
  engine: EngineKind;
  report: ModelReport;
  context: PayloadModelContext;
  /** Set for the ONNX engine. */
  onnx: OnnxModelRef | null;
}

/** One request to a loaded model: the contract's request (`ModelRequest`) without the folder. */
export type ScoreRequest = Omit<ModelRequest, 'modelPath'>;

/**
 * The server's answer: `runner.predict`'s output (RunResultSchema) without the JSON view of the body and the
 * latency the host measures. `engine` is null when the request never reached the model, `loader` when it was not called.
 */
export type ScoreResult = Omit<CallOutput<'runner', 'predict'>, 'body' | 'latency_ms'>;

export type PredictInput = ModelRequest;

/** `predict`'s answer: the score result plus `body`, the JSON view of `body_text` (see body-view.ts); the host adds `latency_ms`. */
export type PredictResult = Omit<CallOutput<'runner', 'predict'>, 'latency_ms'>;

export class RunnerService {
  private onnxEngine: OnnxEngine | null;
  private readonly ownsOnnx: boolean;
  private readonly python: PythonEngineAdapter | null;
  private readonly cache: InspectedModelCache<LoadedModel>;
  private preparer: OffThreadPreparer | null = null;

  constructor(private readonly options: RunnerServiceOptions = {}) {
    const models = options.models ?? new ModelService(options.logger ?? silentLogger);
    this.onnxEngine = options.onnx ?? null;
    this.ownsOnnx = !options.onnx;
    const python = (this.python = options.python ?? null);
    this.cache = new InspectedModelCache(
      (path, signal) => models.inspect(path, { signal }),
      (report, context): LoadedModel => ({ path: report.path, name: report.name, ...chooseEngine(report, python !== null), report, context }),
      options.cacheSize,
    );
  }

  /**
   * Inspects the model and picks its engine. Reused while MLmodel, the examples and the environment
   * files are unchanged (checked by stat), so an edited folder is seen on the next call.
   */
  load(modelPath: string, options: { signal?: AbortSignal } = {}): Promise<LoadedModel> {
    return this.cache.get(modelPath, options.signal);
  }

  /**
   * Checks, without a request, that the engine can take the model (ONNX: the file is read and its graph
   * planned), so a server fails at start-up like the real ones do rather than on the first request. With `serving`
   * (a server that will run the model), a Python model, once trusted, starts loading in its worker without being
   * waited for: the real servers load it before their first answer too (gunicorn's worker imports the app while
   * requests wait in the backlog), and the first request then waits only for what is left of the load. A load that
   * fails is reported by that request.
   */
  async warmUp(model: LoadedModel, serving: { server: ServerKind; version: EmulatedVersion } | null = null): Promise<void> {
    if (model.engine === 'onnx') {
      await this.onnx().describe(model.onnx!);
      return;
    }
    await this.options.trust?.(model.path);
    if (serving === null) return;
    // Not awaited, and its failure dropped here: the first request loads again and answers it in the server's words.
    this.python?.preload?.({ modelPath: model.path, report: model.report }, { ignorePredictFn: ignoresPredictFn(serving.server, serving.version) }).catch(() => undefined);
  }

  /**
   * The server's answer to one request. Bad requests are answers (their exact status and body); a model
   * that raises is an answer too (the server's error shape, the real error in `server_log`). Throws
   * AppError only when Preflight itself cannot produce the answer (engine crash, timeout, unsupported
   * model, missing Python, bad `mlflowVersion`).
   */
  async score(model: LoadedModel, req: ScoreRequest, options: { signal?: AbortSignal; preparer?: OffThreadPreparer | null } = {}): Promise<ScoreResult> {
    // A large body is prepared on the preparer's thread (the app's event loop keeps answering): a scoring server's
    // own preparer, else the runner's (null: in-thread). Smaller bodies stay here, where they cost less than the hop.
    const preparer = options.preparer === undefined ? this.ownPreparer() : options.preparer;
    const offThread = preparer?.wants(req.body) ? preparer : null;
    if (model.engine === 'onnx') return this.scoreOnnx(model, req, offThread ?? IN_THREAD, options.signal);
    if (offThread) return this.scorePrepared(model, req, offThread, options.signal);
    const { outcome, version, warnings } = prepareScoreRequest(requestFor(model.context, req));
    const meta = { warnings, mlflow_version: versionInfo(version) };
    if (!outcome.ok || !outcome.input) return { ...refusalAnswer(req.server, outcome), ...meta, engine: null, loader: null };
    const unwrapped = req.server === 'mlflow' && outcome.unwrapped;
    const raised = (err: unknown): ServerAnswer | null => modelRaisedAnswer(req.server, err, { input: outcome.input!, version });
    return this.runPython(model, req, { version, unwrapped, meta, input: outcome.input, params: outcome.params, signal: options.signal, raised });
  }

  /**
   * `score` for a Python model whose request is prepared off the main thread: the same steps on the
   * prepared form (refusal already written, input already wire bytes), so the same answer.
   */
  private async scorePrepared(model: LoadedModel, req: ScoreRequest, preparer: OffThreadPreparer, signal: AbortSignal | undefined): Promise<ScoreResult> {
    const request = requestFor(model.context, req);
    const prepared = await preparer.prepare(request, signal);
    const { version } = prepared;
    const meta = { warnings: prepared.warnings, mlflow_version: versionInfo(version) };
    if (!prepared.ok) return { ...prepared.answer, ...meta, engine: null, loader: null };
    const unwrapped = req.server === 'mlflow' && prepared.unwrapped;
    return this.runPython(model, req, { version, unwrapped, meta, input: prepared.input, params: null, signal, raised: raisedVia(preparer, request, req.server) });
  }

  /**
   * `score` for an ONNX model: the payload engine and the feeds (`prepareForOnnx`) — on the preparer's thread for a
   * large body, else here —, the run in the ONNX worker, the answer written here. One path for both, so a body's
   * size cannot change its answer (the serving process runs the same steps: serve-answer.ts).
   */
  private async scoreOnnx(model: LoadedModel, req: ScoreRequest, preparer: OnnxPreparation, signal: AbortSignal | undefined): Promise<ScoreResult> {
    const request = requestFor(model.context, req);
    let prepared: PreparedOnnxRequest | null = null;
    let planned = false;
    const metaOf = (p: PreparedOnnxRequest): Pick<ScoreResult, 'warnings' | 'mlflow_version'> => ({ warnings: p.warnings, mlflow_version: versionInfo(p.version) });
    try {
      const prediction = await this.onnx().predictWith(
        model.onnx!,
        async (graph) => {
          planned = true;
          const p = (prepared = await preparer.prepareOnnx(request, graph, signal));
          if (!p.ok) throw new PreparedAnswer(p);
          return p.feeds!;
        },
        { signal },
      );
      const p = prepared! as Extract<PreparedOnnxRequest, { ok: true }>;
      return { ...successAnswer(req.server, fromOnnxPrediction(prediction), { unwrapped: req.server === 'mlflow' && p.unwrapped, version: p.version, whyUnencodable: () => azureUnencodableReason(prediction) }), ...metaOf(p), engine: 'onnx', loader: ONNX_LOADER };
    } catch (err) {
      if (err instanceof PreparedAnswer) return { ...err.prepared.answer, ...metaOf(err.prepared), engine: err.prepared.raised ? model.engine : null, loader: null };
      // In-thread, the payload engine answers before the model file is read: a refusal wins over a model that cannot
      // be planned (missing file, unreadable graph, bad session options), so when that failed the request is read for
      // its refusal. Otherwise no answer without the prepared request (the preparation failed: cancel, crash).
      const p = planned ? prepared : await preparer.prepareOnnx(request, null, signal).catch(() => null);
      if (!p) throw err;
      if (!p.ok) return { ...p.answer, ...metaOf(p), engine: null, loader: null };
      const answer = await raisedVia(preparer, request, req.server)(err);
      if (!answer) throw err;
      return { ...answer, ...metaOf(p), engine: model.engine, loader: null };
    }
  }

  /**
   * The Python engine's run and its answer, for both the in-thread and the prepared request (one place for
   * the version gates, so large bodies cannot answer differently): the model's answer, or when it raised the
   * server's error answer (`raised`; null: not the model raising, rethrown).
   */
  private async runPython(
    model: LoadedModel,
    req: ScoreRequest,
    run: { version: EmulatedVersion; unwrapped: boolean; meta: Pick<ScoreResult, 'warnings' | 'mlflow_version'>; input: ModelIn | EncodedInput; params: PyDict | null; signal: AbortSignal | undefined; raised: (err: unknown) => ServerAnswer | null | Promise<ServerAnswer | null> },
  ): Promise<ScoreResult> {
    const { version, unwrapped, meta } = run;
    try {
      if (!this.python) throw needsPython(model.report);
      const ignorePredictFn = ignoresPredictFn(req.server, version);
      const result = await this.python.predict({ modelPath: model.path, report: model.report }, run.input, run.params, { signal: run.signal, server: req.server, ...(ignorePredictFn ? { ignorePredictFn } : {}) });
      return { ...answerFromPythonBodies(req.server, result, { unwrapped, version }), ...meta, engine: 'python', loader: result.loader };
    } catch (err) {
      const answer = await run.raised(err);
      if (!answer) throw err;
      return { ...answer, ...meta, engine: model.engine, loader: null };
    }
  }

  /**
   * Which engine will run the model and, for Python, the interpreters found, the chosen one and the
   * model's pins against it (mismatches are findings). Looks afresh each time.
   */
  async environment(modelPath: string, options: { signal?: AbortSignal } = {}): Promise<{ engine: EngineKind; name: string; python: PythonEnvironment | null }> {
    const model = await this.load(modelPath, options);
    if (model.engine === 'onnx' || !this.python?.environment) return { engine: model.engine, name: model.name, python: null };
    return { engine: 'python', name: model.name, python: await this.python.environment(model.report) };
  }

  /**
   * `preflight predict`: load (cached) + score, plus the JSON view of the body. `view: false` (the CLI's text mode,
   * which prints `body_text` only) leaves `body` null: the view of a 1 000 000-row answer is a million objects read
   * again from the text and copied back from the preparation thread — 8 of the 12 s `predict` took on such a body.
   */
  async predict(input: PredictInput, options: { signal?: AbortSignal; view?: boolean } = {}): Promise<PredictResult> {
    const model = await this.load(input.modelPath, options);
    const result = await this.score(model, input, options);
    if (result.status === 0 || options.view === false) return { ...result, body: null };
    // The answer to a large body is large too (a prediction per row): its view is read on the preparation thread.
    const preparer = this.ownPreparer();
    const contentType = result.headers['content-type'];
    let body: unknown;
    if (!preparer.wants(result.body_text)) body = bodyView(result.body_text, contentType);
    else {
      try {
        body = await preparer.view(result.body_text, contentType, options.signal);
      } catch (err) {
        // The model ran and its answer exists: only a cancel loses it; a thread that failed leaves the view to this one.
        if (isAppError(err) && err.code === ErrorCodes.CANCELLED) throw err;
        body = bodyView(result.body_text, contentType);
      }
    }
    return { ...result, body };
  }

  /** The runner's own preparer, for requests that come with none (created on first use, and again after `close`). */
  private ownPreparer(): OffThreadPreparer {
    this.preparer ??= this.createPreparer(this.options.offThreadMinChars === undefined ? {} : { minBodyChars: this.options.offThreadMinChars });
    return this.preparer;
  }

  /** Stops the engines' worker processes (a CLI must call this to exit). */
  dispose(): void {
    void this.close().catch((err: unknown) => (this.options.logger ?? silentLogger).warn('runner: stopping the engines failed', err));
  }

  /** `dispose`, resolving once the Python workers have exited (host shutdown waits for it). */
  async close(): Promise<void> {
    const preparer = this.preparer;
    this.preparer = null;
    await preparer?.close();
    if (this.ownsOnnx) this.onnxEngine?.dispose();
    this.onnxEngine = this.ownsOnnx ? null : this.onnxEngine;
    await this.python?.dispose?.();
  }

  /**
   * A request preparation worker of its own: for one scoring server's large requests (`score`'s `preparer`; the
   * server closes it when it stops), or `PayloadService`'s validate/convert (the app's composition). Threshold:
   * `minBodyChars`, else PREFLIGHT_OFFTHREAD_MIN_CHARS, else 1 Mi characters. Without the bundled worker (sources
   * run by a test runner) it prepares nothing off-thread.
   */
  createPreparer(options: { minBodyChars?: number } = {}): OffThreadPreparer {
    const fromEnv = offThreadMinCharsFromEnv(process.env);
    if (options.minBodyChars === undefined && fromEnv !== undefined) options = { ...options, minBodyChars: fromEnv };
    const path = this.options.prepareWorkerPath ?? fileURLToPath(new URL('./prepare-worker.js', import.meta.url));
    return new OffThreadPreparer({ workerPath: existsSync(path) ? path : null, onStartFailure: (reason) => (this.options.logger ?? silentLogger).warn(reason), ...options });
  }

  /** The ONNX engine (created on first use): the scoring server serves ONNX models from its process. */
  onnxEngineForServing(): OnnxEngine {
    return this.onnx();
  }

  private onnx(): OnnxEngine {
    if (!this.onnxEngine) this.onnxEngine = new OnnxEngine({ workerPath: this.options.onnxWorkerPath, launch: this.options.launchNodeWorker });
    return this.onnxEngine;
  }

}

const ONNX_LOADER: LoaderInfo = { name: 'onnxruntime-node', notes: [], interpreter: null };

/** Where a request is prepared for the ONNX engine: the preparation thread (OffThreadPreparer) or this one. */
type OnnxPreparation = Pick<OffThreadPreparer, 'prepareOnnx' | 'raisedAnswer'>;

/** The preparation thread's ONNX operations, called here: the same functions its worker runs (prepare-ops.ts). */
const IN_THREAD: OnnxPreparation = {
  prepareOnnx: async (req, graph) => prepareForOnnx(req, graph),
  raisedAnswer: async (req, server, err) => raisedAnswerFor(req, server, errorToData(err)),
};

/** Thrown out of the ONNX engine's feeds step when the prepared request already has its answer (no run). */
class PreparedAnswer extends Error {
  constructor(readonly prepared: Extract<PreparedOnnxRequest, { ok: false }>) {
    super('answered before the run');
  }
}

/**
 * The server's answer when the model raised on a prepared request (`runPython`'s `raised`, `scoreOnnx`). Only the
 * model raising has one (modelRaisedAnswer); its wording may print the input, which is read again from the request
 * (on the preparer's thread, or here for IN_THREAD).
 */
function raisedVia(preparer: OnnxPreparation, request: ReturnType<typeof requestFor>, server: ServerKind): (err: unknown) => Promise<ServerAnswer | null> {
  return async (err) => {
    if (!isAppError(err) || err.code !== RunnerErrorCodes.MODEL_RUN) return null;
    try {
      return await preparer.raisedAnswer(request, server, err);
    } catch {
      // The preparer could not say (its thread crashed, the server is closing): the model did run and raise,
      // so its answer is computed here rather than the preparer's "the model was not run".
      // (A failure here too leaves the model's own error to be rethrown.)
      try {
        return raisedAnswerFor(request, server, errorToData(err));
      } catch {
        return null;
      }
    }
  };
}

// ---- engine choice --------------------------------------------------------------------------------

/** Which engine runs a model, from its MLmodel flavors (issue 4 "Engines"). */
export function chooseEngine(report: ModelReport, pythonAvailable: boolean): { engine: EngineKind; onnx: OnnxModelRef | null } {
  if (report.kind === 'onnx-file') return { engine: 'onnx', onnx: { onnxPath: report.path, displayName: basename(report.path) } };
  const mlmodel = report.mlmodel;
  if (!mlmodel) throw new AppError(ErrorCodes.NOT_A_MODEL, `${report.path}: no MLmodel file was found, so there is no model to run. Open the folder that holds MLmodel, or a .onnx file.`);
  const onnxFlavor = mlmodel.flavors.find((f) => f.name === 'onnx');
  const pyfunc = mlmodel.flavors.find((f) => f.name === 'python_function');
  const onnxOnly = onnxFlavor !== undefined && (pyfunc === undefined ? mlmodel.flavors.length === 1 : mlmodel.loaderModule === 'mlflow.onnx');
  if (onnxOnly) {
    const data = [onnxFlavor.settings.data, pyfunc?.settings.data].find((d): d is string => typeof d === 'string' && d !== '') ?? 'model.onnx';
    const onnxPath = resolve(report.path, data);
    if (onnxPath !== report.path && !onnxPath.startsWith(report.path + sep)) {
      throw new AppError(ErrorCodes.OUTSIDE_FOLDER, `MLmodel: the onnx flavor's data '${data}' points outside the model folder. Put model.onnx inside the folder and set data: model.onnx.`);
    }
    refuseLinkOut(report.path, onnxPath, data);
    return { engine: 'onnx', onnx: { onnxPath, displayName: data, sessionOptions: onnxFlavor.settings.onnx_session_options ?? undefined } };
  }
  if (!pyfunc) throw noPyfunc(report);
  if (!pythonAvailable) throw needsPython(report);
  return { engine: 'python', onnx: null };
}

/**
 * The model file, or a folder on its way, may be a symlink out of the model folder (a folder handed over by someone
 * else). Inspect lists such a link and does not follow it; running the model must not follow it either, or it would
 * load a file the user never saw in the folder. A missing file or a link loop is left to the engine, which says so.
 */
function refuseLinkOut(folder: string, file: string, name: string): void {
  let realFolder: string;
  let realFile: string;
  try {
    realFolder = realpathSync(folder);
    realFile = realpathSync(file);
  } catch {
    return;
  }
  if (realFile === realFolder || realFile.startsWith(realFolder + sep)) return;
  throw new AppError(
    ErrorCodes.OUTSIDE_FOLDER,
    `${name} is a symlink to ${realFile}, outside the model folder; Preflight does not follow links out of the folder. Replace the link with a copy of the file.`,
    { details: { file: name, target: realFile } },
  );
}

/**
 * A model without the `python_function` flavor (e.g. MLeap, a Java flavor): `mlflow models serve` and Azure's no-code
 * scoring script load models with `mlflow.pyfunc.load_model`, which raises `Model does not have the "python_function"
 * flavor` (mlflow/pyfunc/__init__.py, 2.x and 3.x), so no server would ever answer for it — asking the user to trust
 * the folder or to install mlflow would not help. Said before the trust question and the Python search.
 */
function noPyfunc(report: ModelReport): AppError {
  const flavors = report.mlmodel?.flavors.map((f) => f.name) ?? [];
  return new AppError(
    ErrorCodes.MODEL_LOAD,
    `${report.name} has no python_function flavor (MLmodel flavors: ${flavors.join(', ') || 'none'}), so neither \`mlflow models serve\` nor Azure's no-code deployment can load it: ` +
      'both call mlflow.pyfunc.load_model, which raises \'Model does not have the "python_function" flavor\'. Preflight runs models the way those servers do, so there is nothing to run. ' +
      'Re-log the model with a flavor that adds python_function (e.g. mlflow.sklearn.log_model, mlflow.pyfunc.log_model), or convert it to ONNX and log it with mlflow.onnx.',
    { details: { flavors, needs: 'python_function' } },
  );
}

function needsPython(report: ModelReport): AppError {
  const flavors = report.mlmodel?.flavors.map((f) => f.name) ?? [];
  const loader = report.mlmodel?.loaderModule;
  return new AppError(
    ErrorCodes.ENVIRONMENT,
    `${report.name}: this model's flavors (${flavors.join(', ') || 'none'}${loader ? `; python_function loader_module ${loader}` : ''}) need Python to run: ` +
      "Preflight runs only ONNX models (the onnx flavor, or python_function with loader_module mlflow.onnx) without it. " +
      'Install Python 3 with the model\'s packages (at least scikit-learn for sklearn models; mlflow when available) and point Preflight at it with PREFLIGHT_PYTHON, or convert the model to ONNX.',
    { details: { flavors, loaderModule: loader ?? null, needs: 'python' } },
  );
}

// The ONNX engine's prediction in the serializers' terms lives in onnx/prediction-view.ts (the serving process uses it too).
export { fromOnnxPrediction };

/** MLflow before 1.29's server runs `predict`, not python_function's predict_fn: such a model gets a worker without it. */
function ignoresPredictFn(server: ServerKind, version: EmulatedVersion): boolean {
  return server === 'mlflow' && !pyfuncPredictFn(version);
}
