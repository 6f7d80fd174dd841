/**
 * Messages between the engine (parent) and the ONNX worker process. Sent with Node's `advanced`
 * serialization (structured clone), so typed arrays and BigInt64Arrays cross as they are.
 */
import type { ExtraOutput, GraphScan } from './graph-scan';
import type { OrtSessionOptions } from './session-options';
import type { WireTensor } from './tensor-data';

export interface WorkerModel {
  /** Session cache key: path + mtime + size + options + rewrite. */
  key: string;
  path: string;
  mtimeMs: number;
  size: number;
  options: OrtSessionOptions;
  rewrite: { graph: GraphScan['graph']; extra: ExtraOutput[] } | null;
}

export interface RunRequest {
  type: 'run';
  id: number;
  model: WorkerModel;
  feeds: Record<string, WireTensor>;
  fetches: string[];
}

export type ToWorker = RunRequest;

export type FromWorker =
  | { type: 'ready'; ortVersion: string }
  | { type: 'result'; id: number; outputs: Record<string, WireTensor> }
  /** `stage` tells loading (session creation) from running; `message` is onnxruntime's own text. */
  | { type: 'error'; id: number; stage: 'load' | 'run' | 'changed'; message: string };
