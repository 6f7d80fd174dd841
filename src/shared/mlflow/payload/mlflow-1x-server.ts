/**
 * The MLflow 1.x scoring server (docs/fidelity.md §15): `mlflow/pyfunc/scoring_server/__init__.py` of v1.25.1 …
 * v1.30.1 (`transformation`), the pre-2.0 protocol. The body is a *bare* pandas JSON table read by
 * `pd.read_json` (`_dataframe_from_json`, mlflow/utils/proto_json_utils.py) with the signature's pandas dtypes, or
 * TF-serving `instances`/`inputs`, or CSV; the model's answer is written without a `predictions` wrapper.
 * Every rule is the real 1.x source (tags of the mirror), checked on real 1.25.1, 1.26.1, 1.28.0 and 1.30.1 servers.
 */
import { isAppError } from '../../errors';
import { hasUndecodableBytes } from '../../text/body-bytes';
import type { ColumnSpec, Signature } from '../model-report';
import { parseCsvFrame } from './csv';
import { enforceMlflowDatatype, enforceSchema, isScalarType, MlflowErr, pandasDtypeOf } from './enforce';
import { astypeColumn, frameFromRecords, frameFromSplit, inferColumn, labelEq, ndarrayFrom, pyShape, PyError, type Cell, type Column, type Frame, type Label, type NdArray } from './frame';
import type { ModelIn } from './model-input';
import { MLFLOW_EVAL_ERROR, parseTfServingLegacy, TfUnhandledError, unhandled500, type MlflowRequest, type ServerOutcome } from './mlflow-server';
import { isPyDict, parsePyJson, PyFloat, PyJsonError, type PyValue } from './py-json';
import { pyRepr, pyStr } from './py-repr';
import { atLeast } from './enforce';
import type { EmulatedVersion } from './version';

type Schema = NonNullable<Signature['inputs']>;

/** S1 1.x `CONTENT_TYPES` / `FORMATS`, printed by the 415 answer. */
const CONTENT_TYPES_1X = "['text/csv', 'application/json', 'application/json-numpy-split']";
const FORMATS_1X = "['pandas-records', 'pandas-split']";

const STACK = (exception: string): string => `Traceback (most recent call last):\n  (the Python frames of the real server are not reproduced by Preflight)\n${exception}\n`;

const answer = (status: number, body: unknown, ct: string | null, log: string | null = null): ServerOutcome => ({
  ok: false, status, body, bodyContentType: ct, serverLog: log, input: null, params: null, unwrapped: true,
});
/** S1 `_handle_serving_error(message, BAD_REQUEST)`: an MlflowException with `stack_trace` (its content is not compared). */
const badRequest = (message: string, exception: string | null): ServerOutcome =>
  answer(400, exception === null ? { error_code: 'BAD_REQUEST', message } : { error_code: 'BAD_REQUEST', message, stack_trace: STACK(exception) }, 'application/json', exception);
const plain415 = (text: string): ServerOutcome => answer(415, text, 'text/plain');

// ---- version gates (each a change between the 1.x tags of the mirror) -------------------------------

/** mlflow/mlflow 7c752b6ac "Use schema when parsing csv" (#5531), first in v1.26.0: `pd.read_csv(…, dtype=…)`. */
export const csvUsesSchema = (v: EmulatedVersion): boolean => atLeast(v, 1, 26);
/** ≤ 1.27 `DataType.string.to_pandas()` is `pd.StringDtype()` ("string"); 851f7415d "Series schema" (#6361, v1.28.0) made it object. */
export const stringDtype = (v: EmulatedVersion): boolean => !atLeast(v, 1, 28);
/** mlflow/mlflow 5ba05ed53 "Do not show empty list of extra inputs" (#6251), first in v1.28.0. */
export const extraInputsOnlyWhenAny = (v: EmulatedVersion): boolean => atLeast(v, 1, 28);
/** mlflow/mlflow eb3588abb "Add support for Decimal object to Double cast" (#6600), first in v1.29.0. */
export const decimalToDouble = (v: EmulatedVersion): boolean => atLeast(v, 1, 29);
/**
 * mlflow/mlflow 84d77db3c "Improve flexibility of PyFuncModel prediction" (#6631), first in v1.29.0: `PyFuncModel` calls
 * `python_function.predict_fn` (e.g. `predict_proba`); before it always the model's `predict` (checked: the
 * `mixed-proba` model answers its class labels on the real 1.25.1, 1.26.1 and 1.28.0 servers). 2.x and 3.x have it.
 */
