/** The Package tab's four steps and what the store's state says of each (pure, so it is tested without a page). */
import type { PackageState } from './package-store';

export const STEPS = [
  { id: 'inspect', label: 'Inspect the model' },
  { id: 'resolve', label: 'Resolve offline against the wheels' },
  { id: 'write', label: 'Write the archive' },
  { id: 'verify', label: 'Verify the package' },
] as const;

export type StepState = 'pending' | 'active' | 'done' | 'failed';

export function stepStates(s: Pick<PackageState, 'operationId' | 'progress' | 'summary' | 'verifying' | 'verify'>): Record<string, StepState> {
  const order = STEPS.map((x) => x.id);
  const states: Record<string, StepState> = Object.fromEntries(order.map((id) => [id, 'pending']));
  const mark = (upTo: number, last: StepState): void => order.forEach((id, i) => (states[id] = i < upTo ? 'done' : i === upTo ? last : 'pending'));
  // A package opened to be verified is not this build's: its verdict says nothing of inspect, resolve and write here.
  const built = s.summary?.status === 'succeeded';
  if (s.verify) {
    if (built && s.summary!.out === s.verify.package) mark(3, s.verify.verdict === 'PASS' ? 'done' : 'failed');
    else states.verify = s.verify.verdict === 'PASS' ? 'done' : 'failed';
  } else if (s.verifying) {
    if (built) mark(3, 'active');
    else states.verify = 'active';
  } else if (s.summary) {
    const failedAt = s.summary.status === 'succeeded' ? 3 : s.summary.proof && !s.summary.proof.ok ? 1 : s.summary.proof ? 2 : 0;
    mark(failedAt, s.summary.status === 'succeeded' ? 'pending' : 'failed');
  } else if (s.operationId !== null) {
    const at = Math.max(0, order.indexOf((s.progress?.step === 'done' ? 'write' : s.progress?.step) ?? 'inspect'));
    mark(at, 'active');
  }
  return states;
}
