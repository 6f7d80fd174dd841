/**
 * What the version note says for a 2.x version of the 2.7 era, before 2.10 (version.ts): 2.0.1, 2.1.0, 2.3.1, 2.4.2,
 * 2.5.0, 2.6.0, 2.7.1 and 2.8.1 were run and compared (docs/fidelity.md §1, §10–§12, §14); 2.2 gets 2.1.0's and 2.3.1's
 * rules with the ones MLflow changed in between gated by version (mlflow-2-0-gates.ts), 2.9 2.8.1's with the 2.9.0
 * gate (enforce.ts).
 */
export function observedBefore210(major: number, minor: number): string {
  if (minor === 7 || minor === 8) return `behaviour observed on the real 2.${minor}.1 server`;
  if (minor === 9) return 'the behaviour observed on the real 2.8.1 and 2.10.2 servers, with the rule MLflow changed in 2.9.0 gated by version (2.9 itself was not run)';
  // 2.0.1, 2.1.0, 2.5.0 and 2.6.0 (docs/fidelity.md §14), 2.3.1 and 2.4.2 (§10, §11)
  const ran: Record<number, string> = { 0: '2.0.1', 1: '2.1.0', 3: '2.3.1', 4: '2.4.2', 5: '2.5.0', 6: '2.6.0' };
  if (ran[minor] !== undefined) return `behaviour observed on the real ${ran[minor]} server`;
  if (minor === 2) return `the behaviour observed on the real 2.1.0 and 2.3.1 servers, with the rules MLflow changed in between gated by version (${major}.${minor} itself was not run)`;
  return `the 2.7.1 behaviour (the nearest observed version; ${major}.${minor} itself was not run)`;
}
