/**
 * Entry of the request preparation worker (bundled to `out/node/prepare-worker.js`, started as a
 * `worker_threads` worker by `OffThreadPreparer`): large scoring requests for Python-engine models are
 * parsed, checked against the signature and encoded for the Python worker here, so the app's event loop
 * (IPC, other servers, health checks) never waits for them. One request at a time, in arrival order.
 */
import { parentPort } from 'node:worker_threads';
import type { PrepareMessage, PrepareReply } from './prepare-protocol';
import { errorToData, prepareForPython, raisedAnswerFor } from './prepared-request';

const port = parentPort;
if (!port) throw new Error('prepare-worker.js runs as a worker thread only');

// Loaded and listening: a worker that ends before this was never usable (OffThreadPreparer then prepares in-thread).
port.postMessage({ ready: true });

port.on('message', (m: PrepareMessage) => {
  let reply: PrepareReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (m.op === 'prepare') {
      const result = prepareForPython(m.req);
      if (result.ok) {
        // The input's bytes move to the main thread without a copy (each in a buffer of its own first).
        result.input.json = own(result.input.json, transfer);
        if (result.input.blob) result.input.blob = own(result.input.blob, transfer);
      }
      reply = { id: m.id, ok: true, result };
    } else reply = { id: m.id, ok: true, result: raisedAnswerFor(m.req, m.server, m.error) };
  } catch (err) {
    reply = { id: m.id, ok: false, error: errorToData(err) };
  }
  port.postMessage(reply, transfer);
});

/** `bytes` in an ArrayBuffer of its own (Buffer's small-allocation pool is shared), listed for transfer. */
function own(bytes: Uint8Array, transfer: ArrayBuffer[]): Uint8Array {
  const alone = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
  transfer.push(alone.buffer as ArrayBuffer);
  return alone;
}
