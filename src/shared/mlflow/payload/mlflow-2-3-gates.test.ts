/**
 * Rules of the MLflow servers before 2.4, 2.6 and 2.7 (mlflow-2-3-gates.ts), found by replaying the real 2.3.1
 * server (docs/fidelity.md §10). Every expected text below is what the real 2.3.1 server answered on this machine;
 * the versions on the other side of each gate keep their earlier (recorded) behaviour.
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { resolveMlflowVersion } from './version';
import { cols, tensor, tensors } from './test-signatures';
import type { Signature } from '../model-report';

const run = (body: string, signature: Signature, version: string): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;

const REG = cols({ age: 'double', bmi: 'double', bp: 'double' });
const MIXED = cols({ n_long: 'long', n_int: 'integer', city: 'string', score: 'float', flag: 'boolean', amount: 'double' });
const TENSOR = tensors(tensor('float64', [-1, 4]));
const ROWS = '[{"age": 0.03, "bmi": 0.06, "bp": 0.02}]';

describe('S1 infer_and_parse_json_input before 2.6: the whole body reaches the parsers (916764d, #9068)', () => {
  it.each(['2.3.1', '2.4.2', '2.5.0'])('%s refuses `params` (or any other key) next to instances / inputs with 500', (v) => {
    for (const body of [`{"instances": ${ROWS}, "params": {"k": 1.0}}`, `{"inputs": ${ROWS}, "extra": 1}`]) {
      const r = run(body, REG, v);
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error_code: 'INTERNAL_ERROR', message: 'Failed to parse data as TF serving input. One of "instances" and "inputs" must be specified (not both or any other keys).' });
    }
    // "signature_name" is checked first, params or not
    expect(msgOf(run('{"instances": [[1, 2, 3, 4]], "signature_name": "x", "params": 1}', TENSOR, v))).toBe(
      'Failed to parse data as TF serving input. "signature_name" is currently not supported.',
    );
    // a dataframe_* body only reads its own key: params are not passed, the model is called
    expect(run('{"dataframe_split": {"columns": ["age", "bmi", "bp"], "data": [[1, 2, 3]]}, "params": {"k": 1}}', REG, v).ok).toBe(true);
  });
  it.each(['2.6.0', '2.7.1'])('%s sets other keys aside', (v) => {
    expect(run(`{"instances": ${ROWS}, "params": {"k": 1.0}}`, REG, v).ok).toBe(true);
    expect(run('{"instances": [[1, 2, 3, 4]], "signature_name": "x"}', TENSOR, v).ok).toBe(true);
  });
  it('lists every key of the body before 2.6, only the format keys after', () => {
    expect(msgOf(run('{"foo": 1}', REG, '2.3.1'))).toContain('Received dictionary with input fields: [\'foo\'].');
    expect(msgOf(run('{"foo": 1, "inputs": [], "instances": []}', REG, '2.5.0'))).toContain("Received dictionary with input fields: ['foo', 'inputs', 'instances'].");
    expect(msgOf(run('{"foo": 1}', REG, '2.6.0'))).toContain('Received dictionary with input fields: [].');
  });
});

describe('MlflowFailedTypeConversion: str(ex) before 2.4, repr(ex) from 2.4.0 (7baba5d, #8538)', () => {
  const body = '{"dataframe_split": {"columns": ["n_long"], "data": [["x"]]}, "foo": 1}';
  it('2.3.1 prints the exception\'s text', () => {
    expect(msgOf(run(body, MIXED, '2.3.1'))).toBe("Data is not compatible with model signature. Failed to convert column n_long to type 'int64'. Error: 'invalid literal for int() with base 10: 'x''");
  });
  it.each(['2.4.0', '2.7.1'])('%s prints its repr', (v) => {
    expect(msgOf(run(body, MIXED, v))).toBe(
      "Data is not compatible with model signature. Failed to convert column n_long to type 'int64'. Error: 'ValueError(\"invalid literal for int() with base 10: 'x'\")'",
    );
  });
});

describe('tensor pre-cast before 2.4: `pdf[c][0]` is pandas 1.5\'s label lookup', () => {
  const split = (data: string, index?: string): string => `{"dataframe_split": {"columns": ["a"], "data": ${data}${index ? `, "index": ${index}` : ''}}}`;
  it('2.3.1: an integer index without the label 0 raises KeyError(0), printed as \'0\'; no rows raise IndexError', () => {
    expect(msgOf(run(split('[[1]]', '[5]'), TENSOR, '2.3.1'))).toBe("Data is not compatible with model signature. Failed to convert column a to type 'float64'. Error: '0'");
    // a list cell is not looked at either: the lookup fails first
    expect(msgOf(run(split('[[[1, 2, 3, 4]]]', '[7]'), TENSOR, '2.3.1'))).toBe("Data is not compatible with model signature. Failed to convert column a to type 'float64'. Error: '0'");
    expect(msgOf(run('{"dataframe_split": {"columns": ["a"], "data": []}}', TENSOR, '2.3.1'))).toBe(
      "Data is not compatible with model signature. Failed to convert column a to type 'float64'. Error: 'index 0 is out of bounds for axis 0 with size 0'",
    );
  });
  it('2.3.1: a string index is read by position (the list cell is found, the model is called)', () => {
    expect(run(split('[[[1, 2, 3, 4]]]', '["q"]'), TENSOR, '2.3.1').ok).toBe(true);
  });
  it('2.4.0: .iloc[0], whatever the index', () => {
    expect(run(split('[[[1, 2, 3, 4]]]', '[7]'), TENSOR, '2.4.0').ok).toBe(true);
  });
  it.each([['2.4.2', ''], ['2.7.1', ''], ['2.12.2', 'Invalid input. ']])('%s: .iloc[0] of no rows is an IndexError (the real server\'s answer)', (v, prefix) => {
    expect(msgOf(run('{"dataframe_split": {"columns": ["a"], "data": []}}', TENSOR, v))).toBe(
      `${prefix}Data is not compatible with model signature. Failed to convert column a to type 'float64'. Error: 'IndexError('single positional indexer is out-of-bounds')'`,
    );
  });
});

describe('_enforce_schema before 2.7: a 2-d column of a TF-serving dict (ef0f922, #9520)', () => {
  const body = '{"inputs": {"n_long": [[1]], "n_int": [1], "city": ["a"], "score": [1], "flag": [true], "amount": [1]}}';
  it.each(['2.3.1', '2.6.0'])('%s: pandas refuses it', (v) => {
    const r = run(body, MIXED, v);
    expect(r.status).toBe(500);
    expect(msgOf(r)).toBe('This model contains a column-based signature, which suggests a DataFrame input. There was an error casting the input data to a DataFrame: Per-column arrays must each be 1-dimensional');
  });
  it('2.7.1 makes it lists first', () => {
    expect(msgOf(run(body, MIXED, '2.7.1'))).not.toContain('Per-column arrays');
  });
});

describe('the emulated-version note', () => {
  it('says 2.3.1, 2.4.2 and 2.8.1 were observed on the real servers, 2.9 sits between two observed ones (2.0, 2.1, 2.2, 2.5, 2.6: mlflow-2-0-gates.test.ts)', () => {
    expect(resolveMlflowVersion(null, null, '2.3.1').note).toContain('behaviour observed on the real 2.3.1 server');
    expect(resolveMlflowVersion(null, null, '2.4.2').note).toContain('behaviour observed on the real 2.4.2 server');
    expect(resolveMlflowVersion(null, null, '2.8.1').note).toContain('behaviour observed on the real 2.8.1 server');
    expect(resolveMlflowVersion(null, null, '2.9.2').note).toContain('observed on the real 2.8.1 and 2.10.2 servers, with the rule MLflow changed in 2.9.0 gated by version (2.9 itself was not run)');
  });
});
