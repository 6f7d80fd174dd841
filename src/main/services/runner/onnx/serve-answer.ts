/**
 * One scoring request for an ONNX model, answered inside the process that runs the model: the same
 * steps as `RunnerService.score` on the ONNX engine (payload engine → MLflow's feeding rules →
 * onnxruntime → output serializers), with the session called directly instead of through a worker.
 * test/integration/server-onnx-serving.test.ts checks the answers equal `RunnerService.predict`'s.
 */
import { AppError, isAppError } from '../../../../shared/errors';
import { modelFailureAnswer, refusalAnswer, successAnswer, type PythonFailure, type ServerAnswer } from '../../../../shared/mlflow/output/responses';
import type { Prediction } from '../../../../shared/mlflow/output/prediction';
import { prepareScoreRequest } from '../../../../shared/mlflow/output/score-request';
import { buildFeeds } from './feeds';
import { assemblePrediction, assertOutputsSupported } from './outputs';
import { fromOnnxPrediction } from './prediction-view';
import { RunnerErrorCodes } from './runner-errors';
import type { ServeSetup } from './serve-protocol';
import type { WireTensor } from './tensor-data';

/** Runs the session on wire tensors; throws AppErrors as `workerError` maps onnxruntime's failures. */
export type RunTensors = (feeds: Record<string, WireTensor>, fetches: string[]) => Promise<Record<string, WireTensor>>;

/** The Python exception behind an engine error, when the model itself raised. */
function pythonFailureOf(err: unknown): PythonFailure | null {
  if (!isAppError(err) || err.code !== RunnerErrorCodes.MODEL_RUN) return null;
  const python = (err.details as { python?: PythonFailure } | undefined)?.python;
  return python && typeof python.type === 'string' && typeof python.message === 'string' ? python : null;
}

export async function answerOnnxRequest(setup: ServeSetup, body: string, contentType: string | null, run: RunTensors): Promise<ServerAnswer> {
  const { context: ctx, plan } = setup;
  const server = setup.http.profile;
  const { outcome, version } = prepareScoreRequest({
    body,
    contentType,
    server,
    mlflowVersion: setup.mlflowVersion,
    mlmodelVersion: ctx.mlmodelVersion,
    requirementsPin: ctx.requirementsPin,
    signature: ctx.signature,
    inputExample: ctx.inputExample,
    isSignatureFromTypeHint: ctx.isSignatureFromTypeHint,
  });
  if (!outcome.ok || !outcome.input) return refusalAnswer(server, outcome);
  let prediction: Prediction;
  try {
    if (setup.setupError) throw new AppError(setup.setupError.code, setup.setupError.message);
    const { kind, feeds } = buildFeeds(plan.inputs, outcome.input, plan.relName);
    assertOutputsSupported(plan);
    prediction = fromOnnxPrediction(assemblePrediction(plan, kind, await run(feeds, plan.fetches)));
  } catch (err) {
    const python = pythonFailureOf(err);
    if (!python) throw err;
    const answer = modelFailureAnswer(server, python, { input: outcome.input, version });
    return { ...answer, server_log: `${(err as AppError).message}${answer.server_log ? `\n${answer.server_log}` : ''}` };
  }
  return successAnswer(server, prediction, { unwrapped: server === 'mlflow' && outcome.unwrapped, version });
}
