/**
 * The `mlflow models serve` profile (payloads.md §3, S1 `invocations` / `_parse_json_data`): content
 * type and charset rules, JSON envelope routing (the four format keys, unified LLM keys, type-hint
 * models), exact `{"error_code","message"}` bodies and statuses, per emulated version (§10).
 */
import { isAppError } from '../../errors';
import type { Signature } from '../model-report';
import { isPyDict, parsePyJson, PyJsonError, type PyDict, type PyValue } from './py-json';
import { pyClassRepr, pyExcRepr, pyRepr, pySetRepr, pyStr, pyTypeName } from './py-repr';
import { boxedItem, frameFromRecords, frameFromSplit, ndarrayFrom, PyError, type Frame, type NdArray } from './frame';
import { atLeast, enforceParams, enforceSchema, enforceType, firstInputRepr, isScalarType, MlflowErr, precastFrame, scalarServingInput, schemaRepr, singleInputKeepsDictList } from './enforce';
import { modelInStr, type ModelIn } from './model-input';
import { hasUndecodableBytes, lossyText } from '../../text/body-bytes';
import { parseCsvFrame } from './csv';
import { fastApiBodyRepr, fastApiCsvUndecodable, fastApiJsonText, servesFastApi } from './fastapi-body';
import { type WarningSink } from './warnings';
import { speaksMlflow1, type EmulatedVersion } from './version';
import type { ColumnSpec } from '../model-report';
import { listedInputFields, signatureLoadError, tfServingWholeBodyError } from './mlflow-2-3-gates';
import { serveMlflow1x } from './mlflow-1x-server';
import { datetimeWithUnit, genericDatetimeRefuses, noteOutOfNsBounds } from './mlflow-2-0-gates';

/** The answer of one emulated server. */
export interface ServerOutcome {
  ok: boolean;
  status: number;
  /** The exact body (JSON value, or a string for text/plain / HTML answers); null on success. */
  body: unknown;
  /** Content type of the failure body. */
  bodyContentType: string | null;
  serverLog: string | null;
  input: ModelIn | null;
  params: PyDict | null;
  /** Unified-LLM answers are not wrapped in `predictions` (§3). */
  unwrapped: boolean;
}

/**
 * What a request without an answer (status 0) is told, in the words of the server asked: Azure's deployment or
 * `mlflow models serve` never starts. One wording for the CLI, the samples, compare and the playground.
 */
export const wouldNotStart = (server: 'azureml' | 'mlflow'): string => (server === 'azureml' ? 'the Azure deployment would not start' : 'mlflow models serve would not start');

/** A server that never starts (the model or its script fails to load): no request gets an answer; `serverLog` says why. */
export const neverStarts = (serverLog: string): ServerOutcome => ({ ok: false, status: 0, body: null, bodyContentType: null, input: null, params: null, unwrapped: false, serverLog });

const SUPPORTED = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];
export const LLM_KEYS = ['messages', 'prompt', 'input'];
export const REQUIRED_INPUT_FORMAT = `The input must be a JSON dictionary with exactly one of the input fields ${pySetRepr(SUPPORTED)}`;
export const SCORING_PROTOCOL_CHANGE_INFO =
  "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, you are likely using an outdated scoring request format. To resolve the error, either update your request format or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";

/** MLflow's text for any non-MLflow exception raised inside `model.predict` (S1 `invocations`). */
export const MLFLOW_EVAL_ERROR =
  'Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference.';

const STATUS: Record<string, number> = { BAD_REQUEST: 400, INVALID_PARAMETER_VALUE: 400, INTERNAL_ERROR: 500 };

const fail = (code: string, message: string, log: string | null = null): ServerOutcome => ({
  ok: false, status: STATUS[code] ?? 500, body: { error_code: code, message }, bodyContentType: 'application/json', serverLog: log, input: null, params: null, unwrapped: false,
});
/**
 * An error raised through S1 `_handle_serving_error`: MlflowException(..., stack_trace=traceback.format_exc())
 * — the body gains a `stack_trace` key (its frames cannot be reproduced; its last line, the exception, can).
 */
const failWithTrace = (code: string, message: string, exception: string): ServerOutcome => {
  const out = fail(code, message);
  const stack = `Traceback (most recent call last):\n  (the Python frames of the real server are not reproduced by Preflight)\n${exception}\n`;
  return { ...out, body: { error_code: code, message, stack_trace: stack } };
};
const plain = (status: number, text: string, ct = 'text/plain'): ServerOutcome => ({
  ok: false, status, body: text, bodyContentType: ct, serverLog: null, input: null, params: null, unwrapped: false,
});


/** Flask's HTML 500 page (2.x) or Starlette's plain text (≥ 2.21) for an unhandled exception (§3). */
export function unhandled500(v: EmulatedVersion, log: string): ServerOutcome {
  const out = servesFastApi(v)
    ? plain(500, 'Internal Server Error')
    : plain(
      500,
      '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n',
      'text/html; charset=utf-8',
    );
  return { ...out, serverLog: log };
}

export interface MlflowRequest {
  body: string;
  contentType: string | null;
  signature: Signature | null;
  isSignatureFromTypeHint: boolean;
  version: EmulatedVersion;
  sink: WarningSink;
}

