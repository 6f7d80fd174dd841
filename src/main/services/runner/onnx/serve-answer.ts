/**
 * One scoring request for an ONNX model, answered inside the process that runs the model: the same
 * steps as `RunnerService.score` on the ONNX engine — `prepareForOnnx` (payload engine → MLflow's feeding
 * rules), onnxruntime, the output serializers; the model raising answered by `raisedAnswerFor` — with the
 * session called directly instead of through a worker.
 * test/integration/server-onnx-serving.test.ts checks the answers equal `RunnerService.predict`'s.
 */
import { AppError } from '@shared/errors';
import { successAnswer, type ServerAnswer } from '@shared/mlflow/output/responses';
import type { Prediction } from '@shared/mlflow/output/prediction';
import { requestFor } from '../../payload/model-context';
import { errorToData, prepareForOnnx, raisedAnswerFor } from '../prepare/prepared-request';
import { assemblePrediction, assertOutputsSupported, type OnnxPrediction } from './outputs';
import { azureUnencodableReason, fromOnnxPrediction } from './prediction-view';
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
  const { context: ctx, plan, setupError } = setup;
  const server = setup.http.profile;
  const request = requestFor(ctx, { body, contentType, server, mlflowVersion: setup.mlflowVersion });
  // A model that cannot run (bad session options) fails every call before its feeds are built, as the engine does.
  const prepared = prepareForOnnx(request, setupError ? null : plan);
  if (!prepared.ok) return prepared.answer;
  /** What the model's failure answers (its error in the server's words), or the error itself when no server answer exists. */
  const raised = (err: unknown): ServerAnswer => {
    // Only on this path is the request read again: its input is what 2.12's message prints (deterministic).
    const answer = raisedAnswerFor(request, server, errorToData(err));
    if (!answer) throw err;
    return answer;
  };
  if (setupError) return raised(new AppError(setupError.code, setupError.message));
  // built: the plan was given, so prepareForOnnx made the feeds (or answered above)
  const feeds = prepared.feeds!;
  let pending: Promise<Record<string, WireTensor>>;
  try {
    assertOutputsSupported(plan);
    pending = run(feeds.feeds, plan.fetches);
  } catch (err) {
    return raised(err);
  }
  const { version } = prepared;
  const unwrapped = server === 'mlflow' && prepared.unwrapped;
  return pending.then((outputs) => {
    let prediction: Prediction;
    let assembled: OnnxPrediction;
    try {
      assembled = assemblePrediction(plan, feeds.kind, outputs);
      prediction = fromOnnxPrediction(assembled);
    } catch (err) {
      return raised(err);
    }
    // Worded only when Azure's json.dumps fails: not per request on the serving path.
    return successAnswer(server, prediction, { unwrapped, version, whyUnencodable: () => azureUnencodableReason(assembled) });
  }, raised);
}
