import type { ModelReport } from '../mlflow/model-report';
import { methodChannel } from './channels';
import { decodeModelReport, encodeModelReport, type WireModelReport } from './model-report-wire';

/**
 * Outputs that travel in a more compact form than the contract's value: `encode` runs in the host's dispatch after
 * the output check, `decode` in `createApi` before the caller sees the value, on both transports (Electron IPC and
 * the browser-mode WebSocket). Callers, and the contract's schemas, only ever see the decoded value.
 */
export interface WireCodec {
  encode(value: unknown): unknown;
  decode(wire: unknown): unknown;
}

const codecs = new Map<string, WireCodec>([
  [
    methodChannel('model', 'inspect'),
    { encode: (v) => encodeModelReport(v as ModelReport), decode: (w) => decodeModelReport(w as WireModelReport) },
  ],
]);

export const wireCodecOf = (channel: string): WireCodec | undefined => codecs.get(channel);
