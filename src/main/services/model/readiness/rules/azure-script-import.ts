import type { ColumnSpec, Finding } from '@shared/mlflow/model-report';
import { importFailures, isComplexColumn, scriptFlavors, type ImportFailure, type InputExampleLike } from '@shared/mlflow/payload/azureml-sample';
import { WarningSink } from '@shared/mlflow/payload/warnings';
import { signatureLoadFailure } from '@shared/mlflow/payload/mlflow-2-3-gates';
import { signatureLoadKeyText } from '@shared/mlflow/payload/signature-load-text';
import { mlflowPin, resolveMlflowVersion } from '@shared/mlflow/payload/version';
import { finding, listText, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';
import { azureSampleExample } from './example-source';

const columnsText = (columns: readonly ColumnSpec[]): string[] => columns.filter(isComplexColumn).map((c) => `\`${c.name ?? '(unnamed)'}\`: ${c.display}`);

/**
 * Azure's no-code scoring script builds an InferenceSchema sample at import; some models make that raise, so
 * the container never becomes healthy. The verdict is the Azure emulation's own (`importFailures`, the
 * branches run with the real script: docs/fidelity.md "Azure's scoring script"), so the report and
 * `serve`/`validate --server azureml` never disagree.
 */
export function azureScriptImportRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  // The MLflow Azure installs (the same resolution as predict/serve/validate) loads MLmodel first of all
  const served = resolveMlflowVersion(report.mlmodel.mlflowVersion ?? null, mlflowPin(report.environment.dependencies));
  const load = report.signature ? signatureLoadFailure(served, report.signature.raw) : null;
  if (load !== null) {
    const wrote = report.mlmodel.mlflowVersion;
    return [
      finding({
        code: 'signature-too-new-for-pinned-mlflow',
        severity: 'error',
        title: `MLflow ${served.version} cannot read this signature: Azure's scoring script fails at start-up`,
        evidence: `${signatureLoadKeyText(load)}; the environment installs MLflow ${served.version} (${served.source === 'requirements' ? 'the requirements pin it' : 'MLmodel\'s mlflow_version'}), which cannot read it. The script's first statement, \`Model.load\`, raises and the deployment log shows \`${load.error}\`. The deployment never becomes healthy.`,
        fix: `Pin the MLflow that wrote the model (MLmodel \`mlflow_version\`${wrote ? `: ${wrote}` : ''}) in requirements.txt / conda.yaml, or re-log the model with the MLflow you pin.`,
        file: mlmodelFile(report),
        reference: Ref.scoreScript,
      }),
    ];
  }
  const src = azureSampleExample(report);
  const ex: InputExampleLike | null = src
    ? { form: src.example.form, savedType: src.type, ...(src.example.truncated ? { content: src.example.content } : { text: src.example.pretty }) }
    : null;
  const failures = importFailures(ex, report.signature, scriptFlavors(report.mlmodel.flavors.map((f) => f.name)), new WarningSink());
  return failures.map((f) => toFinding(report, f, src?.example.file ?? 'input_example.json'));
}

function toFinding(report: ReportWithoutFindings, f: ImportFailure, exampleFile: string): Finding {
  const file = mlmodelFile(report);
  const log = `The deployment log shows \`${f.error}\`.`;
  if (f.cause === 'example')
    return finding({
      code: 'input-example-fails-on-azure',
      severity: 'error',
      title: "A JSON-object input example stops Azure's scoring script at start-up",
      evidence: `MLmodel saves ${exampleFile} as \`type: json_object\`, and it holds a JSON object: Azure's script takes it as is as its request sample and wraps each value as a numpy sample, which a JSON value never is (only transformers models are exempt). ${log} The deployment never becomes healthy.`,
      fix: `Delete the \`saved_input_example_info:\` block from MLmodel (keep ${exampleFile} if you like) so Azure builds its parser from the signature, re-log the model with a DataFrame input example (without \`example_no_conversion=True\`), or deploy with your own scoring script.`,
      file,
      reference: Ref.scoreScript,
    });
  const inputs = report.signature?.inputs?.kind === 'columns' ? columnsText(report.signature.inputs.columns) : [];
  const outputs = report.signature?.outputs?.kind === 'columns' ? columnsText(report.signature.outputs.columns) : [];
  if (f.cause === 'output-columns')
    return finding({
      code: 'signature-output-type-unsupported-on-azure',
      severity: 'error',
      title: "Complex output column types: Azure's scoring script fails at start-up",
      evidence: `Output columns ${listText(outputs)}. Azure's script always builds its output sample from the signature with pandas types, which these types do not have. ${log}`,
      fix: 'Remove the `outputs` entry from MLmodel `signature:` (outputs are not enforced), or log the model with a string/scalar output schema.',
      file,
      reference: Ref.scoreScript,
    });
  return finding({
    code: 'signature-type-unsupported-on-azure',
    severity: 'error',
    title: "Complex input column types: Azure's scoring script fails at start-up",
    evidence: `Input columns ${listText(inputs)}. Azure's script has no pandas type for them, and its fallback sample for named columns fails (${f.why}). ${log} The deployment never becomes healthy.`,
    fix: 'Declare such inputs as `string` (send JSON text and parse it in the model), save a DataFrame input example with the model (Azure then builds its parser from it), or deploy with your own scoring script and environment.',
    file,
    reference: Ref.azureSideBySide,
  });
}
