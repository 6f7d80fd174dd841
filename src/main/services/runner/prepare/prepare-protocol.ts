/**
 * Messages between the app's main thread and its request preparation worker (a `worker_threads` worker,
 * bundled to `prepare-worker.js`). Structured clone: plain data, typed arrays transferred.
 */
import type { ServerAnswer, ServerKind } from '@shared/mlflow/output/responses';
import type { ValidateRequestInput } from '@shared/mlflow/payload/validate';
import type { ErrorData, PreparedRequest } from './prepared-request';

export type PrepareMessage =
  | { id: number; op: 'prepare'; req: ValidateRequestInput }
  /** The model raised while running a request prepared here: the server's answer for it (`raisedAnswerFor`). */
  | { id: number; op: 'raised'; req: ValidateRequestInput; server: ServerKind; error: ErrorData };

export type PrepareReply =
  /** Sent once, when the worker's module has loaded. */
  | { ready: true }
  | { id: number; ok: true; result: PreparedRequest | ServerAnswer | null }
  | { id: number; ok: false; error: ErrorData };
