import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { usePlayground } from '../hooks/playground-store-context';
import { sendParts } from '../store/playground-store';
import type { ReplayStore } from '../store/replay-store';
import { AgreementChart, LatencyHistogram } from './ReplayCharts';

const cell = (v: unknown): string => {
  const s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
};

const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

function Progress({ store }: { store: ReplayStore }) {
  const p = useStore(store, (s) => s.progress);
  const cancel = useStore(store, (s) => s.cancel);
  const fraction = p?.fraction ?? 0;
  return (
    <div className="pg-replay-progress" role="status" data-testid="replay-progress">
      <progress max={1} value={fraction} aria-label="Replay progress" />
      <span className="small">
        {p ? (
          <>
            {p.rowsDone}
            {p.rowsTotal !== null && p.fraction < 1 ? ` of ~${p.rowsTotal}` : ''} rows · {p.rowsPerSecond} rows/s · {p.etaMs === null ? 'estimating…' : `ETA ${seconds(p.etaMs)}`} ·{' '}
            {p.differRows} differ so far
          </>
        ) : (
          'Starting… (a local target loads the model first)'
        )}
      </span>
      <button type="button" className="btn btn-small" data-testid="replay-cancel" onClick={() => void cancel()}>
        Cancel
      </button>
    </div>
  );
}

