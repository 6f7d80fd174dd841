/**
 * Messages between the app and an ONNX *serving* process: a worker process (the same `onnx-worker.js`)
 * that answers a scoring server's HTTP requests for one ONNX model itself. The process listens on the
 * port itself (the `serve` call names host and port; it answers with the port it bound), so a request
 * costs no hop between processes and no socket handle has to cross the channel — which Electron's
 * utilityProcess could not carry. Messages are structured clones (bigint class labels, typed arrays cross
 * as they are). Calls carry an `id` (SupervisedChild); `log-listening`, `stop` and `log` carry none.
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
  /**
   * Listen on `listen` (port 0: any free port) and serve; answered with `serving` or `listen-failed`.
   * `logListening`: whether request-log events are wanted from the start.
   */
  | { type: 'serve'; setup: ServeSetup; listen: { host: string; port: number }; logListening: boolean }
  /**
   * Whether the app has request-log listeners (off until told: the process starts with nobody
   * listening). While off, requests produce no log events at all; sent again after every restart.
   */
  | { type: 'log-listening'; on: boolean }
  /** Liveness: answered with `pong` whenever the event loop is free (a stuck model run blocks it). */
  | { type: 'ping' }
  /** Stop accepting, close connections, exit. */
  | { type: 'stop' };

export type FromServer =
  | { type: 'serving'; id: number; port: number }
  /** The port could not be bound: `code` is Node's (EADDRINUSE, EACCES). */
  | { type: 'listen-failed'; id: number; code: string; message: string }
  | { type: 'pong'; id: number }
  /** Finished requests, batched so logging never puts the app process on a request's path. */
  | { type: 'log'; events: RequestLogEvent[] };
