import { parseCsvRows } from '@shared/mlflow/payload/csv';

/**
 * The signature grid (issue 10): the request as a table — the signature's columns, one editable row per input row —
 * written back to the editor as CSV and converted by the engine to the editor's form. Pasting a block copied from a
 * spreadsheet (tab-separated) or a CSV fills the cells from the one pasted into.
 */

export interface Grid {
  columns: string[];
  rows: string[][];
}

/** A pasted block: tab-separated when any line has a tab (a spreadsheet's copy), else CSV. */
export function parsePasted(text: string): string[][] {
  // `(?<!\n)`: the trailing breaks are tried from a run's first break only (from every break of a long run of blank
  // lines, the pattern re-scanned the run: quadratic)
  const lines = text.replace(/\r\n?/g, '\n').replace(/(?<!\n)\n+$/, '');
  if (lines === '') return [];
  if (lines.includes('\t')) return lines.split('\n').map((l) => l.split('\t'));
  return parseCsvRows(`${lines}\n`);
}

/** The grid with `block` written from (row, col) on, growing rows as needed; cells past the last column are dropped. */
export function pasteBlock(grid: Grid, row: number, col: number, block: string[][]): Grid {
  const rows = grid.rows.map((r) => [...r]);
  block.forEach((cells, i) => {
    const r = row + i;
    while (rows.length <= r) rows.push(grid.columns.map(() => ''));
    cells.forEach((v, j) => {
      if (col + j < grid.columns.length) rows[r]![col + j] = v.trim();
    });
  });
  return { columns: grid.columns, rows };
}

const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** CSV text of the grid (an empty cell is a missing value, as pandas reads it). */
export function gridToCsv(grid: Grid): string {
  return [grid.columns, ...grid.rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
}

/** A CSV body as a grid; the signature's columns when there is no body to read. */
export function csvToGrid(csv: string | null, signatureColumns: readonly string[]): Grid {
  const parsed = csv ? parseCsvRows(csv) : [];
  if (parsed.length === 0) return { columns: [...signatureColumns], rows: [signatureColumns.map(() => '')] };
  const [header, ...rows] = parsed as [string[], ...string[][]];
  return { columns: header, rows: rows.map((r) => header.map((_, i) => r[i] ?? '')) };
}
