/**
 * `runner.*` over the real dispatcher (compose() with headless ports, strict output checks): the bundled
 * ONNX sample on both server profiles answers exactly what `preflight predict --json` prints, a real
 * scikit-learn MLflow folder runs in Debian's Python, model exceptions and unserializable outputs get the
 * servers' error answers, a run can be cancelled, and `runner.environment` says which engine and
 * interpreter run the model.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResultData, RunnerEnvironmentData } from '../../src/shared/ipc/contract';
import { methodChannel } from '../../src/shared/ipc/channels';
import type { Result } from '../../src/shared/ipc/result';
import { compose, type Composition } from '../../src/main/app/compose';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { fixture, repoRoot, sampleModelDir } from '../support/paths';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, type SklearnModels } from '../support/sklearn-models';
import { errorsToConsole, testHostPorts } from '../support/host-ports';

let tmp: string;
let worker: string;
let app: Composition;
const savedPython = process.env.PREFLIGHT_PYTHON;
const ctx = (signal = new AbortController().signal) => ({ senderId: 'test-window', signal });

async function call<T>(channel: string, input: unknown, signal?: AbortSignal): Promise<Result<T>> {
  return (await app.dispatch(channel, input, ctx(signal))) as Result<T>;
}
async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await call<T>(channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const predict = (input: Record<string, unknown>) => ok<RunResultData>(methodChannel('runner', 'predict'), input);

async function cliPredictJson(model: string, body: string, server: string): Promise<{ status: number; body_text: string; headers: Record<string, string> }> {
  const file = join(tmp, `body-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, body);
  let stdout = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: () => {},
    // The CLI runs Python models only from trusted folders (model-folder trust); these are built under tmpdir().
    env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_PYTHON: SYSTEM_PYTHON, PREFLIGHT_USER_DATA: join(tmp, 'cli-user-data'), PREFLIGHT_TRUST: tmpdir() },
    cwd: repoRoot,
    signal: new AbortController().signal,
    log: silentLogger,
  };
  await runCli(['predict', model, file, '--server', server, '--json'], io);
  return JSON.parse(stdout) as { status: number; body_text: string; headers: Record<string, string> };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-runner-ipc-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  // Debian's Python has scikit-learn; a pyenv shim first on PATH may not.
  process.env.PREFLIGHT_PYTHON = SYSTEM_PYTHON;
  app = await compose(testHostPorts({ log: errorsToConsole, userDataDir: join(tmp, 'user-data'), onnxWorkerPath: worker }));
}, 60_000);

afterAll(async () => {
  await app?.dispose();
  if (savedPython === undefined) delete process.env.PREFLIGHT_PYTHON;
  else process.env.PREFLIGHT_PYTHON = savedPython;
  await rm(tmp, { recursive: true, force: true });
});

describe('runner.predict on the bundled ONNX sample', () => {
  for (const server of ['azureml', 'mlflow'] as const) {
    it(`${server}: the sample body answers 200 with predictions, exactly as preflight predict --json`, async () => {
      const samples = await ok<Record<'azureml' | 'mlflow', { body: string; contentType: string }> & { mlflow_version: RunResultData['mlflow_version'] }>(methodChannel('payload', 'samples'), { modelPath: sampleModelDir });
      const s = samples[server];
      const r = await predict({ modelPath: sampleModelDir, body: s.body, server, contentType: s.contentType, opId: `sample-${server}` });
      expect(r.status).toBe(200);
      expect(r.engine).toBe('onnx');
      expect(r.loader?.name).toBe('onnxruntime-node');
      expect(r.latency_ms).toBeGreaterThan(0);
      // the same version view validate, samples and convert give (the sample model pins 2.16.2: the 2.12+ rules)
      expect(r.mlflow_version).toEqual({ ...samples.mlflow_version, behaviour: '2.12+' });
      const numbers = JSON.stringify(r.body).match(/-?\d+\.\d+/g) ?? [];
      expect(numbers.length).toBeGreaterThan(0);
      if (server === 'mlflow') expect(r.body_text.startsWith('{"predictions": ')).toBe(true);
      else expect(r.headers['x-ms-run-function-failed']).toBe('False');

      const cli = await cliPredictJson(sampleModelDir, s.body, server);
      expect(r.body_text).toBe(cli.body_text);
      expect(r.status).toBe(cli.status);
      expect(r.headers).toEqual(cli.headers);
    });
  }

  it('a broken body is an answer (status + body), not an error: Azure logs the real cause', async () => {
    const r = await predict({ modelPath: sampleModelDir, body: '{"input_data": {"columns": ["age"], "data": [["old"]]}}', server: 'azureml', contentType: 'application/json' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.engine).toBeNull();
    expect(r.server_log ?? r.body_text).toMatch(/\w/);
  });

  it('runner.environment: the ONNX sample needs no Python', async () => {
    const env = await ok<RunnerEnvironmentData>(methodChannel('runner', 'environment'), { modelPath: sampleModelDir });
    expect(env).toMatchObject({ engine: 'onnx', python: null });
    expect(env.summary).toMatch(/no Python is needed/);
  });
});

describe.skipIf(sklearnSkipReason !== null)('runner.predict on real scikit-learn models (Python engine)', () => {
  let m: SklearnModels;
  beforeAll(() => {
    m = buildSklearnModels();
  }, 60_000);
  afterAll(async () => {
    if (m) await rm(m.dir, { recursive: true, force: true });
  });

  it('a LinearRegression answers both servers with the bodies Python wrote, and says which loader ran', async () => {
    const e = m.expected.diabetes;
    const mlflow = await predict({ modelPath: m.diabetes, body: JSON.stringify({ dataframe_split: { columns: e.columns, data: e.rows } }), server: 'mlflow', contentType: 'application/json' });
    expect(mlflow).toMatchObject({ status: 200, engine: 'python', body_text: e.mlflow_body });
    expect(mlflow.loader?.name).toBe('pickle-direct');
    expect(mlflow.loader?.notes.join(' ')).toMatch(/mlflow is not installed/);
    expect(mlflow.loader?.interpreter).toBe(SYSTEM_PYTHON);

    const azure = await predict({ modelPath: m.diabetes, body: JSON.stringify({ input_data: { columns: e.columns, data: e.rows } }), server: 'azureml', contentType: 'application/json' });
    expect(azure).toMatchObject({ status: 200, body_text: e.azureml_body, headers: { 'content-type': 'application/json', 'x-ms-run-function-failed': 'False' } });
    expect(azure.body).toEqual(JSON.parse(e.azureml_body));

    // preflight predict goes through the same runner factory: sklearn models work from the CLI too.
    const cli = await cliPredictJson(m.diabetes, JSON.stringify({ input_data: { columns: e.columns, data: e.rows } }), 'azureml');
    expect(cli.body_text).toBe(e.azureml_body);
  });

  it('a model that raises: Azure answers its generic 500 (the error only in server_log), MLflow 400 BAD_REQUEST', async () => {
    const body = (server: string) =>
      server === 'azureml'
        ? JSON.stringify({ input_data: { columns: ['action', 'x'], data: [['raise', 1.5]] } })
        : JSON.stringify({ dataframe_split: { columns: ['action', 'x'], data: [['raise', 1.5]] } });
    const azure = await predict({ modelPath: m.tricky, body: body('azureml'), server: 'azureml', contentType: 'application/json' });
    expect(azure.status).toBe(500);
    expect(azure.headers['x-ms-run-function-failed']).toBe('True');
    expect(azure.body_text).not.toContain('refuses');
    expect(azure.server_log).toContain("ValueError: tricky model refuses action 'raise'");
    const mlflow = await predict({ modelPath: m.tricky, body: body('mlflow'), server: 'mlflow', contentType: 'application/json' });
    expect(mlflow.status).toBe(400);
    expect(mlflow.body).toMatchObject({ error_code: 'BAD_REQUEST' });
  });

  it("an output plain json.dumps cannot encode: Azure's internal 500, MLflow's NumpyEncoder copes", async () => {
    const azure = await predict({ modelPath: m.tricky, body: JSON.stringify({ input_data: { columns: ['action', 'x'], data: [['numpy-list', 1]] } }), server: 'azureml', contentType: 'application/json' });
    expect(azure.status).toBe(500);
    expect(azure.body).toEqual({ message: 'An unexpected internal error occurred. Check the logs for more info.' });
    expect(azure.headers['x-ms-run-function-failed']).toBe('False');
    expect(azure.server_log).toMatch(/TypeError: .*not JSON serializable/);
    const mlflow = await predict({ modelPath: m.tricky, body: JSON.stringify({ dataframe_split: { columns: ['action', 'x'], data: [['numpy-list', 1]] } }), server: 'mlflow', contentType: 'application/json' });
    expect(mlflow.status).toBe(200);
    expect(mlflow.body_text).toBe('{"predictions": [1, 0.5]}');
  });

  it('runner.cancel stops a long run with E_CANCELLED, and the next run works', async () => {
    const body = JSON.stringify({ dataframe_split: { columns: ['action', 'x'], data: [['sleep', 1]] } });
    const pending = call<RunResultData>(methodChannel('runner', 'predict'), { modelPath: m.tricky, body, server: 'mlflow', contentType: 'application/json', opId: 'long-run' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ok(methodChannel('runner', 'cancel'), { opId: 'long-run' })).toEqual({ cancelled: true });
    const r = await pending;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('E_CANCELLED');
    expect(await ok(methodChannel('runner', 'cancel'), { opId: 'long-run' })).toEqual({ cancelled: false });
    const again = await predict({ modelPath: m.tricky, body: body.replace('sleep', 'ok'), server: 'mlflow', contentType: 'application/json' });
    expect(again.body_text).toBe('{"predictions": [2.0]}');
  }, 30_000);

  it('runner.environment names the interpreter, its loader and the pins against what it has', async () => {
    const env = await ok<RunnerEnvironmentData>(methodChannel('runner', 'environment'), { modelPath: m.diabetes });
    expect(env.engine).toBe('python');
    expect(env.python?.chosen).toMatchObject({ path: SYSTEM_PYTHON, source: 'PREFLIGHT_PYTHON', mlflowVersion: null });
    expect(env.python?.loader).toBe('pickle-direct');
    const sk = env.python?.packages.find((p) => p.name === 'scikit-learn');
    expect(sk?.installed).toMatch(/^\d+\.\d+/);
    expect(env.summary).toMatch(/no mlflow: the sklearn pickle is read directly/);
  });
});

describe.skipIf(sklearnSkipReason !== null)('Python models that cannot run here say why', () => {
  it("the azureml-examples heart classifier's folder with a pickle that needs xgboost, which Debian's Python lacks — E_MODEL_LOAD naming the pin", async () => {
    // The fixture's own model.pkl is never unpickled (fixtures README: unpickling runs code). Its MLmodel and
    // environment files go beside a pickle of our own that references xgboost's classifier, as the real one does.
    const heart = join(tmp, 'heart-classifier');
    await mkdir(heart);
    for (const f of ['MLmodel', 'conda.yaml', 'requirements.txt']) await copyFile(fixture('mlflow-models', 'azureml-examples-heart-classifier', f), join(heart, f));
    // GLOBAL xgboost.sklearn.XGBClassifier, EMPTY_TUPLE, NEWOBJ, STOP.
    await writeFile(join(heart, 'model.pkl'), Buffer.from('cxgboost.sklearn\nXGBClassifier\n)\x81.', 'latin1'));
    const row = [[63, 1, 1, 145, 233, 1, 2, 150, 0, 2.3, 3, 0, 'fixed']];
    const columns = ['age', 'sex', 'cp', 'trestbps', 'chol', 'fbs', 'restecg', 'thalach', 'exang', 'oldpeak', 'slope', 'ca', 'thal'];
    const r = await call(methodChannel('runner', 'predict'), { modelPath: heart, body: JSON.stringify({ input_data: { columns, data: row } }), server: 'azureml', contentType: 'application/json' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('E_MODEL_LOAD');
    expect(r.error.message).toContain("No module named 'xgboost'");
    expect(r.error.message).toMatch(/pins xgboost==\d/);
    expect(r.error.message).toContain('PREFLIGHT_PYTHON');
  }, 60_000);

  it('PREFLIGHT_PYTHON naming a missing interpreter: E_ENVIRONMENT saying what to do', async () => {
    process.env.PREFLIGHT_PYTHON = join(tmp, 'no-such-python');
    try {
      const r = await call(methodChannel('runner', 'environment'), { modelPath: fixture('mlflow-models', 'azureml-examples-ncd-sklearn-diabetes') });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('E_ENVIRONMENT');
      expect(r.error.message).toContain('no-such-python');
      expect(r.error.message).toMatch(/PREFLIGHT_PYTHON/);
    } finally {
      process.env.PREFLIGHT_PYTHON = SYSTEM_PYTHON;
    }
  });
});
