/**
 * What a pyfunc model is handed, in the engine's own terms, and how it is described to users as
 * `model_receives` (issue 3: DataFrame / ndarray / dict, plus list/str/scalar for the LLM routes).
 */
import { PyFloat, toPlain, type PyValue } from './py-json';
import { Bytes, NaT, Timestamp } from './cells';
import { PyTuple, type Cell, type Frame, type NdArray } from './frame';
import { pyRepr, pyStr, pyTypeName } from './py-repr';
import { ndarrayRepr, ndarrayStr } from './numpy-repr';

export type ModelIn =
  | Frame
  | NdArray
  | { kind: 'dict'; items: Map<string, ModelIn> }
  /**
   * `recordDtypes`: for a list of records whose values MLflow already turned into numpy scalars of a
   * column's dtype (2.12 `_cast_schema_type`), that dtype per key — pandas keeps it (docs/fidelity.md).
   * `recordArrays`: per record, the numpy value convert_data_type made of each key (scalar, 0-d or n-d
   * array), which the 2.12 messages print with numpy's repr (`array([1., 2.])`, `array(1)`, `0.1` for float32).
   */
  | { kind: 'value'; value: PyValue; recordDtypes?: Record<string, string>; recordArrays?: Map<string, NdArray>[] };

/**
 * Rows of a DataFrame listed in `model_receives.values`. A 100 000-row request would otherwise double the
 * memory and the size of the CLI's JSON (payloads bench target); `nrows` tells how many the model gets.
 */
export const MODEL_RECEIVES_PREVIEW_ROWS = 1000;

export type ModelReceives =
  /** `values` holds the first MODEL_RECEIVES_PREVIEW_ROWS rows only; `nrows` is the full row count. */
  | { kind: 'DataFrame'; columns: string[]; dtypes: Record<string, string>; nrows: number; values: unknown[][] }
  | { kind: 'ndarray'; dtype: string; shape: number[]; values: unknown }
  | { kind: 'dict'; items: Record<string, ModelReceives> }
  | { kind: 'list' | 'str' | 'scalar' | 'object'; pytype: string; value: unknown };

/**
 * A cell as JSON: NaN/±Infinity as the strings `"NaN"`/`"Infinity"`/`"-Infinity"` (the dtype says it is a
 * float), ints beyond 2^53 as digit strings, bytes as Python's repr (`"b'hello'"`), datetimes as ISO text,
 * NaT as `"NaT"`.
 */
