/**
 * A1 `run()`'s own parsing of an `input_data` that InferenceSchema left as a Python value (no sample, or a
 * plain dict/list sample): `parse_model_input_from_input_data_traditional`, or, for transformers, langchain
 * and openai models, `parse_model_input_from_input_data_transformers` (payloads.md §4; docs/fidelity.md).
 */
import { isPyDict, parsePyJson, PyJsonError, type PyValue } from './py-json';
import { pyTypeName } from './py-repr';
import { frameFromSplit, ndarrayFrom, PyError, type Column, type Frame } from './frame';
import type { ModelIn } from './model-input';
import type { ScriptFlavors } from './azureml-sample';
import type { WarningSink } from './warnings';

function jsonLoads(text: string): PyValue {
  try {
    return parsePyJson(text);
  } catch (e) {
    throw e instanceof PyJsonError ? new PyError(e.pyType, e.message) : e;
  }
}

const isSplit = (d: Map<string, PyValue>): boolean => d.has('columns') && d.has('index') && d.has('data');

/** pandas 1.5 `read_json(orient='split', dtype=False)`: every null is NaN, so a column of numbers and nulls is float64. */
export function nullsToNaN(col: Column): Column {
  // includes() is native and returns at once on a column of doubles; a per-cell callback is not.
  if (!col.values.includes(null)) return col;
  const values = col.values.map((v) => (v === null ? NaN : v));
  return { ...col, values, dtype: values.every((v) => typeof v === 'number') ? 'float64' : col.dtype };
}

/**
 * `pd.read_json(json.dumps(d), orient='split', dtype=False)` (A1's split branch, A3's PandasParameterType): keys
 * other than columns/index/data are refused (in set order, which Python's hash seed decides: the order here is
 * the body's), a missing `data` is `DataFrame(columns=…, index=…)`: a missing value in every cell. Nulls are still null here: `readJsonSplit`
 * makes them NaN (the caller that casts to a sample does it itself, to say which nulls became what).
 */
export function splitFrameOf(d: Map<string, PyValue>): Frame {
  // A loop, not a filtered copy of the keys: every 1-row request passes here, and has no extra key.
  let extra: string[] | null = null;
  for (const k of d.keys()) if (k !== 'columns' && k !== 'index' && k !== 'data') (extra ??= []).push(k);
  if (extra !== null) throw new PyError('ValueError', `JSON data had unexpected key(s): ${extra.join(', ')}`);
  const index = d.get('index');
  const columns = d.get('columns');
  // DataFrame(columns=…, index=…) without data: one row of missing values per index label
  const width = Array.isArray(columns) ? columns.length : 0;
  const data = d.has('data') ? d.get('data')! : Array.isArray(index) ? index.map(() => Array<PyValue>(width).fill(null)) : [];
  return frameFromSplit(data, columns, index, '$.input_data');
}

export function readJsonSplit(d: Map<string, PyValue>): Frame {
  const frame = splitFrameOf(d);
  return { ...frame, columns: frame.columns.map(nullsToNaN) };
}

const namedTensors = (d: Map<string, PyValue>, dtypes?: Map<string, string>): ModelIn => ({ kind: 'dict', items: new Map([...d].map(([k, v]) => [k, ndarrayFrom(v, dtypes?.get(k) ?? null) as ModelIn])) });

/**
 * A string is json.loads'ed first (not JSON → JSONDecodeError); `'input_data' in x` needs a container (a
 * number or null → TypeError) and unwraps a dict's own 'input_data'; hftransformersv2 passes it as is; then a
 * list → np.asarray, a split dict (all of columns/index/data) → DataFrame, any other dict → named tensors,
 * anything else meets `.items()` (AttributeError). Every raise → 500.
 */
export function traditionalInput(input: PyValue, flavors: ScriptFlavors, sink: WarningSink, sampleDtypes?: Map<string, string>): ModelIn {
  let data = typeof input === 'string' ? jsonLoads(input) : input;
  if (data === null || (typeof data !== 'string' && !Array.isArray(data) && !isPyDict(data))) throw new PyError('TypeError', `argument of type '${pyTypeName(data)}' is not iterable`);
  if (isPyDict(data) && data.has('input_data')) data = data.get('input_data')!;
  if (flavors.hfv2) return { kind: 'value', value: data };
  if (Array.isArray(data)) return ndarrayFrom(data, null);
  if (!isPyDict(data)) throw new PyError('AttributeError', `'${pyTypeName(data)}' object has no attribute 'items'`);
  if (isSplit(data)) return readJsonSplit(data);
  if (data.has('columns') || data.has('data'))
    sink.add('azure-split-needs-index', 'Azure reads this dict as a split DataFrame only when it has all of "columns", "index" and "data"; this one becomes named tensors {key: array}.', '$.input_data');
  // `sampleDtypes`: a named-tensor sample already made its own keys ndarrays of its dtypes (InferenceSchema)
  return namedTensors(data, sampleDtypes);
}

/** MLflow's `_validate_input_dictionary_contains_only_strings_and_lists_of_strings`, as A1 vendors it, for JSON values. */
const onlyStrings = (d: Map<string, PyValue>): boolean => [...d.values()].every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')));

/**
 * A string that is not JSON passes through as text; a dict's 'input_data' is unwrapped; strings, lists of
 * strings and dicts of strings (or lists of them) reach the model as they are; a list of dicts must hold
 * only those, else A1 never assigns its result (UnboundLocalError); other lists → np.asarray; a split dict →
 * DataFrame; other dicts → named tensors; anything else as is.
 */
export function llmInput(input: PyValue, flavors: ScriptFlavors): ModelIn {
  let data = input;
  if (typeof data === 'string') {
    try {
      data = parsePyJson(data);
    } catch (e) {
      if (!(e instanceof PyJsonError)) throw e;
    }
  }
  if (isPyDict(data) && data.has('input_data')) data = data.get('input_data')!;
  if (flavors.hfv2 || typeof data === 'string') return { kind: 'value', value: data };
  if (Array.isArray(data)) {
    if (data.every((x) => typeof x === 'string')) return { kind: 'value', value: data };
    if (data.every((x) => isPyDict(x))) {
      if (data.every((x) => onlyStrings(x as Map<string, PyValue>))) return { kind: 'value', value: data };
      throw new PyError('UnboundLocalError', "cannot access local variable 'input' where it is not associated with a value");
    }
    return ndarrayFrom(data, null);
  }
  if (isPyDict(data)) {
    if (isSplit(data)) return readJsonSplit(data);
    return onlyStrings(data) ? { kind: 'value', value: data } : namedTensors(data);
  }
  return { kind: 'value', value: data };
}
