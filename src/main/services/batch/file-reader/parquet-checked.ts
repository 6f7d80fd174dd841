/**
 * hyparquet, with the checks a corrupted or truncated file needs so that it fails instead of silently
 * giving fewer rows or holes: the footer's row total must equal the sum of its row groups', and every
 * decoded range must hold exactly the rows the footer promises, each column with a value (or null) in
 * every row. Runs inside the file-reader process (file-worker-main.ts), where a decoder that loops
 * forever is stopped by the parent's deadline.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { CorruptFileError } from './corrupt-file-error';
import { checkRowGroupPages } from './parquet-pages';
import type { ParquetColumnInfo } from './reader-protocol';

type AsyncBuffer = Awaited<ReturnType<typeof asyncBufferFromFile>>;

export { CorruptFileError };

export interface OpenedParquet {
  file: AsyncBuffer;
  metadata: FileMetaData;
  rows: number;
  columns: ParquetColumnInfo[];
  /** Row groups whose page headers were checked already. */
  checkedGroups: Set<number>;
}

const what = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function openCheckedParquet(path: string): Promise<OpenedParquet> {
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new CorruptFileError(`it is not a readable parquet file: its footer cannot be read (${what(err)})`);
  }
  const rows = Number(metadata.num_rows);
  if (!Number.isSafeInteger(rows) || rows < 0) throw new CorruptFileError(`its footer gives an impossible row count (${String(metadata.num_rows)})`);
  const inGroups = metadata.row_groups.reduce((s, g) => s + Number(g.num_rows), 0);
  if (inGroups !== rows)
    throw new CorruptFileError(`its footer says ${rows} rows but its row groups hold ${inGroups}`);
  let columns: ParquetColumnInfo[];
  try {
    columns = parquetSchema(metadata).children.map((c) => ({ element: c.element, nested: c.children.length > 0 }));
  } catch (err) {
    throw new CorruptFileError(`its schema cannot be read (${what(err)})`);
  }
  return { file, metadata, rows, columns, checkedGroups: new Set() };
}

/** Rows [rowStart, rowEnd) as arrays of column values, checked against the footer. */
export async function readCheckedRows(p: OpenedParquet, rowStart: number, rowEnd: number): Promise<unknown[][]> {
  let groupStart = 0;
  for (let g = 0; g < p.metadata.row_groups.length; g++) {
    const groupEnd = groupStart + Number(p.metadata.row_groups[g]!.num_rows);
    if (groupEnd > rowStart && groupStart < rowEnd && !p.checkedGroups.has(g)) {
      await checkRowGroupPages(p.file, p.metadata, g);
      p.checkedGroups.add(g);
    }
    groupStart = groupEnd;
  }
  let rows: unknown[][] = [];
  try {
    await parquetRead({ file: p.file, metadata: p.metadata, rowStart, rowEnd, rowFormat: 'array', onComplete: (r: unknown[][]) => (rows = r) });
  } catch (err) {
    throw new CorruptFileError(`rows ${rowStart}–${rowEnd - 1} cannot be decoded (${what(err)})`);
  }
  const expected = Math.min(rowEnd, p.rows) - rowStart;
  if (rows.length !== expected)
    throw new CorruptFileError(`rows ${rowStart}–${rowEnd - 1}: the footer promises ${expected} rows but ${rows.length} could be decoded`);
  const width = p.columns.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    // A column chunk with fewer values than its row group leaves holes (undefined); a real null is null.
    for (let c = 0; c < width; c++) {
      if (row[c] === undefined)
        throw new CorruptFileError(`column '${p.columns[c]!.element.name}' has no value for row ${rowStart + r} although the footer counts that row`);
    }
  }
  return rows;
}