export function serveMlflow(raw: MlflowRequest): ServerOutcome {
  const { version: v, sink } = raw;
  // `mlflow models serve` loads the model before it listens (wsgi.py `app = scoring_server.init(load_model(…))`, 1.x
  // and 2.x alike): an MLflow older than the signature fails in `Model.load` (mlflow-2-3-gates.ts, docs/fidelity.md
  // §16.1), the worker never boots, and no request gets an answer.
  const loadError = raw.signature ? signatureLoadError(v, raw.signature.raw) : null;
  if (loadError !== null)
    return neverStarts(`mlflow models serve cannot load the model (${loadError}, loading MLmodel's signature with MLflow ${v.version}): the server never starts, so no request gets an answer.`);
  // MLflow 1.x: the pre-2.0 protocol (bare pandas JSON, CSV, TF serving; mlflow-1x-server.ts, docs/fidelity.md §15)
  if (speaksMlflow1(v)) return serveMlflow1x(raw);
  // S1 `invocations(flask.request.data.decode("utf-8"), …)`: the body is decoded before anything else, so bytes
  // that are not UTF-8 (kept by `decodeBodyBytes`) raise UnicodeDecodeError outside every handler → Flask's HTML 500.
  if (!servesFastApi(v) && hasUndecodableBytes(raw.body)) return unhandled500(v, "UnicodeDecodeError: 'utf-8' codec can't decode the request body");
  const req = { ...raw, body: lossyText(raw.body) };
  const modern = v.era === '2.12';
  const inv = modern ? 'Invalid input. ' : '';
  if (req.contentType === null) return unhandled500(v, "TypeError: 'NoneType' object has no attribute 'split' (the request has no Content-Type header)");

  // S1 invocations: charset first, then unknown parameters, then the MIME type.
  const parts = req.contentType.split(';').map((s) => s.trim());
  const mime = parts[0]!;
  const paramsCt = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    paramsCt.set(eq < 0 ? p : p.slice(0, eq), eq < 0 ? '' : p.slice(eq + 1));
  }
  if ((paramsCt.get('charset') ?? 'utf-8').toLowerCase() !== 'utf-8') return plain(415, 'The scoring server only supports UTF-8');
  const unknown = [...paramsCt.keys()].filter((k) => k !== 'charset');
  if (unknown.length) return plain(415, `Unrecognized content type parameters: ${unknown.join(', ')}. ${SCORING_PROTOCOL_CHANGE_INFO}`);
  const schema = req.signature?.inputs ?? null;

  if (mime === 'text/csv') {
    // FastAPI (≥ 2.21): `data.decode("utf-8")` of the bytes, outside every handler (fastapi-body.ts).
    if (servesFastApi(v) && fastApiCsvUndecodable(raw.body)) return unhandled500(v, "UnicodeDecodeError: 'utf-8' codec can't decode the request body");
    if (req.isSignatureFromTypeHint) sink.add('csv-type-hint', 'CSV bodies bypass the type-hint parsing of this model.', '$');
    let frame;
    try {
      // S1 parse_csv_input builds `dtype=dict(zip(schema.input_names(), schema.pandas_types()))` before reading:
      // S4 `pandas_types` raises for a tensor schema, whatever the body (docs/fidelity.md).
      if (schema?.kind === 'tensors') throw new PyError('MlflowException', 'TensorSpec only supports numpy types, use numpy_types() instead');
      frame = parseCsvFrame(req.body, schema);
    } catch (e) {
      if (isAppError(e)) throw e; // Preflight's own parse limit, not the server's answer
      const msg = e instanceof PyError ? e.message : String(e);
      // S1 parse_csv_input: _handle_serving_error (stack_trace); 2.7 says no more, 2.12 appends "Error: '<e>'" (docs/fidelity.md §CSV).
      const generic = 'Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method.';
      return failWithTrace('BAD_REQUEST', modern ? `${generic} Error: '${msg}'` : generic, `${e instanceof PyError ? e.pyType : 'Exception'}: ${msg}`);
    }
    return predict(frame, undefined, req, false);
  }
  if (mime !== 'application/json')
    return plain(415, `This predictor only supports the following content types: Types: ['text/csv', 'application/json']. Got '${req.contentType}'.`);

  let json: PyValue;
  // S1 `json.loads(json_input)`: of the decoded str on Flask (a BOM is refused, docs/fidelity.md §BOM), of the bytes on
  // FastAPI (detect_encoding; a codec error is the unhandled 500; fastapi-body.ts).
  const fastApi = servesFastApi(v);
  const decoded = fastApi ? fastApiJsonText(raw.body) : { ok: true as const, text: req.body };
  if (!decoded.ok) return unhandled500(v, decoded.log);
  try {
    json = parsePyJson(decoded.text, { strInput: !fastApi, maxDepth: flaskJsonDepth(v, 'first') });
  } catch (e) {
    if (!(e instanceof PyJsonError)) throw e;
    if (e.pyType !== 'JSONDecodeError') return unhandled500(v, `${e.pyType}: ${e.message}`);
    if (!fastApi && req.body.charCodeAt(0) === 0xfeff) sink.add('utf8-bom', 'The body starts with a UTF-8 byte-order mark, which MLflow does not strip: remove it.', '$');
    const msg = modern
      ? `Invalid input. Ensure that input is a valid JSON formatted string. Error: '${pyExcRepr('JSONDecodeError', e.message)}'\nInput: \n${fastApi ? fastApiBodyRepr(raw.body) : req.body}\n`
      : atLeast(v, 2, 6)
        // S1 _decode_json_input (2.6+): the decoder's error is only chained, not printed.
        ? `Failed to parse input from JSON. Ensure that input is a valid JSON formatted string. Input: \n${req.body}\n`
        : `Failed to parse input from JSON. Ensure that input is a valid JSON formatted string. Error: '${e.message}'. Input: \n${req.body}\n`;
    return fail('BAD_REQUEST', msg);
  }
  if (Array.isArray(json))
    return fail('BAD_REQUEST', modern ? `${inv}${REQUIRED_INPUT_FORMAT}. Received a list.` : `${REQUIRED_INPUT_FORMAT}. Received a list. ${SCORING_PROTOCOL_CHANGE_INFO}`);
  if (!isPyDict(json))
    // S1 _decode_json_input (2.6+) drops the closing quote: "… input type '<class 'int'>." (infer_and_parse_json_input before it kept it).
    return fail('BAD_REQUEST', `${inv}${REQUIRED_INPUT_FORMAT}. Received unexpected input type '${pyClassRepr(json)}${atLeast(v, 2, 6) ? '' : "'"}.`);

  // Type-hint signatures (≥ 2.20, §1): no parsing, `inputs` required.
  if (req.isSignatureFromTypeHint && atLeast(v, 2, 20)) {
    if (!json.has('inputs')) return fail('BAD_REQUEST', "Request payload must be a dictionary with 'inputs' key when the model contains a valid type hint.");
    for (const k of json.keys()) if (k !== 'inputs' && k !== 'params') sink.add('ignored-top-level-key', `Top-level key '${k}' is ignored by the server.`, `$.${k}`);
    return predict({ kind: 'value', value: json.get('inputs')! }, json.get('params'), req, false, true);
  }

  // Unified LLM keys (≥ 2.11, §3).
  const llm = atLeast(v, 2, 11) && LLM_KEYS.some((k) => json.has(k));
  // 2.11+ decodes a body without those keys a second time, one frame deeper (S1 `_split_data_and_params(data)` of the
  // str): nesting the first decode took can be one level too deep for the second (docs/fidelity.md §"JSON nesting").
  const second = !fastApi && !llm && atLeast(v, 2, 11) ? (flaskJsonDepth(v, 'second') ?? Infinity) : Infinity;
  if (second !== Infinity && req.body.length > 2 * second && pyNestingDepth(json, second + 1) > second)
    return unhandled500(v, 'RecursionError: maximum recursion depth exceeded while decoding a JSON object from a unicode string');
  if (llm) {
    const paramNames = new Set((req.signature?.params ?? []).map((p) => p.name));
    const data: PyDict = new Map();
    const params: PyDict = new Map();
    for (const [k, val] of json) (paramNames.has(k) ? params : data).set(k, val);
    const key = LLM_KEYS.find((k) => json.has(k))!;
    sink.add('unified-llm-mode', `The top-level key '${key}' switches MLflow to the unified LLM mode: the whole dict goes to predict() unparsed and the answer is not wrapped in "predictions"${schema?.kind === 'columns' && schema.columns.some((c) => c.name === key) ? ` (beware: this model has a column named '${key}')` : ''}.`, `$.${key}`);
    return predict({ kind: 'value', value: data }, req.signature?.params ? params : undefined, req, true);
  }

  const formats = [...json.keys()].filter((k) => SUPPORTED.includes(k));
  // Before 2.6 the TF-serving parser gets the whole body: any other key is refused, not ignored (mlflow-2-3-gates.ts).
  const wholeBody = formats.length === 1 && (formats[0] === 'instances' || formats[0] === 'inputs') ? tfServingWholeBodyError(v, json) : null;
  if (wholeBody === null)
    for (const k of json.keys())
      if (!SUPPORTED.includes(k) && k !== 'params')
        sink.add('ignored-top-level-key', `Top-level key '${k}' is silently ignored by MLflow's server${k === 'input_data' ? ' (it is the Azure ML envelope: use dataframe_split or inputs for MLflow)' : k === 'columns' || k === 'data' ? ' (this looks like an MLflow 1.x body: wrap it as {"dataframe_split": {...}})' : ''}.`, `$.${k}`);
  if (formats.length !== 1)
    return fail('BAD_REQUEST', `${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: ${pyRepr(listedInputFields(v, json, formats))}. ${SCORING_PROTOCOL_CHANGE_INFO}`);
  if (wholeBody !== null) return fail('INTERNAL_ERROR', wholeBody);
  const fmt = formats[0]!;
  const payload = json.get(fmt)!;
  const params = json.get('params');
  if (params !== undefined && !atLeast(v, 2, 6))
    sink.add('params-unsupported', `MLflow ${v.version} has no inference params (added in 2.6): the key is not passed to the model.`, '$.params');

  let input: ModelIn;
  try {
    if (fmt === 'dataframe_split' || fmt === 'dataframe_records') input = parseDataframe(fmt, payload, req, inv);
    else input = modern ? parseTfServing(fmt, payload, req) : parseTfServingLegacy(fmt, payload, req);
  } catch (e) {
    if (e instanceof MlflowErr) {
      const code = e.code ?? 'INTERNAL_ERROR';
      return fail(code, e.message);
    }
    if (e instanceof UnhandledError) return unhandled500(v, e.message);
    throw e;
  }
  return predict(input, atLeast(v, 2, 6) ? params : undefined, req, false);
}