export const pyfuncPredictFn = (v: EmulatedVersion): boolean => v.major >= 2 || atLeast(v, 1, 29);
/** mlflow/mlflow 904608bbd "add /health endpoint" (#6574), first in v1.29.0. */
export const hasHealthRoute = (v: EmulatedVersion): boolean => atLeast(v, 1, 29);
/** mlflow/mlflow 2e4bb67d0 "Add /version path to scoring_server" (#6935), first in v1.30.0. */
export const hasVersionRoute = (v: EmulatedVersion): boolean => atLeast(v, 1, 30);
/**
 * Before v1.26.0 `parse_tf_serving_input` checks that every input has the same length for `inputs` too;
 * mlflow/mlflow 891185c80 "Fix tf-serving parsing when input are columnar formatted" (#5825) limits it to `instances`.
 */
export const tfLengthCheckInputsToo = (v: EmulatedVersion): boolean => !atLeast(v, 1, 26);

// ---- pandas' ujson (pd.read_json's decoder, pandas 1.5 `loads(precise_float=False)`) --------------------

class ReadJsonError extends Error {}

/**
 * What pandas' ujson makes of Python's decoded value: `NaN` is None, integers must fit int64 or uint64
 * ("Value is too small" / "Value is too big!" otherwise). Checked with Debian's pandas 1.5.3.
 */
function ujsonValue(v: PyValue): PyValue {
  if (typeof v === 'number' && Number.isNaN(v)) return null;
  if (typeof v === 'bigint') {
    if (v < -(2n ** 63n)) throw new ReadJsonError('ValueError: Value is too small');
    if (v > 2n ** 64n - 1n) throw new ReadJsonError('ValueError: Value is too big!');
    return v;
  }
  if (Array.isArray(v)) return v.map(ujsonValue);
  if (isPyDict(v)) return new Map([...v].map(([k, x]) => [k, ujsonValue(x)]));
  return v;
}

function ujsonLoads(text: string): PyValue {
  try {
    // ujson also reads NaN/Infinity tokens; Python's json.loads is the nearest reader (docs/fidelity.md §15).
    return ujsonValue(parsePyJson(text.charCodeAt(0) === 0xfeff ? '\u0000' : text, { strInput: true }));
  } catch (e) {
    if (e instanceof PyJsonError) throw new ReadJsonError(`ValueError: ${e.message}`);
    throw e;
  }
}

/** `Series.astype("float64")` of an object column, Python's float() per item (pandas `astype_nansafe`). */
function floatOf(v: Cell): number | null {
  if (v === null) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'string') {
    const t = v.trim().replace(/(?<=\d)_(?=\d)/g, '');
    // `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the same texts, but without a point the two digit runs could split a
    // long digit string every way (a 40 000-digit cell followed by a letter took seconds).
    if (/^[+-]?((\d+(?:\.\d*)?|\.\d+)(e[+-]?\d+)?|nan|inf|infinity)$/i.test(t)) {
      const low = t.toLowerCase().replace(/^[+]/, '');
      if (low === 'nan' || low === '-nan') return NaN;
      if (low === 'inf' || low === 'infinity') return Infinity;
      if (low === '-inf' || low === '-infinity') return -Infinity;
      return Number(t);
    }
  }
  return null;
}

/**
 * pandas 1.5 `Parser._try_convert_data` without a forced dtype (a column not in the signature, and the axes):
 * object → float64 when every item converts, then float → int64 when every value is integral (not on 0 rows).
 */
