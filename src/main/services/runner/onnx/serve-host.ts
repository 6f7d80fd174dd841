/**
 * App side of an ONNX serving process (serve-protocol.ts): a `SupervisedChild` that listens on the
 * scoring server's port itself, relays the request log, and contains every way the process can fail. A
 * native crash (int4 outputs abort the process) or a run that blocks it past the timeout (a `ping` call
 * unanswered within `timeoutMs`: SupervisedChild's deadline kills it) ends with a new process on the same
 * port, and a log event that says so once the new process serves. Only the requests in flight at that
 * moment get no answer (and connections made while it restarts are refused).
 */
import { AppError, ErrorCodes } from '@shared/errors';
import type { NodeWorkerLauncher } from '../../../ports/worker-process';
import type { RequestLogEvent } from '../../http/scoring-http';
import { listenError } from '../../http/listen';
import { formatMs, lastLines } from '../../child/child-text';
import { SupervisedChild, type CallEnd, type ChildEnd } from '../../child/supervised-child';
import { forkNodeWorker } from '../../child/worker-process';
import { RunnerErrorCodes } from './runner-errors';
import type { FromServer, ServeSetup, ToServer } from './serve-protocol';

export interface OnnxServingOptions {
  workerPath: string;
  /** How the host starts Node workers (default `child_process.fork`; Electron: utilityProcess). */
  launch?: NodeWorkerLauncher;
  /** Where the serving process listens (port 0: any free port; restarts reuse the port it got). */
  listen: { host: string; port: number };
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
/** Loading onnxruntime and binding the port; a process that takes longer is stuck. */
const START_TIMEOUT_MS = 60_000;

type Call = 'start' | 'ping';

export class OnnxServing {
  /** The port it serves on (known once `start` resolved). */
  port = 0;
  private readonly child: SupervisedChild<ToServer, FromServer, Call>;
  /** A process is up and serving (pings only then: a call to a dead child would start a new one). */
  private serving = false;
  private closing = false;
  private pinging = false;
  private restartDelay = 100;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: NodeJS.Timeout;
  /** Whether the app reads the request log; every serving process is told, restarts included. */
  private logListening = false;
  /** A crash or hang not reported yet: reported once a new process serves (or cannot). */
  private unreported: RequestLogEvent | null = null;

  constructor(private readonly options: OnnxServingOptions) {
    const launch = options.launch ?? forkNodeWorker;
    this.child = new SupervisedChild({
      // Never inherit the parent's loaders or inspector flags (vitest, --inspect); profiling flags for
      // the serving process are asked for explicitly (PREFLIGHT_ONNX_CHILD_EXEC_ARGV), at every start.
      start: () => launch(options.workerPath, { name: 'onnx-serving', execArgv: childExecArgv() }),
      onStderr: options.onStderr,
      onEvent: (m) => {
        const msg = m as FromServer;
        if (msg.type === 'log') for (const e of msg.events) options.onLog(e);
      },
      onEnd: (end) => this.onEnd(end),
      failure: (end, call) => this.failure(end, call),
    });
    const every = Math.max(20, Math.min(1000, Math.floor(options.timeoutMs / 4)));
    this.watchdog = setInterval(() => this.check(), every);
    this.watchdog.unref();
  }

  /** How many serving processes were started (1 after start; +1 after each crash or hang). */
  get starts(): number {
    return this.child.starts;
  }

  /** Starts the first process; resolves with the port once it serves, rejects if it cannot listen or dies first. */
  async start(): Promise<number> {
    this.port = await this.serve(this.options.listen.port);
    return this.port;
  }

  /**
   * Turns the serving process's request-log events on (someone listens) or off. Off by default:
   * at thousands of requests per second, events nobody reads cost the serving process real CPU.
   */
  setLogListening(on: boolean): void {
    if (on === this.logListening) return;
    this.logListening = on;
    if (this.serving) this.child.notify({ type: 'log-listening', on });
  }

