/**
 * The payload engine's work on large bodies done on a worker thread instead of the app's main thread (in
 * Electron, the main process: while it computes, every IPC call and the window wait). Parsing a body with
 * Python's JSON semantics, MLflow's schema enforcement, the frame and its encoding cost about a second per
 * 15–60 MB body; the users of this class:
 * - the local scoring servers of Python-engine models (scoring-server.ts: one preparer per server; `prepare`);
 * - `RunnerService.predict`/`score` without a server's preparer (the Playground's local runner, `preflight predict`,
 *   compare/replay): `prepare` for Python models, `prepareOnnx` (the payload engine, then the feeds) for ONNX ones;
 * - `PayloadService.validate` and `convert` (the Playground validates as the user types).
 * Bodies from `minBodyChars` on go to one worker (`prepare-worker.js`, started on the first one, one message at
 * a time in arrival order); smaller ones stay in-thread, where they cost less than the hop. What comes back is the
 * same answer (the worker runs the same code, prepare-ops.ts), a Python input already as wire bytes.
 *
 *   const preparer = new OffThreadPreparer({ workerPath, minBodyChars: OFF_THREAD_BODY_CHARS });
 *   if (preparer.wants(body)) prepared = await preparer.prepare(request, signal);
 *   await preparer.close(); // the server stops: the thread ends, waiting requests get an error
 *
 * Cancel: a waiting call whose signal aborts leaves the queue; the one the worker is computing cannot be
 * interrupted (one synchronous parse), so that worker is ended and the next call starts a new one. A worker that
 * dies (out of memory on a hostile body, a bug) fails the call it was computing with an AppError — a server's own
 * 500 answer (`x-preflight-error`) — and the calls queued behind it go, in order, to a new one. A worker that cannot
 * start at all (its file cannot be loaded) is not retried: its calls and every later one run in-thread, as before
 * this existed, and the reason is logged once.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError, ErrorCodes } from '@shared/errors';
import type { ServerAnswer, ServerKind } from '@shared/mlflow/output/responses';
import type { ConvertRequestInput, ConvertResult } from '@shared/mlflow/payload/convert';
import type { ValidateRequestInput, ValidationResult } from '@shared/mlflow/payload/validate';
import type { PrepareMessage, PrepareOp, PrepareReply, PrepareResult } from './prepare-protocol';
import { runPrepareOp } from './prepare-ops';
import { errorFromData, errorToData, type OnnxGraphInputs, type PreparedOnnxRequest, type PreparedRequest } from './prepared-request';

/** Bodies of at least this many characters (1 Mi) are prepared off the main thread. */
export const OFF_THREAD_BODY_CHARS = 1 << 20;

/**
 * `PREFLIGHT_OFFTHREAD_MIN_CHARS` (a whole number of characters; 0: every body off-thread, to check fidelity through
 * the worker): the threshold instead of OFF_THREAD_BODY_CHARS, for the scoring servers, the runner and validate/convert. Unset or not a whole number: undefined.
 */
export function offThreadMinCharsFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.PREFLIGHT_OFFTHREAD_MIN_CHARS?.trim();
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

export interface OffThreadPreparerOptions {
  /** The bundled worker (`prepare-worker.js`); null: every body is prepared in-thread. */
  workerPath: string | null;
  minBodyChars?: number;
  /** The worker's heap limits (tests: a small heap makes a real out-of-memory crash). */
  resourceLimits?: ResourceLimits;
  /** Told once when the worker cannot start (everything is then prepared in-thread). */
  onStartFailure?: (reason: string) => void;
  /**
   * An idle worker is ended after this long (ms; default 15 s): a 16 MB body leaves its heap at ~200 MB, which an
   * idle thread would keep. Typing in the Playground or a run of requests keeps it; the next large body after a
   * pause starts a new one (tens of ms, on the thread).
   */
  idleMs?: number;
}

