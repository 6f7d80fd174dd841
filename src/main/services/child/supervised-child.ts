/**
 * One supervised helper process: the single place where Preflight starts, watches, times out and kills its
 * workers — the ONNX worker (a native abort in onnxruntime), the ONNX serving process (a run that blocks it,
 * liveness checked with a `ping` call under a deadline), the file reader (an endless loop or a memory
 * blow-up in a parser fed a corrupted file) and the Python worker (a model's predict, and the processes it
 * starts). The process is started lazily through `start` (a host's Node-worker launcher, or the Python
 * stdio worker); each call carries an id, a deadline and an optional AbortSignal. A deadline, a cancel
 * or a crash ends with the process killed (SIGKILL of its process tree where it leads a group: a child stuck
 * in a CPU loop never reads a polite message) and every call in flight rejected with an error the owner
 * words; the next call starts a fresh process. The parent never waits on a dead child.
 *
 *   const child = new SupervisedChild<Req, Reply, Ctx>({ start: () => launch(path, { name }), failure: (end, ctx) => new AppError(…) });
 *   const reply = await child.call({ type: 'read', … }, { timeoutMs: 60_000, signal, context: { file } });
 *
 * Protocol: the parent sends `{ ...request, id }`; the child answers with one message carrying that `id`.
 * Messages without an `id` (a `ready` banner, the serving process's request log) go to `onEvent`.
 */
import type { WorkerProcess } from '../../ports/worker-process';
import { lastLines } from './child-text';
import { watchProcess, type ProcessEnd } from './process-watch';

/** Why a call ended without a reply. `collateral`: the child was killed for another call's sake. */
export type CallEnd =
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'cancel' }
  /** `stderrTail`: its last meaningful lines; `stderr`: the raw tail, for owners that summarize it themselves. */
  | { kind: 'crash'; how: string; exitCode: number | null; signal: NodeJS.Signals | null; stderrTail: string; stderr: string }
  | { kind: 'collateral'; reason: 'timeout' | 'cancel'; otherContext: unknown }
  | { kind: 'unavailable'; error: unknown };

/** How one process ended, for the owner's log or restart policy: what `watchProcess` saw, and whether the parent killed it. */
export interface ChildEnd extends ProcessEnd {
  killedFor: 'timeout' | 'cancel' | 'dispose' | null;
  /** performance.now() when it was started. */
  startedAt: number;
}

export interface SupervisedChildOptions<Ctx> {
  /** Starts one process; called again after each death, on the next call. */
  start: () => WorkerProcess;
  /** Receives the child's stderr as it arrives (e.g. for the app log). */
  onStderr?: (text: string) => void;
  /** How much of stderr is kept to explain a crash (default STDERR_TAIL_CHARS). */
  tailChars?: number;
  /** Messages that carry no call id. */
  onEvent?: (message: unknown) => void;
  /** Each process's end, after its calls were failed. */
  onEnd?: (end: ChildEnd) => void;
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
  child: WorkerProcess;
  pending: Map<number, Pending<Ctx>>;
  startedAt: number;
  /** Why the parent killed it, so the other calls in flight get the right explanation. */
  killedFor: { reason: 'timeout' | 'cancel' | 'dispose'; context: Ctx | null } | null;
  ended: Promise<void>;
}

export class SupervisedChild<Req extends object, Reply, Ctx> {
  private live: Live<Ctx> | null = null;
  private nextId = 1;
  /** How many children were started so far (tests prove restarts with it). */
  starts = 0;

  constructor(private readonly options: SupervisedChildOptions<Ctx>) {}

  /** Whether a process is up (it may be idle). */
  get running(): boolean {
    return this.live !== null;
  }

  get pid(): number | undefined {
    return this.live?.child.pid;
  }

