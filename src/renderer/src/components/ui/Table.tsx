import type { ReactNode } from 'react';

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

/** The dense data table every tab uses. */
export function Table<T>({ columns, rows, rowKey, testId, caption, rowClassName, rowTestId, empty }: TableProps<T>) {
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
            rows.map((row, i) => (
              <tr key={rowKey(row, i)} className={rowClassName?.(row)} data-testid={rowTestId?.(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={[c.mono ? 'mono' : '', c.numeric ? 'num' : ''].join(' ').trim() || undefined}>
                    {c.render(row, i)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