interface Job {
  id: number;
  message: PrepareMessage;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** What a crash left undone, for its message. */
const RAN_NOTHING: Record<PrepareOp['op'], string> = {
  prepare: 'the model was not run.',
  onnx: 'the model was not run.',
  raised: "the model's error could not be written as the server's answer.",
  validate: 'the body was not validated.',
  view: "the answer's JSON view was not made.",
  convert: 'the body was not converted.',
};

const cancelled = (): AppError => new AppError(ErrorCodes.CANCELLED, 'Cancelled: the request was dropped while Preflight was reading its body.');

export class OffThreadPreparer {
  private worker: Worker | null = null;
  /** The call the worker is computing, and those waiting for it (sent one at a time, so a waiting one can leave). */
  private current: Job | null = null;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** The worker could not start once: everything is prepared in-thread from then on. */
  private inThread = false;
  private readonly minBodyChars: number;
  private starts = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: OffThreadPreparerOptions) {
    this.minBodyChars = options.minBodyChars ?? OFF_THREAD_BODY_CHARS;
  }

  /** Whether this body is prepared off the main thread. */
  wants(body: string): boolean {
    return this.options.workerPath !== null && !this.closed && !this.inThread && body.length >= this.minBodyChars;
  }

  /** A Python-engine model's request: the refusal already written, or the input as wire bytes. */
  prepare(req: ValidateRequestInput, signal?: AbortSignal): Promise<PreparedRequest> {
    return this.call({ op: 'prepare', req }, signal);
  }

  /** The server's answer when the model raised `err` on a request prepared here; null when it was not the model raising. */
  raisedAnswer(req: ValidateRequestInput, server: ServerKind, err: unknown): Promise<ServerAnswer | null> {
    return this.call({ op: 'raised', req, server, error: errorToData(err) });
  }

  /** `validateRequest(req)` (payload.validate). */
  validate(req: ValidateRequestInput, signal?: AbortSignal): Promise<ValidationResult> {
    return this.call({ op: 'validate', req }, signal);
  }

  /** `convertRequest(req)` (payload.convert). */
  convert(req: ConvertRequestInput, signal?: AbortSignal): Promise<ConvertResult> {
    return this.call({ op: 'convert', req }, signal);
  }

  /** An ONNX model's request up to the runtime (`prepareForOnnx`): refusal, the model raising, or the feeds `graph` takes. */
  prepareOnnx(req: ValidateRequestInput, graph: OnnxGraphInputs | null, signal?: AbortSignal): Promise<PreparedOnnxRequest> {
    return this.call({ op: 'onnx', req, graph }, signal);
  }

  /** `bodyView(bodyText, contentType)`: the JSON view of a large answer. */
  view(bodyText: string, contentType: string | undefined, signal?: AbortSignal): Promise<unknown> {
    return this.call({ op: 'view', bodyText, contentType }, signal);
  }

  /** Whether a worker thread is running (tests). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Worker threads started so far (tests: +1 after a crash or a cancel mid-computation). */
  get threadStarts(): number {
    return this.starts;
  }

  /** Ends the worker; calls still waiting for it fail (its server or the app is stopping). Later calls are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopIdleTimer();
    const w = this.worker;
    this.worker = null;
    this.failAll(new AppError(ErrorCodes.CANCELLED, "Preflight's request preparation thread was stopped (a server stopping, or the app shutting down) while this request was being prepared."));
    if (w) await w.terminate();
  }

  private call<O extends PrepareOp>(op: O, signal?: AbortSignal): Promise<PrepareResult[O['op']]> {
    if (this.closed) return Promise.reject(new AppError(ErrorCodes.CANCELLED, "Preflight's request preparation thread was stopped (a server stopping, or the app shutting down); the request was not prepared."));
    if (signal?.aborted) return Promise.reject(cancelled());
    // The worker could not start (logged once): the same code, here.
    if (this.inThread) return new Promise((resolve) => resolve(runPrepareOp(op, false).result as PrepareResult[O['op']]));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const job: Job = { id, message: { ...op, id } as PrepareMessage, resolve: resolve as (r: unknown) => void, reject, signal };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Sends the next waiting call to the worker when it is free. */
  private pump(): void {
    if (this.current || this.closed) return;
    if (this.queue.length === 0) {
      this.endWhenIdle();
      return;
    }
    this.stopIdleTimer();
    let worker: Worker;
    try {
      worker = this.ensure();
    } catch (err) {
      this.failAll(new AppError(ErrorCodes.ENVIRONMENT, `Preflight's request preparation thread could not be started (${(err as Error).message}). Check that the app's files are complete (prepare-worker.js).`, { cause: err }));
      return;
    }
    const job = this.queue.shift()!;
    this.current = job;
    worker.ref();
    try {
      worker.postMessage(job.message);
    } catch (err) {
      // Not cloneable (a bug in the caller): that call fails, the queue moves on.
      this.current = null;
      this.settle(job, { error: err instanceof Error ? err : new Error(String(err)) });
      this.pump();
    }
  }

