/**
 * Azure's no-code scoring script (A1 `mlflow_score_script.py` + InferenceSchema), the branches re-run with
 * the real script on real MLflow 2.12.2 folders (docs/fidelity.md "Azure's scoring script"): what each test
 * expects is what that run printed. Signatures are the ones those folders had, built by hand here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/support/paths';
import type { Signature } from '../model-report';
import { validateRequest, type ValidateRequestInput, type ValidationResult } from './validate';
import { cols, unnamedCols } from './test-signatures';

const GENERIC = { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' };
const INVALID_SAMPLE = 'Exception: Invalid sample input provided, must provide a sample Numpy array.';
const az = (body: string, signature: Signature | null, over: Partial<ValidateRequestInput> = {}): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'azureml', mlflowVersion: '2.12.2', signature, flavors: ['python_function'], ...over });
const jsonObject = (text: string): NonNullable<ValidateRequestInput['inputExample']> => ({ form: 'json-object', text, savedType: 'json_object' });
const ab = cols({ a: 'double', b: 'string' });
const SPLIT = '{"input_data": {"columns": ["a", "b"], "data": [[1.5, "x"]]}}';
const TENSORS = '{"input_data": {"a": [1.5], "b": ["x"]}}';
const ARRAY = { type: 'array', items: { type: 'double' } } as const;

describe('A1: an input example saved as a JSON object (saved_input_example_info type json_object)', () => {
  it('a dict example on a non-transformers model: the script fails at import, the deployment never starts', () => {
    for (const text of ['{"a": [1.0, 2.0], "b": ["x", "y"]}', '{"a": 1.0, "b": "x"}']) {
      const r = az(SPLIT, ab, { inputExample: jsonObject(text) });
      expect(r.status).toBe(0);
      expect(r.server_log).toContain(INVALID_SAMPLE);
      expect(r.server_log).toContain('never starts');
    }
    // without a signature too, and for langchain / openai models (only transformers is told apart)
    expect(az(SPLIT, null, { inputExample: jsonObject('{"a": [1.0]}') }).server_log).toContain(INVALID_SAMPLE);
    for (const flavor of ['langchain', 'openai']) expect(az(SPLIT, ab, { inputExample: jsonObject('{"a": [1.0]}'), flavors: ['python_function', flavor] }).status).toBe(0);
    // no request gets an answer, not even one the inference server itself refuses (it never listens): was 415 / 400
    for (const [body, contentType] of [[SPLIT, 'text/plain'], ['not json', 'application/json'], ['[1]', 'application/json'], ['{"inputs": [1]}', 'application/json']] as const) {
      expect(az(body, ab, { inputExample: jsonObject('{"a": [1.0]}'), contentType }).status).toBe(0);
    }
  });
  it('the real langchain chat folder (json_object example, MLflow 2.12) does not start on the no-code image', () => {
    const dir = fixture('mlflow-models', 'mlflow-2.12-langchain-chat');
    const sig: Signature = {
      inputs: { kind: 'columns', columns: [{ name: 'messages', type: { type: 'array', items: { type: 'object', properties: {} } }, required: true, display: 'array' } as never] },
      outputs: null, params: null, raw: { inputs: null, outputs: null, params: null },
    };
    const r = az('{"input_data": {"messages": [{"role": "user", "content": "hi"}]}}', sig, { inputExample: jsonObject(readFileSync(`${dir}/input_example.json`, 'utf8')), flavors: ['langchain', 'python_function'] });
    expect(r.status).toBe(0);
    expect(r.server_log).toContain(INVALID_SAMPLE);
  });
  it('an empty dict example: a dict parameter — a list is refused, a dict goes to run()’s own parsing', () => {
    const ex = { inputExample: jsonObject('{}') };
    const list = az('{"input_data": [[1.5, "x"]]}', ab, ex);
    expect(list).toMatchObject({ status: 500, body: GENERIC });
    expect(list.server_log).toContain("ValueError: Invalid input data type to parse. Expected: <class 'dict'> but got <class 'list'>");
    expect(az(TENSORS, ab, ex).model_receives).toMatchObject({ kind: 'DataFrame', dtypes: { a: 'float64', b: 'object' } });
  });
  it('a list or string example: no parameter type, so input_data takes run()’s traditional parsing, then MLflow enforcement', () => {
    for (const text of ['[[1.0, "x"]]', '"hello"']) {
      const ex = { inputExample: jsonObject(text) };
      expect(az(TENSORS, ab, ex).model_receives).toMatchObject({ kind: 'DataFrame', dtypes: { a: 'float64', b: 'object' } });
      // a list becomes np.asarray, whose column labels 0, 1 are not the signature's
      expect(az('{"input_data": [[1.5, "x"]]}', ab, ex).server_log).toContain("Model is missing inputs ['a', 'b']. Note that there were extra inputs: [0, 1]");
      expect(az('{"input_data": "hello"}', ab, ex).server_log).toContain('JSONDecodeError');
      // a split dict without "index" is read as named tensors, which MLflow cannot cast to the frame
      expect(az(SPLIT, ab, ex).status).toBe(500);
    }
  });
  it('a transformers model with a named-column signature: the signature replaces the example with a dict sample', () => {
    const t = { inputExample: jsonObject('{"a": [1.0, 2.0], "b": ["x", "y"]}'), flavors: ['python_function', 'transformers'] };
    expect(az(TENSORS, ab, t).model_receives).toMatchObject({ kind: 'DataFrame', dtypes: { a: 'float64', b: 'object' } });
    expect(az('{"input_data": [[1.5, "x"]]}', ab, t).server_log).toContain("Expected: <class 'dict'> but got <class 'list'>");
    expect(az('{"input_data": "hello"}', ab, t).server_log).toContain("Expected: <class 'dict'> but got <class 'str'>");
    // run() takes `parameters` out of input_data as params (the hftransformersv2 form); `input_string` alone is then the input
    expect(az('{"input_data": {"parameters": {"top_p": 0.5}, "a": [1.5], "b": ["x"]}}', ab, t).model_receives).toMatchObject({ kind: 'DataFrame', columns: ['a', 'b'] });
    expect(az('{"input_data": {"parameters": {"top_p": 0.5}, "input_string": ["hi"]}}', ab, t).server_log).toContain("Model is missing inputs ['a', 'b']. Note that there were extra inputs: [0]");
    // strings pass the LLM parser as they are, and a nested input_data is unwrapped
    expect(az('{"input_data": {"a": "1.5", "b": "x"}}', ab, t).model_receives).toMatchObject({ dtypes: { a: 'float64', b: 'object' } });
    expect(az('{"input_data": {"input_data": {"a": [1.5], "b": ["x"]}}}', ab, t).ok).toBe(true);
  });
  it('MLmodel naming no example: A1 never reads input_example.json, the signature sets the dtypes', () => {
    const ints = { form: 'dataframe-split', text: '{"columns": ["a", "b"], "data": [[1, "x"]]}' };
    // read: the example's int64 column truncates 1.5; unread (savedType null): 1.5 stays a double
    expect(az(SPLIT, ab, { inputExample: ints }).warnings.map((w) => w.code)).toContain('azure-example-dtypes');
    const r = az(SPLIT, ab, { inputExample: { ...ints, savedType: null } });
    expect(r.ok).toBe(true);
    expect(r.model_receives).toMatchObject({ dtypes: { a: 'float64' }, values: [[1.5, 'x']] });
  });
});

describe('A1: transformers models', () => {
  const gpt2 = { flavors: ['python_function', 'transformers'] };
  it('one un-named string column: a list sample; strings reach the model, other types are refused before run()', () => {
    const s = unnamedCols('string');
    expect(az('{"input_data": ["I believe"]}', s, gpt2).model_receives).toMatchObject({ kind: 'DataFrame', dtypes: { '0': 'object' } });
    expect(az('{"input_data": "plain text"}', s, gpt2).server_log).toContain("Expected: <class 'list'> but got <class 'str'>");
    expect(az('{"input_data": {"parameters": {"top_p": 0.5}, "input_string": ["hi"]}}', s, gpt2).server_log).toContain("Expected: <class 'list'> but got <class 'dict'>");
    // a list of dicts whose values are not all strings: the LLM parser never assigns its result
    expect(az('{"input_data": [{"q": "a"}, {"q": 1}]}', s, gpt2).server_log).toContain("UnboundLocalError: cannot access local variable 'input' where it is not associated with a value");
  });
});

describe('A1: signatures whose columns have no pandas type', () => {
  it('an un-named first column takes create_other_sample_io’s list branch: no import failure, run()’s traditional parsing', () => {
    for (const s of [unnamedCols(ARRAY), unnamedCols('string', ARRAY)]) {
      expect(az('{"input_data": "hello"}', s).server_log).toContain('JSONDecodeError');
      expect(az('{"input_data": ["x", [1.0]]}', s).server_log).toContain('inhomogeneous shape after 1 dimensions');
      expect(az('{"input_data": [[[1.0, 2.0]]]}', s).status).toBe(500);
    }
    // without "index" it is named tensors; MLflow 2.12 makes one row of them, and the int 0 is no double
    expect(az('{"input_data": {"columns": [0], "data": [[[1.0, 2.0]]]}}', unnamedCols(ARRAY)).server_log).toContain('Failed to enforce schema of data `0` with dtype `double`');
    // a split dict with "index" is a DataFrame whose object column MLflow accepts for an Array(double) spec
    const ok = az('{"input_data": {"columns": [0], "index": [0], "data": [[[1.0, 2.0]]]}}', unnamedCols(ARRAY));
    expect(ok.ok, String(ok.server_log)).toBe(true);
    expect(ok.model_receives).toMatchObject({ kind: 'DataFrame', dtypes: { '0': 'object' } });
  });
  it('a complex named first column leaves sample_input unbound (Python 3.11+ words); after a scalar one, the dict sample is refused', () => {
    const first = az(SPLIT, cols({ v: ARRAY, a: 'double' }));
    expect(first.status).toBe(0);
    expect(first.server_log).toContain("UnboundLocalError: cannot access local variable 'sample_input' where it is not associated with a value");
    expect(az(SPLIT, cols({ a: 'double', v: ARRAY })).server_log).toContain(INVALID_SAMPLE);
  });
  it('a DataFrame example replaces the signature sample, so complex inputs start; complex outputs never do', () => {
    const s = cols({ a: 'double', v: ARRAY });
    const ex = { inputExample: { form: 'dataframe-split', text: '{"columns": ["a", "v"], "data": [[1.0, [1.0, 2.0]]]}', savedType: 'dataframe' } };
    expect(az('{"input_data": {"columns": ["a", "v"], "data": [[1.0, [1.0, 2.0]]]}}', s, ex).ok).toBe(true);
    expect(az('{"input_data": {"columns": ["a", "v"], "data": [[1.0, 5]]}}', s, ex).status).toBe(500);
    const out: Signature = { ...cols({ a: 'double' }), outputs: { kind: 'columns', columns: [{ name: 'o', type: ARRAY, required: true, display: 'Array(double)' }] } };
    const r = az('{"input_data": {"columns": ["a"], "data": [[1.0]]}}', out);
    expect(r.status).toBe(0);
    expect(r.server_log).toContain('Failed to get pandas types as some of the inputs types are not DataType.');
  });
});

describe('A1 then MLflow 2.12.2: the texts of Array-column enforcement (the real script run on un-named Array signatures)', () => {
  const arr = (items: unknown): never => ({ type: 'array', items: typeof items === 'string' ? { type: items } : items }) as never;
  const ERR = (data: string, schema: string, inner: string): string =>
    `mlflow.exceptions.MlflowException: Failed to enforce schema of data '${data}' with schema '${schema}'. Error: ${inner}`;
  it('a list is np.asarray, then a DataFrame whose float column MLflow walks as Python floats: "got float", not "got int"', () => {
    expect(az('{"input_data": [[1.0, 2.0]]}', unnamedCols(ARRAY)).server_log).toBe(ERR('[[1. 2.]]', '[Array(double) (required)]', 'Expected data to be list or numpy array, got float'));
    expect(az('{"input_data": [[1.0, 2.0]]}', unnamedCols(arr('long'))).server_log).toBe(ERR('[[1. 2.]]', '[Array(long) (required)]', 'Expected data to be list or numpy array, got float'));
    expect(az('{"input_data": [[1.0, 2.0]]}', unnamedCols(arr(arr('double')))).server_log).toBe(ERR('[[1. 2.]]', '[Array(Array(double)) (required)]', 'Expected data to be list or numpy array, got float'));
    // ints stay ints, and a split frame's float column is walked the same way
    expect(az('{"input_data": [[1, 2]]}', unnamedCols(arr('long'))).server_log).toBe(ERR('[[1 2]]', '[Array(long) (required)]', 'Expected data to be list or numpy array, got int'));
    expect(az('{"input_data": {"columns": [0], "index": [0], "data": [[1.0]]}}', unnamedCols(arr(arr('double')))).server_log).toContain('Error: Expected data to be list or numpy array, got float');
  });
  it('an ndarray of 3 or more dimensions: pandas’ own words, without 2.7’s "error casting … to a DataFrame" prefix', () => {
    expect(az('{"input_data": [[[1.0, 2.0]]]}', unnamedCols(ARRAY)).server_log).toBe(ERR('[[[1. 2.]]]', '[Array(double) (required)]', 'Must pass 2-d input. shape=(1, 1, 2)'));
    expect(az('{"input_data": [[[[1.0]]]]}', unnamedCols(ARRAY)).server_log).toBe(ERR('[[[[1.]]]]', '[Array(double) (required)]', 'Must pass 2-d input. shape=(1, 1, 1, 1)'));
    expect(az('{"input_data": [[[1, 2]]]}', unnamedCols(arr('long'))).server_log).toBe(ERR('[[[1 2]]]', '[Array(long) (required)]', 'Must pass 2-d input. shape=(1, 1, 2)'));
  });
  it('named tensors in a one-row frame: the cell is the ndarray, whose rows are ndarrays and items numpy scalars', () => {
    const sAD = unnamedCols('string', ARRAY);
    expect(az('{"input_data": {"a": ["x"], "b": [[1.0]]}}', sAD).server_log).toBe(
      ERR("{'a': array(['x'], dtype='<U1'), 'b': array([[1.]])}", '[string (required), Array(double) (required)]', 'Expected data to be scalar, got ndarray'),
    );
    expect(az('{"input_data": {"a": ["x"], "b": [["z"]]}}', sAD).server_log).toContain('Error: Expected data to be scalar, got ndarray');
    expect(az('{"input_data": {"a": ["x"], "b": [[1.5]]}}', unnamedCols('string', arr('string'))).server_log).toContain('Error: Expected data to be scalar, got ndarray');
    const sAAD = unnamedCols('string', arr(arr('double')));
    const named = (b: string): string => String(az(`{"input_data": {"a": ["x"], "b": ${b}}}`, sAAD).server_log).split('Error: ').pop()!;
    expect(named('[1.0, 2.0]')).toBe('Expected data to be list or numpy array, got float64');
    expect(named('[1, 2]')).toBe('Expected data to be list or numpy array, got int64');
    expect(named('[true]')).toBe('Expected data to be list or numpy array, got bool_');
    expect(named('["y"]')).toBe('Expected data to be list or numpy array, got str_');
    expect(named('[[[1.0]]]')).toBe('Expected data to be scalar, got ndarray');
    expect(named('[[1.0, "q"]]')).toBe('Failed to enforce schema of data `q` with dtype `double`');
  });
});
