/**
 * Rules of the MLflow servers before 2.1 and 2.3, found by replaying the real 2.0.1 and 2.1.0 servers (docs/fidelity.md
 * §14) and placed at the release where MLflow's history shows the change (mirror tags v2.0.1 … v2.3.1, v2.1.1 and
 * v2.2.0–v2.2.2 diffed). Kept apart like mlflow-2-3-gates.ts: it imports nothing of enforce.ts but the Era type.
 */
import type { Era } from './enforce';

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
 * (S2 `parse_tf_serving_input`, same commit as `datetimeWithUnit`): numpy 1.24 needs a unit to read a number —
 * "Converting an integer to a NumPy datetime requires a specified unit" (an int or a bool), "Could not convert object
 * to NumPy datetime" (a float) — which the parser's `except Exception` turns into its generic 500 text. Strings and
 * nulls are read (the unit taken from the string). True when some leaf of `v` is neither.
 */
export function genericDatetimeRefuses(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(genericDatetimeRefuses);
  return v !== null && typeof v !== 'string';
}
