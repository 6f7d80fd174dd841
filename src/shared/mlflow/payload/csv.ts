/**
 * `text/csv` bodies (payloads.md §2.1 "CSV"): `pandas.read_csv(dtype={name: pandas dtype})` from the
 * signature. No base64 decoding, no params. Failures throw PyError with pandas' message.
 */
import type { Schema } from '../model-report';
import { isPyDict, PyFloat, type PyDict, type PyValue } from './py-json';
import { pyFloatFromStr, PyError, type Cell, type Column, type Frame } from './frame';
import { pyRepr } from './py-repr';
import { pandasDtypeOf } from './enforce';
import { csvLimitError, csvLimits } from './limits';

/**
 * RFC 4180 rows (quotes, doubled quotes, CRLF). Linear time. Stops with an AppError as soon as a record
 * has more columns, or the text more fields, than `csvLimits()` allows (before the memory is spent).
 */
export function parseCsvRows(text: string): string[][] {
  const { maxColumns, maxCells } = csvLimits();
  let cells = 0;
  let line = 1;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  // a line holding only `""` is a row with one empty field, not a blank line (pandas skips blank lines only)
  let lineHadQuote = false;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; lineHadQuote = true; i++; continue; }
    if (c === ',') {
      row.push(field); field = ''; i++;
      if (row.length >= maxColumns) throw csvLimitError('columns', line);
      if (++cells >= maxCells) throw csvLimitError('cells', line);
      continue;
    }
    if (c === '\n' || c === '\r') {
      row.push(field); field = '';
      if (++cells > maxCells) throw csvLimitError('cells', line);
      line++;
      if (!(row.length === 1 && row[0] === '' && !lineHadQuote)) rows.push(row);
      row = [];
      lineHadQuote = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length || lineHadQuote) { row.push(field); rows.push(row); }
  return rows;
}

const INT_RE = /^\s*[-+]?\d+\s*$/;
const BOOL: Record<string, boolean> = { True: true, TRUE: true, true: true, False: false, FALSE: false, false: false };

function parseField(s: string, dtype: string | null, col: number): Cell {
  if (s === '') {
    if (dtype === 'int64' || dtype === 'int32') throw new PyError('ValueError', `Integer column has NA values in column ${col}`);
    if (dtype === 'bool') throw new PyError('ValueError', `Bool column has NA values in column ${col}`);
    return NaN;
  }
  if (dtype === 'int64' || dtype === 'int32') {
    if (INT_RE.test(s)) return Number(s);
    if (pyFloatFromStr(s) !== null) throw new PyError('ValueError', `cannot safely convert passed user dtype of ${dtype} for float64 dtyped data in column ${col}`);
    throw new PyError('ValueError', `invalid literal for int() with base 10: ${pyRepr(s)}`);
  }
  if (dtype === 'float64' || dtype === 'float32') {
    const f = pyFloatFromStr(s);
    if (f === null) throw new PyError('ValueError', `could not convert string to float: ${pyRepr(s)}`);
    return dtype === 'float32' ? Math.fround(f) : f;
  }
  if (dtype === 'bool') {
    if (s in BOOL) return BOOL[s]!;
    throw new PyError('ValueError', `cannot safely convert passed user dtype of bool for object dtyped data in column ${col}`);
  }
  return s;
}

/** Parse a CSV body to a frame, typed by the signature where it names the column. */
export function parseCsvFrame(text: string, schema: Schema | null): Frame {
  const rows = parseCsvRows(text);
  if (rows.length === 0) throw new PyError('EmptyDataError', 'No columns to parse from file');
  const header = rows[0]!;
  const dtypes = new Map<string, string>();
  if (schema?.kind === 'columns') for (const c of schema.columns) if (c.name !== null) dtypes.set(c.name, pandasDtypeOf(c.type));
  const body = rows.slice(1);
  // Checked once, not once per column: a wide header times many rows made this quadratic.
  const long = header.length > 0 ? body.findIndex((r) => r.length > header.length) : -1;
  const columns: Column[] = header.map((name, k) => {
    const dt = dtypes.get(name) ?? null;
    if (dt === 'datetime64[ns]') throw new PyError('TypeError', `the dtype datetime64[ns] is not supported for parsing, pass this column using parse_dates instead`);
    if (long >= 0) throw new PyError('ParserError', `Error tokenizing data. C error: Expected ${header.length} fields in line ${long + 2}, saw ${body[long]!.length}`);
    const raw = body.map((r) => parseField(r[k] ?? '', dt, k));
    let dtype = dt;
    let values = raw;
    if (dtype === null) {
      const texts = body.map((r) => r[k] ?? '');
      if (texts.every((t) => t === '' || INT_RE.test(t)) && texts.some((t) => t !== '')) {
        dtype = texts.some((t) => t === '') ? 'float64' : 'int64';
        values = texts.map((t) => (t === '' ? NaN : Number(t)));
      } else if (texts.every((t) => t === '' || pyFloatFromStr(t) !== null) && texts.some((t) => t !== '')) {
        dtype = 'float64';
        values = texts.map((t) => (t === '' ? NaN : pyFloatFromStr(t)!));
      } else if (texts.length > 0 && texts.every((t) => t in BOOL)) {
        dtype = 'bool';
        values = texts.map((t) => BOOL[t]!);
      } else dtype = 'object';
    }
    if (dtype === 'object') values = values.map((v) => (typeof v === 'number' ? v : v));
    return { name, dtype: dtype === 'int32' || dtype === 'float32' ? dtype : dtype, values, path: (r: number) => `csv line ${r + 2}, column ${k + 1}` };
  });
  return { kind: 'frame', nrows: body.length, columns };
}

const csvField = (v: PyValue): string => {
  if (v === null) return '';
  if (typeof v === 'number' && Number.isNaN(v)) return '';
  if (v instanceof PyFloat) return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : JSON.stringify(v, (_k, x) => (x instanceof Map ? Object.fromEntries(x) : x));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** `DataFrame.to_csv(index=False)` of columns and rows. */
export function writeCsv(columns: string[], rows: PyValue[][]): string {
  return [columns.map((c) => csvField(c)).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

export const isRecord = (v: PyValue): v is PyDict => isPyDict(v);
