import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidateRequestInput, type ValidationResult } from './validate';
import { cols, param, paramsOnly, tensor, tensors, unnamedCols } from './test-signatures';
import { resolveMlflowVersion } from './version';
import { MODEL_RECEIVES_PREVIEW_ROWS } from './model-input';
import type { Signature } from '../model-report';

const V27 = '2.7.1', V212 = '2.12.2', V3 = '3.6.1';
const run = (body: string, signature: Signature | null, over: Partial<ValidateRequestInput> = {}): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: V212, signature, ...over });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;
const codes = (r: ValidationResult): string[] => r.warnings.map((w) => w.code);
const frame = (r: ValidationResult) => r.model_receives as Extract<NonNullable<ValidationResult['model_receives']>, { kind: 'DataFrame' }>;
const split = (columns: string[], data: unknown[][]): string => JSON.stringify({ dataframe_split: { columns, data } });

describe('§2.1 serving JSON pre-cast: the lenient table, both versions', () => {
  const cases: [string, string, unknown, unknown, string | null][] = [
    // [type, JSON value, received value, dtype-or-null, warning code]
    ['long', '2.7', 2, 'int64', 'float-truncated'],
    ['long', '"12"', 12, 'int64', 'string-to-number'],
    ['integer', '3000000000', -1294967296, 'int32', 'int-overflow-wrap'],
    ['double', '5', 5, 'float64', null],
    ['double', 'true', 1, 'float64', 'bool-to-number'],
    ['double', '"1.5"', 1.5, 'float64', 'string-to-number'],
    ['double', 'null', 'NaN', 'float64', null],
    ['float', '0.1', Math.fround(0.1), 'float32', 'float32-rounding'],
    ['boolean', '1', true, 'bool', null],
    ['boolean', '0', false, 'bool', null],
    ['boolean', '"false"', true, 'bool', 'string-to-bool'],
    ['boolean', 'null', false, 'bool', 'null-to-false'],
    ['string', '5', 5, 'object', 'non-string-in-string-column'],
    ['string', 'null', null, 'object', 'non-string-in-string-column'],
    ['string', '["p","q"]', ['p', 'q'], 'object', 'non-string-in-string-column'],
    ['binary', '"aGVsbG8="', "b'hello'", 'object', null],
    ['datetime', '"2024-01-02T03:04:05"', '2024-01-02T03:04:05', 'datetime64[ns]', null],
    ['datetime', '"2024-01-02"', '2024-01-02T00:00:00', 'datetime64[ns]', null],
    ['datetime', '"2024-01-02T03:00:00+02:00"', '2024-01-02T01:00:00', 'datetime64[ns]', 'timezone-dropped'],
    ['datetime', '1000000000', '1970-01-01T00:00:01', 'datetime64[ns]', 'int-as-nanoseconds'],
    ['any', '{"x": 1}', { x: 1 }, 'object', null],
  ];
  for (const v of [V27, V212])
    it.each(cases)(`[${v}] %s column ← %s is accepted as %j (§2.1 table)`, (type, json, want, dtype, code) => {
      const r = run(`{"dataframe_split": {"columns": ["c"], "data": [[${json}]]}}`, cols({ c: type as 'long' }), { mlflowVersion: v });
      expect(r.ok, JSON.stringify(r.body)).toBe(true);
      expect(frame(r).values[0]![0]).toEqual(want);
      expect(frame(r).dtypes.c).toBe(dtype);
      if (code) expect(codes(r)).toContain(code);
    });

  it.each([
    ['long', '1], [null', "IntCastingNaNError('Cannot convert non-finite values (NA or inf) to integer')", "to type 'int64'"],
    ['double', '"abc"', 'ValueError("could not convert string to float: \'abc\'")', "to type 'float64'"],
    ['binary', '"abc"', "Error('Incorrect padding')", "to type '<class 'object'>'"],
    ['binary', '5', 'TypeError', "to type '<class 'object'>'"],
    ['datetime', '"not a date"', 'ParserError', "to type 'datetime64[ns]'"],
    ['array', '"x"', 'Expected data to be list or numpy array, got str', "to type 'Array(long)'"],
  ])('§2.1 %s column ← %s fails with 400 BAD_REQUEST naming the column', (type, json, inner, typeText) => {
    const t = type === 'array' ? { type: 'array' as const, items: { type: 'long' as const } } : (type as 'long');
    const r = run(`{"dataframe_split": {"columns": ["c"], "data": [[${json}]]}}`, cols({ c: t }));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error_code: 'BAD_REQUEST' });
    expect(msgOf(r)).toMatch(/^Invalid input\. Data is not compatible with model signature\. Failed to convert column c /);
    expect(msgOf(r)).toContain(typeText);
    expect(msgOf(r)).toContain(inner);
  });

  it('§2.1 object: missing required property / unknown property; map: wrong value type', () => {
    const obj = { type: 'object' as const, properties: { k: { type: { type: 'long' as const }, required: true } } };
    expect(msgOf(run(split(['o'], [[{}]]), cols({ o: obj })))).toContain("Missing required properties: {'k'}");
    expect(msgOf(run(split(['o'], [[{ k: 1, z: 2 }]]), cols({ o: obj })))).toContain("Invalid properties not defined in the schema found: {'z'}");
    const map = { type: 'map' as const, values: { type: 'long' as const } };
    expect(msgOf(run(split(['m'], [[{ a: 'x' }]]), cols({ m: map })))).toContain('Failed to enforce schema of data `x` with dtype `long`');
    expect(run(split(['m'], [[{ a: 1 }]]), cols({ m: map })).ok).toBe(true);
  });

  it('§2.1 CSV: typed by the signature, a non-integral long fails, no params', () => {
    const sig = cols({ a: 'long', b: 'double' });
    const ok = run('a,b\n1,2.5\n3,4\n', sig, { contentType: 'text/csv' });
    expect(frame(ok)).toMatchObject({ columns: ['a', 'b'], dtypes: { a: 'int64', b: 'float64' }, values: [[1, 2.5], [3, 4]] });
    expect(ok.params_received).toBeNull();
    const bad = run('a,b\n2.7,1\n', sig, { contentType: 'text/csv' });
    expect(bad.status).toBe(400);
    expect(msgOf(bad)).toMatch(/^Failed to parse input as a Pandas DataFrame\. /);
    const bin = run('c\naGVsbG8=\n', cols({ c: 'binary' }), { contentType: 'text/csv' });
    expect(frame(bin).values[0]![0]).toBe('aGVsbG8='); // no base64 decoding for CSV
  });
});

