/**
 * The first rows of a batch job's downloaded predictions file, for the Azure view's preview. Reads at most
 * PREVIEW_BYTES from the start of the file, so a predictions.csv of gigabytes costs no more than a small one;
 * the row count is given only when the whole file was read.
 */
import { open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { CallOutput } from '@shared/ipc/contract';
import { parseCsvRows } from '@shared/mlflow/payload/csv';

export const PREVIEW_BYTES = 256 * 1024;

/** `azure.batchPreview`'s answer (totalRows: data rows in the file; null when it is larger than the part read). */
export type PredictionsPreview = CallOutput<'azure', 'batchPreview'>;

export async function previewPredictions(pathIn: string, maxRows = 20): Promise<PredictionsPreview> {
  const path = resolve(pathIn);
  if (extname(path).toLowerCase() !== '.csv') throw new AppError(ErrorCodes.INVALID_INPUT, `${path} is not a .csv file; the preview reads a batch job's predictions file (predictions.csv).`);
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? new AppError(ErrorCodes.NOT_FOUND, `The predictions file ${path} does not exist (was it moved or deleted?).`) : err;
  });
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, PREVIEW_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    const whole = bytesRead >= size;
    // A part read ends mid-record: drop everything after the last line end (a quoted newline only shortens the preview).
    if (!whole) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
    const parsed = parseCsvRows(text.replace(/^\uFEFF/, ''));
    const [header = [], ...data] = parsed;
    return { path, columns: header, rows: data.slice(0, maxRows), totalRows: whole ? data.length : null, bytes: size };
  } finally {
    await handle.close();
  }
}
