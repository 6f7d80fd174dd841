/**
 * The baseline of the score-* benches (issue 4): parse, run, stringify; nothing else (no validation,
 * no isolation, no Python fidelity). Used in its own process (baseline-server.ts) by default, or in the
 * benchmark's process with PREFLIGHT_BENCH_BASELINE=in-process (to compare the two set-ups).
 *
 * `azureHeaders`: the same, plus what an Azure ML endpoint's answer carries whatever the model — the key
 * checked, and the response headers Preflight's Azure profile writes (azureml-inference-server's
 * `x-ms-run-function-failed`, `x-ms-run-fn-exec-ms`, `x-request-id`, `x-ms-request-id`, the gateway's
 * `azureml-model-deployment`). Not a target: score-throughput prints it beside the minimal server so the
 * ratio can be split into what the Azure contract costs a server (and its client) and what Preflight's
 * own work costs.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ort from 'onnxruntime-node';

/** The key the Azure-headers variant expects (`Authorization: Bearer <key>`). */
export const BASELINE_KEY = 'baseline-key-0123456789abcdef0123456789';
const expectedAuth = Buffer.from(`Bearer ${BASELINE_KEY}`);

export async function createBaselineServer(modelPath: string, azureHeaders = false): Promise<{ port: number; close(): Promise<void> }> {
  const session = await ort.InferenceSession.create(modelPath);
  const server: Server = createServer((req, res) => {
    const started = performance.now();
    if (azureHeaders) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expectedAuth.length || !timingSafeEqual(given, expectedAuth)) {
        res.writeHead(401);
        res.end('key_auth_access_denied');
        return;
      }
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input_data: { data: number[][] } };
      const rows = body.input_data.data;
      const x = new Float32Array(rows.length * 10);
      rows.forEach((r, i) => x.set(r, i * 10));
      session.run({ input: new ort.Tensor('float32', x, [rows.length, 10]) }).then(
        (out) => {
          const y = out.variable!.data as Float32Array;
          const text = JSON.stringify(Array.from(y, (v) => ({ variable: v })));
          if (azureHeaders) {
            const id = randomUUID();
            res.writeHead(200, ['content-type', 'application/json', 'x-ms-run-function-failed', 'False', 'x-ms-run-fn-exec-ms', (performance.now() - started).toFixed(3), 'x-request-id', id, 'x-ms-request-id', id, 'azureml-model-deployment', 'default', 'content-length', String(Buffer.byteLength(text))]);
          } else res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        },
        (e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        },
      );
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await session.release();
    },
  };
}
