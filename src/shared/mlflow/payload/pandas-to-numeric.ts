/**
 * `pd.to_numeric(values, errors="raise")` of an object column (pandas 1.5 `core/tools/numeric.py` →
 * `_libs/lib.pyx` `maybe_convert_numeric`), which MLflow's `_enforce_mlflow_datatype` runs on an object
 * column meeting a `double` spec: `values.dtype == decimal.Decimal` is True for numpy's object dtype
 * (`np.dtype(decimal.Decimal)` is `object`), so every object column takes the "decimal → double" branch
 * (docs/fidelity.md).
 */
import { PyFloat } from './py-json';
import { INT64_MAX, INT64_MIN, PyError, type Cell } from './frame';

const isInt = (v: Cell): v is number | bigint => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
const isFloat = (v: Cell): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
const floatOf = (v: Cell): number => (v instanceof PyFloat ? v.value : Number(v));
const inInt64 = (b: bigint): boolean => b >= INT64_MIN && b <= INT64_MAX;
const fromBig = (b: bigint): number | bigint => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b);

/**
 * xstrtod's grammar (ASCII whitespace around; digits with an optional point, an exponent with digits).
 * `\d+(?:\.\d*)?` rather than `\d+\.?\d*` (the same texts): two digit runs with an optional point between
 * could split a long digit string every way, quadratic on a hostile cell.
 */
const XSTRTOD = /^[ \t\n\v\f\r]*[-+]?(\d+(?:\.\d*)?|\.\d+)([eE][-+]?\d+)?[ \t\n\v\f\r]*$/;
const INF = /^[-+]?inf(inity)?$/i;

/**
 * pandas 1.5 `floatify` (`_libs/src/parse_helper.h`): `precise_xstrtod`, then only inf/infinity with an
 * optional sign (any case, nothing around) — not Python's `float()`: no "nan", no "1_000", no non-ASCII digits.
 */
function floatify(s: string): number | null {
  if (XSTRTOD.test(s)) return Number(s.trim());
  if (INF.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return null;
}

/** The converted column: its dtype and values. Throws PyError ValueError / TypeError as pandas does. */
export function pandasToNumeric(values: Cell[]): { dtype: string; values: Cell[] } {
  if (values.length === 0) return { dtype: 'int64', values: [] };
  // fast path: the first value is an int → `values.astype('i8')`, kept when it equals the values
  // (ints, integral floats and bools compare equal to their int64).
  if (isInt(values[0]!)) {
    const ints: Cell[] = [];
    for (const v of values) {
      let b: bigint | null = null;
      if (isInt(v)) b = BigInt(v);
      else if (typeof v === 'boolean') b = v ? 1n : 0n;
      else if (isFloat(v) && Number.isInteger(floatOf(v))) b = BigInt(floatOf(v));
      if (b === null || !inInt64(b)) break;
      ints.push(fromBig(b));
    }
    if (ints.length === values.length) return { dtype: 'int64', values: ints };
  }
  let sawFloat = false, sawInt = false, sawBool = false;
  const out: Cell[] = new Array(values.length);
  values.forEach((v, i) => {
    if (v === null) {
      sawFloat = true; // Seen.saw_null: null_ and float_
      out[i] = NaN;
    } else if (isFloat(v)) {
      sawFloat = true;
      out[i] = floatOf(v);
    } else if (isInt(v)) {
      const b = BigInt(v);
      if (!inInt64(b)) sawFloat = true;
      sawInt = true;
      out[i] = Number(v);
    } else if (typeof v === 'boolean') {
      sawBool = true;
      out[i] = v ? 1 : 0;
    } else if ((typeof v === 'string' || Array.isArray(v) || v instanceof Map) && (v instanceof Map ? v.size : v.length) === 0) {
      // `hasattr(val, '__len__') and len(val) == 0`: convert_empty (the default) reads it as NaN
      sawFloat = true;
      out[i] = NaN;
    } else if (typeof v === 'string') {
      // floatify: a number, else ValueError('Unable to parse string "…"')
      const f = floatify(v);
      if (f === null) throw new PyError('ValueError', `Unable to parse string "${v}" at position ${i}`);
      if (/^\s*[-+]?\d+\s*$/.test(v)) sawInt = true;
      else sawFloat = true;
      out[i] = f;
    } else {
      // a list, an array, a dict: floatify's TypeError, with the position appended
      throw new PyError('TypeError', `Invalid object type at position ${i}`);
    }
  });
  if (sawFloat) return { dtype: 'float64', values: out };
  if (sawInt) return { dtype: 'int64', values: out };
  if (sawBool) return { dtype: 'bool', values: out.map((x) => x === 1) };
  return { dtype: 'int64', values: out };
}
