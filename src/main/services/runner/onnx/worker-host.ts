/**
 * Parent side of the ONNX worker: starts it lazily with `child_process.fork`, sends calls, and contains
 * every way it can fail. A native crash, a timeout or a cancel ends with the process killed and a clear
 * AppError for the call(s) in flight; the next call starts a fresh worker. The parent never waits on a
 * dead worker and never crashes with it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { AppError, ErrorCodes } from '../../../../shared/errors';
import { RunnerErrorCodes } from './runner-errors';
import type { FromWorker, RunRequest } from './worker-protocol';
import type { WireTensor } from './tensor-data';
import { formatMs, lastLines, STDERR_TAIL_CHARS } from '../child-text';

export interface WorkerCall {
  request: Omit<RunRequest, 'type' | 'id'>;
  /** How errors name the model (path relative to the model folder, or the file name). */
  modelName: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra sentence for a crash message (e.g. "its output 'y' is int4, which onnxruntime-node cannot return"). */
  crashHint?: string;
}

export type WorkerReply =
  | { ok: true; outputs: Record<string, WireTensor> }
  | { ok: false; stage: 'load' | 'run' | 'changed'; message: string };

interface Pending {
  call: WorkerCall;
  resolve: (r: WorkerReply) => void;
  reject: (e: AppError) => void;
  timer: NodeJS.Timeout;
  onAbort: () => void;
}

interface Live {
  child: ChildProcess;
  pending: Map<number, Pending>;
  stderrTail: string;
  /** Why the parent killed it, so the other calls in flight get the right explanation. */
  killedFor: { reason: 'timeout' | 'cancel'; model: string } | null;
}


export interface WorkerHostOptions {
  /** The bundled worker entry (`onnx-worker.js`). */
  workerPath: string;
  /** Receives the worker's stderr lines (onnxruntime warnings), e.g. to the app log. */
  onStderr?: (text: string) => void;
}

export class OnnxWorkerHost {
  private live: Live | null = null;
  private nextId = 1;
  /** How many workers were started so far (tests prove restarts with it). */
  starts = 0;

  constructor(private readonly options: WorkerHostOptions) {}

