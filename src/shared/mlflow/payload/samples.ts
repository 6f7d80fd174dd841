/**
 * Ready-to-send sample requests for a model, one per server (issue 3 "Sample payloads"): MLflow's own
 * serving_input_example.json when there is one (payloads.md §1, MLflow ≥ 2.15), else input_example.json
 * wrapped in the envelope it needs, else a body generated from the signature. The Azure ML sample is the
 * same data converted to `input_data` (§4). Every candidate is run through `validateRequest`; one the
 * emulated server would refuse is skipped and the note says why.
 */
import type { ColType, OnnxValueInfo, Signature, TensorSpec } from '../model-report';
import { dumpPyJson, fromPlain, isPyDict, parsePyJson, PyFloat, type PyDict, type PyValue } from './py-json';
import { convertRequest } from './convert';
import { validateRequest, type ServerKind, type ValidationResult } from './validate';
import { normaliseDtype } from './frame';
import { LLM_KEYS, wouldNotStart } from './mlflow-server';
import { resolveMlflowVersion, speaksMlflow1, versionInfo } from './version';

export type { Sample, SamplePayloads } from './answers';
import type { Sample, SamplePayloads } from './answers';

export interface SamplePayloadsInput {
  signature: Signature | null;
  /** input_example.json: its form (model-report InputExample.form), parsed content and, best, raw text. */
  inputExample: { form: string; content: unknown; text?: string; savedType?: string | null } | null;
  /** serving_input_example.json (MLflow ≥ 2.15). */
  servingInputExample: { content: unknown; text?: string } | null;
  /** MLmodel's flavor names, for Azure's check. */
  flavors?: readonly string[];
  /** MLmodel's `mlflow_version` and the requirements' exact mlflow pin: the MLflow server whose form the sample takes. */
  mlmodelVersion?: string | null;
  requirementsPin?: string | null;
  /** The MLflow version the servers run instead of the pin (`--mlflow-version`, the playground's choice); checked by the caller. */
  mlflowVersion?: string | null;
  /** The graph inputs of the model's ONNX file, for a model whose signature says nothing of its inputs. */
  onnxInputs?: readonly OnnxValueInfo[] | null;
}

interface Candidate {
  body: string;
  source: Sample['source'];
  what: string;
}

const JSON_CT = 'application/json';

/** The raw text keeps `1` vs `1.0` apart (pandas' dtype depends on it, §4); content is the fallback. */
function valueOf(ex: { content: unknown; text?: string }): PyValue | null {
  if (ex.text !== undefined) {
    try {
      return parsePyJson(ex.text);
    } catch {
      return null;
    }
  }
  return ex.content === undefined || ex.content === null ? null : fromPlain(ex.content);
}

const withParams = (body: PyDict, params: PyValue | undefined): PyDict => {
  if (params !== undefined && params !== null) body.set('params', params);
  return body;
};

/** input_example.json in the envelope MLflow's server needs (payloads.md §1 "Input examples"). */
function bodyFromExample(ex: NonNullable<SamplePayloadsInput['inputExample']>, sig: Signature | null): PyDict | null {
  const v = valueOf(ex);
  if (v === null) return null;
  // With params MLflow saves {"inputs": <data>, "params": {...}} (S3 `_Example`)
  let data: PyValue = v;
  let params: PyValue | undefined;
  if (isPyDict(v) && v.has('inputs') && isPyDict(v.get('params'))) {
    data = v.get('inputs')!;
    params = v.get('params');
  }
  switch (ex.form) {
    case 'serving-body':
      return isPyDict(v) ? v : null;
    case 'dataframe-split':
    case 'legacy-split': {
      if (!isPyDict(data)) return null;
      if (data.has('dataframe_split')) return withParams(new Map([['dataframe_split', data.get('dataframe_split')!]]), params);
      const split: PyDict = new Map([...data].filter(([k]) => k === 'columns' || k === 'data' || k === 'index'));
      return split.has('data') ? withParams(new Map([['dataframe_split', split]]), params) : null;
    }
    case 'dataframe-values': {
      if (!Array.isArray(data)) return null;
      const split: PyDict = new Map();
      const cols = sig?.inputs?.kind === 'columns' && sig.inputs.columns.every((c) => c.name !== null) ? sig.inputs.columns.map((c) => c.name!) : null;
      const width = Array.isArray(data[0]) ? data[0].length : 1;
      if (cols && cols.length === width) split.set('columns', cols);
      split.set('data', data);
      return withParams(new Map([['dataframe_split', split]]), params);
    }
    case 'tf-serving':
      return isPyDict(v) && v.has('inputs') ? v : null;
    case 'ndarray':
    case 'named-ndarrays':
      return withParams(new Map([['inputs', data]]), params);
    case 'json-object':
      // unified-LLM dicts are sent as they are, params merged in (§1 serving_input_example)
      if (isPyDict(data) && LLM_KEYS.some((k) => data.has(k))) return new Map([...data, ...(isPyDict(params) ? params : [])]);
      return withParams(new Map([['inputs', data]]), params);
    default:
      return null;
  }
}

