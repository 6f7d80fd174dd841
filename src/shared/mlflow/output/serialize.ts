/**
 * A prediction → the body text each server writes (payloads.md §4, §5):
 * - both call `_get_jsonable_obj(result, pandas_orient="records")` first: ndarray → `tolist()`,
 *   DataFrame → `to_dict(orient="records")` (cells boxed to Python natives), Series → one-column
 *   records keyed by its name (or `"0"`), anything else unchanged;
 * - MLflow then writes `{"predictions": …}` with `json.dump(..., cls=NumpyEncoder)`, which converts
 *   arrays, numpy scalars, bytes (base64 with newlines) and timestamps nested anywhere;
 * - Azure writes the bare value with plain `json.dumps`, which raises TypeError on an ndarray inside a
 *   dict, a numpy scalar other than float64 (a float subclass), bytes or a Timestamp.
 */
import { NotJsonSerializable, numpyScalarTypeName, pyJsonFloat, pyJsonString, writeElement, writeNdarrayList, writeObject, type Encoder } from './py-json-text';
import type { FrameColumn, Prediction } from './prediction';

export type BodyText = { ok: true; text: string } | { ok: false; error: NotJsonSerializable };

function records(nrows: number, columns: readonly FrameColumn[], enc: Encoder): string {
  if (nrows === 0) return '[]';
  return columns.length === 1 ? oneColumnRecords(nrows, columns[0]!, enc) : recordsByRow(nrows, columns, enc);
}

/** `to_dict(orient="records")` as JSON, for any columns (exported for the property test of the one-column path). */
export function recordsByRow(nrows: number, columns: readonly FrameColumn[], enc: Encoder): string {
  if (nrows === 0) return '[]';
  const keys = columns.map((c) => pyJsonString(c.name) + ': ');
  const parts: string[] = new Array(nrows);
  const nc = columns.length;
  for (let r = 0; r < nrows; r++) {
    let row = '{';
    for (let c = 0; c < nc; c++) {
      const col = columns[c]!.values;
      row += (c ? ', ' : '') + keys[c] + writeElement(col.dtype, col.data, r, enc);
    }
    parts[r] = row + '}';
  }
  return '[' + parts.join(', ') + ']';
}

/**
 * The common shape of a prediction (one output: `[{"variable": 152.1}, …]`) written as one growing
 * string, not a row array then join: measured 1.47 → 0.80 ms for 10 000 rows, including the flattening the
 * socket write does anyway. Float columns skip writeElement's per-cell dtype switch. Same text as
 * recordsByRow (serialize-fast.test.ts compares them).
 */
function oneColumnRecords(nrows: number, column: FrameColumn, enc: Encoder): string {
  const head = '{' + pyJsonString(column.name) + ': ';
  const { dtype, data } = column.values;
  let out = '[' + head;
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'float16') {
    const f = data as Float32Array | Float64Array;
    out += pyJsonFloat(f[0]!);
    const sep = '}, ' + head;
    for (let r = 1; r < nrows; r++) out += sep + pyJsonFloat(f[r]!);
  } else {
    out += writeElement(dtype, data, 0, enc);
    const sep = '}, ' + head;
    for (let r = 1; r < nrows; r++) out += sep + writeElement(dtype, data, r, enc);
  }
  return out + '}]';
}

/** A value json meets *inside* a container (after `_get_jsonable_obj` left the container unchanged). */
function nested(p: Prediction, enc: Encoder): string {
  switch (p.kind) {
    case 'ndarray':
      if (enc === 'plain') throw new NotJsonSerializable('ndarray');
      return writeNdarrayList(p, enc);
    case 'dataframe':
      throw new NotJsonSerializable('DataFrame');
    case 'series':
      throw new NotJsonSerializable('Series');
    case 'numpy-scalar':
      return numpyScalar(p.dtype, p.value, enc);
    case 'dict': {
      if (p.items.length === 0) return '{}';
      return '{' + p.items.map(([k, v]) => pyJsonString(k) + ': ' + nested(v, enc)).join(', ') + '}';
    }
    case 'list':
      return '[' + p.items.map((v) => nested(v, enc)).join(', ') + ']';
    case 'object':
      return writeObject(p.value, enc);
  }
}

function numpyScalar(dtype: string, value: number | bigint | boolean, enc: Encoder): string {
  // np.float64 subclasses Python float, so even the plain encoder writes it; the others need `.item()`.
  if (enc === 'plain' && dtype !== 'float64') throw new NotJsonSerializable(numpyScalarTypeName(dtype));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  return dtype.startsWith('float') ? pyJsonFloat(value) : String(value);
}

/** `json.dumps(_get_jsonable_obj(p, pandas_orient="records"), cls=NumpyEncoder if enc is 'numpy')`. */
export function jsonableText(p: Prediction, enc: Encoder): string {
  switch (p.kind) {
    case 'ndarray':
      return writeNdarrayList(p, enc);
    case 'dataframe':
      return records(p.nrows, p.columns, enc);
    case 'series':
      return records(p.values.shape[0] ?? 0, [{ name: p.name ?? '0', values: p.values }], enc);
    default:
      return nested(p, enc);
  }
}

const attempt = (f: () => string): BodyText => {
  try {
    return { ok: true, text: f() };
  } catch (e) {
    if (e instanceof NotJsonSerializable) return { ok: false, error: e };
    throw e;
  }
};

/**
 * MLflow's success body (S1 `predictions_to_json`). `unwrapped` is the unified-LLM route (§3), whose
 * answer is written without the `predictions` key.
 */
export function mlflowBodyText(p: Prediction, unwrapped = false): BodyText {
  return attempt(() => (unwrapped ? jsonableText(p, 'numpy') : `{"predictions": ${jsonableText(p, 'numpy')}}`));
}

/** Azure's success body: the bare value through plain `json.dumps`. */
export function azureBodyText(p: Prediction): BodyText {
  return attempt(() => jsonableText(p, 'plain'));
}
