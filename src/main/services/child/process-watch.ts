/**
 * How `SupervisedChild` hears a worker process end — the ONNX worker, the ONNX serving process, the file
 * reader, the Python worker: one end event whether the process could not be started or exited, delivered
 * once and after stderr has drained (a native abort's "FATAL ERROR: …" arrives last), with the tail of
 * what it wrote to stderr and the words for how it ended.
 */
import type { WorkerProcess } from '../../ports/worker-process';
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
  tailChars?: number;
  onEnd(end: ProcessEnd): void;
}

export interface Watched {
  /** What the process wrote to stderr so far (its last characters). */
  stderrTail(): string;
}

export function watchProcess(worker: WorkerProcess, options: WatchOptions): Watched {
  const tailChars = options.tailChars ?? STDERR_TAIL_CHARS;
  let tail = '';
  worker.stderr?.setEncoding('utf8');
  worker.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-tailChars);
    options.onStderr?.(chunk);
  });
  worker.onExit(({ exitCode, signal, spawnError }) => {
    const how = spawnError !== null ? 'could not be started' : signal ? `was killed by signal ${signal}` : `exited with code ${exitCode}`;
    setImmediate(() => options.onEnd({ exitCode, signal, how, stderrTail: tail, spawnError }));
  });
  return { stderrTail: () => tail };
}
