/**
 * `BatchService`: the offline equivalent of an Azure ML batch deployment of an MLflow model
 * (payloads.md §7, issue 4 "Batch"). Every input file is read as a DataFrame and scored; the rows go to
 * one predictions.csv (`row`, `prediction`, `file_name`) and a summary.json lands beside it.
 *
 *   const batch = new BatchService({ pythonWorkerScript });
 *   const summary = await batch.run({ modelPath, input: 'data/', outDir: 'out/' }, { onProgress });
 *
 * Differences from Azure, on purpose: Azure calls predict once per file; Preflight scores each file in
 * chunks (default 10 000 rows) so memory stays bounded whatever the file size. A row-wise model gives the
 * same predictions either way. Problems found before any file is read (model or input missing, bad
 * options, an output path that is an input or a file Preflight did not write) throw AppError — with a
 * failed summary.json too, except when the output path itself was refused; a job that starts and then fails (unsupported file type, a value the
 * signature rejects, the model raising) returns a `failed` summary and leaves no predictions file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import type { Frame } from '@shared/mlflow/payload/frame';
import { silentLogger, type Logger } from '../../ports/logger';
import { ModelService } from '../model/model-service';
import { OnnxEngine } from '../runner/onnx/onnx-engine';
import { PythonEngine } from '../runner/python/python-engine';
import type { ModelReader } from '../../ports/model-reader';
import { writeFileAtomic } from '../store/atomic-file';
import {
  BATCH_PREVIEW_ROWS,
  DEFAULT_CHUNK_ROWS, DEFAULT_OUTPUT_FILE_NAME, SUMMARY_FILE_NAME,
  type BatchFileResult, type BatchProgress, type BatchRequest, type BatchSummary, type OutputAction,
} from './batch-types';
import { CsvChunkError, csvChunkFrame } from './csv-frames';
import { CsvRecordTooLongError, openCsvRecords } from './csv-records';
import { parseCsvRows } from '@shared/mlflow/payload/csv';
import { csvLimits } from '@shared/mlflow/payload/limits';
import { listInputFiles, type InputFile } from './input-files';
import { openModelScorer, SchemaEnforcementError, type ModelScorer } from './model-scorer';
import { FileReader } from './file-reader/file-reader';
import { checkBatchOutputs } from './output-guard';
import { openParquet, type ParquetSource } from './parquet-frames';
import { PredictionsFile } from './predictions-file';
import { removeStaleTemps } from './stale-temps';
import { DiscoveryCache } from '../runner/python/discovery-cache';
import type { NodeWorkerLauncher } from '../../ports/worker-process';
import { pushAll } from '@shared/arrays';
import { formatCount } from '@shared/format-count';

export interface BatchServiceOptions {
  models?: ModelReader;
  /** Shared ONNX engine; default: one created on first use (with `onnxWorkerPath` when given). */
  onnx?: OnnxEngine;
  onnxWorkerPath?: string;
  /** How the host starts Node workers (default `child_process.fork`; the Electron host: utilityProcess). */
  launchNodeWorker?: NodeWorkerLauncher;
  /** `resources/python/preflight_worker.py`, for models that need Python. */
  pythonWorkerScript?: string;
  python?: PythonEngine;
  /** Model-folder trust for Python models (FolderTrust.gate); none: no gate. */
  trust?: (modelDir: string) => Promise<void>;
  /**
   * The "Python interpreter" setting, else discovery (PREFLIGHT_PYTHON, venv, PATH). A getter (as the
   * runner takes) is read when each job starts, so a change in the app applies to the next job.
   */
  pythonSetting?: string | null | (() => string | null);
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Decodes parquet files in a separate process under a deadline; default: one created on first use. */
  fileReader?: FileReader;
  /** The bundled reader (`file-worker.js`); default: beside this module's bundle. */
  fileWorkerPath?: string;
  /** Deadline for reading one parquet footer or chunk (ms). Default 60 000. */
  readTimeoutMs?: number;
  /** Minimum time between two progress events (ms). Default 100 (≤ 10 per second). */
  progressIntervalMs?: number;
}

export interface RunOptions {
  /** Chosen by the caller so it can cancel before `run` resolves; default a random UUID. */
  jobId?: string;
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
}

const MAX_CHUNK_ROWS = 1_000_000;
/** Fields typed per CSV chunk at most: about half a second of parsing on the main thread, a few hundred MB at worst. */
const CSV_CHUNK_FIELDS = 2_000_000;

