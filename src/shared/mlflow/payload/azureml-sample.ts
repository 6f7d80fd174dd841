/**
 * How Azure's no-code MLflow scoring script (A1 `mlflow_score_script.py`, payloads.md §4) chooses the
 * InferenceSchema parameter type of `input_data` at import — or fails there, so the deployment never
 * starts. Every branch below was run with the real script (docs/fidelity.md "Azure's scoring script").
 *
 * A1's order: (1) the sample from the example MLmodel's `saved_input_example_info` names, by its `type`;
 * (2) `get_samples_from_signature`, which replaces it for transformers models with a string or named
 * column signature and otherwise fills it only when (1) gave none; the output sample is always built;
 * (3) `get_parameter_type` turns the sample into a parameter type.
 */
import type { ColumnSpec, Schema, Signature } from '../model-report';
import { COMPLEX_TYPES } from '../signature';
import { fromPlain, isPyDict, parsePyJson, type PyValue } from './py-json';
import { pyStr } from './py-repr';
import { frameFromSplit, ndarrayFrom } from './frame';
import { pandasDtypeOf } from './enforce';
import type { WarningSink } from './warnings';

export interface InputExampleLike {
  /** As in model-report's InputExample.form: `dataframe-split`, `dataframe-values`, `legacy-split`, `tf-serving`, `ndarray`, … */
  form: string;
  /** Parsed content (JSON.parse); ints and floats are told apart only when `text` is given. */
  content?: unknown;
  /** The file's raw text: preferred, because Python's dtype inference depends on `1` vs `1.0`. */
  text?: string;
  /**
   * MLmodel `saved_input_example_info.type` when this file is the one it names; null when MLmodel names
   * no example (A1 then never reads the file). Absent: judged from `form`.
   */
  savedType?: string | null;
}

/** The flavor facts A1 reads from MLmodel (`"transformers" in model.flavors`, …). */
export interface ScriptFlavors {
  transformers: boolean;
  /** transformers, langchain or openai: run() parses python values with the LLM parser. */
  llm: boolean;
  hfv2: boolean;
}

export function scriptFlavors(names: readonly string[] | undefined): ScriptFlavors {
  const has = (n: string): boolean => names?.includes(n) ?? false;
  return { transformers: has('transformers'), llm: has('transformers') || has('langchain') || has('openai'), hfv2: has('hftransformersv2') };
}

export type Sample =
  | { kind: 'frame'; dtypes: Map<string, string>; fromExample: boolean }
  | { kind: 'ndarray'; dtype: string; fromExample: boolean }
  | { kind: 'dict'; dtypes: Map<string, string>; fromExample: boolean }
  /** NoSampleParameterType: input_data passes as it is to run()'s own parsing. */
  | { kind: 'none' }
  /** StandardPythonParameterType of a plain dict or list: input_data must be of that type, then run()'s parsing. */
  | { kind: 'python'; type: 'dict' | 'list' }
  /** The script raised at import: the deployment never starts. */
  | ImportFailure;

export interface ImportFailure {
  kind: 'import-failure';
  /** What the user has to change: the saved example, the input columns, or the output columns. */
  cause: 'example' | 'input-columns' | 'output-columns';
  /** Python's exception line, e.g. `Exception: Invalid sample input provided, …`. */
  error: string;
  why: string;
}

const INVALID_NUMPY_SAMPLE = 'Exception: Invalid sample input provided, must provide a sample Numpy array.';
/** Python ≥ 3.11's words (the curated image is py312). */
const UNBOUND_SAMPLE = "UnboundLocalError: cannot access local variable 'sample_input' where it is not associated with a value";
/** MLflow's `Schema.pandas_types()` on a column without a pandas type (run with 2.12.2). */
const NO_PANDAS_TYPES = 'mlflow.exceptions.MlflowException: Failed to get pandas types as some of the inputs types are not DataType.';
const SCALAR_TYPES = new Set(['boolean', 'string', 'integer', 'long', 'float', 'double']);
export const isComplexColumn = (c: ColumnSpec): boolean => COMPLEX_TYPES.has(c.type.type);

