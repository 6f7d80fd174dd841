import type { Finding } from '@shared/mlflow/model-report';
import { finding, listText, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';

/**
 * Azure generates the scoring script and environment only for the `python_function` flavor
 * (Ref.pyfuncOnlyDoc: "Autogeneration of the scoring_script and environment are only supported for pyfunc
 * model flavor"); the script then calls `mlflow.pyfunc.load_model` (payloads.md §4, A1).
 */
export function pyfuncFlavorRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind === 'onnx-file') {
    return [
      finding({
        code: 'not-an-mlflow-model',
        severity: 'error',
        title: 'A bare ONNX file cannot be deployed without code',
        evidence: `${report.name} is an ONNX file, not an MLflow model folder (no MLmodel, no python_function flavor).`,
        fix: 'Wrap it in an MLflow model first: `mlflow.onnx.save_model(onnx.load("model.onnx"), "model_dir", signature=...)`, then open and deploy the folder.',
        reference: Ref.pyfuncOnlyDoc,
      }),
    ];
  }
  const mlmodel = report.mlmodel;
  if (!mlmodel) {
    // A folder of ONNX files without MLmodel (an unreadable MLmodel stops inspection before this): it must
    // never look ready, Azure's no-code path needs an MLflow model.
    return [
      finding({
        code: 'not-an-mlflow-model',
        severity: 'error',
        title: 'No MLmodel: this folder cannot be deployed without code',
        evidence: `${report.name} holds ONNX files but no MLmodel file, so it is not an MLflow model (no python_function flavor, no signature).`,
        fix: 'Save it as an MLflow model first: `mlflow.onnx.save_model(onnx.load("model.onnx"), "model_dir", signature=...)`, then open and deploy that folder.',
        reference: Ref.pyfuncOnlyDoc,
      }),
    ];
  }
  const names = mlmodel.flavors.map((f) => f.name);
  if (names.includes('python_function')) return [];
  return [
    finding({
      code: 'no-pyfunc-flavor',
      severity: 'error',
      title: 'No python_function flavor: Azure cannot generate the scoring script',
      evidence: `MLmodel flavors: ${names.length ? listText(names.map((n) => `\`${n}\``)) : 'none'}; \`python_function\` is missing.`,
      fix: 'Re-log the model with a flavor that adds python_function (e.g. `mlflow.sklearn.log_model`, `mlflow.pyfunc.log_model`), or deploy it with your own scoring script and environment instead of no-code deployment.',
      file: mlmodelFile(report),
      reference: Ref.pyfuncOnlyDoc,
    }),
  ];
}
