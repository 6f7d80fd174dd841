import type { Finding, ModelReport, Severity } from '@shared/mlflow/model-report';

/** The inspection result before readiness runs: rules read it, they never see other findings. */
export type ReportWithoutFindings = Omit<ModelReport, 'findings'>;

/** One readiness rule: a pure function of the report (no I/O), returning zero or more findings. */
export type ReadinessRule = (report: ReportWithoutFindings) => Finding[];

const MLFLOW_SIGNATURES = 'https://mlflow.org/docs/latest/ml/model/signatures';
const MLFLOW_CHANGELOG = 'https://github.com/mlflow/mlflow/blob/master/CHANGELOG.md';
const AZURE_MLFLOW_ONLINE = 'https://learn.microsoft.com/azure/machine-learning/how-to-deploy-mlflow-models-online-endpoints';
const AZURE_MLFLOW_MODELS = 'https://learn.microsoft.com/azure/machine-learning/how-to-deploy-mlflow-models';

/**
 * Where the facts come from, as public links a user can open (findings reach people who do not have our
 * notes). The reference notes behind each rule (payloads.md, azure.md, peers.md) are cited in the rule's
 * comment; a GitHub link pins the commit that was read.
 */
export const Ref = {
  signatureFormat: MLFLOW_SIGNATURES,
  milestones: MLFLOW_CHANGELOG,
  enforcement: `${MLFLOW_SIGNATURES}#signature-enforcement`,
  tensorEnforcement: `${MLFLOW_SIGNATURES}#signature-enforcement`,
  azure: AZURE_MLFLOW_ONLINE,
  azureSideBySide: `${AZURE_MLFLOW_MODELS}#differences-between-models-deployed-in-azure-machine-learning-and-mlflow-built-in-server`,
  versionBehaviour: MLFLOW_CHANGELOG,
  onnxFlavor: 'https://mlflow.org/docs/latest/api_reference/python_api/mlflow.onnx.html',
  deploymentYaml: 'https://learn.microsoft.com/azure/machine-learning/reference-yaml-deployment-managed-online',
  /** "Autogeneration of the scoring_script and environment are only supported for pyfunc model flavor". */
  pyfuncOnlyDoc: AZURE_MLFLOW_ONLINE,
  /** The tip that workspaces without public network access must package the model first. */
  noEgressDoc: AZURE_MLFLOW_MODELS,
  /** `conda env create -f <model>/conda.yaml`, exit 98 when it is missing. */
  startScript:
    'https://github.com/Azure/azureml-assets/blob/0103fd16/assets/training/model_management/environments/mlflow-model-inference/context/runit/gunicorn/run',
  /** python_requires ">=3.9" and the release history (microsoft/azureml-inference-server setup.py @010e7106). */
  inferenceServerPython: 'https://pypi.org/project/azureml-inference-server-http/',
  /** payloads.md source A1. */
  scoreScript:
    'https://github.com/Azure/azureml-assets/blob/d258c7ca478f6eee914da8f45bac125fd6d8315a/assets/inference/environments/mlflow-py312-inference/context/mlflow_score_script.py',
  /** "No module named 'azureml.ai'"; also PR #4031. */
  monitoringImport: 'https://github.com/Azure/azureml-examples/pull/4008',
  /** Pinning mlflow<3 fixes the no-code 502. */
  mlflow3NoCode: 'https://github.com/Azure/azureml-examples/pull/4051',
  privateLink: 'https://learn.microsoft.com/azure/machine-learning/how-to-package-models',
  /** MLmodel's storage format: flavors name the files the loaders open. */
  storageFormat: 'https://mlflow.org/docs/latest/ml/model/#storage-format',
  /** Unpickling across scikit-learn versions is unsupported. */
  sklearnPersistence: 'https://scikit-learn.org/stable/model_persistence.html',
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
export function finding(f: Omit<Finding, 'file' | 'reference'> & Partial<Pick<Finding, 'file' | 'reference'>>): Finding {
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
