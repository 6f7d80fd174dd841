import type { Finding } from '@shared/mlflow/model-report';
import { finding, listText, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';
import { compareVersions, deploymentDependencies, presentEnvironmentFiles, pythonVersionOf } from '../versions';

/**
 * Azure's MLflow image start script creates the deployment environment with
 * `conda env create -f $AZUREML_MODEL_DIR/$MLFLOW_MODEL_FOLDER/conda.yaml` and exits with code 98
 * ("expected conda yaml file not found") when that exact file is absent (Ref.startScript). Only that name
 * counts: `conda.yml`, python_env.yaml or requirements.txt alone are not read.
 */
export function condaFileRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const files = presentEnvironmentFiles(report);
  if (files.some((f) => f.kind === 'conda' && f.file === 'conda.yaml')) return [];
  const present = files.map((f) => f.file);
  const other = files.find((f) => f.kind === 'conda');
  // MLmodel names conda.yaml but the folder lost it (copied without it): say that, not that the model has none
  const named = !other && report.environment.files.some((f) => f.kind === 'conda' && f.file === 'conda.yaml');
  return [
    finding({
      code: 'no-conda-yaml',
      severity: 'error',
      title: 'No conda.yaml: the Azure container exits before the model loads',
      evidence: `${named ? 'MLmodel names `conda.yaml` (python_function.env), but the folder has no such file; it has ' : 'The model folder has '}${present.length ? listText(present.map((p) => `\`${p}\``)) : 'no environment file'}${other ? ` (Azure looks for \`conda.yaml\` exactly, not \`${other.file}\`)` : ''}. Azure's start script builds the environment from \`conda.yaml\` and exits with code 98 without it.`,
      fix: other
        ? `Rename \`${other.file}\` to \`conda.yaml\` and update \`python_function.env\` in MLmodel to match.`
        : named
          ? 'Copy conda.yaml back from where the model was logged (e.g. `mlflow artifacts download` of the whole model folder), or re-log the model, which writes one.'
          : 'Add a conda.yaml (e.g. `mlflow.pyfunc.get_default_conda_env()` written out, or re-log the model, which writes one) listing python and your pip packages with mlflow pinned.',
      file: other?.file ?? mlmodelFile(report),
      reference: Ref.startScript,
    }),
  ];
}

/**
 * Azure's current MLflow scoring script does `from azureml.ai.monitoring import Collector`
 * unconditionally (payloads.md A1), while the environment it runs in is built from the model's conda.yaml
 * plus azureml-inference-server-http only (Ref.startScript); models without azureml-ai-monitoring crash at
 * boot with "No module named 'azureml.ai'" and 502 probes (Ref.monitoringImport). Which image a deployment
 * gets is not fixed (payloads.md §9), hence a warning rather than an error.
 */
export function monitoringPackageRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const { file, deps } = deploymentDependencies(report);
  if (file === null || deps.some((d) => d.name === 'azureml-ai-monitoring')) return [];
  return [
    finding({
      code: 'missing-azureml-ai-monitoring',
      severity: 'warning',
      title: "azureml-ai-monitoring is missing: Azure's current scoring script imports it",
      evidence: `${file} does not list \`azureml-ai-monitoring\`; Azure's MLflow scoring script imports \`azureml.ai.monitoring\` at start-up, and deployments without it fail with "No module named 'azureml.ai'" (liveness probe 502).`,
      fix: `Add \`- azureml-ai-monitoring\` under \`dependencies: - pip:\` in ${file} (or re-log with \`extra_pip_requirements=["azureml-ai-monitoring"]\`).`,
      file,
      reference: Ref.monitoringImport,
    }),
  ];
}

/**
 * Python version. Azure installs the python the conda file asks for, then needs
 * azureml-inference-server-http in it (Ref.startScript). That package requires Python ≥ 3.9 today
 * (classifiers 3.9–3.12); 0.8.0 dropped 3.6, 1.0.0 dropped 3.7, and MLflow no-code support arrived in
 * 0.8.4.2 (Ref.inferenceServerPython). Azure's current curated MLflow image is Python 3.12
 * (`mlflow-py312-inference`, payloads.md §0 A1; the py39 image is retired).
 */
export function pythonVersionRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const { file } = deploymentDependencies(report);
  const conda = report.environment.files.find((f) => f.file === file);
  const fromConda = conda?.python ? pythonVersionOf(conda.python) : null;
  const fromMlmodel = report.mlmodel.pythonVersion ? pythonVersionOf(report.mlmodel.pythonVersion) : null;
  const version = fromConda ?? fromMlmodel;
  if (!version) return [];
  const where = fromConda ? `${file} asks for python ${conda?.python ?? version}` : `${mlmodelFile(report)} says \`python_version: ${report.mlmodel.pythonVersion ?? version}\``;
  const editFile = fromConda ? file : mlmodelFile(report);
  const fix = `Re-log the model from a Python 3.12 environment (or 3.9–3.11), or, if the packages allow it, change \`python=${version}\` to \`python=3.12\` in ${file ?? 'conda.yaml'} and re-test locally.`;
  if (compareVersions(version, '3.7') < 0) {
    return [
      finding({
        code: 'python-version-unsupported',
        severity: 'error',
        title: `Python ${version} cannot run Azure's MLflow inference server`,
        evidence: `${where}. azureml-inference-server-http dropped Python 3.6 in 0.8.0 and gained MLflow no-code support only in 0.8.4.2, so no usable server installs on ${version}; current releases need ≥ 3.9 and Azure's MLflow image is Python 3.12.`,
        fix,
        file: editFile,
        reference: Ref.inferenceServerPython,
      }),
    ];
  }
  if (compareVersions(version, '3.9') < 0) {
    return [
      finding({
        code: 'python-version-outdated',
        severity: 'warning',
        title: `Python ${version} is older than Azure's inference server supports`,
        evidence: `${where}. azureml-inference-server-http requires Python ≥ 3.9 (it dropped 3.7 in 1.0.0), so pip falls back to an old server release that Azure no longer tests; Azure's MLflow image is Python 3.12 and old pins often fail to build (ImageBuildFailure).`,
        fix,
        file: editFile,
        reference: Ref.inferenceServerPython,
      }),
    ];
  }
  if (compareVersions(version, '3.13') >= 0) {
    return [
      finding({
        code: 'python-version-untested',
        severity: 'info',
        title: `Python ${version} is newer than Azure's MLflow image`,
        evidence: `${where}. Azure's curated MLflow image is Python 3.12 and azureml-inference-server-http is classified for 3.9–3.12 only.`,
        fix: 'Prefer python=3.12 for the deployment environment, or verify the deployment starts before relying on it.',
        file: editFile,
        reference: Ref.inferenceServerPython,
      }),
    ];
  }
  return [];
}