/** The `type` A1 dispatches on: the MLmodel one when known, else what the form implies. */
function exampleType(ex: InputExampleLike): string | null {
  if (ex.savedType !== undefined) return ex.savedType;
  if (['dataframe-split', 'dataframe-values', 'legacy-split'].includes(ex.form)) return 'dataframe';
  if (['tf-serving', 'ndarray', 'named-ndarrays'].includes(ex.form)) return 'ndarray';
  if (ex.form === 'json-object') return 'json_object';
  if (ex.form === 'sparse') return 'sparse_matrix_csr';
  return null;
}

function exampleValue(ex: InputExampleLike): PyValue | undefined {
  try {
    if (ex.text !== undefined) return parsePyJson(ex.text);
  } catch {
    return undefined;
  }
  return ex.content === undefined ? undefined : fromPlain(ex.content);
}

/** A sample before `get_parameter_type`: a typed one, or a plain Python value (json_object example, `create_other_sample_io`). */
type RawSample = Sample | { kind: 'raw'; value: PyValue };

/** A1 `get_sample_input_from_loaded_example`; null when it raised (A1 logs it and falls back to the signature). */
function sampleFromExample(ex: InputExampleLike, schema: Schema | null, sink: WarningSink): RawSample | null {
  const type = exampleType(ex);
  const v = exampleValue(ex);
  if (type === null || v === undefined) return null;
  // `"columns" in loaded_input` runs first for every type: a number, bool or null raises TypeError.
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'object' && !Array.isArray(v) && !isPyDict(v))) return null;
  if (type === 'dataframe') {
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
      sink.add('azure-example-unreadable', 'input_example.json could not be read as a DataFrame; Azure logs "Failure processing model sample input" and builds its parser from the signature.', '$');
      return null;
    }
  }
  if (type === 'ndarray') {
    // `loaded_input["inputs"]`: MLflow ≥ 2.16's bare list has no such key (TypeError / KeyError) → signature.
    if (!isPyDict(v) || !v.has('inputs')) return null;
    const inputs = v.get('inputs')!;
    try {
      if (isPyDict(inputs)) return { kind: 'dict', dtypes: new Map([...inputs].map(([k, x]) => [k, ndarrayFrom(x, null).dtype] as const)), fromExample: true };
      const dt = ndarrayFrom(inputs, null).dtype;
      if (schema?.kind === 'tensors' && schema.tensors[0] && schema.tensors[0].dtype !== dt)
        sink.add('azure-example-dtypes', `Azure builds the sample from the old-format input example (${dt}) while the signature says ${schema.tensors[0].dtype}: MLflow then rejects every request.`, '$.input_data');
      return { kind: 'ndarray', dtype: dt, fromExample: true };
    } catch {
      return null;
    }
  }
  // Any other type (json_object, sparse_matrix_*): "Getting sample from loaded python object example", as is.
  return { kind: 'raw', value: v };
}

/**
 * A1 `create_other_sample_io`: a named first column gives a dict of one sample scalar per column — a type
 * it does not handle sets nothing, so as the *first* column it leaves `sample_input` unbound, and later the
 * previous column's value is reused; an un-named first column gives a list (`["sample string"]` for a
 * string column, else `[]`).
 */
function otherSample(columns: readonly ColumnSpec[]): RawSample {
  const first = columns[0];
  if (first && first.name !== null) {
    if (!SCALAR_TYPES.has(first.type.type)) return { kind: 'import-failure', cause: 'input-columns', error: UNBOUND_SAMPLE, why: `building the sample for the first column '${first.name}' (${first.display})` };
    return { kind: 'raw', value: new Map(columns.map((c) => [c.name ?? '', 42n] as [string, PyValue])) };
  }
  return { kind: 'raw', value: first?.type.type === 'string' ? ['sample string'] : [] };
}

