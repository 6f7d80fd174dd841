/**
 * Large scoring requests for Python-engine models prepared on a worker thread instead of the app's main
 * thread. The app process answers those models' requests itself (scoring-server.ts), and preparing a
 * request — Python-semantics JSON parsing, MLflow's schema enforcement, the frame, its wire encoding — costs
 * about a second per 30–60 MB body: in-thread, the app's IPC, its other servers and their health checks
 * would all wait meanwhile. Bodies from `minBodyChars` on go to one worker (`prepare-worker.js`, started on
 * the first one, one request at a time in arrival order); smaller ones stay in-thread, where they cost less
 * than the hop. What comes back is the same answer (prepared-request.ts), the input already as wire bytes.
 *
 *   const preparer = new OffThreadPreparer({ workerPath, minBodyChars: OFF_THREAD_BODY_CHARS });
 *   if (preparer.wants(body)) prepared = await preparer.prepare(request);
 *   await preparer.close(); // the server stops: the thread ends, waiting requests get an error
 *
 * A worker that dies (out of memory on a hostile body, a bug) fails the request it was reading with an AppError —
 * the server's own 500 answer (`x-preflight-error`) — and the requests queued behind it go, in order, to a new one. A worker
 * that cannot start at all (its file cannot be loaded) is not retried: its requests and every later one are
 * prepared in-thread, as before this existed, and the reason is logged once.
 *
 * A worker idle for `idleStopMs` (PREPARE_IDLE_STOP_MS) is ended, and with it the heap a huge body grew in it (it
 * was kept until the server stopped); the next large body starts a new one. A request that arrives while the idle
 * one is ending goes to a new thread, never to the ending one.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError, ErrorCodes } from '@shared/errors';
import type { ServerAnswer, ServerKind } from '@shared/mlflow/output/responses';
import type { ValidateRequestInput } from '@shared/mlflow/payload/validate';
import type { PrepareMessage, PrepareReply } from './prepare-protocol';
import { errorFromData, errorToData, prepareForPython, raisedAnswerFor, type PreparedRequest } from './prepared-request';

/** Bodies of at least this many characters (1 Mi) are prepared off the main thread. */
export const OFF_THREAD_BODY_CHARS = 1 << 20;

/**
 * `PREFLIGHT_OFFTHREAD_MIN_CHARS` (a whole number of characters; 0: every body off-thread, to check fidelity through
 * the worker): the scoring servers' threshold instead of OFF_THREAD_BODY_CHARS. Unset or not a whole number: undefined.
 */
export function offThreadMinCharsFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.PREFLIGHT_OFFTHREAD_MIN_CHARS?.trim();
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** A worker with nothing to prepare for this long (30 s) is ended; the next large body starts a new one. */
export const PREPARE_IDLE_STOP_MS = 30_000;

export interface OffThreadPreparerOptions {
  /** The bundled worker (`prepare-worker.js`); null: every body is prepared in-thread. */
  workerPath: string | null;
  minBodyChars?: number;
  /** The worker's heap limits (tests: a small heap makes a real out-of-memory crash). */
  resourceLimits?: ResourceLimits;
  /** Told once when the worker cannot start (everything is then prepared in-thread). */
  onStartFailure?: (reason: string) => void;
  /** How long an idle worker is kept (default PREPARE_IDLE_STOP_MS; tests: a few ms). */
  idleStopMs?: number;
}

type Pending = { message: PrepareMessage; resolve: (r: unknown) => void; reject: (e: Error) => void };

