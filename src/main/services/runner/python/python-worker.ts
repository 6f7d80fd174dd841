/**
 * Parent side of one Python worker process: spawns `preflight_worker.py` with the chosen interpreter,
 * numbers requests (length-prefixed frames, worker-frames.ts), and contains every way the process can fail. Calls run one at a time (the worker is
 * single-threaded), so a call's timeout measures its own work, not the queue ahead of it. A timeout or a
 * cancel kills the process; a crash (os._exit, segfault, OOM kill) rejects the call in flight with the
 * last lines the process wrote to stderr. Either way the next call starts a fresh process. The process leads
 * its own process group, and every kill ends the group: processes the model started die with it, instead
 * of holding the pipes open (and the call or dispose() waiting) after the worker is gone.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { AppError, ErrorCodes } from '../../../../shared/errors';
import { RunnerErrorCodes } from '../onnx/runner-errors';
import type { WorkerException, WorkerRequest, WorkerResponse } from './worker-protocol';
import { formatMs } from '../../child/child-text';
import { isRelativeInterpreter, relativeInterpreterMessage } from './interpreter-path';
import { StderrLines } from '../../child/stderr-lines';
import { killGroup, releasePipesAfterExit } from '../../child/process-group';
import { watchProcess } from '../../child/process-watch';
import { startGroupedWorker } from '../../child/worker-process';
import { attachTexts, encodeFrame, FrameReader, type Frame } from './worker-frames';

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

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

interface InFlight {
  id: number;
  resolve: (v: unknown) => void;
  reject: (e: AppError) => void;
  options: CallOptions;
}

export class PythonWorker {
  private child: ChildProcessWithoutNullStreams | null = null;
  private inflight: InFlight | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly frames = new FrameReader(
    (f) => this.onFrame(f),
    (sample) => this.onGarbage(sample),
  );
  private stderrTail: () => string = () => '';
  /** Why the parent is ending the process, so the call in flight gets the right error. */
  private ending: AppError | null = null;
  private disposed = false;
  /** Processes started so far (tests prove restarts with it). */
  starts = 0;
  /** Bumps on every new process: the engine reloads the model when it changes. */
  generation = 0;

  constructor(private readonly options: PythonWorkerOptions) {}

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
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

  private send(body: RequestBody, options: CallOptions): Promise<unknown> {
    if (this.disposed) return Promise.reject(new AppError(ErrorCodes.CANCELLED, `The Python engine for ${this.options.label} was shut down.`));
    if (options.signal?.aborted) return Promise.reject(cancelled(this.options.label, options.doing));
    // Spawned with cwd = the model folder, a relative interpreter would be a program from that folder.
    if (isRelativeInterpreter(this.options.python)) {
      return Promise.reject(new AppError(ErrorCodes.INVALID_INPUT, relativeInterpreterMessage(this.options.python), { details: { python: this.options.python, reason: 'relative path' } }));
    }
    let child: ChildProcessWithoutNullStreams;
    try {
      child = this.ensure();
    } catch (err) {
      return Promise.reject(err instanceof AppError ? err : this.startFailure(err));
    }
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = (): void => this.end(cancelled(this.options.label, options.doing));
      const timer = setTimeout(() => {
        this.end(
          new AppError(
            RunnerErrorCodes.TIMEOUT,
            `${this.options.label}: ${options.doing} took longer than ${formatMs(options.timeoutMs)}, so the Python worker was stopped. It starts again on the next call; raise the timeout if the model is just slow.`,
            { details: { model: this.options.label, timeoutMs: options.timeoutMs } },
          ),
        );
      }, options.timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.inflight = null;
      };
      this.inflight = {
        id,
        options,
        resolve: (v) => {
          cleanup();
          resolve(v);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdin.write(encodeFrame({ id, ...body }, options.blob));
    });
  }

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    this.frames.reset();
    const onLine = this.options.onStderr;
    this.ending = null;
    // Its own process group: a timeout, cancel or dispose also ends the processes the model started.
    const child = startGroupedWorker(this.options.python, ['-u', this.options.script], {
      cwd: this.options.cwd,
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...this.options.env },
    });
    this.child = child;
    releasePipesAfterExit(child);
    this.starts++;
    this.generation++;
    child.stdout.on('data', (d: Buffer) => this.frames.push(d));
    // A write to a process that just died fails with EPIPE; its end is reported below.
    child.stdin.on('error', () => undefined);
    // The last unterminated stderr line (a progress bar's final state) is logged as soon as the pipes close,
    // before anyone waiting for the close (dispose) goes on.
    const lines = onLine ? new StderrLines(onLine) : null;
    child.once('close', () => lines?.end());
    // 'close', not 'exit': the answer on stdout must be read to its end first.
    const watched = watchProcess(child, {
      endOn: 'close',
      tailChars: STDERR_TAIL_CHARS,
      onStderr: (d) => lines?.push(d),
      onEnd: (end) => {
        if (this.child !== child) return;
        this.child = null;
        const inflight = this.inflight;
        if (!inflight) return;
        // spawn failure (ENOENT, EACCES): the process never started.
        if (end.spawnError !== null) inflight.reject(this.startFailure(end.spawnError));
        else inflight.reject(this.ending ?? this.crashError(end.exitCode, end.signal, inflight.options.doing));
      },
    });
    this.stderrTail = watched.stderrTail;
    return child;
  }

  private onFrame(frame: Frame): void {
    const msg = frame.header as WorkerResponse & { texts?: unknown };
    const inflight = this.inflight;
    if (!inflight || msg.id !== inflight.id) return;
    if (msg.ok) inflight.resolve(attachTexts(msg.result, msg.texts, frame.blob));
    else inflight.reject(this.workerError(msg.error, inflight.options.doing));
  }

  /** stdout is the protocol's alone (the worker points fd 1 at stderr), so stray bytes mean a broken worker. */
  private onGarbage(sample: string): void {
    this.options.onStderr?.(`[stdout] ${sample}`);
    this.end(
      new WorkerExit(
        RunnerErrorCodes.RUNTIME_CRASHED,
        `${this.options.label}: the Python worker wrote something that is not a protocol frame to its stdout (${JSON.stringify(sample.slice(0, 80))}), so it was stopped. Check that resources/python/preflight_worker.py matches this Preflight version; it starts again on the next call.`,
        { details: { model: this.options.label } },
      ),
    );
  }

  /** Kills the process; the call in flight (if any) is rejected with `reason`. */
  private end(reason: AppError): void {
    const child = this.child;
    if (!child) {
      this.inflight?.reject(reason);
      return;
    }
    this.ending = reason;
    killGroup(child);
  }

  private workerError(e: WorkerException, doing: string): AppError {
    const code = e.stage === 'load' ? RunnerErrorCodes.MODEL_LOAD : e.stage === 'request' && doing.startsWith('load') ? RunnerErrorCodes.MODEL_LOAD : RunnerErrorCodes.MODEL_RUN;
    const what = e.type === 'WorkerError' ? e.message : `${e.type}: ${e.message}`;
    return new AppError(code, `${this.options.label}: ${doing} failed in Python. ${what}`, {
      details: { model: this.options.label, python: { type: e.type, message: e.message, mlflowErrorCode: e.mlflow_error_code }, traceback: e.traceback },
    });
  }

  private crashError(code: number | null, signal: NodeJS.Signals | null, doing: string): AppError {
    const tail = stderrSummary(this.stderrTail());
    const how = signal ? `was killed by signal ${signal}${signal === 'SIGKILL' ? ' (often the system running out of memory)' : ''}` : `exited with code ${code}`;
    return new WorkerExit(
      RunnerErrorCodes.RUNTIME_CRASHED,
      `${this.options.label}: the Python worker ${how} while ${doing}.${tail ? ` Its last output: ${tail}` : ''} It starts again on the next call.`,
      { details: { model: this.options.label, exitCode: code, signal, stderr: this.stderrTail().slice(-2000) } },
    );
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

  /** Asks the worker to exit, then kills it if it has not within `graceMs`. Later calls are refused. */
  async dispose(graceMs = 1000): Promise<void> {
    this.disposed = true;
    const child = this.child;
    if (!child) return;
    const closed = new Promise<void>((res) => child.once('close', () => res()));
    this.ending = new AppError(ErrorCodes.CANCELLED, `The Python engine for ${this.options.label} was shut down.`);
    if (this.inflight) killGroup(child);
    else child.stdin.end(encodeFrame({ id: 0, op: 'shutdown' }));
    const timer = setTimeout(() => killGroup(child), graceMs);
    await closed;
    clearTimeout(timer);
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
