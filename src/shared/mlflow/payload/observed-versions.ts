/**
 * What the version note says for a 2.x version of the 2.7 era, before 2.10 (version.ts): 2.3.1, 2.4.2, 2.7.1 and
 * 2.8.1 were run and compared (docs/fidelity.md §1, §10–§12); 2.5 and 2.6 get 2.7.1's rules with the ones MLflow
 * changed gated by version (mlflow-2-3-gates.ts), 2.9 2.8.1's with the 2.9.0 gate (enforce.ts), the ones before
 * 2.3 the 2.3.1 behaviour.
 */
export function observedBefore210(major: number, minor: number): string {
  if (minor === 7 || minor === 8) return `behaviour observed on the real 2.${minor}.1 server`;
  if (minor === 9) return 'the behaviour observed on the real 2.8.1 and 2.10.2 servers, with the rule MLflow changed in 2.9.0 gated by version (2.9 itself was not run)';
  if (minor === 3 || minor === 4) return `behaviour observed on the real ${minor === 3 ? '2.3.1' : '2.4.2'} server`;
  if (minor > 4 && minor < 7) return `the behaviour observed on the real 2.4.2 and 2.7.1 servers, with the rules MLflow changed in between gated by version (${major}.${minor} itself was not run)`;
  const nearest = minor < 3 ? '2.3.1' : '2.7.1';
  return `the ${nearest} behaviour (the nearest observed version; ${major}.${minor} itself was not run)`;
}
