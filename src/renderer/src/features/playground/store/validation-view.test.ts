import { describe, expect, it } from 'vitest';
import { acceptedValidation } from './test-support';
import { editorBody } from '../../../lib/editor-body';
import { cellText, refusedBodyText, previewOf, verdictOf, versionLabel } from './validation-view';

const base = acceptedValidation;

describe('verdictOf', () => {
  it('says the model is called, and warns when the server changed the data', () => {
    expect(verdictOf(base)).toMatchObject({ tone: 'ok', headline: '200 — the model is called' });
    expect(verdictOf({ ...base, warnings: [{ code: 'float-truncated', message: 'm', path: '$.input_data.data[0][0]' }] })).toMatchObject({ tone: 'warning' });
  });
  it("explains Azure's generic 500 and a deployment that never starts", () => {
    expect(verdictOf({ ...base, ok: false, status: 500 })).toMatchObject({ tone: 'error', headline: '500 — rejected', detail: expect.stringContaining('deployment log') });
    // it says where the body is (the panel shows it below), not that a body it did not show is exact
    expect(verdictOf({ ...base, server: 'mlflow', ok: false, status: 400 }).detail).toBe('The server answers with the body below.');
    expect(verdictOf({ ...base, ok: false, status: 0 }).headline).toMatch(/does not start/);
  });
});

describe('refusedBodyText', () => {
  it("a refusal's body as the exact bytes the server writes (Python's json.dumps spacing), JSON or text", () => {
    const body = { error_code: 'BAD_REQUEST', message: 'Invalid input. Columns "é" missing' };
    expect(refusedBodyText({ ...base, server: 'mlflow', ok: false, status: 400, body })).toBe('{"error_code": "BAD_REQUEST", "message": "Invalid input. Columns \\"\\u00e9\\" missing"}');
    expect(refusedBodyText({ ...base, server: 'mlflow', ok: false, status: 400, body: '<!doctype html>…' })).toBe('<!doctype html>…');
  });
  it('no body block when accepted or when the deployment never answers', () => {
    expect(refusedBodyText(base)).toBeNull();
    expect(refusedBodyText({ ...base, ok: false, status: 0, body: null })).toBeNull();
  });
});

describe('previewOf', () => {
  it('a DataFrame: columns with dtypes, rows cut at maxRows, the row count the model gets', () => {
    const p = previewOf({ kind: 'DataFrame', columns: ['a', 'b'], dtypes: { a: 'int64', b: 'object' }, nrows: 5, values: [[1, 'x'], [2, null], [3, { k: 1 }]] }, 2);
    expect(p).toEqual({ kind: 'frame', columns: [{ name: 'a', dtype: 'int64' }, { name: 'b', dtype: 'object' }], rows: [['1', 'x'], ['2', 'None']], totalRows: 5 });
  });
  it('an ndarray: shape in numpy notation, dtype; a dict item by item', () => {
    expect(previewOf({ kind: 'ndarray', dtype: 'float32', shape: [3], values: [1, 2, 3] })).toEqual({ kind: 'ndarray', dtype: 'float32', shape: '(3,)', values: '[1,2,3]' });
    const d = previewOf({ kind: 'dict', items: { x: { kind: 'ndarray', dtype: 'int32', shape: [1, 2], values: [[1, 2]] } } });
    expect(d).toEqual({ kind: 'dict', items: [{ name: 'x', preview: { kind: 'ndarray', dtype: 'int32', shape: '(1, 2)', values: '[[1,2]]' } }] });
    expect(previewOf({ kind: 'list', pytype: 'list', value: ['a'] })).toEqual({ kind: 'value', pytype: 'list', kind2: 'list', value: '["a"]' });
  });
  it('integral floats keep .0 in float columns only', () => {
    const p = previewOf({ kind: 'DataFrame', columns: ['f', 'i'], dtypes: { f: 'float64', i: 'int64' }, nrows: 1, values: [[1, 1]] });
    expect(p).toMatchObject({ rows: [['1.0', '1']] });
  });
  it('long cells and values are cut', () => {
    expect(cellText({ k: 'x'.repeat(200) })).toHaveLength(80);
    expect((previewOf({ kind: 'ndarray', dtype: 'float64', shape: [5000], values: Array(5000).fill(0.123) }) as { values: string }).values.length).toBe(2000);
  });
});

describe('editorBody', () => {
  it('indents JSON and keeps Python number lexemes; leaves CSV and broken JSON alone', () => {
    expect(editorBody('{"input_data": {"data": [[1.0, 2, 1e-05]]}}', 'application/json')).toBe(
      '{\n  "input_data": {\n    "data": [\n      [\n        1.0,\n        2,\n        1e-05\n      ]\n    ]\n  }\n}',
    );
    expect(editorBody('a,b\n1,2\n', 'text/csv')).toBe('a,b\n1,2\n');
    expect(editorBody('{"a": [1,', 'application/json')).toBe('{"a": [1,');
  });
});

describe('small helpers', () => {
  it('versionLabel says where the version came from', () => {
    expect(versionLabel(base.mlflow_version)).toBe("MLflow 2.16.2 · 2.12+ behaviour · from the model's requirements pin");
    expect(versionLabel({ ...base.mlflow_version, source: 'override', version: '2.7' })).toContain('your override');
    // a 1.x pin is the pre-2.0 protocol, not "2.7 behaviour" (docs/fidelity.md §15)
    expect(versionLabel({ ...base.mlflow_version, source: 'mlmodel', version: '1.28.0', behaviour: '1.x' })).toBe("MLflow 1.28.0 · 1.x behaviour · from MLmodel's mlflow_version");
  });
});
