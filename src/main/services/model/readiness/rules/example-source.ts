import type { InputExample } from '@shared/mlflow/model-report';
import type { ReportWithoutFindings } from '../finding';

/**
 * The input example Azure's script reads: only the one MLmodel's `saved_input_example_info.artifact_path`
 * names, and only when it parsed (A1 `mlflow_score_script.py` loads it and falls back to the signature
 * on any exception; payloads.md §4).
 */
export function azureSampleExample(report: ReportWithoutFindings): { example: InputExample; type: string } | null {
  const info = report.mlmodel?.savedInputExampleInfo;
  if (!info) return null;
  const path = typeof info['artifact_path'] === 'string' ? info['artifact_path'] : null;
  const type = typeof info['type'] === 'string' ? info['type'] : null;
  if (!path || !type) return null;
  const example = report.inputExamples.find((e) => e.file === path && e.role === 'input_example');
  if (!example || example.content === null || example.content === undefined || example.error) return null;
  return { example, type };
}