  /** Stops the process (it closes its connections and its port) and any pending restart. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.child.dispose({ farewell: { type: 'stop' }, graceMs: 2_000 });
  }

  private async serve(port: number): Promise<number> {
    const { host } = this.options.listen;
    const reply = await this.child.call({ type: 'serve', setup: this.options.setup, listen: { host, port }, logListening: this.logListening }, { timeoutMs: START_TIMEOUT_MS, context: 'start' });
    if (reply.type === 'listen-failed') {
      void this.child.dispose();
      throw listenError(reply.code, port) ?? new AppError(ErrorCodes.ENVIRONMENT, `${this.options.modelName}: the ONNX serving process could not listen on ${host}:${port} (${reply.message}).`);
    }
    if (reply.type !== 'serving') throw new AppError(ErrorCodes.INTERNAL, `${this.options.modelName}: the ONNX serving process answered with an unexpected '${reply.type}' message.`);
    this.serving = true;
    return reply.port;
  }

  /** Liveness: a ping not answered within `timeoutMs` means a run blocks the event loop; the deadline kills it. */
  private check(): void {
    if (!this.serving || this.closing || this.pinging || !this.child.running) return;
    this.pinging = true;
    this.child
      .call({ type: 'ping' }, { timeoutMs: this.options.timeoutMs, context: 'ping' })
      .catch(() => undefined) // its end is reported by onEnd
      .finally(() => (this.pinging = false));
  }

  private onEnd(end: ChildEnd): void {
    const wasServing = this.serving;
    this.serving = false;
    // Disposed (close, or a port it could not bind): nothing to restart.
    if (this.closing || end.killedFor === 'dispose') return;
    // The first start failed: `start` rejects with that.
    if (this.port === 0) return;
    this.report();
    const name = this.options.modelName;
    const error =
      end.killedFor === 'timeout' && wasServing
        ? `${name}: a request kept the ONNX runtime busy for more than ${formatMs(this.options.timeoutMs)}, so Preflight stopped it and started a new one; the requests in flight got no answer (connection closed). Try a smaller input.`
        : `${name}: the ONNX runtime crashed while serving this model (the runtime process ${end.how}).` +
          (this.options.crashHint ? ` ${this.options.crashHint}` : '') +
          ' The requests in flight got no answer (connection closed); Preflight started a new runtime on the same port and keeps serving.' +
          (end.stderrTail ? ` Last runtime output: ${lastLines(end.stderrTail)}` : '');
    this.unreported = { time: new Date().toISOString(), method: '', path: '', status: 0, ms: 0, error };
    // A process that served for a minute was healthy: the next crash restarts it at once again.
    if (performance.now() - end.startedAt > 60_000) this.restartDelay = 100;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.closing) return;
      this.serve(this.port).then(
        () => this.report(),
        (err: unknown) => {
          // Another program took the port while the runtime restarted: say so, and stop trying.
          if (err instanceof AppError && err.code === ErrorCodes.ENVIRONMENT) {
            this.report();
            this.options.onLog({ time: new Date().toISOString(), method: '', path: '', status: 0, ms: 0, error: `${name}: the ONNX runtime could not be restarted: ${err.message} Stop this server and start it again.` });
          }
          // A crash before serving is reported by onEnd, which schedules the next try.
        },
      );
    }, this.restartDelay);
    this.restartDelay = Math.min(MAX_RESTART_DELAY_MS, this.restartDelay * 2);
  }

  private report(): void {
    const event = this.unreported;
    this.unreported = null;
    if (event) this.options.onLog(event);
  }

  private failure(end: CallEnd, call: Call): Error {
    const name = this.options.modelName;
    if (call === 'ping') return new AppError(RunnerErrorCodes.TIMEOUT, `${name}: the ONNX serving process did not answer a health check.`);
    switch (end.kind) {
      case 'crash':
        return new AppError(RunnerErrorCodes.RUNTIME_CRASHED, `${name}: the ONNX runtime process that serves this model stopped before it could serve (it ${end.how}).${end.stderrTail ? ` Last runtime output: ${end.stderrTail}` : ''}`, {
          details: { model: name, exitCode: end.exitCode, signal: end.signal, stderr: end.stderrTail || undefined },
        });
      case 'timeout':
        return new AppError(RunnerErrorCodes.TIMEOUT, `${name}: the ONNX runtime process did not start serving within ${formatMs(end.timeoutMs)}, so Preflight stopped it.`, { details: { model: name } });
      case 'unavailable':
        return new AppError(ErrorCodes.ENVIRONMENT, `${name}: the ONNX runtime process could not be started or reached (${(end.error as Error)?.message ?? String(end.error)}). Check that the app's files are complete (onnx-worker.js, onnxruntime-node).`, { cause: end.error });
      default:
        return new AppError(ErrorCodes.CANCELLED, `${name}: the server was stopped before the ONNX runtime served.`, { details: { model: name } });
    }
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
