/**
 * The one place where Preflight starts its long-lived worker processes: the Node workers (the ONNX worker, the
 * ONNX serving process, the batch file reader) and the Python worker. Supervision stays with each owner
 * (`SupervisedChild` for request/reply workers, `OnnxServing` for the serving process, `PythonWorker` for the
 * JSON-lines worker); starting them here keeps one set of options (no inherited loaders or inspector flags,
 * advanced serialization, a process group for code that may start processes of its own) and one seam where
 * a host can swap how a Node worker is started (Electron's utilityProcess instead of run-as-node `fork`).
 * `preflight/layers` keeps `fork`/`spawn` of workers in this folder.
 */
import { fork, spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ownGroupOptions } from './process-group';

/**
 * Starts a bundled Node worker (`out/node/*.js`) with an IPC channel (advanced serialization: typed arrays
 * and socket handles cross it), stderr piped for the owner's diagnostics, stdin/stdout closed.
 * `execArgv` never inherits the parent's (vitest's loaders, `--inspect`); pass what the worker needs.
 */
export function startNodeWorker(modulePath: string, execArgv: readonly string[] = []): ChildProcess {
  // In Electron, fork() runs Electron's own binary as plain Node (ELECTRON_RUN_AS_NODE). utilityProcess is not
  // used yet: the ONNX serving process is handed a listening socket, which only child_process IPC can pass.
  return fork(modulePath, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [...execArgv] });
}

/**
 * Starts a program that runs user code (the Python worker) with piped stdio, as the leader of its own process
 * group, so ending it (`killGroup`) also ends the processes the model started.
 */
export function startGroupedWorker(command: string, args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams {
  return spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, ...ownGroupOptions() });
}
