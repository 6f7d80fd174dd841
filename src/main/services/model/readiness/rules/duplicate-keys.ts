import type { Finding } from '@shared/mlflow/model-report';
import { finding, type ReportWithoutFindings } from '../finding';

/**
 * PyYAML's `safe_load` (MLflow reading MLmodel, conda/virtualenv reading the environment files) keeps the last of
 * two equal keys without a word, and Preflight reads them the same way. The value that counts may not be the one
 * the user edited (an `mlflow_version` added at the top of a file that already has one), so each repeat is shown,
 * as info: the model means what MLflow reads.
 */
export function duplicateKeysRule(report: ReportWithoutFindings): Finding[] {
  return (report.duplicateKeys ?? []).map((d) =>
    finding({
      code: 'yaml-duplicate-key',
      severity: 'info',
      title: `\`${d.file}\` gives \`${d.key}\` twice: the last one wins, as MLflow reads it`,
      evidence: `${d.file} line ${d.firstLine} and line ${d.line} both set \`${d.key}\`. PyYAML (how MLflow and Azure ML read the file) keeps the value on line ${d.line} and drops the other without a warning; Preflight does the same.`,
      fix: `Delete the key you did not mean (line ${d.firstLine} is ignored), so the file says once what the model uses.`,
      file: d.file,
      reference: 'https://github.com/yaml/pyyaml/issues/165',
    }),
  );
}
