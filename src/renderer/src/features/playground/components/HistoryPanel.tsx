import { useEffect } from 'react';
import { HISTORY_QUERY_MAX } from '@shared/ipc/compare-contract';
import { usePlayground } from '../hooks/playground-store-context';

/** Every comparison made in the app, newest first, searchable; a run of this model can be opened again. */
export function HistoryPanel() {
  const history = usePlayground((s) => s.history);
  const modelPath = usePlayground((s) => s.modelPath);
  const search = usePlayground((s) => s.searchHistory);
  const reopen = usePlayground((s) => s.reopen);
  useEffect(() => {
    void search('');
  }, [search]);
  return (
    <details className="card pg-history" data-testid="history">
      <summary>
        History <span className="muted small">({history.kept} run{history.kept === 1 ? '' : 's'} kept; headers and keys never are)</span>
      </summary>
      <input className="input pg-url" data-testid="history-search" maxLength={HISTORY_QUERY_MAX} aria-label="Search the history" placeholder="Search verdicts, models, targets, bodies…" value={history.query} onChange={(e) => void search(e.target.value)} />
      {history.error ? <p className="text-error small">{history.error}</p> : null}
      {history.query.trim() && !history.error ? (
        <p className="muted small" data-testid="history-matches" role="status">
          {history.total === 0
            ? `No run of the ${history.kept} kept matches "${history.query.trim()}".`
            : `${history.total} of ${history.kept} run${history.kept === 1 ? '' : 's'} match "${history.query.trim()}"${history.total > history.entries.length ? ` (the newest ${history.entries.length} shown)` : ''}.`}
        </p>
      ) : null}
      <ul className="plain-list pg-history-list">
        {history.entries.map((e) => (
          <li key={e.id} data-testid="history-entry" data-agree={String(e.agree)}>
            <span className={e.agree ? 'text-ok' : 'text-error'}>{e.agree ? '✓' : '✗'}</span> <span className="muted small">{new Date(e.time).toLocaleString()}</span>{' '}
            <span className="small">{e.sentence}</span>{' '}
            {e.mlflowVersion ? <span className="muted small">(made for MLflow {e.mlflowVersion}) </span> : null}
            <button
              type="button"
              className="btn btn-small"
              data-testid="history-open"
              disabled={e.body === null || e.modelPath !== modelPath}
              title={e.body === null ? 'The body was too large to keep.' : e.modelPath !== modelPath ? `A run of ${e.modelPath}: open that model first.` : 'Put this body, its targets, tolerance and MLflow version back'}
              onClick={() => void reopen(e)}
            >
              Open
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
