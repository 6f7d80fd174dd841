/**
 * Which files a batch job reads (payloads.md §7 "Input"): one file, or the files directly inside a
 * folder. Nested folders are not read (Azure: "Nested folder structures are not explored"), and any
 * file type other than CSV / parquet fails the whole job with Azure's own message.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import { parseTempName } from './stale-temps';

export interface InputFile {
  path: string;
  name: string;
  format: 'csv' | 'parquet';
}

export interface InputListing {
  files: InputFile[];
  notes: string[];
}

/** Image types are valid Azure batch inputs for tensor models, but Preflight does not read them (yet). */
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'tiff', 'bmp', 'gif']);

function formatOf(path: string): 'csv' | 'parquet' {
  const ext = extname(path).slice(1).toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'parquet' || ext === 'pqt') return 'parquet';
  const shown = ext === '' ? basename(path) : ext;
  if (IMAGE_EXTENSIONS.has(ext)) {
    throw new AppError(
      ErrorCodes.INVALID_PAYLOAD,
      `Error processing input file: '${path}'. Azure reads .${ext} files as np.ndarray images for tensor models; Preflight's batch runner reads only tabular files (.csv, .parquet, .pqt). Remove the file from the input folder or score it with 'preflight predict'.`,
      { details: { file: path, extension: ext } },
    );
  }
  // payloads.md §7: "Any other file type fails the job ("File type 'avro' is not supported")".
  throw new AppError(
    ErrorCodes.INVALID_PAYLOAD,
    `Error processing input file: '${path}'. File type '${shown}' is not supported. Azure ML batch deployments of MLflow models read .csv, .parquet and .pqt files (and images); remove the file from the input folder or convert it to CSV/parquet.`,
    { details: { file: path, extension: ext } },
  );
}

/** Lists the job's input files (sorted by name, like a folder listing) and notes what was ignored. */
export async function listInputFiles(input: string): Promise<InputListing> {
  let info;
  try {
    info = await stat(input);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError(ErrorCodes.NOT_FOUND, `Batch input not found: ${input}. Pass a .csv or .parquet file, or a folder of them.`);
    throw new AppError(ErrorCodes.UNREADABLE, `Batch input ${input} cannot be read (${(err as Error).message}).`, { cause: err });
  }
  if (info.isFile()) return { files: [{ path: input, name: basename(input), format: formatOf(input) }], notes: [] };
  if (!info.isDirectory()) throw new AppError(ErrorCodes.NOT_FOUND, `Batch input ${input} is neither a file nor a folder.`);
  const entries = await readdir(input, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: InputFile[] = [];
  const nested: string[] = [];
  const temps: string[] = [];
  for (const e of entries) {
    const path = join(input, e.name);
    if (e.isFile() && parseTempName(e.name)) temps.push(e.name);
    else if (e.isDirectory()) nested.push(e.name);
    else if (e.isFile()) files.push({ path, name: e.name, format: formatOf(path) });
  }
  const notes: string[] = [];
  if (nested.length)
    notes.push(`Nested folders are not read, as in Azure ML batch deployments: ${nested.map((n) => `'${n}'`).join(', ')} ignored. Flatten the folder to score their files.`);
  if (temps.length)
    notes.push(`Preflight's own unfinished temp files are never read as input: ${temps.map((n) => `'${n}'`).join(', ')} ignored.`);
  if (files.length === 0) throw new AppError(ErrorCodes.NOT_FOUND, `The input folder ${input} has no .csv, .parquet or .pqt files to score.`);
  return { files, notes };
}
