/**
 * Azure ML managed online endpoint, no-code MLflow (payloads.md §4): azureml-inference-server's request
 * checks, then `mlflow_score_script.py`, whose InferenceSchema sample — from input_example.json when
 * present, else from the signature — decides how `input_data` is parsed, then MLflow's own enforcement.
 * Every failure after the envelope checks is the generic 500; the real error goes to `serverLog`.
 */
import type { ColumnSpec, Schema, Signature } from '../model-report';
import { fromPlain, isPyDict, parsePyJson, PyJsonError, type PyDict, type PyValue } from './py-json';
import { pyClassRepr, pyStr, pyTypeName } from './py-repr';
import { astypeColumn, frameFromSplit, ndarrayFrom, PyError, warnNonStrings, type Column, type Frame, type Label } from './frame';
import { enforceParams, enforceSchema, MlflowErr, pandasDtypeOf, schemaRepr } from './enforce';
import { modelInStr, type ModelIn } from './model-input';
import type { ServerOutcome } from './mlflow-server';
import { WarningSink } from './warnings';
import type { EmulatedVersion } from './version';
import { lossyText } from '../../text/body-bytes';

export interface InputExampleLike {
  /** As in model-report's InputExample.form: `dataframe-split`, `dataframe-values`, `legacy-split`, `tf-serving`, `ndarray`, … */
  form: string;
  /** Parsed content (JSON.parse); ints and floats are told apart only when `text` is given. */
  content?: unknown;
  /** The file's raw text: preferred, because Python's dtype inference depends on `1` vs `1.0`. */
  text?: string;
}

