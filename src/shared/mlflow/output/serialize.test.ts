import { describe, expect, it } from 'vitest';
import { Bytes } from '../payload/cells';
import { PyFloat } from '../payload/py-json';
import { resolveMlflowVersion } from '../payload/version';
import type { ModelIn } from '../payload/model-input';
import { bodyView } from './body-view';
import { pyJsonString } from './py-json-text';
import type { NdArrayValue, Prediction } from './prediction';
import { modelFailureAnswer, successAnswer } from './responses';
import { azureBodyText, mlflowBodyText } from './serialize';

const f32 = (values: number[], shape = [values.length]): NdArrayValue => ({ kind: 'ndarray', dtype: 'float32', shape, data: Float32Array.from(values) });
const f64 = (values: number[], shape = [values.length]): NdArrayValue => ({ kind: 'ndarray', dtype: 'float64', shape, data: Float64Array.from(values) });
const text = (r: { ok: boolean; text?: string }): string => (r.ok ? r.text! : 'FAILED');

describe('MLflow body (predictions_to_json + NumpyEncoder, payloads.md §5)', () => {
  it('widens float32 like Python: 0.1f32 is 0.10000000149011612', () => {
    expect(text(mlflowBodyText(f32([0.1, 1, -2.5])))).toBe('{"predictions": [0.10000000149011612, 1.0, -2.5]}');
  });

  it("writes Python's float repr: 1e-05, 1e+16, -0.0, 123456789.0, and bare NaN / Infinity", () => {
    expect(text(mlflowBodyText(f64([1e-5, 1e16, -0, 123456789, NaN, Infinity, -Infinity, 0.0001])))).toBe(
      '{"predictions": [1e-05, 1e+16, -0.0, 123456789.0, NaN, Infinity, -Infinity, 0.0001]}',
    );
  });

  it('keeps int64 exact beyond 2^53 and writes bools as true/false', () => {
    const ints: NdArrayValue = { kind: 'ndarray', dtype: 'int64', shape: [2], data: BigInt64Array.from([9007199254740993n, -1n]) };
    const bools: NdArrayValue = { kind: 'ndarray', dtype: 'bool', shape: [2], data: Uint8Array.from([1, 0]) };
    expect(text(mlflowBodyText(ints))).toBe('{"predictions": [9007199254740993, -1]}');
    expect(text(mlflowBodyText(bools))).toBe('{"predictions": [true, false]}');
  });

  it('nests ndarrays by shape (tolist)', () => {
    expect(text(mlflowBodyText(f64([1, 2, 3, 4, 5, 6], [2, 3])))).toBe('{"predictions": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}');
    expect(text(mlflowBodyText(f64([], [0, 3])))).toBe('{"predictions": []}');
  });

  it('writes a DataFrame as records and an unnamed Series keyed "0"', () => {
    const df: Prediction = { kind: 'dataframe', nrows: 2, columns: [{ name: 'variable', values: f32([206.5, 68.25]) }, { name: 'label', values: { kind: 'ndarray', dtype: 'object', shape: [2], data: ['cat', 'dög'] } }] };
    expect(text(mlflowBodyText(df))).toBe('{"predictions": [{"variable": 206.5, "label": "cat"}, {"variable": 68.25, "label": "d\\u00f6g"}]}');
    expect(text(mlflowBodyText({ kind: 'series', name: null, values: f64([1.5]) }))).toBe('{"predictions": [{"0": 1.5}]}');
  });

  it('converts a dict of ndarrays, numpy scalars and bytes (base64 with a trailing newline)', () => {
    const dict: Prediction = { kind: 'dict', items: [['y', f32([0.5])], ['n', { kind: 'numpy-scalar', dtype: 'int64', value: 3n }], ['b', { kind: 'object', value: new Bytes(Uint8Array.from([0x61, 0x62])) }]] };
    expect(text(mlflowBodyText(dict))).toBe('{"predictions": {"y": [0.5], "n": 3, "b": "YWI=\\n"}}');
    expect(text(mlflowBodyText({ kind: 'object', value: 42 }))).toBe('{"predictions": 42}');
    expect(text(mlflowBodyText({ kind: 'object', value: new PyFloat(2) }))).toBe('{"predictions": 2.0}');
  });

  it('escapes strings as json.dumps(ensure_ascii=True) does', () => {
    expect(pyJsonString('a"b\\c\n\u007f\u00e9\ud83d\ude00')).toBe('"a\\"b\\\\c\\n\\u007f\\u00e9\\ud83d\\ude00"');
  });
});