  /** Ends the worker once it has had nothing to do for `idleMs` (its exit is then no crash). */
  private endWhenIdle(): void {
    if (!this.worker || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.current || this.queue.length > 0 || !this.worker) return;
      const w = this.worker;
      this.worker = null;
      void w.terminate();
    }, this.options.idleMs ?? 15_000);
    this.idleTimer.unref();
  }

  private settle(job: Job, outcome: { value: unknown } | { error: Error }): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if ('error' in outcome) job.reject(outcome.error);
    else job.resolve(outcome.value);
  }

  /** A call whose signal aborted: out of the queue, or — the worker is inside it and cannot be interrupted — the worker ended. */
  private abort(job: Job): void {
    if (this.current === job) {
      const w = this.worker;
      this.worker = null; // its exit is not a crash: nothing is failed for it
      this.current = null;
      void w?.terminate();
      this.settle(job, { error: cancelled() });
      // After the aborts of this same turn (a page going away cancels all its calls): a call they cancel starts no thread.
      queueMicrotask(() => this.pump());
      return;
    }
    const i = this.queue.indexOf(job);
    if (i < 0) return;
    this.queue.splice(i, 1);
    this.settle(job, { error: cancelled() });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.options.workerPath!, { name: 'preflight-prepare', ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}) });
    this.starts++;
    let failure: Error | null = null;
    let ready = false;
    w.on('message', (reply: PrepareReply) => {
      if ('ready' in reply) {
        ready = true;
        return;
      }
      const job = this.current;
      if (this.worker !== w || !job || job.id !== reply.id) return;
      this.current = null;
      // An idle worker does not keep a CLI (or a test) alive.
      if (this.queue.length === 0) w.unref();
      this.settle(job, reply.ok ? { value: reply.result } : { error: errorFromData(reply.error) });
      this.pump();
    });
    // 'error' (an uncaught exception, ERR_WORKER_OUT_OF_MEMORY) comes before 'exit'.
    w.on('error', (err) => (failure = err));
    w.on('exit', (code) => {
      if (this.worker !== w) return; // closed or cancelled: its calls were settled already
      this.worker = null;
      const why = failure ? `${(failure as NodeJS.ErrnoException).code ?? failure.name}: ${failure.message}` : `exit code ${code}`;
      if (!ready) {
        this.inThread = true;
        this.options.onStartFailure?.(`Preflight's request preparation thread could not start (${why}); large requests are prepared on the main thread.`);
        this.prepareHereInstead();
        return;
      }
      // Only the call it died on fails; those queued behind it are well-formed as far as anyone knows and go to a new thread.
      const crashed = this.current;
      this.current = null;
      if (crashed) {
        this.settle(crashed, {
          error: new AppError(ErrorCodes.INTERNAL, `Preflight's request preparation thread stopped while reading this request (${why}); ${RAN_NOTHING[crashed.message.op]} A body this large may need more memory than Preflight allows; send fewer rows per request. The thread starts again on the next large request.`, {
            details: { crashed: 'prepare-worker', exitCode: code },
          }),
        });
      }
      this.pump();
    });
    this.worker = w;
    return w;
  }

  /** The calls a worker that never started held, computed here (the same code the worker runs). */
  private prepareHereInstead(): void {
    const all = this.takeAll();
    for (const job of all) {
      try {
        this.settle(job, { value: runPrepareOp(job.message, false).result });
      } catch (err) {
        this.settle(job, { error: err instanceof Error ? err : new Error(String(err)) });
      }
    }
  }

  /** The call being computed and every waiting one, in order, taken off the preparer. */
  private takeAll(): Job[] {
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    return all;
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private failAll(err: Error): void {
    const all = this.takeAll();
    for (const job of all) this.settle(job, { error: err });
  }
}
