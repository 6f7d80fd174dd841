/**
 * Entry of the request preparation worker (bundled to `out/node/prepare-worker.js`, started as a
 * `worker_threads` worker by `OffThreadPreparer`): the payload engine's work on large bodies — a Python
 * model's request parsed, checked against the signature and encoded for the Python worker; an ONNX model's
 * feeds; `payload.validate` and `payload.convert` — runs here, so the app's event loop (IPC, the window,
 * other servers, health checks) never waits for it. One message at a time (prepare-ops.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { PrepareMessage, PrepareReply } from './prepare-protocol';
import { runPrepareOp } from './prepare-ops';
import { errorToData } from './prepared-request';

const port = parentPort;
if (!port) throw new Error('prepare-worker.js runs as a worker thread only');

// Loaded and listening: a worker that ends before this was never usable (OffThreadPreparer then prepares in-thread).
port.postMessage({ ready: true });

port.on('message', (m: PrepareMessage) => {
  let reply: PrepareReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = runPrepareOp(m, true);
    transfer = done.transfer;
    reply = { id: m.id, ok: true, result: done.result };
  } catch (err) {
    reply = { id: m.id, ok: false, error: errorToData(err) };
  }
  port.postMessage(reply, transfer);
});
