/**
 * Parent side of one Python worker process: `preflight_worker.py` run by the chosen interpreter, speaking
 * length-prefixed frames over stdio (worker-frames.ts, docs/python-worker.md), supervised by `SupervisedChild` (the same deadlines, kills and end event as the
 * Node workers). Calls run one at a time (the worker is single-threaded), so a call's timeout measures its
 * own work, not the queue ahead of it. A timeout or a cancel kills the process; a crash (os._exit,
 * segfault, OOM kill) rejects the call in flight with the last lines the process wrote to stderr. Either
 * way the next call starts a fresh process. The process leads its own process group, and every kill ends
 * the group: processes the model started die with it, instead of holding the pipes open (and the call or
 * dispose() waiting) after the worker is gone.
 */
import { AppError, ErrorCodes } from '@shared/errors';
import { RunnerErrorCodes } from '../onnx/runner-errors';
import type { WorkerException, WorkerRequest, WorkerResponse } from './worker-protocol';
import { formatMs } from '../../child/child-text';
import { isRelativeInterpreter, relativeInterpreterMessage } from './interpreter-path';
import { StderrLines } from '../../child/stderr-lines';
import { SupervisedChild, type CallEnd } from '../../child/supervised-child';
import { startStdioWorker } from '../../child/worker-process';
import { frameCodec } from './worker-frames';

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
/** What crosses to the worker: the request, and the bytes its frame carries after the JSON header. */
type Outgoing = RequestBody & { blob?: Uint8Array | null };

export interface PythonWorkerOptions {
  /** Interpreter to run (a path). */
  python: string;
  /** `resources/python/preflight_worker.py`. */
  script: string;
  /** Working directory of the process (the model folder). */
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** How messages name the model, e.g. its folder name. */
  label: string;
  /** Each line the worker writes to stderr (model warnings, tracebacks), e.g. for the app log. */
  onStderr?: (line: string) => void;
}

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** What the call does, for messages ("loading", "predicting"). */
  doing: string;
  /** Bytes sent after the request's JSON header (float64 input columns, wire-input.ts). */
  blob?: Uint8Array | null;
}

/** A failure of the worker itself (not of the model): the process is gone and must be restarted. */
export class WorkerExit extends AppError {}

const STDERR_TAIL_CHARS = 8000;

/**
 * One BLAS thread unless the user's environment (or the engine's `env`) says otherwise. The worker answers one
 * request at a time, and OpenBLAS's helper threads busy-wait after every call for ~2^28 cycles before they
 * sleep: with Debian's OpenBLAS on this 2-core machine a 1 000-row LinearRegression request cost the worker
 * 4–9 ms of CPU for 3–6 ms of wall time, a core taken from the app (and from Node's parse of the next request)
 * the whole time a client keeps sending; with one thread, 1.2 ms (bench `python-engine-1000`, its `cpu/request`).
 * The model's own parallelism (sklearn's OpenMP code, `n_jobs`) is left alone.
 */
