/**
 * The version note for MLflow 1.x (docs/fidelity.md §15): the pre-2.0 protocol, emulated by mlflow-1x-server.ts and
 * observed on real 1.25.1, 1.26.1, 1.28.0 and 1.30.1 servers; the 1.x minors in between follow the same code with the
 * changes between the tags gated by version; before 1.25 the protocol is older than any server run here.
 */
const OBSERVED_1X: Readonly<Record<number, string>> = { 25: '1.25.1', 26: '1.26.1', 28: '1.28.0', 30: '1.30.1' };

export function observed1x(major: number, minor: number): string {
  if (major === 1 && OBSERVED_1X[minor] !== undefined) return `behaviour observed on the real ${OBSERVED_1X[minor]} server (the pre-2.0 protocol: bare pandas JSON, CSV, TF serving)`;
  if (major === 1 && minor >= 25)
    return `the pre-2.0 protocol as observed on the real 1.25.1, 1.26.1, 1.28.0 and 1.30.1 servers, with the rules MLflow changed in between gated by version (${major}.${minor} itself was not run)`;
  return `the pre-2.0 protocol as observed on the real 1.25.1 server (the oldest 1.x run here; ${major}.${minor} itself was not run, and its scoring code may differ)`;
}
