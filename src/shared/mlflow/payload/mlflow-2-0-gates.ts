/**
 * Rules of the MLflow servers before 2.1 and 2.3, found by replaying the real 2.0.1 and 2.1.0 servers (docs/fidelity.md
 * §14) and placed at the release where MLflow's history shows the change (mirror tags v2.0.1 … v2.3.1, v2.1.1 and
 * v2.2.0–v2.2.2 diffed). Kept apart like mlflow-2-3-gates.ts: it imports nothing of enforce.ts but the Era type.
 */
import type { Era } from './enforce';
import { PyFloat } from './py-json';

const before = (e: Era, major: number, minor: number): boolean => e.major < major || (e.major === major && e.minor < minor);

/**
 * A DataFrame for a tensor signature, before mlflow/mlflow 296cfaa36 "Make TF / keras model spark UDF supports multi
 * dimension input (#7291)" (first in v2.1.0; absent in v2.0.1):
 * - S2 `cast_df_types_according_to_schema` has no `isinstance(pdf[col_name][0], list)` skip, so every tensor column
 *   goes through `astype`: a list cell is "setting an array element with a sequence." (400, MlflowFailedTypeConversion);
 * - S3 `_enforce_tensor_schema` has no `_reshape_and_cast_pandas_column_values`: named inputs are
 *   `np.array(pf_input[col_name], dtype=tensor_spec.type)`, an un-named one is `pf_input.to_numpy()` whatever the
 *   number of columns or rows ("Input DataFrame is empty." and the "(-1, number_of_dataframe_columns)" text came
 *   with the same commit), each checked by `_enforce_tensor_spec` ("Shape of input (2, 1) does not match expected
 *   shape (-1, 4)." — 500).
 */
export const tensorFrameByColumns = (e: Era): boolean => !before(e, 2, 1);

/**
 * `_reshape_and_cast_pandas_column_values` (2.1.0 on) takes a column of scalars for shape (-1,) only, and says
 * "… contains scalar values, which requires the shape to be (-1,), but got tensor spec shape of …", until
 * mlflow/mlflow 69a112029 "Support one-column 2d array in schema enforcement (#8253)" (first in v2.3.0; the text is
 * the same in v2.1.0, v2.1.1, v2.2.0, v2.2.1 and v2.2.2) also took (-1, 1) and said "(-1,) or (-1, 1)".
 */
export const scalarColumnAsColumnVector = (e: Era): boolean => !before(e, 2, 3);

/**
 * `DataType.datetime` was `np.dtype("datetime64")` — no unit — until mlflow/mlflow 208bb43ba "Replaces
 * `np.dtype("datetime64")` and `np.datetime64` with `np.dtype("datetime64[ns]")` for pandas 2.0 (#7899)" (first in
 * v2.2.0; v2.0.1, v2.1.0 and v2.1.1 have the old one). So S2's `pdf[c].astype(np.dtype("datetime64"))` prints the type
 * as 'datetime64', and pandas 1.5 refuses that unit-less dtype for any column but an object (or datetime) one:
 * ValueError "The 'datetime64' dtype has no unit. Please pass in 'datetime64[ns]' instead." (an int64 column of
 * epoch milliseconds, a float or a bool one); an object column is read as with 'datetime64[ns]'. Checked with
 * Debian's pandas 1.5.3 and on the real 2.0.1 and 2.1.0 servers.
 */
export const datetimeWithUnit = (e: Era): boolean => !before(e, 2, 2);

/** The text of pandas 1.5's refusal of `astype(np.dtype("datetime64"))` on a non-object column. */
export const DATETIME_NO_UNIT = "The 'datetime64' dtype has no unit. Please pass in 'datetime64[ns]' instead.";

/**
 * The TF-serving forms cast a `datetime` column with `np.array(values, dtype=np.dtype("datetime64"))` before 2.2
 * (S2 `parse_tf_serving_input`, same commit as `datetimeWithUnit`). numpy 1.24 takes the unit from the strings of the
 * list (a date gives D, a time m/s/ms…; "NaT" none); a number needs one: with no dated string an int or a bool is
 * "Converting an integer to a NumPy datetime requires a specified unit", and a float is always "Could not convert
 * object to NumPy datetime" — which the parser's `except Exception` turns into its generic 500 text (checked with
 * Debian's numpy 1.24.2 and on the real 2.0.1 server: `[true, "2023-12-31T00:00:00.000"]` is read, `[1705314600000]`
 * is refused). True when numpy would refuse `v`.
 */
export function genericDatetimeRefuses(v: unknown): boolean {
  const leaves: unknown[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else leaves.push(x);
  };
  walk(v);
  if (leaves.some((x) => x instanceof PyFloat)) return true;
  const dated = leaves.some((x) => typeof x === 'string' && x.trim() !== '' && x.trim().toUpperCase() !== 'NAT');
  return !dated && leaves.some((x) => typeof x === 'boolean' || typeof x === 'number' || typeof x === 'bigint');
}

const outOfNsBounds = new WeakMap<object, string>();
const NS_MIN = [1677, 9, 21, 0, 12, 43.145224192];
const NS_MAX = [2262, 4, 11, 23, 47, 16.854775807];
const cmp = (a: number[], b: number[]): number => {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
  return 0;
};

/**
 * Before 2.2 the TF-serving cast keeps numpy's own unit (`datetime64[D]` for "2262-04-12"), so a date past
 * datetime64[ns]'s range is kept by numpy and refused only when `_enforce_schema` builds `pd.DataFrame(dict)` (pandas
 * 1.5 `_homogenize`, after its length check): "Out of bounds nanosecond timestamp: 2262-04-12 00:00:00" (the first such
 * value), seen on the real 2.0.1 and 2.1.0 servers; from 2.2 the cast is to datetime64[ns] itself. Remembers that
 * text for the array cast from `values` (ISO dates and times; read by `outOfNsBoundsOf`).
 */
export function noteOutOfNsBounds(array: object, values: unknown): void {
  const leaves = Array.isArray(values) ? values.flat(Infinity) : [values];
  for (const x of leaves) {
    if (typeof x !== 'string') continue;
    const m = /^\s*(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?\s*$/.exec(x);
    if (!m) continue;
    const parts = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0));
    if (cmp(parts, NS_MIN) >= 0 && cmp(parts, NS_MAX) <= 0) continue;
    const p2 = (n: number): string => String(Math.floor(n)).padStart(2, '0');
    outOfNsBounds.set(array, `Out of bounds nanosecond timestamp: ${m[1]}-${m[2]}-${m[3]} ${p2(parts[3]!)}:${p2(parts[4]!)}:${p2(parts[5]!)}`);
    return;
  }
}

/** The text `noteOutOfNsBounds` remembered for this array, if any. */
export const outOfNsBoundsOf = (array: object): string | undefined => outOfNsBounds.get(array);
