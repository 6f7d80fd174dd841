/**
 * How every worker's owner hears its process end — the ONNX worker and file reader (`SupervisedChild`), the
 * ONNX serving process (`OnnxServing`), the Python worker (`PythonWorker`): one end event whether the process
 * could not be started ('error' without a pid, after which Node emits no 'exit') or exited, delivered once and
 * after stderr has drained (a native abort's "FATAL ERROR: …" arrives last), with the tail of what it wrote to
 * stderr and the words for how it ended.
 */
import type { ChildProcess } from 'node:child_process';
import { STDERR_TAIL_CHARS } from './child-text';

export interface ProcessEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** `exited with code 1`, `was killed by signal SIGKILL`. */
  how: string;
  /** The last STDERR_TAIL_CHARS (or `tailChars`) characters the process wrote to stderr. */
  stderrTail: string;
  /** Set when the process never started (ENOENT, EACCES): why. */
  spawnError: unknown;
}

export interface WatchOptions {
  /** Each stderr chunk as it arrives (the app log, a line splitter). */
  onStderr?: (text: string) => void;
  /** 'exit' (default) for IPC workers; 'close' when the owner reads stdout to its end (the Python worker's answers). */
  endOn?: 'exit' | 'close';
  tailChars?: number;
  onEnd(end: ProcessEnd): void;
}

export interface Watched {
  /** What the process wrote to stderr so far (its last characters). */
  stderrTail(): string;
}

export function watchProcess(child: ChildProcess, options: WatchOptions): Watched {
  const tailChars = options.tailChars ?? STDERR_TAIL_CHARS;
  let tail = '';
  let ended = false;
  const end = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError: unknown): void => {
    if (ended) return;
    ended = true;
    const how = spawnError !== null ? 'could not be started' : signal ? `was killed by signal ${signal}` : `exited with code ${exitCode}`;
    setImmediate(() => options.onEnd({ exitCode, signal, how, stderrTail: tail, spawnError }));
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-tailChars);
    options.onStderr?.(chunk);
  });
  // A process that could not be spawned emits 'error' and never 'exit'; any later 'error' (a failed kill or
  // send) leaves a process the owner cannot trust, so it is ended and reported by its exit.
  child.on('error', (err) => (child.pid === undefined ? end(null, null, err) : child.kill('SIGKILL')));
  child.on(options.endOn ?? 'exit', (code: number | null, signal: NodeJS.Signals | null) => end(code, signal, null));
  return { stderrTail: () => tail };
}
