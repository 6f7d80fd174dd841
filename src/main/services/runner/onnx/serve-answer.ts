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
import { buildFeeds, type InputKind } from './feeds';
import { assemblePrediction, assertOutputsSupported } from './outputs';
import { fromOnnxPrediction } from './prediction-view';
import type { ServeSetup } from './serve-protocol';
import type { WireTensor } from './tensor-data';

/** Runs the session on wire tensors; rejects with AppErrors as `workerError` maps onnxruntime's failures. */
export type RunTensors = (feeds: Record<string, WireTensor>, fetches: string[]) => Promise<Record<string, WireTensor>>;

/**
 * The server's answer: at once for a refusal, a promise when the model runs. Not async, and the run's
 * result continued with one `then`: at thousands of requests per second each async layer's promises and
 * microtask turns are CPU the minimal server does not spend (the score-throughput bench).
 */
export function answerOnnxRequest(setup: ServeSetup, body: string, contentType: string | null, run: RunTensors): ServerAnswer | Promise<ServerAnswer> {
  const { context: ctx, plan } = setup;
  const server = setup.http.profile;
  const { outcome, version } = prepareScoreRequest(requestFor(ctx, { body, contentType, server, mlflowVersion: setup.mlflowVersion }));
  if (!outcome.ok || !outcome.input) return refusalAnswer(server, outcome);
  const input = outcome.input;
  /** What the model's failure answers (its error in the server's words), or the error itself when no server answer exists. */
  const raised = (err: unknown): ServerAnswer => {
    const answer = modelRaisedAnswer(server, err, { input, version });
    if (!answer) throw err;
    return answer;
  };
  let pending: Promise<Record<string, WireTensor>>;
  let kind: InputKind;
  try {
    if (setup.setupError) throw new AppError(setup.setupError.code, setup.setupError.message);
    const built = buildFeeds(plan.inputs, input, plan.relName);
    kind = built.kind;
    assertOutputsSupported(plan);
    pending = run(built.feeds, plan.fetches);
  } catch (err) {
    return raised(err);
  }
  return pending.then((outputs) => {
    let prediction: Prediction;
    try {
      prediction = fromOnnxPrediction(assemblePrediction(plan, kind, outputs));
    } catch (err) {
      return raised(err);
    }
    return successAnswer(server, prediction, { unwrapped: server === 'mlflow' && outcome.unwrapped, version });
  }, raised);
}
