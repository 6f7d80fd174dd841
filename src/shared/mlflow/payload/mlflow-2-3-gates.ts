/**
 * Rules of the MLflow servers before 2.7, 2.6 and 2.4, found by replaying the real 2.3.1 server (docs/fidelity.md
 * §10) and placed at the release where MLflow's history shows the change (mirror tags v2.3.1 … v2.7.1).
 *
 * Kept apart from enforce.ts / mlflow-server.ts so that the older servers' rules read as one list; both import this
 * file (it imports nothing of theirs but types; frame.ts imports neither).
 */
import { isPyDict, PyFloat, type PyDict } from './py-json';
import { PyError, type Cell, type Frame, type RowMultiIndex } from './frame';
import type { Era } from './enforce';

const before = (e: Era, major: number, minor: number): boolean => e.major < major || (e.major === major && e.minor < minor);

/**
 * S1 `infer_and_parse_json_input` (2.0 … 2.5.x; identical text in tags v2.3.1, v2.4.2, v2.5.0) works on the whole
 * decoded body: the "Received dictionary with input fields" text lists **every** key of the body, and
 * `parse_tf_serving_input(decoded_input)` gets the whole dict too, so an `instances` / `inputs` body with any other
 * key (`params` included: inference params did not exist yet) is refused. mlflow/mlflow 916764d "Inference params
 * support (#9068)" (first in v2.6.0) split the body into the format key and `params` (`_split_data_and_params`).
 */
export const wholeBodyParsing = (e: Era): boolean => before(e, 2, 6);

/**
 * MlflowFailedTypeConversion (S2) printed `str(ex)` until mlflow/mlflow 7baba5d "Add tests for Proto_json_utils and
 * fix bug (#8538)" made it `repr(ex)` (absent in v2.3.1, first in v2.4.0): "Error: 'could not convert string to
 * float: 'abc''" before, "Error: 'ValueError("could not convert …")'" after.
 */
export const castErrorUsesRepr = (e: Era): boolean => !before(e, 2, 4);

/** The keys the "Received dictionary with input fields: […]" text lists: every key before 2.6, the format keys after. */
export const listedInputFields = (e: Era, body: PyDict, formats: string[]): string[] => (wholeBodyParsing(e) ? [...body.keys()] : formats);

/**
 * Before 2.6, S2 `parse_tf_serving_input(inp_dict)` with the whole body: `"signature_name" in inp_dict` is refused
 * first, then any key besides the one format key. MlflowException without an error code: 500 INTERNAL_ERROR.
 * Returns the message, or null when the body passes.
 */
export function tfServingWholeBodyError(e: Era, body: PyDict): string | null {
  if (!wholeBodyParsing(e) || !isPyDict(body)) return null;
  if (body.has('signature_name')) return 'Failed to parse data as TF serving input. "signature_name" is currently not supported.';
  if (body.size !== 1) return 'Failed to parse data as TF serving input. One of "instances" and "inputs" must be specified (not both or any other keys).';
  return null;
}

/**
 * `_enforce_schema` (S3) builds `pd.DataFrame(pf_input)` from the TF-serving dict; before mlflow/mlflow ef0f922
 * "Ignore array columns with enforcing ColSpec signature, instead of throwing (#9520)" (first in v2.7.0) nothing
 * turned a 2-d ndarray value into lists first, so pandas 1.5's `_extract_index` refuses it: "Per-column arrays must
 * each be 1-dimensional" (raised inside its loop over the values, before any length is compared).
 */
export const twoDimColumnsRefused = (e: Era): boolean => before(e, 2, 7);

/**
 * S2 `cast_df_types_according_to_schema` asks a tensor column `isinstance(pdf[col_name][0], list)` before
 * 2.4.0, `.iloc[0]` from 7baba5d (#8538). `Series.__getitem__(0)` of pandas 1.5 is a *label* lookup on an index
 * that holds integers (int64/float64 index; an object index with an int among its labels; a MultiIndex whose first
 * level does) and positional on any other: label 0 missing → KeyError(0), which MlflowFailedTypeConversion prints
 * as `'0'`; several rows labelled 0, or any match on a MultiIndex level, give a Series (not a list: the column is
 * then cast). Positional on no rows → IndexError. Checked with Debian's pandas 1.5.3, the servers' own, and on the
 * real 2.3.1 server. From 2.4.0, `.iloc[0]`: positional, and no rows is IndexError("single positional indexer is
 * out-of-bounds") — which Preflight had missed in every version (a tensor `dataframe_split` with `"data": []`).
 * Returns the first cell as `isinstance(…, list)` sees it, or `undefined` for a Series; throws the PyError.
 */