describe('Azure body (plain json.dumps of _get_jsonable_obj, payloads.md §4)', () => {
  it('is the bare records list, NaN bare', () => {
    const df: Prediction = { kind: 'dataframe', nrows: 2, columns: [{ name: 'variable', values: f32([0.1, NaN]) }] };
    expect(text(azureBodyText(df))).toBe('[{"variable": 0.10000000149011612}, {"variable": NaN}]');
  });

  it('cannot encode a dict of ndarrays, a float32 scalar or bytes: TypeError like json.dumps', () => {
    const r = azureBodyText({ kind: 'dict', items: [['y', f32([1])]] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toBe('Object of type ndarray is not JSON serializable');
    expect(!azureBodyText({ kind: 'numpy-scalar', dtype: 'float32', value: 1 }).ok).toBe(true);
    expect(text(azureBodyText({ kind: 'numpy-scalar', dtype: 'float64', value: 1 }))).toBe('1.0');
    expect(!azureBodyText({ kind: 'object', value: new Bytes(new Uint8Array(1)) }).ok).toBe(true);
  });

  it("answers Azure's internal-error 500 for an unencodable result, with the TypeError in server_log", () => {
    const a = successAnswer('azureml', { kind: 'dict', items: [['y', f32([1])]] }, { unwrapped: false, version: resolveMlflowVersion(null, null, '2.12') });
    expect(a.status).toBe(500);
    expect(a.body_text).toBe('{"message": "An unexpected internal error occurred. Check the logs for more info."}');
    expect(a.headers['x-ms-run-function-failed']).toBe('False');
    expect(a.server_log).toContain('Object of type ndarray is not JSON serializable');
  });
});

describe('model failures', () => {
  const input: ModelIn = { kind: 'ndarray', dtype: 'float64', shape: [1, 2], data: [1, 2] };

  it('MLflow 2.12+: an MlflowException keeps its code and gets the "Failed to predict data" prefix', () => {
    const a = modelFailureAnswer('mlflow', { type: 'MlflowException', message: 'boom', mlflowErrorCode: 'INTERNAL_ERROR' }, { input, version: resolveMlflowVersion(null, null, '2.12.2') });
    expect(a.status).toBe(500);
    const body = JSON.parse(a.body_text) as Record<string, string>;
    expect(body.error_code).toBe('INTERNAL_ERROR');
    // The data's repr is pandas/numpy's (compare by the inner error only, payloads.md §10).
    expect(body.message).toMatch(/^Failed to predict data '.*'\. \nError: boom$/s);
    const old = modelFailureAnswer('mlflow', { type: 'MlflowException', message: 'boom' }, { input, version: resolveMlflowVersion(null, null, '2.7.1') });
    expect(JSON.parse(old.body_text)).toEqual({ error_code: 'INTERNAL_ERROR', message: 'boom' });
  });

  it('MLflow: any other exception is 400 BAD_REQUEST with the evaluation message and a stack trace', () => {
    const a = modelFailureAnswer('mlflow', { type: 'TypeError', message: 'bad' }, { input, version: resolveMlflowVersion(null, null, '3.6') });
    expect(a.status).toBe(400);
    const body = JSON.parse(a.body_text) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['error_code', 'message', 'stack_trace']);
    expect(body.message).toMatch(/^Encountered an unexpected error while evaluating the model/);
    expect(body.stack_trace).toMatch(/TypeError: bad\n$/);
  });

  it('Azure: the generic scoring-script 500 with x-ms-run-function-failed: True', () => {
    const a = modelFailureAnswer('azureml', { type: 'TypeError', message: 'bad' }, { input, version: resolveMlflowVersion(null, null, '3.6') });
    expect(a).toMatchObject({ status: 500, headers: { 'x-ms-run-function-failed': 'True' }, body_text: '{"message": "An unexpected error occurred in scoring script. Check the logs for more info."}', server_log: 'TypeError: bad' });
  });
});

describe('bodyView (predict --json "body")', () => {
  it('turns bare NaN/Infinity into strings and keeps text bodies as text', () => {
    expect(bodyView('[{"v": NaN}, {"v": -Infinity}, {"v": 1.5}]', 'application/json')).toEqual([{ v: 'NaN' }, { v: '-Infinity' }, { v: 1.5 }]);
    expect(bodyView('Healthy', 'text/html; charset=utf-8')).toBe('Healthy');
    expect(bodyView('2.16.2', 'application/json')).toBe('2.16.2');
  });
});
