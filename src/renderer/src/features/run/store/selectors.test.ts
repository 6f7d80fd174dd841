import { describe, expect, it } from 'vitest';
import { appendLog, curlCommand, fallbackOrder, interpreterInUse, notStartingWarning, serverFor, versionChange } from './selectors';

describe('run selectors', () => {
  it('appendLog puts the newest first and keeps at most the limit', () => {
    let log = appendLog(undefined, { time: 't0', method: 'GET', path: '/', status: 200, ms: 1 }, 3);
    for (let k = 1; k < 5; k++) log = appendLog(log, { time: `t${k}`, method: 'GET', path: '/', status: 200, ms: 1 }, 3);
    expect(log.map((l) => l.time)).toEqual(['t4', 't3', 't2']);
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
    const s = { id: '1', modelPath: '/m', server: 'mlflow' as const, url: 'u', engine: 'onnx' as const, mlflowVersion: '2', keyHint: null, startedAt: 't', wouldNotStart: null };
    expect(serverFor([s], '/m', 'mlflow')).toBe(s);
    expect(serverFor([s], '/m', 'azureml')).toBeNull();
  });
});

describe('a server that only looks fine', () => {
  const reason = "The signature's column `age` carries a `\"required\"` key, which MLflow writes from 2.10.0 on; MLflow 2.7.1 cannot read it, so Azure's scoring script fails at start-up (`Model.load`).";
  const log = "TypeError: ColSpec.__init__() got an unexpected keyword argument 'required'";

  it('says which real server would not start, what this one answers, why in plain words, and to go back to the pin', () => {
    const w = notStartingWarning({ server: 'azureml', mlflowVersion: '2.7.1', wouldNotStart: { reason, log, pinnedStarts: '2.16.2', fix: null } });
    expect(w).toEqual({
      title: 'The Azure deployment would not start with MLflow 2.7.1',
      effect: 'This server answers its health check, but every scoring request (/score) gets 500 E_NOT_STARTED.',
      reason,
      log,
      todo: "Emulate the version the model pins instead: empty the playground's MLflow field (MLflow 2.16.2, what Azure installs, reads this model), then restart the server.",
    });
    const mlflow = notStartingWarning({ server: 'mlflow', mlflowVersion: '2.7.1', wouldNotStart: { reason, log, pinnedStarts: '2.16.2', fix: null } });
    expect(mlflow?.title).toBe('mlflow models serve would not start with MLflow 2.7.1');
    expect(mlflow?.effect).toContain('(/invocations) gets 500 E_NOT_STARTED');
  });

  it("when the pin fails too, the readiness check's fix; nothing for a server that starts", () => {
    const fix = 'Pin the MLflow that wrote the model (MLmodel `mlflow_version`: 2.16.2) in requirements.txt / conda.yaml, or re-log the model with the MLflow you pin.';
    expect(notStartingWarning({ server: 'azureml', mlflowVersion: '2.7.1', wouldNotStart: { reason, log, pinnedStarts: null, fix } })?.todo).toBe(fix);
    expect(notStartingWarning({ server: 'azureml', mlflowVersion: '2.16.2', wouldNotStart: null })).toBeNull();
  });

  it('a server on another version than the playground emulates now is out of date; unknown or the same is not', () => {
    expect(versionChange({ mlflowVersion: '2.7.1' }, '2.16.2')).toEqual({ running: '2.7.1', wanted: '2.16.2' });
    expect(versionChange({ mlflowVersion: '2.16.2' }, '2.16.2')).toBeNull();
    expect(versionChange({ mlflowVersion: '2.16.2' }, null)).toBeNull();
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
