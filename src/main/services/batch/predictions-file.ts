/**
 * predictions.csv, written so that a failed or cancelled job never leaves a half file: rows are
 * appended to a hidden temp file beside the target, which is renamed over it only when the job
 * succeeds (atomic on one filesystem) and deleted otherwise.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** The columns Azure's MLflow batch driver writes, in order (payloads.md §7). */
export const PREDICTION_COLUMNS = ['row', 'prediction', 'file_name'] as const;

/** A CSV field as pandas `to_csv` quotes it (QUOTE_MINIMAL). */
export const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export class PredictionsFile {
  private handle: FileHandle | null = null;
  private readonly temp: string;
  readonly path: string;

  private constructor(dir: string, name: string) {
    this.path = join(dir, name);
    this.temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  }

  static async create(dir: string, name: string): Promise<PredictionsFile> {
    const f = new PredictionsFile(dir, name);
    f.handle = await open(f.temp, 'w', 0o644);
    await f.handle.write(`${PREDICTION_COLUMNS.join(',')}\n`);
    return f;
  }

  /** Appends one chunk's rows: `row` is the index within the file of the chunk's first row. */
  async append(fileName: string, firstRow: number, predictions: readonly string[]): Promise<void> {
    const name = csvField(fileName);
    const lines: string[] = new Array(predictions.length);
    for (let k = 0; k < predictions.length; k++) lines[k] = `${firstRow + k},${csvField(predictions[k]!)},${name}\n`;
    await this.handle!.write(lines.join(''));
  }

  /** Makes the file visible under its real name. */
  async commit(): Promise<void> {
    const h = this.handle!;
    this.handle = null;
    await h.sync();
    await h.close();
    await rename(this.temp, this.path);
  }

  /** Removes the temp file; the real name is left untouched. */
  async discard(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close().catch(() => {});
    await rm(this.temp, { force: true }).catch(() => {});
  }
}