function coerceNumeric(col: Column): Column {
  let c = col;
  if (c.dtype === 'object') {
    const fs = c.values.map(floatOf);
    if (fs.every((x) => x !== null)) c = { ...c, dtype: 'float64', values: fs as number[] };
  }
  if (c.values.length > 0 && (c.dtype === 'float64' || c.dtype === 'object')) {
    const allInt = c.values.every((x) => (typeof x === 'number' && Number.isFinite(x) && Number.isInteger(x) && Math.abs(x) < 2 ** 63) || typeof x === 'bigint');
    if (allInt && c.dtype === 'float64') c = { ...c, dtype: 'int64', values: c.values };
  }
  return c;
}

/** The axis labels after `_convert_axes` (strings that all read as numbers become numbers; int when all integral). */
function convertLabels(labels: Label[]): Label[] {
  if (labels.length === 0 || !labels.every((l) => typeof l === 'string' || typeof l === 'number' || typeof l === 'bigint' || l instanceof PyFloat)) return labels;
  if (labels.every((l) => typeof l !== 'string')) return labels;
  const fs = labels.map((l) => floatOf(l as Cell));
  if (fs.some((x) => x === null)) return labels;
  const nums = fs as number[];
  return nums.every((x) => Number.isFinite(x) && Number.isInteger(x)) ? nums : nums.map((x) => (Number.isInteger(x) ? new PyFloat(x) : x));
}

/** `data.astype(dtype)` of read_json's forced dtype: the cast, or the column unchanged when pandas raises. */
function forceDtype(col: Column, dtype: string): Column {
  if (dtype === 'string') return { ...col, dtype: 'object', values: col.values.map((v) => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? v : typeof v === 'string' ? v : pyStr(v as PyValue))) };
  // astype(object): the items unchanged, the column object (a float or uint64 column too)
  if (dtype === 'object') return col.dtype === 'object' ? col : { ...col, dtype: 'object' };
  // object → int: numpy stores each Python int in a C long; one past int64 is OverflowError, which
  // `_try_convert_data` does not catch (only TypeError/ValueError): read_json itself fails
  if ((dtype === 'int64' || dtype === 'int32') && col.dtype === 'object' && col.values.some((x) => typeof x === 'bigint' && (x > 2n ** 63n - 1n || x < -(2n ** 63n))))
    throw new ReadJsonError('OverflowError: Python int too large to convert to C long');
  try {
    if (dtype === 'bool') return { ...col, dtype: 'bool', values: col.values.map((v) => truthy(v)) };
    if ((dtype === 'int64' || dtype === 'int32') && col.dtype === 'object') {
      // object → int: Python int() of each item (a str of digits, a bool, an integral float); anything else raises
      const out = col.values.map((v) => {
        if (typeof v === 'boolean') return v ? 1 : 0;
        if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
        if (typeof v === 'bigint') return v;
        if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
        throw new PyError('ValueError', 'invalid literal');
      });
      return astypeColumn({ ...col, dtype: 'int64', values: out }, dtype, null);
    }
    if ((dtype === 'int64' || dtype === 'int32') && col.dtype.startsWith('float') && col.values.some((v) => !Number.isFinite(v as number))) return col;
    if ((dtype === 'float64' || dtype === 'float32') && col.dtype === 'object') {
      const fs = col.values.map(floatOf);
      if (fs.some((x) => x === null)) return col;
      return astypeColumn({ ...col, dtype: 'float64', values: fs as number[] }, dtype, null);
    }
    return astypeColumn(col, dtype, null);
  } catch (e) {
    if (e instanceof PyError) return col;
    throw e;
  }
}

function truthy(v: Cell): boolean {
  if (v === null) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isPyDict(v as PyValue)) return (v as Map<string, PyValue>).size > 0;
  return Boolean(v);
}

