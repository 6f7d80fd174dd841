/**
 * The local scoring server over real HTTP on 127.0.0.1 with real onnxruntime (a bundled worker process):
 * the bundled diabetes sample on both profiles, auth, health routes, swagger, refusals equal to what the
 * payload engine says, a ZipMap classifier written with onnx-writer, the body size limit and concurrency.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pyFloatRepr } from '../../src/shared/mlflow/payload/py-json';
import { validateRequest } from '../../src/shared/mlflow/payload/validate';
import { pyDumpsPlain } from '../../src/shared/mlflow/output/responses';
import { ModelService } from '../../src/main/services/model/model-service';
import { contextFromReport } from '../../src/main/services/payload/model-context';
import { mapType, seqType, tensorType } from '../../src/main/services/model/onnx/onnx-types';
import { attr, writeOnnxModel } from '../support/onnx-writer';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type RequestLogEvent, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { sampleModelDir } from '../support/paths';
import { writeSlowModel, writeOnnxFlavorMLmodel } from '../support/onnx-models';

let dir: string;
let runner: RunnerService;
let azure: ScoringServer;
let mlflow: ScoringServer;
const azureLog: RequestLogEvent[] = [];
let example: { columns: string[]; data: number[][] };

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(url: string, init: RequestInit & { key?: string | null } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  const res = await fetch(url, { ...init, headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const score = (body: string, key: string | null = azure.key, contentType = 'application/json'): Promise<Answer> =>
  send(`${azure.url}/score`, { method: 'POST', body, key, headers: { 'content-type': contentType } });
const invoke = (s: ScoringServer, body: string, contentType = 'application/json'): Promise<Answer> =>
  send(`${s.url}/invocations`, { method: 'POST', body, headers: { 'content-type': contentType } });

/** A float as Python writes a float32 widened to float64: the shortest repr of a value float32 can hold. */
function expectFloat32Repr(token: string, near: number): void {
  const v = Number(token);
  expect(Math.fround(v)).toBe(v);
  expect(pyFloatRepr(v)).toBe(token);
  expect(Math.abs(v - near)).toBeLessThan(1e-2);
}

const CLASSES = ['cat', 'dog', 'fox'];

/** scikit-learn LogisticRegression as skl2onnx converts it: label + ZipMap probabilities, in an onnx-flavor MLflow folder. */
async function writeClassifierFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeOnnxModel(join(folder, 'model.onnx'), {
    opsetImports: [{ domain: '', version: 13 }, { domain: 'ai.onnx.ml', version: 1 }],
    graph: {
      name: 'clf',
      nodes: [
        {
          opType: 'LinearClassifier', domain: 'ai.onnx.ml', inputs: ['X'], outputs: ['output_label', 'scores'],
          attributes: [attr.floats('coefficients', [1, -1, 0.5, 2, -0.5, 0.25]), attr.floats('intercepts', [0.1, -0.2, 0.3]), attr.strings('classlabels_strings', CLASSES), attr.string('post_transform', 'SOFTMAX'), attr.int('multi_class', 0)],
        },
        { opType: 'ZipMap', domain: 'ai.onnx.ml', inputs: ['scores'], outputs: ['output_probability'], attributes: [attr.strings('classlabels_strings', CLASSES)] },
      ],
      inputs: [{ name: 'X', type: tensorType('float', [null, 2]) }],
      outputs: [
        { name: 'output_label', type: tensorType('string', [null]) },
        { name: 'output_probability', type: seqType(mapType('string', tensorType('float', null))) },
      ],
    },
  });
  await writeOnnxFlavorMLmodel(folder, {
    mlflowVersion: '2.12.2',
    inputs: [{ type: 'float', name: 'x1', required: true }, { type: 'float', name: 'x2', required: true }],
    outputs: null,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-server-'));
  runner = new RunnerService({ onnxWorkerPath: await bundleOnnxWorker(join(dir, 'onnx-worker.js')) });
  example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as typeof example;
  await writeClassifierFolder(join(dir, 'clf'));
  azure = await startScoringServer({ modelPath: sampleModelDir, server: 'azureml', runner });
  mlflow = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner });
  azure.onRequest((e) => azureLog.push(e));
}, 60_000);

