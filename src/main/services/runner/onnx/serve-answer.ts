/**
 * One scoring request for an ONNX model, answered inside the process that runs the model: the same
 * steps as `RunnerService.score` on the ONNX engine (payload engine → MLflow's feeding rules →
 * onnxruntime → output serializers), with the session called directly instead of through a worker.
 * test/integration/server-onnx-serving.test.ts checks the answers equal `RunnerService.predict`'s.
 */
import { AppError } from '@shared/errors';
import { refusalAnswer, successAnswer, type ServerAnswer } from '@shared/mlflow/output/responses';
import type { Prediction } from '@shared/mlflow/output/prediction';
import { prepareScoreRequest } from '@shared/mlflow/output/score-request';
import { requestFor } from '../../payload/model-context';
import { modelRaisedAnswer } from '../model-raised';
import { buildFeeds } from './feeds';
import { assemblePrediction, assertOutputsSupported } from './outputs';
import { fromOnnxPrediction } from './prediction-view';
import type { ServeSetup } from './serve-protocol';
import type { WireTensor } from './tensor-data';

/** Runs the session on wire tensors; throws AppErrors as `workerError` maps onnxruntime's failures. */
export type RunTensors = (feeds: Record<string, WireTensor>, fetches: string[]) => Promise<Record<string, WireTensor>>;

export async function answerOnnxRequest(setup: ServeSetup, body: string, contentType: string | null, run: RunTensors): Promise<ServerAnswer> {
  const { context: ctx, plan } = setup;
  const server = setup.http.profile;
  const { outcome, version } = prepareScoreRequest(requestFor(ctx, { body, contentType, server, mlflowVersion: setup.mlflowVersion }));
  if (!outcome.ok || !outcome.input) return refusalAnswer(server, outcome);
  let prediction: Prediction;
  try {
    if (setup.setupError) throw new AppError(setup.setupError.code, setup.setupError.message);
    const { kind, feeds } = buildFeeds(plan.inputs, outcome.input, plan.relName);
    assertOutputsSupported(plan);
    prediction = fromOnnxPrediction(assemblePrediction(plan, kind, await run(feeds, plan.fetches)));
  } catch (err) {
    const answer = modelRaisedAnswer(server, err, { input: outcome.input, version });
    if (!answer) throw err;
    return answer;
  }
  return successAnswer(server, prediction, { unwrapped: server === 'mlflow' && outcome.unwrapped, version });
}