function parseDataframe(fmt: string, payload: PyValue, req: MlflowRequest, inv: string): ModelIn {
  const base = `$.${fmt}`;
  let frame;
  if (fmt === 'dataframe_records') {
    if (!Array.isArray(payload))
      throw new MlflowErr(`${inv}Dataframe records format must be a list of records. Got ${isPyDict(payload) ? 'dictionary' : `type ${pyClassRepr(payload)}`}.`, 'BAD_REQUEST');
    try {
      frame = payload.length > 0 && payload.every((r) => isPyDict(r)) ? frameFromRecords(payload, base) : frameFromSplit(payload, undefined, undefined, base);
    } catch (e) {
      throw new MlflowErr(`${inv}Provided dataframe_records field is not a valid dataframe representation in 'records' format. Error: '${e instanceof Error ? e.message : String(e)}'`, 'BAD_REQUEST');
    }
    payload.forEach((r, row) => {
      if (isPyDict(r))
        for (const c of frame!.columns) if (typeof c.name === 'string' && !r.has(c.name)) req.sink.add('record-missing-key', `Record ${row} has no '${c.name}': pandas fills NaN there.`, `${base}[${row}]`);
    });
  } else {
    if (!isPyDict(payload)) throw new MlflowErr(`${inv}Dataframe split format must be a dictionary. Got ${Array.isArray(payload) ? 'list' : `type ${pyClassRepr(payload)}`}.`, 'BAD_REQUEST');
    const keys = [...payload.keys()];
    if (!payload.has('data') || keys.some((k) => !['columns', 'data', 'index'].includes(k)))
      throw new MlflowErr(`${inv}Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got ${pySetRepr(keys)}.'`, 'BAD_REQUEST');
    try {
      frame = frameFromSplit(payload.get('data')!, payload.get('columns'), payload.get('index'), base);
    } catch (e) {
      throw new MlflowErr(`${inv}Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '${e instanceof Error ? e.message : String(e)}'`, 'BAD_REQUEST');
    }
    const idx = payload.get('index');
    if (Array.isArray(idx) && Array.isArray(payload.get('data')) && (payload.get('data') as PyValue[]).length === 1 && idx.length > 1)
      req.sink.add('index-broadcast', `One data row with ${idx.length} index labels: pandas repeats the row, so the model gets ${idx.length} identical rows.`, `${base}.index`);
    if (!payload.has('columns') && req.signature?.inputs?.kind === 'columns' && req.signature.inputs.columns.some((c) => c.name !== null))
      req.sink.add('split-without-columns', 'Without "columns" the columns are named 0..n-1, so every named signature column is reported missing.', base);
  }
  const schema = req.signature?.inputs;
  // S2 `cast_df_types_according_to_schema` starts with `set(pdf.columns)`, outside any handler: a list (or dict)
  // among the labels — `columns` mixing lists and other values is a plain Index of them — is Flask's 500 page.
  const unhashable = schema ? frame.columns.find((c) => Array.isArray(c.name) || isPyDict(c.name as PyValue)) : undefined;
  if (unhashable) throw new UnhandledError(`TypeError: unhashable type: '${pyTypeName(unhashable.name as PyValue)}'`);
  return schema ? precastFrame(frame, schema, req.version, req.sink) : frame;
}

