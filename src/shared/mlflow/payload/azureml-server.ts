/**
 * Azure ML managed online endpoint, no-code MLflow (payloads.md §4): azureml-inference-server's request
 * checks, then `mlflow_score_script.py`, whose InferenceSchema sample — chosen at import from the input
 * example, the signature and the flavors (azureml-sample.ts), or an import failure — decides how
 * `input_data` is parsed (and run()'s own parsing, azureml-run-input.ts), then MLflow's own enforcement.
 * Every failure after the envelope checks is the generic 500; the real error goes to `serverLog`.
 */
import type { ColumnSpec, Schema, Signature } from '../model-report';
import { isPyDict, parsePyJson, PyJsonError, type PyDict, type PyValue } from './py-json';
import { pyClassRepr, pyStr } from './py-repr';
import { astypeColumn, isTruthy, ndarrayFrom, PyError, warnNonStrings, type Column, type Frame, type Label } from './frame';
import { enforceParams, enforceSchema, MlflowErr, schemaRepr } from './enforce';
import { buildSample, scriptFlavors, type InputExampleLike, type Sample, type ScriptFlavors } from './azureml-sample';
import { llmInput, nullsToNaN, splitFrameOf, traditionalInput } from './azureml-run-input';
import { modelInStr, type ModelIn } from './model-input';
import { neverStarts, type ServerOutcome } from './mlflow-server';
import { WarningSink } from './warnings';
import type { EmulatedVersion } from './version';
import { a4BodyText } from './azureml-body';
import { inferenceParamsRead, signatureLoadError } from './mlflow-2-3-gates';
import { specsByName } from './spec-index';

export type { InputExampleLike } from './azureml-sample';

