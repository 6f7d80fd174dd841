import { useMemo } from 'react';
import type { ModelReceivesData } from '@shared/ipc/contract';
import { previewOf, type Preview } from '../store/validation-view';

const MAX_ROWS = 20;

function PreviewView({ preview, testId }: { preview: Preview; testId?: string }) {
  switch (preview.kind) {
    case 'frame':
      return (
        <div className="table-wrap" data-testid={testId} data-kind="DataFrame">
          <table className="table request-frame" data-testid="receives-table">
            <caption>
              pandas DataFrame · {preview.totalRows} row{preview.totalRows === 1 ? '' : 's'} × {preview.columns.length} column{preview.columns.length === 1 ? '' : 's'}
              {preview.totalRows > preview.rows.length ? ` (first ${preview.rows.length} shown)` : ''}
            </caption>
            <thead>
              <tr>
                <th className="num">#</th>
                {preview.columns.map((c) => (
                  <th key={c.name} data-testid="receives-column" data-column={c.name} data-dtype={c.dtype}>
                    <div className="mono">{c.name}</div>
                    <div className="request-dtype">{c.dtype}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, r) => (
                <tr key={r}>
                  <td className="num muted">{r}</td>
                  {row.map((cell, c) => (
                    <td key={c} className="mono">
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'ndarray':
      return (
        <div data-testid={testId} data-kind="ndarray">
          <p>
            numpy ndarray · dtype <code data-testid="receives-dtype">{preview.dtype}</code> · shape <code data-testid="receives-shape">{preview.shape}</code>
          </p>
          <pre className="request-values">{preview.values}</pre>
        </div>
      );
    case 'dict':
      return (
        <div data-testid={testId} data-kind="dict" className="stack">
          <p>dict of {preview.items.length} item{preview.items.length === 1 ? '' : 's'}</p>
          {preview.items.map((item) => (
            <div key={item.name} className="request-dict-item">
              <div className="mono strong">{JSON.stringify(item.name)}</div>
              <PreviewView preview={item.preview} />
            </div>
          ))}
        </div>
      );
    case 'value':
      return (
        <div data-testid={testId} data-kind={preview.kind2}>
          <p>
            Python <code>{preview.pytype}</code>, passed to predict() as is
          </p>
          <pre className="request-values">{preview.value}</pre>
        </div>
      );
  }
}

/** What predict() is handed: DataFrame columns with their dtypes, an ndarray's shape and dtype, or a dict of them. */
export function ReceivesPreview({ receives }: { receives: ModelReceivesData }) {
  // Re-rendered while the user types; the preview (a stringified slice of a possibly large array) only changes with the answer.
  const preview = useMemo(() => previewOf(receives, MAX_ROWS), [receives]);
  return <PreviewView preview={preview} testId="model-receives" />;
}
