/**
 * MLflow 2.16.1's exception in `_enforce_mlflow_datatype` (mlflow/mlflow 208c7b9, #13036): an int64 column
 * whose values are all 0 or 1 passes for a float/double column. 2.16.0 and older refuse int64 whatever the
 * values (docs/fidelity.md "int64 with only 0/1 values for a float/double column").
 */
import { describe, expect, it } from 'vitest';
import { enforceMlflowDatatype, MlflowErr } from './enforce';
import { makeColumn } from './frame';
import { validateRequest, type ValidateRequestInput, type ValidationResult } from './validate';
import { cols } from './test-signatures';
import { resolveMlflowVersion } from './version';
import type { ColType, Signature } from '../model-report';

const era = (v: string) => resolveMlflowVersion(null, null, v);
const int64 = (values: number[]) => ({ ...makeColumn('d', values, () => '$'), dtype: 'int64' });
const DOUBLE: ColType = { type: 'double' };
const FLOAT: ColType = { type: 'float' };
const REFUSED = 'Incompatible input types for column d. Can not safely convert int64 to float64.';

describe('enforceMlflowDatatype: int64 of 0/1 for float/double, by full version', () => {
  it.each(['2.7.1', '2.12.2', '2.15.1', '2.16', '2.16.0'])('%s refuses int64 [1, 0] for double with MLflow\'s message', (v) => {
    expect(() => enforceMlflowDatatype('d', int64([1, 0]), DOUBLE, era(v))).toThrow(new MlflowErr(REFUSED));
  });
  it.each(['2.16.1', '2.16.2', '2.20.1', '3.0', '3.6.1'])('%s accepts int64 [1, 0, 1] for double (→ float64) and float (→ float32)', (v) => {
    const d = enforceMlflowDatatype('d', int64([1, 0, 1]), DOUBLE, era(v));
    expect(d).toMatchObject({ dtype: 'float64', values: [1, 0, 1] });
    expect(enforceMlflowDatatype('d', int64([0, 1]), FLOAT, era(v)).dtype).toBe('float32');
  });
  it('2.16.1: one value other than 0/1 refuses the whole column, an empty int64 column passes (`all([])` is True)', () => {
    expect(() => enforceMlflowDatatype('d', int64([1, 0, 2]), DOUBLE, era('2.16.1'))).toThrow(new MlflowErr(REFUSED));
    expect(() => enforceMlflowDatatype('d', int64([-1]), FLOAT, era('2.16.1'))).toThrow(
      new MlflowErr('Incompatible input types for column d. Can not safely convert int64 to float32.'),
    );
    expect(enforceMlflowDatatype('d', int64([]), DOUBLE, era('2.16.1')).dtype).toBe('float64');
    expect(() => enforceMlflowDatatype('d', int64([]), DOUBLE, era('2.16.0'))).toThrow(new MlflowErr(REFUSED));
  });
  it('2.16.1: only int64 — an int32 column of 0/1 stays refused for float (int32 → float32 is not an upcast)', () => {
    const i32 = { ...int64([1, 0]), dtype: 'int32' };
    expect(() => enforceMlflowDatatype('d', i32, FLOAT, era('2.16.1'))).toThrow(new MlflowErr('Incompatible input types for column d. Can not safely convert int32 to float32.'));
  });
});

const run = (body: string, signature: Signature, version: string, over: Partial<ValidateRequestInput> = {}): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature, ...over });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;

describe('the serving paths that reach the rule', () => {
  // Azure's script casts each request to the input example's dtypes (int64 here), then MLflow's check runs.
  const example = { form: 'dataframe-split', text: '{"columns": ["d"], "data": [[1], [0]]}' } as const;
  const azure = (v: string, value: string, version: string) =>
    run(`{"input_data": {"columns": ["d"], "data": [[${value}]]}}`, cols({ d: 'double' }), version, { server: 'azureml', inputExample: example });
  it('Azure, int64 example on a double column: 2.16.0 answers 500 for 1.5; 2.16.1 accepts it as 1.0 and still refuses 2.5', () => {
    for (const v of ['1.5', '0']) {
      const before = azure(v, v, '2.16.0');
      expect(before.status).toBe(500);
      expect(before.server_log).toContain(REFUSED);
    }
    const after = azure('1.5', '1.5', '2.16.1');
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    const frame = after.model_receives as Extract<NonNullable<ValidationResult['model_receives']>, { kind: 'DataFrame' }>;
    expect(frame.dtypes.d).toBe('float64');
    expect(frame.values).toEqual([[1]]);
    const two = azure('2.5', '2.5', '2.16.1');
    expect(two.status).toBe(500);
    expect(two.server_log).toContain(REFUSED);
  });

  const arr = cols({ c: { type: 'array', items: { type: 'double' } } });
  it('MLflow server, Array(double) column of JSON ints: each element is `pd.Series(1)` (int64) — 400 before 2.16.1, accepted after', () => {
    const body = '{"dataframe_split": {"columns": ["c"], "data": [[[1, 0]]]}}';
    const before = run(body, arr, '2.16.0');
    expect(before.status).toBe(400);
    expect(msgOf(before)).toBe(
      "Invalid input. Data is not compatible with model signature. Failed to convert column c to type 'Array(double)'. Error: 'MlflowException('Failed to enforce schema of data `1` with dtype `double`')'",
    );
    const after = run(body, arr, '2.16.1');
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    const frame = after.model_receives as Extract<NonNullable<ValidationResult['model_receives']>, { kind: 'DataFrame' }>;
    expect(JSON.stringify(frame.values)).toBe('[[[1,0]]]');
    const two = run('{"dataframe_split": {"columns": ["c"], "data": [[[1, 2]]]}}', arr, '2.16.1');
    expect(two.status).toBe(400);
    expect(msgOf(two)).toContain('Failed to enforce schema of data `2` with dtype `double`');
  });
  it('scalar double columns on dataframe_split are cast by the server first, so every version accepts ints', () => {
    for (const v of ['2.12.2', '2.16.0', '2.16.1']) expect(run('{"dataframe_split": {"columns": ["d"], "data": [[2]]}}', cols({ d: 'double' }), v).status).toBe(200);
  });
});
