import type { Finding } from '@shared/mlflow/model-report';
import { finding, listText, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';

/**
 * Column types that reach the model differently on Azure. (Complex Array/Object/Map/Any columns, which can
 * stop Azure's script at import, are judged by azure-script-import.ts with the emulation's own rule.)
 */
export function signatureTypesRule(report: ReportWithoutFindings): Finding[] {
  const sig = report.signature;
  if (!sig || report.kind !== 'mlflow-folder') return [];
  const out: Finding[] = [];
  const file = mlmodelFile(report);
  const binary = sig.inputs?.kind === 'columns' ? sig.inputs.columns.filter((c) => c.type.type === 'binary') : [];
  if (binary.length > 0) {
    // payloads.md §4.1 "binary column": MLflow serve base64-decodes, Azure leaves the base64 text.
    out.push(
      finding({
        code: 'binary-column-stays-base64-on-azure',
        severity: 'info',
        title: 'Binary columns reach the model as base64 text on Azure',
        evidence: `Binary input columns ${listText(binary.map((c) => `\`${c.name ?? '(unnamed)'}\``))}: \`mlflow models serve\` decodes them to bytes, Azure passes the base64 string unchanged.`,
        fix: 'Make the model accept both (decode with `base64.b64decode` when it receives a `str`), and test with the Azure profile in Preflight.',
        file,
        reference: Ref.azureSideBySide,
      }),
    );
  }
  if (report.mlmodel?.isSignatureFromTypeHint) {
    out.push(
      finding({
        code: 'type-hint-signature-needs-inputs-key',
        severity: 'info',
        title: 'Type-hint signature: MLflow serving needs the `inputs` key',
        evidence: 'MLmodel has `is_signature_from_type_hint: true`; `mlflow models serve` skips payload parsing and rejects any body without `inputs` ("Request payload must be a dictionary with \'inputs\' key when the model contains a valid type hint."). Azure behaviour for such models was not verified (payloads.md §9).',
        fix: 'Send `{"inputs": ...}` to MLflow servers; on Azure keep `{"input_data": ...}` and verify with a test request after deploying.',
        file,
        reference: Ref.signatureFormat,
      }),
    );
  }
  return out;
}