describe('§2.2 in-process enforcement (inputs dict path after numpy casting)', () => {
  it('long → double is accepted on the serving JSON path although D3 says it is rejected', () => {
    const r = run('{"dataframe_split": {"columns": ["d"], "data": [[5]]}}', cols({ d: 'double' }));
    expect(r.ok).toBe(true);
  });
  it('inputs dict of lists is cast with numpy to the column type', () => {
    const r = run('{"inputs": {"a": [1.9, 2.1], "b": ["x", "y"]}}', cols({ a: 'long', b: 'string' }));
    expect(frame(r)).toMatchObject({ dtypes: { a: 'int64', b: 'object' }, values: [[1, 'x'], [2, 'y']] });
  });
});

describe('§2.3 column set, order, optional', () => {
  const sig = cols({ a: 'double', b: 'double', c: ['double', false] });
  it('missing required column: 2.12 wraps with the predict/enforce prefixes (400), 2.7 gives 500 bare', () => {
    const body = split(['a', 'zz'], [[1, 2]]);
    const r12 = run(body, sig);
    expect(r12.status).toBe(400);
    expect(r12.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(msgOf(r12)).toMatch(/^Failed to predict data '.*'\. \nError: Failed to enforce schema of data '.*' with schema '\['a': double \(required\), 'b': double \(required\), 'c': double \(optional\)\]'\. Error: Model is missing inputs \['b'\]\. Note that there were extra inputs: \['zz'\]$/s);
    const r27 = run(body, sig, { mlflowVersion: V27 });
    expect(r27.status).toBe(500);
    expect(r27.body).toEqual({ error_code: 'INTERNAL_ERROR', message: "Model is missing inputs ['b']. Note that there were extra inputs: ['zz']" });
    expect(msgOf(run(body, sig, { mlflowVersion: V3 }))).toMatch(/extra inputs: \['zz'\]\.$/); // trailing period in 3.x
  });
  it('names are case-sensitive, extras dropped with a warning, order follows the signature, optional may be absent', () => {
    const r = run(split(['b', 'zz', 'a'], [[2, 9, 1]]), sig);
    expect(frame(r).columns).toEqual(['a', 'b']);
    expect(codes(r)).toEqual(expect.arrayContaining(['extra-column-dropped', 'columns-reordered', 'optional-column-absent']));
    const cased = run(split(['A', 'b'], [[1, 2]]), sig);
    expect(cased.ok).toBe(false);
    expect(codes(cased)).toContain('column-name-case');
  });
  it('unnamed columns: only the count is checked (double space), first N used, names kept', () => {
    const u = unnamedCols('double', 'double');
    const short = run(split(['x'], [[1]]), u);
    expect(msgOf(short)).toContain('The model signature declares 2 inputs  but the provided value only has 1 inputs.');
    const r = run(split(['x', 'y', 'z'], [[1, 2, 3]]), u);
    expect(frame(r).columns).toEqual(['x', 'y']);
  });
  it('dataframe_split without columns → 0..n-1 → every named column missing', () => {
    const r = run('{"dataframe_split": {"data": [[1, 2]]}}', cols({ a: 'double', b: 'double' }));
    expect(msgOf(r)).toContain("Model is missing inputs ['a', 'b']. Note that there were extra inputs: [0, 1]");
    expect(codes(r)).toContain('split-without-columns');
  });
});

describe('§2.4 tensor signatures', () => {
  const t = tensors(tensor('float32', [-1, 4]));
  it('ints become floats, shape with -1 accepted', () => {
    const r = run('{"inputs": [[1, 2, 3, 4]]}', t);
    expect(r.model_receives).toEqual({ kind: 'ndarray', dtype: 'float32', shape: [1, 4], values: [[1, 2, 3, 4]] });
  });
  it('floats are truncated for int specs (1.7 → 1)', () => {
    const r = run('{"inputs": [1.7, 2]}', tensors(tensor('int64', [-1])));
    expect(r.model_receives).toMatchObject({ values: [1, 2] });
    expect(codes(r)).toContain('float-truncated');
  });
  it.each([
    ['{"inputs": [1, 2, 3, 4]}', 'Shape of input (4,) does not match expected shape (-1, 4).'],
    ['{"inputs": [[1, 2, 3]]}', 'Shape of input (1, 3) does not match expected shape (-1, 4).'],
  ])('rank/dim mismatch %s', (body, text) => {
    expect(msgOf(run(body, t))).toContain(text);
    expect(run(body, t, { mlflowVersion: V27 }).status).toBe(500);
  });
  it.each([
    ['{"inputs": [null]}', tensors(tensor('int64', [-1])), 'Invalid input. int() argument must be'],
    ['{"inputs": ["a"]}', tensors(tensor('float32', [-1])), "Invalid input. could not convert string to float: 'a'"],
    ['{"inputs": [[1, 2], [3]]}', tensors(tensor('float32', [-1, 2])), 'Invalid input. setting an array element with a sequence'],
    // 2.12.2's own words (recorded: test/fixtures/fidelity/tensor.jsonl)
    ['{"inputs": {"a": [1]}}', tensors(tensor('float32', [-1])), "Invalid input. Failed to parse input data. This model contains an un-named tensor-based model signature which expects a single n-dimensional array as input, however, an input of type <class 'dict'> was found."],
  ])('parse failures are 400 BAD_REQUEST in 2.12: %s', (body, sig, text) => {
    const r = run(body, sig);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error_code: 'BAD_REQUEST' });
    expect(msgOf(r)).toContain(text);
  });
  it('2.7: instances/inputs parse failures are the generic TF-serving text with 500', () => {
    const r = run('{"inputs": {"a": [1]}}', tensors(tensor('float32', [-1])), { mlflowVersion: V27 });
    expect(r.status).toBe(500);
    expect(msgOf(r)).toMatch(/^Failed to parse data as TF serving input\. Ensure that the input is a valid JSON-formatted string/);
  });
  it('object (-1,) spec accepts anything', () => {
    expect(run('{"inputs": [1, "a", [2]]}', tensors(tensor('object', [-1]))).ok).toBe(true);
  });
  it('dataframe_split works for (-1, n) with n columns', () => {
    expect(run(split(['a', 'b'], [[1, 2]]), tensors(tensor('float64', [-1, 2]))).model_receives).toMatchObject({ kind: 'ndarray', shape: [1, 2] });
    expect(run(split(['a', 'b', 'c'], [[1, 2, 3]]), tensors(tensor('float64', [-1, 2]))).ok).toBe(false);
  });
  const named = tensors(tensor('float32', [-1, 2], 'a'), tensor('int64', [-1], 'b'));
  it('named tensors: inputs dict, instances records stacked, missing name', () => {
    const r = run('{"inputs": {"a": [[1, 2]], "b": [3]}}', named);
    expect(r.model_receives).toMatchObject({ kind: 'dict', items: { a: { dtype: 'float32', shape: [1, 2] }, b: { dtype: 'int64', shape: [1] } } });
    const inst = run('{"instances": [{"a": [1, 2], "b": 3}, {"a": [3, 4], "b": 4}]}', named);
    expect(inst.model_receives).toMatchObject({ kind: 'dict', items: { a: { shape: [2, 2] }, b: { shape: [2] } } });
    expect(msgOf(run('{"inputs": {"a": [[1, 2]]}}', named))).toContain("Model is missing inputs ['b'].");
  });
  it('instances dict with unequal lengths', () => {
    expect(msgOf(run('{"instances": {"a": [[1, 2]], "b": [3, 4]}}', named))).toContain('The length of values for each input/column name are not the same');
  });
});

