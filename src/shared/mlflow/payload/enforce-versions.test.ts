/**
 * `_enforce_mlflow_datatype` changes between 2.7.1 and 2.12.2 other than the int64 0/1 rule (long-zero-one.test.ts),
 * both from MLflow 2.10.0 and both run with the real functions (docs/fidelity.md):
 * - 412b900 (#10727): an object column passes for boolean unchanged (2.7.1: "Can not safely convert object to bool.");
 * - 7be9805 (#10852): the datetime conversion failure is an f-string (2.7.1 prints the braces as written).
 */
import { describe, expect, it } from 'vitest';
import { enforceMlflowDatatype, MlflowErr } from './enforce';
import { makeColumn } from './frame';
import { validateRequest } from './validate';
import { cols } from './test-signatures';
import { resolveMlflowVersion } from './version';

const era = (v: string) => resolveMlflowVersion(null, null, v);
const objectCol = (values: (boolean | string | null)[]) => ({ ...makeColumn('b', values, () => '$'), dtype: 'object' });

describe('boolean column holding None (object dtype)', () => {
  it.each(['2.7.1', '2.9.2'])('%s refuses it', (v) => {
    expect(() => enforceMlflowDatatype('b', objectCol([true, null]), { type: 'boolean' }, era(v))).toThrow(
      new MlflowErr('Incompatible input types for column b. Can not safely convert object to bool.'),
    );
  });
  it.each(['2.10.0', '2.12.2', '3.6.1'])('%s passes it unchanged (None stays None)', (v) => {
    expect(enforceMlflowDatatype('b', objectCol([true, null]), { type: 'boolean' }, era(v))).toMatchObject({ dtype: 'object', values: [true, null] });
  });
  it('all bools without None are inferred bool and pass on every version', () => {
    for (const v of ['2.7.1', '2.12.2']) expect(enforceMlflowDatatype('b', objectCol([true, false]), { type: 'boolean' }, era(v)).dtype).toBe('bool');
  });
  it('on Azure (a column missing from the input example arrives as object): 500 on 2.7.1, 200 on 2.12.2', () => {
    const ask = (v: string) =>
      validateRequest({
        body: '{"input_data": {"columns": ["a", "b"], "data": [[1.0, true], [2.0, null]]}}', contentType: 'application/json', server: 'azureml', mlflowVersion: v,
        signature: cols({ a: 'double', b: 'boolean' }), inputExample: { form: 'dataframe-split', text: '{"columns": ["a"], "data": [[1.0]]}' },
      });
    const old = ask('2.7.1');
    expect(old.status).toBe(500);
    expect(old.server_log).toContain('Incompatible input types for column b. Can not safely convert object to bool.');
    expect(ask('2.12.2').status).toBe(200);
  });
});

describe('datetime column that does not parse', () => {
  it('2.7.1 prints the unformatted template, 2.10+ names the column and DataType.datetime', () => {
    const bad = objectCol(['nope', null]);
    expect(() => enforceMlflowDatatype('d', bad, { type: 'datetime' }, era('2.7.1'))).toThrow(new MlflowErr('Failed to convert column {name} from type {values.dtype} to {t}.'));
    for (const v of ['2.10.0', '2.12.2', '3.6.1'])
      expect(() => enforceMlflowDatatype('d', bad, { type: 'datetime' }, era(v))).toThrow(new MlflowErr('Failed to convert column d from type object to DataType.datetime.'));
  });
});

describe('object column of numbers and None (every version): `infer_objects()` makes it float64 first', () => {
  const numbersAndNone = () => ({ ...makeColumn('n', [1, null], () => '$'), dtype: 'object' });
  it('long/integer: refused as float64 with the missing-values hint; float: float64 → float32 refused; double: NaN kept', () => {
    for (const v of ['2.7.1', '2.12.2']) {
      expect(() => enforceMlflowDatatype('n', numbersAndNone(), { type: 'long' }, era(v))).toThrow(/^Incompatible input types for column n\. Can not safely convert float64 to int64\. Hint: the type mismatch is likely caused by missing values\./);
      expect(() => enforceMlflowDatatype('n', numbersAndNone(), { type: 'integer' }, era(v))).toThrow(/Can not safely convert float64 to int32\. Hint:/);
      expect(() => enforceMlflowDatatype('n', numbersAndNone(), { type: 'float' }, era(v))).toThrow(new MlflowErr('Incompatible input types for column n. Can not safely convert float64 to float32.'));
      const d = enforceMlflowDatatype('n', numbersAndNone(), { type: 'double' }, era(v));
      expect(d.dtype).toBe('float64');
      expect(d.values[0]).toBe(1);
      expect(Number.isNaN(d.values[1])).toBe(true);
    }
  });
});
