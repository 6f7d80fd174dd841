/**
 * Where a batch job may write (issue 12 item 2). A job writes `<out>/<output file name>` and
 * `<out>/summary.json`; before it starts, this module refuses
 *  - an output path that is, or contains, one of the job's inputs (the input folder itself, or an input
 *    file named like an output: it would be replaced by predictions);
 *  - an existing output file that Preflight did not write, unless the caller said `overwrite` (the app
 *    asks first; the CLI needs --overwrite). Files Preflight wrote (its predictions header, its summary
 *    shape) are replaced without asking, so re-running a job into the same folder just works.
 * Kept apart from the batch service so other checks on output folders (e.g. confining them to folders
 * the user picked) can build on it.
 */
import { open, readFile, realpath } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute, sep } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import { SUMMARY_FILE_NAME } from './batch-types';
import { PREDICTION_COLUMNS } from './predictions-file';

export interface OutputPlan {
  /** Absolute output folder. */
  outDir: string;
  /** Files the job will write in `outDir`, by base name (predictions file unless summary_only, summary.json). */
  fileNames: string[];
  /** Absolute paths of the input files the job reads, and the input path given (file or folder). */
  inputFiles: string[];
  input: string;
  overwrite: boolean;
}

/** The path with symlinks resolved as far as it exists (a missing tail is kept as written). */
async function canonical(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    const parent = dirname(p);
    if (parent === p) return p;
    return join(await canonical(parent), p.slice(parent.length).replace(/^[\\/]+/, ''));
  }
}

const within = (parent: string, child: string): boolean => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
};

/** Throws when the job would write over an input, or over a file Preflight did not write (without `overwrite`). */
export async function checkBatchOutputs(plan: OutputPlan): Promise<void> {
  const outDir = await canonical(plan.outDir);
  const input = await canonical(plan.input);
  if (outDir === input)
    throw new AppError(ErrorCodes.INVALID_INPUT, `The output folder ${plan.outDir} is the input folder: predictions.csv would be read as input by the next run. Choose another output folder.`, { details: { outDir: plan.outDir } });
  const inputs = new Map<string, string>();
  for (const f of plan.inputFiles) inputs.set(await canonical(f), f);
  for (const name of plan.fileNames) {
    const target = join(outDir, name);
    for (const [real, shown] of inputs) {
      if (within(target, real))
        throw new AppError(
          ErrorCodes.INVALID_INPUT,
          `The output file ${join(plan.outDir, name)} is the input file ${shown}: the job would replace its own input with predictions. Choose another output folder or output file name.`,
          { details: { outDir: plan.outDir, file: shown } },
        );
    }
  }
  if (plan.overwrite) return;
  for (const name of plan.fileNames) {
    const target = join(outDir, name);
    const kind = await existingKind(target, name);
    if (kind === 'none' || kind === 'preflight') continue;
    throw new AppError(
      ErrorCodes.OUTPUT_EXISTS,
      `${join(plan.outDir, name)} already exists and was not written by Preflight. Replace it? (CLI: add --overwrite; or choose another output folder or output file name.)`,
      { details: { file: join(plan.outDir, name) } },
    );
  }
}

/** Whether `path` exists, and whether Preflight wrote it (its predictions header, or its summary's shape). */
async function existingKind(path: string, name: string): Promise<'none' | 'preflight' | 'other'> {
  if (name === SUMMARY_FILE_NAME) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : 'other';
    }
    try {
      const s = JSON.parse(text) as Record<string, unknown>;
      return typeof s.jobId === 'string' && typeof s.summaryPath === 'string' && Array.isArray(s.files) ? 'preflight' : 'other';
    } catch {
      return 'other';
    }
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : 'other';
  }
  try {
    const header = `${PREDICTION_COLUMNS.join(',')}\n`;
    const buf = Buffer.alloc(header.length);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return bytesRead === buf.length && buf.toString('utf8') === header ? 'preflight' : 'other';
  } catch {
    return 'other';
  } finally {
    await handle.close();
  }
}
