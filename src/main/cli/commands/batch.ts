import { join, resolve } from 'node:path';
import { findPackage } from '../../app/package-root';
import { BatchService } from '../../services/batch/batch-service';
import type { BatchProgress, BatchSummary, OutputAction } from '../../services/batch/batch-types';
import { PythonEngine } from '../../services/runner/python/python-engine';
import { CliUsageError, ExitCode, type CliCommand, type CliIo } from '../command';
import { ErrorCodes } from '@shared/errors';
import { reportOptionOrError } from '../errors';
import { parseCommandLine } from '../parse';
import { stderrProgress } from '../format/progress-line';
import { cliTrustGate, TRUST_OPTION, trustUsage } from '../trust-gate';
import { onnxWorkerFromEnv } from './predict';

const ACTIONS: readonly OutputAction[] = ['append_row', 'summary_only'];

/** The file-reader bundle when not beside the CLI's (tests running TypeScript sources). */
const fileWorkerFromEnv = (env: NodeJS.ProcessEnv): string | undefined => env.PREFLIGHT_FILE_WORKER || undefined;

function readTimeoutOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new CliUsageError(`--read-timeout must be a positive number of seconds, got "${v}".`);
  return Math.round(Number(v) * 1000);
}

function chunkRowsOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new CliUsageError(`--chunk-rows must be a positive whole number, got "${v}".`);
  return Number(v);
}

