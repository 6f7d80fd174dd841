/**
 * The one place where Preflight starts its long-lived worker processes outside Electron: the Node workers
 * (the ONNX worker, the ONNX serving process, the batch file reader) with `child_process.fork`, and the
 * Python worker with `spawn`. Each comes back as a `WorkerProcess` (ports/worker-process.ts), which
 * `SupervisedChild` supervises; the Electron host passes its own `NodeWorkerLauncher` (utilityProcess,
 * src/main/electron/utility-worker.ts) instead of `forkNodeWorker`, so the packaged app never needs the
 * run-as-node fuse. `preflight/layers` keeps `fork`/`spawn` of workers in this folder.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import type { NodeWorkerLauncher, WorkerExit, WorkerProcess } from '../../ports/worker-process';
import { killGroup, ownGroupOptions, releasePipesAfterExit } from './process-group';

/**
 * `exitOn`: 'exit' for IPC workers; 'close' when stdout carries the answers and must be read to its end
 * (the Python worker). A process that could not be spawned emits 'error' and never 'exit'; any later
 * 'error' (a failed kill or send) leaves a process the owner cannot trust, so it is killed and reported by
 * its exit.
 */
function onChildExit(child: ChildProcess, exitOn: 'exit' | 'close', listener: (exit: WorkerExit) => void): void {
  let ended = false;
  const end = (exit: WorkerExit): void => {
    if (ended) return;
    ended = true;
    listener(exit);
  };
  child.on('error', (err) => (child.pid === undefined ? end({ exitCode: null, signal: null, spawnError: err }) : child.kill('SIGKILL')));
  child.on(exitOn, (exitCode: number | null, signal: NodeJS.Signals | null) => end({ exitCode, signal, spawnError: null }));
}

/**
 * `child_process.fork` of a bundled Node worker (`out/node/*.js`): IPC channel with advanced serialization
 * (typed arrays and bigints cross it), stderr piped for the owner's diagnostics, stdin/stdout closed.
 * Used by the CLI, the browser-mode host and the tests; in Electron it would need ELECTRON_RUN_AS_NODE.
 */
export const forkNodeWorker: NodeWorkerLauncher = (modulePath, options) => {
  const child = fork(modulePath, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [...(options.execArgv ?? [])] });
  return {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    send(message, onFailed) {
      try {
        child.send(message, (err) => err && onFailed(err));
      } catch (err) {
        onFailed(err as Error);
      }
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => onChildExit(child, 'exit', listener),
    kill: () => child.kill('SIGKILL'),
    keepHostAlive(on) {
      const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
      if (on) {
        child.ref();
        channel?.ref?.();
      } else {
        child.unref();
        channel?.unref?.();
      }
    },
  };
};

/**
 * How messages cross a stdio worker's pipes: `encode` makes the bytes for one message; `decoder` reads one
 * process's stdout back into messages. `broken`: bytes the decoder cannot trust, after which the process is
 * ended (its owner learns why through the callback it gave the codec).
 */
export interface StdioCodec {
  encode(message: object): Uint8Array | string;
  decoder(onMessage: (message: unknown) => void): { push(chunk: Buffer): void; readonly broken?: boolean };
}

export interface StdioWorkerOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  codec: StdioCodec;
}

/**
 * A program that runs user code (the Python worker) and exchanges messages over stdin/stdout in `codec`'s
 * form. It leads its own process group, so `kill` also ends the processes the model started; its end is
 * reported at 'close', once the answer on stdout was read to its end.
 */
export function startStdioWorker(command: string, args: readonly string[], options: StdioWorkerOptions): WorkerProcess {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, ...ownGroupOptions() });
  releasePipesAfterExit(child);
  // A write to a process that just died fails with EPIPE; its end is reported by onExit.
  child.stdin.on('error', () => undefined);
  const listeners: ((m: unknown) => void)[] = [];
  const decoder = options.codec.decoder((message) => {
    for (const listener of listeners) listener(message);
  });
  child.stdout.on('data', (d: Buffer) => {
    decoder.push(d);
    if (decoder.broken) killGroup(child);
  });
  return {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    // A process whose input is gone is exiting: its end (after stdout was read) fails the call with how it ended.
    send: (message) => void (child.stdin.writable && child.stdin.write(options.codec.encode(message))),
    onMessage: (listener) => listeners.push(listener),
    onExit: (listener) => onChildExit(child, 'close', listener),
    kill: () => killGroup(child),
    // Its pipes hold the host's event loop whatever the process's ref says; owners dispose it.
    keepHostAlive: () => undefined,
  };
}
