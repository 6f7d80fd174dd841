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
import { AppError, ErrorCodes } from '../../../../shared/errors';
import type { ModelIn } from '../../../../shared/mlflow/payload/model-input';
import { buildFeeds } from './feeds';
import { planModel, type ModelPlan } from './model-plan';
import { assemblePrediction, assertOutputsSupported, type OnnxPrediction } from './outputs';
import { modelRunError, RunnerErrorCodes } from './runner-errors';
import { toOrtSessionOptions } from './session-options';
import { OnnxWorkerHost } from './worker-host';

export interface OnnxModelRef {
  /** Absolute path of the .onnx file (the flavor's `data`). */
  onnxPath: string;
  /** How messages name the model file (e.g. `model.onnx` relative to the model folder). Default: the file name. */
  displayName?: string;
  /** The onnx flavor's `onnx_session_options` exactly as read from MLmodel (validated here). */
  sessionOptions?: unknown;
}

export interface PredictOptions {
  signal?: AbortSignal;
  /** Per-call limit, session creation included. Default: the engine's `timeoutMs`. */
  timeoutMs?: number;
}

export interface OnnxEngineOptions {
  /** The bundled worker (`onnx-worker.js`). Default: `onnx-worker.js` beside this module's bundle. */
  workerPath?: string;
  /** Default per-call timeout; 120 s. */
  timeoutMs?: number;
  /** The worker's stderr (onnxruntime warnings), e.g. for the app log. */
  onStderr?: (text: string) => void;
}

/** The inputs and outputs the engine sees for a model (for UIs and the server's swagger). */
export interface OnnxModelInfo {
  inputs: ModelPlan['inputs'];
  outputs: { name: string; type: string; handling: 'tensor' | 'zipmap' | 'unsupported' }[];
}

const MAX_PLANS = 32;

export class OnnxEngine {
  private readonly host: OnnxWorkerHost;
  private readonly timeoutMs: number;
  private readonly plans = new Map<string, Promise<ModelPlan>>();

  constructor(options: OnnxEngineOptions = {}) {
    const workerPath = options.workerPath ?? fileURLToPath(new URL('./onnx-worker.js', import.meta.url));
    this.host = new OnnxWorkerHost({ workerPath, onStderr: options.onStderr });
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

  async predict(model: OnnxModelRef, input: ModelIn, options: PredictOptions = {}): Promise<OnnxPrediction> {
    const sessionOptions = toOrtSessionOptions(model.sessionOptions ?? null);
    for (let attempt = 0; ; attempt++) {
      const plan = await this.plan(model);
      const { kind, feeds } = buildFeeds(plan.inputs, input, plan.relName);
      assertOutputsSupported(plan);
      const reply = await this.host.run({
        modelName: plan.relName,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        signal: options.signal,
        crashHint: crashHint(plan),
        request: {
          model: {
            key: JSON.stringify([plan.path, plan.mtimeMs, plan.size, sessionOptions, plan.rewrite?.extra ?? null]),
            path: plan.path,
            mtimeMs: plan.mtimeMs,
            size: plan.size,
            options: sessionOptions,
            rewrite: plan.rewrite,
          },
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

function crashHint(plan: ModelPlan): string | undefined {
  const packed = plan.outputs.filter((o) => /^tensor\((u?int4|u?int2|float4e2m1)\)$/.test(o.type));
  if (packed.length === 0) return undefined;
  return `Its output ${packed.map((o) => `'${o.name}' is ${o.type}`).join(', ')}: onnxruntime-node 1.30 cannot return packed 4-bit tensors and aborts the whole process when it tries.`;
}

/** Known onnxruntime failure texts → what the user can do about them. */
function workerError(plan: ModelPlan, stage: 'load' | 'run' | 'changed', message: string): AppError {
  const name = plan.relName;
  if (stage === 'changed') {
    return new AppError(ErrorCodes.UNREADABLE, `${name}: the file changed while it was being loaded. Run again once it is no longer being written.`);
  }
  if (/Failed to construct locale with name:?\s*en_US\.UTF-8/i.test(message)) {
    return new AppError(
      ErrorCodes.ENVIRONMENT,
      `${name} uses the StringNormalizer operator, which needs the en_US.UTF-8 locale, and this machine does not have it installed. ` +
        `Install it and try again: on Debian/Ubuntu 'apt-get install locales', enable 'en_US.UTF-8 UTF-8' in /etc/locale.gen and run 'locale-gen'.`,
      { details: { model: name, missingLocale: 'en_US.UTF-8', runtimeMessage: message } },
    );
  }
  if (stage === 'load') {
    let hint = '';
    const dt = /Unsupported data type: (\d+)/.exec(message);
    if (dt) hint = ` The model has a ${dt[1] === '16' ? 'bfloat16' : Number(dt[1]) >= 17 && Number(dt[1]) <= 20 ? 'float8' : `type ${dt[1]}`} input or output, which onnxruntime-node cannot exchange with JavaScript.`;
    else if (/is not a registered function\/op/.test(message)) hint = ' The model uses a custom operator (e.g. from onnxruntime-extensions) that plain onnxruntime does not have.';
    return new AppError(RunnerErrorCodes.MODEL_LOAD, `${name}: onnxruntime could not load the model: ${stripPath(message, plan.path, name)}.${hint}`, { details: { model: name, runtimeMessage: message } });
  }
  if (/Non tensor type is temporarily not supported/.test(message)) {
    return new AppError(RunnerErrorCodes.UNSUPPORTED_MODEL, `${name}: onnxruntime-node cannot return one of this model's outputs (a sequence, map or optional): ${message}`, { details: { model: name, runtimeMessage: message } });
  }
  // Python's onnxruntime raises these as InvalidArgument (bad feeds) or Fail (errors inside a kernel).
  const invalid = /Unexpected input data type|invalid dimensions|Invalid rank|Invalid input name|input .* is missing|Got invalid/i.test(message);
  const pyType = `onnxruntime.capi.onnxruntime_pybind11_state.${invalid ? 'InvalidArgument' : 'Fail'}`;
  const pyMessage = `[ONNXRuntimeError] : ${invalid ? '2 : INVALID_ARGUMENT' : '1 : FAIL'} : ${message}`;
  return modelRunError(`${name}: onnxruntime failed to run the model: ${message}`, { type: pyType, message: pyMessage }, name);
}

/** onnxruntime puts the absolute path into load errors; the user knows the model by its relative name. */
function stripPath(message: string, path: string, name: string): string {
  return message.split(path).join(name).replace(/\.\s*$/, '');
}
