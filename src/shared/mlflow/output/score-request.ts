/**
 * The payload engine's answer to one request *plus* the parsed `ModelIn` the model is handed, which
 * `validateRequest` only describes as JSON (`model_receives`). The runner needs the object itself to
 * feed the engine; everything else (version choice, warnings) is exactly what `validateRequest` does.
 */
import { serveAzure } from '../payload/azureml-server';
import { serveMlflow, type ServerOutcome } from '../payload/mlflow-server';
import { resolveMlflowVersion, type EmulatedVersion } from '../payload/version';
import { WarningSink, type PayloadWarning } from '../payload/warnings';
import type { ValidateRequestInput } from '../payload/validate';

export interface ScoreRequestOutcome {
  version: EmulatedVersion;
  /** ok: `input` (and `params`) are what the model receives; otherwise status/body are the refusal. */
  outcome: ServerOutcome;
  warnings: PayloadWarning[];
}

export function prepareScoreRequest(req: ValidateRequestInput): ScoreRequestOutcome {
  const version = resolveMlflowVersion(req.mlmodelVersion ?? null, req.requirementsPin ?? null, req.mlflowVersion);
  const sink = new WarningSink();
  const outcome =
    req.server === 'mlflow'
      ? serveMlflow({ body: req.body, contentType: req.contentType, signature: req.signature, isSignatureFromTypeHint: req.isSignatureFromTypeHint ?? false, version, sink })
      : serveAzure({ body: req.body, contentType: req.contentType, signature: req.signature, inputExample: req.inputExample ?? null, version, sink });
  if (req.server === 'azureml' && !outcome.ok && outcome.status === 500)
    sink.add('azure-generic-500', 'Azure answers every scoring failure with the same generic 500; the real error (server_log) only appears in the deployment logs.', '$');
  return { version, outcome, warnings: sink.toArray() };
}
