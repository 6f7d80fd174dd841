import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { Table } from '../../../components/ui/Table';
import { useBatch } from '../hooks/batch-store-context';
import { formatEta, formatRate, progressLabel, progressView } from '../store/progress-view';
import type { BatchSummaryData } from '@shared/ipc/contract';
import '../batch.css';

const STATUS_TITLE: Record<BatchSummaryData['status'], string> = {
  succeeded: 'Batch job succeeded',
  failed: 'Batch job failed',
  cancelled: 'Batch job cancelled',
};

/** A path field with Browse… beside it where the host has a folder dialog (`onBrowse` null: none). */
function PathField(p: { label: string; testId: string; browseTestId: string; value: string; onChange(v: string): void; onBrowse: (() => void) | null; disabled: boolean }) {
  return (
    <label className="batch-field">
      <span className="batch-label">{p.label}</span>
      <span className="batch-path">
        <input className="input mono" data-testid={p.testId} value={p.value} onChange={(e) => p.onChange(e.target.value)} disabled={p.disabled} spellCheck={false} />
        {p.onBrowse ? (
          <button type="button" className="btn" data-testid={p.browseTestId} disabled={p.disabled} onClick={p.onBrowse}>
            Browse…
          </button>
        ) : null}
      </span>
    </label>
  );
}

/**
 * Run the model over CSV/parquet files like an Azure ML batch deployment: input file or folder, output folder
 * (Browse… where the host has a folder dialog), Run/Cancel, a progress bar that moves within one big file with the
 * rate and the time left, then the outcome — a failed job as a failure — and the first predictions.
 */
export function BatchPanel({ modelPath }: { modelPath: string }) {
  const input = useBatch((s) => s.input);
  const outDir = useBatch((s) => s.outDir);
  const jobId = useBatch((s) => s.jobId);
  const progress = useBatch((s) => s.progress);
  const summary = useBatch((s) => s.summary);
  const error = useBatch((s) => s.error);
  const canBrowse = useBatch((s) => s.canBrowse);
  const confirmOverwrite = useBatch((s) => s.confirmOverwrite);
  const dismissOverwrite = useBatch((s) => s.dismissOverwrite);
  const setInput = useBatch((s) => s.setInput);
  const setOutDir = useBatch((s) => s.setOutDir);
  const browse = useBatch((s) => s.browse);
  const run = useBatch((s) => s.run);
  const cancel = useBatch((s) => s.cancel);
  const running = jobId !== null;
  const view = progressView(progress);

  return (
    <div className="stack batch-panel" data-testid="batch-panel" aria-label="Batch scoring">
      <section className="card" data-testid="batch-job">
        <h3>Batch scoring</h3>
        <p>
          Scores every <code>.csv</code>, <code>.parquet</code> or <code>.pqt</code> file like an Azure ML batch deployment of an MLflow model:
          one <code>predictions.csv</code> with <code>row</code>, <code>prediction</code> and <code>file_name</code>, plus <code>summary.json</code>.
        </p>
        <PathField
          label="Input file or folder (.csv, .parquet, .pqt; a folder is read one level deep)"
          testId="batch-input"
          browseTestId="batch-browse-input"
          value={input}
          onChange={setInput}
          onBrowse={canBrowse ? () => void browse('input') : null}
          disabled={running}
        />
        <PathField
          label="Output folder (created if missing)"
          testId="batch-out"
          browseTestId="batch-browse-out"
          value={outDir}
          onChange={setOutDir}
          onBrowse={canBrowse ? () => void browse('outDir') : null}
          disabled={running}
        />
        <div className="batch-actions">
          <button type="button" className="btn btn-primary" data-testid="batch-run" disabled={running || input.trim() === '' || outDir.trim() === ''} onClick={() => void run(modelPath)}>
            Run batch
          </button>
          <button type="button" className="btn" data-testid="batch-cancel" disabled={!running} onClick={() => void cancel()}>
            Cancel
          </button>
          {!running && (input.trim() === '' || outDir.trim() === '') ? (
            <span className="muted small" data-testid="batch-run-hint">
              Choose {input.trim() === '' && outDir.trim() === '' ? 'an input and an output folder' : input.trim() === '' ? 'an input file or folder' : 'an output folder'} to run.
            </span>
          ) : null}
        </div>
      </section>
      {running || progress ? (
        <section className="card batch-progress" data-testid="batch-progress" data-rows-done={progress?.rowsDone ?? 0} data-fraction={view.fraction.toFixed(4)}>
          <progress max={1} value={view.fraction} aria-label="Batch progress" />
          <span>
            {progress ? progressLabel(progress, view.fraction, running ? null : summary) : 'Starting…'}
          </span>
          {view.rowsPerSecond !== null ? <span data-testid="batch-rate">{formatRate(view.rowsPerSecond)}</span> : null}
          {running && view.etaMs !== null ? <span data-testid="batch-eta">{formatEta(view.etaMs)}</span> : null}
        </section>
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
        <section
          className={`card batch-summary${summary.status === 'succeeded' ? '' : ' batch-summary-failed'}`}
          data-testid="batch-summary"
          data-status={summary.status}
          role={summary.status === 'failed' ? 'alert' : undefined}
        >
          <h3 data-testid="batch-summary-title">{STATUS_TITLE[summary.status]}</h3>
          <p>
            {summary.rows.toLocaleString('en-US')} rows from {summary.files.length} file{summary.files.length === 1 ? '' : 's'} in {(summary.ms / 1000).toFixed(1)} s
          </p>
          {summary.error ? <p className="batch-error" data-testid="batch-error">{summary.error.message}</p> : null}
          {summary.predictionsPath ? (
            <p data-testid="batch-predictions-path">
              <code>{summary.predictionsPath}</code>
            </p>
          ) : null}
          <p className="batch-label">
            Summary: <code>{summary.summaryPath}</code>
          </p>
          <ul>
            {summary.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {summary && summary.status === 'succeeded' && summary.preview.length > 0 ? (
        <section className="card" data-testid="batch-preview-card">
          <h3>First predictions</h3>
          <Table
            testId="batch-preview"
            columns={[
              { key: 'row', header: 'row', render: (r) => r.row, numeric: true, width: '80px' },
              { key: 'prediction', header: 'prediction', render: (r) => r.prediction, mono: true },
              { key: 'file_name', header: 'file_name', render: (r) => r.file_name, mono: true },
            ]}
            rows={summary.preview}
            rowKey={(r) => `${r.file_name}:${r.row}`}
          />
        </section>
      ) : null}
    </div>
  );
}