// ---- generated from the signature ------------------------------------------------------------------

/** A plausible value for a column type. Floats are written 1.0 so a float64 reading keeps them doubles. */
function colValue(t: ColType): PyValue {
  switch (t.type) {
    case 'boolean': return true;
    case 'integer': case 'long': return 1;
    case 'float': case 'double': return new PyFloat(1);
    case 'string': return 'text';
    case 'binary': return 'aGVsbG8='; // base64 of "hello": MLflow decodes binary columns (§2.1)
    case 'datetime': return '2024-01-01T00:00:00';
    case 'array': return [colValue(t.items)];
    case 'object': return new Map(Object.entries(t.properties).map(([k, p]) => [k, colValue(p.type)]));
    case 'map': return new Map([['key', colValue(t.values)]]);
    case 'any': return 'value';
    case 'sparkml_vector': return [new PyFloat(1)];
  }
}

function tensorScalar(dtype: string): PyValue {
  const d = normaliseDtype(dtype);
  if (/^float|^complex|longdouble/.test(d)) return new PyFloat(1);
  if (/^u?int/.test(d)) return 1;
  if (d === 'bool') return true;
  if (d.startsWith('datetime64')) return '2024-01-01T00:00:00';
  return 'text';
}

/** Nested list of the spec's shape, every -1 (variable) dimension taken as 1. */
function tensorValue(spec: TensorSpec): PyValue {
  let v: PyValue = tensorScalar(spec.dtype);
  for (let k = spec.shape.length - 1; k >= 0; k--) {
    const n = spec.shape[k]! < 0 ? 1 : spec.shape[k]!;
    const inner = v;
    v = Array.from({ length: n }, () => (Array.isArray(inner) ? structuredCopy(inner) : inner));
  }
  return v;
}

const structuredCopy = (v: PyValue[]): PyValue[] => v.map((x) => (Array.isArray(x) ? structuredCopy(x) : x));

function paramsSample(sig: Signature | null): PyDict | undefined {
  const specs = sig?.params ?? [];
  if (specs.length === 0) return undefined;
  return new Map(specs.map((p) => [p.name, p.default === undefined ? null : fromPlain(p.default)]));
}

function bodyFromSignature(sig: Signature): PyDict | null {
  const s = sig.inputs;
  const params = paramsSample(sig);
  if (!s) return params ? withParams(new Map([['inputs', [1]]]), params) : null;
  if (s.kind === 'columns') {
    const split: PyDict = new Map();
    if (s.columns.every((c) => c.name !== null)) split.set('columns', s.columns.map((c) => c.name!));
    split.set('data', [s.columns.map((c) => colValue(c.type))]);
    return withParams(new Map([['dataframe_split', split]]), params);
  }
  const value: PyValue = s.tensors.length === 1 && s.tensors[0]!.name === null ? tensorValue(s.tensors[0]!) : new Map(s.tensors.map((t) => [t.name ?? '', tensorValue(t)]));
  return withParams(new Map([['inputs', value]]), params);
}

/** ONNX element type names (`tensor(float)`) as the numpy dtypes MLflow's onnx flavor feeds. */
const ONNX_DTYPES: Record<string, string> = { float: 'float32', double: 'float64', string: 'str' };
/** More values than an editor shows usefully (an image model's 1×3×240×320 input): no sample from the graph then. */
const MAX_ONNX_SAMPLE_VALUES = 100_000;