describe('§2.5 params', () => {
  const sig = paramsOnly([param('k', 'long', 5), param('t', 'double', 0.5), param('b', 'boolean', true), param('l', 'long', [1], [-1])]);
  const body = (p: string): string => `{"inputs": [1], "params": ${p}}`;
  it('defaults fill missing params; int → double allowed; unknown keys dropped with a warning', () => {
    const r = run(body('{"t": 1, "zz": 1}'), sig);
    expect(r.params_received).toEqual({ k: 5, t: 1, b: true, l: [1] });
    expect(codes(r)).toContain('param-unknown-dropped');
  });
  // MLflow 2.7–2.12 words (recorded from the real 2.7.1 and 2.12.2 servers, test/fixtures/fidelity/params.jsonl).
  it.each([
    ['[1]', "Parameters must be a dictionary. Got type 'list'."],
    ['{"k": "3"}', "Incompatible types for param 'k': long (default: 5) with shape None. Can not safely convert str to DataType.long."],
    ['{"b": "true"}', "Incompatible types for param 'b': boolean (default: True) with shape None. Can not safely convert str to DataType.boolean."],
    ['{"b": 1}', 'Can not safely convert int to DataType.boolean.'],
    ['{"k": 3.0}', 'Can not safely convert float to DataType.long.'],
    ['{"k": [1, 2]}', "Value should be a scalar for param 'k': long (default: 5) with shape None, got [1, 2]"],
    ['{"l": 3}', "Value must be a 1D array with shape (-1,) for param 'l': long (default: [1]) (shape: (-1,)), received int with ndim 0"],
  ])('params %s → 400 INVALID_PARAMETER_VALUE (2.12)', (p, text) => {
    for (const version of ['2.12.2', '2.7.1']) {
      const r = run(body(p), sig, { mlflowVersion: version });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      expect(msgOf(r)).toContain(text);
    }
  });
  it.each([
    ['[1]', "Parameters must be a dictionary. Got type 'list'."],
    ['{"k": "3"}', "Can not safely convert `<class 'str'>` to `DataType.long` for value `3`"],
    ['{"b": "true"}', "Can not safely convert `<class 'str'>` to `DataType.boolean` for value `true`"],
    ['{"b": 1}', "Can not safely convert `<class 'int'>` to `DataType.boolean` for value `1`"],
    ['{"k": 3.0}', "Can not safely convert `<class 'float'>` to `DataType.long` for value `3.0`"],
    ['{"k": [1, 2]}', 'Value must be a scalar for type `DataType.long`'],
    ['{"l": 3}', 'Value must be a 1D array with shape (-1,)'],
  ])('params %s → 400 INVALID_PARAMETER_VALUE (3.x)', (p, text) => {
    const r = run(body(p), sig, { mlflowVersion: '3.6.1' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(msgOf(r)).toContain(text);
    if (p.startsWith('{')) expect(msgOf(r)).toContain('Invalid parameters found: {(');
  });
  it('no params schema: params ignored with a warning, predict receives {}; params null = absent', () => {
    const r = run(body('{"x": 1}'), null);
    expect(r.params_received).toEqual({});
    expect(codes(r)).toContain('params-ignored');
    expect(run(body('null'), null).params_received).toBeNull();
    expect(run(body('null'), sig).params_received).toEqual({ k: 5, t: 0.5, b: true, l: [1] });
  });
  it('{"k": null} reaches the model as None, not the default (§10)', () => {
    const r = run(body('{"k": null}'), sig);
    expect(r.params_received).toMatchObject({ k: null });
    expect(codes(r)).toContain('param-null');
  });
});

describe('§3 MLflow scoring server: content type, envelope, errors', () => {
  it.each([
    ['text/plain', 415, "This predictor only supports the following content types: Types: ['text/csv', 'application/json']. Got 'text/plain'."],
    ['Application/JSON', 415, "This predictor only supports the following content types: Types: ['text/csv', 'application/json']. Got 'Application/JSON'."],
    ['application/json; charset=latin-1', 415, 'The scoring server only supports UTF-8'],
    ['application/json; format=pandas-split', 415, 'Unrecognized content type parameters: format. IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0.'],
  ])('Content-Type %s → %i text/plain', (ct, status, text) => {
    const r = run('{"inputs": [1]}', null, { contentType: ct });
    expect(r.status).toBe(status);
    expect(r.body as string).toContain(text);
  });
  it('charset utf-8 in any case is fine; a missing header is an unhandled 500 (HTML in 2.x, text in 3.x)', () => {
    expect(run('{"inputs": [1]}', null, { contentType: 'application/json; charset=UTF-8' }).ok).toBe(true);
    const r2 = run('{"inputs": [1]}', null, { contentType: null });
    expect(r2.status).toBe(500);
    expect(r2.body as string).toContain('<title>500 Internal Server Error</title>');
    expect(run('{"inputs": [1]}', null, { contentType: null, mlflowVersion: V3 }).body).toBe('Internal Server Error');
  });
  it('invalid JSON → 400 with the JSONDecodeError repr; a BOM is not stripped', () => {
    const r = run('{bad', null);
    expect(r.body).toMatchObject({ error_code: 'BAD_REQUEST' });
    expect(msgOf(r)).toMatch(/^Invalid input\. Ensure that input is a valid JSON formatted string\. Error: 'JSONDecodeError\('Expecting property name enclosed in double quotes: line 1 column 2 \(char 1\)'\)'/);
    const bom = run('\ufeff{"inputs": [1]}', null);
    expect(bom.status).toBe(400);
    expect(codes(bom)).toContain('utf8-bom');
  });
  it('top-level list / scalar; the IMPORTANT paragraph only in 2.7', () => {
    expect(msgOf(run('[1]', null))).toMatch(/^Invalid input\. The input must be a JSON dictionary with exactly one of the input fields \{.*\}\. Received a list\.$/);
    expect(msgOf(run('[1]', null, { mlflowVersion: V27 }))).toContain('Received a list. IMPORTANT:');
    expect(msgOf(run('5', null))).toContain("Received unexpected input type '<class 'int'>.");
  });
  it('exactly one format key; input_data gets [] ; other keys silently ignored', () => {
    const az = run('{"input_data": {"columns": ["a"], "data": [[1]]}}', null);
    expect(az.status).toBe(400);
    expect(msgOf(az)).toContain('Received dictionary with input fields: [].');
    expect(codes(az)).toContain('ignored-top-level-key');
    expect(msgOf(run('{"inputs": [1], "instances": [1]}', null))).toContain("Received dictionary with input fields: ['inputs', 'instances']");
    const ign = run('{"inputs": [1], "extra": 1}', null);
    expect(ign.ok).toBe(true);
    expect(ign.warnings.find((w) => w.code === 'ignored-top-level-key')?.path).toBe('$.extra');
  });
  it.each([
    ['{"dataframe_split": [1]}', 'Invalid input. Dataframe split format must be a dictionary. Got list.'],
    ['{"dataframe_split": {"data": [[1]], "x": 1}}', "Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {'data', 'x'}.'"],
    ['{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1, 2]]}}', "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '3 columns passed, passed data had 2 columns'"],
    ['{"dataframe_records": {"a": 1}}', 'Invalid input. Dataframe records format must be a list of records. Got dictionary.'],
  ])('envelope error %s', (body, text) => {
    const r = run(body, null);
    expect(r.body).toEqual({ error_code: 'BAD_REQUEST', message: text });
  });
  it('dataframe_records: a missing key becomes NaN; split index longer than one row is broadcast (§10)', () => {
    const rec = run('{"dataframe_records": [{"a": 1, "b": 2}, {"a": 3}]}', null);
    expect(frame(rec)).toMatchObject({ dtypes: { a: 'int64', b: 'float64' }, values: [[1, 2], [3, 'NaN']] });
    expect(codes(rec)).toContain('record-missing-key');
    const b = run('{"dataframe_split": {"columns": ["a"], "index": [0, 1], "data": [[7]]}}', null);
    expect(frame(b).values).toEqual([[7], [7]]);
    expect(codes(b)).toContain('index-broadcast');
  });
  it('inputs: column signature from a dict (one row for scalars), list → the only column, records accepted in 2.12 but 500 in 2.7', () => {
    const sig = cols({ a: 'long', b: 'string' });
    expect(frame(run('{"inputs": {"a": 1, "b": "x"}}', sig)).values).toEqual([[1, 'x']]);
    expect(run('{"inputs": {"a": 1, "b": "x"}}', sig, { mlflowVersion: V27 }).status).toBe(500);
    expect(frame(run('{"inputs": [1, 2]}', cols({ a: 'long' }))).values).toEqual([[1], [2]]);
    const recs = '{"inputs": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]}';
    expect(frame(run(recs, sig)).values).toEqual([[1, 'x'], [2, 'y']]);
    expect(run(recs, sig, { mlflowVersion: V27 }).status).toBe(500);
  });
  it('instances list of records is turned into dict-of-lists, with the server warning', () => {
    const r = run('{"instances": [{"a": "t1", "b": [1, 2, 3]}, {"a": "t2", "b": [4, 5, 6]}]}', null);
    expect(r.model_receives).toMatchObject({ kind: 'dict', items: { a: { kind: 'ndarray', shape: [2] }, b: { dtype: 'int64', shape: [2, 3] } } });
    expect(codes(r)).toContain('instances-records-converted');
  });
  it('unified LLM keys (≥ 2.11): whole dict unparsed, param keys split off, a tabular column named input is affected', () => {
    const sig = { ...cols({ input: 'string' }), params: [param('temperature', 'double', 0.5)] };
    const r = run('{"input": "hi", "temperature": 0.2}', sig);
    expect(r.ok).toBe(true);
    expect(r.params_received).toEqual({ temperature: 0.2 });
    expect(r.warnings.find((w) => w.code === 'unified-llm-mode')?.message).toContain("column named 'input'");
    expect(run('{"messages": [{"role": "user", "content": "x"}]}', null).model_receives).toMatchObject({ kind: 'object' });
    expect(run('{"prompt": "x"}', null, { mlflowVersion: V27 }).status).toBe(400); // no LLM mode before 2.11
  });
  it('type-hint models (≥ 2.20) need the inputs key', () => {
    const r = run('{"dataframe_split": {"data": [[1]]}}', null, { isSignatureFromTypeHint: true, mlflowVersion: '2.21.3' });
    expect(r.body).toEqual({ error_code: 'BAD_REQUEST', message: "Request payload must be a dictionary with 'inputs' key when the model contains a valid type hint." });
    expect(run('{"inputs": ["a"]}', null, { isSignatureFromTypeHint: true, mlflowVersion: '2.21.3' }).model_receives).toMatchObject({ kind: 'list', value: ['a'] });
  });
  it('no signature: pandas dtype inference reaches the model (int vs float vs object)', () => {
    const r = run(split(['i', 'f', 'm', 's'], [[1, 1.5, 1, 'a'], [2, 2, null, 'b']]), null);
    expect(frame(r).dtypes).toEqual({ i: 'int64', f: 'float64', m: 'float64', s: 'object' });
  });
});

describe('§4 Azure ML no-code endpoint', () => {
  const az = (body: string, signature: Signature | null, over: Partial<ValidateRequestInput> = {}): ValidationResult =>
    run(body, signature, { server: 'azureml', ...over });
  const GENERIC = { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' };
  it.each([
    [null, 415, 'Expects Content-Type to be application/json'],
    ['text/csv', 415, 'Expects Content-Type to be application/json'],
  ])('content type %s → %i', (ct, status, text) => {
    expect(az('{"input_data": [1]}', null, { contentType: ct })).toMatchObject({ status, body: { message: text } });
  });
  it('any JSON type and charset are accepted (application/*+json, Application/JSON; charset=latin-1)', () => {
    expect(az('{"input_data": [1]}', null, { contentType: 'application/vnd.api+json' }).ok).toBe(true);
    expect(az('{"input_data": [1]}', null, { contentType: 'Application/JSON; charset=latin-1' }).ok).toBe(true);
  });
  it.each([
    ['', 400, 'POST body is empty. Expecting a JSON dictionary.'],
    ['[1]', 400, 'POST body should be a JSON dictionary.'],
    ['{"dataframe_split": {"data": [[1]]}}', 400, "A value is not provided for the 'input_data' parameter."],
  ])('envelope %j → %i', (body, status, text) => {
    expect(az(body, null)).toMatchObject({ status, body: { message: text } });
  });
  it('invalid JSON → 400 with the decode error', () => {
    expect(msgOf(az('{"input_data": {["x"]}}', null))).toMatch(/^POST body could not be decoded as JSON: Expecting property name/);
  });
  const sig = cols({ a: 'long', d: 'double', flag: 'boolean', bin: 'binary' });
  it('split frame: index optional, dtypes from the signature sample, null→True for booleans, binary left as base64', () => {
    const r = az('{"input_data": {"columns": ["a", "d", "flag", "bin"], "data": [[2.7, 1, null, "aGVsbG8="]]}}', sig);
    expect(r.ok).toBe(true);
    expect(frame(r)).toMatchObject({ dtypes: { a: 'int64', d: 'float64', flag: 'bool', bin: 'object' }, values: [[2, 1, true, 'aGVsbG8=']] });
    expect(codes(r)).toEqual(expect.arrayContaining(['float-truncated', 'azure-null-to-true', 'azure-binary-not-decoded']));
  });
  it('records fail with the generic 500, the real error only in server_log', () => {
    const r = az('{"input_data": [{"a": 1}]}', cols({ a: 'long' }));
    expect(r).toMatchObject({ status: 500, body: GENERIC });
    // pandas' read_json(orient='split') on a list (pandas 1.5.3, run with the real script)
    expect(r.server_log).toContain("AttributeError: 'list' object has no attribute 'items'");
    expect(codes(r)).toEqual(expect.arrayContaining(['azure-generic-500', 'azure-records-unsupported']));
  });
  it('enforcement failure (missing column) is the generic 500 with MLflow text in server_log', () => {
    const r = az('{"input_data": {"columns": ["a"], "data": [[1]]}}', cols({ a: 'long', b: 'long' }));
    expect(r).toMatchObject({ status: 500, body: GENERIC });
    expect(r.server_log).toContain("Model is missing inputs ['b'].");
  });
  it('the input example, not the signature, sets the dtypes: a double column whose example holds ints truncates 1.5, then MLflow refuses int64', () => {
    // run with the real script (MLflow 2.12.2 folder, example [[1], [0]]): 1.5, 2.5 and 0 all answer 500
    const ex = { form: 'dataframe-split', text: '{"columns": ["d"], "data": [[1], [0]]}' };
    for (const v of ['1.5', '2.5', '0']) {
      const r = az(`{"input_data": {"columns": ["d"], "data": [[${v}]]}}`, cols({ d: 'double' }), { inputExample: ex });
      expect(r).toMatchObject({ status: 500, body: GENERIC });
      expect(r.server_log).toContain('Incompatible input types for column d. Can not safely convert int64 to float64.');
      expect(codes(r)).toContain('azure-example-dtypes');
    }
    expect(codes(az('{"input_data": {"columns": ["d"], "data": [[1.5]]}}', cols({ d: 'double' }), { inputExample: ex }))).toContain('float-truncated');
  });
  it('tensor list and named tensors; old-format float64 example with a float32 spec fails every request', () => {
    expect(az('{"input_data": [[1, 2]]}', tensors(tensor('float32', [-1, 2]))).model_receives).toMatchObject({ kind: 'ndarray', dtype: 'float32' });
    expect(az('{"input_data": {"a": [[1, 2]], "b": [1]}}', tensors(tensor('float32', [-1, 2], 'a'), tensor('int64', [-1], 'b'))).ok).toBe(true);
    const old = az('{"input_data": [[1, 2]]}', tensors(tensor('float32', [-1, 2])), { inputExample: { form: 'tf-serving', text: '{"inputs": [[1.5, 2.5]]}' } });
    expect(old.status).toBe(500);
    expect(old.server_log).toContain('dtype of input float64 does not match expected dtype float32');
    expect(az('{"input_data": {"inputs": [[1, 2]]}}', tensors(tensor('float32', [-1, 2]))).status).toBe(500);
  });
  it('complex-type column signatures: the deployment never starts (status 0)', () => {
    const r = az('{"input_data": {"columns": ["t"], "data": [[[1]]]}}', cols({ t: { type: 'array', items: { type: 'long' } } }));
    expect(r.status).toBe(0);
    expect(r.server_log).toContain('fails at import');
    expect(r.server_log).toContain('UnboundLocalError');
    // after a scalar column the sample is a dict of scalars, which inference_schema's NumpyParameterType refuses
    const after = az('{"input_data": {"columns": ["n", "t"], "data": [[1, [1]]]}}', cols({ n: 'long', t: { type: 'array', items: { type: 'long' } } }));
    expect(after.status).toBe(0);
    expect(after.server_log).toContain('Invalid sample input provided, must provide a sample Numpy array.');
  });
  it('no signature: a string in input_data is json.loads-ed (not JSON → 500), scalars fail `in`, a mixed int/string list is <U21', () => {
    const bare = az('{"input_data": "just text"}', null);
    expect(bare.status).toBe(500);
    expect(bare.server_log).toContain('JSONDecodeError');
    expect(az('{"input_data": "[[1, 2]]"}', null).model_receives).toMatchObject({ kind: 'ndarray', dtype: 'int64' });
    expect(az('{"input_data": 5}', null).server_log).toContain("argument of type 'int' is not iterable");
    expect(az('{"input_data": {"input_data": [[1.5]]}}', null).model_receives).toMatchObject({ kind: 'ndarray', dtype: 'float64' });
    expect(az('{"input_data": [1, "a"]}', null).model_receives).toMatchObject({ kind: 'ndarray', dtype: '<U21' });
    expect(az('{"input_data": [1.5, "a"]}', null).model_receives).toMatchObject({ kind: 'ndarray', dtype: '<U32' });
  });
  it('no signature, no example: list → ndarray, dict with columns+index+data → DataFrame, any other dict → named tensors', () => {
    expect(az('{"input_data": [[1, 2]]}', null).model_receives).toMatchObject({ kind: 'ndarray', dtype: 'int64' });
    expect(az('{"input_data": {"columns": ["a"], "index": [0], "data": [[1]]}}', null).model_receives).toMatchObject({ kind: 'DataFrame' });
    const r = az('{"input_data": {"columns": ["a"], "data": [[1]]}}', null);
    expect(r.model_receives).toMatchObject({ kind: 'dict' });
    expect(codes(r)).toContain('azure-split-needs-index');
  });
  it('params go through MLflow enforcement; other top-level keys ignored', () => {
    const s = { ...cols({ a: 'long' }), params: [param('k', 'long', 1)] };
    const r = az('{"input_data": {"columns": ["a"], "data": [[1]]}, "params": {"k": 2}, "x": 1}', s);
    expect(r.params_received).toEqual({ k: 2 });
    expect(codes(r)).toContain('ignored-top-level-key');
    expect(az('{"input_data": {"columns": ["a"], "data": [[1]]}, "params": {"k": "2"}}', s).status).toBe(500);
  });
});

describe('model_receives preview (bench memory target)', () => {
  it('a large frame lists the first MODEL_RECEIVES_PREVIEW_ROWS rows and says how many the model gets', () => {
    const rows = Array.from({ length: 2500 }, (_, k) => [k, k + 0.5]);
    const r = run(split(['a', 'b'], rows), cols({ a: 'long', b: 'double' }));
    expect(frame(r).nrows).toBe(2500);
    expect(frame(r).values).toHaveLength(MODEL_RECEIVES_PREVIEW_ROWS);
    expect(frame(r).values[999]).toEqual([999, 999.5]);
  });
});

describe('§10 version resolution', () => {
  it.each([
    [null, null, null, '3.6.1', 'default', '2.12'],
    ['2.7.1', null, null, '2.7.1', 'mlmodel', '2.7'],
    ['2.7.1', 'mlflow==2.12.2', null, '2.12.2', 'requirements', '2.12'],
    ['2.7.1', 'mlflow==2.12.2', '2.9', '2.9', 'override', '2.7'],
    ['1.26.1', null, null, '1.26.1', 'mlmodel', '2.7'],
  ])('mlmodel %s, pin %s, override %s → %s (%s)', (mlm, pin, over, version, source, era) => {
    const v = resolveMlflowVersion(mlm, pin, over);
    expect(v).toMatchObject({ version, source, era });
    expect(v.note).toContain(`Emulating MLflow ${version}`);
  });
  it('a bad override is a structured AppError', () => {
    expect(() => resolveMlflowVersion(null, null, 'latest')).toThrow(/^MLflow version 'latest' is not a version/);
  });
  it("a hostile MLmodel's mlflow_version (a long digit run that fails at its end) is no version, decided at once", () => {
    // the version pattern backtracks on such a run (40 000 digits took 5 s, 200 000 would take minutes): refused by length
    const hostile = `1.${'1'.repeat(200_000)}!`;
    expect(resolveMlflowVersion(hostile, null)).toMatchObject({ source: 'default', version: '3.6.1' });
    expect(() => resolveMlflowVersion(null, null, hostile)).toThrow(/is not a version/);
  });
  // The result's behaviour field is the protocol the emulated server speaks: a 1.x pin is not "2.7 behaviour" (§15).
  it.each([
    ['1.30.1', '1.x'],
    ['1.25', '1.x'],
    ['2.0.1', '2.7'],
    ['2.9', '2.7'],
    ['2.10.2', '2.12+'],
    ['3.6.1', '2.12+'],
  ])('validate with MLflow %s reports behaviour %s', (version, behaviour) => {
    const r = validateRequest({ body: '{"columns": ["a"], "data": [[1]]}', contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature: cols({ a: 'long' }) });
    expect(r.mlflow_version).toMatchObject({ version, source: 'override', behaviour });
  });
});
