/**
 * Where the 2.12-era behaviour starts (docs/fidelity.md §12): mlflow/mlflow#9936 "Objects and Array support in model
 * signature" (3372c3142, first in tag v2.10.0; absent in v2.9.2) brought the "Invalid input. …" parse texts, the
 * "Failed to predict data '…'. \nError: …" wrapper and the records-under-`inputs` path to the scoring server. The
 * texts below are the real 2.8.1 and 2.10.2 servers' answers (test/fixtures/fidelity/mlflow-2.8.1, mlflow-2.10.2:
 * regression/form/3, regression/columns/0, regression/index/2, regression/body/0); 2.9.x runs 2.8.1's code.
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { resolveMlflowVersion } from './version';
import { cols, unnamedCols } from './test-signatures';

const SIG = cols({ age: 'double', bmi: 'double', bp: 'double' });
const run = (body: string, version: string): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature: SIG });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;

const RECORDS = '{"inputs": [{"age": 0.03, "bmi": 0.06, "bp": 0.02}, {"age": -0.01, "bmi": 0.0, "bp": 0.05}]}';
const MISSING = '{"dataframe_split": {"columns": ["bmi", "bp"], "data": [[0.06, 0.02], [0.0, 0.05]]}}';
const SHORT_INDEX = '{"dataframe_split": {"columns": ["age", "bmi", "bp"], "data": [[0.03, 0.06, 0.02], [-0.01, 0.0, 0.05]], "index": [0]}}';

describe('before 2.10.0 (2.8.1, 2.9.2): the 2.7 texts', () => {
  it.each(['2.8.1', '2.9.0', '2.9.2'])('%s', (v) => {
    const records = run(RECORDS, v);
    expect(records.ok).toBe(false);
    expect(records.status).toBe(500);
    expect(msgOf(records)).toMatch(/^Failed to parse data as TF serving input\. Ensure that the input is a valid JSON-formatted string/);
    const missing = run(MISSING, v);
    expect([missing.status, msgOf(missing)]).toEqual([500, "Model is missing inputs ['age']."]);
    expect(msgOf(run(SHORT_INDEX, v))).toBe(
      "Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'Length of values (2) does not match length of index (1)'",
    );
    expect(msgOf(run('', v))).toBe('Failed to parse input from JSON. Ensure that input is a valid JSON formatted string. Input: \n\n');
    expect(resolveMlflowVersion(null, null, v).era).toBe('2.7');
  });
});

describe('from 2.10.0 on (2.10.2 recorded): the 2.12 texts', () => {
  it.each(['2.10.0', '2.10.2', '2.11.3'])('%s', (v) => {
    // records under `inputs` reach the model (the real 2.10.2 server predicted 208.12…, 171.57…)
    expect(run(RECORDS, v)).toMatchObject({ ok: true, status: 200 });
    const missing = run(MISSING, v);
    expect([missing.status, msgOf(missing)]).toEqual([
      400,
      "Failed to predict data '    bmi    bp\n0  0.06  0.02\n1  0.00  0.05'. \nError: Failed to enforce schema of data '    bmi    bp\n0  0.06  0.02\n1  0.00  0.05' with schema '['age': double (required), 'bmi': double (required), 'bp': double (required)]'. Error: Model is missing inputs ['age'].",
    ]);
    expect(msgOf(run(SHORT_INDEX, v))).toBe(
      "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'Length of values (2) does not match length of index (1)'",
    );
    expect(msgOf(run('', v))).toBe(
      "Invalid input. Ensure that input is a valid JSON formatted string. Error: 'JSONDecodeError('Expecting value: line 1 column 1 (char 0)')'\nInput: \n\n",
    );
    expect(resolveMlflowVersion(null, null, v).era).toBe('2.12');
  });
});

describe('the emulated-version note', () => {
  it('says 2.8.1 and 2.10.2 were observed on the real servers, and that 2.9 and 2.11 were not run', () => {
    expect(resolveMlflowVersion(null, null, '2.8.1').note).toContain('behaviour observed on the real 2.8.1 server');
    expect(resolveMlflowVersion(null, null, '2.10.2').note).toContain('behaviour observed on the real 2.10.2 server (Flask)');
    expect(resolveMlflowVersion(null, null, '2.9.2').note).toContain('2.9 itself was not run');
    expect(resolveMlflowVersion(null, null, '2.11.3').note).toContain('2.11 itself was not run');
  });
});

describe('a list among flat row labels: the empty-frame assignment before 2.11.0 (mlflow 6dc65b279, #11276)', () => {
  const MIXED = cols({ n_long: 'long', n_int: 'integer', city: 'string', score: 'float', flag: 'boolean', amount: 'double' });
  // mixed/rowindex/47 of the row-MultiIndex suite, as recorded from the real 2.10.2 server
  const BODY =
    '{"dataframe_split": {"columns": ["n_long", "n_int", "city", "score", "flag", "amount"], "data": [[44, -2, "tokyo", 0.70956, true, -0.68164], [255165, -5, "paris", 0.64, true, -563.2518], [62, -2, "", 0.07, false, -345.83]], "index": [2.5, [-25.539, -3.457, -23.93], [2.5, "\\u00e9", "\\u00e9"]]}}';
  const FRAME =
    '                           n_long  n_int   city    score   flag     amount\n2.5                            44     -2  tokyo  0.70956   True   -0.68164\n[-25.539, -3.457, -23.93]  255165     -5  paris  0.64000   True -563.25180\n[2.5, é, é]                    62     -2         0.07000  False -345.83000';
  const runOn = (sig: typeof MIXED, body: string, v: string): ValidationResult =>
    validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: v, signature: sig });
  it('2.10.2 refuses it while enforcing the schema (named columns)', () => {
    const r = runOn(MIXED, BODY, '2.10.2');
    expect(r.status).toBe(400);
    expect(msgOf(r)).toBe(
      `Failed to predict data '${FRAME}'. \nError: Failed to enforce schema of data '${FRAME}' with schema '['n_long': long (required), 'n_int': integer (required), 'city': string (required), 'score': float (required), 'flag': boolean (required), 'amount': double (required)]'. Error: unhashable type: 'list'`,
    );
  });
  it.each(['2.11.0', '2.12.2', '2.16.2'])('%s lets it through to the model (the real 2.12.2 and 2.16.2 servers predicted [1, 0, 1])', (v) => {
    expect(runOn(MIXED, BODY, v)).toMatchObject({ ok: true, status: 200 });
  });
  it('an unnamed column signature builds its result the same way (2.10.2 refuses, 2.11.0 accepts)', () => {
    const body = '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 1.5], [2, 2.5]], "index": [0, {"k": 1}]}}';
    const sig = unnamedCols('long', 'double');
    expect(msgOf(runOn(sig, body, '2.10.2'))).toMatch(/Error: unhashable type: 'dict'$/);
    expect(runOn(sig, body, '2.11.0')).toMatchObject({ ok: true, status: 200 });
  });
});

describe('a single named input given a list holding a dict (S2 cast_schema_type, 2.9.0+: mlflow dc070be5d, #10192)', () => {
  // answers of real 2.8.1, 2.9.2 and 2.10.2 servers for a pyfunc with one string column `x` (docs/fidelity.md §12)
  const ONE = cols({ x: 'string' });
  const runOne = (body: string, v: string): ValidationResult =>
    validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: v, signature: ONE });
  const TF_500 = /^Failed to parse data as TF serving input\. Ensure that the input is a valid JSON-formatted string/;
  const bodies = ['{"inputs": [{"x": "a"}]}', '{"inputs": ["a", {"x": "b"}]}', '{"instances": ["a", {"x": "b"}]}'];
  it.each(bodies)('2.8.1 wraps %s under `x` and calls the model', (b) => {
    expect(runOne(b, '2.8.1')).toMatchObject({ ok: true, status: 200 });
  });
  it.each(bodies)('2.9.0 and 2.9.2 answer %s with the generic TF-serving 500', (b) => {
    for (const v of ['2.9.0', '2.9.2']) {
      const r = runOne(b, v);
      expect([r.ok, r.status]).toEqual([false, 500]);
      expect(msgOf(r)).toMatch(TF_500);
    }
  });
  it('a list of strings is still wrapped in 2.9.2', () => {
    expect(runOne('{"inputs": ["a", "b"]}', '2.9.2')).toMatchObject({ ok: true, status: 200 });
  });
  it('2.10.2: the list reaches schema enforcement as an unnamed column', () => {
    const r = runOne('{"inputs": ["a", {"x": "b"}]}', '2.10.2');
    expect([r.status, msgOf(r)]).toEqual([
      400,
      "Failed to predict data '['a' \"{'x': 'b'}\"]'. \nError: Failed to enforce schema of data '['a' \"{'x': 'b'}\"]' with schema '['x': string (required)]'. Error: Model is missing inputs ['x']. Note that there were extra inputs: [0]",
    ]);
  });
});
