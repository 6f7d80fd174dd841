/**
 * `text/csv` bodies (payloads.md §2.1 "CSV"): `pandas.read_csv(dtype={name: pandas dtype})` from the
 * signature. No base64 decoding, no params. Failures throw PyError with pandas' message.
 */
import type { Schema } from '../model-report';
import { isPyDict, PyFloat, type PyDict, type PyValue } from './py-json';
import { boxedItem, indexOf, PyError, type Column, type Frame } from './frame';
import { convertCsvColumn, inferCsvColumn, type TypedColumn } from './pandas-csv';
import { pandasDtypeOf } from './enforce';
import { csvLimitError, csvLimits } from './limits';

/**
 * RFC 4180 rows (quotes, doubled quotes, CRLF). Linear time. Stops with an AppError as soon as a record
 * has more columns, or the text more fields, than `csvLimits()` allows (before the memory is spent).
 */
const BLANK = /^[ \t]*$/;
/** tokenizer.c hands each field on as a C string: text after a NUL is lost ('\0a' is '', checked with pandas 1.5.3); the line still counts. */
const cString = (field: string): string => {
  const z = field.indexOf('\u0000');
  return z < 0 ? field : field.slice(0, z);
};

export function parseCsvRows(text: string): string[][] {
  const { maxColumns, maxCells } = csvLimits();
  let cells = 0;
  let line = 1;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStart = true;
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
    // tokenizer.c: a quote opens a quoted field only at the start of a field (START_FIELD); inside a
    // field (` "bp"`, or after a closing quote) it is an ordinary character (IN_FIELD).
    if (c === '"' && fieldStart) { quoted = true; fieldStart = false; lineHadQuote = true; i++; continue; }
    fieldStart = false;
    if (c === ',') {
      fieldStart = true;
      row.push(cString(field)); field = ''; i++;
      if (row.length >= maxColumns) throw csvLimitError('columns', line);
      if (++cells >= maxCells) throw csvLimitError('cells', line);
      continue;
    }
    if (c === '\n' || c === '\r') {
      fieldStart = true;
      const raw = field;
      row.push(cString(field)); field = '';
      if (++cells > maxCells) throw csvLimitError('cells', line);
      line++;
      // tokenizer.c skips a line of spaces/tabs only as a blank line too (pandas 1.5.3: 'a\n \n1' has one row)
      if (!(row.length === 1 && BLANK.test(raw) && !lineHadQuote)) rows.push(row);
      row = [];
      lineHadQuote = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if ((field !== '' && !(row.length === 0 && BLANK.test(field))) || row.length || lineHadQuote) { row.push(cString(field)); rows.push(row); }
  return rows;
}

/**
 * What `pd.read_csv(text, dtype={name: dtype})` reads before it builds a frame (pandas-csv.ts): pandas' column
 * names, the leading index columns (k fields more than the header on the first data line) and the named
 * columns, each typed. `dtypeOf` gives a column's requested dtype (by name and position), null to let pandas infer it. Shared by the
 * emulated servers (`parseCsvFrame`) and the converter (convert.ts), so both read a CSV body the same way.
 */
export interface CsvColumns {
  header: string[];
  nrows: number;
  /** The leading index columns (none, one, or the levels of a row MultiIndex), each inferred. */
  levels: TypedColumn[];
  columns: TypedColumn[];
}

export function readCsvColumns(text: string, dtypeOf: (name: string, k: number) => string | null): CsvColumns {
  // The C parser skips a UTF-8 byte-order mark before the first header field.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const open = unterminatedQuoteRow(source);
  if (open !== null) throw new PyError('ParserError', `Error tokenizing data. C error: EOF inside string starting at row ${open}`);
  const rows = parseCsvRows(source);
  if (rows.length === 0) throw new PyError('EmptyDataError', 'No columns to parse from file');
  const header = dedupeHeader(rows[0]!);
  let body = rows.slice(1);
  // k fields more than the header on the first data line (parsers.pyx `_get_header`: leading_cols =
  // field_count - passed_count): those first k fields are the (unnamed) index, a row MultiIndex when k > 1.
  const leading = body.length > 0 ? Math.max(0, body[0]!.length - header.length) : 0;
  const width = header.length + leading;
  body.forEach((r, k) => {
    if (r.length > width) throw new PyError('ParserError', `Error tokenizing data. C error: Expected ${width} fields in line ${k + 2}, saw ${r.length}\n`);
  });
  // The index columns have no requested dtype: each is inferred like any unnamed column.
  const levels = Array.from({ length: leading }, (_, i) => inferCsvColumn(body.map((r) => r[i] ?? '')));
  if (leading > 0) body = body.map((r) => r.slice(leading));
  const columns = header.map((name, k) => {
    const dt = dtypeOf(name, k);
    if (dt === 'datetime64[ns]') throw new PyError('TypeError', `the dtype datetime64[ns] is not supported for parsing, pass this column using parse_dates instead`);
    const tokens = body.map((r) => r[k] ?? '');
    return dt === null ? inferCsvColumn(tokens) : convertCsvColumn(tokens, dt, k);
  });
  return { header, nrows: body.length, levels, columns };
}

/** Parse a CSV body to a frame as `pd.read_csv(text, dtype={name: pandas dtype})` does (pandas-csv.ts). */
export function parseCsvFrame(text: string, schema: Schema | null): Frame {
  const dtypes = new Map<string, string>();
  if (schema?.kind === 'columns') for (const c of schema.columns) if (c.name !== null) dtypes.set(c.name, pandasDtypeOf(c.type));
  const { header, nrows, levels, columns } = readCsvColumns(text, (name) => dtypes.get(name) ?? null);
  // 2.12's messages print the index; several levels are `MultiIndex.from_arrays` (factorized levels, NaN missing).
  const index: Frame['index'] =
    levels.length === 1 ? levels[0]
    : levels.length > 1 ? indexOf(levels.map((l) => l.values.map((v) => (typeof v === 'number' && Number.isNaN(v) ? null : boxedItem(v, l.dtype)))))
    : undefined;
  const framed: Column[] = columns.map(({ dtype, values }, k) => ({ name: header[k]!, dtype, values, path: (r: number) => `csv line ${r + 2}, column ${k + 1}` }));
  return index ? { kind: 'frame', nrows, columns: framed, index } : { kind: 'frame', nrows, columns: framed };
}

/** The row (0 = header) where a quoted field opens and never closes, or null. */
function unterminatedQuoteRow(text: string): number | null {
  let quoted = false;
  let row = 0;
  let openedAt = 0;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      openedAt = row;
    } else if (c === '\n') row++;
    fieldStart = c === ',' || c === '\n' || c === '\r';
  }
  return quoted ? openedAt : null;
}

/** pandas' header handling: an empty name is "Unnamed: k", a repeated one gets ".1", ".2" … */
function dedupeHeader(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, k) => {
    let name = raw === '' ? `Unnamed: ${k}` : raw;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    if (n > 0) {
      let cand = `${name}.${n}`;
      for (let i = n; seen.has(cand); i++) cand = `${name}.${i + 1}`;
      seen.set(cand, 1);
      name = cand;
    }
    return name;
  });
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
