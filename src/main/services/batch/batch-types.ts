/**
 * The shapes of a batch job (issue 4 "Batch"): what the caller asks for, what it hears while the job
 * runs, and the summary it gets (also written as summary.json). Declared once, in the IPC contract
 * (`batch.run`, `batch.progress`): the same objects cross IPC and become the CLI's `--json` output.
 */
import type { BatchProgressData, BatchSummaryData, CallInput } from '@shared/ipc/contract';

/** Azure's `output_action` (payloads.md §7). */
export type OutputAction = BatchSummaryData['outputAction'];

export const DEFAULT_CHUNK_ROWS = 10_000;
export const DEFAULT_OUTPUT_FILE_NAME = 'predictions.csv';
export const SUMMARY_FILE_NAME = 'summary.json';
/** Predictions listed in the summary's `preview`. */
export const BATCH_PREVIEW_ROWS = 10;

/** `batch.run`'s request without the caller's `jobId` (the service takes the id as an option). */
export type BatchRequest = Omit<CallInput<'batch', 'run'>, 'jobId'>;
export type BatchProgress = BatchProgressData;
export type BatchFileResult = BatchSummaryData['files'][number];
export type BatchSummary = BatchSummaryData;
