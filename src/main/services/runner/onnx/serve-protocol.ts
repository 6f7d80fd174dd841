/**
 * Messages between the app and an ONNX *serving* process: a worker process (the same `onnx-worker.js`)
 * that answers a scoring server's HTTP requests for one ONNX model itself. The app owns the listening
 * socket and hands it over with the `serve` message (Node sends the server handle along); the process
 * accepts connections on it directly, so a request costs no hop between processes. Sent with Node's
 * `advanced` serialization (structured clone: bigint class labels, typed arrays cross as they are).
 */
import type { PayloadModelContext } from '../../payload/model-context';
import type { ScoringConfig, RequestLogEvent } from '../../http/scoring-http';
import type { ModelPlan } from './model-plan';
import type { WorkerModel } from './worker-protocol';

export interface ServeSetup {
  http: ScoringConfig;
  /** `--mlflow-version`: emulate this version instead of the model's pin. */
  mlflowVersion: string | null;
  context: PayloadModelContext;
  plan: ModelPlan;
  model: WorkerModel;
  /**
   * An error every model call answers with (e.g. invalid `onnx_session_options`), exactly as the engine
   * would throw it per call; null when the model can run.
   */
  setupError: { code: string; message: string } | null;
}

export type ToServer =
  /** Sent with the listening net.Server handle. */
  | { type: 'serve'; setup: ServeSetup }
  /** Sent with a connection the app accepted itself (paused, unread): the serving process takes it over. */
  | { type: 'connection' }
  /**
   * Whether the app has request-log listeners (off until told: the process starts with nobody
   * listening). While off, requests produce no log events at all; sent again after every restart.
   */
  | { type: 'log-listening'; on: boolean }
  /** Liveness: answered with `pong` whenever the event loop is free (a stuck model run blocks it). */
  | { type: 'ping'; n: number }
  /** Stop accepting, close connections, exit. */
  | { type: 'stop' };

export type FromServer =
  | { type: 'serving' }
  | { type: 'pong'; n: number }
  /** Finished requests, batched so logging never puts the app process on a request's path. */
  | { type: 'log'; events: RequestLogEvent[] };
