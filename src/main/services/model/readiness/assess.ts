import type { Finding, ModelReport } from '../../../../shared/mlflow/model-report';

export type ReportWithoutFindings = Omit<ModelReport, 'findings'>;

/** PLACEHOLDER — being written by the readiness helper. Azure ML no-code deployment readiness rules. */
export function assessReadiness(_report: ReportWithoutFindings): Finding[] {
  return [];
}
