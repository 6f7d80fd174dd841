/**
 * The rules docs/fidelity.md §2 found in MLflow's, pandas' and numpy's source, one test per rule, through
 * `validateRequest` (the emulated server). Expected texts are the real servers' (test/fixtures/fidelity).
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { cols, tensor, tensors } from './test-signatures';
import type { Signature } from '../model-report';

const MIXED = cols({ n_long: 'long', n_int: 'integer', city: 'string', score: 'float', flag: 'boolean', amount: 'double' });
const run = (body: unknown, signature: Signature | null, version = '2.12.2'): ValidationResult =>
  validateRequest({ body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;

describe('string columns are np.dtype("str") on the TF-serving path (S4 DataType.string, 2.7 and 2.12)', () => {
  const row = { n_long: [3], n_int: [1], city: [1.7976931348623157e308], score: [0.5], flag: [true], amount: [12.5] };
  it('a number in a string column becomes its str() and reaches the model (2.12 inputs / instances)', () => {
    for (const key of ['inputs', 'instances']) {
      const r = run({ [key]: row }, MIXED);
      expect(r.ok).toBe(true);
      const got = r.model_receives as { values: unknown[][] };
      expect(got.values[0]![2]).toBe('1.7976931348623157e+308');
    }
  });
  it("the parsed dict prints the string column as numpy's <U array", () => {
    const r = run({ inputs: { ...row, city: ['paris'], n_int: [1, 1] } }, MIXED);
    expect(msgOf(r)).toContain("'city': array(['paris'], dtype='<U5')");
  });
  it('a dict in a boolean column is its truth value (PyObject_IsTrue), in both versions', () => {
    const body = { instances: [{ n_long: 3, n_int: 1, city: 'paris', score: 0.5, flag: { a: 1 }, amount: 12.5 }] };
    for (const v of ['2.7.1', '2.12.2']) {
      const r = run(body, MIXED, v);
      expect(r.ok).toBe(true);
      expect((r.model_receives as { values: unknown[][] }).values[0]![4]).toBe(true);
    }
  });
});

describe('2.12 convert_data_type: a ColSpec value is a numpy scalar, a TensorSpec/no-spec value a 0-d array (S2)', () => {
  const REG = cols({ age: 'double', bmi: 'double', bp: 'double' });
  it("a dict of one value per column is one row (np.isscalar of numpy scalars), the dtypes kept", () => {
    const r = run({ inputs: { n_long: 3, n_int: 1, city: 'paris', score: 0.5, flag: true, amount: 12.5 } }, MIXED);
    expect(r.ok).toBe(true);
    expect((r.model_receives as { dtypes: Record<string, string> }).dtypes).toMatchObject({ n_int: 'int32', score: 'float32', flag: 'bool' });
  });
  it("str() of a numpy float64 scalar is Python's repr ('1.0', not numpy's array text '1.')", () => {
    expect(msgOf(run({ inputs: 1 }, REG))).toMatch(/^Failed to predict data '1\.0'\. /);
  });
  it('neither dict nor list: a failing conversion is re-raised in _cast_schema_type\'s own words', () => {
    for (const [payload, shown] of [['x', 'x'], [null, 'None']] as const) {
      expect(msgOf(run({ instances: payload }, MIXED))).toBe(
        `Invalid input. Failed to parse input data. This model contains a tensor-based model signature with input names, which suggests a dictionary / a list of dictionaries input mapping input name to tensor or a pure list, but an input of \`${shown}\` was found.`,
      );
    }
  });
});

describe("2.12 instances records: np.array per column is outside convert_data_type (S2 parse_instances_data)", () => {
  it('its ValueError gets parse_tf_serving_input\'s generic words, with or without a signature', () => {
    const body = { instances: [{ age: [[1]], bmi: 0.06, bp: 0.02 }, { age: -0.01, bmi: 0.0, bp: 0.05 }] };
    for (const sig of [null, cols({ age: 'double', bmi: 'double', bp: 'double' })])
      expect(msgOf(run(body, sig))).toBe(
        "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: ValueError('setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.')",
      );
  });
});

describe('2.12 inputs records holding a list: numpy reprs, and the double column\'s pd.to_numeric (S3 decimal branch)', () => {
  it('a list in a double column: "Invalid object type at position 0", the records printed with array reprs', () => {
    const r = run({ inputs: [{ age: [1, 2], bmi: 0.06, bp: 0.02 }, { age: -0.01, bmi: 0.0, bp: 0.05 }] }, cols({ age: 'double', bmi: 'double', bp: 'double' }));
    expect(r.status).toBe(400);
    expect(msgOf(r)).toBe(
      "Failed to predict data '[{'age': array([1., 2.]), 'bmi': 0.06, 'bp': 0.02}, {'age': -0.01, 'bmi': 0.0, 'bp': 0.05}]'. \nError: Failed to enforce schema of data '[{'age': array([1., 2.]), 'bmi': 0.06, 'bp': 0.02}, {'age': -0.01, 'bmi': 0.0, 'bp': 0.05}]' with schema '['age': double (required), 'bmi': double (required), 'bp': double (required)]'. Error: Invalid object type at position 0",
    );
  });
  it('a list in a float column keeps the dtype check (only double takes the decimal branch)', () => {
    const r = run({ inputs: [{ n_long: 3, n_int: 1, city: 'paris', score: [1, 2], flag: true, amount: 12.5 }] }, MIXED);
    expect(msgOf(r)).toContain("'score': array([1., 2.], dtype=float32)");
    expect(msgOf(r)).toMatch(/Error: Incompatible input types for column score\. Can not safely convert object to float32\.$/);
  });
  it('a value with no spec (an un-named tensor schema) is a 0-d array: array(1)', () => {
    expect(msgOf(run({ inputs: [{ a: 1 }] }, tensors(tensor('float64', [-1, 4])))))
      .toMatch(/^Failed to predict data '\[\{'a': array\(1\)\}\]'/);
  });
});

describe('an un-named tensor schema reshapes a DataFrame column named None (S3 _reshape_and_cast_pandas_column_values)', () => {
  it("prints the name as Python's f-string does: 'None'", () => {
    for (const v of ['2.7.1', '2.12.2'])
      expect(msgOf(run({ dataframe_records: [1, 2] }, tensors(tensor('float64', [-1, 4])), v))).toContain("The input pandas dataframe column 'None' contains scalar values");
  });
});

describe('a repeated signature column (S3 _enforce_named_col_schema: pf_input[name] is a DataFrame)', () => {
  const body = { dataframe_split: { columns: ['age', 'bmi', 'bp', 'age'], data: [[0.03, 0.06, 0.02, 0.03]] } };
  const REG = cols({ age: 'double', bmi: 'double', bp: 'double' });
  it("2.12 wraps the AttributeError's text; 2.7 answers S1's evaluation error with a stack trace", () => {
    expect(msgOf(run(body, REG))).toMatch(/Error: 'DataFrame' object has no attribute 'dtype'$/);
    const old = run(body, REG, '2.7.1');
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ error_code: 'BAD_REQUEST', message: expect.stringMatching(/^Encountered an unexpected error while evaluating the model/), stack_trace: expect.any(String) });
  });
});

describe('nested column labels are a MultiIndex (pandas ensure_index → MultiIndex.from_arrays)', () => {
  const body = { dataframe_split: { columns: [['age', 'bmi', 'bp']], data: [[0.03, 0.06, 0.02]] } };
  it('its tuple labels are extra inputs; 2.12 prints the one-level header as plain names', () => {
    const r = run(body, cols({ age: 'double', bmi: 'double', bp: 'double' }));
    expect(msgOf(r)).toBe(
      "Failed to predict data '    age   bmi    bp\n0  0.03  0.06  0.02'. \nError: Failed to enforce schema of data '    age   bmi    bp\n0  0.03  0.06  0.02' with schema '['age': double (required), 'bmi': double (required), 'bp': double (required)]'. Error: Model is missing inputs ['age', 'bmi', 'bp']. Note that there were extra inputs: [('age',), ('bmi',), ('bp',)]",
    );
    expect(run(body, cols({ age: 'double', bmi: 'double', bp: 'double' }), '2.7.1').status).toBe(500);
  });
  it('without a signature the frame reaches the model; levels of unequal length fail as pandas does', () => {
    expect(run(body, null).ok).toBe(true);
    expect(msgOf(run({ dataframe_split: { columns: [['a', 'b'], ['c']], data: [[1, 2]] } }, null))).toContain("Error: 'all arrays must be same length'");
  });
});

describe('nested labels of two or more levels (pandas factorize; S2 cast_df_types_according_to_schema)', () => {
  const REG = cols({ age: 'double', bmi: 'double', bp: 'double' });
  it('2.12 prints one header line per level, repeated labels sparsified; the tuples are the extra inputs', () => {
    const r = run({ dataframe_split: { columns: [['g', 'g', 'g'], ['age', 'bmi', 'bp']], data: [[0.5, 1, 2]] } }, REG);
    expect(msgOf(r).startsWith("Failed to predict data '     g       \n   age bmi bp\n0  0.5   1  2'. ")).toBe(true);
    expect(msgOf(r)).toMatch(/extra inputs: \[\('g', 'age'\), \('g', 'bmi'\), \('g', 'bp'\)\]$/);
  });
  it("a list among plain labels is unhashable in set(pdf.columns), outside every handler: Flask's 500 page", () => {
    for (const v of ['2.7.1', '2.12.2']) {
      const r = run({ dataframe_split: { columns: [['a', 'b', 0], ['age', 'bmi', 'bp'], 'x'], data: [[1, 2, 3]] } }, REG, v);
      expect(r.status).toBe(500);
      expect(String(r.body)).toContain('Internal Server Error');
    }
  });
});

describe('2.12 instances records without a signature: np.array of 0-d arrays keeps each value\'s type (S2 parse_instances_data)', () => {
  it('a float past int64 stays a float64 and reaches the model', () => {
    const r = run('{"instances": [{"age": -9.5, "bmi": -2147483648, "bp": 100000000000000000000.0}]}', null);
    expect(r.ok).toBe(true);
    expect((r.model_receives as { items: Record<string, { dtype: string }> }).items.bp!.dtype).toBe('float64');
  });
});

describe('CSV integers past int64: _try_int64 then _try_uint64, field by field (pandas 1.5 parsers.pyx, tokenizer.c)', () => {
  const csv = (body: string, signature: Signature | null): ValidationResult =>
    validateRequest({ body, contentType: 'text/csv', server: 'mlflow', mlflowVersion: '2.12.2', signature });
  it('a decimal after an overflowing field: uint64 gives up quietly and float64 (precise_xstrtod) reads the column', () => {
    const r = csv('a\n9223372036854775808\n0.0\n', null);
    expect((r.model_receives as { dtypes: Record<string, string>; values: unknown[][] }).dtypes.a).toBe('float64');
    expect((r.model_receives as { values: unknown[][] }).values[0]![0]).toBe(9.223372036854778e18);
  });
  it("a negative field with a uint64 one is read_csv's own ValueError in a requested int column", () => {
    const r = csv('n_long,n_int,city,score,flag,amount\n3,9223372036854775808,paris,0.5,true,12.5\n70,-2,tokyo,0.25,false,900.0\n', MIXED);
    expect(msgOf(r)).toMatch(/ Error: 'Cannot convert to numerical dtype'$/);
    expect(msgOf(csv('n_long,n_int,city,score,flag,amount\n0,-3,lima,0.2,false,1\n-9223372036854775809,1,paris,0.6,true,-7.48\n', MIXED))).toMatch(/ Error: 'Overflow'$/);
  });
});

describe("2.12 scoring server's Array-column cast walks the column with Series.map (S2 dataframe_from_parsed_json)", () => {
  it('a float column’s 1.0 is a Python float to _enforce_array: "got float"', () => {
    const s = cols({ a: 'double', v: { type: 'array', items: { type: 'double' } } as never });
    const want = "Invalid input. Data is not compatible with model signature. Failed to convert column v to type 'Array(double)'. Error: 'MlflowException('Expected data to be list or numpy array, got float')'";
    expect(msgOf(run('{"dataframe_split": {"columns": ["a", "v"], "data": [[1.0, 1.0]]}}', s))).toBe(want);
    expect(msgOf(run('{"dataframe_records": [{"a": 1.0, "v": 1.0}]}', s))).toBe(want);
  });
});

describe('2.12 _enforce_schema builds a frame from a list or ndarray outside its try (S3; 2.7 casts every input inside it)', () => {
  it("a 3-d `inputs`/`instances` array on a column signature: pandas' own ValueError, no \"error casting\" prefix", () => {
    const s = cols({ age: 'double', bmi: 'double', bp: 'double' });
    for (const key of ['inputs', 'instances']) {
      const m = msgOf(run(`{"${key}": [[[1.0, 2.0]]]}`, s));
      expect(m).toContain("Failed to enforce schema of data '[[[1. 2.]]]' with schema '['age': double (required), 'bmi': double (required), 'bp': double (required)]'. Error: Must pass 2-d input. shape=(1, 1, 2)");
      expect(m).not.toContain('error casting');
    }
  });
});

describe("2.12 convert_data_type makes an Array column's value np.array(_enforce_array(...)) (S2; run in-process on 2.12.2)", () => {
  const arr = (items: unknown): never => ({ type: 'array', items: typeof items === 'string' ? { type: items } : items }) as never;
  const withV = (t: never): Signature => cols({ a: 'double', v: t });
  const dataOf = (r: ValidationResult): string => /enforce schema of data '(.*)' with schema/.exec(msgOf(r))?.[1] ?? msgOf(r);
  it("numpy's own dtype, not object: array([1.]), array(['x', 'yy'], dtype='<U2'), array([1]), array([ True])", () => {
    expect(dataOf(run('{"inputs": {"a": [1.0], "v": [1.0]}}', withV(arr('double'))))).toBe("{'a': array([1.]), 'v': array([1.])}");
    expect(dataOf(run('{"inputs": {"a": [1.0, 2.0], "v": ["x", "yy"]}}', withV(arr('string'))))).toBe("{'a': array([1., 2.]), 'v': array(['x', 'yy'], dtype='<U2')}");
    expect(dataOf(run('{"inputs": {"a": [1.0], "v": [1]}}', withV(arr('long'))))).toBe("{'a': array([1.]), 'v': array([1])}");
    expect(dataOf(run('{"inputs": {"a": [1.0], "v": [true]}}', withV(arr('boolean'))))).toBe("{'a': array([1.]), 'v': array([ True])}");
    // instances records: np.array of the per-record arrays is float64 too
    expect(dataOf(run('{"instances": [{"a": 1.0, "v": [1.0, 2.0]}]}', withV(arr('double'))))).toBe("{'a': array([1.]), 'v': array([[1., 2.]])}");
  });
  it("a ragged Array(Array) value is numpy's ValueError; ragged records are parse_instances_data's generic words", () => {
    const ragged = 'Invalid input. setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.';
    expect(msgOf(run('{"inputs": {"a": [1.0], "v": [[1.0], [1.0, 2.0]]}}', withV(arr(arr('double')))))).toBe(ragged);
    expect(msgOf(run('{"instances": [{"a": 1.0, "v": [1.0, 2.0]}, {"a": 1.0, "v": [1.0]}]}', withV(arr('double'))))).toBe(
      "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: ValueError('setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.')",
    );
  });
  it('an Object type prints as Object.__repr__: {name: type (required)}, properties sorted by name', () => {
    const obj = { type: 'object', properties: { k: { type: { type: 'double' }, required: true }, b: { type: { type: 'string' }, required: false } } };
    expect(msgOf(run('{"inputs": {"a": [1.0], "v": [{"k": 1.0}]}}', withV(arr(obj))))).toContain("with schema '['a': double (required), 'v': Array({b: string (optional), k: double (required)}) (required)]'");
  });
});

describe('pd.DataFrame(dict) of a 0-d object array holding a dict: list() of its item, checked against the index (pandas 1.5 sanitize_array)', () => {
  const REG = cols({ age: 'double', bmi: 'double', bp: 'double' });
  // df.to_json(orient="table") sent under `inputs`: {"schema": {3 keys}, "data": [2 rows]}
  const table = { inputs: { schema: { fields: [], primaryKey: ['index'], pandas_version: '1.4.0' }, data: [{ age: 0.5 }, { age: 0.25 }] } };
  it('a dict of 3 keys next to 2 rows is "Length of values (3) does not match length of index (2)", in both versions', () => {
    const tail = 'This model contains a column-based signature, which suggests a DataFrame input. There was an error casting the input data to a DataFrame: Length of values (3) does not match length of index (2)';
    const r27 = run(table, REG, '2.7.1');
    expect([r27.status, msgOf(r27)]).toEqual([500, tail]);
    expect(msgOf(run(table, REG))).toMatch(new RegExp(`Error: ${tail.replace(/[()]/g, '\\$&')}$`));
  });
  it('an extra column of such a value is accepted when its keys are as many as the rows (no broadcast of the dict)', () => {
    const sig = cols({ data: 'long' });
    expect(run({ inputs: { schema: { a: 1, b: 2 }, data: [1, 2] } }, sig, '2.7.1').ok).toBe(true);
    expect(msgOf(run({ inputs: { schema: { a: 1 }, data: [1, 2] } }, sig, '2.7.1'))).toMatch(/Length of values \(1\) does not match length of index \(2\)$/);
  });
});

describe('2.12 instances as a dict: the length check calls len() on 0-d arrays (S2 parse_instances_data)', () => {
  // df.to_json(orient="index") under `instances` on a model without a signature (real 2.12.2 answer)
  const body = { instances: { 0: { age: 0.5, bmi: 0.1 }, 1: { age: 0.25, bmi: 0.2 } } };
  it("a dict value is np.array(dict), 0-d: TypeError('len() of unsized object'), 400, not the model's error", () => {
    const r = run(body, null);
    expect([r.status, (r.body as { error_code: string }).error_code, msgOf(r)]).toEqual([400, 'BAD_REQUEST', "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: TypeError('len() of unsized object')"]);
  });
  it('a named column signature checks only its required columns: the same body reaches enforcement', () => {
    expect(msgOf(run(body, cols({ age: 'double' })))).toContain('If using all scalar values, you must pass an index');
  });
});

describe('named tensors: a list or an ndarray misses every input (S3 _enforce_schema, 2.7–2.16)', () => {
  const AB = tensors(tensor('float64', [-1, 2], 'a'), tensor('int64', [-1], 'b'));
  it('`inputs` records and a 2-d list are "Model is missing inputs [\'a\', \'b\']." — actual_cols is empty for them', () => {
    for (const body of [{ inputs: [{ a: [1.5, 2.0], b: 3 }] }, { inputs: [[1.5, 2.0], [0.25, -3.0]] }, { inputs: [] }]) {
      expect(msgOf(run(body, AB))).toMatch(/Error: Model is missing inputs \['a', 'b'\]\.$/);
    }
  });
  it('a dict of both names still reaches the model', () => {
    expect(run({ inputs: { a: [[1.5, 2.0]], b: [3] } }, AB).ok).toBe(true);
  });
});
