import { useMemo, useState, type ReactNode } from 'react';
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
  /**
   * The text a row is found by (names, types): a table longer than one page gets a filter box, since rows past the
   * page are not in the page and the browser's find cannot reach them.
   */
  rowText?(row: T): string;
}

/**
 * Rows rendered at first, and added per "Show more": a table of tens of thousands of rows (a hostile
 * requirements.txt, a signature of 15 000 columns) froze the window for seconds, or crashed it.
 */
export const TABLE_PAGE_ROWS = 1000;

/** The dense data table every tab uses; long ones render their first rows, the rest a click away, and can be filtered. */
export function Table<T>({ columns, rows, rowKey, testId, caption, rowClassName, rowTestId, empty, rowText }: TableProps<T>) {
  const [limit, setLimit] = useState(TABLE_PAGE_ROWS);
  const [query, setQuery] = useState('');
  const filterable = rowText !== undefined && rows.length > TABLE_PAGE_ROWS;
  // each row's text lower-cased once per rows, not per keystroke (60 000 signature columns)
  const texts = useMemo(() => (filterable ? rows.map((r) => rowText(r).toLowerCase()) : null), [filterable, rows, rowText]);
  const needle = query.trim().toLowerCase();
  // the row's own index is kept: render(row, index) may show it
  const matching = useMemo(() => {
    const all = rows.map((row, index) => ({ row, index }));
    return texts && needle ? all.filter((_, i) => texts[i]!.includes(needle)) : all;
  }, [rows, texts, needle]);
  const shown = matching.length > limit ? matching.slice(0, limit) : matching;
  const hidden = matching.length - shown.length;
  return (
    <div className="table-wrap">
      {filterable ? (
        <div className="table-filter">
          <input
            type="search"
            className="input"
            placeholder={`Find in ${formatCount(rows.length)} rows`}
            aria-label={`Find in ${formatCount(rows.length)} rows`}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setLimit(TABLE_PAGE_ROWS);
            }}
            data-testid={testId ? `${testId}-filter` : undefined}
          />
          {needle ? (
            <span className="muted" data-testid={testId ? `${testId}-matches` : undefined}>
              {formatCount(matching.length)} of {formatCount(rows.length)} rows match
            </span>
          ) : null}
        </div>
      ) : null}
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
          {matching.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-empty">
                {rows.length === 0 ? (empty ?? 'Nothing to show.') : `No row has “${query.trim()}”.`}
              </td>
            </tr>
          ) : (
            shown.map(({ row, index: i }) => (
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
                {formatCount(hidden)} more {needle ? 'matching ' : ''}{hidden === 1 ? 'row' : 'rows'} not shown.{' '}
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
