/**
 * A JSON-lines codec for `startStdioWorker`: the transport tests drive small Node programs with it (the
 * Python worker itself speaks frames, runner/python/worker-frames.ts).
 */
import type { WorkerProcess } from '../../src/main/ports/worker-process';
import { startStdioWorker, type StdioCodec } from '../../src/main/services/child/worker-process';

/** One JSON object per line; a line that is not JSON (a stray print) goes to `onStrayLine`. */
export function jsonLinesCodec(onStrayLine: (line: string) => void): StdioCodec {
  return {
    encode: (message) => JSON.stringify(message) + '\n',
    decoder(onMessage) {
      // Only the new chunk is searched: a 10 000-row answer arrives as one long line in many chunks.
      let partial: string[] = [];
      return {
        push(chunk) {
          const d = chunk.toString('utf8');
          if (d.indexOf('\n') < 0) {
            partial.push(d);
            return;
          }
          const lines = (partial.join('') + d).split('\n');
          partial = [];
          const rest = lines.pop()!;
          if (rest) partial.push(rest);
          for (const l of lines) {
            const line = l.trim();
            if (!line) continue;
            let message: unknown;
            try {
              message = JSON.parse(line);
            } catch {
              onStrayLine(line);
              continue;
            }
            onMessage(message);
          }
        },
      };
    },
  };
}

export interface JsonLinesWorkerOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** A stdout line that is not JSON (a model's stray print): passed on for the log. */
  onStrayLine(line: string): void;
}

/** `startStdioWorker` speaking JSON lines. */
export function startJsonLinesWorker(command: string, args: readonly string[], options: JsonLinesWorkerOptions): WorkerProcess {
  return startStdioWorker(command, args, { cwd: options.cwd, env: options.env, codec: jsonLinesCodec(options.onStrayLine) });
}
