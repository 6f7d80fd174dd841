import type { Finding } from '@shared/mlflow/model-report';
import { finding, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';
import { compareVersions, deploymentDependencies, exactPin } from '../versions';

/**
 * The sklearn flavor records the scikit-learn that pickled the model (`sklearn_version`). scikit-learn does
 * not support unpickling with another version (Ref.sklearnPersistence): it warns (InconsistentVersionWarning)
 * and may fail or predict differently. The deployment installs what the environment file asks for.
 */
export function sklearnVersionRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const pickled = report.mlmodel.flavors.find((f) => f.name === 'sklearn')?.settings.sklearn_version;
  if (typeof pickled !== 'string' || pickled.trim() === '') return [];
  const { file, deps } = deploymentDependencies(report);
  const dep = deps.find((d) => d.name === 'scikit-learn' || d.name === 'sklearn');
  if (!file || !dep) return [];
  const pinned = exactPin(dep.spec);
  if (pinned !== null && compareVersions(pinned, pickled) === 0) return [];
  const installs = pinned ? `installs scikit-learn ${pinned}` : `asks for \`${dep.raw.trim()}\`, so pip picks the newest matching release`;
  return [
    finding({
      code: 'sklearn-version-mismatch',
      severity: 'warning',
      title: pinned ? `Pickled with scikit-learn ${pickled}, deployed with ${pinned}` : `Pickled with scikit-learn ${pickled}, but the environment does not pin it`,
      evidence: `${mlmodelFile(report)} says \`sklearn_version: ${pickled}\`; ${file} ${installs}. scikit-learn does not support loading a pickle with another version: it may fail to load or predict differently.`,
      fix: `Pin \`scikit-learn==${pickled}\` in ${file} (and requirements.txt), or re-log the model with the scikit-learn you deploy.`,
      file,
      reference: Ref.sklearnPersistence,
    }),
  ];
}