export class OffThreadPreparer {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** The worker could not start once: everything is prepared in-thread from then on. */
  private inThread = false;
  private readonly minBodyChars: number;
  /** Ends the idle worker (armed when its last request is answered, disarmed by the next call). */
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: OffThreadPreparerOptions) {
    this.minBodyChars = options.minBodyChars ?? OFF_THREAD_BODY_CHARS;
  }

  /** Whether this body is prepared off the main thread. */
  wants(body: string): boolean {
    return this.options.workerPath !== null && !this.closed && !this.inThread && body.length >= this.minBodyChars;
  }

  prepare(req: ValidateRequestInput): Promise<PreparedRequest> {
    return this.call({ op: 'prepare', req }) as Promise<PreparedRequest>;
  }

  /** The server's answer when the model raised `err` on a request prepared here; null when it was not the model raising. */
  raisedAnswer(req: ValidateRequestInput, server: ServerKind, err: unknown): Promise<ServerAnswer | null> {
    return this.call({ op: 'raised', req, server, error: errorToData(err) }) as Promise<ServerAnswer | null>;
  }

  /** Whether a worker thread is running (tests). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Ends the worker; requests still waiting for it fail (the server is stopping). Later calls are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.disarmIdleStop();
    const w = this.worker;
    this.worker = null;
    this.failAll(new AppError(ErrorCodes.CANCELLED, 'The server stopped while this request was being prepared.'));
    if (w) await w.terminate();
  }

  private call(message: PrepareMessage extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never): Promise<unknown> {
    if (this.closed) return Promise.reject(new AppError(ErrorCodes.CANCELLED, 'The server stopped; the request was not prepared.'));
    this.disarmIdleStop();
    let worker: Worker;
    try {
      worker = this.ensure();
    } catch (err) {
      return Promise.reject(new AppError(ErrorCodes.ENVIRONMENT, `Preflight's request preparation thread could not be started (${(err as Error).message}). Check that the app's files are complete (prepare-worker.js).`, { cause: err }));
    }
    const id = this.nextId++;
    const full = { ...message, id } as PrepareMessage;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { message: full, resolve, reject });
      worker.ref();
      worker.postMessage(full);
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.options.workerPath!, { name: 'preflight-prepare', ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}) });
    let failure: Error | null = null;
    let ready = false;
    w.on('message', (reply: PrepareReply) => {
      if ('ready' in reply) {
        ready = true;
        return;
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      // An idle worker does not keep a CLI (or a test) alive, and is ended after a while.
      if (this.pending.size === 0) {
        w.unref();
        this.armIdleStop(w);
      }
      if (reply.ok) p.resolve(reply.result);
      else p.reject(errorFromData(reply.error));
    });
    // 'error' (an uncaught exception, ERR_WORKER_OUT_OF_MEMORY) comes before 'exit'.
    w.on('error', (err) => (failure = err));
    w.on('exit', (code) => {
      if (this.worker !== w) return; // closed: its requests were failed already
      this.worker = null;
      const why = failure ? `${(failure as NodeJS.ErrnoException).code ?? failure.name}: ${failure.message}` : `exit code ${code}`;
      if (!ready) {
        this.inThread = true;
        this.options.onStartFailure?.(`Preflight's request preparation thread could not start (${why}); large requests are prepared on the main thread.`);
        this.prepareHereInstead();
        return;
      }
      // The worker takes its requests one at a time in order: the one it died on is the oldest still pending.
      // Only that one fails; those queued behind it are well-formed as far as anyone knows and go to a new thread.
      const [inFlight] = this.pending.keys();
      if (inFlight === undefined) return;
      const crashed = this.pending.get(inFlight)!;
      this.pending.delete(inFlight);
      crashed.reject(
        new AppError(ErrorCodes.INTERNAL, `Preflight's request preparation thread stopped while reading this request (${why}); the model was not run. A body this large may need more memory than Preflight allows; send fewer rows per request. The thread starts again on the next large request.`, {
          details: { crashed: 'prepare-worker', exitCode: code },
        }),
      );
      this.repostPending();
    });
    this.worker = w;
    return w;
  }

  private armIdleStop(w: Worker): void {
    this.disarmIdleStop();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker !== w || this.pending.size > 0) return;
      // Forgotten first: its 'exit' is then ignored, and a request arriving meanwhile starts a new thread.
      this.worker = null;
      void w.terminate().catch(() => {});
    }, this.options.idleStopMs ?? PREPARE_IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private disarmIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The requests a worker that never started held, prepared here (the same code the worker runs). */
  private prepareHereInstead(): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      try {
        const m = p.message;
        p.resolve(m.op === 'prepare' ? prepareForPython(m.req) : raisedAnswerFor(m.req, m.server, m.error));
      } catch (err) {
        p.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** The requests that were queued behind a crashed worker's, sent in the same order to a new one. */
  private repostPending(): void {
    if (this.pending.size === 0 || this.closed) return;
    let worker: Worker;
    try {
      worker = this.ensure();
    } catch (err) {
      this.failAll(new AppError(ErrorCodes.ENVIRONMENT, `Preflight's request preparation thread could not be started again (${(err as Error).message}); the model was not run.`, { cause: err }));
      return;
    }
    worker.ref();
    for (const p of this.pending.values()) worker.postMessage(p.message);
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