/**
 * `DataType.to_numpy()` of each scalar column type (S4 mlflow/types/schema.py, the same in 2.7 and 2.12):
 * string is `np.dtype("str")` and binary `np.dtype("bytes")`, so `np.array(values, dtype)` str()s every value
 * (null → 'None', a dict → "{'a': 1}", a float → '1e+20') and refuses ragged nesting (docs/fidelity.md).
 */
const SCALAR_NUMPY: Record<string, string> = { boolean: 'bool', integer: 'int32', long: 'int64', float: 'float32', double: 'float64', string: 'str', binary: 'bytes', datetime: 'datetime64[ns]' };

/** 2.12+ `parse_tf_serving_input` / `_cast_schema_type` / `parse_instances_data` (S2). */
function parseTfServing(fmt: string, payload: PyValue, req: MlflowRequest): ModelIn {
  const schema = req.signature?.inputs ?? null;
  const named = schema !== null && (schema.kind === 'columns' ? schema.columns.every((c) => c.name !== null) : schema.tensors.every((t) => t.name !== null));
  const specOf = (name: string | null): { col?: ColumnSpec; dtype?: string } | null => {
    if (!schema) return null;
    if (name === null) return schema.kind === 'columns' ? { col: schema.columns[0]! } : { dtype: schema.tensors[0]!.dtype };
    if (!named) return null;
    if (schema.kind === 'columns') {
      const c = schema.columns.find((x) => x.name === name);
      return c ? { col: c } : null;
    }
    const t = schema.tensors.find((x) => x.name === name);
    return t ? { dtype: t.dtype } : null;
  };
  const convert = (data: PyValue, spec: { col?: ColumnSpec; dtype?: string } | null, path: string): ModelIn => {
    try {
      if (spec === null) return ndarrayFrom(data, null);
      if (spec.dtype !== undefined) {
        warnTensorCoercions(data, spec.dtype, path, req.sink);
        return ndarrayFrom(data, spec.dtype);
      }
      const col = spec.col!;
      if (isScalarType(col.type)) {
        const dt = SCALAR_NUMPY[col.type.type]!;
        warnTensorCoercions(data, dt, path, req.sink);
        if (Array.isArray(data)) return ndarrayFrom(data, dt);
        // convert_data_type: `np.array([data], spec.type.to_numpy())[0]` — a numpy scalar, not a 0-d array
        const a = ndarrayFrom([data], dt);
        return { kind: 'ndarray', dtype: a.dtype, shape: [], data: a.data, scalar: true };
      }
      const enforced = enforceType(data, col.type, col.required, req.version);
      // convert_data_type: `np.array(_enforce_array(data, spec.type))`, numpy's own dtype (a ragged result is its ValueError)
      return col.type.type === 'array' ? ndarrayFrom(enforced, null) : { kind: 'value', value: enforced };
    } catch (e) {
      if (e instanceof MlflowErr) throw new MlflowErr(`Invalid input. ${e.message}`, 'BAD_REQUEST');
      if (e instanceof PyError) throw new MlflowErr(`Invalid input. ${e.message}`, 'BAD_REQUEST');
      throw e;
    }
  };
  const path = `$.${fmt}`;
  const records = fmt === 'instances' && Array.isArray(payload) && payload.length > 0 && isPyDict(payload[0]);
  // S2 `_cast_schema_type` (every `inputs`, and `instances` but a list of records) starts with `deepcopy(input_data)`,
  // Python's recursive copy: two frames per list or dict level and two for a scalar at the end (copy.py `deepcopy` →
  // `_deepcopy_list` / `_deepcopy_dict` / `_deepcopy_atomic`). Measured on the real 2.12.2 server: 488 levels (a
  // scalar counting as one) raise RecursionError, 487 do not; parse_tf_serving_input turns it into this 400
  // (docs/fidelity.md §"JSON nesting").
  if (!records && !servesFastApi(req.version) && req.body.length > DEEPCOPY_MAX_LEVELS && deepcopyLevels(payload, DEEPCOPY_MAX_LEVELS + 1) > DEEPCOPY_MAX_LEVELS)
    throw new MlflowErr(`Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: ${pyExcRepr('RecursionError', 'maximum recursion depth exceeded while calling a Python object')}`, 'BAD_REQUEST');
  if (records) {
    const cols = new Map<string, PyValue[]>();
    payload.forEach((item, row) => {
      if (!isPyDict(item)) throw new MlflowErr(`Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: ${pyExcRepr('AttributeError', `'${pyClassRepr(item).slice(8, -2)}' object has no attribute 'items'`)}`, 'BAD_REQUEST');
      for (const [k, v] of item) {
        if (!cols.has(k)) cols.set(k, []);
        const spec = specOf(k);
        const c = convert(v, spec, `${path}[${row}].${k}`);
        // Without a spec, `np.array(v)` keeps v's value and type, and `np.array` of those 0-d arrays promotes
        // their dtypes as numpy infers the raw values (1e20 stays a float): keep v itself, whose float-ness the
        // converted cell (a plain number) would lose. Object arrays keep the converted cell (element = array).
        if (spec === null && c.kind === 'ndarray' && c.dtype !== 'object') cols.get(k)!.push(v);
        else cols.get(k)!.push(c.kind === 'ndarray' ? (c.shape.length === 0 ? (c.data[0] as PyValue) : ndToNested(c)) : c.kind === 'value' ? c.value : null);
      }
    });
    req.sink.add('instances-records-converted', 'MLflow turns the list of records into a dict of lists (one array per key); the server logs that this can change the schema and suggests `inputs`.', path);
    const items = new Map<string, ModelIn>();
    for (const [k, vals] of cols) {
      const spec = specOf(k);
      // S2 parse_instances_data: each value went through convert_data_type (np.array([v], spec.to_numpy())[0]),
      // so np.array(values) has the column's numpy dtype; strings (object) are re-inferred as <U…
      const colDt = spec?.col && isScalarType(spec.col.type) ? SCALAR_NUMPY[spec.col.type.type] : undefined;
      const dt = spec?.dtype ?? (colDt !== undefined && colDt !== 'bytes' ? colDt : null);
      try {
        // an Array column's values are convert_data_type's `np.array(...)`s: numpy stacks them by its own dtype
        // (a ragged column is its ValueError); Object/Map values are dicts, an object array
        const complex = spec?.col && !isScalarType(spec.col.type) && spec.col.type.type !== 'array';
        items.set(k, ndarrayFrom(vals, dt ?? (complex ? 'object' : null)));
      } catch (e) {
        // `np.array(v)` per column runs outside convert_data_type: its error reaches parse_tf_serving_input's
        // generic `except Exception` — "Ensure that the input is a valid JSON-formatted string.\nError: {e!r}".
        if (!(e instanceof PyError)) throw e;
        throw new MlflowErr(`Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: ${pyExcRepr(e.pyType, e.message)}`, 'BAD_REQUEST');
      }
    }
    checkLengths(items, schema);
    return { kind: 'dict', items };
  }
  let data = payload;
  if (schema && named && (schema.kind === 'columns' ? schema.columns.length : schema.tensors.length) === 1 && Array.isArray(data) && !data.some((x) => isPyDict(x))) {
    const name = schema.kind === 'columns' ? schema.columns[0]!.name! : schema.tensors[0]!.name!;
    data = new Map([[name, data]]);
  } else if (schema && !named && !scalarServingInput(req.version) && !Array.isArray(data)) {
    // S2 _cast_schema_type before 2.15: an un-named schema takes a list only (2.12.2 verified; 2.15+ also a single value).
    throw new MlflowErr(
      `Invalid input. Failed to parse input data. This model contains an un-named tensor-based model signature which expects a single n-dimensional array as input, however, an input of type ${pyClassRepr(data)} was found.`,
      'BAD_REQUEST',
    );
  } else if (schema && !named && !(Array.isArray(data) || (!isPyDict(data) && data !== null))) {
    throw new MlflowErr(
      `Invalid input. Failed to parse input data. This model contains an un-named  model signature which expects a single n-dimensional array or a single value as input, however, an input of type ${pyClassRepr(data)} was found.`,
      'BAD_REQUEST',
    );
  }
  if (isPyDict(data)) {
    const items = new Map<string, ModelIn>();
    for (const [k, v] of data) items.set(k, convert(v, specOf(k), `${path}.${k}`));
    if (fmt === 'instances') checkLengths(items, schema);
    return { kind: 'dict', items };
  }
  if (Array.isArray(data)) {
    // S2 _cast_schema_type: `all(isinstance(x, dict) for x in [])` is True, so [] stays a Python list.
    if (data.length === 0) return { kind: 'value', value: [] };
    if (data.every((x) => isPyDict(x))) {
      const recordDtypes: Record<string, string> = {};
      const recordArrays: Map<string, NdArray>[] = data.map(() => new Map());
      const mixed = new Set<string>();
      const rows = data.map((rec, r) => new Map([...(rec as PyDict)].map(([k, v]) => {
        const c = convert(v, specOf(k), `${path}[${r}].${k}`);
        if (c.kind === 'ndarray') recordArrays[r]!.set(k, c);
        // convert_data_type gives a numpy scalar of the column's dtype (np.array([v], dt)[0]); a column that
        // also holds an array (a list in one record) is an object column to pandas.
        if (c.kind === 'ndarray' && c.scalar && /^(u?int|float|bool)/.test(c.dtype)) {
          if (!mixed.has(k)) recordDtypes[k] = c.dtype;
        } else {
          mixed.add(k);
          delete recordDtypes[k];
        }
        if (c.kind === 'ndarray' && c.shape.length === 0) {
          // a numpy float scalar prints as 0.0, not 0 (the "Failed to predict data '[{…}]'" text)
          return [k, boxedItem(c.data[0]!, c.dtype)];
        }
        return [k, c.kind === 'ndarray' ? ndToNested(c) : c.kind === 'value' ? c.value : null];
      })));
      return { kind: 'value', value: rows, recordDtypes, recordArrays };
    }
    return convert(data, schema ? specOf(null) : null, path);
  }
  if (!schema) return { kind: 'value', value: data };
  try {
    return convert(data, specOf(null), path);
  } catch (e) {
    // S2 _cast_schema_type, neither dict nor list: any failure of convert_data_type is re-raised with its own words.
    if (!(e instanceof MlflowErr)) throw e;
    if (scalarServingInput(req.version))
      throw new MlflowErr(`Invalid input. Failed to convert data \`${pyStr(data)}\` to type \`${firstInputRepr(schema)}\` defined in the model signature.`, 'BAD_REQUEST');
    throw new MlflowErr(
      `Invalid input. Failed to parse input data. This model contains a tensor-based model signature with input names, which suggests a dictionary / a list of dictionaries input mapping input name to tensor or a pure list, but an input of \`${pyStr(data)}\` was found.`,
      'BAD_REQUEST',
    );
  }
}

