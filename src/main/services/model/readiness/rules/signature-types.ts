import type { ColumnSpec, Finding } from '@shared/mlflow/model-report';
import { finding, listText, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';
import { azureSampleExample } from './example-source';

const COMPLEX = new Set(['array', 'object', 'map', 'any']);

function complexColumns(columns: ColumnSpec[]): string[] {
  return columns.filter((c) => COMPLEX.has(c.type.type)).map((c) => `\`${c.name ?? '(unnamed)'}\`: ${c.display}`);
}

/**
 * Array/Object/Map/Any columns: Azure's script builds its sample with `Schema.pandas_types()`, which
 * has no pandas type for them, so it fails at import and the deployment never starts ("UnboundLocalError,
 * or 'Invalid sample input provided, must provide a sample Numpy array.'", payloads.md §4.1 row
 * "Array/Object/Map/Any column signature"). Reading A1 shows two refinements we honour:
 * - the input sample is only built from the signature when no saved input example loaded, so with a usable
 *   example the input side may start (we still warn: that path was not run, payloads.md §9);
 * - the output sample is always built from the signature, with no fallback, so complex outputs always fail.
 */
export function signatureTypesRule(report: ReportWithoutFindings): Finding[] {
  const sig = report.signature;
  if (!sig || report.kind !== 'mlflow-folder') return [];
  const out: Finding[] = [];
  const file = mlmodelFile(report);
  const inputs = sig.inputs?.kind === 'columns' ? complexColumns(sig.inputs.columns) : [];
  const outputs = sig.outputs?.kind === 'columns' ? complexColumns(sig.outputs.columns) : [];
  const example = azureSampleExample(report);
  if (inputs.length > 0) {
    out.push(
      finding({
        code: 'signature-type-unsupported-on-azure',
        severity: example ? 'warning' : 'error',
        title: example
          ? 'Complex input column types: Azure may fail to build its request parser'
          : "Complex input column types: Azure's scoring script fails at start-up",
        evidence: example
          ? `Input columns ${listText(inputs)}. Azure builds its parser from ${example.example.file} here instead of the signature, a path payloads.md did not run; without that example the deployment does not start.`
          : `Input columns ${listText(inputs)}. Azure's script cannot build a sample DataFrame for these types, so the container fails at import and the deployment never becomes healthy.`,
        fix: 'Declare such inputs as `string` (send JSON text and parse it in the model), or deploy with your own scoring script and environment. Check the deployment log for "Invalid sample input provided" before relying on it.',
        file,
        reference: Ref.azureSideBySide,
      }),
    );
  }
  if (outputs.length > 0) {
    out.push(
      finding({
        code: 'signature-output-type-unsupported-on-azure',
        severity: 'error',
        title: "Complex output column types: Azure's scoring script fails at start-up",
        evidence: `Output columns ${listText(outputs)}. Azure's script always builds its output sample from the signature with pandas types, which these types do not have.`,
        fix: 'Remove the `outputs` entry from MLmodel `signature:` (outputs are not enforced), or log the model with a string/scalar output schema.',
        file,
        reference: Ref.scoreScript,
      }),
    );
  }
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
