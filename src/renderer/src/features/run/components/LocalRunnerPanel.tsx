import { useEffect } from 'react';
import { ServerProfilePicker } from '../../../components/ui/ServerProfilePicker';
import { useRun } from '../hooks/run-store-context';
import type { CurlRequest, Server } from '../store/selectors';
import { PythonInterpreterControl } from './PythonInterpreterControl';
import { ServerPanel } from './ServerPanel';
import '../run.css';

/** Which engine runs the model and, for Python, the interpreter and the pins it does not match. */
function EngineLine() {
  const env = useRun((s) => s.environment);
  if (env.status === 'idle') return null;
  if (env.status === 'loading') return <span className="muted small">Looking for the engine that can run this model…</span>;
  if (env.status === 'error') {
    return (
      <span className="text-error small" data-testid="run-environment" data-engine="none">
        {env.error.message}
      </span>
    );
  }
  const { engine, summary, python } = env.environment;
  const mismatches = python?.packages.filter((p) => p.matches === false || (p.installed === null && p.name !== 'mlflow')) ?? [];
  return (
    <div className="run-environment" data-testid="run-environment" data-engine={engine}>
      <span className="small">{summary}</span>
      {mismatches.length > 0 ? (
        <details className="small">
          <summary className="text-warning">
            {mismatches.length} pinned package{mismatches.length === 1 ? '' : 's'} differ from this interpreter — Azure installs the pins, so answers may differ
          </summary>
          <ul className="plain-list">
            {mismatches.map((p) => (
              <li key={`${p.file}-${p.name}`}>
                <code>
                  {p.name}
                  {p.pinned}
                </code>{' '}
                ({p.file}): {p.installed === null ? 'not installed' : `has ${p.installed}`}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/**
 * The local runner beside the playground: which engine runs the model (and, for Python, the interpreter and the
 * pins it does not match), the "Python interpreter" setting, and a local scoring server to call from other
 * tools with its live request log. Sending requests is the playground's job; `requestFor` hands its request (in
 * the form each server reads) to the server's curl line — the shell wires it, features do not import each other.
 */
export function LocalRunnerPanel({
  modelPath,
  requestFor,
  mlflowVersion = null,
  emulatedVersion = null,
}: {
  modelPath: string;
  requestFor(server: Server, servedVersion: string): CurlRequest | null;
  /** The MLflow version a started server emulates instead of the pin (the playground's choice). */
  mlflowVersion?: string | null;
  /** The MLflow version the playground emulates now, resolved (null while unknown): a server started on another is out of date. */
  emulatedVersion?: string | null;
}) {
  const setModel = useRun((s) => s.setModel);
  const server = useRun((s) => s.server);
  const setServer = useRun((s) => s.setServer);
  useEffect(() => {
    void setModel(modelPath);
  }, [modelPath, setModel]);
  return (
    <div className="run stack" data-testid="run-panel">
      <section className="card run-settings">
        <h3>Local runner</h3>
        <EngineLine />
        <PythonInterpreterControl />
      </section>
      <ServerPanel
        requestFor={requestFor}
        mlflowVersion={mlflowVersion}
        emulatedVersion={emulatedVersion}
        picker={
          <>
            <span className="run-label" id="run-profile-label">
              serve as
            </span>
            <ServerProfilePicker value={server} onChange={setServer} testIdPrefix="run-server-" className="run-servers" labelledBy="run-profile-label" />
          </>
        }
      />
    </div>
  );
}
