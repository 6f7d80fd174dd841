import type { Finding } from '@shared/mlflow/model-report';
import { finding, listText, Ref, type ReportWithoutFindings } from '../finding';

const GiB = 1024 ** 3;

/**
 * Neither payloads.md nor azure.md documents a size limit, so the threshold is ours: 2 GiB. Why that number:
 * every instance downloads the whole folder at start (storage-initializer) after conda has installed the
 * environment, and the default probes give the container 10 s + 30 × 10 s ≈ 5 minutes
 * (azure.md §8, `liveness_probe` defaults) on the default Standard_F4s_v2 instance (azure.md §3.7); by 2 GiB
 * download + deserialisation regularly eats most of that budget (peers.md §(b) pain 9), and 2 GiB is also the
 * largest single protobuf/ONNX file without external data. Above it we tell the user which knobs to turn.
 */
export const LARGE_MODEL_BYTES = 2 * GiB;

function human(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

export function modelSizeRule(report: ReportWithoutFindings): Finding[] {
  if (report.totalBytes < LARGE_MODEL_BYTES) return [];
  const biggest = report.files
    .filter((f) => f.kind === 'file')
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((f) => `\`${f.path}\` ${human(f.size)}`);
  return [
    finding({
      code: 'large-model',
      severity: 'warning',
      title: `Large model (${human(report.totalBytes)}): slow start-up on Azure`,
      evidence: `The model totals ${human(report.totalBytes)}${biggest.length ? ` (largest: ${listText(biggest)})` : ''}. Each instance downloads and loads all of it after installing the environment, within the default ≈5-minute probe budget.`,
      fix: 'In the deployment YAML raise `liveness_probe.initial_delay` / `readiness_probe.initial_delay` (e.g. 600) and pick an `instance_type` with memory for the model (not the default Standard_F4s_v2); drop files the model does not load.',
      file: null,
      reference: Ref.deploymentYaml,
    }),
  ];
}