  call(request: Req, opts: CallOptions<Ctx>): Promise<Reply> {
    if (opts.signal?.aborted) return Promise.reject(this.options.failure({ kind: 'cancel' }, opts.context));
    let live: Live<Ctx>;
    try {
      live = this.ensure();
    } catch (error) {
      return Promise.reject(this.options.failure({ kind: 'unavailable', error }, opts.context));
    }
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
      this.keepAliveWhileBusy(live);
      live.child.send({ ...request, id }, (error) => this.settle(live, id, (q) => q.reject(this.options.failure({ kind: 'unavailable', error }, q.opts.context))));
    });
  }

  /** A message that expects no answer, to the running process (none: dropped). */
  notify(message: object): void {
    const live = this.live;
    // A channel that fails leaves a process nobody can reach: its end is reported as a crash.
    live?.child.send(message, () => live.child.kill());
  }

  /**
   * Stops the child (shutdown); resolves once it is gone. Calls in flight fail as cancelled and the child is
   * killed at once; an idle child is first sent `farewell` (if given) and killed only if still there after
   * `graceMs`.
   */
  dispose(options: { farewell?: object; graceMs?: number } = {}): Promise<void> {
    const live = this.live;
    if (!live) return Promise.resolve();
    this.live = null;
    live.killedFor ??= { reason: 'dispose', context: null };
    const busy = live.pending.size > 0;
    for (const id of [...live.pending.keys()]) this.settle(live, id, (p) => p.reject(this.options.failure({ kind: 'cancel' }, p.opts.context)));
    if (busy || !options.farewell) live.child.kill();
    else {
      live.child.send(options.farewell, () => live.child.kill());
      const force = setTimeout(() => live.child.kill(), options.graceMs ?? 1000);
      void live.ended.then(() => clearTimeout(force));
    }
    return live.ended;
  }

  private ensure(): Live<Ctx> {
    if (this.live) return this.live;
    const child = this.options.start();
    this.starts += 1;
    let ended: () => void = () => undefined;
    const live: Live<Ctx> = { child, pending: new Map(), startedAt: performance.now(), killedFor: null, ended: new Promise((r) => (ended = r)) };
    watchProcess(child, {
      onStderr: this.options.onStderr,
      tailChars: this.options.tailChars,
      onEnd: (end) => {
        this.onEnd(live, end);
        ended();
      },
    });
    this.live = live;
    child.onMessage((m: unknown) => {
      const id = (m as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && id > 0) this.settle(live, id, (p) => p.resolve(m));
      else this.options.onEvent?.(m);
    });
    // A dead child takes no new calls, even before its end is reported.
    child.onExit(() => this.live === live && (this.live = null));
    this.keepAliveWhileBusy(live);
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
              : k && k.reason !== 'dispose'
                ? { kind: 'collateral', reason: k.reason, otherContext: k.context }
                : { kind: 'crash', how: end.how, exitCode: end.exitCode, signal: end.signal, stderrTail, stderr: end.stderrTail },
            p.opts.context,
          ),
        );
      });
    }
    this.options.onEnd?.({ ...end, killedFor: live.killedFor?.reason ?? null, startedAt: live.startedAt });
  }

  /** Kills the child for `id`'s sake; `id` gets its timeout/cancel error now, the others when the child exits. */
  private kill(live: Live<Ctx>, reason: 'timeout' | 'cancel', id: number): void {
    const p = live.pending.get(id);
    if (p) {
      live.killedFor ??= { reason, context: p.opts.context };
      this.settle(live, id, (q) => q.reject(this.options.failure(reason === 'timeout' ? { kind: 'timeout', timeoutMs: q.opts.timeoutMs } : { kind: 'cancel' }, q.opts.context)));
    }
    if (this.live === live) this.live = null;
    live.child.kill();
  }

  private settle(live: Live<Ctx>, id: number, fn: (p: Pending<Ctx>) => void): void {
    const p = live.pending.get(id);
    if (!p) return;
    live.pending.delete(id);
    clearTimeout(p.timer);
    p.opts.signal?.removeEventListener('abort', p.onAbort);
    this.keepAliveWhileBusy(live);
    fn(p);
  }

  /** An idle child must not keep a CLI process alive; a busy one must. */
  private keepAliveWhileBusy(live: Live<Ctx>): void {
    live.child.keepHostAlive(live.pending.size > 0);
  }
}
