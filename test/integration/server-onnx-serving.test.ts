/**
 * ONNX models are served from the ONNX engine's own process (it listens on the server's port itself):
 * its answers must be the bytes `RunnerService` produces (what `preflight predict` prints), and what
 * kills or blocks that process must be contained: a clear log event, a new process on the same port,
 * the server keeps answering. Real HTTP on 127.0.0.1, real onnxruntime, real fixtures.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OnnxEngine } from '../../src/main/services/runner/onnx/onnx-engine';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type RequestLogEvent, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { fixture, sampleModelDir } from '../support/paths';
import { writeSlowModel } from '../support/onnx-models';

let dir: string;
let worker: string;
let runner: RunnerService;
let example: { columns: string[]; data: number[][] };

/** Headers that differ per request by design (ids, run time). */
const PER_REQUEST = new Set(['x-request-id', 'x-ms-request-id', 'x-ms-run-fn-exec-ms', 'azureml-model-deployment', 'content-length', 'date', 'connection', 'keep-alive']);

async function post(s: ScoringServer, body: string, contentType: string): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (s.key) headers.authorization = `Bearer ${s.key}`;
  const res = await fetch(`${s.url}${s.server === 'azureml' ? '/score' : '/invocations'}`, { method: 'POST', body, headers });
  const h: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!PER_REQUEST.has(k)) h[k] = v;
  });
  return { status: res.status, headers: h, text: await res.text() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-serving-'));
  worker = await bundleOnnxWorker(join(dir, 'onnx-worker.js'));
  runner = new RunnerService({ onnxWorkerPath: worker });
  example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as typeof example;
  await writeSlowModel(join(dir, 'slow.onnx'));
}, 60_000);

