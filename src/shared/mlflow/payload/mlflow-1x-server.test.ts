/**
 * The MLflow 1.x scoring protocol (mlflow-1x-server.ts, docs/fidelity.md §15). Every expected text and status below
 * is what the real 1.x servers answered on this machine (recordings in test/fixtures/fidelity/mlflow-1.x/); before
 * this module every 1.x version was answered with the 2.7.1 behaviour, which fails all of them.
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { resolveMlflowVersion } from './version';
import { cols, tensor, tensors } from './test-signatures';
import type { Signature } from '../model-report';

const run = (body: string, signature: Signature | null, version: string, contentType: string | null = 'application/json'): ValidationResult =>
  validateRequest({ body, contentType, server: 'mlflow', mlflowVersion: version, signature });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;

const REG = cols({ age: 'double', bmi: 'double', bp: 'double' });
const MIXED = cols({ n_long: 'long', n_int: 'integer', city: 'string', score: 'float', flag: 'boolean', amount: 'double' });
const TENSOR = tensors(tensor('float64', [-1, 4]));
const SPLIT = '{"columns": ["age", "bmi", "bp"], "data": [[0.03, 0.06, 0.02], [-0.01, 0.0, 0.05]]}';
const ALL = ['1.25.1', '1.26.1', '1.28.0', '1.30.1'];

describe('1.x: a bare pandas body is the input (S1 1.x infer_and_parse_json_input / parse_json_input)', () => {
  it.each(ALL)('%s calls the model with a bare split body, a list of records and format=pandas-split', (v) => {
    expect(run(SPLIT, REG, v).ok).toBe(true);
    expect(run('[{"age": 0.03, "bmi": 0.06, "bp": 0.02}]', REG, v).ok).toBe(true);
    expect(run(SPLIT, REG, v, 'application/json; format=pandas-split').ok).toBe(true);
    expect(run(`{"columns": ["age", "bmi", "bp"], "data": [[0.03, 0.06, 0.02]], "index": [0]}`, REG, v, 'application/json-numpy-split').ok).toBe(true);
  });
  it('the 2.x envelope is a pandas body with unexpected keys: 400 with a stack trace', () => {
    const r = run(`{"dataframe_split": ${SPLIT}}`, REG, '1.30.1');
    expect(r.status).toBe(400);
    expect(msgOf(r)).toBe(
      "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid JSON-formatted Pandas DataFrame with the `split` orient produced using the `pandas.DataFrame.to_json(..., orient='split')` method.",
    );
    expect(Object.keys(r.body as object)).toEqual(['error_code', 'message', 'stack_trace']);
  });
  it('bad JSON, and JSON that is neither list nor dict', () => {
    expect(msgOf(run('{', REG, '1.30.1'))).toBe('Failed to parse input from JSON. Ensure that input is a valid JSON formatted string.');
    expect(msgOf(run('null', REG, '1.30.1'))).toBe('Failed to parse input from JSON. Ensure that input is a valid JSON list or dictionary.');
  });
  it('an object column for a double is "Failed to convert" from 1.29 (decimal branch, eb3588abb #6600)', () => {
    const body = '{"columns": ["age", "bmi", "bp"], "data": [["abc", 0.06, 0.02]]}';
    expect(msgOf(run(body, REG, '1.30.1'))).toBe('Failed to convert column age from type object to DataType.double.');
    expect(msgOf(run(body, REG, '1.28.0'))).toBe('Incompatible input types for column age. Can not safely convert object to float64.');
  });
  it('the records orient is pandas\' DataFrame(x): a dict of dicts has its inner keys as rows', () => {
    expect(run('{"age": {"0": 0.03, "1": -0.01}, "bmi": {"0": 0.06, "1": 0.0}, "bp": {"0": 0.02, "1": 0.05}}', REG, '1.30.1', 'application/json; format=pandas-records').ok).toBe(true);
    expect(msgOf(run('{"0": {"age": 0.03, "bmi": 0.06, "bp": 0.02}, "1": {"age": -0.01, "bmi": 0.0, "bp": 0.05}}', REG, '1.30.1', 'application/json; format=pandas-records'))).toBe(
      "Model is missing inputs ['age', 'bmi', 'bp']. Note that there were extra inputs: [0, 1]",
    );
    expect(msgOf(run('null', REG, '1.30.1', 'application/json; format=pandas-records'))).toBe("Model is missing inputs ['age', 'bmi', 'bp'].");
  });
});

describe('1.x content types (S1 1.x transformation)', () => {
  it('answers 415 text for anything but the three types and two formats', () => {
    const r = run(SPLIT, REG, '1.30.1', 'Application/JSON');
    expect(r.status).toBe(415);
    expect(r.body).toBe(
      "This predictor only supports the following content types and formats: Types: ['text/csv', 'application/json', 'application/json-numpy-split']; Formats: ['pandas-records', 'pandas-split']. Got 'Application/JSON'.",
    );
    expect(run(SPLIT, REG, '1.30.1', 'application/json; charset=latin-1').body).toBe('The scoring server only supports UTF-8');
  });
  it('no Content-Type is Flask\'s 500 page', () => {
    expect(run(SPLIT, REG, '1.30.1', null).status).toBe(500);
  });
});

describe('1.x _enforce_schema', () => {
  it('names the extra inputs even when there are none before 1.28 (5ba05ed53, #6251)', () => {
    expect(msgOf(run('{"inputs": {}}', REG, '1.26.1'))).toBe("Model is missing inputs ['age', 'bmi', 'bp']. Note that there were extra inputs: []");
    expect(msgOf(run('{"inputs": {}}', REG, '1.28.0'))).toBe("Model is missing inputs ['age', 'bmi', 'bp'].");
    expect(msgOf(run('{"columns": ["age"], "data": []}', REG, '1.30.1'))).toBe("Model is missing inputs ['bmi', 'bp'].");
  });
  it('tensor signatures: shape first, then dtype; every MlflowException is 400 BAD_REQUEST', () => {
    const r = run('{"columns": ["a", "b", "c"], "data": [[5.1, 3.5, 1.4], [6.7, 3.0, 5.2]]}', TENSOR, '1.30.1');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error_code: 'BAD_REQUEST', message: 'Shape of input (2, 3) does not match expected shape (-1, 4).' });
    expect(msgOf(run('{"columns": ["a", "b", "c", "d"], "data": [[5.1, 3.5, 1.4, 0.2], ["abc", 3.0, 5.2, 2.3]]}', TENSOR, '1.30.1'))).toBe('dtype of input object does not match expected dtype float64');
  });
  it('1.25 checks the lengths of `inputs` too: a single value is Flask\'s 500 (891185c80, #5825)', () => {
    const body = '{"inputs": {"n_long": 3, "n_int": 1, "city": "paris", "score": 0.5, "flag": true, "amount": 12.5}}';
    expect(run(body, MIXED, '1.25.1').status).toBe(500);
    expect(run('{"inputs": {}}', MIXED, '1.25.1').status).toBe(500);
  });
});

describe('1.x CSV', () => {
  it('1.25 reads no dtypes: a header alone is object columns (7c752b6ac, #5531 gave the schema\'s from 1.26)', () => {
    const body = 'n_long,n_int,city,score,flag,amount\n';
    expect(msgOf(run(body, MIXED, '1.25.1', 'text/csv'))).toBe('Incompatible input types for column n_long. Can not safely convert object to int64.');
  });
  it('a body of spaces is no CSV at all', () => {
    expect(msgOf(run(' ', REG, '1.30.1', 'text/csv'))).toBe(
      'Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method.',
    );
  });
});

describe('pd.read_json\'s dtypes (pandas 1.5 _try_convert_data) and the numpy-split reader', () => {
  const cols6 = '["n_long", "n_int", "city", "score", "flag", "amount"]';
  it('astype(object) makes a number column object, so a string column takes numbers; one past int64 in an int column fails read_json', () => {
    expect(run(`{"columns": ${cols6}, "data": [[-2147483649, 1, 1.5, 0.25, true, 12.5]]}`, MIXED, '1.30.1', 'application/json; format=pandas-split').ok).toBe(true);
    expect(msgOf(run(`{"columns": ${cols6}, "data": [[3, 9223372036854775808, "paris", 0.5, true, 12.5], [70, -2, "tokyo", 0.25, false, 900.0]]}`, MIXED, '1.30.1'))).toBe(
      "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid JSON-formatted Pandas DataFrame with the `split` orient produced using the `pandas.DataFrame.to_json(..., orient='split')` method.",
    );
  });
  it('numpy-split: infer_objects gives an int and a float float64', () => {
    expect(run('{"columns": ["age", "bmi", "bp"], "data": [[0.03, 0.0, 0.02]], "index": [0]}', REG, '1.30.1', 'application/json-numpy-split').ok).toBe(true);
    expect(msgOf(run(`{"columns": ${cols6}, "data": [[3, -2, "tokyo", 0.5, false, 900.0], [1E5, -2, "tokyo", 0.5, true, 900.0]], "index": [0, 1]}`, MIXED, '1.30.1', 'application/json-numpy-split'))).toBe(
      'Incompatible input types for column n_long. Can not safely convert float64 to int64.',
    );
  });
  it('a CSV field ends at a NUL (pandas\' C strings)', () => {
    expect(msgOf(run('\u0000\u0000\u0000\u0000', REG, '1.30.1', 'text/csv'))).toBe("Model is missing inputs ['age', 'bmi', 'bp']. Note that there were extra inputs: ['Unnamed: 0']");
  });
});

describe('the 1.x version note', () => {
  it('says which real server was observed', () => {
    expect(resolveMlflowVersion(null, null, '1.30.1').note).toContain('behaviour observed on the real 1.30.1 server');
    expect(resolveMlflowVersion(null, null, '1.29.0').note).toContain('1.29 itself was not run');
    expect(resolveMlflowVersion(null, null, '1.30.0').note).toContain('behaviour observed on the real 1.30.1 server');
  });
});

describe('1.x: a hostile cell', () => {
  it('a long digit run that fails at its end is refused at once', { timeout: 5_000 }, () => {
    // float() of an object column (`\d+\.?\d*` split the digits every way): 40 000 digits took 11.5 s
    const cell = `${'1'.repeat(200_000)}x`;
    expect(msgOf(run(`{"columns": ["age", "bmi", "bp"], "data": [["${cell}", 0.06, 0.02]]}`, REG, '1.30.1'))).toBe('Failed to convert column age from type object to DataType.double.');
  });
});