/** `schema.pandas_types()` / `numpy_types()` as `_dataframe_from_json` builds its `dtype` argument. */
function readJsonDtypes(schema: Schema | null, v: EmulatedVersion): Map<string, string> | string | null {
  if (schema === null) return null;
  if (schema.kind === 'tensors') {
    if (schema.tensors.length === 1) return schema.tensors[0]!.dtype;
    return new Map(schema.tensors.map((t) => [t.name ?? '', t.dtype]));
  }
  return new Map(schema.columns.map((c) => [c.name ?? '', c.type.type === 'string' && stringDtype(v) ? 'string' : pandasDtypeOf(c.type)]));
}

/**
 * `pd.read_json(text, orient, dtype=…, convert_dates=False)` (pandas 1.5 FrameParser) + 1.x `_dataframe_from_json`.
 * Throws ReadJsonError for anything pandas (or MLflow's astype before 1.28) raises.
 */
export function readJson1x(text: string, orient: 'split' | 'records', schema: Schema | null, v: EmulatedVersion): Frame {
  const decoded = ujsonLoads(text);
  let frame: Frame;
  try {
    if (orient === 'split') {
      if (!isPyDict(decoded)) throw new ReadJsonError(`AttributeError: '${Array.isArray(decoded) ? 'list' : 'object'}' object has no attribute 'items'`);
      const bad = [...decoded.keys()].filter((k) => !['columns', 'index', 'data'].includes(k));
      if (bad.length) throw new ReadJsonError(`ValueError: JSON data had unexpected key(s): ${bad.join(', ')}`);
      const data = decoded.get('data');
      if (data === undefined) {
        const cols = decoded.get('columns');
        frame = frameFromSplit(null, cols, decoded.get('index'), '$');
      } else frame = frameFromSplit(data, decoded.get('columns'), decoded.get('index'), '$');
    } else {
      // the records orient is FrameParser's default branch: `DataFrame(loads(json), dtype=None)` of whatever was decoded
      frame = dataFrameOf(decoded);
    }
  } catch (e) {
    if (e instanceof PyError) throw new ReadJsonError(`${e.pyType}: ${e.message}`);
    throw e;
  }
  // _convert_axes: the column labels
  const labels = convertLabels(frame.columns.map((c) => c.name));
  let columns: Column[] = frame.columns.map((c, k) => ({ ...c, name: labels[k] as Label }));
  // _try_convert_types
  const dtypes = readJsonDtypes(schema, v);
  columns = columns.map((c) => {
    if (dtypes === null) return c.values.some((x) => x === null) ? { ...c, values: c.values.map((x) => (x === null ? NaN : x)) } : c;
    const forced = typeof dtypes === 'string' ? dtypes : typeof c.name === 'string' ? dtypes.get(c.name) : undefined;
    if (forced !== undefined) return forceDtype(c, forced);
    return coerceNumeric(c);
  });
  frame = { ...frame, columns };
  return frame;
}

/** `pd.DataFrame(x)` of a decoded JSON value: a list (records or rows), a dict of lists or of dicts, None (empty). */
function dataFrameOf(decoded: PyValue): Frame {
  if (decoded === null) return { kind: 'frame', nrows: 0, columns: [] };
  if (Array.isArray(decoded)) {
    if (decoded.length > 0 && decoded.every((r) => isPyDict(r))) return frameFromRecords(decoded, '$');
    return frameFromSplit(decoded, undefined, undefined, '$');
  }
  if (isPyDict(decoded)) {
    if (decoded.size === 0) return { kind: 'frame', nrows: 0, columns: [] };
    const vals = [...decoded.values()];
    if (vals.every((x) => isPyDict(x))) {
      // dict of dicts: the inner keys (first-seen order) are the index, missing cells NaN
      const index: string[] = [];
      for (const x of vals) for (const k of (x as Map<string, PyValue>).keys()) if (!index.includes(k)) index.push(k);
      const rows = index.map((k) => new Map([...decoded].map(([c, x]) => [c, (x as Map<string, PyValue>).has(k) ? (x as Map<string, PyValue>).get(k)! : NaN] as [string, PyValue])));
      const f = frameFromRecords(rows, '$', [...decoded.keys()]);
      return { ...f, index: { dtype: 'object', values: index } };
    }
    if (vals.every((x) => !Array.isArray(x) && !isPyDict(x))) throw new PyError('ValueError', 'If using all scalar values, you must pass an index');
    return frameFromSplit(decoded, undefined, undefined, '$');
  }
  throw new PyError('ValueError', 'DataFrame constructor not properly called!');
}

