/**
 * Both ways a model is served (ONNX: inside the engine's own process; Python: the app process) close
 * connections that send nothing, answer 408 to request heads that never end, close idle keep-alive
 * connections, and hold at most `maxConnections` open at once — with the same configured limits. Real
 * sockets on 127.0.0.1, bounded counts, short configured timeouts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { PythonRunner } from '../../src/main/services/runner/python/python-runner';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../../src/main/services/server/scoring-server';
import type { HttpLimits } from '../../src/main/services/http/http-limits';
import { sampleModelDir } from '../support/paths';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, workerScript, type SklearnModels } from '../support/sklearn-models';

const LIMITS: HttpLimits = { headersTimeoutMs: 800, requestTimeoutMs: 1500, keepAliveTimeoutMs: 300, idleTimeoutMs: 700, maxConnections: 40 };

let dir: string;
let runner: RunnerService;
let sk: SklearnModels | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-limits-'));
  const onnxWorkerPath = await bundleOnnxWorker(join(dir, 'onnx-worker.js'));
  if (!sklearnSkipReason) sk = buildSklearnModels();
  const python = sklearnSkipReason ? null : new PythonRunner({ workerScript, env: { PREFLIGHT_PYTHON: SYSTEM_PYTHON, PATH: process.env.PATH } });
  runner = new RunnerService({ onnxWorkerPath, python });
}, 90_000);

afterAll(async () => {
  await runner?.dispose();
  if (sk) await rm(sk.dir, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

interface Conn {
  socket: Socket;
  closedAt: number | null;
  data: string;
}

function open(port: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const c: Conn = { socket: connect(port, '127.0.0.1'), closedAt: null, data: '' };
    c.socket.setEncoding('utf8');
    c.socket.on('data', (d: string) => (c.data += d));
    c.socket.on('close', () => (c.closedAt = Date.now()));
    c.socket.on('error', () => undefined);
    c.socket.once('connect', () => resolve(c));
    c.socket.once('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const engines = [
  { name: 'ONNX (served by the engine process)', model: () => sampleModelDir, skip: false },
  { name: 'Python (served by the app process)', model: () => sk!.diabetes, skip: sklearnSkipReason !== null },
];

describe.each(engines)('$name', ({ model, skip }) => {
  let s: ScoringServer;
  const port = (): number => s.port;

  beforeAll(async () => {
    if (skip) return;
    s = await startScoringServer({ modelPath: model(), server: 'mlflow', runner, limits: LIMITS });
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  it.skipIf(skip)('closes connections beyond the cap at once, and idle ones after the idle timeout; then serves again', async () => {
    const conns: Conn[] = [];
    for (let i = 0; i < 200; i++) conns.push(await open(port()));
    const t0 = Date.now();
    await sleep(300);
    const early = conns.filter((c) => c.closedAt !== null).length;
    // Everything above the cap is closed without waiting for any timeout.
    expect(early).toBeGreaterThanOrEqual(200 - LIMITS.maxConnections);
    await expect.poll(() => conns.filter((c) => c.closedAt === null).length, { timeout: 4000, interval: 100 }).toBe(0);
    const last = Math.max(...conns.map((c) => c.closedAt!));
    expect(last - t0).toBeLessThan(LIMITS.idleTimeoutMs + 2500);
    const res = await fetch(`${s.url}/ping`);
    expect(res.status).toBe(200);
  }, 20_000);

  it.skipIf(skip)('answers 408 to a request head that keeps trickling past the headers timeout', async () => {
    const c = await open(port());
    c.socket.write('GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const t0 = Date.now();
    // A header line every 200 ms: never idle, never complete.
    for (let i = 0; i < 25 && c.closedAt === null; i++) {
      c.socket.write(`X-Slow-${i}: y\r\n`);
      await sleep(200);
    }
    expect(c.closedAt).not.toBeNull();
    expect(c.data).toMatch(/^HTTP\/1\.1 408 /);
    expect(c.closedAt! - t0).toBeLessThan(LIMITS.headersTimeoutMs + 2000);
  }, 20_000);

  it.skipIf(skip)('answers a request whose body pauses longer than the idle timeout (first request and a kept-alive one)', async () => {
    const body = '{"dataframe_split": {"columns": ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], "data": [[0.03, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, 0.0, 0.02, -0.02]]}}';
    const head = `POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const c = await open(port());
    for (const nth of [1, 2]) {
      c.socket.write(head);
      // Idle for longer than the idle timeout, inside the request timeout: a request in progress is never cut.
      await sleep(LIMITS.idleTimeoutMs + 300);
      expect(c.closedAt, `request ${nth}`).toBeNull();
      c.socket.write(body);
      // The model's answer (whatever the model makes of the row), not a 408 or a closed connection.
      await expect.poll(() => c.data.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0, { timeout: 10_000 }).toBe(nth);
    }
    expect(c.data).not.toMatch(/HTTP\/1\.1 408 /);
    expect(c.closedAt).toBeNull();
    c.socket.destroy();
  }, 30_000);

  it.skipIf(skip)('closes a keep-alive connection after the keep-alive timeout', async () => {
    const c = await open(port());
    c.socket.write('GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await expect.poll(() => c.data, { timeout: 3000 }).toMatch(/^HTTP\/1\.1 200 /);
    const answered = Date.now();
    await expect.poll(() => c.closedAt, { timeout: 3000, interval: 50 }).not.toBeNull();
    expect(c.closedAt! - answered).toBeLessThan(LIMITS.keepAliveTimeoutMs + 1000);
  }, 20_000);
});