export const AZURE_GENERIC_500 = { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' };

const msg = (status: number, message: string, log: string | null = null): ServerOutcome => ({
  ok: false, status, body: { message }, bodyContentType: 'application/json', serverLog: log, input: null, params: null, unwrapped: false,
});

type Sample = { kind: 'frame'; dtypes: Map<string, string>; fromExample: boolean } | { kind: 'ndarray'; dtype: string; fromExample: boolean } | { kind: 'dict'; dtypes: Map<string, string>; fromExample: boolean } | { kind: 'none' };

export interface AzureRequest {
  body: string;
  contentType: string | null;
  signature: Signature | null;
  inputExample: InputExampleLike | null;
  version: EmulatedVersion;
  sink: WarningSink;
}

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

export function serveAzure(raw: AzureRequest): ServerOutcome {
  // Bytes that were not UTF-8 (kept by `decodeBodyBytes`) read as U+FFFD here, as before.
  const req = { ...raw, body: lossyText(raw.body) };
  const { sink } = req;
  if (!isJsonMime(req.contentType)) {
    if (req.contentType?.split(';')[0]?.trim() === 'text/csv') sink.add('azure-no-csv', 'Azure online endpoints do not take CSV ("Use batch inferencing"): send {"input_data": {"columns": [...], "data": [...]}}.', '$');
    return msg(415, 'Expects Content-Type to be application/json');
  }
  if (req.body.trim() === '') return msg(400, 'POST body is empty. Expecting a JSON dictionary.');
  let json: PyValue;
  try {
    json = parsePyJson(req.body);
  } catch (e) {
    if (!(e instanceof PyJsonError)) throw e;
    return msg(e.pyType === 'JSONDecodeError' ? 400 : 500, e.pyType === 'JSONDecodeError' ? `POST body could not be decoded as JSON: ${e.message}` : AZURE_GENERIC_500.message, `${e.pyType}: ${e.message}`);
  }
  if (!isPyDict(json)) return msg(400, 'POST body should be a JSON dictionary.');
  if (!json.has('input_data')) {
    for (const k of ['dataframe_split', 'dataframe_records', 'inputs', 'instances'])
      if (json.has(k)) sink.add('mlflow-envelope-on-azure', `'${k}' is MLflow's envelope: Azure ML needs {"input_data": …}: convert the body to the Azure ML format.`, `$.${k}`);
    return msg(400, "A value is not provided for the 'input_data' parameter.");
  }
  for (const k of json.keys()) if (k !== 'input_data' && k !== 'params') sink.add('ignored-top-level-key', `Top-level key '${k}' is ignored by Azure ML.`, `$.${k}`);

  const schema = req.signature?.inputs ?? null;
  if (schema?.kind === 'columns' && schema.columns.some((c) => ['array', 'object', 'map', 'any', 'sparkml_vector'].includes(c.type.type))) {
    const bad = schema.columns.filter((c) => ['array', 'object', 'map', 'any', 'sparkml_vector'].includes(c.type.type)).map((c) => `${c.name ?? '(unnamed)'}: ${c.display}`);
    return {
      ok: false, status: 0, body: null, bodyContentType: null, input: null, params: null, unwrapped: false,
      serverLog: `mlflow_score_script.py fails at import (${importFailure(schema.columns)} while building the sample for ${bad.join(', ')}): the deployment never starts, so no request gets an answer.`,
    };
  }

  const sample = chooseSample(req);
  const inputData = json.get('input_data')!;
  let input: ModelIn;
  try {
    input = deserialize(inputData, sample, req);
  } catch (e) {
    return msg(500, AZURE_GENERIC_500.message, `Encountered Exception while deserializing input_data: ${e instanceof PyError ? `${e.pyType}: ${e.message}` : e instanceof Error ? e.message : String(e)}`);
  }
  let received = input;
  if (schema) {
    try {
      received = enforceSchema(input, schema, req.version, sink);
    } catch (e) {
      if (!(e instanceof MlflowErr)) throw e;
      const text = req.version.era === '2.12' ? `Failed to enforce schema of data '${modelInStr(input)}' with schema '${schemaRepr(schema)}'. Error: ${e.message}` : e.message;
      return msg(500, AZURE_GENERIC_500.message, `mlflow.exceptions.MlflowException: ${text}`);
    }
  }
  let params: PyDict | null;
  try {
    params = enforceParams(json.get('params'), req.signature?.params ?? null, sink, req.version);
  } catch (e) {
    if (!(e instanceof MlflowErr)) throw e;
    return msg(500, AZURE_GENERIC_500.message, `mlflow.exceptions.MlflowException: ${e.message}`);
  }
  return { ok: true, status: 200, body: null, bodyContentType: null, serverLog: null, input: received, params, unwrapped: true };
}

/**
 * A1 create_other_sample_io (after `pandas_types()` refused the complex column): each column sets
 * `sample_input` by its type, and a complex one sets nothing — so a complex *first* column leaves it unbound
 * (UnboundLocalError), while after a scalar one the dict of scalars reaches `NumpyParameterType(42)`, which
 * raises "Invalid sample input provided, must provide a sample Numpy array." (inference_schema).
 */
function importFailure(columns: readonly ColumnSpec[]): string {
  const scalar = ['boolean', 'string', 'integer', 'long', 'float', 'double'];
  // (an unnamed first column takes the list branch instead; kept as the UnboundLocalError it was — not re-checked)
  if (columns[0]?.name === null || columns[0]?.name === undefined) return 'UnboundLocalError';
  return scalar.includes(columns[0].type.type) ? 'Exception: Invalid sample input provided, must provide a sample Numpy array.' : "UnboundLocalError: local variable 'sample_input' referenced before assignment";
}

function exampleValue(ex: InputExampleLike): PyValue | null {
  try {
    if (ex.text !== undefined) return parsePyJson(ex.text);
  } catch {
    return null;
  }
  return ex.content === undefined ? null : fromPlain(ex.content);
}

/**
 * The sample depends only on the model (its input example and signature), yet building it parses the
 * example: a scoring server would redo that on every request. Cached per example (or signature)
 * object, with the warnings it gave, which every request still reports.
 */
const sampleCache = new WeakMap<object, Map<Signature | null, { sample: Sample; warnings: WarningSink }>>();

function chooseSample(req: AzureRequest): Sample {
  const owner: object | null = req.inputExample ?? req.signature;
  if (owner === null) return { kind: 'none' };
  let bySignature = sampleCache.get(owner);
  let hit = bySignature?.get(req.signature);
  if (!hit) {
    const warnings = new WarningSink();
    hit = { sample: buildSample(req.inputExample, req.signature, warnings), warnings };
    if (!bySignature) sampleCache.set(owner, (bySignature = new Map()));
    bySignature.set(req.signature, hit);
  }
  req.sink.merge(hit.warnings);
  return hit.sample;
}

/** A1: the sample comes from input_example.json (dataframe, or the pre-2.16 `{"inputs": …}` ndarray) if present. */
function buildSample(ex: InputExampleLike | null, signature: Signature | null, sink: WarningSink): Sample {
  const schema = signature?.inputs ?? null;
  if (ex) {
    const v = exampleValue(ex);
    const isFrame = ['dataframe-split', 'dataframe-values', 'legacy-split'].includes(ex.form);
    if (isFrame && v !== null) {
      try {
        const content = isPyDict(v) && v.has('dataframe_split') ? v.get('dataframe_split')! : v;
        const frame = isPyDict(content) ? frameFromSplit(content.get('data') ?? [], content.get('columns'), undefined, '$example') : frameFromSplit(content, undefined, undefined, '$example');
        const dtypes = new Map(frame.columns.map((c) => [pyStr(c.name), c.dtype] as const));
        if (schema?.kind === 'columns')
          for (const c of schema.columns) {
            const exDt = c.name !== null ? dtypes.get(c.name) : undefined;
            if (exDt && exDt !== pandasDtypeOf(c.type))
              sink.add('azure-example-dtypes', `Azure parses column '${c.name}' as ${exDt} because input_example.json holds ${exDt} values there; the signature says ${c.type.type} (${pandasDtypeOf(c.type)}). The example, not the signature, sets the dtype.`, `$.input_data.columns`);
          }
        return { kind: 'frame', dtypes, fromExample: true };
      } catch {
        // an unreadable example: fall back to the signature like a missing one would not; we say so
        sink.add('azure-example-unreadable', 'input_example.json could not be read as a DataFrame; the real script would fail at import.', '$');
      }
    }
    if (ex.form === 'tf-serving' && isPyDict(v) && v.has('inputs')) {
      const inputs = v.get('inputs')!;
      try {
        if (isPyDict(inputs)) {
          const dtypes = new Map([...inputs].map(([k, x]) => [k, ndarrayFrom(x, null).dtype] as const));
          return { kind: 'dict', dtypes, fromExample: true };
        }
        const dt = ndarrayFrom(inputs, null).dtype;
        if (schema?.kind === 'tensors' && schema.tensors[0] && schema.tensors[0].dtype !== dt)
          sink.add('azure-example-dtypes', `Azure builds the sample from the old-format input example (${dt}) while the signature says ${schema.tensors[0].dtype}: MLflow then rejects every request.`, '$.input_data');
        return { kind: 'ndarray', dtype: dt, fromExample: true };
      } catch {
        /* fall through to the signature */
      }
    }
  }
  if (!schema) return { kind: 'none' };
  if (schema.kind === 'columns') return { kind: 'frame', dtypes: new Map(schema.columns.map((c, k) => [c.name ?? String(k), pandasDtypeOf(c.type)])), fromExample: false };
  if (schema.tensors.length === 1 && schema.tensors[0]!.name === null) return { kind: 'ndarray', dtype: schema.tensors[0]!.dtype, fromExample: false };
  return { kind: 'dict', dtypes: new Map(schema.tensors.map((t) => [t.name!, t.dtype])), fromExample: false };
}

function deserialize(data: PyValue, sample: Sample, req: AzureRequest): ModelIn {
  const schema: Schema | null = req.signature?.inputs ?? null;
  switch (sample.kind) {
    case 'frame': {
      if (!isPyDict(data))
        throw new PyError('Exception', `Invalid input data type to parse. Expected: <class 'dict'> but got ${pyClassRepr(data)}${Array.isArray(data) ? ' (records are not supported by Azure: send {"columns": [...], "data": [...]})' : ''}`);
      const extra = [...data.keys()].filter((k) => !['columns', 'index', 'data'].includes(k));
      if (extra.length) throw new PyError('ValueError', `JSON data had unexpected key(s): ${extra.join(', ')}`);
      if (!data.has('data')) throw new PyError('KeyError', "'data'");
      const frame = frameFromSplit(data.get('data')!, data.get('columns'), data.get('index'), '$.input_data');
      return castAzureFrame(frame, sample, schema, req.sink);
    }
    case 'ndarray': {
      if (!Array.isArray(data)) throw new PyError('Exception', `Invalid input data type to parse. Expected: <class 'list'> but got ${pyClassRepr(data)}`);
      return ndarrayFrom(data, sample.dtype);
    }
    case 'dict': {
      if (!isPyDict(data)) throw new PyError('Exception', `Invalid input data type to parse. Expected: <class 'dict'> but got ${pyClassRepr(data)}`);
      const items = new Map<string, ModelIn>();
      for (const [k, v] of data) items.set(k, sample.dtypes.has(k) ? ndarrayFrom(v, sample.dtypes.get(k)!) : { kind: 'value', value: v });
      return { kind: 'dict', items };
    }
    case 'none': {
      // A1 parse_model_input_from_input_data_traditional (§4): a string is json.loads'ed first (not JSON →
      // JSONDecodeError); `'input_data' in x` needs a container (a number or null → TypeError) and unwraps a
      // dict's own 'input_data'; what is neither list nor dict then meets `.items()` (AttributeError). All → 500.
      if (typeof data === 'string') {
        try {
          data = parsePyJson(data);
        } catch (e) {
          throw e instanceof PyJsonError ? new PyError(e.pyType, e.message) : e;
        }
      }
      if (data === null || (typeof data !== 'string' && !Array.isArray(data) && !isPyDict(data))) throw new PyError('TypeError', `argument of type '${pyTypeName(data)}' is not iterable`);
      if (isPyDict(data) && data.has('input_data')) data = data.get('input_data')!;
      if (Array.isArray(data)) return ndarrayFrom(data, null);
      if (!isPyDict(data)) throw new PyError('AttributeError', `'${pyTypeName(data)}' object has no attribute 'items'`);
      {
        if (data.has('columns') && data.has('index') && data.has('data')) return frameFromSplit(data.get('data')!, data.get('columns'), data.get('index'), '$.input_data');
        if (data.has('columns') || data.has('data'))
          req.sink.add('azure-split-needs-index', 'Without a signature Azure reads a dict as a split DataFrame only when it has all of "columns", "index" and "data"; this one becomes named tensors {key: array}.', '$.input_data');
        const items = new Map<string, ModelIn>();
        for (const [k, v] of data) items.set(k, ndarrayFrom(v, null));
        return { kind: 'dict', items };
      }
    }
  }
}

/** Per signature: its first column spec of each name (string or null), for `labelEq` lookups. */
const specIndex = new WeakMap<ColumnSpec[], Map<string | null, ColumnSpec>>();

/** `specs.find((s) => labelEq(s.name, label))`: spec names are strings or null, which only equal themselves. */
function columnSpecOf(specs: ColumnSpec[], label: Label): ColumnSpec | undefined {
  if (typeof label !== 'string' && label !== null) return undefined;
  let index = specIndex.get(specs);
  if (!index) {
    index = new Map();
    for (const s of specs) if (!index.has(s.name)) index.set(s.name, s);
    specIndex.set(specs, index);
  }
  return index.get(label);
}

/** read_json(orient='split', dtype=False) turns nulls into NaN, then astype(sample dtypes) (§4.1). */
function castAzureFrame(frame: Frame, sample: Extract<Sample, { kind: 'frame' }>, schema: Schema | null, sink: WarningSink): Frame {
  const columns: Column[] = frame.columns.map((col) => {
    const name = pyStr(col.name);
    // The sample's keys are strings, and labelEq(string, x) is x === string: a plain lookup.
    const target = typeof col.name === 'string' ? sample.dtypes.get(col.name) : undefined;
    // includes() is native and returns at once on a column of doubles; a per-cell callback is not.
    const hadNull = col.values.includes(null);
    let c = col;
    if (hadNull) {
      const values = col.values.map((v) => (v === null ? NaN : v));
      const numeric = values.every((v) => typeof v === 'number');
      c = { ...col, values, dtype: numeric ? 'float64' : col.dtype };
      if (target === 'bool') for (let r = 0; r < col.values.length; r++) if (col.values[r] === null) sink.add('azure-null-to-true', `Column '${name}' row ${r}: Azure reads null as NaN, which becomes True in a boolean column (MLflow's server would give False).`, col.path(r));
    }
    if (!target) {
      if (schema?.kind === 'columns') sink.add('azure-unknown-column-object', `Column '${name}' is not in the sample: Azure gives it dtype object.`, col.path(0));
      return astypeColumn(c, 'object', null);
    }
    const spec = schema?.kind === 'columns' ? columnSpecOf(schema.columns, col.name) : undefined;
    if (spec?.type.type === 'string') {
      const out = astypeColumn(c, target, sink);
      warnNonStrings(out, sink);
      return out;
    }
    if (spec?.type.type === 'binary') sink.add('azure-binary-not-decoded', `Column '${name}' is binary: Azure leaves the base64 text as a string (MLflow's server decodes it to bytes).`, col.path(0));
    return astypeColumn(c, target, sink);
  });
  return { ...frame, columns };
}
