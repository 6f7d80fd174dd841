/**
 * The `prediction` column of predictions.csv: one cell per input row, the model output "as-is"
 * (payloads.md §7). Azure's generated driver was not found in public sources, so the rules are
 * Preflight's, chosen so the file stays a regular CSV that pandas reads and `ast.literal_eval` parses:
 *
 * - one value per row (1-D arrays, `[n, 1]` arrays, one-column DataFrames, Series): the value as pandas
 *   `to_csv` writes it — Python float repr (`0.5`, `1e-05`, `2.0`), float32 with its shortest float32
 *   digits like numpy prints it, `True`/`False`, text as is, NaN/None as an empty cell;
 * - several values per row: the row as a Python literal — a list for arrays (`[0.1, 0.9]`, what
 *   `tolist()` gives) and a dict for DataFrames (`{'label': 1, 'score': 0.9}`).
 */
import { AppError, ErrorCodes } from '@shared/errors';
import { Timestamp, NaT } from '@shared/mlflow/payload/cells';
import type { Cell } from '@shared/mlflow/payload/frame';
import { PyFloat, pyFloatRepr, type PyValue } from '@shared/mlflow/payload/py-json';
import { pyRepr } from '@shared/mlflow/payload/py-repr';
import type { NdArrayValue, Prediction } from '@shared/mlflow/output/prediction';

/** numpy's `str(np.float32(x))`: the fewest digits that read back as the same float32. */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return pyFloatRepr(x);
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return pyFloatRepr(y);
  }
  return pyFloatRepr(x);
}

/** A cell as pandas writes it into a CSV field (before CSV quoting). */
export function cellText(v: Cell | undefined, dtype: string | null = null): string {
  if (v === null || v === undefined || v === NaT) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    if (dtype === 'float32' || dtype === 'float16') return float32Text(v);
    if (dtype !== null && dtype.startsWith('float')) return pyFloatRepr(v);
    return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (v instanceof PyFloat) return Number.isNaN(v.value) ? '' : pyFloatRepr(v.value);
  if (v instanceof Timestamp) return v.iso();
  return pyRepr(v);
}

/** Element k of an ndarray as a Python object (for literals) — what `tolist()` returns. */
function element(a: NdArrayValue, k: number): Cell {
  const x = (a.data as ArrayLike<unknown>)[k];
  if (a.dtype === 'bool') return Boolean(x);
  if (a.dtype.startsWith('float')) return Number.isInteger(x) ? new PyFloat(x as number) : (x as number);
  return x as Cell;
}

function elementText(a: NdArrayValue, k: number): string {
  const x = (a.data as ArrayLike<unknown>)[k];
  if (a.dtype === 'bool') return x ? 'True' : 'False';
  return cellText(x as Cell, a.dtype);
}

function countMismatch(got: number, nrows: number): AppError {
  return new AppError(
    ErrorCodes.INVALID_PAYLOAD,
    `The model returned ${got} prediction${got === 1 ? '' : 's'} for ${nrows} input rows, so predictions.csv cannot hold one row per input row. Azure writes one row per input row for tabular data; make predict return one value (or one row) per input row.`,
    { details: { predictions: got, rows: nrows } },
  );
}

/** One cell per row of an ndarray whose first dimension is the rows. */
function ndarrayRows(a: NdArrayValue, nrows: number): string[] {
  if (a.shape.length === 0 || a.shape[0] !== nrows) throw countMismatch(a.shape.length === 0 ? 1 : a.shape[0]!, nrows);
  const per = a.shape.slice(1).reduce((x, y) => x * y, 1);
  const out: string[] = new Array(nrows);
  if (per === 1) {
    for (let r = 0; r < nrows; r++) out[r] = elementText(a, r);
    return out;
  }
  const inner = a.shape.slice(1);
  for (let r = 0; r < nrows; r++) {
    const flat: Cell[] = new Array(per);
    for (let k = 0; k < per; k++) flat[k] = element(a, r * per + k);
    out[r] = pyRepr(nest(flat, inner));
  }
  return out;
}

