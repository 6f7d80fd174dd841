import type { ModelReport, Severity } from './model-report';

/** The one line a user reads first: can this model go to Azure ML no-code deployment, and if not, why. */
export interface ReadinessVerdict {
  ready: boolean;
  counts: Record<Severity, number>;
  /** e.g. `Not ready for Azure ML no-code deployment: 2 errors, 1 warning. First: No conda.yaml: …`. */
  headline: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function readinessVerdict(report: Pick<ModelReport, 'findings' | 'problems'>): ReadinessVerdict {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity] += 1;
  const ready = counts.error === 0;
  const tally = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (report.problems.length > 0) tally.push(`${plural(report.problems.length, 'part')} unreadable`);
  const firstError = report.findings.find((f) => f.severity === 'error');
  const headline = ready
    ? `Ready for Azure ML no-code deployment as far as Preflight can see (${tally.join(', ')}).`
    : `Not ready for Azure ML no-code deployment: ${tally.join(', ')}. First: ${firstError?.title ?? ''}.`;
  return { ready, counts, headline };
}