/**
 * `{"inputs": {<name>: <a tensor of the input's shape>}}` from an ONNX graph's inputs — what MLflow's onnx flavor feeds
 * by name — for a model with no signature (a bare .onnx file, an onnx model logged without one): every value 1 (1.0 for
 * floats, so the tensor has the input's element type), symbolic and dynamic dimensions as 1. Null when an input is not
 * a tensor of known rank, or the values would not fit an editor.
 */
function bodyFromOnnxInputs(inputs: readonly OnnxValueInfo[]): PyDict | null {
  if (inputs.length === 0) return null;
  const tensors = new Map<string, PyValue>();
  let total = 0;
  for (const i of inputs) {
    if (i.type.kind !== 'tensor' || i.type.shape === null) return null;
    const shape = i.type.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1));
    total += shape.reduce<number>((n, d) => n * (d < 0 ? 1 : d), 1);
    if (total > MAX_ONNX_SAMPLE_VALUES) return null;
    tensors.set(i.name, tensorValue({ name: i.name, dtype: ONNX_DTYPES[i.type.elemType] ?? i.type.elemType, shape }));
  }
  return new Map([['inputs', tensors]]);
}

// ---- choosing ----------------------------------------------------------------------------------------

/** A 2.x envelope as MLflow 1.x takes it: `dataframe_split`'s dict or `dataframe_records`' list bare (params dropped); other bodies as they are. */
function mlflow1Body(body: string): string {
  let v: PyValue;
  try {
    v = parsePyJson(body);
  } catch {
    return body;
  }
  if (!isPyDict(v)) return body;
  const frame = v.get('dataframe_split') ?? v.get('dataframe_records');
  return frame === undefined ? body : dumpPyJson(frame);
}

const PLACEHOLDER = '{"dataframe_split": {"columns": ["x"], "data": [[1.0]]}}';

function refusal(r: ValidationResult): string {
  if (r.status === 0) return wouldNotStart(r.server);
  const text = typeof r.body === 'string' ? r.body : (r.body as { message?: string } | null)?.message ?? '';
  const inner = r.server_log ?? text;
  return `${r.status}: ${inner.length > 160 ? inner.slice(0, 157) + '…' : inner}`;
}

