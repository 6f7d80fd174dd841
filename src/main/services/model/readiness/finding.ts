import type { Finding, ModelReport, Severity } from '../../../../shared/mlflow/model-report';

/** The inspection result before readiness runs: rules read it, they never see other findings. */
export type ReportWithoutFindings = Omit<ModelReport, 'findings'>;

/** One readiness rule: a pure function of the report (no I/O), returning zero or more findings. */
export type ReadinessRule = (report: ReportWithoutFindings) => Finding[];

/**
 * Where the facts come from. Paths are relative to the shared reference folder; the external sources are
 * named by repository, path and commit so a reviewer can re-read exactly what the rule relies on.
 */
export const Ref = {
  signatureFormat: 'payloads.md §1',
  milestones: 'payloads.md §0 (version milestones)',
  enforcement: 'payloads.md §2.2',
  tensorEnforcement: 'payloads.md §2.4',
  azure: 'payloads.md §4',
  azureSideBySide: 'payloads.md §4.1',
  versionBehaviour: 'payloads.md §10',
  onnxFlavor: 'onnx-flavor.md',
  deploymentYaml: 'azure.md §8 (managedOnlineDeployment)',
  /** MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-deploy-mlflow-models-online-endpoints.md @15fb5ac2 */
  pyfuncOnlyDoc: 'learn.microsoft.com/azure/machine-learning/how-to-deploy-mlflow-models-online-endpoints ("only supported for pyfunc model flavor")',
  /** MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-deploy-mlflow-models.md @0fe61a2c */
  noEgressDoc: 'learn.microsoft.com/azure/machine-learning/how-to-deploy-mlflow-models (tip: workspaces without public network access must package)',
  /** Azure/azureml-assets assets/training/model_management/environments/mlflow-model-inference/context/runit/gunicorn/run @0103fd16 */
  startScript: 'Azure/azureml-assets mlflow-model-inference/context/runit/gunicorn/run @0103fd16 (conda env create from <model>/conda.yaml)',
  /** microsoft/azureml-inference-server setup.py @010e7106 and CHANGELOG.rst @06f6f49d */
  inferenceServerPython: 'microsoft/azureml-inference-server setup.py @010e7106 (python_requires ">=3.9") + CHANGELOG.rst @06f6f49d',
  /** Azure/azureml-assets mlflow-py312-inference/context/mlflow_score_script.py @4c5352af (source A1 of payloads.md) */
  scoreScript: 'payloads.md §4 (A1 mlflow_score_script.py; read @4c5352af)',
  monitoringImport: 'peers.md §(b) pain 6; Azure/azureml-examples PR #4008, #4031 (No module named \'azureml.ai\')',
  mlflow3NoCode: 'peers.md §(b) pains 6 and 17; Azure/azureml-examples PR #4051 (pin mlflow<3 fixes no-code 502)',
  privateLink: 'peers.md §(b) pain 11; azure.md §3.9 (model package)',
} as const;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; rules keep their own order inside a severity (stable sort). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** Builds a Finding with every field spelled out, so no rule forgets `file` or `reference`. */
export function finding(f: {
  code: string;
  severity: Severity;
  title: string;
  evidence: string;
  fix: string;
  file?: string | null;
  reference?: string | null;
}): Finding {
  return {
    code: f.code,
    severity: f.severity,
    title: f.title,
    evidence: f.evidence,
    fix: f.fix,
    file: f.file ?? null,
    reference: f.reference ?? null,
  };
}

/** `a`, `a` and `b`, `a`, `b` and `c` — for evidence sentences. */
export function listText(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  const tail = rest > 0 ? [...shown, `${rest} more`] : shown;
  if (tail.length <= 1) return tail.join('');
  return `${tail.slice(0, -1).join(', ')} and ${tail[tail.length - 1]}`;
}

/** The MLmodel path to name in findings (normally `MLmodel`). */
export function mlmodelFile(report: ReportWithoutFindings): string {
  return report.mlmodel?.file ?? 'MLmodel';
}
