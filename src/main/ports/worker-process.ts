/**
 * A worker process as its supervisor sees it, whatever started it: a bundled Node worker forked by
 * `child_process.fork` (CLI, browser-mode host, tests) or by Electron's `utilityProcess.fork` (the
 * Electron main process, where `fork` would need the run-as-node fuse), or the Python worker speaking JSON
 * lines over stdio. `SupervisedChild` (services/child/) owns every such process through this shape only.
 */
import type { Readable } from 'node:stream';

/** How the process ended. `spawnError`: it never started (ENOENT, EACCES); Node sends no exit then. */
export interface WorkerExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  spawnError: unknown;
}

export interface WorkerProcess {
  readonly pid: number | undefined;
  /** What the process writes to stderr (null where it is not piped). */
  readonly stderr: Readable | null;
  /**
   * Sends one message (structured clone: typed arrays and bigints cross as they are). A channel that is
   * already gone calls `onFailed` (now or later) instead of throwing.
   */
  send(message: object, onFailed: (error: Error) => void): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, after the process is gone and whatever it wrote to stdout/stderr was read. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Ends the process and whatever it started (SIGKILL; its process group where it leads one). */
  kill(): void;
  /** Whether the process keeps the host alive while idle: a CLI must exit when its work is done. */
  keepHostAlive(on: boolean): void;
}

export interface NodeWorkerOptions {
  /** Node flags for the worker, never inherited from the host (vitest's loaders, --inspect). */
  execArgv?: readonly string[];
  /** For the OS and diagnostics: `onnx-worker`, `onnx-serving`, `file-reader`. */
  name: string;
}

/**
 * Starts a bundled Node worker entry (`out/node/*.js`) with a message channel to it. The worker talks back
 * through `parentChannel()` (services/child/parent-channel.ts), which works under either launcher.
 */
export type NodeWorkerLauncher = (modulePath: string, options: NodeWorkerOptions) => WorkerProcess;
