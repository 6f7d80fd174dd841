/**
 * `compare.replay` and `preflight compare --replay` (issue 10): a whole CSV — or the model's input example — sent
 * through every target in chunks, each chunk one request through the compare service (so every target gets its
 * own form, exactly as a single compare does), the answers classified per row, and a summary: agreement rate,
 * the worst rows, a latency histogram per target. The CSV is streamed by the batch job's record reader, so
 * memory stays bounded by one chunk whatever the file size; progress goes out as a few summaries per second.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { histogramEdges, latencyStats } from '@shared/compare/latency';
import { ReplayTally, type ChunkRows } from '@shared/compare/replay-tally';
import { targetName } from '@shared/compare/targets';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import { REPLAY_DEFAULTS, type ReplayProgressData, type ReplaySourceData, type ReplaySummaryData } from '@shared/ipc/replay-contract';
import type { PayloadService } from '../payload/payload-service';
import { CsvRecordTooLongError, openCsvRecords } from '../batch/csv-records';
import type { CompareInput, CompareService } from './compare-service';
import type { AskedVersion } from './mlflow-url-version';
import { pushAll } from '@shared/arrays';

export interface ReplayInput extends Omit<CompareInput, 'body' | 'contentType' | 'maxMismatchRows'> {
  source: ReplaySourceData;
  rowsPerRequest: number;
}

export interface ReplayOptions {
  opId?: string;
  signal?: AbortSignal;
  onProgress?: (p: ReplayProgressData) => void;
  /** Least time between two progress events (ms); default 200. */
  progressIntervalMs?: number;
}

interface Chunk extends ChunkRows {
  body: string;
  contentType: string | null;
  /** Bytes of the source consumed once this chunk is sent. */
  bytesDone: number;
}

interface Source {
  bytesTotal: number;
  /** Rows known up front (the example: null until answered); a CSV's are estimated from bytes. */
  chunks: AsyncGenerator<Chunk, void, void>;
  notes: string[];
}

async function csvSource(path: string, rowsPerRequest: number, signal?: AbortSignal): Promise<Source> {
  const file = resolve(path);
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new AppError(ErrorCodes.NOT_FOUND, `There is no file ${file}: check the path (a CSV file with a header row naming the columns).`, { details: { file } });
    throw new AppError(ErrorCodes.UNREADABLE, `The CSV file ${file} cannot be read (${err.code ?? err.message}); check its permissions.`, { details: { file } });
  });
  if (!info.isFile()) throw new AppError(ErrorCodes.INVALID_INPUT, `${file} is not a file; replay reads one CSV file with a header row.`, { details: { file } });
  if (/\.(parquet|pqt)$/i.test(file)) throw new AppError(ErrorCodes.INVALID_INPUT, `${file} is a parquet file; replay reads CSV (the Batch tab scores parquet).`, { details: { file } });
  const { header, chunks } = await openCsvRecords(file, rowsPerRequest, { signal });
  if (header === null) throw new AppError(ErrorCodes.INVALID_PAYLOAD, `${file} is empty: replay needs a header row naming the columns, then one row per request row.`, { details: { file } });
  let bytes = Buffer.byteLength(header) + 1;
  let firstRow = 0;
  async function* gen(): AsyncGenerator<Chunk, void, void> {
    for await (const c of chunks) {
      let text = `${header}\n`;
      for (const r of c.records) {
        text += `${r}\n`;
        bytes += Buffer.byteLength(r) + 1;
      }
      yield { body: text, contentType: 'text/csv', firstRow, rows: c.records.length, lines: c.lines, records: c.records, bytesDone: Math.min(bytes, info.size) };
      firstRow += c.records.length;
    }
  }
  return { bytesTotal: Math.max(1, info.size), chunks: gen(), notes: [] };
}

/** The header and first `rows` rows of a CSV file, as a CSV body ("fill N rows from a CSV"). */
export async function csvHead(path: string, rows: number, signal?: AbortSignal): Promise<{ body: string; rows: number }> {
  const source = await csvSource(path, rows, signal);
  const first = await source.chunks.next();
  await source.chunks.return();
  if (first.done) throw new AppError(ErrorCodes.INVALID_PAYLOAD, `${resolve(path)} has a header row but no data rows.`);
  return { body: first.value.body, rows: first.value.rows };
}

async function exampleSource(payload: Pick<PayloadService, 'samples'>, modelPath: string, mlflowVersion: string | null, signal?: AbortSignal): Promise<Source> {
  // the example as the servers of the chosen version take it (its candidate is picked by that version's validation)
  const s = await payload.samples({ modelPath, mlflowVersion }, { signal });
  const sample = s.azureml;
  async function* gen(): AsyncGenerator<Chunk, void, void> {
    // The example's row count is what the targets answer with (set in `run`).
    yield { body: sample.body, contentType: sample.contentType, firstRow: 0, rows: -1, lines: null, records: null, bytesDone: 1 };
  }
  return { bytesTotal: 1, chunks: gen(), notes: [`The example set: ${sample.note}`] };
}

export class ReplayService {
  constructor(private readonly deps: { compare: Pick<CompareService, 'run'>; payload: Pick<PayloadService, 'samples'> }) {}

