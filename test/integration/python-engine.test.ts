/**
 * The Python engine end to end: real sklearn MLflow folders built by Debian's Python, the real worker
 * script, predictions compared with sklearn's own (computed by the script that trained the models), the
 * exact bodies each server writes, and containment of a model that exits the process, raises, hangs or
 * prints to stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../src/shared/errors';
import type { Frame } from '../../src/shared/mlflow/payload/frame';
import type { ModelIn } from '../../src/shared/mlflow/payload/model-input';
import { Bytes, NaT, Timestamp } from '../../src/shared/mlflow/payload/cells';
import { PyFloat } from '../../src/shared/mlflow/payload/py-json';
import { validateRequest } from '../../src/shared/mlflow/payload';
import { ModelService } from '../../src/main/services/model/model-service';
import { RunnerErrorCodes } from '../../src/main/services/runner/onnx/runner-errors';
import { PythonEngine, type PythonModelRef } from '../../src/main/services/runner/python/python-engine';
import { modelNeedsFromReport } from '../../src/main/services/runner/python/model-needs';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, workerScript, type SklearnModels } from '../support/sklearn-models';

if (sklearnSkipReason) console.warn(`python-engine tests skipped: ${sklearnSkipReason}`);

function frame(columns: Record<string, { dtype: string; values: unknown[] }>): Frame {
  const cols = Object.entries(columns).map(([name, c]) => ({ name, dtype: c.dtype, values: c.values as never[], path: (r: number) => `$[${r}].${name}` }));
  return { kind: 'frame', columns: cols, nrows: cols[0]?.values.length ?? 0 };
}

const action = (a: string, x = 1.5): ModelIn => frame({ action: { dtype: 'object', values: [a] }, x: { dtype: 'float64', values: [x] } });

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the call to fail');
}

describe.skipIf(sklearnSkipReason !== null)('Python engine (sklearn models, real worker)', () => {
  let m: SklearnModels;
  let engine: PythonEngine;
  const logs: string[] = [];
  const ref = (modelDir: string): PythonModelRef => ({ modelDir, python: SYSTEM_PYTHON });

  beforeAll(() => {
    m = buildSklearnModels();
    engine = new PythonEngine({
      workerScript,
      logger: { info: (msg) => logs.push(msg), warn: (msg) => logs.push(msg), error: (msg) => logs.push(msg) },
    });
  });

  afterAll(async () => {
    await engine?.dispose();
    if (m) rmSync(m.dir, { recursive: true, force: true });
  });

  it('runs a LinearRegression on what the payload engine says the model receives, and writes both servers\' bodies exactly', async () => {
    const report = await new ModelService().inspect(m.diabetes);
    const e = m.expected.diabetes;
    const body = JSON.stringify({ dataframe_split: { columns: e.columns, data: e.rows } });
    const v = validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: null, signature: report.signature });
    expect(v.ok).toBe(true);
    expect(v.model_receives?.kind).toBe('DataFrame');

    const needs = modelNeedsFromReport(report);
    const p = await engine.predict({ ...ref(m.diabetes), flavors: needs.flavors }, v.model_receives!);
    expect(p.mlflow).toEqual({ ok: true, text: e.mlflow_body, serializer: 'preflight-copy' });
    expect(p.azureml).toEqual({ ok: true, text: e.azureml_body });
    expect(p.output).toEqual({ pythonType: 'numpy.ndarray', dtype: 'float64', shape: [5] });
    expect(p.load.loader).toBe('pickle-direct');
    expect(p.load.modelClass).toBe('sklearn.linear_model._base.LinearRegression');
    expect(p.load.notes.join(' ')).toMatch(/mlflow is not installed.*model\.pkl.*cloudpickle/);
    expect(p.predictMs).toBeGreaterThan(0);
  });

  it('runs a LogisticRegression (int64 labels) and its predict_proba twin saved with plain pickle', async () => {
    const e = m.expected.iris;
    const input = frame(Object.fromEntries(e.columns.map((c, k) => [c, { dtype: 'float64', values: e.rows.map((r) => r[k]) }])));
    const labels = await engine.predict(ref(m.iris), input);
    expect(labels.mlflow).toMatchObject({ ok: true, text: e.mlflow_body });
    expect(labels.azureml).toMatchObject({ ok: true, text: e.azureml_body });
    expect(labels.mlflow.ok && labels.mlflow.text).toBe('{"predictions": [0, 1, 2, 2]}');

    const proba = await engine.predict(ref(m.irisProba), input);
    expect(proba.load).toMatchObject({ predictFn: 'predict_proba', serializationFormat: 'pickle' });
    expect(proba.mlflow).toMatchObject({ ok: true, text: e.proba_mlflow_body });
    expect(proba.output).toEqual({ pythonType: 'numpy.ndarray', dtype: 'float64', shape: [4, 3] });
  });

  it('answers a 10 000-row frame in one piece (long protocol lines arrive in many chunks)', async () => {
    const e = m.expected.diabetes;
    const n = 10_000;
    const input = frame(Object.fromEntries(e.columns.map((c, k) => [c, { dtype: 'float64', values: Array.from({ length: n }, (_, r) => e.rows[r % e.rows.length]![k]) }])));
    const p = await engine.predict(ref(m.diabetes), input);
    expect(p.mlflow.ok).toBe(true);
    const preds = (JSON.parse(p.mlflow.ok ? p.mlflow.text : '{}') as { predictions: number[] }).predictions;
    expect(preds).toHaveLength(n);
    const one = (JSON.parse(e.azureml_body) as number[])[0]!;
    expect(preds[5]).toBeCloseTo(one, 9);
  });

  it('keeps one worker per model and reuses it across calls', async () => {
    await engine.predict(ref(m.iris), frame(Object.fromEntries(m.expected.iris.columns.map((c) => [c, { dtype: 'float64', values: [5.1] }]))));
    expect(engine.processInfo(ref(m.iris))).toMatchObject({ running: true, starts: 1 });
    expect(engine.processInfo(ref(m.irisProba))?.pid).not.toBe(engine.processInfo(ref(m.iris))?.pid);
  });

  it('carries float64 columns as raw doubles, bit for bit, and writes only the bodies asked for', async () => {
    const x = [-0, NaN, Infinity, 5e-324, new PyFloat(3), 0.1];
    const input = frame({ action: { dtype: 'object', values: x.map(() => 'ok') }, x: { dtype: 'float64', values: x } });
    const both = await engine.predict(ref(m.tricky), input);
    // X["x"] * 2 as Python writes it: -0.0 stays negative, the subnormal doubles exactly.
    expect(both.mlflow).toEqual({ ok: true, text: '{"predictions": [-0.0, NaN, Infinity, 1e-323, 6.0, 0.2]}', serializer: 'preflight-copy' });
    expect(both.azureml).toEqual({ ok: true, text: '[-0.0, NaN, Infinity, 1e-323, 6.0, 0.2]' });
    // A None among them sends the column as JSON instead; -0.0 still keeps its sign.
    const withNone = frame({ action: { dtype: 'object', values: ['ok', 'ok'] }, x: { dtype: 'float64', values: [new PyFloat(-0), null] } });
    expect((await engine.predict(ref(m.tricky), withNone)).azureml).toEqual({ ok: true, text: '[-0.0, NaN]' });
    const azureOnly = await engine.predict(ref(m.tricky), input, { servers: ['azureml'] });
    expect(azureOnly.azureml).toEqual(both.azureml);
    expect('mlflow' in azureOnly).toBe(false);
  });

  it('writes a float64 prediction (sent back as raw doubles) byte for byte as Python\'s json.dumps does', async () => {
    // Python's float repr switches notation at 1e16 and 1e-4, keeps ".0" on integral values and picks the
    // shortest digits that round-trip; random doubles over the whole exponent range plus those edges.
    const edges = [0, -0, 0.1, 0.2 + 0.1, 1 / 3, 2, 1e15, 9999999999999998, 1e16, 1.5e16, 123456789012345680000, 1e21, 1e22,
      1e-4, 9.999999999999999e-5, 1e-5, 1.7976931348623157e308 / 2, 5e-324, 2.2250738585072014e-308, -1e-7, NaN, Infinity, -Infinity];
    const bits = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    const random = Array.from({ length: 2000 }, () => {
      for (let k = 0; k < 8; k++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        bits.setUint8(k, seed >>> 16);
      }
      const v = bits.getFloat64(0);
      return Number.isFinite(v) ? v / 2 : 0.5;
    });
    const x = [...edges, ...random];
    const input = frame({ action: { dtype: 'object', values: x.map(() => 'ok') }, x: { dtype: 'float64', values: x } });
    const p = await engine.predict(ref(m.tricky), input);
    const python = spawnSync(SYSTEM_PYTHON, ['-c', [
      'import json, struct, sys, numpy as np',
      'raw = sys.stdin.buffer.read()',
      'y = np.frombuffer(raw, dtype="<f8") * 2',
      'print(json.dumps({"predictions": y.tolist()}, allow_nan=True))',
      'print(json.dumps(y.tolist()))',
    ].join('\n')], { input: Buffer.from(new Float64Array(x).buffer), encoding: 'utf8' });
    const [mlflowText, azureText] = python.stdout.trim().split('\n');
    expect(p.output).toEqual({ pythonType: 'numpy.ndarray', dtype: 'float64', shape: [x.length] });
    expect(p.mlflow).toEqual({ ok: true, text: mlflowText, serializer: 'preflight-copy' });
    expect(p.azureml).toEqual({ ok: true, text: azureText });
  });

  it('rebuilds every dtype the payload engine produces before calling predict', async () => {
    const input = frame({
      action: { dtype: 'object', values: ['echo', 'echo'] },
      i64: { dtype: 'int64', values: [1, 9007199254740993n] },
      i32: { dtype: 'int32', values: [1, -2] },
      f32: { dtype: 'float32', values: [Math.fround(0.1), NaN] },
      b: { dtype: 'bool', values: [true, false] },
      when: { dtype: 'datetime64[ns]', values: [new Timestamp(1_704_164_645_000_000_001n), NaT] },
      raw: { dtype: 'object', values: [new Bytes(Uint8Array.from([104, 105])), new PyFloat(1)] },
      u64: { dtype: 'uint64', values: [18446744073709551615n, 0] },
    });
    const p = await engine.predict(ref(m.tricky), input);
    expect(p.mlflow.ok && JSON.parse(p.mlflow.text)).toEqual({
      predictions: [
        { column: 'action', dtype: 'object' },
        { column: 'i64', dtype: 'int64' },
        { column: 'i32', dtype: 'int32' },
        { column: 'f32', dtype: 'float32' },
        { column: 'b', dtype: 'bool' },
        { column: 'when', dtype: 'datetime64[ns]' },
        { column: 'raw', dtype: 'object' },
        { column: 'u64', dtype: 'uint64' },
      ],
    });
  });

  it('serializes like each server: NumpyEncoder for MLflow, plain json.dumps (and its TypeError) for Azure', async () => {
    const scalars = await engine.predict(ref(m.tricky), action('numpy-list'));
    expect(scalars.mlflow).toMatchObject({ ok: true, text: '{"predictions": [1, 0.5]}' });
    expect(scalars.azureml).toEqual({ ok: false, error: { type: 'TypeError', message: 'Object of type int64 is not JSON serializable' } });

    const nonFinite = await engine.predict(ref(m.tricky), action('nan'));
    expect(nonFinite.mlflow).toMatchObject({ ok: true, text: '{"predictions": [NaN, Infinity, -Infinity, 0.1]}' });
    expect(nonFinite.azureml).toEqual({ ok: true, text: '[NaN, Infinity, -Infinity, 0.1]' });

    const frameOut = await engine.predict(ref(m.tricky), action('timestamp'));
    expect(frameOut.mlflow).toMatchObject({ ok: true, text: '{"predictions": [{"when": "2024-01-02T03:04:05", "y": 1.5}]}' });
    expect(frameOut.azureml).toEqual({ ok: false, error: { type: 'TypeError', message: 'Object of type Timestamp is not JSON serializable' } });
    expect(frameOut.output).toMatchObject({ pythonType: 'pandas.DataFrame', columns: ['when', 'y'], dtypes: ['datetime64[ns]', 'float64'] });
  });

  it('keeps stdout for the protocol when the model prints (Python print and raw fd 1)', async () => {
    const p = await engine.predict(ref(m.tricky), action('print'));
    expect(p.mlflow).toMatchObject({ ok: true, text: '{"predictions": [1.0]}' });
    // The noise travels on the worker's stderr pipe, read apart from the protocol pipe: it may land just after the answer.
    await expect.poll(() => logs.some((l) => l.includes('noise written straight to fd 1')), { timeout: 5_000 }).toBe(true);
  });

  it('reports the model\'s own exception as E_MODEL_RUN with its Python type, and the worker stays up', async () => {
    const before = engine.processInfo(ref(m.tricky));
    const err = await rejection(engine.predict(ref(m.tricky), action('raise')));
    expect(err.code).toBe(RunnerErrorCodes.MODEL_RUN);
    expect(err.message).toBe("tricky: the model raised ValueError: tricky model refuses action 'raise'");
    expect(err.details).toMatchObject({ python: { type: 'ValueError', message: "tricky model refuses action 'raise'" } });
    expect(engine.processInfo(ref(m.tricky))).toEqual(before);
  });

  it('contains a model that kills the process: clear error with its last words, and the next call works', async () => {
    const starts = engine.processInfo(ref(m.tricky))!.starts;
    const err = await rejection(engine.predict(ref(m.tricky), action('exit')));
    expect(err.code).toBe(RunnerErrorCodes.RUNTIME_CRASHED);
    expect(err.message).toMatch(/exited with code 7 while predicting/);
    expect(err.message).toContain('tricky model: exiting the process now');
    expect(err.message).toMatch(/starts again on the next call/);

    const again = await engine.predict(ref(m.tricky), action('ok', 2.25));
    expect(again.mlflow).toMatchObject({ ok: true, text: '{"predictions": [4.5]}' });
    expect(engine.processInfo(ref(m.tricky))!.starts).toBe(starts + 1);
  });

  it('stops a predict that runs past its timeout, then serves the next call from a fresh worker', async () => {
    const starts = engine.processInfo(ref(m.tricky))!.starts;
    const t0 = Date.now();
    const err = await rejection(engine.predict(ref(m.tricky), action('sleep'), { timeoutMs: 800 }));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err.code).toBe(RunnerErrorCodes.TIMEOUT);
    expect(err.message).toMatch(/predicting took longer than 800 ms/);
    const again = await engine.predict(ref(m.tricky), action('ok', 1));
    expect(again.mlflow).toMatchObject({ ok: true, text: '{"predictions": [2.0]}' });
    expect(engine.processInfo(ref(m.tricky))!.starts).toBe(starts + 1);
  });

  it('cancels a running predict (kill + restart) and a queued one (no kill)', async () => {
    const starts = engine.processInfo(ref(m.tricky))!.starts;
    const running = new AbortController();
    const queued = new AbortController();
    const slow = engine.predict(ref(m.tricky), action('sleep'), { signal: running.signal });
    const waiting = engine.predict(ref(m.tricky), action('ok', 3), { signal: queued.signal });
    queued.abort();
    const q = await rejection(waiting);
    expect(q.code).toBe(ErrorCodes.CANCELLED);
    expect(engine.processInfo(ref(m.tricky))!.starts).toBe(starts);
    setTimeout(() => running.abort(), 200);
    const r = await rejection(slow);
    expect(r.code).toBe(ErrorCodes.CANCELLED);
    expect(r.message).toBe('tricky: predicting was cancelled.');
    const again = await engine.predict(ref(m.tricky), action('ok', 3));
    expect(again.mlflow).toMatchObject({ ok: true, text: '{"predictions": [6.0]}' });
  });

  it('says clearly when the interpreter does not exist', async () => {
    const err = await rejection(engine.predict({ modelDir: m.diabetes, python: '/nonexistent/bin/python3' }, action('ok')));
    expect(err.code).toBe(ErrorCodes.ENVIRONMENT);
    expect(err.message).toBe('The Python interpreter "/nonexistent/bin/python3" does not exist. Choose another interpreter in Settings or with PREFLIGHT_PYTHON.');
  });

  it('refuses a model it cannot load without mlflow, naming the flavor', async () => {
    const e2 = new PythonEngine({ workerScript });
    try {
      const err = await rejection(e2.load({ modelDir: m.diabetes, python: SYSTEM_PYTHON, flavors: { python_function: { loader_module: 'mlflow.pyfunc.model' } } }));
      expect(err.code).toBe(RunnerErrorCodes.MODEL_LOAD);
      expect(err.message).toMatch(/diabetes: loading the model failed in Python\. mlflow is not installed.*only load sklearn-flavor models \(this model's flavors: python_function; loader_module: mlflow\.pyfunc\.model\)\. Install mlflow/);
    } finally {
      await e2.dispose();
    }
  });

  it('loads through mlflow.pyfunc.load_model and writes with mlflow\'s own predictions_to_json when mlflow is importable', async () => {
    // mlflow cannot be installed offline; this stand-in has the same surface the worker uses
    // (mlflow.__version__, pyfunc.load_model → PyFuncModel.predict/metadata, scoring_server.predictions_to_json)
    // so the worker's mlflow branch runs for real. Its serializer marks its output to prove it was used.
    const site = join(m.dir, 'fake-site');
    const pkg = (rel: string, text: string): void => {
      mkdirSync(join(site, rel, '..'), { recursive: true });
      writeFileSync(join(site, rel), text);
    };
    pkg('mlflow/__init__.py', '__version__ = "2.12.2"\n');
    pkg(
      'mlflow/pyfunc/__init__.py',
      [
        'import os, pickle, yaml',
        'class _Meta:',
        '    def __init__(self, flavors): self.flavors = flavors',
        'class _Wrapper:',
        '    def __init__(self, m): self.sklearn_model = m',
        'class PyFuncModel:',
        '    def __init__(self, impl, flavors): self._model_impl = impl; self.metadata = _Meta(flavors)',
        '    def unwrap_python_model(self): raise RuntimeError("not a custom pyfunc model")',
        '    def predict(self, data, params=None): return self._model_impl.sklearn_model.predict(data)',
        'def load_model(model_uri):',
        '    with open(os.path.join(model_uri, "MLmodel")) as f: flavors = yaml.safe_load(f)["flavors"]',
        '    with open(os.path.join(model_uri, flavors["sklearn"]["pickled_model"]), "rb") as f: m = pickle.load(f)',
        '    return PyFuncModel(_Wrapper(m), flavors)',
        '',
      ].join('\n'),
    );
    pkg(
      'mlflow/pyfunc/scoring_server/__init__.py',
      'import json\ndef predictions_to_json(raw_predictions, output, predictions_metadata=None):\n    json.dump({"predictions": raw_predictions.tolist(), "by": "mlflow"}, output)\n',
    );
    const e2 = new PythonEngine({ workerScript, env: { PYTHONPATH: site } });
    try {
      const e = m.expected.iris;
      const input = frame(Object.fromEntries(e.columns.map((c, k) => [c, { dtype: 'float64', values: e.rows.map((r) => r[k]) }])));
      const p = await e2.predict(ref(m.iris), input);
      expect(p.load).toMatchObject({ loader: 'mlflow.pyfunc.load_model', mlflowVersion: '2.12.2', flavor: 'sklearn', modelClass: 'sklearn.linear_model._logistic.LogisticRegression', notes: [] });
      expect(p.mlflow).toEqual({ ok: true, text: '{"predictions": [0, 1, 2, 2], "by": "mlflow"}', serializer: 'mlflow' });
      expect(p.azureml).toEqual({ ok: true, text: e.azureml_body });
      // A float64 answer too is mlflow's own serializer's text; Azure's is written from the doubles.
      const d = m.expected.diabetes;
      const reg = await e2.predict(ref(m.diabetes), frame(Object.fromEntries(d.columns.map((c, k) => [c, { dtype: 'float64', values: d.rows.map((r) => r[k]) }]))));
      expect(reg.mlflow).toEqual({ ok: true, text: d.mlflow_body.replace(/}$/, ', "by": "mlflow"}'), serializer: 'mlflow' });
      expect(reg.azureml).toEqual({ ok: true, text: d.azureml_body });
    } finally {
      await e2.dispose();
    }
  });

  it('dispose() ends every worker', async () => {
    const e2 = new PythonEngine({ workerScript });
    await e2.load(ref(m.iris));
    const pid = e2.processInfo(ref(m.iris))!.pid!;
    await e2.dispose();
    expect(() => process.kill(pid, 0)).toThrow();
    const err = await rejection(e2.predict(ref(m.iris), action('ok')));
    expect(err.code).toBe(ErrorCodes.CANCELLED);
  });
});
