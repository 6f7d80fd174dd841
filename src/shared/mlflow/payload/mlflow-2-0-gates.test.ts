/**
 * Rules of the MLflow servers before 2.1, 2.2 and 2.3 (mlflow-2-0-gates.ts), found by replaying the real 2.0.1 and
 * 2.1.0 servers (docs/fidelity.md §14). Every expected text below is what the real 2.0.1 / 2.1.0 server answered on
 * this machine (test/fixtures/fidelity/mlflow-2.0.1/, mlflow-2.1.0/); the versions on the other side of each gate keep
 * their recorded behaviour (2.3.1's texts from mlflow-2.3.1/).
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { resolveMlflowVersion } from './version';
import { cols, tensor, tensors } from './test-signatures';
import type { Signature } from '../model-report';

const run = (body: string, signature: Signature, version: string): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature });

const TENSOR = tensors(tensor('float64', [-1, 4]));
const TYPED = cols({ x: 'double', when: 'datetime', blob: 'binary', n: 'long' });

describe('a DataFrame for a tensor signature before 2.1 (296cfaa36, #7291)', () => {
  const listCell = '{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": [[5.1, 3.5, 1.4, [1, 2]], [6.7, 3.0, 5.2, 2.3]]}}';
  it('2.0.1 casts every column, so a list cell fails the pre-cast (400)', () => {
    const r = run(listCell, TENSOR, '2.0.1');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error_code: 'BAD_REQUEST', message: "Data is not compatible with model signature. Failed to convert column d to type 'float64'. Error: 'setting an array element with a sequence.'" });
  });
  it('2.1.0 skips a column whose first cell is a list (the frame then fails _enforce_tensor_spec, 500)', () => {
    const r = run(listCell, TENSOR, '2.1.0');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error_code: 'INTERNAL_ERROR', message: 'dtype of input object does not match expected dtype float64' });
  });
  it('2.0.1 checks the whole frame\'s to_numpy() against the shape: one column is "Shape of input (2, 1) …" (500)', () => {
    const r = run('{"dataframe_records": [1, 2]}', TENSOR, '2.0.1');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error_code: 'INTERNAL_ERROR', message: 'Shape of input (2, 1) does not match expected shape (-1, 4).' });
  });
  it('2.0.1 passes a frame with no rows to the model (no "Input DataFrame is empty." check yet)', () => {
    expect(run('{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": []}}', TENSOR, '2.0.1').ok).toBe(true);
    expect(run('{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": []}}', TENSOR, '2.1.0').ok).toBe(false);
  });
});

describe('a column of scalars for a tensor: shape (-1,) only before 2.3 (69a112029, #8253)', () => {
  const body = '{"dataframe_records": [1, 2]}';
  it.each(['2.1.0', '2.2.2'])('%s says "(-1,)"', (v) => {
    const r = run(body, TENSOR, v);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "The input pandas dataframe column 'None' contains scalar values, which requires the shape to be (-1,), but got tensor spec shape of (-1, 4).",
    });
  });
  it('2.3.1 says "(-1,) or (-1, 1)" and takes a (-1, 1) tensor', () => {
    expect((run(body, TENSOR, '2.3.1').body as { message: string }).message).toBe(
      "The input pandas dataframe column 'None' contains scalar values, which requires the shape to be (-1,) or (-1, 1), but got tensor spec shape of (-1, 4).",
    );
    const col = tensors(tensor('float64', [-1, 1]));
    expect(run(body, col, '2.3.1').ok).toBe(true);
    expect(run(body, col, '2.2.0').ok).toBe(false);
  });
});

describe('DataType.datetime was np.dtype("datetime64") before 2.2 (208bb43ba, #7899)', () => {
  const epochMs = '{"dataframe_split": {"columns": ["x", "when", "blob", "n"], "data": [[0.25, 1705314600000, "aGVsbG8=", 3], [1.5, 1703980800000, "AP8=", 7]]}}';
  it.each(['2.0.1', '2.1.0'])('%s: pandas refuses the unit-less dtype for an int64 column (400)', (v) => {
    const r = run(epochMs, TYPED, v);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error_code: 'BAD_REQUEST',
      message: "Data is not compatible with model signature. Failed to convert column when to type 'datetime64'. Error: 'The 'datetime64' dtype has no unit. Please pass in 'datetime64[ns]' instead.'",
    });
  });
  it.each(['2.2.0', '2.3.1'])('%s casts it to datetime64[ns]', (v) => {
    expect(run(epochMs, TYPED, v).ok).toBe(true);
  });
  it('an object column is read, and its errors name the type \'datetime64\'', () => {
    const bad = '{"dataframe_records": [{"x": 0.25, "when": "2024-01-15T25:00:00", "blob": "aGVsbG8=", "n": 3}, {"x": 1.5, "when": "2023-12-31T00:00:00.000", "blob": "AP8=", "n": 7}]}';
    expect((run(bad, TYPED, '2.1.0').body as { message: string }).message).toBe(
      "Data is not compatible with model signature. Failed to convert column when to type 'datetime64'. Error: 'hour must be in 0..23: 2024-01-15T25:00:00 present at position 0'",
    );
    expect(run(bad.replace('T25:', 'T05:'), TYPED, '2.0.1').ok).toBe(true);
  });
  it('the TF-serving forms: numpy needs a unit to read a number, so epoch milliseconds are the generic 500', () => {
    const inst = '{"instances": [{"x":0.25,"when":1705314600000,"blob":"aGVsbG8=","n":3},{"x":1.5,"when":1703980800000,"blob":"AP8=","n":7}]}';
    const r = run(inst, TYPED, '2.0.1');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({
      error_code: 'INTERNAL_ERROR',
      message: "Failed to parse data as TF serving input. Ensure that the input is a valid JSON-formatted string that conforms to the request body for TF serving's Predict API as documented at https://www.tensorflow.org/tfx/serving/api_rest#request_format_2",
    });
    expect(run(inst, TYPED, '2.3.1').ok).toBe(true);
  });
});

describe('the emulated-version note', () => {
  it('says 2.0.1, 2.1.0, 2.5.0 and 2.6.0 were observed on the real servers, and 2.2 sits between 2.1.0 and 2.3.1', () => {
    for (const [pin, ran] of [['2.0.1', '2.0.1'], ['2.1.1', '2.1.0'], ['2.5.1.dev0', '2.5.0'], ['2.6.0', '2.6.0']])
      expect(resolveMlflowVersion(null, null, pin).note).toContain(`behaviour observed on the real ${ran} server`);
    expect(resolveMlflowVersion(null, null, '2.2.2').note).toContain(
      'the behaviour observed on the real 2.1.0 and 2.3.1 servers, with the rules MLflow changed in between gated by version (2.2 itself was not run)',
    );
  });
});

describe('TF-serving datetime before 2.2: numpy takes the unit from the dated strings', () => {
  const TYPED2 = cols({ x: 'double', when: 'datetime', blob: 'binary', n: 'long' });
  it('2.0.1 reads a bool next to a dated string (the real server answered 200) and refuses it alone', () => {
    const body = (when: string): string => `{"inputs": {"x": [0.25, 1.5], "when": ${when}, "blob": ["aGVsbG8=", "AP8="], "n": [3, 7]}}`;
    expect(run(body('[true, "2023-12-31T00:00:00.000"]'), TYPED2, '2.0.1').ok).toBe(true);
    expect(run(body('[true, null]'), TYPED2, '2.0.1').status).toBe(500);
    expect(run(body('[1.5, "2023-12-31"]'), TYPED2, '2.0.1').status).toBe(500);
  });
});

describe('TF-serving dates past the nanosecond range before 2.2', () => {
  const inst = '{"instances": [{"x": 0.25, "when": "2262-04-12", "blob": "aGVsbG8=", "n": 3}, {"x": 1.5, "when": "2023-12-31T00:00:00.000", "blob": "AP8=", "n": 7}]}';
  it.each(['2.0.1', '2.1.0'])('%s: pandas refuses the datetime64[D] array when it builds the frame (500)', (v) => {
    const r = run(inst, TYPED, v);
    expect(r.status).toBe(500);
    expect(r.body).toEqual({
      error_code: 'INTERNAL_ERROR',
      message: 'This model contains a column-based signature, which suggests a DataFrame input. There was an error casting the input data to a DataFrame: Out of bounds nanosecond timestamp: 2262-04-12 00:00:00',
    });
  });
  it('2.3.1 answers (numpy casts to datetime64[ns] itself)', () => {
    expect(run(inst, TYPED, '2.3.1').ok).toBe(true);
  });
});