/** The nested lists of an array, a float array's integral items kept floats (PyFloat), as `tolist()` would. */
function ndToNested(a: NdArray): PyValue {
  if (a.shape.length <= 1) return a.data.map((x) => boxedItem(x, a.dtype));
  const step = a.shape.slice(1).reduce((x, y) => x * y, 1);
  return Array.from({ length: a.shape[0]! }, (_, k) => ndToNested({ ...a, shape: a.shape.slice(1), data: a.data.slice(k * step, (k + 1) * step) }));
}

/**
 * S2 2.12 parse_instances_data's sanity check: `len()` of every list/ndarray value (a numpy scalar is neither;
 * without named inputs every key counts, with them only required non-Array columns), compared with the first
 * and stopping at the first that differs. A 0-d array (a no-spec or TensorSpec scalar, a dict as
 * `np.array(dict)`) has no len(): TypeError('len() of unsized object'), which parse_tf_serving_input's
 * `except Exception` words as "Ensure that the input is a valid JSON-formatted string.\nError: {e!r}". With
 * named inputs pandas walks a Python set, whose order is not modelled: the signature's order is used.
 */
function checkLengths(items: Map<string, ModelIn>, schema: Signature['inputs']): void {
  const checked: NdArray[] = [];
  const named = schema?.kind === 'columns' ? schema.columns.every((c) => c.name !== null) : schema?.kind === 'tensors' && schema.tensors.every((t) => t.name !== null);
  if (schema && named) {
    for (const spec of schema.kind === 'columns' ? schema.columns : schema.tensors) {
      const v = items.get(spec.name!);
      if (v === undefined || v.kind !== 'ndarray' || v.scalar === true) continue;
      if ('required' in spec && (!spec.required || spec.type.type === 'array')) continue;
      checked.push(v);
    }
  } else for (const v of items.values()) if (v.kind === 'ndarray' && v.scalar !== true) checked.push(v);
  const len = (a: NdArray): number => {
    if (a.shape.length === 0) throw new MlflowErr(`Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: ${pyExcRepr('TypeError', 'len() of unsized object')}`, 'BAD_REQUEST');
    return a.shape[0]!;
  };
  if (checked.length === 0) return;
  const first = len(checked[0]!);
  for (const a of checked.slice(1)) if (len(a) !== first) throw new MlflowErr('Invalid input. The length of values for each input/column name are not the same', 'BAD_REQUEST');
}

