/**
 * The ONNX serving process binds the scoring server's port itself (no socket handle crosses the channel,
 * which Electron's utilityProcess could not carry). A taken port must read exactly as on the app-process
 * path, leave no process behind, and a port taken while the runtime restarts must be said in the log.
 * Real processes, real sockets on 127.0.0.1.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type RequestLogEvent } from '../../src/main/services/server/scoring-server';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { fixture, sampleModelDir } from '../support/paths';

let dir: string;
let worker: string;
let runner: RunnerService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-serving-port-'));
  worker = await bundleOnnxWorker(join(dir, 'onnx-worker.js'));
  runner = new RunnerService({ onnxWorkerPath: worker });
}, 60_000);

afterAll(async () => {
  runner?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const listen = (port = 0): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });

/** Processes running this test's worker bundle (Linux /proc; empty elsewhere). */
function workersRunning(): number[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(worker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the ONNX serving process binds its own port', () => {
  it('a taken port is the same clear error as for Python models, and no serving process is left behind', async () => {
    const blocker = await listen();
    const port = (blocker.address() as AddressInfo).port;
    const own = new RunnerService({ onnxWorkerPath: worker });
    try {
      await expect(startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner: own, port })).rejects.toMatchObject({
        code: 'E_ENVIRONMENT',
        message: `Port ${port} on 127.0.0.1 is already in use. Pick another with --port, or 0 for any free port.`,
      });
      // The runner's own worker goes with dispose(); a serving process left behind would not.
      await own.dispose();
      await vi.waitFor(() => expect(workersRunning()).toEqual([]), { timeout: 5_000, interval: 100 });
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('a port another program takes while the runtime restarts after a crash: the log says so', async () => {
    const int4 = fixture('onnx', 'onnx-backend-node', 'test_cast_FLOAT_to_INT4', 'model.onnx');
    const s = await startScoringServer({ modelPath: int4, server: 'mlflow', runner });
    const log: RequestLogEvent[] = [];
    s.onRequest((e) => log.push(e));
    let thief: Server | null = null;
    try {
      const body = JSON.stringify({ inputs: Array.from({ length: 5 }, () => [1.5, 2.5, -3, 0, 7]) });
      await expect(fetch(`${s.url}/invocations`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).rejects.toThrow();
      // The process is gone with its socket; the restart waits 100 ms. Take the port first.
      await vi.waitFor(async () => (thief = await listen(s.port)), { timeout: 2_000, interval: 5 });
      await vi.waitFor(() => expect(log.filter((e) => e.error)).toHaveLength(2), { timeout: 10_000, interval: 50 });
      const [crash, restart] = log.filter((e) => e.error).map((e) => e.error!);
      expect(crash).toMatch(/^model\.onnx: the ONNX runtime crashed while serving this model/);
      expect(restart).toBe(
        `model.onnx: the ONNX runtime could not be restarted: Port ${s.port} on 127.0.0.1 is already in use. Pick another with --port, or 0 for any free port. Stop this server and start it again.`,
      );
    } finally {
      (thief as Server | null)?.close();
      await s.close();
    }
  }, 30_000);
});