// ---- the numpy-split reader --------------------------------------------------------------------------

/** S1 `parse_split_oriented_json_input_to_numpy`: `pd.DataFrame(index=…, data=np.array(data, dtype=object), columns=…).infer_objects()`. */
function readNumpySplit(text: string): Frame {
  const decoded = parsePyJson(text, { strInput: true });
  if (!isPyDict(decoded)) throw new PyError('TypeError', 'list indices must be integers or slices, not str');
  for (const k of ['index', 'data', 'columns']) if (!decoded.has(k)) throw new PyError('KeyError', `'${k}'`);
  const data = decoded.get('data')!;
  const arr = ndarrayFrom(data, 'object');
  if (arr.shape.length > 2) throw new PyError('ValueError', 'Must pass 2-d input');
  // object array → every column object, then infer_objects(): the dtypes pandas' constructor infers from the lists
  // (checked with pandas 1.5.3: [1, None] float64, [True, None] object, [2**53 + 1, 0.0] float64, [True, 1] object)
  return frameFromSplit(data, decoded.get('columns'), decoded.get('index'), '$');
}

// ---- 1.x _enforce_schema (mlflow/pyfunc/__init__.py ≤ 1.27, mlflow/models/utils.py 1.28+) ----------

function enforce1x(input: ModelIn, schema: Schema, v: EmulatedVersion): ModelIn {
  if (schema.kind === 'tensors') return enforceTensors1x(input, schema);
  if (input.kind !== 'frame') {
    // pd.DataFrame(list / ndarray / dict): the 2.x code of the same text (enforce.ts), its messages unchanged since 1.x
    try {
      return enforceSchema(input, schema, v, { add: () => undefined, saturated: () => true } as never);
    } catch (e) {
      // before 1.28 the missing-inputs text always names the extra inputs, an empty list too (5ba05ed53, #6251)
      if (e instanceof MlflowErr && !extraInputsOnlyWhenAny(v) && e.message.startsWith('Model is missing inputs') && !e.message.includes(' Note that there were extra inputs: '))
        throw new MlflowErr(`${e.message} Note that there were extra inputs: []`, 'BAD_REQUEST');
      throw e;
    }
  }
  const frame = input;
  const named = schema.columns.every((c) => c.name !== null);
  if (named) {
    const names = schema.columns.map((c) => c.name!);
    const actual = frame.columns.map((c) => c.name);
    const missing = names.filter((n) => !actual.some((a) => labelEq(a, n)));
    const extra = actual.filter((a, k) => !names.some((n) => labelEq(a, n)) && actual.findIndex((b) => labelEq(a, b)) === k);
    if (missing.length) {
      let msg = `Model is missing inputs ${pyRepr(missing)}.`;
      if (!extraInputsOnlyWhenAny(v)) msg += ` Note that there were extra inputs: ${pyRepr(extra)}`;
      else if (extra.length) msg += ` Note that there were extra inputs: ${pyRepr(extra)}`;
      throw new MlflowErr(msg, 'BAD_REQUEST');
    }
  } else if (frame.columns.length < schema.columns.length) {
    throw new MlflowErr(
      `Model inference is missing inputs. The model signature declares ${schema.columns.length} inputs  but the provided value only has ${frame.columns.length} inputs. Note: the inputs were not named in the signature so we can only verify their count.`,
      'BAD_REQUEST',
    );
  }
  const out: Column[] = [];
  schema.columns.forEach((spec: ColumnSpec, k) => {
    const cols = named ? frame.columns.filter((c) => labelEq(c.name, spec.name!)) : [frame.columns[k]!];
    if (cols.length > 1) throw new PyError('AttributeError', "'DataFrame' object has no attribute 'dtype'");
    const col = cols[0]!;
    const name = named ? spec.name! : pyStr(col.name);
    if (!isScalarType(spec.type)) throw new PyError('TypeError', `unsupported type ${spec.type.type}`);
    if (spec.type.type === 'string' && stringDtype(v) && col.dtype === 'object') {
      out.push({ ...col, name });
      return;
    }
    if (spec.type.type === 'double' && col.dtype === 'object' && !decimalToDouble(v)) {
      // before 1.29 no decimal branch: infer_objects, then the kind comparison refuses object
      const inf = inferColumn(col.values);
      if (inf.dtype === 'object') throw new MlflowErr(`Incompatible input types for column ${name}. Can not safely convert object to float64.`, 'BAD_REQUEST');
    }
    try {
      out.push({ ...enforceMlflowDatatype(name, col, spec.type, v), name: named ? spec.name! : col.name });
    } catch (e) {
      if (e instanceof MlflowErr) throw new MlflowErr(e.message.replace('from type object to DataType.double.', 'from type object to DataType.double.'), 'BAD_REQUEST');
      throw e;
    }
  });
  return { kind: 'frame', nrows: frame.nrows, columns: out, ...(frame.index ? { index: frame.index } : {}) };
}

