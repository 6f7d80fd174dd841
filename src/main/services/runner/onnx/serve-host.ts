/**
 * App side of an ONNX serving process (serve-protocol.ts): starts it with the listening socket, passes
 * on the connections the app's own accept happens to win, relays the request log, and contains every
 * way the process can fail. A native crash (int4 outputs abort the process) or a run that blocks it past
 * the timeout ends with a log event that says so, and a new process on the same socket: the port stays
 * open and the server keeps serving. Only the requests in flight at that moment get no answer.
 */
import type { ChildProcess } from 'node:child_process';
import type { Server as NetServer, Socket } from 'node:net';
import { AppError } from '../../../../shared/errors';
import type { RequestLogEvent } from '../../http/scoring-http';
import { RunnerErrorCodes } from './runner-errors';
import type { FromServer, ServeSetup, ToServer } from './serve-protocol';
import { formatMs, lastLines } from '../../child/child-text';
import { watchProcess, type ProcessEnd } from '../../child/process-watch';
import { startNodeWorker } from '../../child/worker-process';

export interface OnnxServingOptions {
  workerPath: string;
  /** Listening on 127.0.0.1, created with `pauseOnConnect: true` so a connection can be passed on unread. */
  listening: NetServer;
  setup: ServeSetup;
  /** How messages name the model (e.g. `model.onnx`). */
  modelName: string;
  /** A process whose event loop stays blocked this long (a stuck run) is killed and restarted. */
  timeoutMs: number;
  /** Extra sentence for a crash event (e.g. the model's int4 output). */
  crashHint?: string;
  onLog(event: RequestLogEvent): void;
  onStderr?: (text: string) => void;
}

/** Crash-loop brake: restarts after a crash wait 100 ms, doubling up to this, reset by a healthy minute. */
const MAX_RESTART_DELAY_MS = 5_000;

interface Proc {
  child: ChildProcess;
  ready: boolean;
  lastSeen: number;
  killedFor: 'timeout' | null;
  startedAt: number;
}

export class OnnxServing {
  /** Serving processes started so far (1 after start; +1 after each crash or hang). */
  starts = 0;
  private proc: Proc | null = null;
  private readonly queued: Socket[] = [];
  private closing = false;
  private restartDelay = 100;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: NodeJS.Timeout;
  private pingNo = 0;
  private firstStart: { resolve: () => void; reject: (e: AppError) => void } | null = null;
  /** Whether the app reads the request log; every serving process is told, restarts included. */
  private logListening = false;
  private exited: (() => void) | null = null;

  constructor(private readonly options: OnnxServingOptions) {
    options.listening.on('connection', (socket: Socket) => this.onConnection(socket));
    const every = Math.max(20, Math.min(1000, Math.floor(options.timeoutMs / 4)));
    this.watchdog = setInterval(() => this.check(), every);
    this.watchdog.unref();
  }

  /** Starts the first process; resolves once it serves, rejects (with its stderr) if it dies first. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstStart = { resolve, reject };
      this.spawn();
    });
  }

  /**
   * Turns the serving process's request-log events on (someone listens) or off. Off by default:
   * at thousands of requests per second, events nobody reads cost the serving process real CPU.
   */
  setLogListening(on: boolean): void {
    if (on === this.logListening) return;
    this.logListening = on;
    const p = this.proc;
    if (p && p.child.connected) this.send(p, { type: 'log-listening', on });
  }

