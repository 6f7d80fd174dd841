/**
 * `validateRequest`: what MLflow's scoring server or Azure ML's no-code endpoint answers to one request,
 * what the model would receive, and every silent coercion on the way (issue 3, CLI `validate --json`).
 * Never throws for bad payloads: a malformed body is an answer too. Only a malformed *call* (bad
 * `--mlflow-version`) raises AppError.
 */
import type { Signature } from '../model-report';
import { toPlain } from './py-json';
import { serveMlflow, type ServerOutcome } from './mlflow-server';
import { serveAzure, type InputExampleLike } from './azureml-server';
import { describeModelInput, type ModelIn } from './model-input';
import { resolveMlflowVersion, versionInfo } from './version';
import { WarningSink } from './warnings';
import { feedMismatches, feedTypeAdvice, shapeMismatches, shapeText, type OnnxFeedInput, type ShapeMismatch } from './onnx-feed-dtype';

/** The two servers Preflight emulates: the one list every layer (contract, CLI, renderer) names them from. */
export const SERVER_KINDS = ['azureml', 'mlflow'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export interface ValidateRequestInput {
  body: string;
  /** The Content-Type header, or null when the request has none. */
  contentType: string | null;
  server: ServerKind;
  /** MLflow version to emulate: an explicit override (`--mlflow-version`), else null. */
  mlflowVersion: string | null;
  /** MLmodel's `mlflow_version`, used when there is no override and no requirements pin. */
  mlmodelVersion?: string | null;
  /** The `mlflow==X` line of the model's requirements, when there is one. */
  requirementsPin?: string | null;
  signature: Signature | null;
  /** The model's input_example.json (Azure builds its parser from it, payloads.md §4). */
  inputExample?: InputExampleLike | null;
  /** MLmodel `is_signature_from_type_hint` (MLflow ≥ 2.20). */
  isSignatureFromTypeHint?: boolean;
  /** MLmodel's flavor names (Azure's script treats transformers/langchain/openai models apart). */
  flavors?: readonly string[];
  /**
   * The graph inputs when MLflow's onnx wrapper runs the model (an onnx flavor, a bare .onnx): what the model
   * receives is then checked against their element types, which onnxruntime enforces after the server accepted it.
   */
  onnxInputs?: readonly OnnxFeedInput[] | null;
}

export type { ValidationResult } from './answers';
import type { ValidationResult } from './answers';

export function validateRequest(req: ValidateRequestInput): ValidationResult {
  const version = resolveMlflowVersion(req.mlmodelVersion ?? null, req.requirementsPin ?? null, req.mlflowVersion);
  const sink = new WarningSink();
  const outcome: ServerOutcome =
    req.server === 'mlflow'
      ? serveMlflow({ body: req.body, contentType: req.contentType, signature: req.signature, isSignatureFromTypeHint: req.isSignatureFromTypeHint ?? false, version, sink })
      : serveAzure({ body: req.body, contentType: req.contentType, signature: req.signature, inputExample: req.inputExample ?? null, flavors: req.flavors ?? [], version, sink });
  if (outcome.ok && outcome.input && req.onnxInputs) warnFeedMismatches(req.onnxInputs, outcome.input, sink);
  if (req.server === 'azureml' && !outcome.ok && outcome.status === 500)
    sink.add('azure-generic-500', 'Azure answers every scoring failure with the same generic 500; the real error (server_log) only appears in the deployment logs.', '$');
  return {
    server: req.server,
    mlflow_version: versionInfo(version),
    ok: outcome.ok,
    status: outcome.status,
    body: outcome.body,
    server_log: outcome.serverLog,
    model_receives: outcome.input ? describeModelInput(outcome.input) : null,
    params_received: outcome.params ? (toPlain(outcome.params) as Record<string, unknown>) : null,
    warnings: sink.toArray(),
  };
}

/**
 * The server accepts the request and the model refuses it: onnxruntime checks each feed's element type and the
 * wrapper casts only float64 → float32, so integers written without a decimal point never reach a float input.
 * Said here because it is the commonest way such a request fails (JavaScript's JSON.stringify writes 0.0 as 0).
 * The same for the feeds' shapes: onnxruntime checks the rank and each fixed dimension (a row of 4 values for a
 * [?, 2] input) before running, and the server then answers its error.
 */
function warnFeedMismatches(inputs: readonly OnnxFeedInput[], input: ModelIn, sink: WarningSink): void {
  for (const m of feedMismatches(inputs, input)) {
    sink.add(
      'onnx-input-dtype',
      `The model's input '${m.input}' is tensor(${m.expected}) and receives ${m.dtype}: onnxruntime will refuse it ("Unexpected input data type"; the server casts only float64 to float32), and the server answers the model's error. ${feedTypeAdvice(m.dtype, m.expected)}`,
      '$',
    );
  }
  for (const m of shapeMismatches(inputs, input)) {
    const got = shapeText(m.shape);
    const want = shapeText(m.expected);
    const why = m.rank
      ? `it has ${m.shape.length} dimension${m.shape.length === 1 ? '' : 's'} and the model takes ${m.expected.length} ("Invalid rank")`
      : `dimension${m.indices.length === 1 ? '' : 's'} ${m.indices.join(', ')} must be ${m.indices.map((k) => m.expected[k]).join(', ')} ("Got invalid dimensions")`;
    sink.add(
      'onnx-input-shape',
      `The model's input '${m.input}' is ${want} and receives an array of shape ${got}: onnxruntime will refuse it — ${why} — and the server answers the model's error. ${shapeAdvice(m, input)}`,
      '$',
    );
  }
}

/** What to send instead of a feed of the wrong shape: for a DataFrame fed as one matrix, the number of columns. */
function shapeAdvice(m: ShapeMismatch, input: ModelIn): string {
  const cols = m.expected[1];
  if (input.kind === 'frame' && !m.rank && m.indices.length === 1 && m.indices[0] === 1 && typeof cols === 'number')
    return `The request's ${m.shape[1]} columns are fed as one matrix: send exactly ${cols} column${cols === 1 ? '' : 's'}, in the order the model was trained on.`;
  return `Send arrays of shape ${shapeText(m.expected)} (a ? or a name takes any size).`;
}