/** 1.x `_enforce_tensor_schema` / `_enforce_tensor_spec`: shape first, then dtype. */
function enforceTensors1x(input: ModelIn, schema: Extract<Schema, { kind: 'tensors' }>): ModelIn {
  const specs = schema.tensors;
  const check = (a: NdArray, spec: (typeof specs)[number]): NdArray => {
    const want = spec.shape;
    const shapeText = `(${want.join(', ')}${want.length === 1 ? ',' : ''})`;
    if (want.length !== a.shape.length || want.some((d, k) => d !== -1 && d !== a.shape[k]))
      throw new MlflowErr(`Shape of input ${pyShape(a.shape)} does not match expected shape ${shapeText}.`, 'BAD_REQUEST');
    if (a.dtype !== spec.dtype) throw new MlflowErr(`dtype of input ${a.dtype} does not match expected dtype ${spec.dtype}`, 'BAD_REQUEST');
    return a;
  };
  const named = specs.every((t) => t.name !== null);
  if (named) {
    if (input.kind === 'dict') {
      const items = new Map<string, ModelIn>();
      for (const spec of specs) {
        const x = input.items.get(spec.name!);
        if (x === undefined) throw new PyError('KeyError', pyRepr(spec.name!));
        if (x.kind !== 'ndarray') throw new MlflowErr(`This model contains a tensor-based model signature with input names, which suggests a dictionary input mapping input name to a numpy array, but a dict with value type <class '${x.kind}'> was found.`, 'BAD_REQUEST');
        items.set(spec.name!, check(x, spec));
      }
      return { kind: 'dict', items };
    }
    if (input.kind === 'frame') {
      const items = new Map<string, ModelIn>();
      for (const spec of specs) {
        const col = input.columns.find((c) => labelEq(c.name, spec.name!));
        if (!col) throw new PyError('KeyError', pyRepr(spec.name!));
        items.set(spec.name!, check(ndarrayFrom(col.values as PyValue[], spec.dtype), spec));
      }
      return { kind: 'dict', items };
    }
    throw new MlflowErr(`This model contains a tensor-based model signature with input names, which suggests a dictionary input mapping input name to tensor, but an input of type ${input.kind === 'ndarray' ? "<class 'numpy.ndarray'>" : "<class 'list'>"} was found.`, 'BAD_REQUEST');
  }
  if (input.kind === 'frame') return check(frameToNumpy(input), specs[0]!);
  if (input.kind === 'ndarray') return check(input, specs[0]!);
  throw new MlflowErr(`This model contains a tensor-based model signature with no input names, which suggests a numpy array input, but an input of type ${input.kind === 'dict' ? "<class 'dict'>" : "<class 'list'>"} was found.`, 'BAD_REQUEST');
}

