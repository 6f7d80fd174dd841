/**
 * One supervised helper process, shared by every worker that runs code the app must survive: the ONNX
 * worker (a native abort in onnxruntime) and the file reader (an endless loop or a memory blow-up in a
 * parser fed a corrupted file). The child is forked lazily; each call carries an id, a deadline and an
 * optional AbortSignal. A deadline, a cancel or a crash ends with the child killed (SIGKILL: a child
 * stuck in a CPU loop never reads a polite message) and every call in flight rejected with an error the
 * owner words; the next call starts a fresh child. The parent never waits on a dead child.
 *
 *   const child = new SupervisedChild<Req, Reply, Ctx>({ modulePath, failure: (end, ctx) => new AppError(…) });
 *   const reply = await child.call({ type: 'read', … }, { timeoutMs: 60_000, signal, context: { file } });
 *
 * Protocol: the parent sends `{ ...request, id }`; the child answers with one message carrying that `id`.
 * Messages without an `id` (e.g. a `ready` banner) are ignored.
 */
import type { ChildProcess } from 'node:child_process';
import { lastLines } from './child-text';
import { watchProcess, type ProcessEnd, type Watched } from './process-watch';
import { startNodeWorker } from './worker-process';

/** Why a call ended without a reply. `collateral`: the child was killed for another call's sake. */
export type CallEnd =
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'cancel' }
  | { kind: 'crash'; how: string; exitCode: number | null; signal: NodeJS.Signals | null; stderrTail: string }
  | { kind: 'collateral'; reason: 'timeout' | 'cancel'; otherContext: unknown }
  | { kind: 'unavailable'; error: unknown };

export interface SupervisedChildOptions<Ctx> {
  /** The bundled entry (a .js file), started with `child_process.fork`. */
  modulePath: string;
  /** Node flags for the child, e.g. `--max-old-space-size=2048` so a memory blow-up ends only the child. */
  execArgv?: string[];
  /** Receives the child's stderr as it arrives (e.g. for the app log). */
  onStderr?: (text: string) => void;
  /** The error a call gets when it ends without a reply; worded by the owner, who knows what the call was. */
  failure: (end: CallEnd, context: Ctx) => Error;
}

export interface CallOptions<Ctx> {
  timeoutMs: number;
  signal?: AbortSignal;
  /** What `failure` needs to explain this call (model name, file name…). */
  context: Ctx;
}

interface Pending<Ctx> {
  opts: CallOptions<Ctx>;
  resolve: (reply: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  onAbort: () => void;
}

interface Live<Ctx> {
  child: ChildProcess;
  pending: Map<number, Pending<Ctx>>;
  watched: Watched;
  /** Why the parent killed it, so the other calls in flight get the right explanation. */
  killedFor: { reason: 'timeout' | 'cancel'; context: Ctx } | null;
}

export class SupervisedChild<Req extends object, Reply, Ctx> {
  private live: Live<Ctx> | null = null;
  private nextId = 1;
  /** How many children were started so far (tests prove restarts with it). */
  starts = 0;

  constructor(private readonly options: SupervisedChildOptions<Ctx>) {}

  call(request: Req, opts: CallOptions<Ctx>): Promise<Reply> {
    if (opts.signal?.aborted) return Promise.reject(this.options.failure({ kind: 'cancel' }, opts.context));
    const live = this.ensure();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const p: Pending<Ctx> = {
        opts,
        resolve: resolve as (r: unknown) => void,
        reject,
        timer: setTimeout(() => this.kill(live, 'timeout', id), opts.timeoutMs),
        onAbort: () => this.kill(live, 'cancel', id),
      };
      live.pending.set(id, p);
      opts.signal?.addEventListener('abort', p.onAbort, { once: true });
      this.refWhileBusy(live);
      try {
        live.child.send({ ...request, id }, (err) => {
          if (err) this.settle(live, id, (q) => q.reject(this.options.failure({ kind: 'unavailable', error: err }, q.opts.context)));
        });
      } catch (err) {
        this.settle(live, id, (q) => q.reject(this.options.failure({ kind: 'unavailable', error: err }, q.opts.context)));
      }
    });
  }

  /** Stops the child (shutdown). Calls in flight fail as cancelled. */
  dispose(): void {
    const live = this.live;
    if (!live) return;
    for (const id of [...live.pending.keys()]) this.settle(live, id, (p) => p.reject(this.options.failure({ kind: 'cancel' }, p.opts.context)));
    this.live = null;
    live.child.kill('SIGKILL');
  }

  private ensure(): Live<Ctx> {
    if (this.live) return this.live;
    const child = startNodeWorker(this.options.modulePath, this.options.execArgv);
    this.starts += 1;
    const live: Live<Ctx> = {
      child,
      pending: new Map(),
      watched: watchProcess(child, { onStderr: this.options.onStderr, onEnd: (end) => this.onEnd(live, end) }),
      killedFor: null,
    };
    this.live = live;
    child.on('message', (m: unknown) => {
      const id = (m as { id?: unknown } | null)?.id;
      if (typeof id === 'number') this.settle(live, id, (p) => p.resolve(m));
    });
    // A dead child takes no new calls, even before its end is reported.
    child.once('exit', () => this.live === live && (this.live = null));
    return live;
  }

  private onEnd(live: Live<Ctx>, end: ProcessEnd): void {
    if (this.live === live) this.live = null;
    const stderrTail = lastLines(end.stderrTail);
    for (const id of [...live.pending.keys()]) {
      this.settle(live, id, (p) => {
        const k = live.killedFor;
        p.reject(
          this.options.failure(
            end.spawnError !== null
              ? { kind: 'unavailable', error: end.spawnError }
              : k
                ? { kind: 'collateral', reason: k.reason, otherContext: k.context }
                : { kind: 'crash', how: end.how, exitCode: end.exitCode, signal: end.signal, stderrTail },
            p.opts.context,
          ),
        );
      });
    }
  }

  /** Kills the child for `id`'s sake; `id` gets its timeout/cancel error now, the others when the child exits. */
  private kill(live: Live<Ctx>, reason: 'timeout' | 'cancel', id: number): void {
    const p = live.pending.get(id);
    if (p) {
      live.killedFor ??= { reason, context: p.opts.context };
      this.settle(live, id, (q) => q.reject(this.options.failure(reason === 'timeout' ? { kind: 'timeout', timeoutMs: q.opts.timeoutMs } : { kind: 'cancel' }, q.opts.context)));
    }
    if (this.live === live) this.live = null;
    live.child.kill('SIGKILL');
  }

  private settle(live: Live<Ctx>, id: number, fn: (p: Pending<Ctx>) => void): void {
    const p = live.pending.get(id);
    if (!p) return;
    live.pending.delete(id);
    clearTimeout(p.timer);
    p.opts.signal?.removeEventListener('abort', p.onAbort);
    this.refWhileBusy(live);
    fn(p);
  }

  /** An idle child must not keep a CLI process alive; a busy one must. */
  private refWhileBusy(live: Live<Ctx>): void {
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