afterAll(async () => {
  runner?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('answers from the serving process equal RunnerService (preflight predict)', () => {
  const rows = (n: number): number[][] => Array.from({ length: n }, (_, r) => example.data[r % 2]!.map((v) => v * (1 + r / 100)));
  const bare = (): string => join(sampleModelDir, 'model.onnx');
  const cases: { name: string; status: number; server: 'azureml' | 'mlflow'; body: () => string; ct: string; mlflowVersion?: string; model?: () => string }[] = [
    { name: 'Azure, 300 rows', status: 200, server: 'azureml', body: () => JSON.stringify({ input_data: { columns: example.columns, data: rows(300) } }), ct: 'application/json' },
    { name: 'Azure, a missing column (generic 500)', status: 500, server: 'azureml', body: () => JSON.stringify({ input_data: { columns: example.columns.slice(1), data: example.data.map((r) => r.slice(1)) } }), ct: 'application/json' },
    { name: 'Azure, bad JSON', status: 400, server: 'azureml', body: () => '{"input_data": [', ct: 'application/json' },
    { name: 'Azure, nulls become NaN and the answer writes NaN bare', status: 200, server: 'azureml', body: () => JSON.stringify({ input_data: { columns: example.columns, data: [example.data[0]!.map(() => null)] } }), ct: 'application/json' },
    { name: 'MLflow, dataframe_records', status: 200, server: 'mlflow', body: () => JSON.stringify({ dataframe_records: example.data.map((r) => Object.fromEntries(example.columns.map((c, k) => [c, r[k]]))) }), ct: 'application/json' },
    { name: 'MLflow, CSV', status: 200, server: 'mlflow', body: () => `${example.columns.join(',')}\n${rows(5).map((r) => r.join(',')).join('\n')}\n`, ct: 'text/csv' },
    { name: 'MLflow, named tensors against a column signature (schema error)', status: 400, server: 'mlflow', body: () => JSON.stringify({ inputs: { input: rows(3) } }), ct: 'application/json' },
    { name: 'MLflow 2.12 emulated, missing column', status: 400, server: 'mlflow', mlflowVersion: '2.12.2', body: () => JSON.stringify({ dataframe_split: { columns: example.columns.slice(2), data: example.data.map((r) => r.slice(2)) } }), ct: 'application/json' },
    { name: 'bare .onnx, named tensors (dict output)', status: 200, server: 'mlflow', model: bare, body: () => JSON.stringify({ inputs: { input: rows(3) } }), ct: 'application/json' },
    { name: 'bare .onnx, onnxruntime refuses the feed (400 with the Python exception)', status: 400, server: 'mlflow', model: bare, body: () => JSON.stringify({ inputs: { input: [[1.5, 2.5, 3.5]] } }), ct: 'application/json' },
    { name: 'bare .onnx on Azure: a dict of arrays the plain encoder cannot write (500)', status: 500, server: 'azureml', model: bare, body: () => JSON.stringify({ input_data: rows(2) }), ct: 'application/json' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const modelPath = c.model?.() ?? sampleModelDir;
      const s = await startScoringServer({ modelPath, server: c.server, runner, mlflowVersion: c.mlflowVersion ?? null });
      try {
        expect(s.engine).toBe('onnx');
        const served = await post(s, c.body(), c.ct);
        const expected = await runner.predict({ modelPath, body: c.body(), contentType: c.ct, server: c.server, mlflowVersion: c.mlflowVersion ?? null });
        expect(served.status).toBe(c.status);
        expect(served.status).toBe(expected.status);
        expect(served.text).toBe(expected.body_text);
        const expectedHeaders = Object.fromEntries(Object.entries(expected.headers).filter(([k]) => !PER_REQUEST.has(k)));
        expect(served.headers).toEqual(expectedHeaders);
      } finally {
        await s.close();
      }
    });
  }
});

describe('containment: what kills or blocks the serving process', () => {
  it('an int4-output model aborts the process on every run: each crash is logged, a new process takes the same port, health checks keep answering', async () => {
    const int4 = fixture('onnx', 'onnx-backend-node', 'test_cast_FLOAT_to_INT4', 'model.onnx');
    const s = await startScoringServer({ modelPath: int4, server: 'mlflow', runner });
    const log: RequestLogEvent[] = [];
    s.onRequest((e) => log.push(e));
    try {
      const body = JSON.stringify({ inputs: Array.from({ length: 5 }, () => [1.5, 2.5, -3, 0, 7]) });
      for (let round = 1; round <= 2; round++) {
        // The process dies mid-request: the client sees the connection close without an answer.
        await expect(fetch(`${s.url}/invocations`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).rejects.toThrow();
        await vi.waitFor(() => expect(log.filter((e) => e.error).length).toBe(round), { timeout: 10_000, interval: 50 });
        const ping = await fetch(`${s.url}/ping`);
        expect(ping.status).toBe(200);
        expect(await ping.text()).toBe('\n');
      }
      const crash = log.find((e) => e.error)!;
      expect(crash).toMatchObject({ method: '', path: '', status: 0 });
      expect(crash.error).toMatch(/^model\.onnx: the ONNX runtime crashed while serving this model \(the runtime process (was killed by signal|exited with code)/);
      expect(crash.error).toContain("output 'output' is tensor(int4)");
      expect(crash.error).toContain('keeps serving');
      await vi.waitFor(() => expect(log.some((e) => e.path === '/ping' && e.status === 200)).toBe(true), { timeout: 2000 });
    } finally {
      await s.close();
    }
  }, 60_000);

  it('a run that blocks the process past the timeout: killed, logged, restarted; the next request is answered', async () => {
    const engine = new OnnxEngine({ workerPath: worker, timeoutMs: 400 });
    const slowRunner = new RunnerService({ onnx: engine });
    const s = await startScoringServer({ modelPath: join(dir, 'slow.onnx'), server: 'mlflow', runner: slowRunner });
    const log: RequestLogEvent[] = [];
    s.onRequest((e) => log.push(e));
    try {
      const t0 = Date.now();
      await expect(fetch(`${s.url}/invocations`, { method: 'POST', body: '{"inputs": [4000, 4000]}', headers: { 'content-type': 'application/json' } })).rejects.toThrow();
      expect(Date.now() - t0).toBeLessThan(8000);
      await vi.waitFor(() => expect(log.some((e) => e.error)).toBe(true), { timeout: 5000, interval: 50 });
      expect(log.find((e) => e.error)!.error).toMatch(/^slow\.onnx: a request kept the ONNX runtime busy for more than 400 ms, so Preflight stopped it and started a new one/);
      const small = await fetch(`${s.url}/invocations`, { method: 'POST', body: '{"inputs": [3, 3]}', headers: { 'content-type': 'application/json' } });
      expect(small.status).toBe(200);
      expect(await small.text()).toBe('{"predictions": {"y": 27.0}}');
    } finally {
      await s.close();
      engine.dispose();
    }
  }, 30_000);

  it('the request log flows while someone listens, stops when the last listener leaves, and resumes', async () => {
    const s = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner });
    try {
      const seen: RequestLogEvent[] = [];
      const off = s.onRequest((e) => seen.push(e));
      await fetch(`${s.url}/ping`);
      await vi.waitFor(() => expect(seen.map((e) => e.path)).toEqual(['/ping']));
      off();
      await fetch(`${s.url}/health`);
      // The child batches log events (25 ms); wait well past that: nothing may arrive for the unheard request.
      await new Promise((r) => setTimeout(r, 200));
      expect(seen.map((e) => e.path)).toEqual(['/ping']);
      const again: RequestLogEvent[] = [];
      s.onRequest((e) => again.push(e));
      await fetch(`${s.url}/version`);
      await vi.waitFor(() => expect(again.map((e) => [e.path, e.status])).toEqual([['/version', 200]]));
      expect(seen).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('close() stops the serving process and frees the port', async () => {
    const s = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner });
    expect((await fetch(`${s.url}/ping`)).status).toBe(200);
    const t0 = Date.now();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(2500);
    await expect(fetch(`${s.url}/ping`)).rejects.toThrow();
    const again = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner, port: s.port });
    try {
      expect((await fetch(`${again.url}/ping`)).status).toBe(200);
    } finally {
      await again.close();
    }
  });
});