/** `DataFrame.to_numpy()`: the common dtype of the columns (numbers → float64 / int64, anything else object). */
function frameToNumpy(f: Frame): NdArray {
  const dts = new Set(f.columns.map((c) => c.dtype));
  let dtype = 'object';
  if (f.columns.length === 0) dtype = 'float64';
  else if (dts.size === 1) dtype = [...dts][0]!;
  else if ([...dts].every((d) => /^(float|int|uint)/.test(d))) dtype = [...dts].some((d) => d.startsWith('float')) ? 'float64' : 'int64';
  const data: Cell[] = [];
  for (let r = 0; r < f.nrows; r++) for (const c of f.columns) data.push(c.values[r]!);
  return { kind: 'ndarray', dtype, shape: [f.nrows, f.columns.length], data };
}

// ---- the server --------------------------------------------------------------------------------------

/** The real 1.x server's answer to `POST /invocations` (S1 1.x `transformation`). */
export function serveMlflow1x(req: MlflowRequest): ServerOutcome {
  const v = req.version;
  // `flask.request.content_type.split(";")` with no header: AttributeError, outside every handler → Flask's 500 page
  if (req.contentType === null) return { ...unhandled500(v, "AttributeError: 'NoneType' object has no attribute 'split'"), unwrapped: true };
  const parts = req.contentType.split(';').map((s) => s.trim());
  const mime = parts[0]!;
  const params = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    params.set(eq < 0 ? p : p.slice(0, eq), eq < 0 ? '' : p.slice(eq + 1));
  }
  if ((params.get('charset') ?? 'utf-8').toLowerCase() !== 'utf-8') return plain415('The scoring server only supports UTF-8');
  const format = params.get('format') ?? '';
  const schema = req.signature?.inputs ?? null;
  // each branch decodes `flask.request.data` itself: bytes that are not UTF-8 are an unhandled UnicodeDecodeError
  const decode = (): ServerOutcome | null => (hasUndecodableBytes(req.body) ? { ...unhandled500(v, "UnicodeDecodeError: 'utf-8' codec can't decode the request body"), unwrapped: true } : null);
  let input: ModelIn;
  try {
    if (mime === 'text/csv' && format === '') {
      const bad = decode();
      if (bad) return bad;
      try {
        if (csvUsesSchema(v) && schema?.kind === 'tensors') throw new PyError('MlflowException', 'TensorSpec only supports numpy types, use numpy_types() instead');
        const frame = parseCsvFrame(req.body, csvUsesSchema(v) ? schema : null);
        // `pd.read_csv` of a header alone, no dtype given (before 1.26, or no signature): every column is object
        input = frame.nrows === 0 && !(csvUsesSchema(v) && schema) ? { ...frame, columns: frame.columns.map((c) => ({ ...c, dtype: 'object' })) } : frame;
      } catch (e) {
        if (isAppError(e)) throw e;
        return badRequest('Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method.', String(e));
      }
    } else if (mime === 'application/json' && format === '') {
      const bad = decode();
      if (bad) return bad;
      const r = inferAndParseJson(req.body, schema, v);
      if ('status' in r) return r;
      input = r.input;
    } else if (mime === 'application/json' && (format === 'pandas-split' || format === 'pandas-records')) {
      const bad = decode();
      if (bad) return bad;
      const r = parseJsonInput(req.body, format === 'pandas-split' ? 'split' : 'records', schema, v);
      if ('status' in r) return r;
      input = r.input;
    } else if (mime === 'application/json-numpy-split' && format === '') {
      const bad = decode();
      if (bad) return bad;
      try {
        input = readNumpySplit(req.body);
      } catch (e) {
        if (!(e instanceof PyError) && !(e instanceof PyJsonError)) throw e;
        return badRequest('Failed to parse input as a Numpy. Ensure that the input is a valid JSON-formatted Pandas DataFrame with the split orient produced using the `pandas.DataFrame.to_json(..., orient=\'split\')` method.', String(e));
      }
    } else {
      return plain415(`This predictor only supports the following content types and formats: Types: ${CONTENT_TYPES_1X}; Formats: ${FORMATS_1X}. Got '${req.contentType}'.`);
    }
  } catch (e) {
    if (e instanceof TfUnhandledError) return { ...unhandled500(v, e.message), unwrapped: true };
    throw e;
  }
  // `model.predict(data)`: an MlflowException is a 400 with its message (no stack trace), anything else the generic text
  let received = input;
  if (schema) {
    try {
      received = enforce1x(input, schema, v);
    } catch (e) {
      if (e instanceof MlflowErr) return badRequest(e.message, null);
      if (e instanceof PyError) return badRequest(MLFLOW_EVAL_ERROR, `${e.pyType}: ${e.message}`);
      throw e;
    }
  }
  return { ok: true, status: 200, body: null, bodyContentType: null, serverLog: null, input: received, params: null, unwrapped: true };
}

