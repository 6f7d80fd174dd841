import { useEffect } from 'react';
import { Badge } from '../../../components/ui/Badge';
import { BodyTextarea } from '../../../components/ui/BodyTextarea';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { ServerProfilePicker } from '../../../components/ui/ServerProfilePicker';
import { useRequest } from '../hooks/request-store-context';
import { CONVERT_TARGETS, mlflowVersionProblem, shownResult, versionLabel, type ConvertTarget } from '../store/selectors';
import { RequestResult } from './RequestResult';
import '../request.css';

function ServerPicker() {
  const server = useRequest((s) => s.server);
  const setServer = useRequest((s) => s.setServer);
  return (
    <ServerProfilePicker value={server} onChange={setServer} testIdPrefix="server-" className="request-servers" />
  );
}

function RequestSettings() {
  const mlflowVersion = useRequest((s) => s.mlflowVersion);
  const setMlflowVersion = useRequest((s) => s.setMlflowVersion);
  const contentType = useRequest((s) => s.contentType);
  const noContentType = useRequest((s) => s.noContentType);
  const setContentType = useRequest((s) => s.setContentType);
  const setNoContentType = useRequest((s) => s.setNoContentType);
  const validation = useRequest((s) => s.validation);
  const { result } = shownResult(validation);
  const versionProblem = mlflowVersionProblem(mlflowVersion);
  return (
    <section className="card request-settings">
      <div className="request-field">
        <span className="request-label">Server</span>
        <ServerPicker />
      </div>
      <label className="request-field">
        <span className="request-label">MLflow version</span>
        <input
          className="input mono"
          data-testid="mlflow-version-input"
          value={mlflowVersion}
          placeholder="the model's own pin"
          spellCheck={false}
          aria-invalid={versionProblem !== null}
          onChange={(e) => setMlflowVersion(e.target.value)}
        />
      </label>
      <label className="request-field">
        <span className="request-label">Content-Type</span>
        <input
          className="input mono"
          data-testid="content-type-input"
          value={noContentType ? '' : contentType}
          placeholder={noContentType ? '(no header)' : 'application/json'}
          disabled={noContentType}
          spellCheck={false}
          onChange={(e) => setContentType(e.target.value)}
        />
        <span className="request-check">
          <input type="checkbox" data-testid="no-content-type" checked={noContentType} onChange={(e) => setNoContentType(e.target.checked)} /> no header
        </span>
      </label>
      <div className="request-emulated" data-testid="emulated-version">
        {versionProblem ? (
          <span className="text-error">{versionProblem}</span>
        ) : result ? (
          <>
            <span className="strong">{versionLabel(result.mlflow_version)}</span>
            <span className="muted small">{result.mlflow_version.note}</span>
          </>
        ) : (
          <span className="muted">The emulated MLflow version is shown with the first answer.</span>
        )}
      </div>
    </section>
  );
}

function BodyEditor() {
  const body = useRequest((s) => s.body);
  const setBody = useRequest((s) => s.setBody);
  const server = useRequest((s) => s.server);
  const samples = useRequest((s) => s.samples);
  const bodyIsSample = useRequest((s) => s.bodyIsSample);
  const resetToSample = useRequest((s) => s.resetToSample);
  const convertTo = useRequest((s) => s.convertTo);
  const convert = useRequest((s) => s.convert);
  const sample = samples.status === 'loaded' ? samples.samples[server] : null;
  return (
    <section className="card request-editor">
      <h3>Request body</h3>
      <div className="request-toolbar">
        {sample && bodyIsSample && sample.source !== 'none' ? (
          <Badge tone="accent" title={sample.note}>
            sample from {sample.source}
          </Badge>
        ) : null}
        <span className="request-spacer" />
        <button type="button" className="btn btn-small" data-testid="reset-sample" disabled={!sample} onClick={resetToSample}>
          Reset to sample
        </button>
        <select
          className="input request-convert"
          data-testid="convert-select"
          aria-label="Convert to…"
          value=""
          disabled={convert.status === 'converting'}
          onChange={(e) => {
            if (e.target.value) void convertTo(e.target.value as ConvertTarget);
          }}
        >
          <option value="">Convert to…</option>
          {CONVERT_TARGETS.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      {sample?.note && bodyIsSample ? <p className="muted small">{sample.note}</p> : null}
      {samples.status === 'error' ? <p className="text-error small">No sample: {samples.error.message}</p> : null}
      {convert.status === 'failed' ? (
        <div className="callout callout-error" role="alert" data-testid="convert-message">
          Cannot convert to {convert.to}: {convert.message}
          {convert.path ? <> (at <code>{convert.path}</code>)</> : null}
        </div>
      ) : convert.status === 'done' && (convert.notes.length > 0 || convert.warnings.length > 0) ? (
        <div className="callout callout-info" data-testid="convert-message">
          Converted from {convert.from} to {convert.to}.
          <ul className="plain-list">
            {convert.notes.map((n, i) => (
              <li key={`n${i}`}>{n}</li>
            ))}
            {convert.warnings.map((w, i) => (
              <li key={`w${i}`}>
                <code>{w.code}</code> {w.message} {w.path && w.path !== '$' ? <code>{w.path}</code> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <BodyTextarea className="request-body" testId="body-editor" value={body} onChange={setBody} />
    </section>
  );
}

/**
 * The Request tab: pick a server, edit a request (pre-filled with the model's sample for that server) and see,
 * as you type, exactly what that server would answer and what the model would receive.
 */
export function RequestTab({ modelPath }: { modelPath: string }) {
  const setModel = useRequest((s) => s.setModel);
  const validation = useRequest((s) => s.validation);
  useEffect(() => {
    void setModel(modelPath);
  }, [modelPath, setModel]);
  const { result, stale } = shownResult(validation);
  return (
    <div className="request" data-testid="request-panel" data-validation={validation.status}>
      <RequestSettings />
      <div className="request-columns">
        <BodyEditor />
        <div className="stack">
          {validation.status === 'error' ? (
            <ErrorPanel title="Could not validate the request" error={validation.error} />
          ) : result ? (
            <RequestResult result={result} stale={stale} />
          ) : (
            <div className="loading" role="status">
              <span className="spinner" aria-hidden="true" /> Asking the emulated server…
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
