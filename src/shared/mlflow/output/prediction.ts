/**
 * What `pyfunc.predict` returned, in Python's terms, so each scoring server can serialize it the way it
 * does (payloads.md §4–§5). Engines (ONNX in TypeScript, the Python worker) produce this; the output
 * serializers in this folder turn it into the exact body text. Pure data: structured-clone safe.
 */
import type { Cell } from '../payload/frame';

/**
 * Flat, row-major element storage of a numpy array. The dtype decides how elements are read:
 * - `float16` / `float32` / `float64`: Float32Array or Float64Array (float16 already decoded to values);
 * - `int8` … `uint32`: the matching typed array; `int64` / `uint64`: BigInt64Array / BigUint64Array;
 * - `bool`: Uint8Array of 0/1;
 * - `object` (and `str`): an array of Python objects (`Cell`: str, int, float, dict, list, None, bytes…).
 */
export type ArrayData =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | readonly Cell[];

/** A numpy ndarray. `shape` [] is a 0-d array (one element). */
export interface NdArrayValue {
  kind: 'ndarray';
  dtype: string;
  shape: readonly number[];
  data: ArrayData;
}

/** A pandas column: a 1-D array (its shape is `[nrows]`). */
export interface FrameColumn {
  /** The column label as Python holds it; JSON object keys are `str()` of it (ints become "0"). */
  name: string;
  values: NdArrayValue;
}

export type Prediction =
  | NdArrayValue
  /** pandas.DataFrame: serialized as `to_dict(orient="records")`. */
  | { kind: 'dataframe'; nrows: number; columns: readonly FrameColumn[] }
  /** pandas.Series: serialized as a one-column DataFrame keyed by its name, or `"0"` when unnamed. */
  | { kind: 'series'; name: string | null; values: NdArrayValue }
  /** A Python dict with str keys (e.g. `{output name: ndarray}` from the ONNX flavor). */
  | { kind: 'dict'; items: readonly (readonly [string, Prediction])[] }
  /** A Python list. */
  | { kind: 'list'; items: readonly Prediction[] }
  /** A numpy scalar (`np.float32(0.5)`, `np.int64(3)`): json encodes only float64 (a float subclass) itself. */
  | { kind: 'numpy-scalar'; dtype: string; value: number | bigint | boolean }
  /** Any plain Python object: str, int, float, bool, None, list/dict of those, bytes. */
  | { kind: 'object'; value: Cell };