export function seriesItemZero(frame: Frame, values: readonly Cell[], e: Era): Cell | undefined {
  // `.iloc[0]` (2.4.0 on, still in 3.6.1): positional; no rows → IndexError, seen on the real 2.4.2, 2.7.1 and 2.12.2 servers.
  if (castErrorUsesRepr(e)) {
    if (values.length === 0) throw new PyError('IndexError', 'single positional indexer is out-of-bounds');
    return values[0];
  }
  const positional = (): Cell => {
    if (values.length === 0) throw new PyError('IndexError', 'index 0 is out of bounds for axis 0 with size 0');
    return values[0]!;
  };
  const index = frame.index;
  if (index === undefined) return positional();
  const isInt = (l: unknown): boolean => typeof l === 'bigint' || (typeof l === 'number' && Number.isInteger(l));
  const isZero = (l: unknown): boolean => (l instanceof PyFloat ? l.value === 0 : typeof l === 'bigint' ? l === 0n : l === 0);
  const multi = index.dtype === 'multi' ? (index as RowMultiIndex) : null;
  const labels: unknown[] = multi ? multi.values.map((t) => t.items[0]) : index.values;
  const levelDtype = multi ? (multi.values[0]?.levelDtypes?.[0] ?? 'object') : index.dtype;
  const byLabel = /^(u?int|float)/.test(levelDtype) || (levelDtype === 'object' && labels.some(isInt));
  if (!byLabel) return positional();
  const hits = labels.flatMap((l, k) => (isZero(l) ? [k] : []));
  if (hits.length === 0) throw new PyError('KeyError', '0');
  return hits.length === 1 && !multi ? values[hits[0]!] : undefined;
}

/**
 * S3 `_enforce_schema` of a dict for a column signature, before the 2.10 rewrite (mlflow-2-3-gates.ts only covers
 * the '2.7' era; 2.10+ is enforce.ts' own branch). mlflow/mlflow cef03daeb "Fix regression in schema enforcement
 * (#8326)" (first in v2.3.1): a dict whose values are all `np.isscalar(x) or x is None` becomes one row,
 * `pd.DataFrame([pf_input])` (before: `pd.DataFrame(pf_input, index=[0])` in 2.3.0, `pd.DataFrame(pf_input)`
 * earlier). Reached by a plain Python dict — Azure's scoring script hands an LLM-flavor model `input_data` as is
 * (docs/fidelity.md §16) — never by the MLflow server's TF-serving dict (its values are ndarrays).
 */
export const scalarDictIsOneRow = (e: Era): boolean => !before(e, 2, 3) && !(e.major === 2 && e.minor === 3 && (e.patch ?? 0) < 1);

/**
 * mlflow/mlflow 3ade1a616 "Support list[str] in __enforce__schema (#8592)" (first in v2.4.0): also a dict whose
 * values are scalars or lists of strings (`all(isinstance(elem, str) for elem in value)`, so `[]` too).
 */
export const stringListDictIsOneRow = (e: Era): boolean => !before(e, 2, 4);

/**
 * Inference params came with mlflow/mlflow 916764d "Inference params support (#9068)" (first in v2.6.0): before it,
 * `ModelSignature` has no `params` (MLmodel's `params:` entry is not read) and `PyFuncModel.predict(data)` takes no
 * params. Azure's scoring script (A1) then builds no params sample (`model_signature_x.params` → AttributeError →
 * None, so `params` is InferenceSchema's pass-through `NoSampleParameterType`) and calls `model.predict(input)`
 * (`inspect.signature(model.predict).parameters.get("params")` is None): a request's `params` is never looked at.
 * Seen on the real script with MLflow 2.3.1 (docs/fidelity.md §16).
 */
export const inferenceParamsRead = (e: Era): boolean => !before(e, 2, 6);

/**
 * `Model.load` of an MLmodel whose signature is newer than the MLflow installed — on the real Azure scoring script its
 * first statement (`model = Model.load(model_path)`), so the deployment never starts (docs/fidelity.md §16, §16.1).
 * S4 `Schema.from_json` reads each column of `inputs`, then of `outputs` (`ModelSignature.from_dict`), tensors apart:
 * - before mlflow/mlflow 3372c3142 "Objects and Array support in model signature (#9936)" (first in v2.10.0) it is
 *   `ColSpec(**x)`, and `ColSpec.__init__` takes `type`, `name` and, from mlflow/mlflow 61decf49d "Support optional
 *   inputs in model signatures (#8438)" (first in v2.4.0), `optional`. CPython names the first keyword, in the JSON
 *   object's order, that the function does not take: `"required"` (every column MLflow ≥ 2.10 writes), `"items"` /
 *   `"properties"` / `"values"` (an array / object / map column: its type key comes before `name` and `required`),
 *   `"optional"` under 2.0–2.3 (what 2.4–2.9 write for an optional column).
 * - 2.10 and 2.11 (`ColSpec.from_json_dict`): a column whose type is neither `array` nor `object` is still
 *   `cls(**kwargs)`, now with `optional` and `required`: a `map` column (mlflow/mlflow 2e88d6396 "Support Map type
 *   (#11265)", first tag v2.12.1) stops at its `"values"` key. Array and object columns are read by
 *   `Array.from_json_dict` (its `items`) and `Object.from_json_dict` (each property in order, `Property.from_json_dict`),
 *   recursing into arrays and objects; any other type name goes to `DataType[...]`, so a nested `map` raises
 *   `MlflowException: Unsupported type 'map', expected instance of DataType, Array, Object or one of [<the 8 names>]`.
 *   (Malformed array/object JSON — keys missing, `items` not a dict — has texts of its own: not modelled, `null`.)
 * Run on the real trees (2.3.1, 2.4.2, 2.7.1, 2.8.1, 2.10.2, 2.12.2, 2.16.2) with folders written by 2.4.2 and 2.16.2.
 * `raw` is MLmodel's signature JSON text. Returns the failing key, its column and the Python error line, or null
 * when the version reads the signature.
 */
