/**
 * The ONNX engine of the local runner: runs an `onnx`-flavor MLflow model (or a bare .onnx file) the
 * way MLflow's onnx pyfunc wrapper does, with onnxruntime-node hosted in a separate worker process.
 *
 *   const engine = new OnnxEngine();
 *   const prediction = await engine.predict({ onnxPath, sessionOptions }, modelIn, { signal });
 *
 * `modelIn` is what the payload engine says the model receives (DataFrame / ndarray / dict). The
 * result (`OnnxPrediction`, see outputs.ts) is what `pyfunc.predict` returns, ready for the scoring
 * servers to serialize. Errors are AppErrors: `E_MODEL_RUN` (with the equivalent Python exception in
 * `details.python`), `E_MODEL_LOAD`, `E_UNSUPPORTED_MODEL`, `E_RUNTIME_CRASHED`, `E_TIMEOUT`,
 * `E_CANCELLED`, `E_ENVIRONMENT` (missing locale), `E_NOT_FOUND`.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCodes } from '@shared/errors';
import type { ModelIn } from '@shared/mlflow/payload/model-input';
import { buildFeeds, type Feeds, type GraphInput } from './feeds';
import { planModel, type ModelPlan } from './model-plan';
import type { PayloadModelContext } from '../../payload/model-context';
import type { RequestLogEvent, ScoringConfig } from '../../http/scoring-http';
import { assemblePrediction, assertOutputsSupported, type OnnxPrediction } from './outputs';
import { OnnxServing } from './serve-host';
import type { ServeSetup } from './serve-protocol';
import { toOrtSessionOptions, type OrtSessionOptions } from './session-options';
import { crashHint, workerError } from './worker-errors';
import { OnnxWorkerHost } from './worker-host';
import type { WorkerModel } from './worker-protocol';
import type { NodeWorkerLauncher } from '../../../ports/worker-process';

export interface OnnxModelRef {
  /** Absolute path of the .onnx file (the flavor's `data`). */
  onnxPath: string;
  /** How messages name the model file (e.g. `model.onnx` relative to the model folder). Default: the file name. */
  displayName?: string;
  /** The onnx flavor's `onnx_session_options` exactly as read from MLmodel (validated here). */
  sessionOptions?: unknown;
}

/** Builds the feeds for the model's graph inputs (what `buildFeeds` takes besides the model's input). */
export type FeedsFor = (graph: { inputs: readonly GraphInput[]; relName: string }) => Promise<Feeds>;

export interface PredictOptions {
  signal?: AbortSignal;
  /** Per-call limit, session creation included. Default: the engine's `timeoutMs`. */
  timeoutMs?: number;
}

/** `serve`: one model's scoring server answered from its own process (serve-protocol.ts). */
export interface ServeOptions {
  /** Where the serving process listens (port 0: any free port; `OnnxServing.port` says which). */
  listen: { host: string; port: number };
  http: ScoringConfig;
  mlflowVersion: string | null;
  context: PayloadModelContext;
  onLog(event: RequestLogEvent): void;
}

export interface OnnxEngineOptions {
  /** The bundled worker (`onnx-worker.js`). Default: `onnx-worker.js` beside this module's bundle. */
  workerPath?: string;
  /** Default per-call timeout; 120 s. */
  timeoutMs?: number;
  /** The worker's stderr (onnxruntime warnings), e.g. for the app log. */
  onStderr?: (text: string) => void;
  /** How the host starts Node workers (default `child_process.fork`; Electron: utilityProcess). */
  launch?: NodeWorkerLauncher;
}

/** The inputs and outputs the engine sees for a model (for UIs and the server's swagger). */
export interface OnnxModelInfo {
  inputs: ModelPlan['inputs'];
  outputs: { name: string; type: string; handling: 'tensor' | 'zipmap' | 'unsupported' }[];
}

const MAX_PLANS = 32;

export class OnnxEngine {
  private readonly host: OnnxWorkerHost;
  private readonly workerPath: string;
  private readonly onStderr?: (text: string) => void;
  private readonly launch?: NodeWorkerLauncher;
  private readonly timeoutMs: number;
  private readonly plans = new Map<string, Promise<ModelPlan>>();

