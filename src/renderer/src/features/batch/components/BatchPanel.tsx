import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { useBatch } from '../hooks/batch-store-context';
import '../batch.css';

/**
 * Run the model over CSV/parquet files like an Azure ML batch deployment: input file or folder, output folder,
 * Run/Cancel, a progress bar fed by `batch.progress`, then the summary and where predictions.csv is.
 */
export function BatchPanel({ modelPath }: { modelPath: string }) {
  const input = useBatch((s) => s.input);
  const outDir = useBatch((s) => s.outDir);
  const jobId = useBatch((s) => s.jobId);
  const progress = useBatch((s) => s.progress);
  const summary = useBatch((s) => s.summary);
  const error = useBatch((s) => s.error);
  const confirmOverwrite = useBatch((s) => s.confirmOverwrite);
  const dismissOverwrite = useBatch((s) => s.dismissOverwrite);
  const setInput = useBatch((s) => s.setInput);
  const setOutDir = useBatch((s) => s.setOutDir);
  const run = useBatch((s) => s.run);
  const cancel = useBatch((s) => s.cancel);
  const running = jobId !== null;
  const fraction = progress?.rowsTotal ? progress.rowsDone / progress.rowsTotal : progress && progress.filesTotal ? progress.filesDone / progress.filesTotal : 0;

  return (
    <section className="batch-panel" data-testid="batch-panel" aria-label="Batch scoring">
      <p>
        Scores every <code>.csv</code>, <code>.parquet</code> or <code>.pqt</code> file like an Azure ML batch deployment of an MLflow model:
        one <code>predictions.csv</code> with <code>row</code>, <code>prediction</code> and <code>file_name</code>, plus <code>summary.json</code>.
      </p>
      <label className="batch-field">
        <span className="batch-label">Input file or folder (.csv, .parquet, .pqt; a folder is read one level deep)</span>
        <input className="input" data-testid="batch-input" value={input} onChange={(e) => setInput(e.target.value)} disabled={running} spellCheck={false} />
      </label>
      <label className="batch-field">
        <span className="batch-label">Output folder (created if missing)</span>
        <input className="input" data-testid="batch-out" value={outDir} onChange={(e) => setOutDir(e.target.value)} disabled={running} spellCheck={false} />
      </label>
      <div className="batch-actions">
        <button type="button" className="btn" data-testid="batch-run" disabled={running || input.trim() === '' || outDir.trim() === ''} onClick={() => void run(modelPath)}>
          Run batch
        </button>
        <button type="button" className="btn" data-testid="batch-cancel" disabled={!running} onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
      {running || progress ? (
        <div className="batch-progress" data-testid="batch-progress" data-rows-done={progress?.rowsDone ?? 0}>
          <progress max={1} value={fraction} />
          <span>
            {progress ? `${progress.rowsDone}${progress.rowsTotal !== null ? ` / ${progress.rowsTotal}` : ''} rows · file ${Math.min(progress.filesDone + 1, progress.filesTotal)} of ${progress.filesTotal}${progress.file ? ` (${progress.file})` : ''}` : 'Starting…'}
          </span>
        </div>
      ) : null}
      {confirmOverwrite ? (
        <div className="batch-confirm" role="alertdialog" aria-label="Replace existing file" data-testid="batch-confirm-overwrite">
          <p>
            <code>{confirmOverwrite.file}</code> already exists and was not written by Preflight. Replace it with this job's output?
          </p>
          <div className="batch-actions">
            <button type="button" className="btn" data-testid="batch-overwrite" onClick={() => void run(modelPath, true)}>
              Replace
            </button>
            <button type="button" className="btn" data-testid="batch-keep" onClick={dismissOverwrite}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
      {error ? <ErrorPanel title="The batch job could not start" error={error} /> : null}
      {summary ? (
        <div className="batch-summary" data-testid="batch-summary" data-status={summary.status}>
          <p>
            {summary.status}: {summary.rows} rows from {summary.files.length} file{summary.files.length === 1 ? '' : 's'} in {(summary.ms / 1000).toFixed(1)} s
          </p>
          {summary.predictionsPath ? <p data-testid="batch-predictions-path"><code>{summary.predictionsPath}</code></p> : null}
          {summary.error ? <p role="alert">{summary.error.message}</p> : null}
          <ul>
            {summary.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
