import { useEffect, useMemo, useState } from 'react';
import { isMlflowVersion, RECORDED_MLFLOW_VERSIONS } from '@shared/mlflow/payload';
import { clipLongLines } from '@shared/text/clip-lines';
import type { SavedForData } from '@shared/ipc/collections-contract';
import { CodeBlock } from '../../../components/ui/CodeBlock';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { usePlayground } from '../hooks/playground-store-context';
import { detectFormat, type Format } from '../store/formats';
import { marksOf } from '../store/marks';
import { currentDraft, fillLabelOf, formatsOf, runIsStale } from '../store/playground-store';
import { urlTargetMismatch, urlTargetProblem } from '../store/url-target-hint';
import { formLabel } from '../store/result-view';
import { refusedBodyText, verdictOf, versionLabel } from '../store/validation-view';
import { AddAzureTargetButton, AzureTargets } from './AzureTargets';
import { HistoryPanel } from './HistoryPanel';
import { ReplayPanel } from './ReplayPanel';
import { CollectionsPanel } from './CollectionsPanel';
import { SignatureGrid } from './SignatureGrid';
import { ReceivesPreview } from './ReceivesPreview';
import { ReplaceDialog, ReplacedNote } from './ReplaceDialog';
import { RequestEditor } from './RequestEditor';
import { TargetResultCard } from './TargetResultCard';
import { VerdictPanel } from './VerdictPanel';
import '../receives.css';
import '../playground.css';

/** One empty list, so a keystroke that only makes validation pending does not hand the editor new marks (it re-lints on new marks). */
const NO_MARKS: ReturnType<typeof marksOf> = [];

/**
 * The MLflow version the servers run (the CLI's --mlflow-version): empty for the model's pin, another to see what a
 * server of that version answers (a teammate's, an environment that does not install the pin). Committed on Enter or
 * when the field loses focus; the recorded versions are offered, any X.Y[.Z] can be typed.
 */
function MlflowVersionField() {
  const chosen = usePlayground((s) => s.mlflowVersion);
  // Keyed by the version in force: a new choice (or the store's) starts the field from it.
  return <MlflowVersionInput key={chosen ?? ''} chosen={chosen} />;
}

