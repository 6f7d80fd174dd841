import { useState, type ReactNode } from 'react';
import { formatCount } from '../../lib/format';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render(row: T, index: number): ReactNode;
  /** Monospace cell: types, paths, versions. */
  mono?: boolean;
  /** Right-aligned numbers. */
  numeric?: boolean;
  width?: string;
}

interface TableProps<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey(row: T, index: number): string;
  testId?: string;
  caption?: ReactNode;
  /** Extra class per row, e.g. to flag a conflicting dependency. */
  rowClassName?(row: T): string | undefined;
  rowTestId?(row: T): string | undefined;
  empty?: ReactNode;
}

/**
 * Rows rendered at first, and added per "Show more": a table of tens of thousands of rows (a hostile
 * requirements.txt, a signature of 15 000 columns) froze the window for seconds, or crashed it.
 */
export const TABLE_PAGE_ROWS = 1000;

/** The dense data table every tab uses; long ones render their first rows, the rest a click away. */
export function Table<T>({ columns, rows, rowKey, testId, caption, rowClassName, rowTestId, empty }: TableProps<T>) {
  const [limit, setLimit] = useState(TABLE_PAGE_ROWS);
  const shown = rows.length > limit ? rows.slice(0, limit) : rows;
  const hidden = rows.length - shown.length;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} style={c.width ? { width: c.width } : undefined} className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-empty">
                {empty ?? 'Nothing to show.'}
              </td>
            </tr>
          ) : (
            shown.map((row, i) => (
              <tr key={rowKey(row, i)} className={rowClassName?.(row)} data-testid={rowTestId?.(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={[c.mono ? 'mono' : '', c.numeric ? 'num' : ''].join(' ').trim() || undefined}>
                    {c.render(row, i)}
                  </td>
                ))}
              </tr>
            ))
          )}
          {hidden > 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-empty" data-testid={testId ? `${testId}-more` : undefined}>
                {formatCount(hidden)} more {hidden === 1 ? 'row' : 'rows'} not shown.{' '}
                <button type="button" className="btn btn-small" onClick={() => setLimit((l) => l + TABLE_PAGE_ROWS)}>
                  Show {formatCount(Math.min(hidden, TABLE_PAGE_ROWS))} more
                </button>
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