  run(call: WorkerCall): Promise<WorkerReply> {
    if (call.signal?.aborted) return Promise.reject(cancelled(call.modelName));
    const live = this.ensure();
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      const p: Pending = {
        call,
        resolve,
        reject,
        timer: setTimeout(() => this.kill(live, { reason: 'timeout', model: call.modelName }, id), call.timeoutMs),
        onAbort: () => this.kill(live, { reason: 'cancel', model: call.modelName }, id),
      };
      live.pending.set(id, p);
      call.signal?.addEventListener('abort', p.onAbort, { once: true });
      this.refWhileBusy(live);
      const msg: RunRequest = { type: 'run', id, ...call.request };
      try {
        live.child.send(msg, (err) => {
          if (err) this.settle(live, id, (q) => q.reject(workerUnavailable(call.modelName, err)));
        });
      } catch (err) {
        this.settle(live, id, (q) => q.reject(workerUnavailable(call.modelName, err)));
      }
    });
  }

  /** Stops the worker (app shutdown). Calls in flight fail as cancelled. */
  dispose(): void {
    if (this.live) this.kill(this.live, { reason: 'cancel', model: 'the model' }, -1);
  }

  private ensure(): Live {
    if (this.live) return this.live;
    // execArgv: [] — never inherit the parent's loaders or inspector flags (vitest, --inspect).
    // In Electron, fork() runs Electron's own binary as plain Node (it sets ELECTRON_RUN_AS_NODE), which loads
    // onnxruntime-node's N-API binary as in any Node host. utilityProcess is not used: the serving mode hands the
    // listening socket to the child (serve-host.ts), and only child_process IPC can transfer a net.Server handle.
    const child = fork(this.options.workerPath, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
    });
    this.starts += 1;
    const live: Live = { child, pending: new Map(), stderrTail: '', killedFor: null };
    this.live = live;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      live.stderrTail = (live.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
      this.options.onStderr?.(chunk);
    });
    child.on('message', (m: FromWorker) => this.onMessage(live, m));
    child.on('error', (err) => {
      for (const id of [...live.pending.keys()]) this.settle(live, id, (p) => p.reject(workerUnavailable(p.call.modelName, err)));
      if (this.live === live) this.live = null;
    });
    child.on('exit', (code, signal) => this.onExit(live, code, signal));
    return live;
  }

  private onMessage(live: Live, m: FromWorker): void {
    if (m.type === 'ready') return;
    if (m.type === 'result') this.settle(live, m.id, (p) => p.resolve({ ok: true, outputs: m.outputs }));
    else this.settle(live, m.id, (p) => p.resolve({ ok: false, stage: m.stage, message: m.message }));
  }

  private onExit(live: Live, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.live === live) this.live = null;
    const how = signal ? `was killed by signal ${signal}` : `exited with code ${code}`;
    // Give stderr a moment to drain: the native abort message ("FATAL ERROR: …") arrives last.
    setImmediate(() => {
      const tail = lastLines(live.stderrTail);
      for (const id of [...live.pending.keys()]) {
        this.settle(live, id, (p) => {
          const k = live.killedFor;
          if (k) {
            p.reject(new AppError(RunnerErrorCodes.RUNTIME_CRASHED, `${p.call.modelName}: the ONNX runtime was restarted because another call to ${k.model} ${k.reason === 'timeout' ? 'timed out' : 'was cancelled'}. Run it again.`, { details: { model: p.call.modelName } }));
            return;
          }
          p.reject(
            new AppError(
              RunnerErrorCodes.RUNTIME_CRASHED,
              `${p.call.modelName}: the ONNX runtime crashed while running this model (the runtime process ${how}).` +
                (p.call.crashHint ? ` ${p.call.crashHint}` : '') +
                ` Preflight restarts the runtime for the next call; other models are not affected.` +
                (tail ? ` Last runtime output: ${tail}` : ''),
              { details: { model: p.call.modelName, exitCode: code, signal, stderr: tail || undefined } },
            ),
          );
        });
      }
    });
  }

  /** Kills the worker for `id`'s sake; `id` gets the timeout/cancel error now, the others on exit. */
  private kill(live: Live, why: { reason: 'timeout' | 'cancel'; model: string }, id: number): void {
    const p = live.pending.get(id);
    if (p) {
      this.settle(live, id, (q) =>
        q.reject(
          why.reason === 'timeout'
            ? new AppError(RunnerErrorCodes.TIMEOUT, `${q.call.modelName}: the prediction did not finish within ${formatMs(q.call.timeoutMs)}, so Preflight stopped the ONNX runtime (it restarts for the next call). Try a smaller input, or raise the timeout.`, { details: { model: q.call.modelName, timeoutMs: q.call.timeoutMs } })
            : cancelled(q.call.modelName),
        ),
      );
    }
    live.killedFor ??= why;
    if (this.live === live) this.live = null;
    live.child.kill('SIGKILL');
  }

  private settle(live: Live, id: number, fn: (p: Pending) => void): void {
    const p = live.pending.get(id);
    if (!p) return;
    live.pending.delete(id);
    clearTimeout(p.timer);
    p.call.signal?.removeEventListener('abort', p.onAbort);
    this.refWhileBusy(live);
    fn(p);
  }

  /** An idle worker must not keep a CLI process alive; a busy one must. */
  private refWhileBusy(live: Live): void {
    const busy = live.pending.size > 0;
    const channel = live.child.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (busy) {
      live.child.ref();
      channel?.ref?.();
    } else {
      live.child.unref();
      channel?.unref?.();
    }
  }
}

function cancelled(model: string): AppError {
  return new AppError(ErrorCodes.CANCELLED, `${model}: the prediction was cancelled.`, { details: { model } });
}

function workerUnavailable(model: string, err: unknown): AppError {
  return new AppError(ErrorCodes.ENVIRONMENT, `${model}: the ONNX runtime process could not be started or reached (${(err as Error)?.message ?? String(err)}). Check that the app's files are complete (onnx-worker.js, onnxruntime-node).`, { cause: err });
}
