import type { Finding } from '@shared/mlflow/model-report';
import { sortFindings, type ReadinessRule, type ReportWithoutFindings } from './finding';
import { missingArtifactsRule } from './rules/artifacts';
import { condaFileRule, monitoringPackageRule, pythonVersionRule } from './rules/environment';
import { pyfuncFlavorRule } from './rules/flavor';
import { inputExampleRule } from './rules/input-example';
import { mlflowDependencyRule, signatureFeatureVersionRule } from './rules/mlflow-dependency';
import { modelSizeRule } from './rules/model-size';
import { networkDependenciesRule } from './rules/network-dependencies';
import { onnxSignatureRule } from './rules/onnx-signature';
import { onnxModelFileRule } from './rules/onnx-model-file';
import { signatureRule } from './rules/signature-presence';
import { signatureTypesRule } from './rules/signature-types';
import { azureScriptImportRule } from './rules/azure-script-import';
import { environmentConflictsRule } from './rules/environment-conflicts';
import { sklearnVersionRule } from './rules/sklearn-version';
import { duplicateKeysRule } from './rules/duplicate-keys';

export type { ReportWithoutFindings } from './finding';

/** Every rule, in the order findings of equal severity are shown (model → signature → env → size). */
export const READINESS_RULES: readonly ReadinessRule[] = [
  pyfuncFlavorRule,
  missingArtifactsRule,
  onnxModelFileRule,
  signatureRule,
  azureScriptImportRule,
  signatureTypesRule,
  inputExampleRule,
  onnxSignatureRule,
  condaFileRule,
  mlflowDependencyRule,
  signatureFeatureVersionRule,
  pythonVersionRule,
  sklearnVersionRule,
  environmentConflictsRule,
  monitoringPackageRule,
  networkDependenciesRule,
  modelSizeRule,
  duplicateKeysRule,
];

/**
 * Azure ML no-code deployment readiness: pure over the report (no I/O), errors first. `report.problems`
 * are deliberately not repeated here: the UI shows them in their own list.
 */
export function assessReadiness(report: ReportWithoutFindings): Finding[] {
  return sortFindings(READINESS_RULES.flatMap((rule) => rule(report)));
}
