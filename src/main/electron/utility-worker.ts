/**
 * The Electron host's `NodeWorkerLauncher`: Node workers (ONNX worker, ONNX serving process, file reader)
 * start with Electron's `utilityProcess.fork`, a Node.js child the browser process owns. Unlike
 * `child_process.fork` it does not run the app's own binary as plain Node, so the packaged app ships with
 * the run-as-node fuse off (build/fuses.mjs). Messages cross as structured clones (typed arrays, bigints);
 * the worker answers through `process.parentPort` (services/child/parent-channel.ts).
 */
import type { Readable } from 'node:stream';
import type { NodeWorkerLauncher, WorkerExit } from '../ports/worker-process';

/** The part of Electron's UtilityProcess this launcher uses (a fake of it drives the unit test). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  once(event: 'spawn', listener: () => void): unknown;
}

export type UtilityFork = (modulePath: string, args: string[], options: { execArgv: string[]; stdio: ['ignore', 'ignore', 'pipe']; serviceName: string }) => UtilityProcessLike;

/**
 * `forkUtility` is `utilityProcess.fork` (main.ts passes it; this module does not import electron, so a
 * fake can stand in for it where no Electron binary exists).
 */
export function utilityWorkerLauncher(forkUtility: UtilityFork): NodeWorkerLauncher {
  return (modulePath, options) => {
    const child = forkUtility(modulePath, [], { execArgv: [...(options.execArgv ?? [])], stdio: ['ignore', 'ignore', 'pipe'], serviceName: `Preflight ${options.name}` });
    let exited = false;
    const exitListeners: ((exit: WorkerExit) => void)[] = [];
    child.on('exit', (code) => {
      exited = true;
      // Electron reports the waitpid status as a number only: a kill shows as an exit code, not a signal.
      for (const l of exitListeners) l({ exitCode: code, signal: null, spawnError: null });
    });
    // Read before 'exit': Electron sets stderr to null once the process is gone.
    const stderr = child.stderr as Readable | null;
    return {
      get pid() {
        return child.pid;
      },
      stderr,
      send(message, onFailed) {
        if (exited) return onFailed(new Error('the worker process has exited'));
        try {
          child.postMessage(message);
        } catch (err) {
          onFailed(err as Error);
        }
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill() {
        // utilityProcess.kill() is SIGTERM; a worker stuck in a CPU loop must go at once, as with fork.
        const pid = child.pid;
        try {
          if (pid !== undefined) process.kill(pid, 'SIGKILL');
          else child.kill();
        } catch {
          child.kill();
        }
      },
      // The Electron main process lives until the app quits, busy workers or not.
      keepHostAlive: () => undefined,
    };
  };
}
