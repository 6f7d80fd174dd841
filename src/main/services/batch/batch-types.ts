/**
 * The shapes of a batch job (issue 4 "Batch"): what the caller asks for, what it hears while the job
 * runs, and the summary it gets (also written as summary.json). Plain data: structured-clone safe, so
 * the same objects cross IPC and become the CLI's `--json` output.
 */

/** Azure's `output_action` (payloads.md §7). */
export type OutputAction = 'append_row' | 'summary_only';

export const DEFAULT_CHUNK_ROWS = 10_000;
export const DEFAULT_OUTPUT_FILE_NAME = 'predictions.csv';
export const SUMMARY_FILE_NAME = 'summary.json';

export interface BatchRequest {
  /** MLflow model folder (or a bare .onnx file). */
  modelPath: string;
  /** A .csv / .parquet / .pqt file, or a folder of them (not recursive). */
  input: string;
  /** Output folder; created when missing. */
  outDir: string;
  /** Rows scored per model call (memory bound). Default 10 000. */
  chunkRows?: number;
  /** Azure's `output_file_name`. Default predictions.csv. */
  outputFileName?: string;
  outputAction?: OutputAction;
  /**
   * Replace output files that exist and were not written by Preflight (the CLI's --overwrite; the app asks
   * first). Without it such a job is refused with E_OUTPUT_EXISTS. Preflight's own earlier outputs are
   * always replaced.
   */
  overwrite?: boolean;
}

export interface BatchProgress {
  jobId: string;
  /** The file being read (base name), or null before the first one / after the last. */
  file: string | null;
  /** Rows scored so far in the whole job. */
  rowsDone: number;
  /** Rows of the whole job when every file's row count is known up front (parquet), else null. */
  rowsTotal: number | null;
  filesDone: number;
  filesTotal: number;
}

export interface BatchFileResult {
  /** Base name, as written in the `file_name` column. */
  file: string;
  path: string;
  format: 'csv' | 'parquet';
  status: 'succeeded' | 'failed' | 'skipped';
  rows: number;
  ms: number;
  /** Why the file failed, in the words Azure logs it ("Error processing input file: …"). */
  error: string | null;
}

export interface BatchSummary {
  jobId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  modelPath: string;
  input: string;
  outDir: string;
  outputAction: OutputAction;
  /** Absolute path of the predictions file; null when none was written (summary_only, failed, cancelled). */
  predictionsPath: string | null;
  summaryPath: string;
  engine: 'onnx' | 'python';
  chunkRows: number;
  files: BatchFileResult[];
  /** Rows scored (and written, for append_row). */
  rows: number;
  ms: number;
  /** The error that stopped the job, null when it succeeded. */
  error: { code: string; message: string; file: string | null } | null;
  /** Things the user should know: nested folders ignored, no signature (typing not enforced), chunking. */
  notes: string[];
}