function warnTensorCoercions(data: PyValue, dtype: string, path: string, sink: WarningSink): void {
  if (!/^int/.test(dtype)) return;
  const walk = (x: PyValue, p: string): void => {
    if (Array.isArray(x)) x.forEach((y, k) => walk(y, `${p}[${k}]`));
    else if (typeof x === 'number' && !Number.isInteger(x) && Number.isFinite(x) && !sink.saturated('float-truncated'))
      sink.add('float-truncated', `${pyRepr(x)} is truncated to ${Math.trunc(x)} for the ${dtype} input.`, p);
  };
  walk(data, path);
}

/** A Python exception the real server does not handle at all (its answer: the framework's 500 page). */
class UnhandledError extends Error {}
export { UnhandledError as TfUnhandledError };

const TF_LEGACY_ERROR =
  "Failed to parse data as TF serving input. Ensure that the input is a valid JSON-formatted string that conforms to the request body for TF serving's Predict API as documented at https://www.tensorflow.org/tfx/serving/api_rest#request_format_2";

/** 2.7-era `parse_tf_serving_input`: every failure is the generic TF-serving text, raised with no code (500). */
export function parseTfServingLegacy(fmt: string, payload: PyValue, req: Pick<MlflowRequest, 'signature' | 'version'>, lengthCheckInputsToo = false): ModelIn {
  const schema = req.signature?.inputs ?? null;
  const castOne = (input: PyValue): ModelIn => {
    if (!schema) {
      if (isPyDict(input)) return { kind: 'dict', items: new Map([...input].map(([k, v]) => [k, ndarrayFrom(v, null) as ModelIn])) };
      return ndarrayFrom(input, null);
    }
    const names = schema.kind === 'columns' ? schema.columns.map((c) => c.name) : schema.tensors.map((t) => t.name);
    const numpyOf = (k: number): string =>
      schema.kind === 'columns' ? (SCALAR_NUMPY[schema.columns[k]!.type.type] ?? 'object') : schema.tensors[k]!.dtype;
    if (names.every((n) => n !== null)) {
      let data = input;
      if (names.length === 1 && Array.isArray(data) && !(singleInputKeepsDictList(req.version) && data.some(isPyDict))) data = new Map([[names[0]!, data]]);
      if (!isPyDict(data)) throw new Error('not a dict');
      const items = new Map<string, ModelIn>();
      for (const [k, v] of data) {
        const idx = names.indexOf(k);
        const dt = idx >= 0 ? numpyOf(idx) : null;
        // before 2.2 `np.array(v, dtype="datetime64")`: no unit, so a number or a bool is numpy's ValueError (mlflow-2-0-gates.ts)
        if (dt === 'datetime64[ns]' && !datetimeWithUnit(req.version) && genericDatetimeRefuses(v)) throw new Error('generic datetime64');
        const a = ndarrayFrom(v, dt);
        if (dt === 'datetime64[ns]' && !datetimeWithUnit(req.version)) noteOutOfNsBounds(a, v);
        items.set(k, a);
      }
      return { kind: 'dict', items };
    }
    if (!Array.isArray(input)) throw new Error('not a list');
    return ndarrayFrom(input, numpyOf(0));
  };
  // `items[0]` on a dict: KeyError inside the try (the generic text); `{}` passes and then the length check's
  // `list(data.values())[0]` raises IndexError outside any handler (Flask's HTML 500).
  if (fmt === 'instances' && isPyDict(payload)) {
    if (payload.size > 0) throw new MlflowErr(TF_LEGACY_ERROR, null);
    throw new UnhandledError('IndexError: list index out of range');
  }
  let data: ModelIn;
  try {
    // `len(items)` on null, a number or a bool is a TypeError inside the try: the generic text, with or without a schema.
    if (fmt === 'instances' && (payload === null || (typeof payload !== 'string' && !Array.isArray(payload) && !isPyDict(payload)))) throw new Error('no len()');
    if (fmt === 'instances' && Array.isArray(payload) && payload.length > 0 && isPyDict(payload[0])) {
      const cols: PyDict = new Map();
      for (const item of payload) {
        if (!isPyDict(item)) throw new Error('not a dict');
        for (const [k, v] of item) {
          if (!cols.has(k)) cols.set(k, []);
          (cols.get(k) as PyValue[]).push(v);
        }
      }
      data = castOne(cols);
    } else data = castOne(payload);
  } catch {
    throw new MlflowErr(TF_LEGACY_ERROR, null);
  }
  // The length check runs for `instances` only (`if isinstance(data, dict) and "instances" in inp_dict`).
  // MLflow < 1.26 checks `inputs` too, where `{}` reaches `list(data.values())[0]`: IndexError, unhandled (mlflow-1x-server.ts)
  if (data.kind === 'dict' && fmt === 'inputs' && lengthCheckInputsToo) {
    if (data.items.size === 0) throw new UnhandledError('IndexError: list index out of range');
    // `len(v)` in order, `all()` stopping at the first mismatch: a 0-d array (a single value) is TypeError, unhandled
    const vals = [...data.items.values()];
    const lenOf = (x: ModelIn): number => {
      if (x.kind === 'ndarray' && x.shape.length === 0) throw new UnhandledError('TypeError: len() of unsized object');
      return x.kind === 'ndarray' ? x.shape[0]! : 1;
    };
    const first = lenOf(vals[0]!);
    for (const x of vals) if (lenOf(x) !== first) throw new MlflowErr('Failed to parse data as TF serving input. The length of values for each input/column name are not the same', null);
  }
  if (data.kind === 'dict' && (fmt === 'instances' || lengthCheckInputsToo)) {
    const lens = [...data.items.values()].map((x) => (x.kind === 'ndarray' ? (x.shape[0] ?? 1) : 1));
    if (lens.some((l) => l !== lens[0])) throw new MlflowErr('Failed to parse data as TF serving input. The length of values for each input/column name are not the same', null);
  }
  return data;
}