type Parsed = { input: ModelIn } | ServerOutcome;

/** S1 1.x `infer_and_parse_json_input`. */
function inferAndParseJson(text: string, schema: Schema | null, v: EmulatedVersion): Parsed {
  let decoded: PyValue;
  try {
    decoded = parsePyJson(text, { strInput: true });
  } catch (e) {
    if (!(e instanceof PyJsonError)) throw e;
    if (e.pyType !== 'JSONDecodeError') return { ...unhandled500(v, `${e.pyType}: ${e.message}`), unwrapped: true };
    return badRequest('Failed to parse input from JSON. Ensure that input is a valid JSON formatted string.', `json.decoder.JSONDecodeError: ${e.message}`);
  }
  if (Array.isArray(decoded)) return parseJsonInput(text, 'records', schema, v);
  if (isPyDict(decoded)) {
    if (decoded.has('instances') || decoded.has('inputs')) {
      try {
        if (decoded.has('signature_name')) throw new MlflowErr('Failed to parse data as TF serving input. "signature_name" is currently not supported.', null);
        const keys = [...decoded.keys()];
        if (!(keys.length === 1 && (keys[0] === 'instances' || keys[0] === 'inputs')))
          throw new MlflowErr('Failed to parse data as TF serving input. One of "instances" and "inputs" must be specified (not both or any other keys).', null);
        const fmt = keys[0]!;
        const input = parseTfServingLegacy(fmt, decoded.get(fmt)!, { signature: schema ? ({ inputs: schema } as Signature) : null, version: v } as MlflowRequest, tfLengthCheckInputsToo(v));
        return { input };
      } catch (e) {
        if (e instanceof MlflowErr) return badRequest(e.message, `mlflow.exceptions.MlflowException: ${e.message}`);
        throw e;
      }
    }
    return parseJsonInput(text, 'split', schema, v);
  }
  return badRequest('Failed to parse input from JSON. Ensure that input is a valid JSON list or dictionary.', 'NoneType: None');
}

/** S1 1.x `parse_json_input`: any exception of `_dataframe_from_json` is the generic 400. */
function parseJsonInput(text: string, orient: 'split' | 'records', schema: Schema | null, v: EmulatedVersion): Parsed {
  try {
    return { input: readJson1x(text, orient, schema, v) };
  } catch (e) {
    if (!(e instanceof ReadJsonError) && !(e instanceof PyError)) throw e;
    return badRequest(
      `Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid JSON-formatted Pandas DataFrame with the \`${orient}\` orient produced using the \`pandas.DataFrame.to_json(..., orient='${orient}')\` method.`,
      e.message,
    );
  }
}

/** The routes of the 1.x Flask app: `/ping` always, `/health` from 1.29, `/version` from 1.30. */
export function hasRoute1x(v: EmulatedVersion, path: string): boolean {
  if (path === '/ping' || path === '/invocations') return true;
  if (path === '/health') return hasHealthRoute(v);
  if (path === '/version') return hasVersionRoute(v);
  return false;
}
