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

/**
 * The last version resolved, by its three inputs: a server asks for the same model's version on every
 * request (a regex over the requirements pin each time otherwise). Versions are never mutated.
 */
let lastVersion: { mlmodel: string | null; pin: string | null; override: string | null; version: EmulatedVersion } | null = null;

function versionFor(mlmodel: string | null, pin: string | null, override: string | null): EmulatedVersion {
  const last = lastVersion;
  if (last !== null && last.mlmodel === mlmodel && last.pin === pin && last.override === override) return last.version;
  const version = resolveMlflowVersion(mlmodel, pin, override);
  lastVersion = { mlmodel, pin, override, version };
  return version;
}

export function prepareScoreRequest(req: ValidateRequestInput): ScoreRequestOutcome {
  const version = versionFor(req.mlmodelVersion ?? null, req.requirementsPin ?? null, req.mlflowVersion ?? null);
  const sink = new WarningSink();
  const outcome =
    req.server === 'mlflow'
      ? serveMlflow({ body: req.body, contentType: req.contentType, signature: req.signature, isSignatureFromTypeHint: req.isSignatureFromTypeHint ?? false, version, sink })
      : serveAzure({ body: req.body, contentType: req.contentType, signature: req.signature, inputExample: req.inputExample ?? null, flavors: req.flavors ?? [], version, sink });
  if (req.server === 'azureml' && !outcome.ok && outcome.status === 500)
    sink.add('azure-generic-500', 'Azure answers every scoring failure with the same generic 500; the real error (server_log) only appears in the deployment logs.', '$');
  return { version, outcome, warnings: sink.toArray() };
}
