import type { Finding } from '@shared/mlflow/model-report';
import { finding, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';

/**
 * Without a signature (and without a saved input example) Azure's script has no sample, so it passes
 * `input_data` through untyped: a list becomes an ndarray, a dict needs ALL of `columns`, `index`, `data` to
 * become a DataFrame and any other dict becomes named tensors (payloads.md §4). Nothing checks columns
 * or types, and the swagger has no schema. Azure does not refuse to deploy, hence a warning.
 */
export function signatureRule(report: ReportWithoutFindings): Finding[] {
  const mlmodel = report.mlmodel;
  if (!mlmodel || report.kind !== 'mlflow-folder') return [];
  if (report.signature?.inputs) return [];
  const hasExample = mlmodel.savedInputExampleInfo !== null;
  const what = report.signature ? 'MLmodel has a `signature:` block but its `inputs` is null' : 'MLmodel has no `signature:` block';
  return [
    finding({
      code: 'no-signature',
      severity: 'warning',
      title: 'No input signature: Azure will not check or type requests',
      evidence: `${what}${hasExample ? '' : ' and no saved_input_example_info'}. Azure then passes \`input_data\` through untyped: a split frame must carry all of \`columns\`, \`index\` and \`data\` or the model receives a dict of arrays instead of a DataFrame.`,
      fix: 'Re-log the model with a signature: `signature = mlflow.models.infer_signature(X_sample, model.predict(X_sample))` and `log_model(..., signature=signature, input_example=X_sample)`. Until then always send `{"input_data": {"columns": [...], "index": [...], "data": [...]}}` with `index`.',
      file: mlmodelFile(report),
      reference: Ref.azure,
    }),
  ];
}