  async run(input: ReplayInput, options: ReplayOptions = {}): Promise<ReplaySummaryData> {
    const opId = options.opId ?? randomUUID();
    const started = performance.now();
    const names = input.targets.map(targetName);
    const tally = new ReplayTally(REPLAY_DEFAULTS.worstRows);
    const latencies = names.map((): number[] => []);
    const refused = names.map(() => 0);
    const noAnswer = names.map(() => 0);
    const firstProblem: (string | null)[] = names.map(() => null);
    const notes: string[] = [];
    let requests = 0;
    let fraction = 0;
    let error: ReplaySummaryData['error'] = null;
    let lastEmit = -Infinity;
    const interval = options.progressIntervalMs ?? 200;

    const progress = (force: boolean): void => {
      const now = performance.now();
      if (!options.onProgress || (!force && now - lastEmit < interval)) return;
      lastEmit = now;
      const elapsedMs = now - started;
      const rowsTotal = fraction >= 1 ? tally.rows : fraction > 0 ? Math.round(tally.rows / fraction) : null;
      options.onProgress({
        opId,
        rowsDone: tally.rows,
        rowsTotal,
        fraction: Math.min(1, fraction),
        requestsDone: requests,
        rowsPerSecond: elapsedMs > 0 ? Math.round((tally.rows / elapsedMs) * 1000) : 0,
        etaMs: fraction > 0 && fraction < 1 ? Math.round((elapsedMs * (1 - fraction)) / fraction) : fraction >= 1 ? 0 : null,
        agreeRows: tally.agreeRows,
        differRows: tally.differRows,
        unansweredRows: tally.unansweredRows,
        elapsedMs: Math.round(elapsedMs),
      });
    };

    let status: ReplaySummaryData['status'] = 'completed';
    try {
      const source =
        input.source.kind === 'csv' ? await csvSource(input.source.path, input.rowsPerRequest, options.signal) : await exampleSource(this.deps.payload, input.modelPath, input.mlflowVersion ?? null, options.signal);
      pushAll(notes, source.notes);
      progress(true);
      // An MLflow URL target is asked its version once per replay (compare-service.ts), not once per request.
      const askedVersions = new Map<string, Promise<AskedVersion>>();
      for await (const chunk of source.chunks) {
        if (options.signal?.aborted) break;
        const r = await this.deps.compare.run(
          {
            modelPath: input.modelPath,
            body: chunk.body,
            contentType: chunk.contentType,
            targets: input.targets,
            headers: input.headers,
            tolerance: input.tolerance,
            ...(input.perOutput ? { perOutput: input.perOutput } : {}),
            timeoutMs: input.timeoutMs,
            mlflowVersion: input.mlflowVersion ?? null,
            maxMismatchRows: Math.max(100, chunk.rows),
            askedVersions,
          },
          { signal: options.signal },
        );
        if (options.signal?.aborted) break;
        requests += 1;
        r.targets.forEach((t, i) => {
          // what a URL target was asked about itself (its MLflow version, on the first request) is said once for the replay
          if (requests === 1 && t.spec.kind === 'url') for (const n of t.request.notes) notes.push(`${t.name}: ${n}`);
          if (t.response) {
            latencies[i]!.push(t.response.latency_ms);
            if (t.response.status < 200 || t.response.status >= 300) refused[i]! += 1;
          } else noAnswer[i]! += 1;
          if (firstProblem[i] === null && (!t.response || t.response.status >= 300)) {
            firstProblem[i] = `${t.response ? `answered ${t.response.status}` : 'no answer'}${t.rootCause || t.error ? `: ${t.rootCause ?? t.error!.message}` : ''} (rows ${chunk.firstRow}–${chunk.firstRow + Math.max(chunk.rows, 1) - 1})`;
          }
        });
        const rows = chunk.rows >= 0 ? chunk.rows : (r.verdict.targets.find((t) => t.rows !== null)?.rows ?? 0);
        tally.add({ ...chunk, rows }, r.verdict);
        fraction = chunk.bytesDone / source.bytesTotal;
        progress(false);
      }
      if (options.signal?.aborted) status = 'cancelled';
      else fraction = 1;
    } catch (err) {
      if (options.signal?.aborted || (isAppError(err) && err.code === ErrorCodes.CANCELLED)) status = 'cancelled';
      else {
        status = 'failed';
        error = err instanceof CsvRecordTooLongError
          ? { code: ErrorCodes.INVALID_FILE, message: `The CSV cannot be read: ${err.message}` }
          : { code: isAppError(err) ? err.code : ErrorCodes.INTERNAL, message: err instanceof Error ? err.message : String(err) };
      }
    }
    progress(true);
    if (input.targets.length < 2) notes.push('Add a second target to compare answers; with one, replay measures its latency only.');
    const sentence =
      status === 'failed'
        ? requests === 0 && tally.rows === 0
          ? `The replay did not start: ${error!.message}`
          : `The replay stopped after ${tally.rows} rows: ${error!.message}`
        : `${status === 'cancelled' ? `Cancelled after ${tally.rows} rows. ` : ''}${tally.sentence(names, input.tolerance, requests)}`;
    // One set of bins for every target, so their bars stand side by side in one chart.
    const edges = histogramEdges(latencies.flat());
    return {
      opId,
      status,
      source: input.source,
      rowsPerRequest: input.rowsPerRequest,
      tolerance: input.tolerance,
      rows: tally.rows,
      requests,
      ms: Math.round(performance.now() - started),
      agreeRows: tally.agreeRows,
      differRows: tally.differRows,
      unansweredRows: tally.unansweredRows,
      agreementRate: tally.rows > 0 ? tally.agreeRows / tally.rows : null,
      sentence,
      targets: names.map((name, i) => ({ name, latency: latencyStats(latencies[i]!, edges), refused: refused[i]!, noAnswer: noAnswer[i]!, firstProblem: firstProblem[i]! })),
      pairs: tally.pairTallies(),
      worstRows: tally.worstRows(),
      error,
      notes,
    };
  }
}