afterAll(async () => {
  await azure?.close();
  await mlflow?.close();
  runner?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('the diabetes sample on the Azure profile', () => {
  it('listens on 127.0.0.1 with a generated key', () => {
    expect(azure.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(azure.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("answers POST /score with the bare records list, floats widened from float32, Azure's headers", async () => {
    const r = await score(JSON.stringify({ input_data: example }));
    expect(r.status).toBe(200);
    const m = /^\[\{"variable": (\S+)\}, \{"variable": (\S+)\}\]$/.exec(r.text);
    expect(m, r.text).not.toBeNull();
    expectFloat32Repr(m![1]!, 206.117);
    expectFloat32Repr(m![2]!, 68.071);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('x-ms-run-function-failed')).toBe('False');
    expect(r.headers.get('x-ms-run-fn-exec-ms')).toMatch(/^\d+\.\d{3}$/);
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('x-ms-request-id')).toBe(r.headers.get('x-request-id'));
  });

  it('accepts the azureml-model-deployment header and echoes request ids', async () => {
    const r = await send(`${azure.url}/score`, {
      method: 'POST', key: azure.key, body: JSON.stringify({ input_data: example }),
      headers: { 'content-type': 'application/json', 'azureml-model-deployment': 'blue', 'x-ms-client-request-id': 'abc-1' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('azureml-model-deployment')).toBe('blue');
    expect(r.headers.get('x-ms-client-request-id')).toBe('abc-1');
    const long = await send(`${azure.url}/score`, { method: 'POST', key: azure.key, body: '{}', headers: { 'content-type': 'application/json', 'x-request-id': 'x'.repeat(101) } });
    expect(long.status).toBe(431);
    expect(long.text).toBe('{"message": "x-request-id must not exceed 100 characters"}');
  });

  it('refuses /score and /swagger.json without the key or with a wrong one (401), serves GET / without', async () => {
    expect((await score(JSON.stringify({ input_data: example }), null)).status).toBe(401);
    expect((await score(JSON.stringify({ input_data: example }), 'wrong-key-1234')).status).toBe(401);
    expect((await send(`${azure.url}/swagger.json`)).status).toBe(401);
    const health = await send(`${azure.url}/`);
    expect(health).toMatchObject({ status: 200, text: 'Healthy' });
  });

  it('GET /swagger.json describes input_data from the signature, with the input example', async () => {
    const r = await send(`${azure.url}/swagger.json`, { key: azure.key });
    expect(r.status).toBe(200);
    const doc = JSON.parse(r.text) as { swagger: string; paths: Record<string, unknown>; definitions: { ServiceInput: { required: string[]; properties: { input_data: { properties: { columns: { items: { enum: string[] } } }; example: { columns: string[] } } } } } };
    expect(doc.swagger).toBe('2.0');
    expect(Object.keys(doc.paths)).toEqual(['/', '/score']);
    expect(doc.definitions.ServiceInput.required).toEqual(['input_data']);
    expect(doc.definitions.ServiceInput.properties.input_data.properties.columns.items.enum).toEqual(example.columns);
    expect(doc.definitions.ServiceInput.properties.input_data.example.columns).toEqual(example.columns);
  });

  it('answers refusals exactly as the payload engine says (bad JSON, wrong content type, missing column, MLflow envelope)', async () => {
    const ctx = await contextFromReport(await new ModelService().inspect(sampleModelDir));
    const cases: [string, string][] = [
      ['{"input_data": ', 'application/json'],
      [JSON.stringify({ input_data: example }), 'text/csv'],
      [JSON.stringify({ input_data: { columns: example.columns.slice(1), data: example.data.map((r) => r.slice(1)) } }), 'application/json'],
      [JSON.stringify({ dataframe_split: example }), 'application/json'],
    ];
    for (const [body, ct] of cases) {
      const v = validateRequest({ body, contentType: ct, server: 'azureml', mlflowVersion: null, mlmodelVersion: ctx.mlmodelVersion, requirementsPin: ctx.requirementsPin, signature: ctx.signature, inputExample: ctx.inputExample });
      expect(v.ok).toBe(false);
      const r = await score(body, azure.key, ct);
      expect(r.status, body).toBe(v.status);
      expect(r.text).toBe(pyDumpsPlain(v.body));
      expect(r.headers.get('x-ms-run-function-failed')).toBe(v.status === 500 ? 'True' : 'False');
    }
  });

  it('logs each request without headers or keys', async () => {
    const before = azureLog.length;
    await score(JSON.stringify({ input_data: example }));
    // The ONNX serving process sends log events in batches (off the request's path): they follow shortly, and
    // the previous test's refused requests (4xx/5xx) may still be arriving, so wait for this one (the only 200).
    await vi.waitFor(() => expect(azureLog.slice(before).some((x) => x.status === 200)).toBe(true), { timeout: 5000 });
    const e = azureLog.slice(before).find((x) => x.status === 200)!;
    expect(e).toMatchObject({ method: 'POST', path: '/score', status: 200 });
    expect(Object.keys(e).sort()).toEqual(['method', 'ms', 'path', 'status', 'time']);
    expect(JSON.stringify(azureLog)).not.toContain(azure.key!);
  });
});

describe('the diabetes sample on the MLflow profile', () => {
  it('wraps the same numbers in {"predictions": …} on /invocations', async () => {
    const [a, m] = await Promise.all([score(JSON.stringify({ input_data: example })), invoke(mlflow, JSON.stringify({ dataframe_split: example }))]);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toBe('application/json');
    expect(m.text).toBe(`{"predictions": ${a.text}}`);
  });

  it('serves /ping, /health and /version (the version the model pins)', async () => {
    expect(await send(`${mlflow.url}/ping`)).toMatchObject({ status: 200, text: '\n' });
    expect(await send(`${mlflow.url}/health`)).toMatchObject({ status: 200, text: '\n' });
    expect(await send(`${mlflow.url}/version`)).toMatchObject({ status: 200, text: '2.16.2' });
    expect((await send(`${mlflow.url}/score`)).status).toBe(404);
  });

  it('answers a content-type refusal as 415 text/plain and a missing column as MLflow 2.16 does', async () => {
    const ct = await invoke(mlflow, JSON.stringify({ dataframe_split: example }), 'application/xml');
    expect(ct.status).toBe(415);
    expect(ct.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(ct.text).toContain("Got 'application/xml'.");
    const missing = await invoke(mlflow, JSON.stringify({ dataframe_split: { columns: example.columns.slice(1), data: example.data.map((r) => r.slice(1)) } }));
    expect(missing.status).toBe(400);
    const body = JSON.parse(missing.text) as { error_code: string; message: string };
    expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(body.message).toContain("Model is missing inputs ['age'].");
  });
});

describe('a ZipMap classifier (onnx-writer, ai.onnx.ml ops)', () => {
  it('answers records with label → probability dicts on both profiles; a tensor input fails on Azure only', async () => {
    const folder = join(dir, 'clf');
    const a = await startScoringServer({ modelPath: folder, server: 'azureml', runner, key: 'k-12345678' });
    const m = await startScoringServer({ modelPath: folder, server: 'mlflow', runner });
    try {
      const split = { columns: ['x1', 'x2'], data: [[1, 2], [-1, 0.5]] };
      const ra = await send(`${a.url}/score`, { method: 'POST', key: 'k-12345678', body: JSON.stringify({ input_data: split }), headers: { 'content-type': 'application/json' } });
      expect(ra.status).toBe(200);
      const rows = JSON.parse(ra.text) as { output_label: string; output_probability: Record<string, number> }[];
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(Object.keys(row.output_probability)).toEqual(CLASSES);
        const best = CLASSES.reduce((x, y) => (row.output_probability[x]! >= row.output_probability[y]! ? x : y));
        expect(row.output_label).toBe(best);
        expect(Object.values(row.output_probability).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
      }
      expect(ra.text).toMatch(/^\[\{"output_label": "\w+", "output_probability": \{"cat": [-0-9.e]+, "dog": /);
      const rm = await invoke(m, JSON.stringify({ dataframe_split: split }));
      expect(rm.text).toBe(`{"predictions": ${ra.text}}`);
    } finally {
      await a.close();
      await m.close();
    }
    // The bare .onnx file has no signature: `inputs` stays an ndarray and the wrapper returns
    // {output: array}. MLflow's NumpyEncoder converts it; Azure's plain json.dumps cannot (500).
    const bare = join(folder, 'model.onnx');
    const ba = await startScoringServer({ modelPath: bare, server: 'azureml', runner, key: 'k-12345678' });
    const bm = await startScoringServer({ modelPath: bare, server: 'mlflow', runner });
    try {
      // Python ints make an int64 array, which the wrapper does not cast: onnxruntime refuses it, and
      // MLflow reports a non-MLflow exception as 400 BAD_REQUEST.
      const ints = await invoke(bm, JSON.stringify({ inputs: [[1, 2]] }));
      expect(ints.status).toBe(400);
      expect(JSON.parse(ints.text)).toMatchObject({ error_code: 'BAD_REQUEST', stack_trace: expect.stringMatching(/InvalidArgument: .*Unexpected input data type/) });
      const tensorM = await invoke(bm, JSON.stringify({ inputs: [[1.5, 2.5]] }));
      expect(tensorM.status, tensorM.text).toBe(200);
      expect(tensorM.text).toMatch(/^\{"predictions": \{"output_label": \["\w+"\], "output_probability": \[\{"cat": [-0-9.e]+, "dog": [-0-9.e]+, "fox": [-0-9.e]+\}\]\}\}$/);
      const tensorA = await send(`${ba.url}/score`, { method: 'POST', key: 'k-12345678', body: JSON.stringify({ input_data: [[1.5, 2.5]] }), headers: { 'content-type': 'application/json' } });
      expect(tensorA.status).toBe(500);
      expect(tensorA.text).toBe('{"message": "An unexpected internal error occurred. Check the logs for more info."}');
      expect(tensorA.headers.get('x-ms-run-function-failed')).toBe('False');
    } finally {
      await ba.close();
      await bm.close();
    }
  });
});

describe('limits', () => {
  it('answers 413 for a body over the size limit, labelled as Preflight\'s', async () => {
    const s = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner, maxBodyBytes: 1000 });
    try {
      const r = await invoke(s, JSON.stringify({ dataframe_split: { columns: example.columns, data: Array(20).fill(example.data[0]) } }));
      expect(r.status).toBe(413);
      expect(r.headers.get('x-preflight-error')).toBe('E_TOO_LARGE');
      expect(r.text).toContain('local limit of 1,000 bytes');
      expect((await invoke(s, JSON.stringify({ dataframe_split: example }))).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('serves concurrent requests, each with its own answer', async () => {
    const bodies = Array.from({ length: 16 }, (_, k) => JSON.stringify({ dataframe_split: { columns: example.columns, data: Array(k + 1).fill(example.data[k % 2]) } }));
    const answers = await Promise.all(bodies.map((b) => invoke(mlflow, b)));
    answers.forEach((r, k) => {
      expect(r.status).toBe(200);
      expect((JSON.parse(r.text) as { predictions: unknown[] }).predictions).toHaveLength(k + 1);
    });
  });

  it('an ONNX model answers requests that arrive during a long run in turn (429 is tested on the handler)', async () => {
    // A model that keeps its only run slot busy for a while: y = sum(M·M), M an n×n matrix of ones.
    const slow = join(dir, 'slow.onnx');
    await writeSlowModel(slow);
    const s = await startScoringServer({ modelPath: slow, server: 'mlflow', runner, maxConcurrent: 1, maxQueue: 0 });
    try {
      // onnxruntime-node runs a session on the serving process's event loop, so requests that arrive during a long
      // run wait (in the socket backlog) and are all answered in turn — none is lost or refused.
      const busy = invoke(s, '{"inputs": [4000, 4000]}');
      await new Promise((r) => setTimeout(r, 150));
      const small = await Promise.all(Array.from({ length: 5 }, () => invoke(s, '{"inputs": [2, 2]}')));
      expect(small.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(small.map((r) => r.text)).toEqual(Array(5).fill('{"predictions": {"y": 8.0}}'));
      // 4000³ ones summed in float32: about 6.4e10, not exactly.
      expect((await busy).text).toMatch(/^\{"predictions": \{"y": 6\d{10}\.0\}\}$/);
    } finally {
      await s.close();
    }
  });

  it('refuses to bind anywhere but 127.0.0.1, and fails to start on a model that cannot run', async () => {
    await expect(startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/only listens on 127\.0\.0\.1/);
    await expect(startScoringServer({ modelPath: join(dir, 'missing'), server: 'mlflow', runner })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
