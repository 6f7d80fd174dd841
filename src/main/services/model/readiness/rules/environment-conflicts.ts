import type { Finding } from '@shared/mlflow/model-report';
import { finding, listText, Ref, type ReportWithoutFindings } from '../finding';
import { deploymentDependencies } from '../versions';

/**
 * Environment files that disagree (found by the environment reader, shown on the Environment tab) decide
 * which versions the deployment gets: Azure builds from conda.yaml (Ref.startScript) while
 * `mlflow models serve` and most local tests use python_env.yaml/requirements.txt. A disagreement is a
 * finding, not only a table row, because the model the user tested is then not the model Azure runs.
 */
export function environmentConflictsRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const { conflicts } = report.environment;
  if (conflicts.length === 0) return [];
  const { file } = deploymentDependencies(report);
  const names = conflicts.map((c) => c.name);
  return [
    finding({
      code: 'environment-files-disagree',
      severity: 'warning',
      title: `The environment files disagree on ${listText(names, 4)}`,
      evidence: conflicts.map((c) => c.message).join(' '),
      fix: `Make the files agree${file ? ` with ${file}, which Azure installs` : ''} (re-logging the model writes them together), then re-test locally with the same versions.`,
      file,
      reference: Ref.startScript,
    }),
  ];
}
