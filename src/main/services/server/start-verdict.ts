/**
 * Whether the real server of a local server would ever start. The emulation answers a model the real server cannot
 * load as it would (`neverStarts`: every scoring request status 0, served as 500 E_NOT_STARTED), but a local server
 * still listens and its health check says "Healthy": this verdict is what the panel warns with. It asks the same
 * questions as the engine, in the same order (mlflow-server.ts / azureml-server.ts `neverStarts` branches), so the
 * warning and the answers never disagree; the words are the readiness check's.
 */
import type { ServerWouldNotStartData } from '@shared/ipc/contract';
import type { Finding, ModelReport } from '@shared/mlflow/model-report';
import { buildSample, scriptFlavors, type ImportFailure } from '@shared/mlflow/payload/azureml-sample';
import { signatureLoadFailure } from '@shared/mlflow/payload/mlflow-2-3-gates';
import { signatureLoadKeyText } from '@shared/mlflow/payload/signature-load-text';
import { resolveMlflowVersion, type EmulatedVersion } from '@shared/mlflow/payload/version';
import { WarningSink } from '@shared/mlflow/payload/warnings';
import type { ServerKind } from '@shared/mlflow/output/responses';
import type { PayloadModelContext } from '../payload/model-context';

/** The readiness finding naming each reason Azure's scoring script fails at import (rules/azure-script-import.ts). */
const IMPORT_FAILURE_FINDING: Record<ImportFailure['cause'], string> = {
  example: 'input-example-fails-on-azure',
  'input-columns': 'signature-type-unsupported-on-azure',
  'output-columns': 'signature-output-type-unsupported-on-azure',
};

const whereItFails = (server: ServerKind): string =>
  server === 'azureml' ? "Azure's scoring script fails at start-up (`Model.load`)" : 'mlflow models serve fails while loading the model';

/**
 * `served`: the version the local server emulates (the override, else the pin). Null when the real server starts.
 * `report.findings` gives the readiness check's words and fix where it has them (they are about the pinned version).
 */
export function startVerdict(report: Pick<ModelReport, 'findings'>, context: PayloadModelContext, server: ServerKind, served: EmulatedVersion): ServerWouldNotStartData | null {
  const pinned = resolveMlflowVersion(context.mlmodelVersion, context.requirementsPin, null);
  const finding = (code: string): Finding | undefined => report.findings.find((f) => f.code === code);

  // Both servers load MLmodel before they listen: a version older than the signature fails there
  const load = context.signature ? signatureLoadFailure(served, context.signature.raw) : null;
  if (load !== null) {
    const pinnedFails = served.version === pinned.version || (context.signature !== null && signatureLoadFailure(pinned, context.signature.raw) !== null);
    return {
      reason: `${signatureLoadKeyText(load)}; MLflow ${served.version} cannot read it, so ${whereItFails(server)}.`,
      log: load.error,
      pinnedStarts: pinnedFails ? null : pinned.version,
      fix: pinnedFails
        ? (finding('signature-too-new-for-pinned-mlflow')?.fix ??
          `Pin the MLflow that wrote the model (MLmodel \`mlflow_version\`${context.mlmodelVersion ? `: ${context.mlmodelVersion}` : ''}) in requirements.txt / conda.yaml, or re-log the model with the MLflow you pin.`)
        : null,
    };
  }
  if (server !== 'azureml') return null;
  // Azure's script then builds its request sample at import (the engine's sampleFor; no MLflow version in it)
  if (context.inputExample === null && context.signature === null) return null;
  const sample = buildSample(context.inputExample, context.signature, scriptFlavors(context.flavors), new WarningSink());
  if (sample.kind !== 'import-failure') return null;
  const f = finding(IMPORT_FAILURE_FINDING[sample.cause]);
  return {
    reason: f ? `${f.title}.` : `Azure's scoring script fails at start-up (${sample.why}).`,
    log: sample.error,
    pinnedStarts: null,
    fix: f?.fix ?? null,
  };
}