/** A1 `get_samples_from_signature`, input side. */
function sampleFromSignature(schema: Schema, previous: RawSample | null, flavors: ScriptFlavors): RawSample | null {
  if (schema.kind === 'columns' && flavors.transformers) {
    const only = schema.columns.length === 1 ? schema.columns[0]! : null;
    // `Schema([ColSpec("string")])`, or a named first column: the signature wins over any example.
    if (only && only.name === null && only.type.type === 'string' && only.required) return otherSample(schema.columns);
    if (schema.columns[0]?.name !== null && schema.columns[0]?.name !== undefined) return otherSample(schema.columns);
  }
  if (previous !== null) return previous;
  if (schema.kind === 'tensors') {
    if (schema.tensors.length === 1 && schema.tensors[0]!.name === null) return { kind: 'ndarray', dtype: schema.tensors[0]!.dtype, fromExample: false };
    return { kind: 'dict', dtypes: new Map(schema.tensors.map((t) => [t.name!, t.dtype])), fromExample: false };
  }
  // `create_col_spec_sample_io` calls pandas_types(), which fails on a complex column: `except:` → other sample.
  if (schema.columns.some(isComplexColumn)) return otherSample(schema.columns);
  return { kind: 'frame', dtypes: new Map(schema.columns.map((c, k) => [c.name ?? String(k), pandasDtypeOf(c.type)])), fromExample: false };
}

/** A1 `get_parameter_type` for the input; `fromExample`: the plain value came from a json_object example. */
function parameterType(sample: RawSample | null, flavors: ScriptFlavors, fromExample: boolean): Sample {
  if (sample === null) return { kind: 'none' };
  if (sample.kind !== 'raw') return sample;
  const v = sample.value;
  if (isPyDict(v)) {
    if (flavors.transformers) return { kind: 'python', type: 'dict' };
    // `NumpyParameterType(value)` for every value: a plain JSON/Python value is never an ndarray.
    if (v.size > 0)
      return {
        kind: 'import-failure', cause: fromExample ? 'example' : 'input-columns', error: INVALID_NUMPY_SAMPLE,
        why: `${fromExample ? 'the input example is a JSON object, taken as is as the sample' : 'the sample built from the columns is a dict'}, and each of its values ('${[...v.keys()][0]}' first) must be a numpy array`,
      };
    return { kind: 'python', type: 'dict' };
  }
  if (Array.isArray(v) && flavors.transformers) return { kind: 'python', type: 'list' };
  return { kind: 'none' };
}

/** The output sample has no fallback: `create_col_spec_sample_io(outputs)` raises out of the import. */
function outputFailure(signature: Signature): ImportFailure | null {
  const outputs = signature.outputs;
  const complexOut = outputs?.kind === 'columns' ? outputs.columns.filter(isComplexColumn) : [];
  if (complexOut.length === 0) return null;
  return { kind: 'import-failure', cause: 'output-columns', error: NO_PANDAS_TYPES, why: `building the output sample for ${complexOut.map((c) => `${c.name ?? '(unnamed)'}: ${c.display}`).join(', ')}` };
}

/** The input side of the import: the sample's parameter type, or the failure. */
function inputSample(ex: InputExampleLike | null, signature: Signature | null, flavors: ScriptFlavors, sink: WarningSink): { sample: RawSample | null; param: () => Sample } {
  const fromExample = ex ? sampleFromExample(ex, signature?.inputs ?? null, sink) : null;
  const sample = signature?.inputs ? sampleFromSignature(signature.inputs, fromExample, flavors) : fromExample;
  return { sample, param: () => parameterType(sample, flavors, sample !== null && sample === fromExample) };
}

/** The whole import-time choice, in A1's order: input sample, output sample, then the parameter type. */
export function buildSample(ex: InputExampleLike | null, signature: Signature | null, flavors: ScriptFlavors, sink: WarningSink): Sample {
  const input = inputSample(ex, signature, flavors, sink);
  if (input.sample?.kind === 'import-failure') return input.sample;
  return (signature && outputFailure(signature)) ?? input.param();
}

/**
 * Every reason the script fails at import, input side and output side apart (A1 stops at the first; a
 * readiness check names each thing to fix).
 */
export function importFailures(ex: InputExampleLike | null, signature: Signature | null, flavors: ScriptFlavors, sink: WarningSink): ImportFailure[] {
  const input = inputSample(ex, signature, flavors, sink);
  const first = input.sample?.kind === 'import-failure' ? input.sample : input.param();
  return [first, signature ? outputFailure(signature) : null].filter((f): f is ImportFailure => f?.kind === 'import-failure');
}
