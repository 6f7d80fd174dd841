import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, posix, relative, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';

/**
 * Every read of a model folder goes through here. A model folder comes from someone else (a colleague, a
 * registry download), so reads must not be talked into leaving it: names from MLmodel (`env: ../../x`,
 * absolute paths) and symlinks are resolved with realpath and refused when they land outside. Special
 * files (FIFOs, devices) are refused without blocking, and every text read has a size cap.
 */

/** Cap for any text file of the folder (conda.yaml, input_example.json, …). */
export const MAX_TEXT_BYTES = 20 * 1024 * 1024;

const MiB = 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${(n / (1024 * MiB)).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Plain-language reason for an fs error, never its stack. */
export function describeFsError(err: unknown): string {
  switch (errnoOf(err)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it does not exist';
    case 'ELOOP':
      return 'it is a symlink loop';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a folder';
    case 'EIO':
      return 'an I/O error occurred';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * UTF-16 text, by its byte-order mark or, without one, by the NUL byte every ASCII character carries on one side —
 * which UTF-8 decoding would accept (NUL is valid UTF-8) and hand to the YAML/JSON parser as a garbled string.
 */
export function utf16Of(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 8) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.6 && evenNul === 0) return 'UTF-16LE';
  if (evenNul >= pairs * 0.6 && oddNul === 0) return 'UTF-16BE';
  return null;
}

function isInside(rootReal: string, candidate: string): boolean {
  const rel = relative(rootReal, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Normalises a name MLmodel or a file uses for another file to a POSIX path relative to the folder, or null when it leaves it. */
export function normalizeRelative(name: string, fromDir = '.'): string | null {
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) return null;
  const joined = posix.normalize(posix.join(fromDir, slashed));
  if (joined === '..' || joined.startsWith('../')) return null;
  return joined.replace(/^\.\//, '');
}

/** A model folder, pinned to its real path, that hands out only reads that stay inside it. */
export class ModelRoot {
  private constructor(
    /** Absolute path as the user gave it (resolved). */
    readonly path: string,
    /** realpath of `path`: the boundary every read is checked against. */
    readonly realPath: string,
  ) {}

  static async open(path: string): Promise<ModelRoot> {
    const abs = resolve(path);
    let real: string;
    try {
      real = await realpath(abs);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') {
        throw new AppError(ErrorCodes.NOT_FOUND, `Model folder not found: ${abs}. Check the path, or pick the folder that contains the MLmodel file.`);
      }
      throw new AppError(ErrorCodes.UNREADABLE, `Model folder ${abs} could not be opened: ${describeFsError(err)}.`, { cause: err });
    }
    return new ModelRoot(abs, real);
  }

  /**
   * Real absolute path of `rel` (POSIX, relative to the folder), checked to stay inside. Throws
   * E_OUTSIDE_FOLDER when the name or a symlink on the way leaves the folder, E_NOT_FOUND when missing.
   */
  async resolve(rel: string): Promise<string> {
    const normal = normalizeRelative(rel);
    if (normal === null) {
      throw new AppError(
        ErrorCodes.OUTSIDE_FOLDER,
        `${rel} points outside the model folder; Preflight only reads files inside it. Copy the file into the folder and refer to it by a relative name.`,
        { details: { file: rel } },
      );
    }
    let real: string;
    try {
      real = await realpath(resolve(this.realPath, ...normal.split('/')));
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') {
        throw new AppError(ErrorCodes.NOT_FOUND, `${normal} is not in the model folder ${this.path}.`, { details: { file: normal } });
      }
      throw new AppError(ErrorCodes.UNREADABLE, `${normal} could not be opened: ${describeFsError(err)}.`, { details: { file: normal }, cause: err });
    }
    if (!isInside(this.realPath, real)) {
      throw new AppError(
        ErrorCodes.OUTSIDE_FOLDER,
        `${normal} is a symlink to ${real}, outside the model folder; Preflight does not follow links out of the folder. ` +
          `Replace the link with a copy of the file.`,
        { details: { file: normal, target: real } },
      );
    }
    return real;
  }

  /** Whether `rel` is a regular file inside the folder (no throw). */
  async isFile(rel: string): Promise<boolean> {
    try {
      return (await stat(await this.resolve(rel))).isFile();
    } catch {
      return false;
    }
  }

  /** Size of the regular file `rel`, after the same checks as a read (throws AppError). */
  async fileSize(rel: string): Promise<{ real: string; size: number }> {
    const real = await this.resolve(rel);
    const info = await stat(real).catch((err: unknown) => {
      throw new AppError(ErrorCodes.UNREADABLE, `${rel} could not be read: ${describeFsError(err)}.`, { details: { file: rel }, cause: err });
    });
    if (info.isDirectory()) throw new AppError(ErrorCodes.UNREADABLE, `${rel} is a folder, not a file.`, { details: { file: rel } });
    if (!info.isFile()) throw new AppError(ErrorCodes.UNREADABLE, `${rel} is not a regular file (it is a FIFO, socket or device), so it was not read.`, { details: { file: rel } });
    return { real, size: info.size };
  }

  /**
   * Reads `rel` as UTF-8 text (BOM stripped). Refuses folders and special files without blocking (the file
   * is opened non-blocking and checked with fstat before any read), files over `maxBytes`, and text that is
   * not UTF-8.
   */
  async readText(rel: string, options: { maxBytes?: number } = {}): Promise<string> {
    return readRegularTextFile(await this.resolve(rel), rel, options.maxBytes ?? MAX_TEXT_BYTES);
  }
}

/**
 * Reads the file at `real` as UTF-8 text (BOM stripped); `rel` names it in errors. Refuses folders and special files
 * without blocking (opened non-blocking and checked with fstat before any read: a FIFO would wait forever for a
 * writer), files over `maxBytes`, and text that is not UTF-8. For any file the app reads on its own (model files,
 * saved requests), not only those of a model folder.
 */
export async function readRegularTextFile(real: string, rel: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait forever for a writer.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new AppError(ErrorCodes.UNREADABLE, `${rel} could not be read: ${describeFsError(err)}. Check the file's permissions.`, {
      details: { file: rel },
      cause: err,
    });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new AppError(ErrorCodes.UNREADABLE, `${rel} is a folder, not a file.`, { details: { file: rel } });
    if (!info.isFile()) {
      throw new AppError(ErrorCodes.UNREADABLE, `${rel} is not a regular file (it is a FIFO, socket or device), so it was not read.`, { details: { file: rel } });
    }
    if (info.size > maxBytes) {
      throw new AppError(
        ErrorCodes.INVALID_FILE,
        `${rel} is ${formatBytes(info.size)}, more than the ${formatBytes(maxBytes)} Preflight reads for this kind of file. Check that it is the right file.`,
        { details: { file: rel, size: info.size, limit: maxBytes } },
      );
    }
    // Read at most maxBytes + 1 so a file growing while we read cannot blow the cap.
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    if (filled > maxBytes) {
      throw new AppError(ErrorCodes.INVALID_FILE, `${rel} grew past ${formatBytes(maxBytes)} while being read.`, { details: { file: rel } });
    }
    const utf16 = utf16Of(buffer.subarray(0, filled));
    if (utf16) {
      throw new AppError(
        ErrorCodes.INVALID_FILE,
        `${rel} is ${utf16} text, not UTF-8: MLflow reads model files as UTF-8 (a Windows editor or PowerShell's \`>\` redirection writes UTF-16). ` +
          `Save it as UTF-8, e.g. \`iconv -f ${utf16} -t UTF-8 ${rel}\`, or re-save the model with MLflow.`,
        { details: { file: rel, encoding: utf16 } },
      );
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, filled)).replace(/^\uFEFF/, '');
    } catch {
      throw new AppError(ErrorCodes.INVALID_FILE, `${rel} is not UTF-8 text (it looks binary). Check that it is the right file.`, { details: { file: rel } });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(ErrorCodes.UNREADABLE, `${rel} could not be read: ${describeFsError(err)}.`, { details: { file: rel }, cause: err });
  } finally {
    await handle.close();
  }
}