  /** Stops the process (it closes its connections) and the app's accept; the port is released. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const s of this.queued.splice(0)) s.destroy();
    // The app's close completes only once the connections it passed on are closed, which the serving
    // process does on `stop`: stop it first, then wait for both.
    const listeningClosed = new Promise<void>((resolve) => this.options.listening.close(() => resolve()));
    const p = this.proc;
    if (p && p.child.exitCode === null && p.child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => p.child.kill('SIGKILL'), 2_000);
        this.exited = () => {
          clearTimeout(force);
          resolve();
        };
        this.send(p, { type: 'stop' });
      });
    }
    await listeningClosed;
  }

  private spawn(): void {
    // Never inherit the parent's loaders or inspector flags (vitest, --inspect); profiling flags for
    // the serving process are asked for explicitly (PREFLIGHT_ONNX_CHILD_EXEC_ARGV).
    const child = startNodeWorker(this.options.workerPath, childExecArgv());
    this.starts += 1;
    const p: Proc = { child, ready: false, lastSeen: performance.now(), killedFor: null, startedAt: performance.now() };
    this.proc = p;
    watchProcess(child, { onStderr: this.options.onStderr, onEnd: (end) => this.onExit(p, end) });
    child.on('message', (m: FromServer) => this.onMessage(p, m));
    try {
      child.send({ type: 'serve', setup: this.options.setup } satisfies ToServer, this.options.listening);
      if (this.logListening) child.send({ type: 'log-listening', on: true } satisfies ToServer);
    } catch {
      child.kill('SIGKILL');
    }
  }

  private onMessage(p: Proc, m: FromServer): void {
    p.lastSeen = performance.now();
    if (m.type === 'serving') {
      p.ready = true;
      this.firstStart?.resolve();
      this.firstStart = null;
      for (const s of this.queued.splice(0)) this.pass(p, s);
    } else if (m.type === 'log') {
      for (const e of m.events) this.options.onLog(e);
    }
  }

  private onConnection(socket: Socket): void {
    const p = this.proc;
    if (p?.ready) this.pass(p, socket);
    else this.queued.push(socket); // answered by the next process once it serves
  }

  private pass(p: Proc, socket: Socket): void {
    try {
      p.child.send({ type: 'connection' } satisfies ToServer, socket, (err) => {
        if (err) socket.destroy();
      });
    } catch {
      socket.destroy();
    }
  }

  private send(p: Proc, m: ToServer): void {
    try {
      p.child.send(m, (err) => {
        if (err) p.child.kill('SIGKILL');
      });
    } catch {
      p.child.kill('SIGKILL');
    }
  }

  /** Liveness: a ping the process has not answered for `timeoutMs` means a run blocks its event loop. */
  private check(): void {
    const p = this.proc;
    if (!p?.ready || this.closing) return;
    if (performance.now() - p.lastSeen > this.options.timeoutMs) {
      p.killedFor = 'timeout';
      p.child.kill('SIGKILL');
      return;
    }
    this.send(p, { type: 'ping', n: ++this.pingNo });
  }

  private onExit(p: Proc, end: ProcessEnd): void {
    if (this.proc === p) this.proc = null;
    if (this.closing) {
      this.exited?.();
      return;
    }
    const name = this.options.modelName;
    const { how, exitCode: code, signal } = end;
    const tail = lastLines(end.stderrTail);
    if (!p.ready && this.firstStart) {
      this.firstStart.reject(
        new AppError(RunnerErrorCodes.RUNTIME_CRASHED, `${name}: the ONNX runtime process that serves this model stopped before it could serve (it ${how}).${tail ? ` Last runtime output: ${tail}` : ''}`, {
          details: { model: name, exitCode: code, signal, stderr: tail || undefined },
        }),
      );
      this.firstStart = null;
      return;
    }
    const error =
      p.killedFor === 'timeout'
        ? `${name}: a request kept the ONNX runtime busy for more than ${formatMs(this.options.timeoutMs)}, so Preflight stopped it and started a new one; the requests in flight got no answer (connection closed). Try a smaller input.`
        : `${name}: the ONNX runtime crashed while serving this model (the runtime process ${how}).` +
          (this.options.crashHint ? ` ${this.options.crashHint}` : '') +
          ' The requests in flight got no answer (connection closed); Preflight started a new runtime on the same port and keeps serving.' +
          (tail ? ` Last runtime output: ${tail}` : '');
    this.options.onLog({ time: new Date().toISOString(), method: '', path: '', status: 0, ms: 0, error });
    // A process that served for a minute was healthy: the next crash restarts it at once again.
    if (performance.now() - p.startedAt > 60_000) this.restartDelay = 100;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.closing) this.spawn();
    }, this.restartDelay);
    this.restartDelay = Math.min(MAX_RESTART_DELAY_MS, this.restartDelay * 2);
  }
}

/**
 * Opt-in flags for the serving process, e.g. `PREFLIGHT_ONNX_CHILD_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/p"`
 * to profile it while it serves (space-separated; read at each start so a restart keeps them).
 */
export function childExecArgv(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.PREFLIGHT_ONNX_CHILD_EXEC_ARGV;
  return raw ? raw.split(/\s+/).filter((a) => a.length > 0) : [];
}
