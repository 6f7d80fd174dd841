import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ValidationResultSchema } from '../../src/shared/ipc/contract';
import { fixture, repoRoot, sampleModelDir } from '../support/paths';

/**
 * `preflight validate` and `preflight convert` as users script them: the esbuild CLI bundle (a private
 * build, so a concurrent `npm run build` cannot interfere) spawned on plain Node, on the sample model and
 * the real request fixtures with the model folders they belong to (fixtures README "Request payloads").
 */
const outDir = inject('bundlesDir');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-cli-validate-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(outDir, 'cli.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    input,
    env: { ...process.env, PREFLIGHT_USER_DATA: join(tmp, 'user-data') },
    timeout: 60_000,
  });
const json = (stdout: string) => ValidationResultSchema.parse(JSON.parse(stdout));

const model = (name: string) => fixture('mlflow-models', name);
const req = (p: string) => fixture('requests', p);
const diabetes = model('azureml-examples-sklearn-diabetes');
const ncdRequest = req('azureml-examples/ncd-sample-request-sklearn-diabetes.json');
const DIABETES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

describe('preflight validate --json', () => {
  it('the documented Azure request on the diabetes model: exit 0, 10 float64 columns, the stable key set', () => {
    const r = run(['validate', diabetes, ncdRequest, '--server', 'azureml', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const raw = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual(['server', 'mlflow_version', 'ok', 'status', 'body', 'server_log', 'model_receives', 'params_received', 'warnings']);
    const v = json(r.stdout);
    expect(v).toMatchObject({ server: 'azureml', ok: true, status: 200, body: null, server_log: null });
    expect(v.mlflow_version).toMatchObject({ version: '2.7.1', behaviour: '2.7' });
    expect(v.model_receives).toMatchObject({ kind: 'DataFrame', columns: DIABETES, nrows: 2 });
    expect(Object.values((v.model_receives as { dtypes: Record<string, string> }).dtypes)).toEqual(Array(10).fill('float64'));
  });

  it('a server that never starts is named as the server asked: Azure\'s deployment, or mlflow models serve', () => {
    // The sample model's signature was written by 2.16.2 ("required"): MLflow 2.7.1 cannot load it, on either server.
    const body = join(sampleModelDir, 'input_example.json');
    for (const [server, words] of [['azureml', 'the Azure deployment would not start'], ['mlflow', 'mlflow models serve would not start']] as const) {
      const r = run(['validate', sampleModelDir, body, '--server', server, '--mlflow-version', '2.7.1']);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toContain(`Result:        NO ANSWER — ${words}, so every request fails`);
    }
  });

  it('the same body sent to MLflow serve: exit 1, the exact 400 body', () => {
    const r = run(['validate', diabetes, ncdRequest, '--server', 'mlflow', '--json']);
    expect(r.status).toBe(1);
    const v = json(r.stdout);
    expect(v).toMatchObject({ ok: false, status: 400, model_receives: null, body: { error_code: 'BAD_REQUEST' } });
    expect((v.body as { message: string }).message).toContain('Received dictionary with input fields: []');
  });

  it('reads the body from stdin with -', async () => {
    const body = await readFile(ncdRequest, 'utf8');
    const r = run(['validate', diabetes, '-', '--json'], body);
    expect(r.status, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ server: 'azureml', ok: true });
  });

  it('--content-type none: Azure answers 415; MLflow serve answers 500', () => {
    const az = run(['validate', diabetes, ncdRequest, '--content-type', 'none', '--json']);
    expect(az.status).toBe(1);
    expect(json(az.stdout)).toMatchObject({ status: 415, body: { message: 'Expects Content-Type to be application/json' } });
    const ml = run(['validate', diabetes, req('mlflow/cli-serve-docstring-dataframe_split.json'), '--server', 'mlflow', '--content-type', 'none', '--json']);
    expect(ml.status).toBe(1);
    expect(json(ml.stdout).status).toBe(500);
  });

  it('--mlflow-version decides the era: the model pins 2.7.1 (500), 2.12 answers 400', async () => {
    const body = join(tmp, 'missing-column.json');
    await writeFile(body, '{"dataframe_split": {"columns": ["age"], "data": [[0.1]]}}');
    const pinned = json(run(['validate', diabetes, body, '--server', 'mlflow', '--json']).stdout);
    expect(pinned).toMatchObject({ status: 500, mlflow_version: { version: '2.7.1', source: 'mlmodel' } });
    const newer = run(['validate', diabetes, body, '--server', 'mlflow', '--mlflow-version', '2.12', '--json']);
    expect(newer.status).toBe(1);
    expect(json(newer.stdout)).toMatchObject({ status: 400, mlflow_version: { version: '2.12', source: 'override', behaviour: '2.12+' } });
  });

  it('the heart request sends 2 for the string column thal: accepted, with a warning pointing into the body', () => {
    const r = run(['validate', model('azureml-examples-heart-classifier'), req('azureml-examples/deploy-with-packages-heart-sample-request.json'), '--json']);
    expect(r.status).toBe(0);
    const w = json(r.stdout).warnings.find((x) => x.code === 'non-string-in-string-column');
    expect(w?.path).toMatch(/^\$\.input_data\.data\[0\]/);
  });

  it("a documented request whose column name is wrong: Azure's generic 500, the real error in server_log", () => {
    const r = run(['validate', model('azureml-assets-automl-text-classification'), req('azureml-assets/automl-text-classification.request.json'), '--json']);
    expect(r.status).toBe(1);
    const v = json(r.stdout);
    expect(v).toMatchObject({ status: 500, body: { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' } });
    expect(v.server_log).toContain('input_string');
  });
});

describe('preflight validate (text)', () => {
  it('an accepted request: the server, the emulated version and why, the preview table with dtypes', () => {
    const r = run(['validate', sampleModelDir, ncdRequest]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Azure ML managed online endpoint');
    expect(r.stdout).toMatch(/MLflow:\s+2\.16\.2 \(2\.12\+ behaviour\) — Emulating MLflow 2\.16\.2, pinned in the model's requirements \(mlflow==2\.16\.2\)/);
    expect(r.stdout).toContain('OK — the server would call the model (HTTP 200)');
    expect(r.stdout).toContain('pandas DataFrame: 2 rows × 10 columns');
    expect(r.stdout).toMatch(/^\s+bmi\s+float64\s+3\.0\s+9\.0$/m);
  });

  it("a rejected request: status, the exact body, and Azure's log labelled as such", () => {
    const r = run(['validate', model('azureml-assets-automl-text-classification'), req('azureml-assets/automl-text-classification.request.json')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('REJECTED — HTTP 500');
    expect(r.stdout).toContain('"message": "An unexpected error occurred in scoring script. Check the logs for more info."');
    expect(r.stdout).toContain('Server log (Azure only writes this to the deployment log');
    expect(r.stdout).toMatch(/Warnings \(\d+\)/);
  });
});

describe('preflight validate (errors)', () => {
  it('usage errors exit 2 and say what is wrong', () => {
    expect(run(['validate', diabetes])).toMatchObject({ status: 2, stderr: expect.stringContaining('Missing <body-file|-> (after <model-dir>).') });
    expect(run(['validate', diabetes, ncdRequest, '--server', 'triton'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--server must be azureml or mlflow, not "triton"') });
    expect(run(['validate', diabetes, ncdRequest, '--mlflow-version', 'latest'])).toMatchObject({ status: 2, stderr: expect.stringContaining("'latest' is not a version") });
  });

  it('a missing body file or model folder exits 3 naming it', () => {
    const noBody = run(['validate', diabetes, join(tmp, 'nope.json')]);
    expect(noBody.status).toBe(3);
    expect(noBody.stderr).toMatch(/^preflight: Request body file not found: .*nope\.json/);
    const noModel = run(['validate', join(tmp, 'no-model'), ncdRequest]);
    expect(noModel.status).toBe(3);
    expect(noModel.stderr).toMatch(/^preflight: Model folder not found: .*no-model/);
  });
});

describe('preflight convert', () => {
  it('Azure → dataframe_split with the model: the output validates on MLflow serve', () => {
    const c = run(['convert', ncdRequest, '--to', 'dataframe_split', '--model', diabetes]);
    expect(c.status, c.stderr).toBe(0);
    const converted = JSON.parse(c.stdout) as { dataframe_split: { columns: string[] } };
    expect(converted.dataframe_split.columns).toEqual(DIABETES);
    const v = run(['validate', diabetes, '-', '--server', 'mlflow', '--json'], c.stdout);
    expect(v.status, v.stdout).toBe(0);
  });

  it('an MLflow body → azureml is an input_data body', () => {
    const c = run(['convert', req('mlflow/cli-serve-docstring-dataframe_split.json'), '--to', 'azureml']);
    expect(c.status, c.stderr).toBe(0);
    expect(Object.keys(JSON.parse(c.stdout) as object)).toContain('input_data');
  });

  it('an MLflow 1.x bare columns/data body is upgraded, with a note on stderr', () => {
    const c = run(['convert', req('azureml-examples/mlflow-1x-columns-data-request.json'), '--to', 'dataframe_split']);
    expect(c.status, c.stderr).toBe(0);
    expect(Object.keys(JSON.parse(c.stdout) as object)).toEqual(['dataframe_split']);
    expect(c.stderr).toMatch(/^note: .*1\.x/im);
  });

  it('params cannot travel in CSV: converted with a warning on stderr, stdout stays the body alone', () => {
    const c = run(['convert', req('azureml-assets/gpt2.request.json'), '--to', 'csv']);
    if (c.status === 0) {
      expect(c.stderr).toMatch(/^warning: .*param/im);
      expect(c.stdout.trimStart().startsWith('{')).toBe(false);
    } else {
      expect(c.status).toBe(1);
      expect(c.stderr).toMatch(/^preflight convert: cannot convert to csv: /);
    }
  });

  it('a body that is not JSON: exit 1 with the parse error', () => {
    const c = run(['convert', req('invalid/automl-ner.request.json'), '--to', 'azureml']);
    expect(c.status).toBe(1);
    expect(c.stdout).toBe('');
    expect(c.stderr).toMatch(/^preflight convert: cannot convert to azureml: .*(line|char|JSON)/);
  });

  // docs/fidelity.md §15 "1.x in convert/playground/validate": nyc-taxi-regression pins MLflow 1.28.0
  const nyc = model('azureml-examples-nyc-taxi-regression');
  const NYC = ['distance', 'dropoff_latitude', 'dropoff_longitude', 'passengers', 'pickup_latitude', 'pickup_longitude', 'store_forward', 'vendor', 'pickup_weekday', 'pickup_month', 'pickup_monthday', 'pickup_hour', 'pickup_minute', 'pickup_second', 'dropoff_weekday', 'dropoff_month', 'dropoff_monthday', 'dropoff_hour', 'dropoff_minute', 'dropoff_second'];
  const nycAzure = async (): Promise<string> => {
    const file = join(tmp, 'nyc-azure.json');
    const row = NYC.map((c, k) => (k < 3 || k === 4 || k === 5 ? 40.5 + k : k));
    await writeFile(file, JSON.stringify({ input_data: { columns: NYC, index: [0, 1], data: [row, row] } }));
    return file;
  };

  it('for a model pinning 1.x: --to mlflow1_split / mlflow1_records write the bare 1.x bodies, whose Content-Type is noted, and the 1.x server accepts them', async () => {
    const body = await nycAzure();
    for (const [to, ct] of [['mlflow1_split', 'application/json; format=pandas-split'], ['mlflow1_records', 'application/json; format=pandas-records']] as const) {
      const c = run(['convert', body, '--to', to, '--model', nyc]);
      expect(c.status, c.stderr).toBe(0);
      expect(c.stderr).toContain(`note: send it with Content-Type: ${ct}`);
      const out = JSON.parse(c.stdout) as unknown;
      if (to === 'mlflow1_split') expect(out).toMatchObject({ columns: NYC, index: [0, 1] });
      else expect(Object.keys((out as object[])[0]!)).toEqual(NYC);
      const v = run(['validate', nyc, '-', '--server', 'mlflow', '--content-type', ct, '--json'], c.stdout);
      expect(v.status, v.stdout).toBe(0);
      expect(json(v.stdout)).toMatchObject({ mlflow_version: { version: '1.28.0', source: 'mlmodel', behaviour: '1.x' }, model_receives: { kind: 'DataFrame', columns: NYC, nrows: 2 } });
    }
    // the human output names the protocol too
    expect(run(['validate', nyc, body, '--server', 'mlflow']).stdout).toMatch(/MLflow:\s+1\.28\.0 \(1\.x behaviour\)/);
  });

  it('--mlflow-version decides the MLflow forms: a 2.x envelope for a 1.x server is written with a warning, and back', async () => {
    const body = await nycAzure();
    const env = run(['convert', body, '--to', 'dataframe_split', '--model', nyc]);
    expect(env.status, env.stderr).toBe(0);
    expect(env.stderr).toMatch(/^warning: \[form-not-read-by-version\] MLflow 1\.28\.0 \(the model's pin\) speaks the pre-2\.0 protocol/m);
    const ok = run(['convert', body, '--to', 'dataframe_split', '--model', nyc, '--mlflow-version', '2.12.2']);
    expect(ok.stderr).not.toContain('form-not-read-by-version');
    const records = run(['convert', '-', '--to', 'mlflow1_records', '--mlflow-version', '1.30.1'], ok.stdout);
    expect(records.status, records.stderr).toBe(0);
    expect(records.stderr).not.toContain('form-not-read-by-version');
    expect((JSON.parse(records.stdout) as object[]).length).toBe(2);
    const bad = run(['convert', body, '--to', 'mlflow1_split', '--mlflow-version', 'latest']);
    expect(bad).toMatchObject({ status: 2, stdout: '' });
    expect(bad.stderr).toContain("MLflow version 'latest' is not a version");
    expect(run(['validate', nyc, body, '--mlflow-version', 'latest']).stderr).toContain("MLflow version 'latest' is not a version");
  });

  it('usage: --to is required and checked', () => {
    expect(run(['convert', ncdRequest])).toMatchObject({ status: 2, stderr: expect.stringContaining('--to is required') });
    expect(run(['convert', ncdRequest, '--to', 'parquet'])).toMatchObject({ status: 2, stderr: expect.stringContaining('not "parquet"') });
    expect(run(['convert', join(tmp, 'none.json'), '--to', 'csv']).status).toBe(3);
  });
});