  constructor(options: OnnxEngineOptions = {}) {
    const workerPath = options.workerPath ?? fileURLToPath(new URL('./onnx-worker.js', import.meta.url));
    this.host = new OnnxWorkerHost({ workerPath, onStderr: options.onStderr, launch: options.launch });
    this.workerPath = workerPath;
    this.launch = options.launch;
    this.onStderr = options.onStderr;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Worker processes started so far (1 after the first call; +1 after each crash, timeout or cancel). */
  get workerStarts(): number {
    return this.host.starts;
  }

  async describe(model: OnnxModelRef): Promise<OnnxModelInfo> {
    const plan = await this.plan(model);
    return { inputs: plan.inputs, outputs: plan.outputs.map((o) => ({ name: o.name, type: o.type, handling: o.kind })) };
  }

  predict(model: OnnxModelRef, input: ModelIn, options: PredictOptions = {}): Promise<OnnxPrediction> {
    return this.predictWith(model, async (graph) => buildFeeds(graph.inputs, input, graph.relName), options);
  }

  /**
   * `predict` on the feeds `feedsFor(graph)` builds for the model's graph (RunnerService builds them off the main
   * thread for large bodies); called again if the file changes between planning and running.
   */
  async predictWith(model: OnnxModelRef, feedsFor: FeedsFor, options: PredictOptions = {}): Promise<OnnxPrediction> {
    const sessionOptions = toOrtSessionOptions(model.sessionOptions ?? null);
    for (let attempt = 0; ; attempt++) {
      const plan = await this.plan(model);
      const { kind, feeds } = await feedsFor({ inputs: plan.inputs, relName: plan.relName });
      assertOutputsSupported(plan);
      const reply = await this.host.run({
        modelName: plan.relName,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        signal: options.signal,
        crashHint: crashHint(plan),
        request: {
          model: workerModel(plan, sessionOptions),
          feeds,
          fetches: plan.fetches,
        },
      });
      if (reply.ok) return assemblePrediction(plan, kind, reply.outputs);
      if (reply.stage === 'changed' && attempt === 0) {
        this.plans.delete(planKey(plan.path, plan));
        continue;
      }
      throw workerError(plan, reply.stage, reply.message);
    }
  }

  /**
   * Serves a scoring server's HTTP requests for `model` from a process of its own (the same worker
   * entry): requests are answered where the model runs, with no hop between processes, and a crash or
   * hang there is contained (logged, restarted on the same socket). Resolves once it serves.
   */
  async serve(model: OnnxModelRef, options: ServeOptions): Promise<OnnxServing> {
    const plan = await this.plan(model);
    let sessionOptions: OrtSessionOptions = {};
    let setupError: ServeSetup['setupError'] = null;
    try {
      sessionOptions = toOrtSessionOptions(model.sessionOptions ?? null);
    } catch (e) {
      // The engine throws this on every call; the serving process answers every call with it.
      const err = e as { code?: unknown; message?: unknown };
      setupError = { code: String(err.code ?? 'E_INTERNAL'), message: String(err.message ?? e) };
    }
    const serving = new OnnxServing({
      workerPath: this.workerPath,
      launch: this.launch,
      listen: options.listen,
      setup: { http: options.http, mlflowVersion: options.mlflowVersion, context: options.context, plan, model: workerModel(plan, sessionOptions), setupError },
      modelName: plan.relName,
      timeoutMs: this.timeoutMs,
      crashHint: crashHint(plan),
      onLog: options.onLog,
      onStderr: this.onStderr,
    });
    try {
      await serving.start();
    } catch (e) {
      await serving.close();
      throw e;
    }
    return serving;
  }

  /** Stops the worker process. The engine starts a new one if used again. */
  dispose(): void {
    this.host.dispose();
  }

  private async plan(model: OnnxModelRef): Promise<ModelPlan> {
    const name = model.displayName ?? basename(model.onnxPath);
    let info;
    try {
      info = await stat(model.onnxPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError(ErrorCodes.NOT_FOUND, `${name}: file not found (${model.onnxPath}). Check the flavor's 'data' entry in MLmodel and that the model folder is complete.`, { cause: e });
      throw new AppError(ErrorCodes.UNREADABLE, `${name}: cannot be read (${(e as Error).message}).`, { cause: e });
    }
    if (!info.isFile()) throw new AppError(ErrorCodes.NOT_A_MODEL, `${name}: is not a file. Point Preflight at the .onnx file.`);
    const key = planKey(model.onnxPath, info) + '|' + name;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = planModel(model.onnxPath, name, { mtimeMs: info.mtimeMs, size: info.size });
      this.plans.set(key, plan);
      plan.catch(() => this.plans.delete(key));
      while (this.plans.size > MAX_PLANS) this.plans.delete(this.plans.keys().next().value as string);
    }
    return plan;
  }
}

const planKey = (path: string, s: { mtimeMs: number; size: number }): string => `${path}|${s.mtimeMs}|${s.size}`;

/** What the worker needs to create (and cache) the model's session. */
function workerModel(plan: ModelPlan, options: OrtSessionOptions): WorkerModel {
  return {
    key: JSON.stringify([plan.path, plan.mtimeMs, plan.size, options, plan.rewrite?.extra ?? null]),
    path: plan.path,
    mtimeMs: plan.mtimeMs,
    size: plan.size,
    options,
    rewrite: plan.rewrite,
  };
}
