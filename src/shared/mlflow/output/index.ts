/**
 * Output side of the scoring servers: a prediction (what `pyfunc.predict` returned) → the exact answer
 * MLflow's scoring server or Azure ML's no-code endpoint writes. Pure TypeScript, no node:*.
 */
export type { Prediction, NdArrayValue, FrameColumn, ArrayData } from './prediction';
export { mlflowBodyText, azureBodyText, jsonableText, type BodyText } from './serialize';
export { pyJsonString, pyJsonFloat, pyEncodeBytes, NotJsonSerializable } from './py-json-text';
export {
  successAnswer, refusalAnswer, modelFailureAnswer, pyDumpsPlain, AZURE_INTERNAL_500, MLFLOW_EVAL_ERROR, MLFLOW_ERROR_STATUS,
  type ServerAnswer, type ServerProfile, type PythonFailure,
} from './responses';
export { prepareScoreRequest, type ScoreRequestOutcome } from './score-request';
export { bodyView } from './body-view';
