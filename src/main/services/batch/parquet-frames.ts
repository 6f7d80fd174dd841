/**
 * Parquet input for batch jobs: the file's row count from its footer, then DataFrames of row ranges
 * (`rowStart`/`rowEnd`: hyparquet, in the file-reader process, decodes only the row groups a range touches, so memory stays bounded
 * by the chunk and one row group). Column dtypes follow what `pandas.read_parquet` (pyarrow's
 * `to_pandas()` defaults) gives, so the payload engine's schema enforcement sees the same dtypes.
 */
import { Timestamp } from '@shared/mlflow/payload/cells';
import type { Cell, Column, Frame } from '@shared/mlflow/payload/frame';
import type { FileReader } from './file-reader/file-reader';
import type { ParquetColumnInfo } from './file-reader/reader-protocol';

export interface ParquetSource {
  rows: number;
  columns: string[];
  read(rowStart: number, rowEnd: number): Promise<Frame>;
}

/** pandas dtype of a top-level parquet column, and whether nulls turn it into float64 / object. */
interface ColumnKind {
  name: string;
  dtype: string;
  /** What pandas does with a null in this column. */
  nullAs: 'nan-float64' | 'none-object' | 'nan' | 'nat';
  convert: (v: unknown) => Cell;
}

const INT_DTYPES: Record<string, string> = { INT_8: 'int8', INT_16: 'int16', INT_32: 'int32', INT_64: 'int64', UINT_8: 'uint8', UINT_16: 'uint16', UINT_32: 'uint32', UINT_64: 'uint64' };

/** Nested values (lists, structs, maps) as Python objects: lists stay lists, objects become dicts. */
function toCell(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof Date) return new Timestamp(BigInt(v.getTime()) * 1_000_000n);
  if (Array.isArray(v)) return v.map(toCell) as Cell;
  if (v instanceof Uint8Array) return Array.from(v) as Cell;
  if (typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toCell(x)])) as Cell;
  return String(v);
}

const intCell = (v: unknown): Cell => (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : (v as Cell));

function kindOf(node: ParquetColumnInfo): ColumnKind {
  const e = node.element;
  const name = e.name;
  if (node.nested) return { name, dtype: 'object', nullAs: 'none-object', convert: toCell };
  const logical = e.logical_type;
  const converted = e.converted_type;
  if (logical?.type === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || e.type === 'INT96')
    return { name, dtype: 'datetime64[ns]', nullAs: 'nat', convert: toCell };
  // pyarrow gives datetime.date objects (object dtype); Preflight's nearest cell is a midnight Timestamp.
  if (logical?.type === 'DATE' || converted === 'DATE') return { name, dtype: 'object', nullAs: 'none-object', convert: toCell };
  if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') return { name, dtype: 'object', nullAs: 'none-object', convert: toCell };
  switch (e.type) {
    case 'BOOLEAN':
      return { name, dtype: 'bool', nullAs: 'none-object', convert: (v) => v as boolean };
    case 'INT32':
    case 'INT64': {
      let dtype = e.type === 'INT32' ? 'int32' : 'int64';
      if (logical?.type === 'INTEGER') dtype = `${logical.isSigned ? 'int' : 'uint'}${logical.bitWidth}`;
      else if (converted && INT_DTYPES[converted]) dtype = INT_DTYPES[converted]!;
      return { name, dtype, nullAs: 'nan-float64', convert: intCell };
    }
    case 'FLOAT':
      return { name, dtype: logical?.type === 'FLOAT16' ? 'float16' : 'float32', nullAs: 'nan', convert: (v) => v as number };
    case 'DOUBLE':
      return { name, dtype: 'float64', nullAs: 'nan', convert: (v) => v as number };
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'FLOAT16') return { name, dtype: 'float16', nullAs: 'nan', convert: (v) => v as number };
      return { name, dtype: 'object', nullAs: 'none-object', convert: toCell };
    default:
      return { name, dtype: 'object', nullAs: 'none-object', convert: toCell };
  }
}

function buildColumn(kind: ColumnKind, raw: unknown[], fileName: string, rowStart: number): Column {
  const hasNull = raw.some((v) => v === null || v === undefined);
  let dtype = kind.dtype;
  let values: Cell[];
  if (!hasNull) values = raw.map(kind.convert);
  else if (kind.nullAs === 'nan-float64') {
    dtype = 'float64';
    values = raw.map((v) => (v === null || v === undefined ? NaN : Number(v as number | bigint)));
  } else if (kind.nullAs === 'nan') values = raw.map((v) => (v === null || v === undefined ? NaN : (v as number)));
  else if (kind.nullAs === 'nat') values = raw.map((v) => (v === null || v === undefined ? null : kind.convert(v)));
  else {
    dtype = 'object';
    values = raw.map((v) => (v === null || v === undefined ? null : kind.convert(v)));
  }
  return { name: kind.name, dtype, values, path: (r) => `${fileName} row ${rowStart + r}, column '${kind.name}'` };
}

/**
 * Opens a parquet file: reads its footer only. Decoding happens in the file-reader process (`reader`),
 * under its deadline; its errors already name the file and say what to do.
 */
export async function openParquet(reader: FileReader, path: string, fileName: string, opts: { signal?: AbortSignal } = {}): Promise<ParquetSource> {
  const meta = await reader.openParquet(path, opts);
  const kinds = meta.columns.map(kindOf);
  return {
    rows: meta.rows,
    columns: kinds.map((k) => k.name),
    async read(rowStart, rowEnd) {
      const rows = await reader.readParquet(path, rowStart, rowEnd, opts);
      const columns = kinds.map((k, c) => buildColumn(k, rows.map((r) => r[c]), fileName, rowStart));
      return { kind: 'frame', nrows: rows.length, columns };
    },
  };
}