/** `pyfunc.predict` (schema + params enforcement) and the server's wrapping of its errors. */
function predict(input: ModelIn, params: PyValue | undefined, req: MlflowRequest, unwrapped: boolean, skipSchema = false): ServerOutcome {
  const { version: v, sink } = req;
  const modern = v.era === '2.12';
  const schema = req.signature?.inputs ?? null;
  let received = input;
  const wrapPredict = (inner: string): string => `Failed to predict data '${modelInStr(input)}'. \nError: ${inner}`;
  if (schema && !skipSchema) {
    try {
      received = enforceSchema(input, schema, v, sink);
    } catch (e) {
      if (e instanceof PyError && !modern)
        // 2.7 pyfunc.predict calls _enforce_schema unguarded: a Python error reaches S1's `except Exception`.
        return failWithTrace('BAD_REQUEST', MLFLOW_EVAL_ERROR, `${e.pyType}: ${e.message}`);
      if (!(e instanceof MlflowErr) && !(e instanceof PyError)) throw e;
      if (modern) {
        // The message prints the frame: repr of a cell nested past what the recursion budget leaves raises
        // RecursionError, which S1's `except Exception` answers (docs/fidelity.md §"JSON nesting").
        if (input.kind === 'frame' && !servesFastApi(v) && frameReprTooDeep(input))
          return failWithTrace('BAD_REQUEST', MLFLOW_EVAL_ERROR, 'RecursionError: maximum recursion depth exceeded while getting the repr of an object');
        const inner = `Failed to enforce schema of data '${modelInStr(input)}' with schema '${schemaRepr(schema)}'. Error: ${e.message}`;
        return fail('INVALID_PARAMETER_VALUE', wrapPredict(inner), `MLflow's inner error: ${e.message}`);
      }
      return fail((e as MlflowErr).code ?? 'INTERNAL_ERROR', e.message);
    }
  }
  let receivedParams: PyDict | null;
  try {
    receivedParams = enforceParams(params, req.signature?.params ?? null, sink, v);
  } catch (e) {
    if (!(e instanceof MlflowErr)) throw e;
    return fail(e.code ?? 'INVALID_PARAMETER_VALUE', modern ? wrapPredict(e.message) : e.message, `MLflow's inner error: ${e.message}`);
  }
  return { ok: true, status: 200, body: null, bodyContentType: null, serverLog: null, input: received, params: receivedParams, unwrapped };
}