export function jsonCell(c: Cell): unknown {
  if (c === null || typeof c === 'boolean' || typeof c === 'string') return c;
  if (typeof c === 'number') return Number.isFinite(c) ? c : Number.isNaN(c) ? 'NaN' : c > 0 ? 'Infinity' : '-Infinity';
  if (typeof c === 'bigint') return c.toString();
  if (c instanceof PyFloat) return jsonCell(c.value);
  if (c instanceof Bytes) return c.repr();
  if (c instanceof Timestamp) return c.iso('T');
  if (c === NaT) return 'NaT';
  if (Array.isArray(c)) return c.map((x) => jsonCell(x));
  if (c instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of c) Object.defineProperty(o, k, { value: jsonCell(v), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return toPlain(c as unknown as PyValue);
}

function nest(data: Cell[], shape: number[]): unknown {
  if (shape.length === 0) return jsonCell(data[0] ?? null);
  if (shape.length === 1) return data.map(jsonCell);
  const inner = shape.slice(1);
  const step = inner.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let k = 0; k < shape[0]!; k++) out.push(nest(data.slice(k * step, (k + 1) * step), inner));
  return out;
}

export function describeModelInput(m: ModelIn): ModelReceives {
  switch (m.kind) {
    case 'frame': {
      const columns = m.columns.map((c) => pyStr(c.name));
      const dtypes: Record<string, string> = {};
      columns.forEach((c, k) => Object.defineProperty(dtypes, c, { value: m.columns[k]!.dtype, enumerable: true, writable: true, configurable: true }));
      const shown = Math.min(m.nrows, MODEL_RECEIVES_PREVIEW_ROWS);
      const values: unknown[][] = new Array(shown);
      const cols = m.columns;
      const nc = cols.length;
      for (let r = 0; r < shown; r++) values[r] = new Array(nc);
      for (let c = 0; c < nc; c++) {
        const vals = cols[c]!.values;
        // numeric columns hold plain numbers: copy them without the generic conversion
        const plainNumbers = cols[c]!.dtype === 'float64' || cols[c]!.dtype === 'float32';
        for (let r = 0; r < shown; r++) {
          const v = vals[r]!;
          values[r]![c] = plainNumbers && Number.isFinite(v as number) ? v : jsonCell(v);
        }
      }
      return { kind: 'DataFrame', columns, dtypes, nrows: m.nrows, values };
    }
    case 'ndarray':
      return { kind: 'ndarray', dtype: m.dtype, shape: m.shape, values: nest(m.data, m.shape) };
    case 'dict': {
      const items: Record<string, ModelReceives> = {};
      for (const [k, v] of m.items) Object.defineProperty(items, k, { value: describeModelInput(v), enumerable: true, writable: true, configurable: true });
      return { kind: 'dict', items };
    }
    case 'value': {
      const v = m.value;
      const kind = Array.isArray(v) ? 'list' : typeof v === 'string' ? 'str' : v instanceof Map ? 'object' : 'scalar';
      return { kind, pytype: pyTypeName(v), value: jsonCell(v) };
    }
  }
}

// ---- str() of what the model got, for MLflow's "Failed to predict data '<data>'" messages -----------

const cellText = (c: Cell, dtype: string): string => {
  if (c === null) return 'None';
  if (typeof c === 'number') {
    if (Number.isNaN(c)) return 'NaN';
    if (dtype.startsWith('float')) return Number.isInteger(c) ? `${c}.0` : String(c);
    return String(c);
  }
  if (c === NaT) return 'NaT';
  if (c instanceof Timestamp) return c.iso();
  if (typeof c === 'string') return c;
  return pyRepr(c);
};

/** Python's `'%.{digits}f' % x` (round-half-even on the exact binary value; JS toFixed rounds ties up). */
function pyFixed(x: number, digits: number): string {
  const a = Math.abs(x);
  const exact = a.toFixed(Math.min(100, digits + 60));
  const cut = exact.indexOf('.') + 1 + digits;
  const rest = exact.slice(cut);
  let out = a.toFixed(digits);
  if (/^50*$/.test(rest)) {
    // a true tie: keep the even last digit
    const down = exact.slice(0, cut);
    out = Number(down[down.length - 1]) % 2 === 0 ? down : out;
  }
  return (x < 0 || Object.is(x, -0) ? '-' : '') + out;
}

/** Python's `'%.{digits}e' % x` (which keeps the sign of -0.0, unlike JS `toExponential`). */
function pyExp(x: number, digits: number): string {
  const [m, e] = x.toExponential(digits).split('e') as [string, string];
  const n = Number(e);
  return `${Object.is(x, -0) ? '-' : ''}${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/**
 * pandas 1.5 `FloatArrayFormatter` for one column of a DataFrame repr (index shown, so `leading_space`):
 * every value as `{v: .6f}`, trailing zeros trimmed equally from all (`_trim_zeros_float`, one kept after the
 * point); `{v: .6e}` instead when a value is below 1e-6 or, with a value above 1e6, the widest text is longer
 * than 12. NaN is `NaN`, infinities `inf`.
 */
export function pandasFloatColumn(values: number[]): string[] {
  const fmt = (f: (x: number) => string): string[] => values.map((v) => (Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? ' inf' : '-inf') : (v < 0 || Object.is(v, -0) ? '' : ' ') + f(v)));
  const isDecimal = (t: string): boolean => /^\s*[+-]?[0-9]+\.[0-9]*$/.test(t);
  const trim = (texts: string[]): string[] => {
    let out = texts;
    const shouldTrim = (xs: string[]): boolean => {
      const nums = xs.filter(isDecimal);
      return nums.length > 0 && nums.every((t) => t.endsWith('0'));
    };
    while (shouldTrim(out)) out = out.map((t) => (isDecimal(t) ? t.slice(0, -1) : t));
    return out.map((t) => (isDecimal(t) && t.endsWith('.') ? `${t}0` : t));
  };
  let texts = trim(fmt((v) => pyFixed(v, 6)));
  const finite = values.filter((v) => Number.isFinite(v)).map(Math.abs);
  const tooLong = texts.length > 0 && Math.max(...texts.map((t) => t.length)) > 12;
  const large = finite.some((v) => v > 1e6);
  const small = finite.some((v) => v > 0 && v < 1e-6);
  if (small || (tooLong && large)) texts = fmt((v) => pyExp(v, 6));
  return texts;
}

/**
 * Approximates pandas' `str(DataFrame)` (right-aligned columns, index on the left, head/tail beyond 60
 * rows). payloads.md §10: compare such messages by their inner error only.
 */
export function frameStr(f: Frame): string {
  if (f.columns.length === 0) return `Empty DataFrame\nColumns: []\nIndex: [${Array.from({ length: Math.min(f.nrows, 10) }, (_, k) => k).join(', ')}]`;
  if (f.nrows === 0) return `Empty DataFrame\nColumns: [${f.columns.map((c) => pyStr(c.name)).join(', ')}]\nIndex: []`;
  const rows = f.nrows > 60 ? [0, 1, 2, 3, 4, -1, f.nrows - 5, f.nrows - 4, f.nrows - 3, f.nrows - 2, f.nrows - 1] : Array.from({ length: f.nrows }, (_, k) => k);
  const idx = rows.map((r) => (r < 0 ? '..' : String(r)));
  const idxW = Math.max(...idx.map((s) => s.length));
  // pandas 1.5 DataFrameFormatter: every cell carries a leading space (a '-' takes its place), numeric
  // columns' headers get one too, columns are right-justified to max(header, cells) and joined by one space.
  const cols = f.columns.map((c) => {
    const shown = rows.filter((r) => r >= 0);
    const numeric = /^(u?int|float|bool)/.test(c.dtype);
    const floats = c.dtype.startsWith('float') && c.values.every((v) => typeof v === 'number') ? pandasFloatColumn(shown.map((r) => c.values[r] as number)) : null;
    let k = 0;
    const cells = rows.map((r) => {
      if (r < 0) return '...';
      if (floats !== null) return floats[k++]!;
      const t = cellText(c.values[r]!, c.dtype);
      return numeric && t.startsWith('-') ? t : ` ${t}`;
    });
    // pandas `_get_formatted_column_labels`: a MultiIndex header gets no leading space for numeric columns, and a
    // one-level one prints its labels' only element (several levels print one line each: not modelled)
    const multi = c.name instanceof PyTuple;
    const head = (numeric && !multi ? ' ' : '') + pyStr(c.name instanceof PyTuple && c.name.items.length === 1 ? c.name.items[0] : c.name);
    const w = Math.max(head.length, ...cells.map((s) => s.length));
    return { head: head.padStart(w), cells: cells.map((s) => s.padStart(w)) };
  });
  const lines = [' '.repeat(idxW) + ' ' + cols.map((c) => c.head).join(' ')];
  rows.forEach((_, k) => lines.push(idx[k]!.padEnd(idxW) + ' ' + cols.map((c) => c.cells[k]).join(' ')));
  let s = lines.join('\n');
  if (f.nrows > 60) s += `\n\n[${f.nrows} rows x ${f.columns.length} columns]`;
  return s;
}

/** Approximates `str()` of what was parsed (DataFrame, ndarray, dict of arrays, plain value). */
export function modelInStr(m: ModelIn): string {
  switch (m.kind) {
    case 'frame':
      return frameStr(m);
    case 'ndarray':
      return ndarrayStr(m);
    case 'dict':
      return '{' + [...m.items].map(([k, v]) => `${pyRepr(k)}: ${v.kind === 'ndarray' ? ndarrayRepr(v) : modelInStr(v)}`).join(', ') + '}';
    case 'value':
      return m.recordArrays && Array.isArray(m.value) ? recordsStr(m.value, m.recordArrays) : pyStr(m.value);
  }
}

/** `str()` of a list of dicts whose values are numpy objects (2.12 `_cast_schema_type` records). */
function recordsStr(rows: PyValue[], arrays: Map<string, NdArray>[]): string {
  const one = (row: PyValue, k: number): string => {
    if (!(row instanceof Map)) return pyRepr(row);
    const nd = arrays[k];
    return '{' + [...row].map(([key, v]) => `${pyRepr(key)}: ${nd?.has(key) ? ndarrayRepr(nd.get(key)!) : pyRepr(v)}`).join(', ') + '}';
  };
  return '[' + rows.map(one).join(', ') + ']';
}
