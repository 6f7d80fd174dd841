import { describe, expect, it } from 'vitest';
import { appendLog, curlCommand, draftKey, editorBody, engineLabel, fallbackOrder, headersThatMatter, interpreterInUse, prettyBody, serverFor, statusText, statusTone, withSamples } from './selectors';

describe('run selectors', () => {
  it('withSamples fills untouched drafts and keeps edited ones', () => {
    const samples = { azureml: { body: '{"input_data":{"data":[[1.0]]}}', contentType: 'application/json' }, mlflow: { body: 'x\n1\n', contentType: 'text/csv' } };
    const edited = { [draftKey('/m', 'azureml')]: { body: 'mine', contentType: 'application/json', edited: true } };
    const d = withSamples(edited, '/m', samples);
    expect(d[draftKey('/m', 'azureml')]!.body).toBe('mine');
    expect(d[draftKey('/m', 'mlflow')]).toEqual({ body: 'x\n1\n', contentType: 'text/csv', edited: false });
    // Python's float lexeme survives the indenting: 1.0 decides pandas' dtype.
    expect(withSamples({}, '/m', samples)[draftKey('/m', 'azureml')]!.body).toContain('1.0');
  });

  it('editorBody leaves text and broken JSON alone', () => {
    expect(editorBody('{"a": [1', 'application/json')).toBe('{"a": [1');
    expect(editorBody('a,b\n1,2', 'text/csv')).toBe('a,b\n1,2');
  });

  it('appendLog puts the newest first and keeps at most the limit', () => {
    let log = appendLog(undefined, { time: 't0', method: 'GET', path: '/', status: 200, ms: 1 }, 3);
    for (let k = 1; k < 5; k++) log = appendLog(log, { time: `t${k}`, method: 'GET', path: '/', status: 200, ms: 1 }, 3);
    expect(log.map((l) => l.time)).toEqual(['t4', 't3', 't2']);
  });

  it('status text and tone say what happened, Azure\'s failed scoring script included', () => {
    expect(statusText({ status: 200, headers: {} })).toBe('200 OK');
    expect(statusText({ status: 500, headers: { 'x-ms-run-function-failed': 'True' } })).toBe('500 Internal Server Error (the scoring script failed)');
    expect(statusText({ status: 0, headers: {} })).toMatch(/would not start/);
    expect([200, 400, 500, 0].map(statusTone)).toEqual(['ok', 'warning', 'error', 'muted']);
  });

  it('headers in a stable order; pretty body keeps NaN as Python wrote it; text bodies as they are', () => {
    expect(headersThatMatter({ 'x-ms-run-function-failed': 'False', 'content-type': 'application/json' }).map(([k]) => k)).toEqual(['content-type', 'x-ms-run-function-failed']);
    expect(prettyBody({ body_text: '{"predictions": [NaN, 1.0]}', headers: { 'content-type': 'application/json' } })).toContain('NaN');
    expect(prettyBody({ body_text: '<p>oops</p>', headers: { 'content-type': 'text/html; charset=utf-8' } })).toBe('<p>oops</p>');
  });

  it('engine label names engine, loader and interpreter', () => {
    expect(engineLabel({ engine: 'python', loader: { name: 'pickle-direct', notes: [], interpreter: '/usr/bin/python3' } })).toBe('Python · pickle-direct · /usr/bin/python3');
    expect(engineLabel({ engine: null, loader: null })).toBeNull();
  });

  it('the curl command uses $PREFLIGHT_KEY, never a key, and quotes the body for the shell', () => {
    const azure = curlCommand({ url: 'http://127.0.0.1:5001', server: 'azureml' }, `{"a": "it's"}`, 'application/json');
    expect(azure).toContain("'http://127.0.0.1:5001/score'");
    expect(azure).toContain('-H "Authorization: Bearer $PREFLIGHT_KEY"');
    expect(azure).toContain(`--data-binary '{"a": "it'\\''s"}'`);
    const mlflow = curlCommand({ url: 'http://127.0.0.1:5002', server: 'mlflow' }, 'x'.repeat(5000), 'text/csv');
    expect(mlflow).not.toContain('Authorization');
    expect(mlflow).toContain('/invocations');
    expect(mlflow).toContain('@body.json');
  });

  it('serverFor finds the server of this model and profile', () => {
    const s = { id: '1', modelPath: '/m', server: 'mlflow' as const, url: 'u', engine: 'onnx' as const, mlflowVersion: '2', keyHint: null, startedAt: 't' };
    expect(serverFor([s], '/m', 'mlflow')).toBe(s);
    expect(serverFor([s], '/m', 'azureml')).toBeNull();
  });
});

describe('Python interpreter wording', () => {
  it('fallbackOrder names the variables this host has, in discovery order, ending with PATH', () => {
    expect(fallbackOrder({ PREFLIGHT_PYTHON: null, VIRTUAL_ENV: null, CONDA_PREFIX: null })).toBe('python3 on PATH');
    expect(fallbackOrder({ PREFLIGHT_PYTHON: '/opt/py/bin/python', VIRTUAL_ENV: '/home/me/.venv', CONDA_PREFIX: '/opt/conda/envs/x' })).toBe(
      'PREFLIGHT_PYTHON (/opt/py/bin/python), then the active virtualenv (/home/me/.venv), then the active conda env (/opt/conda/envs/x), then python3 on PATH',
    );
  });

  it('interpreterInUse says which interpreter runs the model and where it came from; null for ONNX or none found', () => {
    const chosen = { path: '/usr/bin/python3', executable: '/usr/bin/python3.11', source: 'setting' as const, version: '3.11.2', mlflowVersion: null };
    const python = { chosen, loader: 'pickle-direct' as const, candidates: [], packages: [], findings: [] };
    expect(interpreterInUse({ engine: 'python', summary: '', python })).toEqual({ path: '/usr/bin/python3', version: '3.11.2', source: 'the Python interpreter setting' });
    expect(interpreterInUse({ engine: 'python', summary: '', python: { ...python, chosen: { ...chosen, source: 'CONDA_PREFIX' } } })?.source).toBe('the active conda env (CONDA_PREFIX)');
    expect(interpreterInUse({ engine: 'python', summary: '', python: { ...python, chosen: null } })).toBeNull();
    expect(interpreterInUse({ engine: 'onnx', summary: '', python: null })).toBeNull();
    expect(interpreterInUse(null)).toBeNull();
  });
});
