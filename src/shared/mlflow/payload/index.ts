/**
 * The payload engine (issue 3): what MLflow's scoring server and Azure ML's no-code endpoint do with a
 * request, per emulated MLflow version. Pure TypeScript, shared by the runner, CLI, local server and UI.
 */
export { validateRequest, type ValidateRequestInput, type ValidationResult, SERVER_KINDS, type ServerKind } from './validate';
export { resolveMlflowVersion, isMlflowVersion, versionTextSpeaksMlflow1, DEFAULT_MLFLOW_VERSION, RECORDED_MLFLOW_VERSIONS, type EmulatedVersion } from './version';
export { parsePyJson, dumpPyJson, PyFloat, PyJsonError, toPlain, fromPlain, type PyValue, type PyDict } from './py-json';
export type { ModelReceives } from './model-input';
export type { PayloadWarning } from './warnings';
export type { InputExampleLike } from './azureml-server';
export { convertRequest, CONVERT_TARGETS, type ConvertTarget, type ConvertSource, type ConvertRequestInput, type ConvertResult } from './convert';
export type { MlflowVersionInfo } from './answers';
export { samplePayloads, type Sample, type SamplePayloads, type SamplePayloadsInput } from './samples';
export { MODEL_RECEIVES_PREVIEW_ROWS } from './model-input';
export { wouldNotStart } from './mlflow-server';
