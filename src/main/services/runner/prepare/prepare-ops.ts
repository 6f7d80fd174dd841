/**
 * What the request preparation worker does with each message (prepare-protocol.ts), in one place for the
 * worker (prepare-worker-main.ts) and for the main thread when that worker cannot start: the same engine
 * code either way, so the same answers.
 */
import { bodyView } from '@shared/mlflow/output/body-view';
import { convertRequest } from '@shared/mlflow/payload/convert';
import { validateRequest } from '@shared/mlflow/payload/validate';
import type { TensorData } from '../onnx/tensor-data';
import type { PrepareOp, PrepareResult } from './prepare-protocol';
import { prepareForOnnx, prepareForPython, raisedAnswerFor } from './prepared-request';

/**
 * The op's answer and, `forTransfer` (the worker), the buffers that can move to the other thread without a copy
 * (its input bytes, its feeds: each put in a buffer of its own first).
 */
export function runPrepareOp(m: PrepareOp, forTransfer: boolean): { result: PrepareResult[PrepareOp['op']]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  switch (m.op) {
    case 'prepare': {
      const result = prepareForPython(m.req);
      if (result.ok && forTransfer) {
        // The input's bytes move to the main thread without a copy (each in a buffer of its own first).
        result.input.json = own(result.input.json, transfer);
        if (result.input.blob) result.input.blob = own(result.input.blob, transfer);
      }
      return { result, transfer };
    }
    case 'raised':
      return { result: raisedAnswerFor(m.req, m.server, m.error), transfer };
    case 'validate':
      return { result: validateRequest(m.req), transfer };
    case 'convert':
      return { result: convertRequest(m.req), transfer };
    case 'onnx': {
      const result = prepareForOnnx(m.req, m.graph);
      if (result.ok && result.feeds && forTransfer) {
        for (const tensor of Object.values(result.feeds.feeds)) if (!Array.isArray(tensor.data)) tensor.data = own(tensor.data as Bytes, transfer);
      }
      return { result, transfer };
    }
    case 'view':
      return { result: bodyView(m.bodyText, m.contentType), transfer };
  }
}

type Bytes = Exclude<TensorData, string[]>;

/**
 * `bytes` in an ArrayBuffer of its own (Buffer's small-allocation pool is shared; two tensors may share one),
 * listed for transfer. A Buffer comes back as a plain Uint8Array (what crosses a thread is one anyway).
 */
function own<T extends Bytes>(bytes: T, transfer: ArrayBuffer[]): T {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer && !transfer.includes(bytes.buffer);
  const alone = whole ? bytes : bytes instanceof Uint8Array ? (new Uint8Array(bytes) as T) : (bytes.slice() as T);
  transfer.push(alone.buffer as ArrayBuffer);
  return alone;
}