export const AZURE_GENERIC_500 = { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' };
/** A4 `routes.py` `all_unhandled_exception`: what the request parser (not run()) raised unexpectedly. */
export const AZURE_INTERNAL_500 = { message: 'An unexpected internal error occurred. Check the logs for more info.' };

const NOT_AN_ARRAY = 'Invalid input format: expected an array of items.';

const msg = (status: number, message: string, log: string | null = null): ServerOutcome => ({
  ok: false, status, body: { message }, bodyContentType: 'application/json', serverLog: log, input: null, params: null, unwrapped: false,
});

export interface AzureRequest {
  body: string;
  contentType: string | null;
  signature: Signature | null;
  inputExample: InputExampleLike | null;
  /** MLmodel's flavor names: A1 treats transformers, langchain, openai and hftransformersv2 models apart. */
  flavors?: readonly string[];
  version: EmulatedVersion;
  sink: WarningSink;
}

const internal500 = (log: string): ServerOutcome => msg(500, AZURE_INTERNAL_500.message, log);

let lastMime: { ct: string; json: boolean } = { ct: 'application/json', json: true };

/** Flask's `request.is_json`: `application/json` or `application/*+json`, any case, any parameters. */
export function isJsonMime(ct: string | null): boolean {
  if (ct === null) return false;
  // A server sees the same header value on almost every request.
  if (ct === lastMime.ct) return lastMime.json;
  const mime = ct.split(';')[0]!.trim().toLowerCase();
  const json = mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
  lastMime = { ct, json };
  return json;
}

export function serveAzure(req: AzureRequest): ServerOutcome {
  const { sink } = req;
  // A1's first statement, `model = Model.load(model_path)`: an MLflow older than the signature fails there, at import:
  // the server never takes a request, so not even A4's own 400 / 415 answers
  const loadError = req.signature ? signatureLoadError(req.version, req.signature.raw) : null;
  if (loadError !== null)
    return neverStarts(`mlflow_score_script.py fails at import (${loadError}, loading MLmodel's signature with MLflow ${req.version.version}): the deployment never starts, so no request gets an answer.`);
  // The sample is built at import too (from the model alone): when that fails the server never starts, so no request —
  // not even one A4 itself would refuse (415, 400) — gets an answer.
  const flavors = flavorsOf(req.flavors);
  const built = sampleFor(req, flavors);
  if (built.sample.kind === 'import-failure') return neverStarts(`mlflow_score_script.py fails at import (${built.sample.error}, ${built.sample.why}): the deployment never starts, so no request gets an answer.`);
  if (!isJsonMime(req.contentType)) {
    if (req.contentType?.split(';')[0]?.trim() === 'text/csv') sink.add('azure-no-csv', 'Azure online endpoints do not take CSV ("Use batch inferencing"): send {"input_data": {"columns": [...], "data": [...]}}.', '$');
    return msg(415, 'Expects Content-Type to be application/json');
  }
  // json.loads of the body's bytes (azureml-body.ts); what it raises besides JSONDecodeError escapes the parser
  const decoded = a4BodyText(req.body);
  if (!decoded.ok) return internal500(decoded.log);
  let json: PyValue;
  try {
    json = parsePyJson(decoded.text);
  } catch (e) {
    if (!(e instanceof PyJsonError)) throw e;
    if (e.pyType !== 'JSONDecodeError') return internal500(`${e.pyType}: ${e.message}`);
    // `if body:` — the raw bytes, so a body of spaces is a decoding failure, not an empty body
    return msg(400, decoded.empty ? 'POST body is empty. Expecting a JSON dictionary.' : `POST body could not be decoded as JSON: ${e.message}`, `JSONDecodeError: ${e.message}`);
  }
  if (!isPyDict(json)) return msg(400, 'POST body should be a JSON dictionary.');
  if (!json.has('input_data')) {
    for (const k of ['dataframe_split', 'dataframe_records', 'inputs', 'instances'])
      if (json.has(k)) sink.add('mlflow-envelope-on-azure', `'${k}' is MLflow's envelope: Azure ML needs {"input_data": …}: convert the body to the Azure ML format.`, `$.${k}`);
    return msg(400, "A value is not provided for the 'input_data' parameter.");
  }
  for (const k of json.keys()) if (k !== 'input_data' && k !== 'params') sink.add('ignored-top-level-key', `Top-level key '${k}' is ignored by Azure ML.`, `$.${k}`);

  const schema = req.signature?.inputs ?? null;
  sink.merge(built.warnings);
  const sample = built.sample;
  const inputData = json.get('input_data')!;
  let input: ModelIn;
  let rawParams: PyValue | undefined;
  try {
    ({ input, params: rawParams } = deserialize(inputData, json.get('params'), sample, flavors, req));
  } catch (e) {
    return msg(500, AZURE_GENERIC_500.message, `Encountered Exception while deserializing input_data: ${e instanceof PyError ? `${e.pyType}: ${e.message}` : e instanceof Error ? e.message : String(e)}`);
  }
  let received = input;
  if (schema) {
    try {
      received = enforceSchema(input, schema, req.version, sink);
    } catch (e) {
      const modern = req.version.era === '2.12';
      // 2.12's pyfunc wraps any exception of _enforce_schema in an MlflowException; 2.7's lets a Python one through
      if (e instanceof PyError && !modern) return msg(500, AZURE_GENERIC_500.message, `${e.pyType}: ${e.message}`);
      if (!(e instanceof MlflowErr) && !(e instanceof PyError)) throw e;
      const text = modern ? `Failed to enforce schema of data '${modelInStr(input)}' with schema '${schemaRepr(schema)}'. Error: ${e.message}` : e.message;
      return msg(500, AZURE_GENERIC_500.message, `mlflow.exceptions.MlflowException: ${text}`);
    }
  }
  let params: PyDict | null = null;
  // before MLflow 2.6, A1 calls `model.predict(input)`: params never reach MLflow
  if (inferenceParamsRead(req.version)) try {
    params = enforceParams(rawParams, req.signature?.params ?? null, sink, req.version);
  } catch (e) {
    if (!(e instanceof MlflowErr)) throw e;
    return msg(500, AZURE_GENERIC_500.message, `mlflow.exceptions.MlflowException: ${e.message}`);
  }
  return { ok: true, status: 200, body: null, bodyContentType: null, serverLog: null, input: received, params, unwrapped: true };
}

/** Per flavor list (a model context's, never mutated): what A1 reads of it, read once, not on every request. */
const flavorCache = new WeakMap<readonly string[], ScriptFlavors>();
const NO_FLAVORS = scriptFlavors([]);

function flavorsOf(names: readonly string[] | undefined): ScriptFlavors {
  if (names === undefined) return NO_FLAVORS;
  let f = flavorCache.get(names);
  if (!f) flavorCache.set(names, (f = scriptFlavors(names)));
  return f;
}

/**
 * The sample depends only on the model (its input example, signature and flavors), yet building it parses
 * the example: a scoring server would redo that on every request. Cached per example (or signature)
 * object, then per signature and flavor list, with the warnings it gave, which every request still reports.
 */
const sampleCache = new WeakMap<object, Map<Signature | null, Map<number, { sample: Sample; warnings: WarningSink }>>>();

const NO_WARNINGS = new WarningSink();

/** The request's sample and the warnings building it gave (each request reports them once it gets that far). */
function sampleFor(req: AzureRequest, flavors: ScriptFlavors): { sample: Sample; warnings: WarningSink } {
  const owner: object | null = req.inputExample ?? req.signature;
  if (owner === null) return { sample: { kind: 'none' }, warnings: NO_WARNINGS };
  // A number, not a string built per request.
  const flavorKey = +flavors.transformers | (+flavors.llm << 1) | (+flavors.hfv2 << 2);
  let bySignature = sampleCache.get(owner);
  if (!bySignature) sampleCache.set(owner, (bySignature = new Map()));
  let byFlavors = bySignature.get(req.signature);
  if (!byFlavors) bySignature.set(req.signature, (byFlavors = new Map()));
  let hit = byFlavors.get(flavorKey);
  if (!hit) {
    const warnings = new WarningSink();
    hit = { sample: buildSample(req.inputExample, req.signature, flavors, warnings), warnings };
    byFlavors.set(flavorKey, hit);
  }
  return hit;
}

/**
 * InferenceSchema's deserialization by parameter type (A3) — `input_data` first (the outer decorator), then
 * `params` — then run()'s own parsing of what stays a Python value (A1).
 */
function deserialize(data: PyValue, params: PyValue | undefined, sample: Exclude<Sample, { kind: 'import-failure' }>, flavors: ScriptFlavors, req: AzureRequest): { input: ModelIn; params: PyValue | undefined } {
  const typed = schemaInput(data, sample, req);
  // `@input_schema("params", StandardPythonParameterType(<defaults>), optional=True)` when the signature has params:
  // a falsy value is not looked at, any other must be a dict (its values are plain defaults, not parameter types)
  // (before MLflow 2.6 the signature has no params for A1 to read: mlflow-2-3-gates.ts inferenceParamsRead)
  if (req.signature?.params && inferenceParamsRead(req.version) && params !== undefined && isTruthy(params) && !isPyDict(params))
    throw new PyError('ValueError', `Invalid input data type to parse. Expected: <class 'dict'> but got ${pyClassRepr(params)}`);
  if (typed !== null && 'model' in typed) return { input: typed.model, params };
  // run(): transformers models may carry params inside input_data (the hftransformersv2 form).
  if (flavors.transformers && (params === undefined || params === null) && isPyDict(data) && data.has('parameters')) {
    params = data.get('parameters');
    const rest = new Map([...data].filter(([k]) => k !== 'parameters'));
    data = rest.size === 1 && rest.has('input_string') ? rest.get('input_string')! : rest;
  }
  return { input: flavors.llm ? llmInput(data, flavors) : traditionalInput(data, flavors, req.sink, typed?.dtypes), params };
}

/**
 * `_deserialize_input_argument` of `input_data` by the sample's parameter type: what reaches the model as is
 * (`model`: a DataFrame, an ndarray, a dict whose first value is an ndarray), or null / the named-tensor dtypes
 * already applied when run()'s own parsing follows.
 */
function schemaInput(data: PyValue, sample: Exclude<Sample, { kind: 'import-failure' }>, req: AzureRequest): { model: ModelIn } | { dtypes: Map<string, string> } | null {
  switch (sample.kind) {
    case 'frame': {
      // PandasParameterType: a list or dict goes to `pd.read_json(orient='split')`, anything else is refused.
      if (Array.isArray(data)) {
        req.sink.add('azure-records-unsupported', 'Azure reads input_data with pandas orient "split": records (a list) are not supported; send {"columns": [...], "data": [...]}.', '$.input_data');
        throw new PyError('AttributeError', "'list' object has no attribute 'items'");
      }
      if (!isPyDict(data)) throw new PyError('Exception', `Error, unable to convert input of type ${pyClassRepr(data)} into Pandas Dataframe`);
      return { model: castAzureFrame(splitFrameOf(data), sample, req.signature?.inputs ?? null, req.sink) };
    }
    case 'ndarray':
      // NumpyParameterType.deserialize_input: anything but a list is refused in its own words
      if (!Array.isArray(data)) throw new PyError('ValueError', NOT_AN_ARRAY);
      return { model: ndarrayFrom(data, sample.dtype) };
    case 'dict': {
      // StandardPythonParameterType of NumpyParameterTypes: a dict, whose keys the sample holds become ndarrays
      // (a non-list value refused); the others stay Python values
      if (!isPyDict(data)) throw new PyError('ValueError', `Invalid input data type to parse. Expected: <class 'dict'> but got ${pyClassRepr(data)}`);
      // in the sample's key order (`sample_data_type_map.items()`), not the body's: that decides which error shows
      const arrays = new Map<string, ModelIn>();
      for (const [k, dtype] of sample.dtypes) {
        const v = data.get(k);
        if (v === undefined) continue;
        if (!Array.isArray(v)) throw new PyError('ValueError', NOT_AN_ARRAY);
        arrays.set(k, ndarrayFrom(v, dtype));
      }
      // run() hands the dict to the model only when its first value is an ndarray; otherwise run()'s own parsing
      const first = data.keys().next();
      if (first.done || !arrays.has(first.value)) return { dtypes: sample.dtypes };
      return { model: { kind: 'dict', items: new Map([...data].map(([k, v]) => [k, arrays.get(k) ?? { kind: 'value', value: v }])) } };
    }
    case 'python':
      // StandardPythonParameterType: only the sample's own type passes (its values are not parameter types).
      if (sample.type === 'dict' ? !isPyDict(data) : !Array.isArray(data)) throw new PyError('ValueError', `Invalid input data type to parse. Expected: <class '${sample.type}'> but got ${pyClassRepr(data)}`);
      return null;
    case 'none':
      return null;
  }
}

/** `specs.find((s) => labelEq(s.name, label))`: spec names are strings or null, which only equal themselves. */
function columnSpecOf(specs: ColumnSpec[], label: Label): ColumnSpec | undefined {
  return typeof label === 'string' || label === null ? specsByName(specs).get(label) : undefined;
}

/** read_json(orient='split', dtype=False) turns nulls into NaN, then astype(sample dtypes) (§4.1). */
function castAzureFrame(frame: Frame, sample: Extract<Sample, { kind: 'frame' }>, schema: Schema | null, sink: WarningSink): Frame {
  // A loop and a function per column, not a callback: every request passes here once per column. push, not a
  // pre-sized array: that one would stay holey, slower for every later reader of the columns.
  const columns: Column[] = [];
  for (let k = 0; k < frame.columns.length; k++) columns.push(castAzureColumn(frame.columns[k]!, sample, schema, sink));
  return { ...frame, columns };
}

function castAzureColumn(col: Column, sample: Extract<Sample, { kind: 'frame' }>, schema: Schema | null, sink: WarningSink): Column {
  // The sample's keys are strings, and labelEq(string, x) is x === string: a plain lookup.
  const target = typeof col.name === 'string' ? sample.dtypes.get(col.name) : undefined;
  const c = nullsToNaN(col);
  // The column's printed name only goes into warnings: made when one is given.
  if (c !== col && target === 'bool')
    for (let r = 0; r < col.values.length; r++) if (col.values[r] === null) sink.add('azure-null-to-true', `Column '${pyStr(col.name)}' row ${r}: Azure reads null as NaN, which becomes True in a boolean column (MLflow's server would give False).`, col.path(r));
  if (!target) {
    if (schema?.kind === 'columns') sink.add('azure-unknown-column-object', `Column '${pyStr(col.name)}' is not in the sample: Azure gives it dtype object.`, col.path(0));
    return astypeColumn(c, 'object', null);
  }
  const spec = schema?.kind === 'columns' ? columnSpecOf(schema.columns, col.name) : undefined;
  if (spec?.type.type === 'string') {
    const out = astypeColumn(c, target, sink);
    warnNonStrings(out, sink);
    return out;
  }
  if (spec?.type.type === 'binary') sink.add('azure-binary-not-decoded', `Column '${pyStr(col.name)}' is binary: Azure leaves the base64 text as a string (MLflow's server decodes it to bytes).`, col.path(0));
  return astypeColumn(c, target, sink);
}
