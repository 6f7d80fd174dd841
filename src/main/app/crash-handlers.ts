/**
 * Last-resort handlers for the plain-Node hosts (CLI, browser-mode host): an error nothing caught
 * gets one clear line instead of a stack dump and a dead process (issue 12 item 1).
 *
 * - CLI: any uncaught exception or unhandled rejection prints `preflight: internal error: …` and exits
 *   with code 3 (the CLI's code for "could not do the job here"; README "Exit codes"), after stopping the
 *   worker processes it started.
 * - Browser-mode host: an unhandled rejection is logged and the host keeps serving — it is a promise
 *   nobody awaited (a request's own failure already reached its caller as an error envelope), and the
 *   page would otherwise lose its backend mid-session. An uncaught exception stops the host cleanly
 *   (servers closed, workers stopped, exit code 1): after one, Node's state is undefined (Node's docs:
 *   "it is not safe to resume normal operation"), and a host that keeps answering from broken state is
 *   worse than one that says it stopped.
 */

export interface CrashTarget {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
}

export interface CrashHandlerOptions {
  /** Prefix of every line, e.g. "preflight" or "preflight host". */
  name: string;
  /** Writes one line to the terminal (stderr). */
  write: (line: string) => void;
  /** Full error with stack, for the log file / PREFLIGHT_DEBUG. */
  log?: (message: string, err: unknown) => void;
  /** What an unhandled rejection does: 'exit' (CLI) or 'continue' (host keeps serving). */
  onRejection: 'exit' | 'continue';
  /** Stops child processes and servers; then `exit(code)`. Called at most once. */
  shutdown: (code: number) => void;
  exitCode: number;
}

const describe = (err: unknown): string => (err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err));

export function installCrashHandlers(target: CrashTarget, o: CrashHandlerOptions): void {
  let stopping = false;
  const stop = (what: string, err: unknown): void => {
    o.log?.(`${what}`, err);
    o.write(`${o.name}: internal error (${what}): ${describe(err)}. This is a bug in Preflight, not in your model or files; please report it with the command you ran (PREFLIGHT_DEBUG=1 prints the stack).`);
    if (stopping) return;
    stopping = true;
    o.shutdown(o.exitCode);
  };
  target.on('uncaughtException', (err) => stop('uncaught exception', err));
  target.on('unhandledRejection', (err) => {
    if (o.onRejection === 'exit') return stop('unhandled promise rejection', err);
    o.log?.('unhandled promise rejection (host keeps serving)', err);
    o.write(`${o.name}: warning: an operation failed in the background and was ignored: ${describe(err)}. The host keeps serving; please report this.`);
  });
}