/** Sample requests for both servers; never throws. */
export function samplePayloads(input: SamplePayloadsInput): SamplePayloads {
  const sig = input.signature;
  const ex = input.inputExample;
  const azureExample = ex ? { form: ex.form, content: ex.content, ...(ex.text !== undefined ? { text: ex.text } : {}), ...(ex.savedType !== undefined ? { savedType: ex.savedType } : {}) } : null;
  const versions = { mlmodelVersion: input.mlmodelVersion ?? null, requirementsPin: input.requirementsPin ?? null };
  const check = (body: string, server: ServerKind): ValidationResult =>
    validateRequest({ body, contentType: JSON_CT, server, mlflowVersion: input.mlflowVersion ?? null, ...versions, signature: sig, inputExample: azureExample, flavors: input.flavors ?? [] });
  const version = resolveMlflowVersion(versions.mlmodelVersion, versions.requirementsPin, input.mlflowVersion ?? null);
  const mlflow1 = speaksMlflow1(version);
  /** The body in the form the model's MLflow server takes: 1.x servers read a bare split dict or a records list (no envelope, no params). */
  const forMlflow = (body: string): string => (mlflow1 ? mlflow1Body(body) : body);

  const candidates: Candidate[] = [];
  if (input.servingInputExample) {
    const v = valueOf(input.servingInputExample);
    const text = input.servingInputExample.text ?? (v === null ? null : dumpPyJson(v));
    if (text !== null && v !== null) candidates.push({ body: text, source: 'serving_input_example', what: "serving_input_example.json, MLflow's own ready-to-send body for this model" });
  }
  if (ex) {
    const b = bodyFromExample(ex, sig);
    if (b) candidates.push({ body: dumpPyJson(b), source: 'input_example', what: `input_example.json (${ex.form}) in the envelope MLflow's server needs` });
  }
  if (sig) {
    const b = bodyFromSignature(sig);
    if (b) candidates.push({ body: dumpPyJson(b), source: 'signature', what: `generated from the signature (one row of plausible values${sig.params?.length ? ', params at their defaults' : ''}): replace the values with real data` });
  }
  if (!sig?.inputs && input.onnxInputs) {
    const b = bodyFromOnnxInputs(input.onnxInputs);
    if (b) candidates.push({ body: dumpPyJson(b), source: 'signature', what: "generated from the ONNX graph's inputs (the model has no signature; every value 1, dynamic dimensions as 1): replace the values with real data" });
  }
  if (candidates.length === 0)
    candidates.push({ body: PLACEHOLDER, source: 'none', what: 'a placeholder: the model has no signature and no input example, so nothing says what it takes; replace it with your data' });

  const skipped: string[] = [];
  let mlflow: Sample | null = null;
  let chosen = 0;
  for (let k = 0; k < candidates.length && !mlflow; k++) {
    const c = candidates[k]!;
    const body = forMlflow(c.body);
    const r = check(body, 'mlflow');
    // A server that never starts refuses every candidate alike: the first (the model's own example) stays.
    if (r.ok || r.status === 0 || k === candidates.length - 1) {
      chosen = k;
      const caveat = r.ok ? '' : ` Note: the emulated MLflow ${r.mlflow_version.version} server refuses it too (${refusal(r)}).`;
      const form = body === c.body ? '' : ` Written in MLflow ${r.mlflow_version.version}'s form: before 2.0 the server reads a bare pandas split dict or a list of records, with no envelope key and no params.`;
      mlflow = { body, contentType: JSON_CT, source: c.source, note: `From ${c.what}.${form}${skippedText(skipped)}${caveat}` };
    } else skipped.push(`${c.source === 'serving_input_example' ? 'serving_input_example.json' : c.source === 'input_example' ? 'input_example.json' : 'the signature'} would be refused (${refusal(r)})`);
  }

  // Azure: the same data converted to input_data. When Azure would refuse it, a later candidate Azure
  // accepts is used instead; when none is accepted, the MLflow sample's own data is kept and the note says
  // what Azure answers (e.g. an input example whose dtypes break every request, §4).
  const azSkipped: string[] = [];
  const convert = (c: Candidate) => convertRequest({ body: c.body, contentType: JSON_CT, to: 'azureml', fromServer: 'mlflow', signature: sig });
  const azureSample = (c: Candidate, conv: Extract<ReturnType<typeof convert>, { ok: true }>, r: ValidationResult, skipped: string[]): Sample => {
    const extra = [...conv.notes, ...conv.warnings.map((w) => w.message)].join(' ');
    const caveat = r.ok
      ? ''
      : r.status === 0
        ? ` Note: no body gets an answer — ${r.server_log ?? `${wouldNotStart('azureml')}.`}`
        : ` Note: the emulated Azure endpoint refuses every candidate; this one gets ${refusal(r)}.`;
    return { body: conv.body, contentType: JSON_CT, source: c.source, note: `From ${c.what}, converted to Azure ML's {"input_data": …}.${extra ? ' ' + extra : ''}${skippedText(skipped)}${caveat}` };
  };
  let azureml: Sample | null = null;
  for (let k = chosen; k < candidates.length && !azureml; k++) {
    const c = candidates[k]!;
    const conv = convert(c);
    if (!conv.ok) {
      azSkipped.push(`the ${c.source.replace(/_/g, ' ')} body has no Azure form (${conv.error.message})`);
      continue;
    }
    const r = check(conv.body, 'azureml');
    if (r.ok || r.status === 0) azureml = azureSample(c, conv, r, azSkipped);
    else azSkipped.push(`the ${c.source.replace(/_/g, ' ')} body would be refused (${refusal(r)})`);
  }
  if (!azureml) {
    const c = candidates[chosen]!;
    const conv = convert(c);
    azureml = conv.ok
      ? azureSample(c, conv, check(conv.body, 'azureml'), [])
      : { body: '{"input_data": []}', contentType: JSON_CT, source: c.source, note: `No Azure ML body could be made from ${c.what}: ${conv.error.message}` };
  }
  return { mlflow: mlflow!, azureml: azureml!, mlflow_version: versionInfo(version) };
}

const skippedText = (skipped: string[]): string => (skipped.length ? ` Not used: ${skipped.join('; ')}.` : '');
