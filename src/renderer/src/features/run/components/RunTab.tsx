import { useEffect } from 'react';
import { BodyTextarea } from '../../../components/ui/BodyTextarea';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { ServerProfilePicker } from '../../../components/ui/ServerProfilePicker';
import { useRun } from '../hooks/run-store-context';
import { draftKey } from '../store/selectors';
import { PythonInterpreterControl } from './PythonInterpreterControl';
import { RunResult } from './RunResult';
import { ServerPanel } from './ServerPanel';
import '../run.css';

const ERROR_HINTS: Record<string, string> = {
  E_ENVIRONMENT: 'Choose a Python that has the packages under "Python interpreter" above (or set PREFLIGHT_PYTHON, or activate its virtualenv/conda env before starting Preflight), then Send again.',
  E_MODEL_LOAD: "The model could not be loaded, so neither server would start with it. Check the model's environment against the interpreter.",
  E_TIMEOUT: 'The engine was stopped; it starts again on the next Send.',
  E_RUNTIME_CRASHED: 'The engine process died and starts again on the next Send.',
};

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

function Settings() {
  const server = useRun((s) => s.server);
  const setServer = useRun((s) => s.setServer);
  const contentType = useRun((s) => (s.modelPath === null ? '' : (s.drafts[draftKey(s.modelPath, s.server)]?.contentType ?? '')));
  const setContentType = useRun((s) => s.setContentType);
  return (
    <section className="card run-settings">
      <div className="run-field">
        <span className="run-label" id="run-profile-label">
          Server profile
        </span>
        <ServerProfilePicker value={server} onChange={setServer} testIdPrefix="run-server-" className="run-servers" labelledBy="run-profile-label" />
      </div>
      <label className="run-field">
        <span className="run-label">Content-Type</span>
        <input
          className="input mono"
          data-testid="run-content-type"
          value={contentType}
          placeholder="(no header)"
          spellCheck={false}
          onChange={(e) => setContentType(e.target.value)}
        />
      </label>
      <EngineLine />
      <PythonInterpreterControl />
    </section>
  );
}

function Editor() {
  const body = useRun((s) => (s.modelPath === null ? '' : (s.drafts[draftKey(s.modelPath, s.server)]?.body ?? '')));
  const edited = useRun((s) => (s.modelPath === null ? false : (s.drafts[draftKey(s.modelPath, s.server)]?.edited ?? false)));
  const samples = useRun((s) => s.samples);
  const run = useRun((s) => s.run);
  const setBody = useRun((s) => s.setBody);
  const send = useRun((s) => s.send);
  const cancel = useRun((s) => s.cancel);
  const resetToSample = useRun((s) => s.resetToSample);
  const running = run.status === 'running';
  return (
    <section className="card run-editor">
      <div className="run-toolbar">
        <h3>Request body</h3>
        <span className="run-spacer" />
        <button type="button" className="btn btn-small" data-testid="run-reset-sample" disabled={!edited} onClick={() => void resetToSample()}>
          Reset to sample
        </button>
        {running ? (
          <button type="button" className="btn" data-testid="run-cancel" onClick={() => void cancel()}>
            Cancel
          </button>
        ) : null}
        <button type="button" className="btn btn-primary" data-testid="run-send" disabled={running || samples.status === 'loading'} onClick={() => void send()} title="Ctrl+Enter / ⌘+Enter">
          {running ? 'Running…' : 'Send'}
        </button>
      </div>
      {samples.status === 'error' ? <p className="text-error small">No sample body: {samples.error.message}</p> : null}
      <BodyTextarea className="run-body" testId="run-body-editor" value={body} onChange={setBody} onSubmit={() => void send()} />
      <p className="muted small">Ctrl+Enter (⌘+Enter) sends. Edits are kept per model and profile.</p>
    </section>
  );
}

function Answer() {
  const run = useRun((s) => s.run);
  switch (run.status) {
    case 'idle':
      return <p className="muted run-placeholder">Send the request to run the model offline and see exactly what the server would answer.</p>;
    case 'running':
      return (
        <div className="loading" role="status" data-testid="run-running">
          <span className="spinner" aria-hidden="true" /> Running the model… (the first run loads it)
        </div>
      );
    case 'cancelled':
      return (
        <p className="callout callout-info" role="status" data-testid="run-cancelled">
          Cancelled. The engine stopped this run; the next Send starts it again.
        </p>
      );
    case 'error':
      return <ErrorPanel title="Preflight could not produce the server's answer" error={run.error} hint={ERROR_HINTS[run.error.code] ?? null} />;
    case 'done':
      return <RunResult result={run.result} server={run.server} />;
  }
}

/**
 * The Run tab: pick a server profile, edit (or paste) a body prefilled from the model's sample, Send, and see the
 * answer the real server would give — computed by running the model offline. Below, a local server to call from
 * other tools, with its live request log.
 */
export function RunTab({ modelPath }: { modelPath: string }) {
  const setModel = useRun((s) => s.setModel);
  const runStatus = useRun((s) => s.run.status);
  useEffect(() => {
    void setModel(modelPath);
  }, [modelPath, setModel]);
  return (
    <div className="run" data-testid="run-panel" data-run={runStatus}>
      <Settings />
      <div className="run-columns">
        <Editor />
        <div className="stack">
          <Answer />
        </div>
      </div>
      <ServerPanel />
    </div>
  );
}
