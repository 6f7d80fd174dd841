/**
 * Scores DataFrames for a batch job: what `pyfunc.predict(df)` does in Azure's batch driver — enforce
 * the signature with the payload engine's `enforceSchema` (MLflow's `_enforce_schema`, the same code the
 * scoring servers use), run the engine, and turn the output into one prediction cell per row.
 *
 * It composes RunnerService's pieces rather than calling `RunnerService.score`, because a batch chunk
 * is a DataFrame already, not a request body: ONNX through `OnnxEngine.predict` + `fromOnnxPrediction`,
 * Python through `PythonEngine.predict`, whose MLflow body `{"predictions": …}` is read back with
 * `parsePyJson`.
 */
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import type { ModelReport, Schema } from '@shared/mlflow/model-report';
import { enforceSchema, MlflowErr } from '@shared/mlflow/payload/enforce';
import type { Frame } from '@shared/mlflow/payload/frame';
import { parsePyJson } from '@shared/mlflow/payload/py-json';
import { resolveMlflowVersion, type EmulatedVersion } from '@shared/mlflow/payload/version';
import { WarningSink, type PayloadWarning } from '@shared/mlflow/payload/warnings';
import { contextFromReport } from '../payload/model-context';
import type { ModelReader } from '../../ports/model-reader';
import { chooseEngine, fromOnnxPrediction, type EngineKind } from '../runner/runner-service';
import type { OnnxEngine, OnnxModelRef } from '../runner/onnx/onnx-engine';
import type { PythonEngine } from '../runner/python/python-engine';
import type { DiscoveryCache } from '../runner/python/discovery-cache';
import { discoverPython, requireInterpreter, type PythonDiscovery } from '../runner/python/interpreter-discovery';
import { withPinHint } from '../runner/python/load-failure-hint';
import { modelNeedsFromReport } from '../runner/python/model-needs';
import { RunnerErrorCodes } from '../runner/onnx/runner-errors';
import { jsonPredictionRows, predictionRows } from './prediction-cells';

export interface ScorerDeps {
  models: ModelReader;
  onnx: () => OnnxEngine;
  python: () => PythonEngine;
  /** Interpreter setting (path or command), else discovery (PREFLIGHT_PYTHON, venv, PATH). */
  pythonSetting?: string | null;
  env?: Record<string, string | undefined>;
  /** Reuses an earlier job's discovery for this model and setting (BatchService keeps them); none: discover now. */
  discoveries?: DiscoveryCache;
}

export interface ModelScorer {
  engine: EngineKind;
  report: ModelReport;
  /** The signature's inputs; null when the model has none (typing not enforced, payloads.md §7). */
  schema: Schema | null;
  version: EmulatedVersion;
  /** Scores one chunk; returns one prediction cell per row. */
  score(frame: Frame, options: { signal?: AbortSignal }): Promise<string[]>;
  /** Coercion warnings the enforcement reported so far (capped per code). */
  warnings(): PayloadWarning[];
}

/** Thrown for a chunk the signature rejects; the batch service names the file. */
export class SchemaEnforcementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaEnforcementError';
  }
}

export async function openModelScorer(modelPath: string, deps: ScorerDeps, options: { signal?: AbortSignal } = {}): Promise<ModelScorer> {
  const report = await deps.models.inspect(modelPath, options);
  const context = await contextFromReport(report);
  const { engine, onnx } = chooseEngine(report, true);
  const version = resolveMlflowVersion(context.mlmodelVersion, context.requirementsPin, null);
  const schema = context.signature?.inputs ?? null;
  const sink = new WarningSink();

  const enforce = (frame: Frame): Parameters<OnnxEngine['predict']>[1] => {
    if (!schema) return frame;
    try {
      return enforceSchema(frame, schema, version, sink);
    } catch (err) {
      if (err instanceof MlflowErr) throw new SchemaEnforcementError(`Failed to enforce schema of data with the model signature. Error: ${err.message}`);
      throw err;
    }
  };

  let run: (frame: Frame, signal?: AbortSignal) => Promise<string[]>;
  if (engine === 'onnx') {
    const ref: OnnxModelRef = onnx!;
    run = async (frame, signal) => predictionRows(fromOnnxPrediction(await deps.onnx().predict(ref, enforce(frame), { signal })), frame.nrows);
  } else {
    const needs = modelNeedsFromReport(report);
    const setting = deps.pythonSetting ?? null;
    const discover = (): Promise<PythonDiscovery> => discoverPython({ needs, setting, env: deps.env });
    const interpreter = requireInterpreter(await (deps.discoveries ? deps.discoveries.get(report.path, setting, discover) : discover()));
    const ref = { modelDir: report.path, python: interpreter.path, flavors: needs.flavors };
    run = async (frame, signal) => {
      const p = await deps.python()
        .predict(ref, enforce(frame), { signal, servers: ['mlflow'] })
        // A missing module names the model's pin and the pip command, as predict and serve say it.
        .catch((err: unknown) => {
          throw isAppError(err) && err.code === RunnerErrorCodes.MODEL_LOAD ? withPinHint(err, report, interpreter.path) : err;
        });
      if (!p.mlflow.ok) {
        throw new AppError(ErrorCodes.INVALID_PAYLOAD, `The model's output cannot be written as predictions: ${p.mlflow.error.type}: ${p.mlflow.error.message}`);
      }
      const body = parsePyJson(p.mlflow.text);
      const predictions = body instanceof Map && body.has('predictions') ? body.get('predictions')! : body;
      return jsonPredictionRows(predictions, frame.nrows, p.output.dtype ?? null);
    };
  }
  return {
    engine,
    report,
    schema,
    version,
    score: (frame, o) => run(frame, o.signal),
    warnings: () => sink.toArray(),
  };
}
