import type { Finding } from '@shared/mlflow/model-report';
import { ErrorCodes } from '@shared/errors';
import { normalizeRelative } from '../../safe-fs';
import { finding, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';

/** Failures that say nothing about the file (Preflight's own bug, the user's cancel): not the model's fault. */
const NOT_THE_FILES_FAULT: ReadonlySet<string> = new Set([ErrorCodes.INTERNAL, ErrorCodes.CANCELLED]);

/**
 * The onnx flavor's `data` (model.onnx) is the file `mlflow.onnx` hands to `onnx.load`: a folder, a FIFO, a link
 * that loops or leaves the folder, or bytes that are not ONNX make the deployment fail at load. The reader lists
 * such a file as unreadable (a Problem), but problems do not decide readiness, so the verdict said Ready. Only for
 * this flavor: other flavors' `data` may well be a folder (missingArtifactsRule only asks that it exist). A missing
 * file is missingArtifactsRule's finding, not this one's.
 */
export function onnxModelFileRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const data = report.mlmodel.flavors.find((f) => f.name === 'onnx')?.settings.data;
  if (typeof data !== 'string' || data.trim() === '') return [];
  const rel = normalizeRelative(data.trim());
  if (rel === null) return [];
  const entry = report.files.find((f) => f.path === rel);
  if (!entry || report.onnx.some((o) => o.file === rel)) return [];
  const problem = report.problems.find((p) => p.file === rel && !NOT_THE_FILES_FAULT.has(p.code));
  if (!problem && entry.kind !== 'dir') return [];
  const what = entry.kind === 'dir' ? 'a folder' : entry.kind === 'symlink' ? 'a link Preflight cannot follow to an ONNX file' : 'not a readable ONNX file';
  return [
    finding({
      code: 'onnx-model-file-unreadable',
      severity: 'error',
      title: `\`${rel}\` is ${what}: the ONNX model cannot load`,
      evidence: `${mlmodelFile(report)} \`flavors.onnx.data\` names \`${rel}\`, the file MLflow passes to onnx.load. ${problem?.message ?? `${rel} is a folder.`}`,
      fix: `Put the model's .onnx file at \`${rel}\` (a regular file inside the model folder), e.g. by copying the folder again as MLflow saved it, or re-save the model with mlflow.onnx.save_model.`,
      file: rel,
      reference: Ref.onnxFlavor,
    }),
  ];
}