function Summary({ store }: { store: ReplayStore }) {
  const s = useStore(store, (st) => st.summary);
  if (!s) return null;
  const tone = s.status === 'failed' ? 'error' : s.agreementRate === 1 ? 'info' : s.status === 'cancelled' ? 'warning' : 'error';
  return (
    <div className="stack" data-testid="replay-summary" data-status={s.status}>
      <p className={`callout callout-${tone}`} data-testid="replay-sentence">
        {s.sentence}
      </p>
      {/* a replay that stopped before its first request (no such file, no header…) has nothing to chart */}
      {s.rows > 0 || s.requests > 0 ? (
        <div className="pg-replay-charts">
          <AgreementChart summary={s} />
          <LatencyHistogram targets={s.targets} />
        </div>
      ) : null}
      {s.targets.some((t) => t.firstProblem) ? (
        <ul className="plain-list small">
          {s.targets
            .filter((t) => t.firstProblem)
            .map((t) => (
              <li key={t.name} className="text-error">
                {t.name}: {t.refused} refused, {t.noAnswer} unanswered — first: {t.firstProblem}
              </li>
            ))}
        </ul>
      ) : null}
      {s.pairs.flatMap((p) => p.shapeNotes.map((n) => <p key={`${p.other}${n}`} className="muted small pg-note">{n}</p>))}
      {s.worstRows.length > 0 ? (
        <div className="table-wrap pg-mismatches">
          <table className="table" data-testid="replay-worst-rows">
            <caption>Worst rows ({s.worstRows.length} of {s.differRows} that differ)</caption>
            <thead>
              <tr>
                <th className="num">row</th>
                <th className="num">line</th>
                <th>output</th>
                <th>reference</th>
                <th>other</th>
                <th>why</th>
                <th>input</th>
              </tr>
            </thead>
            <tbody>
              {s.worstRows.map((w) => (
                <tr key={`${w.row}-${w.other}-${w.output}`} data-testid="replay-worst-row" data-row={w.row}>
                  <td className="num">{w.row}</td>
                  <td className="num">{w.line ?? '–'}</td>
                  <td className="pg-nowrap">{w.output}</td>
                  <td className="mono pg-nowrap" title={w.reference}>{cell(w.referenceValue)}</td>
                  <td className="mono pg-nowrap" title={w.other}>{cell(w.otherValue)}</td>
                  <td className="pg-nowrap">{w.why}</td>
                  <td className="mono pg-input-cell" title={w.input ?? ''}>{w.input ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {s.notes.map((n) => (
        <p key={n} className="muted small pg-note">
          {n}
        </p>
      ))}
    </div>
  );
}

/**
 * Replay (issue 10): a whole CSV, or the input example, through every target of the playground in chunks; the
 * progress moves within the file (rows/s, ETA, cancel), then the agreement rate, the worst rows and a latency
 * histogram. The work runs in the main process; this panel only hears summaries.
 */
export function ReplayPanel({ modelPath }: { modelPath: string }) {
  const store = usePlayground((s) => s.replay);
  const local = usePlayground((s) => s.local);
  const urls = usePlayground((s) => s.urls);
  const azureTargets = usePlayground((s) => s.azureTargets);
  const headers = usePlayground((s) => s.headers);
  const tolerance = usePlayground((s) => s.tolerance);
  const timeoutMs = usePlayground((s) => s.timeoutMs);
  const mlflowVersion = usePlayground((s) => s.mlflowVersion);
  // Selected piece by piece: a selector that builds an object would re-render forever.
  const parts = useMemo(
    () => sendParts({ local, urls, azureTargets, headers, tolerance, timeoutMs, mlflowVersion }),
    [local, urls, azureTargets, headers, tolerance, timeoutMs, mlflowVersion],
  );
  const source = useStore(store, (s) => s.source);
  const csvPath = useStore(store, (s) => s.csvPath);
  const rowsPerRequest = useStore(store, (s) => s.rowsPerRequest);
  const running = useStore(store, (s) => s.opId !== null);
  const error = useStore(store, (s) => s.error);
  const fillRows = useStore(store, (s) => s.fillRows);
  const { setSource, setCsvPath, setRowsPerRequest, setFillRows, run } = store.getState();
  const fillFromCsv = usePlayground((s) => s.fillFromCsv);
  const [fillNote, setFillNote] = useState<{ ok: boolean; message: string } | null>(null);
  useEffect(() => store.getState().subscribe(), [store]);
  const fillReady = csvPath.trim() !== '' && /^\d+$/.test(fillRows) && Number(fillRows) >= 1 && Number(fillRows) <= 10_000;
  return (
    <section className="card pg-replay" aria-label="Replay" data-testid="replay" data-running={running}>
      <h3>Replay a whole file through every target</h3>
      <div className="pg-target-row">
        <label className="pg-check">
          <input type="radio" name="replay-source" checked={source === 'csv'} onChange={() => setSource('csv')} /> CSV file
        </label>
        <input
          className="input mono pg-url"
          data-testid="replay-csv"
          aria-label="CSV file to replay"
          placeholder="/path/to/rows.csv"
          title="A CSV file: a header row with the signature's columns, then the rows"
          value={csvPath}
          disabled={source !== 'csv'}
          onChange={(e) => setCsvPath(e.target.value)}
          spellCheck={false}
        />
        <label className="pg-check">
          <input type="radio" name="replay-source" data-testid="replay-source-example" checked={source === 'example'} onChange={() => setSource('example')} /> the input example
        </label>
        <label className="pg-check">
          rows per request
          <input className="input mono pg-small-num" data-testid="replay-rows" value={rowsPerRequest} onChange={(e) => setRowsPerRequest(e.target.value)} spellCheck={false} />
        </label>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="replay-run"
          disabled={running}
          title={parts.ok ? undefined : parts.message}
          onClick={() => (parts.ok ? void run({ modelPath, ...parts.request }) : undefined)}
        >
          {running ? 'Replaying…' : 'Replay'}
        </button>
      </div>
      <div className="pg-target-row">
        <button
          type="button"
          className="btn btn-small"
          data-testid="fill-from-csv"
          disabled={!fillReady}
          title={csvPath.trim() ? undefined : 'Type the CSV file’s path first'}
          onClick={() => void fillFromCsv(csvPath.trim(), Number(fillRows)).then(setFillNote)}
        >
          Fill the editor
        </button>
        <label className="pg-check small">
          with the first
          <input className="input mono pg-small-num" aria-label="Rows to fill" data-testid="fill-rows" value={fillRows} onChange={(e) => setFillRows(e.target.value)} spellCheck={false} />
          rows of {csvPath.trim() ? 'this CSV' : 'a CSV file (type its path above)'}
        </label>
        {fillNote ? (
          <span className={`small ${fillNote.ok ? 'muted' : 'text-error'}`} data-testid="fill-note">
            {fillNote.message}
          </span>
        ) : null}
      </div>
      {!parts.ok ? <p className="muted small">{parts.message}</p> : null}
      {running ? <Progress store={store} /> : null}
      {error ? <ErrorPanel title="Could not replay" error={error} /> : null}
      {!running ? <Summary store={store} /> : null}
    </section>
  );
}
