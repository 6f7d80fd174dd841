/**
 * The baseline of the score-* benches (issue 4): parse, run, stringify; nothing else (no validation,
 * no isolation, no Python fidelity). Used in its own process (baseline-server.ts) by default, or in the
 * benchmark's process with PREFLIGHT_BENCH_BASELINE=in-process (to compare the two set-ups).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ort from 'onnxruntime-node';

export async function createBaselineServer(modelPath: string): Promise<{ port: number; close(): Promise<void> }> {
  const session = await ort.InferenceSession.create(modelPath);
  const server: Server = createServer((req, res) => {
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
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
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
