/**
 * What a pyfunc model is handed, in the engine's own terms, and how it is described to users as
 * `model_receives` (issue 3: DataFrame / ndarray / dict, plus list/str/scalar for the LLM routes).
 */
import { PyFloat, toPlain, type PyValue } from './py-json';
import { Bytes, NaT, Timestamp } from './cells';
import { type Cell, type Frame, type NdArray } from './frame';
import { pyRepr, pyStr, pyTypeName } from './py-repr';
import { ndarrayRepr, ndarrayStr } from './numpy-repr';
import { frameStr } from './frame-repr';

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