function nest(flat: Cell[], shape: number[]): Cell {
  if (shape.length <= 1) return flat as unknown as Cell;
  const step = shape.slice(1).reduce((x, y) => x * y, 1);
  const out: Cell[] = [];
  for (let k = 0; k < shape[0]!; k++) out.push(nest(flat.slice(k * step, (k + 1) * step), shape.slice(1)));
  return out as unknown as Cell;
}

/** Rows of several named columns: a dict per row, or the value itself when there is one column. */
function columnRows(columns: readonly { name: string; values: NdArrayValue }[], nrows: number): string[] {
  for (const c of columns) if (c.values.shape[0] !== nrows) throw countMismatch(c.values.shape[0] ?? 1, nrows);
  if (columns.length === 1) return ndarrayRows(columns[0]!.values, nrows);
  const out: string[] = new Array(nrows);
  for (let r = 0; r < nrows; r++) {
    const row = new Map<string, PyValue>();
    for (const c of columns) {
      const per = c.values.shape.slice(1).reduce((x, y) => x * y, 1);
      row.set(c.name, (per === 1 ? element(c.values, r) : Array.from({ length: per }, (_, k) => element(c.values, r * per + k))) as PyValue);
    }
    out[r] = pyRepr(row);
  }
  return out;
}

/** The prediction cells of what an engine returned (ONNX engine: `fromOnnxPrediction`). */
export function predictionRows(p: Prediction, nrows: number): string[] {
  switch (p.kind) {
    case 'ndarray':
      return ndarrayRows(p, nrows);
    case 'dataframe':
      return columnRows(p.columns, nrows);
    case 'series':
      return ndarrayRows(p.values, nrows);
    case 'dict': {
      const cols = p.items.map(([name, v]) => {
        if (v.kind !== 'ndarray') throw new AppError(ErrorCodes.INVALID_PAYLOAD, `The model returned a dict whose '${name}' entry is a ${v.kind}, not an array with one entry per row; Preflight cannot split it into rows.`);
        return { name, values: v };
      });
      return columnRows(cols, nrows);
    }
    case 'list':
      if (p.items.length !== nrows) throw countMismatch(p.items.length, nrows);
      return p.items.map((item) => (item.kind === 'object' ? valueText(item.value as PyValue) : predictionRows(item, 1)[0]!));
    case 'numpy-scalar':
    case 'object':
      if (nrows !== 1) throw countMismatch(1, nrows);
      return [p.kind === 'object' ? valueText(p.value as PyValue) : cellText(p.value as Cell, p.dtype)];
  }
}

/** A row's value from MLflow's JSON: scalars as CSV text, one-element lists unwrapped, the rest as literals. */
function valueText(v: PyValue, dtype: string | null = null): string {
  if (Array.isArray(v)) return v.length === 1 && !Array.isArray(v[0]) && !(v[0] instanceof Map) ? cellText(v[0] as Cell, dtype) : pyRepr(v);
  if (v instanceof Map) return v.size === 1 ? valueText([...v.values()][0]!, dtype) : pyRepr(v);
  return cellText(v as Cell, dtype);
}

/**
 * The prediction cells from the `predictions` value of MLflow's JSON answer (Python engine). `dtype` is
 * the dtype of the array predict returned, when it was one (float32 keeps numpy's short digits).
 */
export function jsonPredictionRows(predictions: PyValue, nrows: number, dtype: string | null): string[] {
  if (Array.isArray(predictions)) {
    if (predictions.length !== nrows) throw countMismatch(predictions.length, nrows);
    return predictions.map((v) => valueText(v, dtype));
  }
  if (predictions instanceof Map) {
    const cols = [...predictions];
    for (const [, v] of cols) if (!Array.isArray(v) || v.length !== nrows) throw countMismatch(Array.isArray(v) ? v.length : 1, nrows);
    if (cols.length === 1) return (cols[0]![1] as PyValue[]).map((v) => valueText(v, dtype));
    return Array.from({ length: nrows }, (_, r) => pyRepr(new Map(cols.map(([k, v]) => [k, (v as PyValue[])[r]!]))));
  }
  if (nrows !== 1) throw countMismatch(1, nrows);
  return [valueText(predictions, dtype)];
}