/** A one-line bar, redrawn in place (`\r`): rows done (of the total when known) and the current file. */
function progressLine(p: BatchProgress): string {
  const width = 24;
  const frac = p.rowsTotal ? Math.min(1, p.rowsDone / p.rowsTotal) : p.filesTotal ? p.filesDone / p.filesTotal : 0;
  const filled = Math.round(frac * width);
  const rows = p.rowsTotal !== null ? `${p.rowsDone}/${p.rowsTotal} rows` : `${p.rowsDone} rows`;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${rows} · file ${Math.min(p.filesDone + 1, p.filesTotal)}/${p.filesTotal}${p.file ? ` ${p.file}` : ''}\u001b[K`;
}

/**
 * `succeeded: 2 rows from 1/1 file in 0.6 s → …/predictions.csv`. `filesTotal`: the input's file count (the job's
 * progress events), so a folder whose first file failed reads `failed at heart-unlabeled-0.csv (file 1 of 3): 0 rows
 * from 0/3 files` — the summary lists only the files the job got to, and `0/1 file` hid the two it never read.
 */
export function summaryLine(s: BatchSummary, filesTotal: number | null = null): string {
  const total = Math.max(filesTotal ?? 0, s.files.length);
  const files = `${s.files.filter((f) => f.status === 'succeeded').length}/${total} file${total === 1 ? '' : 's'}`;
  const where = s.predictionsPath ? ` → ${s.predictionsPath}` : s.outputAction === 'summary_only' ? ` → ${s.summaryPath} (summary_only)` : '';
  const last = s.files.at(-1);
  const at = s.status !== 'succeeded' && last && last.status === 'failed' ? ` at ${last.file} (file ${s.files.length} of ${total})` : '';
  return `${s.status}${at}: ${s.rows} rows from ${files} in ${(s.ms / 1000).toFixed(1)} s${where}`;
}

export const batchCommand: CliCommand = {
  name: 'batch',
  summary: 'Score CSV/parquet files offline like an Azure ML batch deployment and write predictions.csv',
  usage: `Usage: preflight batch <model-dir> <input.csv|input.parquet|input-dir> --out <dir> [--chunk-rows N]
                       [--output-file-name F] [--output-action append_row|summary_only] [--overwrite]
                       [--read-timeout S] [--json]

Reads every .csv/.parquet/.pqt file (a folder is not searched recursively) as a DataFrame, enforces the
model's signature, scores it and writes predictions.csv (columns row, prediction, file_name) plus
summary.json into --out, the layout of an Azure ML batch deployment of an MLflow model. Any other file
type fails the job, as on Azure. Azure calls predict once per file; Preflight scores in chunks to keep
memory bounded (a row-wise model gives the same predictions).

  --out <dir>                 output folder (created)
  --chunk-rows N              rows per model call (default 10000)
  --output-file-name F        name of the predictions file (default predictions.csv)
  --output-action A           append_row (default) or summary_only (no predictions file, summary only)
  --overwrite                 replace output files that exist and were not written by Preflight (without it
                              such a job is refused; Preflight's own earlier outputs are always replaced)
  --read-timeout S            seconds allowed to decode one parquet footer or chunk (default 60); a corrupted
                              file that makes the decoder loop is stopped after this
  --json                      print the summary object instead of the one-line summary
${trustUsage(30)}

A progress bar is drawn on stderr when it is a terminal.

Exit codes: 0 the job succeeded · 1 it failed (unsupported file, unreadable value, the model raised) ·
            2 usage error (also: an output path that is an input, or an existing file Preflight did not write
            without --overwrite) · 3 the model or input is missing, or the model cannot run here · 130 cancelled`,
  async run(argv, io: CliIo) {
    const { values, positionals } = parseCommandLine(
      argv,
      { out: { type: 'string' }, 'chunk-rows': { type: 'string' }, 'output-file-name': { type: 'string' }, 'output-action': { type: 'string' }, overwrite: { type: 'boolean' }, 'read-timeout': { type: 'string' }, json: { type: 'boolean' }, ...TRUST_OPTION },
      { min: 2, max: 2, names: '<model-dir> <input>' },
    );
    if (!values.out) throw new CliUsageError('Missing --out <dir>: the folder that receives predictions.csv and summary.json.');
    const action = values['output-action'] ?? 'append_row';
    if (!(ACTIONS as readonly string[]).includes(action)) throw new CliUsageError(`--output-action must be append_row or summary_only, got "${action}".`);
    const chunkRows = chunkRowsOption(values['chunk-rows']);
    const readTimeoutMs = readTimeoutOption(values['read-timeout']);
    const batch = new BatchService({
      logger: io.log,
      onnxWorkerPath: onnxWorkerFromEnv(io.env),
      fileWorkerPath: fileWorkerFromEnv(io.env),
      readTimeoutMs,
      pythonWorkerScript: PythonEngine.workerScriptIn(join(findPackage().root, 'resources')),
      env: io.env,
      trust: cliTrustGate(io, values.trust),
    });
    const bar = stderrProgress(io, progressLine);
    let filesTotal: number | null = null;
    try {
      const summary = await batch.run(
        {
          modelPath: resolve(io.cwd, positionals[0]!),
          input: resolve(io.cwd, positionals[1]!),
          outDir: resolve(io.cwd, values.out),
          chunkRows,
          outputFileName: values['output-file-name'],
          outputAction: action as OutputAction,
          overwrite: values.overwrite === true,
        },
        {
          signal: io.signal,
          onProgress: (p) => {
            filesTotal = p.filesTotal;
            bar.onProgress?.(p);
          },
        },
      );
      bar.end();
      if (values.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      else io.stdout(`${summaryLine(summary, filesTotal)}\n`);
      if (summary.status === 'cancelled') {
        io.stderr('preflight: cancelled\n');
        return ExitCode.INTERRUPTED;
      }
      if (summary.status === 'failed') {
        io.stderr(`preflight: ${summary.error?.message ?? 'the batch job failed'}\n`);
        return ExitCode.INVALID;
      }
      for (const n of summary.notes.filter((x) => /Nested folders|no signature/.test(x))) io.stderr(`note: ${n}\n`);
      return ExitCode.OK;
    } catch (err) {
      bar.end();
      return reportOptionOrError(err, io, [ErrorCodes.INVALID_INPUT, ErrorCodes.OUTPUT_EXISTS]);
    } finally {
      await batch.dispose();
    }
  },
};
