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
import { describeModelInput } from './model-input';
import { resolveMlflowVersion, versionInfo } from './version';
import { WarningSink } from './warnings';

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