/** A failure inside one file, already worded the way Azure logs it. */
class FileFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly file: InputFile,
  ) {
    super(message);
  }
}

export class BatchService {
  private readonly models: ModelReader;
  private onnxEngine: OnnxEngine | null;
  private pythonEngine: PythonEngine | null;
  private reader: FileReader | null;
  private readonly jobs = new Map<string, AbortController>();
  private readonly log: Logger;
  /** Interpreter discovery per model, kept across jobs (issue 11); forgotten when a job of that model fails. */
  private readonly discoveries = new DiscoveryCache();

  constructor(private readonly options: BatchServiceOptions = {}) {
    this.log = options.logger ?? silentLogger;
    this.models = options.models ?? new ModelService(this.log);
    this.onnxEngine = options.onnx ?? null;
    this.pythonEngine = options.python ?? null;
    this.reader = options.fileReader ?? null;
  }

  /** Jobs currently running. */
  get running(): string[] {
    return [...this.jobs.keys()];
  }

  /** Cancels a running job; false when no such job runs. The job's `run` resolves with status `cancelled`. */
  cancel(jobId: string): boolean {
    const c = this.jobs.get(jobId);
    if (!c) return false;
    c.abort();
    return true;
  }

  /** Runs one job to the end (or its failure / cancellation) and returns its summary. */
  async run(req: BatchRequest, opts: RunOptions = {}): Promise<BatchSummary> {
    const started = performance.now();
    const jobId = opts.jobId ?? randomUUID();
    if (this.jobs.has(jobId)) throw new AppError(ErrorCodes.INVALID_INPUT, `A batch job with id '${jobId}' is already running.`);
    const chunkRows = checkChunkRows(req.chunkRows);
    const outputFileName = checkOutputFileName(req.outputFileName);
    const outputAction: OutputAction = req.outputAction ?? 'append_row';
    const modelPath = resolve(req.modelPath);
    const input = resolve(req.input);
    const outDir = resolve(req.outDir);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) controller.abort();
    this.jobs.set(jobId, controller);
    const signal = controller.signal;
    try {
      return await this.execute({ jobId, modelPath, input, outDir, chunkRows, outputFileName, outputAction, overwrite: req.overwrite === true, started, signal, onProgress: opts.onProgress });
    } finally {
      this.jobs.delete(jobId);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops the engines' worker processes. */
  async dispose(): Promise<void> {
    for (const c of this.jobs.values()) c.abort();
    this.discoveries.clear();
    if (!this.options.onnx) this.onnxEngine?.dispose();
    this.onnxEngine = this.options.onnx ?? null;
    if (!this.options.python) await this.pythonEngine?.dispose();
    this.pythonEngine = this.options.python ?? null;
    if (!this.options.fileReader) this.reader?.dispose();
    this.reader = this.options.fileReader ?? null;
  }

  private fileReader(): FileReader {
    this.reader ??= new FileReader({ workerPath: this.options.fileWorkerPath, timeoutMs: this.options.readTimeoutMs, launch: this.options.launchNodeWorker });
    return this.reader;
  }

  private onnx(): OnnxEngine {
    this.onnxEngine ??= new OnnxEngine({ workerPath: this.options.onnxWorkerPath, launch: this.options.launchNodeWorker });
    return this.onnxEngine;
  }

  private pythonSetting(): string | null {
    const s = this.options.pythonSetting;
    return typeof s === 'function' ? s() : (s ?? null);
  }

  private python(): PythonEngine {
    if (!this.pythonEngine) {
      if (!this.options.pythonWorkerScript) throw new AppError(ErrorCodes.ENVIRONMENT, "This model needs Python, and this Preflight host was started without its Python worker script (resources/python/preflight_worker.py).");
      this.pythonEngine = new PythonEngine({ workerScript: this.options.pythonWorkerScript, logger: this.log, trust: this.options.trust });
    }
    return this.pythonEngine;
  }

  private async execute(job: {
    jobId: string; modelPath: string; input: string; outDir: string; chunkRows: number; outputFileName: string; outputAction: OutputAction;
    overwrite: boolean; started: number; signal: AbortSignal; onProgress?: (p: BatchProgress) => void;
  }): Promise<BatchSummary> {
    const { jobId, outDir, signal } = job;
    const summaryPath = join(outDir, SUMMARY_FILE_NAME);
    const notes: string[] = [];
    const files: BatchFileResult[] = [];
    let rowsDone = 0;
    let bytesDone = 0;
    let bytesTotal = 0;
    const preview: BatchSummary['preview'] = [];
    let engine: BatchSummary['engine'] = 'onnx';
    const summary = (status: BatchSummary['status'], error: BatchSummary['error'], predictionsPath: string | null): BatchSummary => ({
      jobId, status, modelPath: job.modelPath, input: job.input, outDir, outputAction: job.outputAction, predictionsPath, summaryPath, engine,
      chunkRows: job.chunkRows, files, rows: rowsDone, ms: Math.round(performance.now() - job.started), error, notes, preview,
    });

    // The input is listed first so that no output path can be, or contain, an input (issue 12 item 2).
    let listing: Awaited<ReturnType<typeof listInputFiles>> | null = null;
    let listingFailure: AppError | null = null;
    try {
      listing = await listInputFiles(job.input);
    } catch (err) {
      if (!isAppError(err)) throw err;
      listingFailure = err;
    }
    const outputNames = job.outputAction === 'append_row' ? [job.outputFileName, SUMMARY_FILE_NAME] : [SUMMARY_FILE_NAME];
    await checkBatchOutputs({ outDir, input: job.input, inputFiles: listing?.files.map((f) => f.path) ?? [job.input], fileNames: outputNames, overwrite: job.overwrite });
    // A job that stops before scoring (missing input, a model that cannot load) throws its error to the caller,
    // and its summary.json says the same, as for every job that fails (issue 12).
    const failBeforeStart = async (err: unknown): Promise<never> => {
      if (!signal.aborted && !(isAppError(err) && err.code === ErrorCodes.CANCELLED)) {
        const error = { code: isAppError(err) ? err.code : ErrorCodes.INTERNAL, message: err instanceof Error ? err.message : String(err), file: null };
        await mkdir(outDir, { recursive: true }).then(() => this.writeSummary(summary('failed', error, null)), () => {});
      }
      throw err;
    };
    if (listingFailure && listingFailure.code !== ErrorCodes.INVALID_PAYLOAD) await failBeforeStart(listingFailure);
    const scorer = await openModelScorer(job.modelPath, {
      models: this.models, onnx: () => this.onnx(), python: () => this.python(), pythonSetting: this.pythonSetting(), env: this.options.env, discoveries: this.discoveries,
    }, { signal }).catch((err: unknown) => {
      this.discoveries.clear();
      return failBeforeStart(err);
    });
    engine = scorer.engine;
    if (!scorer.schema) notes.push('The model has no signature: column types are not enforced (as in Azure ML), each column keeps the dtype pandas infers.');
    notes.push(
      `Azure calls predict once per file; Preflight scores each file in chunks of ${job.chunkRows} rows to keep memory bounded. A row-wise model gives the same predictions; a model that looks across rows may not.` +
        (scorer.schema ? '' : ' Without a signature, CSV column types are inferred per chunk (like pandas with low_memory=True), so a column may change dtype between chunks.'),
    );
    await mkdir(outDir, { recursive: true }).catch((err: unknown) => {
      throw new AppError(ErrorCodes.UNREADABLE, `Cannot create the output folder ${outDir} (${(err as Error).message}).`, { cause: err });
    });

    const stale = await removeStaleTemps(outDir, outputNames);
    if (stale.length) notes.push(`Removed ${stale.length} unfinished temp file(s) left in the output folder by an earlier job that was killed: ${stale.join(', ')}.`);

    if (!listing) {
      const err = listingFailure!;
      const file = (err.details as { file?: string } | undefined)?.file ?? null;
      const s = summary('failed', { code: err.code, message: err.message, file }, null);
      await this.writeSummary(s);
      return s;
    }
    pushAll(notes, listing.notes);
    const inputFiles = listing.files;

    // Row totals are known up front for parquet only (its footer); CSV totals would need a full pre-read.
    const parquet = new Map<string, ParquetSource>();
    let rowsTotal: number | null = null;
    const progress = throttle(job.onProgress, this.options.progressIntervalMs ?? 100);
    const emit = (file: string | null, force: boolean): void =>
      progress({ jobId, file, rowsDone, rowsTotal, filesDone: files.length, filesTotal: inputFiles.length, bytesDone: Math.min(bytesDone, bytesTotal), bytesTotal, elapsedMs: Math.round(performance.now() - job.started) }, force);

    const out = job.outputAction === 'append_row' ? await PredictionsFile.create(outDir, job.outputFileName) : null;
    let current: InputFile | null = null;
    try {
      if (inputFiles.every((f) => f.format === 'parquet')) {
        rowsTotal = 0;
        for (const f of inputFiles) {
          current = f;
          const src = await openParquet(this.fileReader(), f.path, f.name, { signal });
          parquet.set(f.path, src);
          rowsTotal += src.rows;
        }
      }
      const sizes = await Promise.all(inputFiles.map((f) => stat(f.path).then((s) => s.size, () => 0)));
      bytesTotal = sizes.reduce((a, b) => a + b, 0);
      emit(null, true);
      for (const [i, f] of inputFiles.entries()) {
        current = f;
        const t0 = performance.now();
        const bytesBefore = bytesDone;
        emit(f.name, true);
        let fileRows = 0;
        const onChunk = async (frame: Frame, firstRow: number): Promise<void> => {
          if (signal.aborted) throw cancelled();
          if (frame.nrows === 0) return;
          const cells = await scorer.score(frame, { signal });
          if (out) await out.append(f.name, firstRow, cells);
          for (let k = 0; k < cells.length && preview.length < BATCH_PREVIEW_ROWS; k++) preview.push({ row: firstRow + k, prediction: cells[k]!, file_name: f.name });
          fileRows += frame.nrows;
          rowsDone += frame.nrows;
          emit(f.name, false);
        };
        try {
          // CSV reports the bytes of each chunk it read; parquet's progress is in rows (known from its footer).
          if (f.format === 'csv') await readCsv(f, job.chunkRows, scorer, onChunk, signal, notes, (n) => (bytesDone = Math.min(bytesBefore + sizes[i]!, bytesDone + n)));
          else await readParquet(parquet.get(f.path) ?? (await openParquet(this.fileReader(), f.path, f.name, { signal })), job.chunkRows, onChunk);
        } catch (err) {
          files.push({ file: f.name, path: f.path, format: f.format, status: 'failed', rows: fileRows, ms: Math.round(performance.now() - t0), error: null });
          throw err;
        }
        files.push({ file: f.name, path: f.path, format: f.format, status: 'succeeded', rows: fileRows, ms: Math.round(performance.now() - t0), error: null });
        bytesDone = bytesBefore + sizes[i]!;
        emit(null, true);
      }
      if (out) await out.commit();
    } catch (err) {
      await out?.discard();
      const wasCancelled = signal.aborted || (isAppError(err) && err.code === ErrorCodes.CANCELLED);
      // The failure may be the environment's (a package missing): the next job looks for an interpreter again.
      if (!wasCancelled) this.discoveries.clear();
      const failure = wasCancelled ? null : asFileFailure(err, current);
      if (failure && files.length && files[files.length - 1]!.status === 'failed') files[files.length - 1]!.error = failure.message;
      const nothing = job.outputAction === 'append_row' ? ` No ${job.outputFileName} was written.` : '';
      const error = wasCancelled
        ? { code: ErrorCodes.CANCELLED, message: `The batch job was cancelled after ${rowsDone} rows.${nothing}`, file: current?.name ?? null }
        : { code: failure!.code, message: `${failure!.message}${nothing && !/[.!?]$/.test(failure!.message) ? '.' : ''}${nothing}`, file: failure!.file.name };
      const s = summary(wasCancelled ? 'cancelled' : 'failed', error, null);
      await this.writeSummary(s);
      emit(null, true);
      return s;
    }
    const warnings = scorer.warnings();
    if (warnings.length) pushAll(notes, warnings.slice(0, 10).map((w) => `Signature enforcement: ${w.message}`));
    const s = summary('succeeded', null, out ? out.path : null);
    await this.writeSummary(s);
    emit(null, true);
    return s;
  }

  private async writeSummary(s: BatchSummary): Promise<void> {
    try {
      await writeFileAtomic(s.summaryPath, `${JSON.stringify(s, null, 2)}\n`);
    } catch (err) {
      this.log.warn(`batch ${s.jobId}: summary.json could not be written`, err);
      s.notes.push(`summary.json could not be written (${(err as Error).message}).`);
    }
  }
}

async function readCsv(
  f: InputFile, chunkRows: number, scorer: ModelScorer, onChunk: (frame: Frame, firstRow: number) => Promise<void>, signal: AbortSignal, notes: string[],
  onBytes: (bytes: number) => void,
): Promise<void> {
  // A chunk's fields stay within CSV_CHUNK_FIELDS and the CSV field limit: a wide file is read in fewer rows per chunk,
  // so memory stays bounded and no chunk's parse holds the main thread for long (a header wider than the column
  // limit fails here, naming the limit).
  let rowsPerChunk = chunkRows;
  const fields = Math.min(CSV_CHUNK_FIELDS, csvLimits().maxCells);
  const { header, chunks } = await openCsvRecords(f.path, (h) => (rowsPerChunk = Math.min(chunkRows, Math.floor(fields / ((parseCsvRows(h)[0]?.length ?? 1) + 1)))), { signal });
  if (rowsPerChunk < chunkRows) notes.push(`${f.name} has so many columns that it is scored ${rowsPerChunk} rows at a time (at most ${fields} fields per chunk).`);
  if (header === null) {
    await chunks.return();
    // pandas.read_csv on an empty file
    throw new FileFailure('E_INVALID_PAYLOAD', `Error processing input file: '${f.path}'. Exception: No columns to parse from file`, f);
  }
  let firstRow = 0;
  for await (const chunk of chunks) {
    let frame: Frame;
    try {
      frame = csvChunkFrame(header, chunk, scorer.schema, firstRow);
    } catch (err) {
      if (!(err instanceof CsvChunkError)) throw err;
      const at = err.location;
      const where = at ? ` (row ${at.row}, line ${at.line}${at.column !== null ? `, column '${at.column}'` : ''})` : '';
      throw new FileFailure(ErrorCodes.INVALID_PAYLOAD, `Error processing input file: '${f.path}'. Exception: ${err.pyMessage}${where}`, f);
    }
    // Bytes of the records read (line endings counted as one byte: close enough for a progress bar).
    let bytes = 0;
    for (const r of chunk.records) bytes += Buffer.byteLength(r) + 1;
    onBytes(bytes);
    await onChunk(frame, firstRow);
    firstRow += chunk.records.length;
  }
}

async function readParquet(src: ParquetSource, chunkRows: number, onChunk: (frame: Frame, firstRow: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < src.rows; start += chunkRows) {
    const end = Math.min(src.rows, start + chunkRows);
    await onChunk(await src.read(start, end), start);
  }
}

function asFileFailure(err: unknown, file: InputFile | null): FileFailure {
  if (err instanceof FileFailure) return err;
  const f = file ?? { path: '', name: '', format: 'csv' as const };
  if (err instanceof CsvRecordTooLongError) return new FileFailure(ErrorCodes.INVALID_FILE, `Error processing input file: '${f.path}'. The CSV cannot be read: ${err.message}`, f);
  if (err instanceof SchemaEnforcementError) return new FileFailure(ErrorCodes.INVALID_PAYLOAD, `Error processing input file: '${f.path}'. Exception: ${err.message}`, f);
  if (isAppError(err)) {
    const text = err.message.startsWith('Error processing input file') ? err.message : `Error processing input file: '${f.path}'. ${err.message}`;
    return new FileFailure(err.code, text, f);
  }
  return new FileFailure(ErrorCodes.INTERNAL, `Error processing input file: '${f.path}'. Unexpected error: ${(err as Error)?.message ?? String(err)}`, f);
}

const cancelled = (): AppError => new AppError(ErrorCodes.CANCELLED, 'The batch job was cancelled.');

function throttle(fn: ((p: BatchProgress) => void) | undefined, intervalMs: number): (p: BatchProgress, force: boolean) => void {
  let last = -Infinity;
  return (p, force) => {
    if (!fn) return;
    const now = performance.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    fn(p);
  };
}

function checkChunkRows(v: number | undefined): number {
  if (v === undefined) return DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(v) || v < 1 || v > MAX_CHUNK_ROWS)
    throw new AppError(ErrorCodes.INVALID_INPUT, `chunk rows must be a whole number from 1 to ${formatCount(MAX_CHUNK_ROWS)}, got ${v}.`);
  return v;
}

function checkOutputFileName(v: string | undefined): string {
  const name = v ?? DEFAULT_OUTPUT_FILE_NAME;
  if (name === '' || name !== basename(name) || name === '.' || name === '..' || /[\\/]/.test(name))
    throw new AppError(ErrorCodes.INVALID_INPUT, `output file name must be a plain file name such as predictions.csv, got '${name}'.`);
  if (name === SUMMARY_FILE_NAME) throw new AppError(ErrorCodes.INVALID_INPUT, `output file name cannot be ${SUMMARY_FILE_NAME}: the job writes its summary there.`);
  return name;
}