const BLAS_ONE_THREAD: Record<string, string> = { OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', BLIS_NUM_THREADS: '1' };

export class PythonWorker {
  private readonly child: SupervisedChild<Outgoing, WorkerResponse, CallOptions>;
  /** What the running process wrote to stdout that is not a frame (it was stopped for it). */
  private garbage: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** The running process's stderr, as lines; its last unterminated line is logged when the process ends. */
  private lines: StderrLines | null = null;
  private disposed = false;

  constructor(private readonly options: PythonWorkerOptions) {
    const onLine = options.onStderr;
    this.child = new SupervisedChild({
      start: () => {
        // Its own process group: a timeout, cancel or dispose also ends the processes the model started.
        this.garbage = null;
        const worker = startStdioWorker(options.python, ['-u', options.script], {
          cwd: options.cwd,
          env: { ...BLAS_ONE_THREAD, ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...options.env },
          // stdout is the protocol's alone (the worker points fd 1 at stderr), so stray bytes mean a broken worker.
          codec: frameCodec((sample) => {
            this.garbage = sample;
            onLine?.(`[stdout] ${sample}`);
          }),
        });
        this.lines = onLine ? new StderrLines(onLine) : null;
        return worker;
      },
      tailChars: STDERR_TAIL_CHARS,
      onStderr: (d) => this.lines?.push(d),
      // The last unterminated stderr line (a progress bar's final state) is logged before anyone waiting
      // for the end (dispose) goes on.
      onEnd: () => this.lines?.end(),
      failure: (end, doing) => this.failure(end, doing),
    });
  }

  /** Processes started so far (tests prove restarts with it). */
  get starts(): number {
    return this.child.starts;
  }

  /** Bumps on every new process: the engine reloads the model when it changes. */
  get generation(): number {
    return this.child.starts;
  }

  get running(): boolean {
    return this.child.running;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one request after the ones already queued; resolves with the worker's `result`. */
  call<T>(body: RequestBody, options: CallOptions): Promise<T> {
    if (options.signal?.aborted) return Promise.reject(cancelled(this.options.label, options.doing));
    // A call cancelled while still queued ends at once, without touching the process.
    let started = false;
    let rejectQueued: (e: AppError) => void = () => undefined;
    const queued = new Promise<never>((_, rej) => (rejectQueued = rej));
    const onAbortQueued = (): void => {
      if (!started) rejectQueued(cancelled(this.options.label, options.doing));
    };
    options.signal?.addEventListener('abort', onAbortQueued, { once: true });
    const run = (): Promise<T> => {
      started = true;
      options.signal?.removeEventListener('abort', onAbortQueued);
      return this.send(body, options) as Promise<T>;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return Promise.race([p, queued]);
  }

  private async send(body: RequestBody, options: CallOptions): Promise<unknown> {
    if (this.disposed) throw this.shutDown();
    if (options.signal?.aborted) throw cancelled(this.options.label, options.doing);
    // Spawned with cwd = the model folder, a relative interpreter would be a program from that folder.
    if (isRelativeInterpreter(this.options.python)) {
      throw new AppError(ErrorCodes.INVALID_INPUT, relativeInterpreterMessage(this.options.python), { details: { python: this.options.python, reason: 'relative path' } });
    }
    const msg = await this.child.call({ ...body, blob: options.blob }, { timeoutMs: options.timeoutMs, signal: options.signal, context: options });
    if (msg.ok) return msg.result;
    throw this.workerError(msg.error, options.doing);
  }

  /** The error a call gets when the process ended (or was ended) without its answer. */
  private failure(end: CallEnd, options: CallOptions): AppError {
    const { label } = this.options;
    if (this.disposed) return this.shutDown();
    switch (end.kind) {
      case 'timeout':
        return new AppError(
          RunnerErrorCodes.TIMEOUT,
          `${label}: ${options.doing} took longer than ${formatMs(end.timeoutMs)}, so the Python worker was stopped. It starts again on the next call; raise the timeout if the model is just slow.`,
          { details: { model: label, timeoutMs: end.timeoutMs } },
        );
      case 'cancel':
      case 'collateral':
        return cancelled(label, options.doing);
      case 'unavailable':
        return this.startFailure(end.error);
      case 'crash': {
        if (this.garbage !== null) {
          return new WorkerExit(
            RunnerErrorCodes.RUNTIME_CRASHED,
            `${label}: the Python worker wrote something that is not a protocol frame to its stdout (${JSON.stringify(this.garbage.slice(0, 80))}), so it was stopped. Check that resources/python/preflight_worker.py matches this Preflight version; it starts again on the next call.`,
            { details: { model: label } },
          );
        }
        const tail = stderrSummary(end.stderr);
        const how = end.signal ? `was killed by signal ${end.signal}${end.signal === 'SIGKILL' ? ' (often the system running out of memory)' : ''}` : `exited with code ${end.exitCode}`;
        return new WorkerExit(
          RunnerErrorCodes.RUNTIME_CRASHED,
          `${label}: the Python worker ${how} while ${options.doing}.${tail ? ` Its last output: ${tail}` : ''} It starts again on the next call.`,
          { details: { model: label, exitCode: end.exitCode, signal: end.signal, stderr: end.stderr.slice(-2000) } },
        );
      }
    }
  }

  private workerError(e: WorkerException, doing: string): AppError {
    const code = e.stage === 'load' ? RunnerErrorCodes.MODEL_LOAD : e.stage === 'request' && doing.startsWith('load') ? RunnerErrorCodes.MODEL_LOAD : RunnerErrorCodes.MODEL_RUN;
    const what = e.type === 'WorkerError' ? e.message : `${e.type}: ${e.message}`;
    return new AppError(code, `${this.options.label}: ${doing} failed in Python. ${what}`, {
      details: { model: this.options.label, python: { type: e.type, message: e.message, mlflowErrorCode: e.mlflow_error_code }, traceback: e.traceback },
    });
  }

  private startFailure(err: unknown): AppError {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not executable' : `could not be started (${err instanceof Error ? err.message : String(err)})`;
    return new AppError(
      ErrorCodes.ENVIRONMENT,
      `The Python interpreter ${JSON.stringify(this.options.python)} ${why}. Choose another interpreter in Settings or with PREFLIGHT_PYTHON.`,
      { details: { python: this.options.python }, cause: err },
    );
  }

  private shutDown(): AppError {
    return new AppError(ErrorCodes.CANCELLED, `The Python engine for ${this.options.label} was shut down.`);
  }

  /** Asks the worker to exit, then kills its group if it has not within `graceMs`. Later calls are refused. */
  async dispose(graceMs = 1000): Promise<void> {
    this.disposed = true;
    await this.child.dispose({ farewell: { id: 0, op: 'shutdown' }, graceMs });
  }
}

function cancelled(label: string, doing: string): AppError {
  return new AppError(ErrorCodes.CANCELLED, `${label}: ${doing} was cancelled.`);
}

/**
 * The useful end of what the worker wrote to stderr: the last line of a Python traceback (the
 * exception itself) when there is one, otherwise the last non-empty line (a model's own message, a
 * "Segmentation fault" from the runtime).
 */
export function stderrSummary(stderr: string): string | null {
  const lines = stderr.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '' && !l.startsWith('[preflight-worker] '));
  if (lines.length === 0) return null;
  const tb = lines.map((l) => l.startsWith('Traceback (most recent call last):')).lastIndexOf(true);
  if (tb >= 0) {
    const after = lines.slice(tb + 1).filter((l) => !/^\s/.test(l));
    if (after.length) return after[after.length - 1]!.trim();
  }
  return lines[lines.length - 1]!.trim();
}