/**
 * How deep a JSON body may nest before CPython 3.11's C scanner raises RecursionError in the Flask servers' `json.loads`
 * (docs/fidelity.md §"JSON nesting"). 3.11 counts Python frames and the scanner's `Py_EnterRecursiveCall` per array or
 * object in one budget (`sys.getrecursionlimit()` = 1000), so the limit is 1000 less the frames under the call: measured
 * on the real 2.7.1 server as 972 levels at S1 `invocations` → `_split_data_and_params` → `_decode_json_input`; 2.11+
 * first decodes in `invocations` → `_decode_json_input`, one frame shallower (973), then again at 2.7's depth (972).
 * Other servers (1.x, before 2.6, FastAPI) keep the parser's default, an estimate.
 */
function flaskJsonDepth(v: EmulatedVersion, call: 'first' | 'second'): number | undefined {
  if (servesFastApi(v) || !atLeast(v, 2, 6)) return undefined;
  return call === 'first' && atLeast(v, 2, 11) ? 973 : 972;
}

/** The nesting depth of a parsed value (each list or dict a level), counted up to `cap`. */
function pyNestingDepth(value: PyValue, cap: number): number {
  let max = 0;
  const stack: [PyValue, number][] = [[value, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (!Array.isArray(x) && !isPyDict(x)) continue;
    if (d > max) max = d;
    if (max >= cap) return max;
    for (const k of x.values()) if (Array.isArray(k) || isPyDict(k)) stack.push([k, d + 1]);
  }
  return max;
}

/** The most levels `copy.deepcopy` of the 2.12 TF-serving parser gets through (see parseTfServing). */
const DEEPCOPY_MAX_LEVELS = 487;

/**
 * The most levels a cell's repr gets through in 2.12's "Failed to enforce schema of data '<frame>'" (one
 * `Py_EnterRecursiveCall` per list, dict and scalar: CPython `PyObject_Repr`), measured on the real 2.12.2 server: a
 * cell of 951 levels prints, one of 952 raises RecursionError.
 */
const FRAME_REPR_MAX_LEVELS = 951;

/** Whether a cell pandas formats for the printout (every column; 5 head and 5 tail rows past display.max_rows) nests too deep. */
function frameReprTooDeep(f: Frame): boolean {
  const rows = f.nrows > 60 ? [0, 1, 2, 3, 4, f.nrows - 5, f.nrows - 4, f.nrows - 3, f.nrows - 2, f.nrows - 1] : Array.from({ length: f.nrows }, (_, r) => r);
  for (const c of f.columns)
    for (const r of rows) {
      const v = c.values[r] as PyValue;
      if ((Array.isArray(v) || isPyDict(v)) && deepcopyLevels(v, FRAME_REPR_MAX_LEVELS + 1) > FRAME_REPR_MAX_LEVELS) return true;
    }
  return false;
}

/** Nested lists and dicts along the deepest path, plus one when that path ends in a scalar; counted up to `cap`. */
function deepcopyLevels(value: PyValue, cap: number): number {
  let max = 0;
  const stack: [PyValue, number][] = [[value, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > max) max = d;
    if (max >= cap) return max;
    if (!Array.isArray(x) && !isPyDict(x)) continue;
    for (const k of x.values()) {
      if (Array.isArray(k) || isPyDict(k)) stack.push([k, d + 1]);
      else if (d + 1 > max) max = d + 1; // a scalar: one level, nothing under it
    }
  }
  return max;
}
