/**
 * `compare` with an MLflow URL target asks that server `GET /version` and writes the body in the forms *its*
 * version reads, not the model's pin's (mlflow-url-version.ts). A real folder written by MLflow 1.28.0 (pin
 * 1.28.0: the local runner speaks 1.x) and two real Preflight servers of it on 127.0.0.1: one emulating
 * MLflow 2.12.2 (answers /version, reads only the 2.x envelopes), one emulating the pin (1.28 has no
 * /version: 404). Before the question was asked, the 2.12.2 server got the bare 1.x split and refused it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompareService, type CompareInput } from '../../src/main/services/compare/compare-service';
import { ModelService } from '../../src/main/services/model/model-service';
import { PayloadService } from '../../src/main/services/payload/payload-service';
import { PythonRunner } from '../../src/main/services/runner/python/python-runner';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { silentLogger } from '../../src/main/ports/logger';
import { fixturesDir } from '../support/paths';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { sklearnSkipReason, SYSTEM_PYTHON, workerScript } from '../support/sklearn-models';

const MODEL = join(fixturesDir, 'mlflow-models', 'azureml-examples-nyc-taxi-regression');
const COLUMNS = ['distance', 'dropoff_latitude', 'dropoff_longitude', 'passengers', 'pickup_latitude', 'pickup_longitude', 'store_forward', 'vendor', 'pickup_weekday', 'pickup_month', 'pickup_monthday', 'pickup_hour', 'pickup_minute', 'pickup_second', 'dropoff_weekday', 'dropoff_month', 'dropoff_monthday', 'dropoff_hour', 'dropoff_minute', 'dropoff_second'];
const ROW = [2.5, 40.7, -73.9, 1, 40.75, -73.98, 0, 2, 3, 6, 14, 9, 30, 12, 3, 6, 14, 9, 45, 3];
const AZURE_BODY = JSON.stringify({ input_data: { columns: COLUMNS, data: [ROW, ROW.map((v, i) => (i === 0 ? 7.25 : v))] } });

let tmp: string;
let runner: RunnerService;
let v2: ScoringServer;
let pinned: ScoringServer;
let compare: CompareService;

const input = (targets: CompareInput['targets']): CompareInput => ({
  modelPath: MODEL,
  body: AZURE_BODY,
  contentType: 'application/json',
  targets,
  headers: [],
  tolerance: { abs: 1e-6, rel: 1e-6 },
  timeoutMs: 60_000,
});

describe.skipIf(sklearnSkipReason !== null)('compare: an MLflow URL target gets the forms of the version it runs', () => {
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'preflight-compare-version-'));
    const python = new PythonRunner({ workerScript, env: { PREFLIGHT_PYTHON: SYSTEM_PYTHON, PATH: process.env.PATH } });
    runner = new RunnerService({ onnxWorkerPath: await bundleOnnxWorker(join(tmp, 'onnx-worker.js')), python });
    v2 = await startScoringServer({ modelPath: MODEL, server: 'mlflow', runner, mlflowVersion: '2.12.2' });
    pinned = await startScoringServer({ modelPath: MODEL, server: 'mlflow', runner });
    compare = new CompareService({ payload: new PayloadService(new ModelService(silentLogger)), runner });
  }, 120_000);

  afterAll(async () => {
    await v2?.close();
    await pinned?.close();
    await runner?.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  it('a 2.12.2 server is sent dataframe_split and answers; the pinned 1.x runner and that server agree', async () => {
    const r = await compare.run(input([{ kind: 'local', server: 'mlflow' }, { kind: 'url', server: 'mlflow', url: `${v2.url}/invocations` }]));
    const [local, url] = r.targets;
    expect(local!.request).toMatchObject({ to: 'mlflow1_split', headers: { 'content-type': 'application/json; format=pandas-split' } });
    expect(url!.request).toMatchObject({ converted: true, to: 'dataframe_split', headers: { 'content-type': 'application/json' } });
    expect(Object.keys(JSON.parse(url!.request.body) as object)).toEqual(['dataframe_split']);
    expect(url!.request.notes[0]).toBe("GET /version (sent with this request's headers): this server runs MLflow 2.12.2, so the body is written in the forms MLflow 2.12.2 reads.");
    expect(url!.request.notes[1]).toBe("The local runner emulates MLflow 1.28.0 (the model's pin): where the two versions' rules differ, so may their answers. To compare like with like, emulate 2.12.2 (the playground's MLflow field; --mlflow-version 2.12.2 on the command line).");
    expect(url!.response!.status).toBe(200);
    expect(url!.response!.body_text.startsWith('{"predictions": [')).toBe(true);
    expect(r.verdict.agree).toBe(true);
  }, 120_000);

  it('a server without /version (MLflow 1.28) gets the forms of the version the runner emulates, and says why', async () => {
    const r = await compare.run(input([{ kind: 'url', server: 'mlflow', url: `${v2.url}/invocations` }, { kind: 'url', server: 'mlflow', url: `${pinned.url}/invocations` }]));
    const [modern, old] = r.targets;
    // no local target: nothing to say about the runner's version
    expect(modern!.request.notes).toEqual(["GET /version (sent with this request's headers): this server runs MLflow 2.12.2, so the body is written in the forms MLflow 2.12.2 reads."]);
    expect(old!.request).toMatchObject({ to: 'mlflow1_split' });
    expect(old!.request.notes[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/version answered 404 \(MLflow answers it from 1\.30: an older server, or not mlflow models serve\): the body is written for MLflow 1\.28\.0, the version the local runner emulates \(the model's pin\)\.$/);
    expect(old!.response!.status).toBe(200);
    expect(modern!.response!.status).toBe(200);
    expect(r.verdict.agree).toBe(true);
  }, 120_000);
});