function MlflowVersionInput({ chosen }: { chosen: string | null }) {
  const target = usePlayground((s) => s.mlflowTarget);
  const error = usePlayground((s) => s.versionError);
  const setVersion = usePlayground((s) => s.setMlflowVersion);
  const [text, setText] = useState(chosen ?? '');
  const commit = (): void => {
    if ((text.trim() || null) !== chosen || error !== null) void setVersion(text);
  };
  // A version typed in full applies after a short pause too (Enter and leaving the field apply at once); a text that
  // is not one yet waits for Enter or the blur, which then say why it is refused.
  useEffect(() => {
    const t = text.trim();
    if ((t !== '' && !isMlflowVersion(t)) || (t || null) === chosen) return;
    const timer = setTimeout(() => void setVersion(t), 700);
    return () => clearTimeout(timer);
  }, [text, chosen, setVersion]);
  const pin = chosen === null && target && target.source !== 'override' ? `${target.version} (${target.source === 'default' ? 'newest' : 'pin'})` : "the model's pin";
  return (
    <label className="pg-field">
      <span className="pg-label">MLflow</span>
      <input
        className="input mono pg-version"
        data-testid="mlflow-version"
        list="pg-mlflow-versions"
        value={text}
        placeholder={pin}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'pg-mlflow-version-error' : undefined}
        title="The MLflow version the servers run: empty for the model's pin, another to see what a server of that version answers (the CLI's --mlflow-version)"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <datalist id="pg-mlflow-versions">
        {RECORDED_MLFLOW_VERSIONS.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      {error !== null ? (
        <span className="text-error small" id="pg-mlflow-version-error" data-testid="mlflow-version-error" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}

function Toolbar({ columns }: { columns: readonly string[] }) {
  const openGrid = usePlayground((s) => s.openGrid);
  const gridOpen = usePlayground((s) => s.grid !== null);
  const draft = usePlayground((s) => currentDraft(s));
  const samples = usePlayground((s) => s.samples);
  const fill = usePlayground((s) => s.fillFromExample);
  const switchFormat = usePlayground((s) => s.switchFormat);
  const run = usePlayground((s) => s.run);
  const send = usePlayground((s) => s.send);
  const cancel = usePlayground((s) => s.cancel);
  const formats = usePlayground(formatsOf);
  const mlflowTarget = usePlayground((s) => s.mlflowTarget);
  const format = detectFormat(draft.body, draft.contentType);
  const running = run.status === 'running';
  const mlflow1 = mlflowTarget?.behaviour === '1.x';
  return (
    <div className="pg-toolbar">
      <label className="pg-field">
        <span className="pg-label">Format</span>
        <select
          className="input"
          data-testid="format-select"
          value={format ?? ''}
          onChange={(e) => void switchFormat(e.target.value as Format)}
          title={mlflowTarget ? `The MLflow forms are those the MLflow ${mlflowTarget.version} server reads${mlflow1 ? ' (the pre-2.0 protocol: bare pandas JSON named by its Content-Type, TF serving, CSV; no params)' : ''}.` : undefined}
        >
          {format === null ? <option value="">(not recognised)</option> : null}
          {format !== null && !formats.some((f) => f.id === format) ? (
            <option value={format}>
              {formLabel(format)} (not read by MLflow {mlflowTarget?.version ?? 'the model pins'})
            </option>
          ) : null}
          {formats.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <MlflowVersionField />
      <button
        type="button"
        className="btn"
        data-testid="fill-example"
        disabled={samples.status !== 'loaded'}
        title={samples.status === 'loaded' && samples.azureml ? samples.azureml.note : undefined}
        onClick={() => void fill()}
      >
        {fillLabelOf(samples)}
      </button>
      <button type="button" className="btn" data-testid="open-grid" disabled={gridOpen || samples.status !== 'loaded'} onClick={() => void openGrid(columns)} title="Edit the rows as a table with the signature's columns">
        Grid
      </button>
      <span className="pg-spacer" />
      {running ? (
        <button type="button" className="btn" data-testid="playground-cancel" onClick={() => void cancel()}>
          Cancel
        </button>
      ) : null}
      <button type="button" className="btn btn-primary" data-testid="playground-send" disabled={running || samples.status === 'loading'} onClick={() => void send()} title="Ctrl+Enter / ⌘+Enter">
        {running ? 'Sending…' : 'Send to targets'}
      </button>
    </div>
  );
}

function Targets() {
  const local = usePlayground((s) => s.local);
  const urls = usePlayground((s) => s.urls);
  const headers = usePlayground((s) => s.headers);
  const tolerance = usePlayground((s) => s.tolerance);
  const toggleLocal = usePlayground((s) => s.toggleLocal);
  const addUrl = usePlayground((s) => s.addUrl);
  const updateUrl = usePlayground((s) => s.updateUrl);
  const removeUrl = usePlayground((s) => s.removeUrl);
  const addHeader = usePlayground((s) => s.addHeader);
  const updateHeader = usePlayground((s) => s.updateHeader);
  const removeHeader = usePlayground((s) => s.removeHeader);
  const setTolerance = usePlayground((s) => s.setTolerance);
  return (
    <section className="card pg-targets" aria-label="Targets">
      <div className="pg-target-row">
        <span className="pg-label">Targets</span>
        {(['azureml', 'mlflow'] as const).map((server) => (
          <label key={server} className="pg-check">
            <input type="checkbox" data-testid={`target-local-${server}`} checked={local[server]} onChange={() => toggleLocal(server)} /> local:{server}
            <span className="muted small"> ({server === 'azureml' ? 'Azure ML /score' : 'mlflow /invocations'})</span>
          </label>
        ))}
        <button type="button" className="btn btn-small" data-testid="add-url-target" onClick={addUrl}>
          + URL target
        </button>
        <AddAzureTargetButton />
        <label className="pg-check">
          tolerance
          <input className="input mono pg-tolerance" data-testid="tolerance" value={tolerance} onChange={(e) => setTolerance(e.target.value)} spellCheck={false} />
        </label>
      </div>
      {urls.map((u) => {
        const problem = urlTargetProblem(u.url);
        const hint = problem ?? urlTargetMismatch(u.server, u.url);
        const hintId = `${u.id}-hint`;
        return (
        <div key={u.id} className="pg-target-row" data-testid="url-target">
          <select className="input pg-url-server" aria-label="Server the URL speaks for" value={u.server} onChange={(e) => updateUrl(u.id, { server: e.target.value as 'azureml' | 'mlflow' })}>
            <option value="azureml">azureml</option>
            <option value="mlflow">mlflow</option>
          </select>
          <input className="input mono pg-url" aria-label="Target URL" placeholder={u.server === 'mlflow' ? 'http://<host>:5000/invocations' : 'https://<endpoint>.<region>.inference.ml.azure.com/score'} value={u.url} onChange={(e) => updateUrl(u.id, { url: e.target.value })} spellCheck={false} aria-invalid={problem !== null} aria-describedby={hint ? hintId : undefined} />
          <button type="button" className="btn btn-small" aria-label="Remove target" onClick={() => removeUrl(u.id)}>
            ✕
          </button>
          {hint ? (
            <p id={hintId} className={`small pg-url-hint ${problem ? 'text-error' : 'text-warning'}`} data-testid="url-target-hint" data-kind={problem ? 'problem' : 'mismatch'}>
              {hint}
            </p>
          ) : null}
        </div>
        );
      })}
      <AzureTargets />
      {urls.length > 0 ? (
        <div className="pg-headers-edit">
          {headers.map((h) => (
            <div key={h.id} className="pg-target-row">
              <input className="input mono" aria-label="Header name" placeholder="Authorization" value={h.name} onChange={(e) => updateHeader(h.id, { name: e.target.value })} spellCheck={false} />
              <input className="input mono pg-url" aria-label="Header value" type="password" autoComplete="off" placeholder="Bearer <key> (kept in memory only)" value={h.value} onChange={(e) => updateHeader(h.id, { value: e.target.value })} />
              <button type="button" className="btn btn-small" aria-label="Remove header" onClick={() => removeHeader(h.id)}>
                ✕
              </button>
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={addHeader}>
            + header for URL targets
          </button>
          <span className="muted small"> Header values are sent to URL targets only (an MLflow URL also gets them on its GET /version), never saved or logged; keys show as a placeholder in results.</span>
        </div>
      ) : null}
    </section>
  );
}

function Validation() {
  const v = usePlayground((s) => s.validation);
  const conversion = usePlayground((s) => s.conversion);
  const result = v.status === 'done' ? v.result : v.status === 'pending' ? v.previous : null;
  const head = result ? verdictOf(result) : null;
  const body = result ? refusedBodyText(result) : null;
  return (
    <section className="card pg-validation" data-testid="validation" data-ok={result ? String(result.ok) : undefined} aria-live="polite">
      <h3>
        As you type{' '}
        {result ? (
          <span className="muted small">— checked by {result.server === 'azureml' ? "Azure ML's" : "MLflow's"} rules</span>
        ) : null}
      </h3>
      {v.status === 'error' ? <p className="text-error small">{v.error.message}</p> : null}
      {head && result ? (
        <div className={v.status === 'pending' ? 'pg-stale' : undefined}>
          <p className={`pg-headline text-${head.tone}`} data-testid="validation-status">
            {head.headline}
          </p>
          <p className="muted small" data-testid="validation-detail">
            {head.detail}
          </p>
          {/* the block a result card shows its body in (scrolls, Copy button) */}
          {body !== null ? <CodeBlock code={body} label={`${result.status} response body (exact bytes)`} testId="validation-body" /> : null}
          {result.server_log ? (
            <CodeBlock code={clipLongLines(result.server_log)} label={result.server === 'azureml' ? 'Server log (Azure writes this only to the deployment log)' : 'Server log'} testId="validation-server-log" />
          ) : null}
          <p className="muted small" data-testid="emulated-version" title={result.mlflow_version.note}>
            {versionLabel(result.mlflow_version)}
          </p>
          {result.warnings.length > 0 ? (
            <ul className="plain-list small" data-testid="validation-warnings">
              {result.warnings.map((w, i) => (
                <li key={i} className="text-warning">
                  {/* "$" is the whole body: no place to point at */}
                  {w.message} {w.path === '$' ? null : <code>{w.path}</code>}
                </li>
              ))}
            </ul>
          ) : null}
          {result.model_receives ? (
            <details className="pg-receives" open>
              <summary>What the model receives</summary>
              <ReceivesPreview receives={result.model_receives} />
            </details>
          ) : null}
        </div>
      ) : v.status === 'pending' ? (
        <p className="muted small">Checking…</p>
      ) : null}
      {conversion ? (
        <div className="pg-conversion" data-testid="conversion-note">
          {conversion.error ? <p className="text-error small">Cannot write it as {conversion.to}: {conversion.error}</p> : null}
          {conversion.warnings.map((w, i) => (
            <p key={i} className="text-warning small" data-testid="conversion-warning">
              Lossy: {w.message} <code>{w.path}</code>
            </p>
          ))}
          {conversion.notes.map((n, i) => (
            <p key={i} className="muted small">
              {n}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function Results() {
  const run = usePlayground((s) => s.run);
  const stale = usePlayground(runIsStale);
  const exactText = usePlayground((s) => s.exactText);
  const setExactText = usePlayground((s) => s.setExactText);
  switch (run.status) {
    case 'idle':
      return <p className="muted">Send the request to every target at once: each gets it in its own format, and the verdict says whether they agree.</p>;
    case 'running':
      return (
        <div className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Sending to the targets… (a local target's first run loads the model)
        </div>
      );
    case 'error':
      return <ErrorPanel title="Could not compare" error={run.error} />;
    case 'done':
      return (
        <div className="stack" data-testid="compare-results" data-stale={String(stale)}>
          {stale ? (
            <p className="callout callout-warning small" data-testid="results-stale" role="status">
              These answers are for the request as it was sent; the editor&apos;s text has changed since. Send again (Ctrl+Enter) to compare what the editor holds now —
              each result&apos;s <em>Request sent</em> shows the bytes these answers are for.
            </p>
          ) : null}
          <div className={stale ? 'pg-stale' : undefined}>
            <VerdictPanel verdict={run.result.verdict} />
          </div>
          <label className="pg-check">
            <input type="checkbox" data-testid="exact-text" checked={exactText} onChange={(e) => setExactText(e.target.checked)} /> exact text (byte for byte, as each
            server writes it)
          </label>
          <div className="pg-results">
            {run.result.targets.map((t) => (
              <TargetResultCard key={t.name} result={t} exactText={exactText} />
            ))}
          </div>
        </div>
      );
  }
}

/**
 * The payload playground (issue 10): one request editor that knows the model's signature, a format switch,
 * two or more targets at once, and the verdict over their answers. Replaces the separate Request and Run editors.
 */
export function PlaygroundView({ modelPath, columns, identity = null }: { modelPath: string; columns: readonly string[]; identity?: SavedForData | null }) {
  const setModel = usePlayground((s) => s.setModel);
  const savedNote = usePlayground((s) => (s.savedNote?.modelPath === s.modelPath ? s.savedNote.text : null));
  const draft = usePlayground((s) => currentDraft(s));
  const setBody = usePlayground((s) => s.setBody);
  const send = usePlayground((s) => s.send);
  const validation = usePlayground((s) => s.validation);
  const runStatus = usePlayground((s) => s.run.status);
  const samples = usePlayground((s) => s.samples);
  useEffect(() => {
    void setModel(modelPath, identity);
  }, [modelPath, identity, setModel]);
  const marks = useMemo(
    () => (validation.status === 'done' && validation.forBody === draft.body ? marksOf(draft.body, validation.result, columns) : NO_MARKS),
    [validation, draft.body, columns],
  );
  const isJson = detectFormat(draft.body, draft.contentType) !== 'csv';
  return (
    <div className="playground" data-testid="playground" data-validation={validation.status} data-run={runStatus} data-marks={marks.length}>
      <Toolbar columns={columns} />
      {samples.status === 'error' ? <p className="text-error small">No sample body: {samples.error.message}</p> : null}
      <div className="pg-top">
        <section className="card pg-editor-card">
          {savedNote ? (
            <p className="callout small pg-saved-note" data-testid="saved-for-note" role="status">
              {savedNote}
            </p>
          ) : null}
          {/* keyed by model: its undo history is this model's text only (Ctrl+Z never brings another model's body in) */}
          <RequestEditor key={modelPath} value={draft.body} onChange={setBody} onSubmit={() => void send()} marks={marks} columns={columns} json={isJson} />
          <p className="muted small">
            Ctrl+Enter (⌘+Enter) sends · Ctrl+Space completes column names · problems are marked where they are ({marks.length} now)
          </p>
          {marks.length > 0 ? (
            <ul className="plain-list small pg-problems" data-testid="editor-problems">
              {marks.map((m, i) => (
                <li key={i} className={m.severity === 'error' ? 'text-error' : 'text-warning'}>
                  {m.message}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <Validation />
      </div>
      <SignatureGrid />
      <Targets />
      <Results />
      <ReplayPanel modelPath={modelPath} />
      <CollectionsPanel />
      <HistoryPanel />
      <ReplacedNote />
      <ReplaceDialog />
    </div>
  );
}
