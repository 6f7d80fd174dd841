/**
 * The parent side of the file-reader process: parquet footers and row ranges decoded in a separate,
 * heap-limited process under a deadline (a `SupervisedChild`, as the ONNX worker). Whatever a corrupted
 * file does to the decoder — loop forever, exhaust memory, throw — the caller gets an AppError naming
 * the file, what is wrong and what to do, and the next call gets a fresh process.
 *
 *   const reader = new FileReader({ workerPath });            // out/node/file-worker.js
 *   const meta = await reader.openParquet(path, { signal });
 *   const rows = await reader.readParquet(path, 0, 10_000, { signal });
 */
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCodes } from '@shared/errors';
import { SupervisedChild, type CallEnd } from '../../child/supervised-child';
import { formatMs } from '../../child/child-text';
import { forkNodeWorker } from '../../child/worker-process';
import type { NodeWorkerLauncher } from '../../../ports/worker-process';
import type { FromReader, ParquetColumnInfo, ToReader } from './reader-protocol';

/** Per call: a footer, or one chunk of rows. Generous for valid files; a decoder in an endless loop never finishes. */
export const DEFAULT_READ_TIMEOUT_MS = 60_000;
/** Heap of the reader process: a corrupted length field can ask for gigabytes; only the reader dies. */
export const READER_HEAP_MB = 2048;

export interface FileReaderOptions {
  /** The bundled reader entry (`file-worker.js`). Default: beside this module's bundle. */
  workerPath?: string;
  timeoutMs?: number;
  heapMb?: number;
  /** How the host starts Node workers (default `child_process.fork`; Electron: utilityProcess). */
  launch?: NodeWorkerLauncher;
}

interface Context {
  path: string;
  /** What the call was doing, for the message: "reading its footer", "decoding rows 0–9999". */
  doing: string;
  timeoutMs: number;
  heapMb: number;
}

type Request = ToReader extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

export class FileReader {
  private readonly child: SupervisedChild<Request, FromReader, Context>;
  readonly timeoutMs: number;
  private readonly heapMb: number;

  constructor(options: FileReaderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.heapMb = options.heapMb ?? READER_HEAP_MB;
    const modulePath = options.workerPath ?? fileURLToPath(new URL('./file-worker.js', import.meta.url));
    const launch = options.launch ?? forkNodeWorker;
    const execArgv = [`--max-old-space-size=${this.heapMb}`];
    this.child = new SupervisedChild({ start: () => launch(modulePath, { name: 'file-reader', execArgv }), failure: readerFailure });
  }

  /** How many reader processes were started (tests prove restarts with it). */
  get starts(): number {
    return this.child.starts;
  }

  async openParquet(path: string, opts: { signal?: AbortSignal } = {}): Promise<{ rows: number; columns: ParquetColumnInfo[] }> {
    const m = await this.call({ type: 'parquet-open', path }, path, 'reading its footer', opts.signal);
    if (m.type !== 'parquet-opened') throw unexpected(path, m);
    return { rows: m.rows, columns: m.columns };
  }

  async readParquet(path: string, rowStart: number, rowEnd: number, opts: { signal?: AbortSignal } = {}): Promise<unknown[][]> {
    const m = await this.call({ type: 'parquet-read', path, rowStart, rowEnd }, path, `decoding rows ${rowStart}–${rowEnd - 1}`, opts.signal);
    if (m.type !== 'rows') throw unexpected(path, m);
    return m.rows;
  }

  dispose(): void {
    void this.child.dispose();
  }

  private async call(req: Request, path: string, doing: string, signal: AbortSignal | undefined): Promise<FromReader> {
    const m = await this.child.call(req, { timeoutMs: this.timeoutMs, signal, context: { path, doing, timeoutMs: this.timeoutMs, heapMb: this.heapMb } });
    if (m.type === 'error') throw corrupt(path, m.message);
    return m;
  }
}

const REEXPORT = 'Check that the file was copied completely, re-export it from its source (e.g. pandas.DataFrame.to_parquet), or convert it to CSV.';

function corrupt(path: string, what: string): AppError {
  return new AppError(ErrorCodes.INVALID_FILE, `Error processing input file: '${path}'. The parquet file is corrupted or truncated: ${what}. ${REEXPORT}`, { details: { file: path } });
}

function unexpected(path: string, m: FromReader): AppError {
  return new AppError(ErrorCodes.INTERNAL, `Error processing input file: '${path}'. The file reader answered with an unexpected '${m.type}' message.`, { details: { file: path } });
}

function readerFailure(end: CallEnd, ctx: Context): AppError {
  const head = `Error processing input file: '${ctx.path}'.`;
  const details = { file: ctx.path };
  switch (end.kind) {
    case 'cancel':
      return new AppError(ErrorCodes.CANCELLED, `${head} Reading was cancelled.`, { details });
    case 'timeout':
      return new AppError(
        ErrorCodes.INVALID_FILE,
        `${head} ${ctx.doing[0]!.toUpperCase()}${ctx.doing.slice(1)} did not finish within ${formatMs(end.timeoutMs)}, so Preflight stopped the file reader. ` +
          `The file is probably corrupted (a damaged data page can make a parquet decoder loop forever): ${REEXPORT} ` +
          `If it is a valid file with very large row groups, allow more time with --read-timeout <seconds> (CLI).`,
        { details: { ...details, timeoutMs: end.timeoutMs } },
      );
    case 'collateral':
      return new AppError(ErrorCodes.CANCELLED, `${head} The file reader was restarted while ${ctx.doing}. Run the job again.`, { details });
    case 'crash':
      return new AppError(
        ErrorCodes.INVALID_FILE,
        `${head} The file reader stopped while ${ctx.doing} (the reader process ${end.how}${end.stderrTail ? `: ${end.stderrTail}` : ''}). ` +
          `A corrupted length field can make the decoder ask for more than the reader's ${ctx.heapMb} MB of memory: ${REEXPORT}`,
        { details: { ...details, exitCode: end.exitCode, signal: end.signal } },
      );
    case 'unavailable':
      return new AppError(ErrorCodes.ENVIRONMENT, `${head} The file reader process could not be started or reached (${(end.error as Error)?.message ?? String(end.error)}). Check that the app's files are complete (file-worker.js).`, { cause: end.error, details });
  }
}