export interface SignatureLoadFailure {
  /** `keyword`: ColSpec is handed a key it does not take (`key`); `type`: a nested type MLflow cannot name (`key` is the type). */
  kind: 'keyword' | 'type';
  key: string;
  column: string | null;
  error: string;
}

/** `DataType` of 2.10.0 … 2.11.3 (tags checked: the same eight). */
const DATA_TYPES_2_10 = ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime'];
const isDict = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * 2.10/2.11 `Array.from_json_dict` / `Object.from_json_dict`: the first nested type name that is neither `array`,
 * `object` nor a DataType, in reading order; null when all are known or the JSON takes a branch not modelled.
 */
function unknownNestedType(spec: Record<string, unknown>): string | null {
  const typeOf = (t: Record<string, unknown>): string | null => {
    if (t.type === 'array' || t.type === 'object') return unknownNestedType(t);
    return typeof t.type === 'string' && !DATA_TYPES_2_10.includes(t.type) ? t.type : null;
  };
  if (spec.type === 'array') return isDict(spec.items) && 'type' in spec.items ? typeOf(spec.items) : null;
  if (!isDict(spec.properties)) return null;
  for (const p of Object.values(spec.properties)) {
    if (!isDict(p) || !('type' in p)) return null;
    const t = typeOf(p);
    if (t !== null) return t;
  }
  return null;
}

/** `ColSpec.__init__`'s keyword arguments in that version (2.10+: the generic path of `from_json_dict`). */
const colSpecKeywords = (e: Era): readonly string[] =>
  before(e, 2, 4) ? ['type', 'name'] : before(e, 2, 10) ? ['type', 'name', 'optional'] : ['type', 'name', 'optional', 'required'];

export function signatureLoadFailure(e: Era, raw: { inputs: string | null; outputs: string | null }): SignatureLoadFailure | null {
  if (!before(e, 2, 12)) return null;
  const takes = colSpecKeywords(e);
  for (const text of [raw.inputs, raw.outputs]) {
    if (text === null) continue;
    let specs: unknown;
    try {
      specs = JSON.parse(text);
    } catch {
      continue;
    }
    if (!Array.isArray(specs)) continue;
    for (const s of specs) {
      if (s === null || typeof s !== 'object' || Array.isArray(s)) continue;
      const spec = s as Record<string, unknown>;
      if (spec.type === 'tensor') continue;
      const column = typeof spec.name === 'string' ? spec.name : null;
      // 2.10/2.11 read array and object columns with their own from_json_dict
      if (!before(e, 2, 10) && (spec.type === 'array' || spec.type === 'object')) {
        const t = unknownNestedType(spec);
        if (t !== null)
          return { kind: 'type', key: t, column, error: `MlflowException: Unsupported type '${t}', expected instance of DataType, Array, Object or one of [${DATA_TYPES_2_10.map((n) => `'${n}'`).join(', ')}]` };
        continue;
      }
      const key = Object.keys(spec).find((k) => !takes.includes(k));
      if (key !== undefined) return { kind: 'keyword', key, column, error: `TypeError: ColSpec.__init__() got an unexpected keyword argument '${key}'` };
    }
  }
  return null;
}

/**
 * Per MLmodel signature (its raw texts, alive as long as the model's context), the answer by era (`major * 1000 +
 * minor`: the rules read nothing else of the version): a scoring server asks on every request, and before 2.12
 * the check parses the signature's JSON.
 */
const loadErrors = new WeakMap<object, Map<number, string | null>>();

/** The Python error line of `signatureLoadFailure`, or null. */
export function signatureLoadError(e: Era, raw: { inputs: string | null; outputs: string | null }): string | null {
  if (!before(e, 2, 12)) return null;
  let byEra = loadErrors.get(raw);
  if (!byEra) loadErrors.set(raw, (byEra = new Map()));
  const key = e.major * 1000 + e.minor;
  let error = byEra.get(key);
  if (error === undefined) byEra.set(key, (error = signatureLoadFailure(e, raw)?.error ?? null));
  return error;
}
